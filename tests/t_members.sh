# t_members.sh - member add/import/export/show/forget and list create/show/ls, end to end.
. "$(dirname "$0")/lib.sh"
setup


ok "list create" pm list create news --title "Campaign news"
pm list create news >/dev/null 2>&1; is $? 65 "a taken list name exits 65"
pm list create help >/dev/null 2>&1; is $? 65 "a reserved list name exits 65"
pm list create x --mode chat >/dev/null 2>&1; is $? 64 "a bad mode exits 64"
ok "a second list" pm list create talk --mode announce

out=$(pm member add Ann.Lee@Example.ORG --name "Ann Lee" --postcode "ab1 2cd" --district North --list news --list talk)
like "$out" '^added member [0-9]+$' "member add prints the new id"
out=$(pm member add ann.lee@example.org --name "Ann B. Lee")
like "$out" '^updated member' "adding the same address again updates"
pm member add bob@example.org --list nosuch >/dev/null 2>&1; is $? 67 "unknown list exits 67"
is "$(sql "SELECT count(*) FROM members WHERE email='bob@example.org'")" 0 "a failed add changes nothing"
pm member add "not an address" >/dev/null 2>&1; is $? 65 "a bad address exits 65"

json=$(pm member show ann.lee@example.org --json)
is "$(echo "$json" | jq_ 'sorted(k for k in ["email","name","status","lists","signatures"] if k in d) == ["email","lists","name","signatures","status"]')" True "member show has the documented keys"
is "$(echo "$json" | jq_ 'd["name"]')" "Ann B. Lee" "name updated"
is "$(echo "$json" | jq_ 'd["postcode"]+"|"+d["district"]')" "ab1 2cd|North" "postcode and district stored"
is "$(echo "$json" | jq_ '",".join(l["name"]+":"+l["status"] for l in d["lists"])')" "news:active,talk:active" "subscribed to both lists, active"
pm member show nobody@example.org --json >/dev/null 2>&1; is $? 67 "unknown member exits 67"
# "since" is when the subscription entered its status, not when it was created
sql "UPDATE subscriptions SET status = 'pending', created_at = 1000000000, updated_at = 1000000000, status_changed = 1000000000
     WHERE list_id = (SELECT id FROM lists WHERE name = 'talk')"
pm member add ann.lee@example.org --list talk >/dev/null
is "$(pm member show ann.lee@example.org --json | jq_ '[l["status"] + " " + l["since"][:4] for l in d["lists"] if l["name"] == "talk"][0]')" \
	"active $(date -u +%Y)" "member show: since is when the subscription became active (not its creation in 2001)"
# without --json, text for people (like petition show)
txt=$(pm member show ann.lee@example.org)
like "$txt" '^email: Ann\.Lee@Example\.ORG$' "member show without --json prints text (the address as given)"
like "$txt" '^  - name: news$' "its lists as an indented list"
unlike "$txt" '^[[{]' "not JSON"

# import: bad rows reported with their line numbers, the rest imported
err=$(pm member import "$DATA/csv/members.csv" --list news 2>&1 >"$T/out"); rc=$?
is "$rc" 0 "import with bad rows still succeeds"
is "$(cat "$T/out")" "imported 5, updated 0, skipped 2 (bad rows)" "import summary line"
like "$err" 'line 6: not a valid address' "bad address reported with its line"
like "$err" 'line 8: invalid UTF-8' "bad UTF-8 reported with its line"
out=$(pm member import "$DATA/csv/members.csv" --list news 2>/dev/null)
is "$out" "imported 0, updated 5, skipped 2 (bad rows)" "re-import updates, never duplicates"
is "$(sql 'SELECT count(*) FROM members')" 6 "six members in all"
pm member import "$T/missing.csv" >/dev/null 2>&1; is $? 66 "missing file exits 66"
pm member import "$DATA/csv/noemail.csv" >/dev/null 2>&1; is $? 65 "header without email exits 65"

