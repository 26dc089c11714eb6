# t_petitions.sh - petition create/open/close/show/signatures/import/ls and story ls/approve/reject.
. "$(dirname "$0")/lib.sh"
setup


printf 'We ask the council to keep the park.\n' >"$T/park.txt"
out=$(pm petition create park --title "Save the park" --text "$T/park.txt" --goal 4 --closes 2099-06-30)
like "$out" '^petition [0-9]+$' "petition create prints the id"
is "$(sql "SELECT text FROM petitions WHERE slug='park'")" "We ask the council to keep the park." "text read from the file"
is "$(sql "SELECT date(closes_at, 'unixepoch', 'localtime') FROM petitions WHERE slug='park'")" "2099-06-30" "closing date is local midnight of YYYY-MM-DD"
pm petition create park --title X --text "$T/park.txt" >/dev/null 2>&1; is $? 65 "a taken slug exits 65"
pm petition create "Bad Slug" --title X --text "$T/park.txt" >/dev/null 2>&1; is $? 65 "a bad slug exits 65"
pm petition create p2 --title X --text "$T/park.txt" --closes "next week" >/dev/null 2>&1; is $? 64 "a bad date exits 64"
pm petition create p3 --title X --text "$T/nope.txt" >/dev/null 2>&1; is $? 66 "a missing text file exits 66"
pm petition create p4 --text "$T/park.txt" >/dev/null 2>&1; is $? 64 "no title exits 64"
err=$(pm petition create past --title X --text "$T/park.txt" --closes 2001-01-01 2>&1); rc=$?
is "$rc" 64 "a closing date in the past exits 64"
like "$err" "closing date 2001-01-01.* is in the past" "and says so"
# a petition past its closing date shows as closed
pm petition create ended --title "Ended" --text "$T/park.txt" >/dev/null
sql "UPDATE petitions SET status = 'open', closes_at = 1000 WHERE slug = 'ended'"
like "$(pm petition show ended --json)" '"status": *"closed"' "petition show: past its closing date is closed"
like "$(pm petition show ended)" 'closed' "petition show (text) says closed"
like "$(pm petition ls --json)" '"slug": *"ended"[^}]*"status": *"closed"' "petition ls: closed too"
sql "DELETE FROM petitions WHERE slug = 'ended'"
ok "an ISO 8601 closing date" pm petition create iso --title "ISO" --text "$T/park.txt" --closes 2099-01-02T03:04:05Z
is "$(sql "SELECT closes_at FROM petitions WHERE slug='iso'")" 4071006245 "ISO 8601 with Z is UTC"

json=$(pm petition show park --json)
is "$json" '{"slug":"park","title":"Save the park","status":"open","goal":4,"closes_at":"2099-06-30T'"$(python3 -c 'import time,datetime; print(datetime.datetime.utcfromtimestamp(time.mktime((2099,6,30,0,0,0,0,0,-1))).strftime("%H:%M:%S"))')"'Z","milestone":0,"signatures":{"confirmed":0,"pending":0,"declined":0,"withdrawn":0},"by_district":{}}' "petition show JSON, empty"
pm petition show nosuch --json >/dev/null 2>&1; is $? 67 "unknown petition exits 67"

# import signatures gathered elsewhere
err=$(pm petition import park "$DATA/csv/signatures.csv" 2>&1 >"$T/out"); rc=$?
is "$rc" 0 "petition import succeeds"
is "$(cat "$T/out")" "imported 3, updated 0, skipped 1 (bad rows)" "import summary"
like "$err" "line 5: signed_at 'yesterday' is not a date" "bad date reported with its line"
is "$(pm petition import park "$DATA/csv/signatures.csv" 2>/dev/null)" "imported 0, updated 3, skipped 1 (bad rows)" "re-import adds nothing"
is "$(sql "SELECT count(*) FROM members")" 2 "members created for signers with an address"
is "$(sql "SELECT group_concat(DISTINCT source) FROM signatures")" "import" "source import"
pm petition import nosuch "$DATA/csv/signatures.csv" >/dev/null 2>&1; is $? 67 "import into an unknown petition exits 67"

