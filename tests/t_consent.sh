# t_consent.sh - issue 13's "nothing dropped, nothing misaddressed" end to end: the address a
# person gave is the one written to (smtp-sink's RCPT and To:, export, show) while the
# normalized key still finds the same person; `newsletter cancel` against a slow smtp-sink
# stops claimed and rendered copies and `newsletter status` counts what went out; forget
# with queued letters and newsletters leaves no byte of the person in the database; mail
# for people (From: replies, postmaster@, abuse@, owner addresses) reaches the organizers'
# mailbox, ARF complaints there act like those at the VERP address; a refused broadcast
# confirmation tells the organizers; mail without a token never names a member, new or
# not (only their own reply to a token does).
. "$(dirname "$0")/lib.sh"

[ -x "$SINK" ] || skip_all "consent tests" "smtp-sink not installed"

n=0
# msg FROM TO [BODY] [SUBJECT] - a plain message
msg() {
	n=$((n + 1))
	printf 'From: Someone <%s>\nTo: %s\nSubject: %s\nDate: Wed, 25 Nov 2026 09:00:00 +0000\nMessage-ID: <c%d.%d@client.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n' \
		"$1" "$2" "${4:-hello}" "$n" "$$" "${3:-Count me in.}"
}
# recv FROM TO [BODY] [SUBJECT] - receive a plain message; prints the exit status
recv() { msg "$@" | pm receive --sender "$1" --recipient "$2" >"$T/out" 2>&1; echo $?; }

# ==== 1. the address as given ====
sink_setup s1 'normalize { strip_tags = true }' 'limits { max_responses_per_day = 20 }'
pm list create news --title "Campaign news" >/dev/null
printf 'Keep the park green.\n' >"$T/park.txt"
pm petition create park --title "Save the park" --text "$T/park.txt" >/dev/null
# Eve is added by an organizer, Joe signs and subscribes by mail with a +tag
ok "member add with dots and capitals" pm member add Eve.Smith@gmail.com --name "Eve Smith" --list news
is "$(recv joe+news@example.org sign+park@act.test)" 0 "Joe signs by mail as joe+news@"
conf=$(reply_to "$(last_outbox)")
is "$(sql "SELECT recipient FROM outbox WHERE id = $(last_outbox)")" "joe+news@example.org" "the confirmation request is queued to the address as given"
is "$(recv joe+news@example.org "$conf")" 0 "Joe confirms"
is "$(sql "SELECT status FROM signatures")" confirmed "the reply from the address as given confirms"
is "$(recv joe+news@example.org news+subscribe@act.test)" 0 "Joe subscribes by mail"
join=$(reply_to "$(last_outbox)")
is "$(recv joe+news@example.org "$join")" 0 "Joe confirms the subscription"
# dedup: other spellings of the same key are the same people, and change nothing
like "$(pm member add evesmith@gmail.com --name Eve)" '^updated member' "evesmith@gmail.com is the same member as Eve.Smith@gmail.com"
is "$(recv JOE@example.org news+subscribe@act.test)" 0 "JOE@example.org subscribes again"
is "$(sql "SELECT count(*) FROM members")" 2 "two members, not four"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")" already "JOE@ is Joe, already subscribed"
is "$(sql "SELECT group_concat(address, ' ') FROM (SELECT address FROM members ORDER BY id)")" "Eve.Smith@gmail.com joe+news@example.org" "the first address given is kept beside the key"
id=$(pm newsletter create --list news --subject "News" --body "$T/park.txt")
pm newsletter send "$id" >/dev/null
ok "run --once sends" pm run --once
is "$(rcpts "$T/s1" | uniq | tr '\n' ' ')" "Eve.Smith@gmail.com joe+news@example.org " "every RCPT TO is the address exactly as given (never evesmith@ or joe@)"
is "$(grep -l '^Subject: News' "$T"/s1/* | xargs grep -h '^To:' | sed 's/.*<\(.*\)>.*/\1/' | sort | tr '\n' ' ')" "Eve.Smith@gmail.com joe+news@example.org " "the newsletter's To: is the address as given"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient IN ('evesmith@gmail.com', 'joe@example.org')")" 0 "no outbox row to a normalized address"
exp=$(pm member export)
like "$exp" '"Eve\.Smith@gmail\.com"' "member export shows Eve's address as given"
like "$exp" '"joe\+news@example\.org"' "member export shows Joe's address as given"
is "$(pm member show EVESMITH@gmail.com --json | jq_ 'd["email"]')" "Eve.Smith@gmail.com" "member show finds Eve by any spelling and shows the address as given"
like "$(pm petition signatures park)" 'joe\+news@example\.org' "the signature export shows Joe's address as given"
# forget finds every spelling: Joe also wrote from a third +tag and was answered there
is "$(recv joe+other@example.org help@act.test)" 0 "Joe writes to help@ from yet another +tag"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'joe+other@example.org' AND member_id IS NULL")" 1 "answered at that address (help records nobody)"
ok "member forget by any spelling" pm member forget JOE+x@example.org
is "$(sql "SELECT count(*) FROM inbound WHERE lower(from_addr) LIKE 'joe%' OR lower(sender) LIKE 'joe%'")" 0 "no inbound row keeps any spelling of Joe's address"
is "$(sql "SELECT count(*) FROM outbox WHERE lower(recipient) LIKE 'joe%'")" 0 "no outbox row either"
for f in "$T/var/peermail.db" "$T/var/peermail.db-wal"; do
	[ -e "$f" ] || continue
	is "$(LC_ALL=C grep -a -c -i -e 'joe+' -e 'joe@' "$f")" 0 "after forget, $(basename "$f") holds no spelling of Joe's address"
