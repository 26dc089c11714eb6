# t_newsletter.sh - newsletters end to end through `peermail run` and the maildir transport:
# create, preview, schedule (not sent until due), send, send --wait, cancel mid-send, two
# `run` processes at once, unsubscribed members, --skip-signed, stories.
. "$(dirname "$0")/lib.sh"
setup


pm list create news --title "Campaign news" >/dev/null
for i in $(seq 1 20); do echo "m$i@example.org,Member$i,D$((i % 3))"; done |
	{ echo "email,name,district"; cat; } >"$T/members.csv"
pm member import "$T/members.csv" --list news >/dev/null
printf 'Keep the park green.\n' >"$T/park.txt"
pm petition create park --title "Save the park" --text "$T/park.txt" --goal 100 >/dev/null
cat >"$T/body.md" <<'MD'
Hello {{member.first_name}},

The council votes **soon**.
{{#stories}}
> {{text}} ({{author}})
{{/stories}}
MD

# create: errors and the id
pm newsletter create --list nosuch --subject S --body "$T/body.md" >/dev/null 2>&1; is $? 67 "unknown list exits 67"
pm newsletter create --list news --subject S --body "$T/body.md" --petition nosuch >/dev/null 2>&1; is $? 67 "unknown petition exits 67"
pm newsletter create --list news --subject S --body "$T/none.md" >/dev/null 2>&1; is $? 66 "missing body file exits 66"
pm newsletter create --list news --body "$T/body.md" >/dev/null 2>&1; is $? 64 "no subject exits 64"
printf 'Hello {{#member}}\n' >"$T/broken.md"
err=$(pm newsletter create --list news --subject S --body "$T/broken.md" 2>&1); rc=$?
is "$rc" 65 "a Mustache syntax error in the body exits 65 at create time"
like "$err" '^peermail: the body: ' "and says where"
id=$(pm newsletter create --list news --subject "News for {{member.first_name}}" --body "$T/body.md" --petition park)
like "$id" '^[0-9]+$' "create prints the id"
json=$(pm newsletter status "$id" --json)
is "$(echo "$json" | jq_ '[d[k] for k in ("id","status","recipients","queued","sent","failed","bounced")]')" "[$id, 'draft', 20, 0, 0, 0, 0]" "status JSON of a draft: keys and audience"
pm newsletter status 999 --json >/dev/null 2>&1; is $? 67 "unknown newsletter exits 67"

# preview: one copy to any address, as a member would see it
ok "preview queued" pm newsletter preview "$id" --to editor@example.net
is "$(sql "SELECT kind||' '||recipient FROM outbox")" "preview editor@example.net" "preview is one outbox row of kind preview"
run_once
is "$(copies_to editor@example.net)" 1 "preview sent"
like "$(cat "$T"/var/sent/new/*)" 'Subject: News for Sample' "preview rendered with sample member data"
is "$(sql "SELECT count(*) FROM outbox WHERE kind='newsletter'")" 0 "a preview sends nothing to the list"

# schedule: in the past refused; in the future not sent by run --once until due
pm newsletter schedule "$id" --at 2001-01-01 >/dev/null 2>&1; is $? 65 "scheduling in the past exits 65"
pm newsletter schedule "$id" --at tomorrow-ish >/dev/null 2>&1; is $? 64 "a bad time exits 64"
when=$(date -d '+1 day' '+%Y-%m-%d %H:%M')
ok "schedule in the future (local time)" pm newsletter schedule "$id" --at "$when"
is "$(sql "SELECT datetime(scheduled_at, 'unixepoch', 'localtime') FROM newsletters WHERE id=$id")" "$when:00" "stored as local time"
# one member unsubscribes, one signs (still gets it: no --skip-signed), after scheduling
sql "UPDATE subscriptions SET status='unsubscribed' WHERE member_id=(SELECT id FROM members WHERE email='m3@example.org')"
sql "INSERT INTO signatures(petition_id, member_id, status, created_at) SELECT 1, id, 'confirmed', 0 FROM members WHERE email='m4@example.org'"
sql "INSERT INTO stories(petition_id, member_id, status, text, created_at) SELECT 1, id, 'approved', 'My kids play there every day.

The swings are new.', 0 FROM members WHERE email='m5@example.org'"
sql "INSERT INTO stories(petition_id, member_id, status, text, created_at) SELECT 1, id, 'rejected', 'Rejected words.', 0 FROM members WHERE email='m6@example.org'"
n0=$(sent_count)
run_once
is "$(sent_count)" "$n0" "run --once sends nothing before it is due"
is "$(pm newsletter status "$id" --json | jq_ 'd["status"]')" scheduled "still scheduled"
sql "UPDATE newsletters SET scheduled_at = strftime('%s','now') - 1 WHERE id=$id"
run_once
is "$(($(sent_count) - n0))" 19 "due: 19 copies sent (20 less the unsubscribed)"
is "$(copies_to m3@example.org)" 0 "unsubscribed member skipped"
is "$(copies_to m1@example.org)" 1 "a member gets exactly one copy"
json=$(pm newsletter status "$id" --json)
is "$(echo "$json" | jq_ '[d[k] for k in ("status","recipients","queued","sent","failed")]')" "['sent', 19, 0, 19, 0]" "status after sending"
f=$(grep -l '^To: Member7 <m7@example.org>' "$T"/var/sent/new/*)
msg=$(cat "$f")
like "$msg" 'Subject: News for Member7' "subject rendered per member"
like "$msg" 'Hello Member7,' "body rendered per member"
like "$msg" '<strong>soon</strong>' "Markdown rendered to HTML"
like "$msg" 'My kids play there every day\.' "approved story in the newsletter"
unlike "$msg" 'Rejected words' "rejected story left out"
parts=$(python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default)
print(m.get_body(("plain",)).get_content().replace("\n","|")); print(m.get_body(("html",)).get_content().replace("\n","|"))' "$f")
like "$parts" '> My kids play there every day\.\|>\|> The swings are new\. \(Member5\)' "a multi-paragraph story stays quoted, paragraphs and attribution, in the text part"
like "$parts" '<blockquote>\|<p>My kids play there every day\.</p>\|<p>The swings are new\. \(Member5\)</p>\|</blockquote>' "and in one blockquote in the HTML part"
like "$msg" 'Reply-To: sign\+park\+[a-z2-7]+@act\.test' "personal Reply-To signs the petition"
like "$msg" 'List-Unsubscribe: <mailto:leave\+[a-z2-7]+@act\.test>' "personal List-Unsubscribe"
rt=$(printf '%s\n' "$msg" | tr -d '\r' | sed -n 's/^Reply-To: *<\{0,1\}\(sign+park+[a-z2-7]*@act\.test\)>\{0,1\}$/\1/p' | head -1)
like "$msg" 'List-Id: Campaign news <news\.act\.test>' "List-Id"
ok "sent twice? no: another run" run_once
is "$(($(sent_count) - n0))" 19 "a second run sends nothing more"

# --skip-signed
id2=$(pm newsletter create --list news --subject "Sign" --body "$T/body.md" --petition park --skip-signed)
is "$(pm newsletter status "$id2" --json | jq_ 'd["recipients"]')" 18 "audience without the signer"
out=$(pm newsletter send "$id2" --wait 2>"$T/wait.err")
like "$out" "newsletter $id2 sent: 18 sent, 0 failed" "send --wait sends it from the command"
like "$(cat "$T/wait.err")" "newsletter $id2: 18/18 +100%" "progress as plain log lines when not on a terminal"
is "$(grep -l '^Subject: Sign' "$T"/var/sent/new/* | xargs grep -l 'm4@example.org' | wc -l)" 0 "the signer was left out"

# cancel mid-send: the maildir is broken so every copy is deferred; half become due and
# are sent; cancel; the rest is never sent
id3=$(pm newsletter create --list news --subject "Third" --body "$T/body.md")
mv "$T/var/sent" "$T/var/sent.ok"; : >"$T/var/sent"
pm newsletter send "$id3" >/dev/null
run_once
rm "$T/var/sent"; mv "$T/var/sent.ok" "$T/var/sent"
is "$(sql "SELECT count(*) FROM outbox WHERE ref_id=$id3 AND kind='newsletter' AND status='deferred'")" 19 "all 19 deferred by the broken transport"
sql "UPDATE outbox SET next_attempt=0 WHERE ref_id=$id3 AND kind='newsletter' AND member_id <= 10"
n1=$(sent_count)
run_once
sent_now=$(($(sent_count) - n1))
is "$sent_now" 9 "part sent (members 1-10 less the unsubscribed)"
ok "cancel mid-send" pm newsletter cancel "$id3"
sql "UPDATE outbox SET next_attempt=0 WHERE ref_id=$id3"
run_once
is "$(($(sent_count) - n1))" 9 "nothing more sent after cancel"
json=$(pm newsletter status "$id3" --json)
is "$(echo "$json" | jq_ '[d[k] for k in ("status","sent","queued","cancelled")]')" "['cancelled', 9, 0, 10]" "the rest cancelled"
pm newsletter cancel "$id3" >/dev/null 2>&1; is $? 65 "cancelling twice exits 65"

# cancel before it is due: nothing goes out
id4=$(pm newsletter create --list news --subject "Fourth" --body "$T/body.md")
pm newsletter schedule "$id4" --at "$when" >/dev/null
aud4=$(pm newsletter status "$id4" --json | jq_ 'd["recipients"]')
ok "cancel a scheduled newsletter" pm newsletter cancel "$id4"
is "$(pm newsletter status "$id4" --json | jq_ '[d[k] for k in ("status","recipients","sent")]')" "['cancelled', $aud4, 0]" \
	"status after a cancel before expansion: the recipients it was addressed to ($aud4), not 0"
like "$(pm newsletter status "$id4")" "^recipients: $aud4\$" "also in the text"
sql "UPDATE newsletters SET scheduled_at = 1 WHERE id=$id4"
n2=$(sent_count)
run_once
is "$(sent_count)" "$n2" "a cancelled newsletter is never sent"

# two run processes at once: every member exactly one copy
for i in $(seq 21 120); do echo "x$i@example.org,X$i"; done | { echo "email,name"; cat; } >"$T/more.csv"
pm member import "$T/more.csv" --list news >/dev/null
id5=$(pm newsletter create --list news --subject "Double {{member.email}}" --body "$T/body.md")
pm newsletter send "$id5" >/dev/null
n3=$(sent_count)
pm run --once >"$T/run1.log" 2>&1 & p1=$!
pm run --once >"$T/run2.log" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
is "$r1$r2" 00 "both run processes succeed"
is "$(($(sent_count) - n3))" 119 "119 copies for 119 active members"
dups=$(grep -h '^To: ' $(grep -l '^Subject: Double' "$T"/var/sent/new/*) | sort | uniq -d | wc -l)
is "$dups" 0 "no member got two copies"
is "$(pm newsletter status "$id5" --json | jq_ 'd["sent"]')" 119 "status counts them once"

pm newsletter ls >"$T/ls.txt"
like "$(cat "$T/ls.txt")" "^ +$id5 +sent +news" "newsletter ls"
is "$(pm newsletter ls --json | jq_ 'len(d["newsletters"])')" 5 "newsletter ls --json"

# send --wait on one that a run already started follows it (no rescheduling); send without
# --wait refuses it (only a draft or a scheduled one can be made due)
id6=$(pm newsletter create --list news --subject "Follow" --body "$T/body.md")
sql "UPDATE newsletters SET status = 'sending', started_at = strftime('%s','now') WHERE id = $id6"
pm newsletter send "$id6" >/dev/null 2>&1; is $? 65 "send on one already sending exits 65"
n4=$(sent_count)
out=$(pm newsletter send "$id6" --wait 2>/dev/null)
like "$out" "newsletter $id6 sent: 119 sent" "send --wait on one already sending follows it"
is "$(($(sent_count) - n4))" 119 "and sends it"
# sign+OTHER+TOKEN (another petition's slug) is refused; sign+SLUG+TOKEN signs, and so does
# sign+TOKEN (the token names the petition: address_make leaves a long slug out)
wrong="sign+other+${rt#sign+park+}"
printf 'From: m7@example.org\nTo: %s\nSubject: Re: News\nMessage-ID: <wrongslug.%s@x>\n\nCount me in.\n' "$wrong" $$ >"$T/ns.eml"
pm receive --sender m7@example.org --recipient "$wrong" <"$T/ns.eml" >/dev/null 2>&1
is $? 67 "sign+SLUG+TOKEN with another petition's slug is refused (67)"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'm7@example.org'")" 0 "and signs nothing"
sed -e "s/^To: .*/To: $rt/" -e 's/wrongslug/slug/' "$T/ns.eml" >"$T/ws.eml"
pm receive --sender m7@example.org --recipient "$rt" <"$T/ws.eml" >/dev/null 2>&1
is $? 0 "sign+SLUG+TOKEN is accepted"
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'm7@example.org'")" confirmed "and signs"
noslug="sign+${rt#sign+park+}"
sed -e "s/^To: .*/To: $noslug/" -e 's/wrongslug/noslug/' "$T/ns.eml" >"$T/ns2.eml"
pm receive --sender m7@example.org --recipient "$noslug" <"$T/ns2.eml" >/dev/null 2>&1
is $? 0 "sign+TOKEN without the slug is accepted (the token names the petition)"
done_testing
