# t_fraud.sh - against fraud, without losing anyone (docs/petitions.md, "Against fraud"):
# signing limits hold signatures as suspect (mail to sign+SLUG and the web form alike),
# suspects are listed, cleared or rejected; one trending notice (the scheduler's); invalidation by
# condition previews its count, leaves exactly those out of counts, exports and the CSV a
# target receives, and undoes; every step is in `petition history`.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
port=$(free_port)
U="http://127.0.0.1:$port"
setup "base_url = \"$U\"" 'limits { max_responses_per_day = 20 }' \
	'fraud { per_address = 3 per_domain = 4 per_petition = 100 trend_min = 5 trend_share = 0.5 }'
D=$DATA/deliveries
py() { python3 "$D/$1" "${@:2}"; }

n=0
# send FROM TO [BODY] - a plain message from FROM to TO through `peermail receive`; exit status
send() {
	n=$((n + 1))
	printf 'From: Signer <%s>\nTo: %s\nSubject: Sign\nMessage-ID: <f%d.%d@client.test>\nDate: Wed, 25 Nov 2026 09:00:00 +0000\n\n%s\n' \
		"$1" "$2" "$n" "$$" "${3:-Count me in.}" |
		pm receive --sender "$1" --recipient "$2" >"$T/out" 2>&1
	echo $?
}
# confirm_of ADDR - the Reply-To (confirm+TOKEN) of the last confirmation request to ADDR
confirm_of() {
	id=$(sql "SELECT max(id) FROM outbox WHERE recipient = '$1' AND kind = 'response'")
	sql "SELECT CAST(message AS TEXT) FROM outbox_message WHERE outbox_id = $id" | tr -d '\r' |
		sed -n 's/^Reply-To: *<\{0,1\}\(confirm+[^>]*\)>\{0,1\}$/\1/Ip' | head -1
}
# sign_and_confirm ADDR SLUG - write to sign+SLUG, then reply to the confirmation
sign_and_confirm() {
	send "$1" "sign+$2@act.test" >/dev/null
	c=$(confirm_of "$1"); send "$1" "$c" "Yes" >/dev/null
}
status_of() { sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id JOIN petitions p ON p.id = s.petition_id WHERE m.email = '$1' AND p.slug = '${2:-park}'"; }
confirmed() { pm petition show "${1:-park}" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signatures"]["confirmed"])'; }

printf 'postcode_prefix,district\nN1,North\nS1,South\n' >"$T/d.csv"
pm district import "$T/d.csv" >/dev/null
printf 'Keep the park.\n' >"$T/park.txt"
for s in park pond lake hill; do pm petition create $s --title "Save the $s" --text "$T/park.txt" >/dev/null; done
pm target add "The Mayor" --email mayor@council.test --petition park >/dev/null
pm delivery config park --disclose email,name >/dev/null
# deliver_now DIR - compile park's delivery, send it, and extract what the mayor got into DIR
deliver_now() {
	pm deliver park --now >/dev/null && pm run --once >/dev/null 2>&1
	mkdir -p "$T/mail-$1"; mv "$T"/var/sent/new/* "$T/mail-$1/"
	py extract.py "$T/mail-$1" "$T/$1"
	py column.py "$T/$1/mayor@council.test.csv" email | sort
}
for i in 1 2 3; do pm member add "good$i@good.test" --postcode "N1 ${i}AA" >/dev/null; done
pm member add "good4@good.test" --postcode "S1 4AA" >/dev/null

# ==== signing limits: per domain on a petition ====
for i in 1 2 3 4 5 6; do
	is "$(send "b$i@bulk.test" sign+park@act.test)" 0 "bulk signer $i writes to sign+park: exit 0"
done
is "$(sql "SELECT group_concat(s.status, ',') FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email LIKE 'b%@bulk.test' ORDER BY s.id")" \
   "pending,pending,pending,pending,suspect,suspect" "over the domain limit (4) a signature is recorded as suspect, never dropped"
is "$(sql "SELECT count(DISTINCT recipient) FROM outbox WHERE kind = 'response' AND recipient LIKE 'b%@bulk.test'")" 6 \
   "every signer, suspect or not, gets the same confirmation request"
is "$(sql "SELECT result FROM inbound WHERE recipient = 'sign+park@act.test' ORDER BY id DESC LIMIT 1")" held \
   "the inbound log says the signature was held"
for i in 1 2 3 4 5 6; do c=$(confirm_of "b$i@bulk.test"); send "b$i@bulk.test" "$c" "Yes" >/dev/null; done
is "$(status_of b6@bulk.test)" suspect "a suspect signer's confirmation keeps it suspect"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b6@bulk.test' AND s.confirmed_at IS NOT NULL")" 1 \
   "and records that its signer confirmed"
is "$(confirmed)" 4 "suspect signatures are not counted"
out=$(pm petition suspects park)
like "$out" 'b5@bulk\.test +writing .* confirmed' "petition suspects lists them (b5)"
like "$out" 'b6@bulk\.test' "petition suspects lists them (b6)"
is "$(pm petition suspects park --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["suspects"]))')" 2 "suspects --json"

# ==== the trending alert: one notice, not one per signature ====
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice'")" 0 "receiving costs no measure: the scheduler sends the alert"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice' AND recipient = 'org@example.net' AND ref_id = (SELECT id FROM petitions WHERE slug = 'park')")" 1 \
   "six signatures from one domain within the hour: one notice to the organizer"
msg=$(sql "SELECT CAST(m.message AS TEXT) FROM outbox o JOIN outbox_message m ON m.outbox_id = o.id WHERE o.kind = 'notice' AND o.recipient = 'org@example.net'" | tr -d '\r')
like "$msg" 'Subject: Unusual signatures on Save the park: 100% from one domain' "the notice names the share"
like "$msg" 'bulk\.test' "and the domain"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'trending' AND actor = 'peermail'")" 1 "the alert is recorded as an event"
send "b7@bulk.test" sign+park@act.test >/dev/null
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice' AND recipient = 'org@example.net'")" 1 "a seventh signature sends no second notice within the window"

# ==== signing limits: per address across petitions ====
for s in park pond lake hill; do send alice@home.test "sign+$s@act.test" >/dev/null; done
is "$(status_of alice@home.test hill)" suspect "an address's 4th signature by writing within the window is suspect (limit 3)"
is "$(status_of alice@home.test lake)" pending "its 3rd is not"

# ==== the web form goes through the same limit ====
start_web web "$port" --timeout 3
for i in 1 2 3 4; do send "w$i@webby.test" sign+pond@act.test >/dev/null; done
code=$(curl -s -o "$T/form.html" -w '%{http_code}' -H 'X-Real-IP: 10.1.1.1' --data-urlencode 'name=Web Five' \
	--data-urlencode 'email=w5@webby.test' "$U/p/pond/sign")
is "$code" 200 "the web form answers as usual over the limit"
like "$(cat "$T/form.html")" 'Check your mail' "and tells the signer nothing false"
is "$(sql "SELECT s.status || ' ' || s.source FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'w5@webby.test'")" "suspect web" \
   "a web signature over the domain limit (4 by mail before it) is suspect: one rule for both"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 10.1.1.2' --data-urlencode 'name=Web Six' \
	--data-urlencode 'email=ok@fine.test' "$U/p/pond/sign")
is "$(sql "SELECT s.status || ' ' || s.source FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ok@fine.test'")" "pending web" \
   "a web signature within the limits is pending, source web"
# mail from outside that claims the web form's header is mail, not web
printf 'From: Forger <forger@else.test>\nTo: sign+pond@act.test\nSubject: Sign\nMessage-ID: <forged.%d@client.test>\nX-Peermail-Source: web\n\nCount me in.\n' "$$" |
	pm receive --sender forger@else.test --recipient sign+pond@act.test >/dev/null 2>&1
is "$(sql "SELECT s.source FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'forger@else.test'")" "writing" \
   "a mail claiming X-Peermail-Source: web is recorded as writing (the web mark is an HMAC)"

# ==== a delivery carries neither suspects nor, later, invalid ones ====
for i in 1 2 3 4; do sign_and_confirm "good$i@good.test" park; done
is "$(confirmed)" 8 "four bulk and four good signers counted"
is "$(deliver_now d1 | tr '\n' ' ')" "b1@bulk.test b2@bulk.test b3@bulk.test b4@bulk.test good1@good.test good2@good.test good3@good.test good4@good.test " \
   "the first delivery carries the 8 counted signatures, no suspect"

# ==== invalidation by condition ====
is "$(pm petition invalidate park --domain bulk.test --dry-run)" "would invalidate 7 signatures" \
   "--dry-run previews the count (4 counted, 3 suspect)"
is "$(sql "SELECT count(*) FROM signatures WHERE status = 'invalid'")" 0 "and changes nothing"
is "$(pm petition invalidate park --postcode n1 --dry-run)" "would invalidate 3 signatures" "--postcode matches a prefix, any case"
is "$(pm petition invalidate park --source web --dry-run)" "would invalidate 0 signatures" "--source web: none on park"
is "$(pm petition invalidate pond --source web --dry-run)" "would invalidate 2 signatures" "--source web: two on pond"
is "$(pm petition invalidate park --since 2099-01-01 --dry-run)" "would invalidate 0 signatures" "--since in the future: none"
pm petition invalidate park --source fax >/dev/null 2>&1; is $? 64 "an unknown --source exits 64"
pm petition invalidate park >/dev/null 2>&1; is $? 64 "no condition at all exits 64 (never everything by a slip)"
pm petition invalidate nosuch --domain x.test >/dev/null 2>&1; is $? 67 "an unknown petition exits 67"
# one more signer after the first delivery
sign_and_confirm "g5@other.test" park
before=$(sql "SELECT group_concat(s.id || s.status) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email LIKE '%@bulk.test'")
out=$(pm petition invalidate park --domain bulk.test --reason "made-up addresses")
like "$out" '^invalidation 1: 7 signatures invalid$' "invalidation prints its id and count"
is "$(sql "SELECT count(*) FROM signatures WHERE status = 'invalid'")" 7 "exactly those are invalid, kept"
is "$(sql "SELECT actor || '|' || reason || '|' || conditions FROM invalidations WHERE id = 1")" "cli:$(id -un)|made-up addresses|domain=bulk.test" \
   "the operator, reason and conditions are recorded"
is "$(confirmed)" 5 "they leave the count"
unlike "$(pm petition signatures park)" 'bulk\.test' "and the export"
like "$(pm petition show park --json)" '"by_district":\{"North":3,"South":1,"unknown":1\}' "counts by district follow"
page=$(curl -s "$U/p/park.json")
like "$page" '"signatures":5' "the page's count follows"
is "$(deliver_now d2)" "g5@other.test" "the delivery after invalidation carries only the new signer, no invalidated one"

# ==== undo restores exactly those ====
out=$(pm petition invalidate park --undo 1)
is "$out" "invalidation 1 undone: 7 signatures restored" "--undo restores them"
is "$(sql "SELECT group_concat(s.id || s.status) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email LIKE '%@bulk.test'")" "$before" \
   "each with the status it had"
is "$(confirmed)" 9 "counted again"
pm petition invalidate park --undo 1 >/dev/null 2>&1; is $? 65 "undoing twice exits 65"
pm petition invalidate park --undo 99 >/dev/null 2>&1; is $? 67 "an unknown invalidation exits 67"
pm petition invalidate pond --undo 1 >/dev/null 2>&1; is $? 67 "another petition's invalidation exits 67"

# ==== clearing suspects: counted, and delivered next time ====
pm petition clear park >/dev/null 2>&1; is $? 64 "clear needs --all or addresses"
pm petition clear park nobody@x.test >/dev/null 2>&1; is $? 67 "an address without a suspect signature exits 67"
is "$(pm petition clear park b5@bulk.test)" "cleared 1: 1 counted, 0 awaiting confirmation" "clearing one address"
is "$(status_of b5@bulk.test)" confirmed "its signer had confirmed: it counts"
is "$(pm petition clear park --all)" "cleared 2: 1 counted, 1 awaiting confirmation" "clear --all"
is "$(confirmed)" 11 "counted after clearing"
is "$(status_of b7@bulk.test)" pending "one its signer never confirmed is pending: it counts once they confirm"
is "$(deliver_now d3 | tr '\n' ' ')" "b5@bulk.test b6@bulk.test " "the next delivery carries the cleared signatures"
c=$(confirm_of b7@bulk.test); send b7@bulk.test "$c" "Yes" >/dev/null
is "$(status_of b7@bulk.test)" confirmed "the last signer confirms: counted"
is "$(deliver_now d4)" "b7@bulk.test" "and delivered next"

# ==== rejecting a suspect ====
is "$(status_of alice@home.test hill)" suspect "alice's hill signature is suspect"
out=$(pm petition clear hill alice@home.test --reject)
like "$out" '^invalidation 2: 1 suspect signatures rejected$' "clear --reject invalidates it"
is "$(status_of alice@home.test hill)" invalid "kept as invalid"
ok "and can be undone" pm petition invalidate hill --undo 2
is "$(status_of alice@home.test hill)" suspect "back to suspect"

# ==== history ====
h=$(pm petition history park)
like "$h" 'trending +peermail +domain bulk\.test' "history: the trending alert, by peermail"
like "$h" "invalidate +cli:$(id -un) +invalidation 1: 7 signatures \\(domain=bulk\\.test\\): made-up addresses" "history: the invalidation, who and why"
like "$h" 'undo .*invalidation 1 undone' "history: the undo"
like "$h" 'clear .*1 suspect signatures cleared' "history: the clearing"
is "$(pm petition history park --json | python3 -c 'import json,sys; print(",".join(e["kind"] for e in json.load(sys.stdin)["events"]))')" \
   "trending,invalidate,undo,clear,clear" "history --json, oldest first"
like "$(pm petition history hill)" 'reject .*rejected' "the rejection is in its petition's history"

# ==== settings are checked ====
write_config 'fraud { trend_share = 1.5 }'
pm check-config >/dev/null 2>&1; is $? 78 "a trend_share above 1 is a configuration error"

done_testing