done

# ==== 2. cancel means cancel: claimed and rendered copies stop before the server ====
# a sink that waits a second before answering each DATA, one connection: all eight copies
# are claimed and rendered at once and wait in the SMTP queue while the first go out
p2=$(free_port)
start_sink s2 "$p2" -w 1
rm -rf "$T/var"
SMTP_OPTIONS='connections = 1 timeout = 10' smtp_config "$p2" 'queue { batch_size = 10 }'
pm init >/dev/null
pm list create news --title "Campaign news" >/dev/null
for i in $(seq 1 8); do pm member add "m$i@example.org" --list news >/dev/null; done
id=$(pm newsletter create --list news --subject "Slow news" --body "$T/park.txt")
pm newsletter send "$id" --wait >"$T/send.out" 2>&1 &
sender=$!
for _ in $(seq 1 200); do [ "$(ls "$T/s2" | wc -l)" -ge 2 ] && break; sleep 0.05; done
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'newsletter' AND status IN ('sending', 'sent')")" 8 "mid-send: all eight copies are claimed (rendered, waiting for the server) or sent"
like "$(sql "SELECT count(*) FROM outbox WHERE kind = 'newsletter' AND status = 'sending'")" '^[5-8]$' "most of them still in flight when the cancel comes"
ok "newsletter cancel mid-send" pm newsletter cancel "$id"
st=$(pm newsletter status "$id" --json)
is "$(echo "$st" | jq_ 'd["recipients"]')" 8 "right after the cancel, recipients still says 8"
wait "$sender"
sleep 1.5    # anything still handed over would arrive now
arrived=$(ls "$T/s2" | wc -l)
st=$(pm newsletter status "$id" --json)
is "$(echo "$st" | jq_ '[d[k] for k in ("status","recipients","queued")]')" "['cancelled', 8, 0]" "status after the send ends: cancelled, 8 recipients, none waiting"
is "$(echo "$st" | jq_ 'd["sent"]')" "$arrived" "status counts as sent exactly the copies the server got ($arrived)"
is "$(echo "$st" | jq_ 'd["sent"] + d["cancelled"]')" 8 "every other copy cancelled"
[ "$arrived" -le 4 ] && _report 1 "the copies claimed after the cancel never reached the server" ||
	_report 0 "the copies claimed after the cancel never reached the server" "$arrived of 8 arrived"