# export: proper quoting, parsable back
pm member export --list news >"$T/export.csv"
is "$(pm member export | head -1)" '"email","name","postcode","district","status"' "member export without --list has no always-empty subscription column"
is "$(head -1 "$T/export.csv")" '"email","name","postcode","district","status","subscription"' "export header"
like "$(cat "$T/export.csv")" '"bob@example.org","Bob ""The Builder"""' "export doubles quotes"
rows=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(len(r), [x["name"] for x in r if x["email"]=="carl@example.org"][0].replace("\r\n","|").replace("\n","|"))' "$T/export.csv")
is "$rows" "6 Carl  Second line" "export parses back: six rows; a quoted newline in a name folded to spaces"

json=$(pm list show news --json)
is "$json" '{"name":"news","title":"Campaign news","mode":"announce","members":{"active":6,"pending":0,"unsubscribed":0,"bouncing":0}}' "list show JSON"
sql "UPDATE subscriptions SET status='unsubscribed' WHERE member_id=(SELECT id FROM members WHERE email='bob@example.org')"
sql "UPDATE members SET status='bouncing' WHERE email='fred@example.org'"
sql "INSERT INTO subscriptions(list_id, member_id, status, created_at, updated_at) SELECT l.id, m.id, 'pending', 0, 0 FROM lists l, members m WHERE l.name='talk' AND m.email='dora@example.org'"
is "$(pm list show news --json | jq_ '[d["members"][k] for k in ("active","pending","unsubscribed","bouncing")]')" "[4, 0, 1, 1]" "list show counts by state"
out=$(pm member add bob@example.org --list news 2>&1)
like "$out" 'unsubscribed on news: left so' "an unsubscribed member is not resubscribed by an add"
is "$(pm list show talk --json | jq_ 'd["members"]["pending"]')" 1 "pending counted"
out=$(pm list ls)
like "$out" '^news ' "list ls names news"
is "$(pm list ls --json | jq_ 'len(d["lists"])')" 2 "list ls --json"
pm list show nosuch --json >/dev/null 2>&1; is $? 67 "unknown list show exits 67"

# forget: personal data erased, anonymous counts kept, no further mail
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('park', 'Park', 0)"
mid=$(sql "SELECT id FROM members WHERE email='ann.lee@example.org'")
sql "INSERT INTO signatures(petition_id, member_id, status, comment, created_at) VALUES (1, $mid, 'confirmed', 'my secret comment', 0)"
sql "INSERT INTO stories(petition_id, member_id, status, text, created_at) VALUES (1, $mid, 'approved', 'my story text', 0)"
# a delivery letter quoting Ann went out (its stored copy holds her name and comment)
pm target add "The Mayor" --email mayor@city.test --petition park >/dev/null
pm deliver park --now >/dev/null 2>&1
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox o JOIN outbox_message m ON m.outbox_id = o.id WHERE o.kind = 'delivery' AND o.status = 'sent'")" 1 "the sent delivery letter is stored"
sql "INSERT INTO outbox(kind, ref_id, member_id, recipient, status, created_at, updated_at) VALUES ('newsletter', 99, $mid, 'ann.lee@example.org', 'queued', 0, 0)"
sql "INSERT INTO outbox(kind, member_id, recipient, status, created_at, updated_at, sent_at) VALUES ('response', $mid, 'ann.lee@example.org', 'sent', 0, 0, 0)"
# still queued for her: a letter claimed by a running sender (its body names her), and an
# answer queued to another spelling of her address before she was a member (no member_id)
sql "INSERT INTO outbox(id, kind, member_id, recipient, status, claimed_by, created_at, updated_at) VALUES (8001, 'response', $mid, 'Ann.Lee@Example.ORG', 'sending', 'boot:1:1', 0, 0);
     INSERT INTO outbox_message(outbox_id, message) VALUES (8001, CAST('To: Ann B. Lee <Ann.Lee@Example.ORG>' || char(13,10) || char(13,10) || 'Thank you for my secret comment' AS BLOB));
     INSERT INTO outbox(id, kind, recipient, status, created_at, updated_at) VALUES (8002, 'response', 'ANN.LEE@example.org', 'queued', 0, 0);
     INSERT INTO outbox_message(outbox_id, message) VALUES (8002, CAST('To: Ann B <ANN.LEE@example.org>' || char(13,10) || char(13,10) || 'Hello Ann B' AS BLOB))"
