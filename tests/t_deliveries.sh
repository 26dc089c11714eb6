# t_deliveries.sh - deliveries end to end with the maildir transport: targets, district
# import, `deliver`, `run`, the CSV each target receives (parsed from the captured mail and
# compared with SQL), repeated deliveries, privacy settings, schedules and failure alerts.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
D=$DATA/deliveries
setup
py() { python3 "$D/$1" "${@:2}"; }
# letters_sent - captured messages to targets (organizers also get milestone notices)
letters_sent() { grep -La '^Delivered-To: org@example.net' "$T"/var/sent/new/* 2>/dev/null | wc -l; }

# a petition and 3000 members with postcodes but no district yet; every 7th has a postcode
# outside the table, every 11th signature is pending, some comments are hostile
now=$(date +%s)
sql "INSERT INTO petitions(slug, title, text, goal, created_at) VALUES
     ('clean-air', 'Clean air', 'Close the roads around schools.', 4000, $now);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
     INSERT INTO members(email, name, postcode, created_at, updated_at)
     SELECT printf('m%05d@x.test', i), printf('Member %05d', i),
            CASE WHEN i % 7 = 0 THEN 'ZZ9 9ZZ' ELSE
            printf('%s %dAB', substr('N1S1E1W1C1', (i % 5) * 2 + 1, 2), i % 10) END,
            $now, $now FROM n;
     INSERT INTO signatures(petition_id, member_id, status, comment, created_at, confirmed_at)
     SELECT 1, id, CASE WHEN id % 11 = 0 THEN 'pending' ELSE 'confirmed' END,
            CASE WHEN id % 50 = 0 THEN '=HYPERLINK(\"http://evil\")'
                 WHEN id % 3 = 0 THEN printf('Comment, \"%d\"', id) END, $now, $now
     FROM members ORDER BY id;"

out=$(pm district import "$D/districts.csv"); rc=$?
is "$rc" 0 "district import succeeds"
like "$out" '^6 prefixes imported, 2572 members' "district import fills members' districts"
is "$(sql "SELECT count(*) FROM members WHERE district = 'North'")" \
   "$(sql "SELECT count(*) FROM members WHERE postcode LIKE 'N1 %' AND id % 7 != 0 AND postcode NOT LIKE 'N1 9%'")" \
   "North is N1 minus the longer N1 9 prefix"
like "$(pm district ls)" 'N19	Central' "district ls shows the longest prefix"
pm district import "$D/districts-bad.csv" >/dev/null 2>&1; is $? 65 "a malformed district file exits 65"
pm district import "$T/none.csv" >/dev/null 2>&1; is $? 66 "a missing district file exits 66"

for d in North South East West Central; do
	lower=$(echo "$d" | tr A-Z a-z)
	ok "target add $d" pm target add "MP for $d" --email "mp-$lower@parl.test" --district "$d" \
		--title MP --petition clean-air
done
ok "target add without district" pm target add "The Minister" --email minister@gov.test --petition clean-air
# a multi-paragraph story for the letters
sql "INSERT INTO stories(petition_id, member_id, status, text, created_at)
     VALUES (1, 5, 'approved', 'My son has asthma.
The school run is the worst part.

Please close the road.', $now)"
pm target add Nobody --email nobody@parl.test --petition no-such >/dev/null 2>&1
is $? 67 "an unknown petition exits 67"
is "$(sql "SELECT count(*) FROM targets WHERE email = 'nobody@parl.test'")" 0 "and adds nothing"
pm target add Bad --email 'not an address' >/dev/null 2>&1; is $? 65 "a bad target address exits 65"
is "$(pm target ls --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["targets"]))')" 6 \
   "target ls --json lists six targets"

# first delivery: --now queues at once, run sends through the maildir
out=$(pm deliver clean-air --now); rc=$?
is "$rc" 0 "deliver --now succeeds"
like "$out" '^6 deliveries of clean-air queued' "six deliveries queued"
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'delivery' AND status = 'queued'")" 6 \
   "six outbox rows of kind delivery"
ok "run --once sends them" pm run --once
is "$(letters_sent)" 6 "six messages to targets in the maildir"
py extract.py "$T/var/sent/new" "$T/d1"
upto=$(sql "SELECT max(id) FROM signatures")
for d in North South East West Central; do
	lower=$(echo "$d" | tr A-Z a-z)
	want=$(sql "SELECT m.name FROM signatures s JOIN members m ON m.id = s.member_id
		    WHERE s.status = 'confirmed' AND m.district = '$d'" | sort)
	got=$(py column.py "$T/d1/mp-$lower@parl.test.csv" name | sort)
	[ -n "$want" ] && [ "$got" = "$want" ]; is $? 0 "$d's MP gets exactly the district's confirmed signers"
done
want=$(sql "SELECT m.name FROM signatures s JOIN members m ON m.id = s.member_id WHERE s.status = 'confirmed'" | sort)
got=$(py column.py "$T/d1/minister@gov.test.csv" name | sort)
is "$got" "$want" "the target without a district gets every confirmed signer"
is "$(py column.py "$T/d1/minister@gov.test.csv" '#header')" "name,district,comment,signed_at" \
   "default columns: name, district, comment, date"
unlike "$(cat "$T"/d1/*.csv)" '@x\.test' "no signer's address in any CSV by default"
like "$(py column.py "$T/d1/minister@gov.test.csv" comment)" "^'=HYPERLINK" "formula comments are defused"
like "$(py column.py "$T/d1/minister@gov.test.csv" comment)" '^Comment, "3"$' "quotes and commas survive"
hdr_file=$T/d1/mp-north@parl.test.hdr
hdr=$(cat "$hdr_file")
like "$hdr" '^From: Campaign Team <team@act\.test>' "From is the campaign"
like "$hdr" 'Reply-To: reply\+[a-z2-7]+@act\.test' "Reply-To is reply+TOKEN"
like "$hdr" 'Type: text/csv' "a small CSV is attached as text/csv"
like "$hdr" 'of them in your district, North' "the cover letter names the district"
like "$hdr" '^Dear MP for North,$' "a name that starts with its title is not given it twice"
like "$(tr '\n' '|' <"$hdr_file")" '  "My son has asthma\.\|   The school run is the worst part\.\|\|   Please close the road\."\|      - Member\|' \
	"a multi-paragraph story keeps its paragraphs and attribution in the letter"
unlike "$hdr" 'Since our last letter' "the first letter does not say 'since'"
n_north=$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE s.status = 'confirmed' AND m.district = 'North'")
like "$hdr" "$n_north of them in your district" "the cover letter counts the district's signers"
is "$(sql "SELECT count(*) FROM deliveries WHERE status = 'queued'")" 6 "deliveries stay queued until run syncs"
pm run --once >/dev/null
is "$(sql "SELECT count(*) FROM deliveries WHERE status = 'sent'")" 6 "the next run marks them sent"

# the North MP replies to the letter: recorded and forwarded to the organizers
reply_to=$(sed -n 's/^Reply-To: //p' "$T/d1/mp-north@parl.test.hdr")
printf 'From: MP for North <mp-north@parl.test>\r\nTo: %s\r\nSubject: Re: Petition: Clean air\r\nMessage-ID: <r1@parl.test>\r\nDate: Thu, 26 Nov 2026 06:00:00 +0000\r\n\r\nThank you, I will raise it in the chamber.\r\n' \
	"$reply_to" >"$T/reply.eml"
pm receive --sender mp-north@parl.test --recipient "$reply_to" <"$T/reply.eml" >/dev/null 2>&1
is $? 0 "receive takes the target's reply to reply+TOKEN"
js=$(pm delivery ls --json)
like "$js" '"replies":\[\{"sender":"mp-north@parl.test","subject":"Re: Petition: Clean air","text":"Thank you, I will raise it in the chamber\.' \
     "delivery ls --json shows the reply"
pm run --once >/dev/null 2>&1
like "$(grep -la '^Subject: Reply from MP for North' "$T"/var/sent/new/* | xargs grep -ha '^Delivered-To:')" 'org@example.net' \
     "the reply is forwarded to the organizers"
bad=$(echo "$reply_to" | sed 's/reply+\(.\)/reply+x\1/')
pm receive --sender x@parl.test --recipient "$bad" <"$T/reply.eml" >/dev/null 2>&1
is $? 67 "a forged reply token exits 67"

# nothing new: nothing sent
out=$(pm deliver clean-air --now)
like "$out" '^0 deliveries .*nothing new' "a delivery with nothing new queues nothing"
pm run --once >/dev/null
is "$(letters_sent)" 6 "and sends nothing"

# new signers and two late confirmations; `deliver` without --now leaves it to run
sql "WITH RECURSIVE n(i) AS (SELECT 3001 UNION ALL SELECT i + 1 FROM n WHERE i < 3250)
     INSERT INTO members(email, name, postcode, district, created_at, updated_at)
     SELECT printf('m%05d@x.test', i), printf('Member %05d', i), 'N1 1AA', 'North', $now, $now FROM n;
     INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at)
     SELECT 1, id, 'confirmed', $now, $now FROM members WHERE id > 3000;
     UPDATE signatures SET status = 'confirmed' WHERE id IN (11, 22);"
out=$(pm deliver clean-air); rc=$?
is "$rc" 0 "deliver without --now succeeds"
like "$out" 'requested' "and is left to the next run"
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'delivery'")" 6 "nothing queued yet"
pm run --once >/dev/null
rm -rf "$T/d2"; mkdir -p "$T/new2"
find "$T/var/sent/new" -type f -newer "$T/d1/minister@gov.test.csv" -exec cp {} "$T/new2/" \;
py extract.py "$T/new2" "$T/d2"
is "$(ls "$T/d2"/*.csv | wc -l)" 4 "the run compiled and sent one message per target with new signers"
is "$(ls "$T/d2" | grep -c 'west\|central')" 0 "West and Central have nobody new and get nothing"
want=$(sql "SELECT m.name FROM signatures s JOIN members m ON m.id = s.member_id WHERE s.id > $upto OR s.id IN (11, 22)" | sort)
got=$(py column.py "$T/d2/minister@gov.test.csv" name | sort)
is "$got" "$want" "the second delivery carries only the new and the late-confirmed signatures"
is "$(py column.py "$T/d2/mp-north@parl.test.csv" name | wc -l)" 250 "250 more in North"
like "$(cat "$T/d2/mp-north@parl.test.hdr")" 'Since our last letter of [0-9-]{10}, 250 more of your' \
     "the letter says how many more since the last one"
like "$(cat "$T/d2/mp-north@parl.test.hdr")" "$((n_north + 250)) of them in your district" \
     "and how many in the district in all"
unlike "$(cat "$T/d1/minister@gov.test.hdr")" 'in your district' "a target without a district is not told about one"
dups=$(cat "$T/d1/minister@gov.test.csv" "$T/d2/minister@gov.test.csv" | grep -v '^name,' | cut -d, -f1 | sort | uniq -d | wc -l)
is "$dups" 0 "no signature sent twice to the same target"

# privacy: the organizer opts in to addresses and out of comments
out=$(pm delivery config clean-air --disclose 'name, email,postcode' --json)
like "$out" '"disclose":\["name","email","postcode"\]' "delivery config sets the columns"
pm delivery config clean-air --disclose name,phone >/dev/null 2>&1; is $? 64 "an unknown column exits 64"
sql "INSERT INTO members(email, name, postcode, district, created_at, updated_at) VALUES
     ('late@x.test', 'Late Signer', 'E1 1AA', 'East', $now, $now);
     INSERT INTO signatures(petition_id, member_id, status, comment, created_at, confirmed_at)
     SELECT 1, id, 'confirmed', 'secret comment', $now, $now FROM members WHERE email = 'late@x.test';"
pm deliver clean-air --now >/dev/null
pm run --once >/dev/null
mkdir -p "$T/new3"
find "$T/var/sent/new" -type f -newer "$T/d2/minister@gov.test.csv" -exec cp {} "$T/new3/" \;
py extract.py "$T/new3" "$T/d3"
is "$(ls "$T/d3"/*.csv | wc -l)" 2 "only the East MP and the minister get the one new signer"
is "$(py column.py "$T/d3/mp-east@parl.test.csv" '#header')" "name,email,postcode" "exactly the disclosed columns"
is "$(py column.py "$T/d3/mp-east@parl.test.csv" email)" "late@x.test" "the address when opted in"
unlike "$(cat "$T/d3/mp-east@parl.test.csv")" 'secret comment' "an undisclosed comment is absent"

# delivery ls --json: status, ranges, replies
js=$(pm delivery ls --petition clean-air --json)
is "$(printf '%s' "$js" | python3 -c 'import json,sys; d=json.load(sys.stdin)["deliveries"]; print(len(d), sum(x["signatures"] for x in d if not x["target"]["district"]))')" \
   "12 $(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'")" \
   "delivery ls: 12 deliveries; the minister's add up to every confirmed signature"
like "$js" '"replies":\[\]' "each delivery has its replies"

# a failed delivery (5xx) alerts the organizers once
id=$(sql "SELECT outbox_id FROM deliveries WHERE id = (SELECT max(id) FROM deliveries)")
sql "UPDATE outbox SET status = 'failed', smtp_code = 550, smtp_status = '5.1.1', smtp_text = 'no such user' WHERE id = $id"
pm run --once >/dev/null
is "$(sql "SELECT status FROM deliveries WHERE outbox_id = $id")" failed "the delivery is marked failed"
like "$(cat "$T/var/sent/new"/* | grep -a '^Subject: Delivery failed')" 'Delivery failed: Clean air to The Minister' \
     "the organizers get a delivery_failed notice"
is "$(grep -la '^Subject: Delivery failed' "$T"/var/sent/new/* | wc -l)" 1 "exactly one"
pm run --once >/dev/null
is "$(grep -la '^Subject: Delivery failed' "$T"/var/sent/new/* | wc -l)" 1 "and only once"
like "$(pm delivery ls --json)" '"failure":"550 5.1.1 no such user"' "delivery ls shows why"
# the organizer corrects the address; the next delivery carries the failed one's signatures
tid=$(sql "SELECT target_id FROM deliveries WHERE outbox_id = $id")
pm target edit 999 --email x@y.test >/dev/null 2>&1; is $? 67 "editing an unknown target exits 67"
pm target edit "$tid" --email mp-east@parl.test >/dev/null 2>&1; is $? 65 "another target's address exits 65"
ok "target edit corrects the address" pm target edit "$tid" --email minister@gov.example
pm deliver clean-air --now >/dev/null
is "$(sql "SELECT signatures || ' ' || t.email FROM deliveries d JOIN targets t ON t.id = d.target_id
          WHERE d.id = (SELECT max(id) FROM deliveries)")" "1 minister@gov.example" \
   "a new delivery after a failure carries its signatures again, to the corrected address"

# schedules: on close
sql "INSERT INTO petitions(slug, title, goal, created_at) VALUES ('parks', 'Parks', 400, $now);
     INSERT INTO petition_targets VALUES (2, $tid);
     INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at)
     SELECT 2, id, 'confirmed', $now, $now FROM members WHERE id <= 99;"
ok "delivery config --on-close" pm delivery config parks --on-close
pm run --once >/dev/null
is "$(sql "SELECT count(*) FROM deliveries WHERE petition_id = 2")" 0 "nothing while the petition is open"
sql "UPDATE petitions SET status = 'closed' WHERE slug = 'parks'"
pm run --once >/dev/null
is "$(sql "SELECT reason || ' ' || signatures FROM deliveries WHERE petition_id = 2")" "close 99" \
   "closing delivers to the targets"
pm run --once >/dev/null
is "$(sql "SELECT count(*) FROM deliveries WHERE petition_id = 2")" 1 "once"
# at milestones (the campaign's steps: a quarter of the goal of 400 is 100)
sql "UPDATE petitions SET status = 'open' WHERE slug = 'parks'"
ok "delivery config --at-milestones --no-on-close" pm delivery config parks --at-milestones --no-on-close
sql "INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at) VALUES (2, 100, 'confirmed', $now, $now)"
pm run --once >/dev/null
is "$(sql "SELECT reason || ' ' || signatures FROM deliveries WHERE petition_id = 2 ORDER BY id DESC LIMIT 1")" "milestone 1" \
   "crossing 100 delivers the new signature"
pm run --once >/dev/null
is "$(sql "SELECT count(*) FROM deliveries WHERE petition_id = 2")" 2 "a milestone delivers once"
# every N days
ok "delivery config --every 7" pm delivery config parks --every 7 --no-milestones
sql "INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at) VALUES (2, 101, 'confirmed', $now, $now)"
pm run --once >/dev/null
is "$(sql "SELECT count(*) FROM deliveries WHERE petition_id = 2")" 2 "not before seven days"
sql "UPDATE deliveries SET created_at = created_at - 8 * 86400 WHERE petition_id = 2;
     UPDATE petitions SET created_at = created_at - 30 * 86400, deliver_periodic_at = NULL WHERE id = 2"
pm run --once >/dev/null
is "$(sql "SELECT reason || ' ' || signatures FROM deliveries WHERE petition_id = 2 ORDER BY id DESC LIMIT 1")" "periodic 1" \
   "after seven days the new signatures go out"

# usage
pm deliver >/dev/null 2>&1; is $? 64 "deliver without a slug exits 64"
pm deliver nope --now >/dev/null 2>&1; is $? 67 "an unknown petition exits 67"
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('lonely', 'Lonely', $now)"
err=$(pm deliver lonely --now 2>&1); rc=$?
is "$rc" 65 "a petition without targets exits 65"
like "$err" '^peermail: .*no targets' "and says so in one line"
done_testing

# the title is never given twice: "Cllr Nora North", Councillor, is "Councillor Nora North"
sql "INSERT INTO petitions(slug, title, text, created_at) VALUES ('parks', 'Parks', 'More parks.', $now);
     INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at)
     VALUES ((SELECT id FROM petitions WHERE slug = 'parks'), 1, 'confirmed', $now, $now)"
pm target add "Cllr Nora North" --email nora@council.test --title Councillor --petition parks >/dev/null
pm deliver parks --now >/dev/null
pm run --once >/dev/null 2>&1
py extract.py "$T/var/sent/new" "$T/d9"
like "$(cat "$T/d9/nora@council.test.hdr")" '^Dear Councillor Nora North,$' "Dear Councillor Nora North, not Councillor Cllr"