# a pending signature and one by reply
pm member add zed@example.org --district North >/dev/null
sql "INSERT INTO signatures(petition_id, member_id, status, source, created_at) SELECT p.id, m.id, 'pending', 'writing', strftime('%s','now') FROM petitions p, members m WHERE p.slug='park' AND m.email='zed@example.org'"
json=$(pm petition show park --json)
is "$(echo "$json" | jq_ 'd["signatures"]')" "{'confirmed': 3, 'pending': 1, 'declined': 0, 'withdrawn': 0}" "confirmed and pending counted"
is "$(echo "$json" | jq_ 'd["by_district"]')" "{'East': 1, 'West': 1, 'unknown': 1}" "confirmed signatures by district"

pm petition signatures park --csv >"$T/sigs.csv"
is "$(head -1 "$T/sigs.csv")" '"email","name","postcode","district","status","source","comment","signed_at"' "signatures CSV header"
is "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(len(r), r[0]["comment"], r[0]["signed_at"][:10], r[1]["name"])' "$T/sigs.csv")" \
   "4 I care, a lot 2026-11-20 Paper Person" "signatures CSV rows: comment, date, paper signer"

# paper signatures with a postcode and no district: the postcode is kept and the district
# is the postcode's (model/district's rule), at import or at a later district import
pm petition create paper --title "Paper" --text "$T/park.txt" >/dev/null
printf 'postcode_prefix,district\nN1,North\n' >"$T/districts.csv"
pm district import "$T/districts.csv" >/dev/null
printf 'name,postcode,district,comment\nPia Paper,N1 2AB,,on paper\nSam Paper,S1 1AA,,\n' >"$T/paper.csv"
is "$(pm petition import paper "$T/paper.csv" 2>&1)" "imported 2, updated 0, skipped 0 (bad rows)" "paper signatures with postcodes are imported"
is "$(sql "SELECT name || ' ' || postcode || ' ' || coalesce(district, '-') FROM signatures WHERE name LIKE '% Paper' ORDER BY name" | tr '\n' '|')" \
	"Pia Paper N1 2AB North|Sam Paper S1 1AA -|" "the postcode is kept and gives the district when a prefix matches"
like "$(pm petition signatures paper --csv)" '"Pia Paper","N1 2AB","North"' "the signatures CSV shows the paper signer's postcode and district"
printf 'postcode_prefix,district\nS1,South\n' >"$T/districts2.csv"
pm district import "$T/districts2.csv" >/dev/null
is "$(sql "SELECT district FROM signatures WHERE name = 'Sam Paper'")" South "a later district import gives paper signatures their district"
is "$(pm petition show paper --json | jq_ 'd["by_district"]')" "{'North': 1, 'South': 1}" "so they count for their districts (and their targets)"
# the same file again adds nothing, also over rows imported before postcodes were kept
sql "UPDATE signatures SET postcode = NULL, district = NULL WHERE name = 'Pia Paper'"
is "$(pm petition import paper "$T/paper.csv" 2>&1)" "imported 0, updated 2, skipped 0 (bad rows)" "re-importing the paper file adds nothing"
is "$(sql "SELECT count(*) || ' ' || group_concat(coalesce(postcode, '-'), ',') FROM signatures WHERE name = 'Pia Paper'")" "1 N1 2AB" \
   "a row imported without its postcode gets it, and is not counted twice"
sql "DELETE FROM signatures WHERE petition_id = (SELECT id FROM petitions WHERE slug = 'paper'); DELETE FROM petitions WHERE slug = 'paper'; DELETE FROM districts"

ok "petition close" pm petition close park
is "$(pm petition show park --json | jq_ 'd["status"]')" closed "closed"
ok "petition open" pm petition open park
is "$(sql "SELECT status FROM petitions WHERE slug='park'")" open "reopened"
pm petition close nosuch >/dev/null 2>&1; is $? 67 "closing an unknown petition exits 67"
out=$(pm petition ls)
like "$out" '^park +open +3 / 4' "petition ls line"
is "$(pm petition ls --json | jq_ '[p["slug"] for p in d["petitions"]]')" "['park', 'iso']" "petition ls --json"