is "$(sql "SELECT count(*) FROM outbox WHERE claimed_by IS NOT NULL")" 0 "no claim is left behind"
# cancelled before `run` expanded it: the status still says whom it was for
id=$(pm newsletter create --list news --subject "Never sent" --body "$T/park.txt")
pm newsletter send "$id" >/dev/null
is "$(pm newsletter status "$id" --json | jq_ '[d[k] for k in ("status","recipients")]')" "['scheduled', 8]" "due now, not yet expanded: 8 recipients"
ok "cancel it before it is expanded" pm newsletter cancel "$id"
is "$(pm newsletter status "$id" --json | jq_ '[d[k] for k in ("status","recipients","sent","queued","cancelled")]')" "['cancelled', 8, 0, 0, 8]" "after the cancel: still 8 recipients, all 8 copies cancelled (not 0)"
pm run --once >/dev/null 2>&1
is "$(ls "$T/s2" | wc -l)" "$arrived" "and nothing of it is ever sent"

# ==== 3. mail for people is never silently dropped ====
rm -rf "$T/var"
setup 'organizers_mailbox = "campaign-team@example.net"'
pm list create news --title "Campaign news" >/dev/null
# notice_to_inbox - the newest outbox row, as "kind recipient"
notice_to_inbox() { sql "SELECT kind || ' ' || recipient FROM outbox WHERE id = $(last_outbox)"; }
# stored ID - the stored message of outbox row ID, CRs dropped
stored() { outbox_msg "$1" | tr -d '\r'; }
for to in team@act.test postmaster@act.test abuse@act.test owner@act.test news+owner@act.test team+press@act.test; do
	before=$(sql "SELECT count(*) FROM outbox")
	is "$(recv reader@example.org "$to" "A question for people at $to" "About $to")" 0 "mail to $to exits 0"
	is "$(sql "SELECT count(*) FROM outbox") $(notice_to_inbox)" "$((before + 1)) notice campaign-team@example.net" "mail to $to is forwarded to the organizers' mailbox"
	is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "owner forwarded" "the inbound log says forwarded"
done
fw=$(stored "$(last_outbox)")
like "$fw" '^Subject: Fwd: About team\+press@act\.test$' "the notice's subject carries the original's"
like "$fw" '^Reply-To: <?reader@example\.org>?$' "replying to the notice answers the sender"
like "$fw" '^Content-Type: message/rfc822' "the original is attached as message/rfc822"
like "$fw" '^A question for people at team\+press@act\.test$' "with its text intact"
like "$fw" '^Auto-Submitted: auto-generated' "the notice is marked auto-generated (never answered in a loop)"
# a message saved with blank lines before its header (inbound reads it: the one rule,
# mail/compose.c compose_header_start) is attached with its header too
printf '\n\r\n%s' "$(msg reader@example.org team@act.test "Saved with blank lines first." "Blank first")" |
	pm receive --sender reader@example.org --recipient team@act.test >/dev/null 2>&1
is "$?" 0 "mail to team@ with blank lines before its header exits 0"
fw=$(stored "$(last_outbox)")
like "$fw" '^Subject: Fwd: Blank first$' "it is forwarded under its own subject"
is "$(outbox_msg "$(last_outbox)" | python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(sys.stdin.buffer,policy=email.policy.default)
a=[p for p in m.walk() if p.get_content_type()=="message/rfc822"][0].get_payload(0)
print(a["subject"], a["from"])')" "Blank first Someone <reader@example.org>" "and attached with its header (it was attached as a body without one)"
# only auto-replies and loops are dropped
before=$(sql "SELECT count(*) FROM outbox")
printf 'From: reader@example.org\nTo: team@act.test\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <ooo1@example.org>\n\nBack on Monday.\n' |
	pm receive --sender reader@example.org --recipient team@act.test >/dev/null 2>&1