ok "member forget" pm member forget ann.lee@example.org
is "$(sql "SELECT coalesce(email,'-')||coalesce(name,'-')||coalesce(postcode,'-')||status FROM members WHERE id=$mid")" "---forgotten" "address, name and postcode erased; status forgotten"
is "$(sql "SELECT count(*)||coalesce(max(comment),'-') FROM signatures WHERE member_id=$mid")" "1-" "signature kept (counted), comment erased"
is "$(sql "SELECT text||status FROM stories WHERE member_id=$mid")" "rejected" "story text erased and withdrawn"
is "$(sql "SELECT group_concat(status) FROM outbox WHERE member_id=$mid ORDER BY id")" "cancelled,sent,cancelled" "queued mail cancelled, the claimed letter too (its sender looks again before sending)"
is "$(sql "SELECT status || ' ' || recipient FROM outbox WHERE id = 8002")" "cancelled forgotten" "a letter queued to another spelling of her address is cancelled and loses it"
is "$(sql "SELECT count(*) FROM outbox_message WHERE outbox_id IN (8001, 8002)")" 0 "the stored bodies of her queued letters are gone"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient LIKE '%ann%'")" 0 "address gone from the outbox"
is "$(sql "SELECT group_concat(DISTINCT status) FROM subscriptions WHERE member_id=$mid")" "unsubscribed" "every subscription ended"
pm member show ann.lee@example.org >/dev/null 2>&1; is $? 67 "a forgotten member cannot be looked up"
unlike "$(pm member export)" 'ann.lee|Ann B' "a forgotten member is not exported"
is "$(pm list show news --json | jq_ 'd["members"]["active"]')" 3 "list counts no longer include them"
is "$(sql "SELECT count(*) FROM outbox o JOIN outbox_message m ON m.outbox_id = o.id WHERE o.kind = 'delivery'")" 0 "no stored delivery letter that quoted them is kept"
# ... and no byte of the database file (or its WAL) still holds the address, name or comment
for f in "$T/var/peermail.db" "$T/var/peermail.db-wal"; do
	[ -e "$f" ] || continue
	is "$(LC_ALL=C grep -a -c -i -e 'ann\.lee@example' -e 'Ann B' -e 'my secret comment' -e 'my story text' "$f")" 0 "after forget, $(basename "$f") holds no trace of the person"
done
# ... and organizers cannot bring them back: the address is kept only as an HMAC
is "$(sql "SELECT count(*) FROM suppressions WHERE digest LIKE '%ann%'")" 0 "the suppression does not hold the address"
pm member add Ann.Lee@Example.org --name "Ann again" >"$T/out" 2>&1; is $? 65 "member add of a forgotten address exits 65"
like "$(cat "$T/out")" 'asked to be forgotten' "and says why"
printf 'email,name\nann.lee@example.org,Ann\nnew.one@example.org,New\n' >"$T/again.csv"
pm member import "$T/again.csv" >"$T/out" 2>"$T/err"; is $? 0 "an import with a forgotten address succeeds"
is "$(cat "$T/out")" "imported 1, updated 0, skipped 1 (bad rows)" "without them"
like "$(cat "$T/err")" 'line 2: ann.lee@example.org asked to be forgotten' "the skipped row is named"
is "$(sql "SELECT count(*) FROM members WHERE email = 'ann.lee@example.org'")" 0 "no member re-created"
# bodies of sent messages are kept only for the bounce window (bounces.window_days)
now=$(date +%s)
sql "INSERT INTO outbox(id, kind, recipient, status, created_at, updated_at, sent_at) VALUES (9001, 'response', 'old@example.org', 'sent', 0, $((now - 8 * 86400)), 0);
     INSERT INTO outbox_message(outbox_id, message) VALUES (9001, 'old body');
     INSERT INTO outbox(id, kind, recipient, status, created_at, updated_at, sent_at) VALUES (9002, 'response', 'new@example.org', 'sent', 0, $((now - 3600)), 0);
     INSERT INTO outbox_message(outbox_id, message) VALUES (9002, 'new body')"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT group_concat(outbox_id) FROM outbox_message WHERE outbox_id IN (9001, 9002)")" 9002 "run purges the body of a message sent before the bounce window, keeps a recent one"
done_testing