# stories
pid=$(sql "SELECT id FROM petitions WHERE slug='park'")
mid=$(sql "SELECT id FROM members WHERE email='zed@example.org'")
sql "INSERT INTO stories(petition_id, member_id, text, created_at) VALUES ($pid, $mid, 'I walk there daily.', 0), ($pid, NULL, 'Kids play there.', 0)"
json=$(pm story ls --json)
is "$(echo "$json" | jq_ 'sorted(d["stories"][0].keys() & {"id","petition","author","status","text"})')" "['author', 'id', 'petition', 'status', 'text']" "story ls keys"
is "$(echo "$json" | jq_ 'len(d["stories"])')" 2 "two stories"
o=$(sql "SELECT coalesce(max(id), 0) FROM outbox")
ok "story approve" pm story approve 1
is "$(sql "SELECT group_concat(recipient || ' ' || kind, ', ') FROM (SELECT recipient, kind FROM outbox WHERE id > $o ORDER BY recipient)")" \
	"org@example.net notice, zed@example.org response" "approving tells the author and the organizers"
o=$(sql "SELECT max(id) FROM outbox")
ok "story reject" pm story reject 2
is "$(sql "SELECT group_concat(recipient, ', ') FROM outbox WHERE id > $o")" "org@example.net" "rejecting tells the organizers (the story has no author to tell)"
is "$(pm story ls --status approved --json | jq_ '[(s["id"], s["text"]) for s in d["stories"]]')" "[(1, 'I walk there daily.')]" "filter by status"
is "$(pm story ls --petition park --status rejected --json | jq_ '[s["id"] for s in d["stories"]]')" "[2]" "filter by petition and status"
is "$(pm story ls --petition iso --json)" '{"stories":[]}' "another petition has none"
pm story approve 99 >/dev/null 2>&1; is $? 67 "unknown story exits 67"
pm story approve abc >/dev/null 2>&1; is $? 64 "a bad id exits 64"
pm story ls --status maybe >/dev/null 2>&1; is $? 64 "a bad status exits 64"
pm story ls --petition nosuch >/dev/null 2>&1; is $? 67 "an unknown petition exits 67"
like "$(pm story ls)" '#1 \[approved\] park' "story ls text"
# milestones: goal 4 -> steps 1, 2, 3, 4, 8, ...; organizers told once per step, by `run`
printf 'email\n' >"$T/m.csv"; for i in 1 2 3 4 5 6; do echo "s$i@example.org" >>"$T/m.csv"; done
pm petition create mile --title "Milestone test" --text "$T/park.txt" --goal 4 >/dev/null
head -3 "$T/m.csv" >"$T/m2.csv"
pm petition import mile "$T/m2.csv" >/dev/null
pm run --once >/dev/null 2>&1
is "$(sql "SELECT milestone FROM petitions WHERE slug='mile'")" 2 "two signatures: the 50% step recorded"
is "$(grep -l '^Subject: Milestone: 2 signatures on Milestone test' "$T"/var/sent/new/* 2>/dev/null | wc -l)" 1 "one notice to the organizer"
like "$(grep -h '^To: ' "$T"/var/sent/new/*)" 'org@example.net' "sent to the configured organizer"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE kind='notice' AND ref_id=(SELECT id FROM petitions WHERE slug='mile')")" 1 "not told twice"
pm petition import mile "$T/m.csv" >/dev/null
pm run --once >/dev/null 2>&1
is "$(sql "SELECT milestone FROM petitions WHERE slug='mile'")" 4 "six signatures: the goal (4) is the highest step crossed"
is "$(grep -l '^Subject: Milestone: 6 signatures' "$T"/var/sent/new/* 2>/dev/null | wc -l)" 1 "one notice for the jump"
done_testing