is "$?" 0 "a vacation reply to team@ exits 0"
is "$(sql "SELECT count(*) FROM outbox")" "$before" "a vacation reply is not forwarded"
stored "$(last_outbox)" | sed -n '1,/^$/p' | grep -v '^$' >"$T/loop.eml"
printf '\nour own notice, come back\n' >>"$T/loop.eml"
pm receive --sender campaign-team@example.net --recipient team@act.test <"$T/loop.eml" >/dev/null 2>&1
is "$?" 0 "our own notice coming back exits 0"
is "$(sql "SELECT count(*) FROM outbox")" "$before" "a loop is not forwarded"
is "$(sql "SELECT kind || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "autoreply ignored" "it is logged as an ignored auto-reply"
# ARF complaints at abuse@ and LIST+owner@ act as at the VERP address
for who in angry1 angry2 calm; do pm member add "$who@example.org" --list news >/dev/null; done
id=$(pm newsletter create --list news --subject Hello --body "$T/park.txt")
pm newsletter send "$id" --wait >/dev/null 2>&1
rp_of() { grep -l -i "^To: .*$1" "$T"/var/sent/new/* | head -1 | xargs sed -n 's/^Return-Path: <\(.*\)>\r\{0,1\}$/\1/p' | head -1; }
# arf TO RCPT RETURN-PATH - an RFC 5965 abuse report sent to TO about a message to RCPT
arf() {
	printf 'From: Feedback Loop <fbl@isp.example.net>\nTo: %s\nSubject: Abuse report\nMessage-ID: <arf.%s@isp.example.net>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary="F"\n\n--F\nContent-Type: text/plain\n\nThis is an email abuse report.\n\n--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: isp-fbl/1.0\nVersion: 1\nOriginal-Rcpt-To: <%s>\n\n--F\nContent-Type: text/rfc822-headers\n\nReturn-Path: <%s>\nFrom: Campaign Team <team@act.test>\nTo: <%s>\nSubject: Hello\n\n--F--\n' \
		"$1" "$RANDOM$RANDOM" "$2" "$3" "$2" | pm receive --sender '' --recipient "$1" >/dev/null 2>&1
	echo $?
}
sub() { sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = '$1'"; }
like "$(rp_of angry1@example.org)" '^bounce\+' "the newsletter went out with VERP return paths"
is "$(arf abuse@act.test angry1@example.org "$(rp_of angry1@example.org)")" 0 "an ARF report at abuse@ exits 0"
is "$(sub angry1@example.org)" unsubscribed "a complaint at abuse@ unsubscribes, as at the VERP address"
is "$(sql "SELECT kind || ' ' || coalesce(outbox_id, 0) FROM bounces ORDER BY id DESC LIMIT 1")" "complaint $(sql "SELECT id FROM outbox WHERE recipient = 'angry1@example.org'")" "recorded as a complaint about that outbox message"
is "$(arf news+owner@act.test angry2@example.org "$(rp_of angry2@example.org)")" 0 "an ARF report at LIST+owner@ exits 0"
is "$(sub angry2@example.org)" unsubscribed "a complaint at an owner address unsubscribes too"
before=$(sql "SELECT count(*) FROM outbox")
is "$(arf abuse@act.test calm@example.org "bounce+aaaaaaaaaaaaaaaa@act.test")" 0 "an ARF report without a valid token exits 0"
is "$(sub calm@example.org)" active "names nobody we can trust: nobody is unsubscribed"
is "$(sql "SELECT count(*) FROM outbox") $(notice_to_inbox)" "$((before + 1)) notice campaign-team@example.net" "and it goes to the organizers' mailbox for a person to read"
# check-config: the setting is shown; unset it warns; in the campaign domain it is refused
like "$(pm check-config 2>&1)" 'organizers_mailbox = "campaign-team@example\.net"' "check-config shows organizers_mailbox"
unlike "$(pm check-config 2>&1 >/dev/null)" 'organizers_mailbox' "no warning when it is set"
write_config
like "$(pm check-config 2>&1 >/dev/null)" 'warning: organizers_mailbox is not set' "check-config warns when it is unset"
before=$(sql "SELECT count(*) FROM outbox")
is "$(recv reader@example.org postmaster@act.test "Kept" "Kept")" 0 "without it, mail to postmaster@ still exits 0"
is "$(sql "SELECT count(*) FROM outbox") $(sql "SELECT result || ' ' || (raw IS NOT NULL) FROM inbound ORDER BY id DESC LIMIT 1")" "$before kept 1" "and is kept whole in the inbound log"
# ==== mail without a token changes nothing stored about a member who was there ====
# named FROM NAME TO [BODY] - receive a message from "NAME <FROM>"; prints the exit status
named() {
	n=$((n + 1))
	printf 'From: %s <%s>\nTo: %s\nSubject: hi\nMessage-ID: <nm%d.%d@client.test>\n\n%s\n' \
		"$2" "$1" "$3" "$n" "$$" "${4:-yes}" | pm receive --sender "$1" --recipient "$3" >"$T/out" 2>&1
	echo $?
}
name_of() { sql "SELECT coalesce(name, '-') FROM members WHERE email = '$1'"; }
printf 'A new bench.\n' >"$T/bench.txt"
pm petition create bench --title "A bench" --text "$T/bench.txt" >/dev/null
pm list create club --title "Club news" >/dev/null
pm member add nameless@example.org >/dev/null
is "$(named nameless@example.org 'Mallory Forged' sign+bench@act.test)" 0 "sign+bench in a nameless member's name, with a display name"
is "$(name_of nameless@example.org)" - "does not give the member that name"
conf=$(reply_to "$(last_outbox)")
is "$(named nameless@example.org 'Mallory Forged' club+subscribe@act.test)" 0 "club+subscribe in the same name"
is "$(name_of nameless@example.org)" - "nor does a subscription request"
is "$(named nameless@example.org 'Nina Real' "$conf")" 0 "the member's own reply to the confirmation"
is "$(name_of nameless@example.org)" "Nina Real" "gives the name of her own mail"
is "$(named nameless@example.org 'Someone Else' "$conf")" 0 "a later reply"
is "$(name_of nameless@example.org)" "Nina Real" "never replaces it"
is "$(named newcomer@example.org 'Mallory Forged' sign+bench@act.test)" 0 "a forged sign+bench in the name of someone new"
is "$(name_of newcomer@example.org)" - "records the new member without the forger's name"
nconf=$(reply_to "$(last_outbox)")
is "$(named newcomer@example.org 'New Comer' "$nconf")" 0 "the real person confirms by reply"
is "$(name_of newcomer@example.org)" "New Comer" "and is known by the name of their own reply"
is "$(named other@example.org 'Mallory Forged' sign+bench@act.test)" 0 "another forged sign+bench"
oconf=$(reply_to "$(last_outbox)")
printf 'From: other@example.org\nTo: %s\nSubject: Re\nMessage-ID: <nn%d@client.test>\n\nyes\n' "$oconf" "$$" |
	pm receive --sender other@example.org --recipient "$oconf" >/dev/null 2>&1
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'other@example.org'")|$(name_of other@example.org)" "confirmed|-" "confirmed by a reply without a display name: still no forged name"
# a display name with Unicode format characters (U+202E reverses what follows in To:)
is "$(named rtl@example.org 'Someone' sign+bench@act.test)" 0 "rtl@ signs bench"
rconf=$(reply_to "$(last_outbox)")
is "$(named rtl@example.org "$(printf 'Ann \xe2\x80\xaeevil\xe2\x80\x8b')" "$rconf")" 0 "and confirms with U+202E and U+200B in the display name"
is "$(name_of rtl@example.org)" "Ann evil" "the stored name has no format characters (Cf)"
# an organizer's post to a list has no token either: its From: name (forgeable: only the
# address is checked) names nobody
is "$(named org@example.net 'Mallory Forged' club@act.test 'A post.')" 0 "a post to club@ from the organizer's address, with a display name"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")|$(name_of org@example.net)" "draft|-" "makes a draft and does not name the organizer"

write_config 'organizers_mailbox = "inbox@act.test"'
pm check-config >/dev/null 2>&1; is $? 78 "an organizers_mailbox in the campaign domain is refused (78)"
done_testing
