# t_stats.sh - peermail stats --json; and the 100,000-row import timed (reported, not asserted).
. "$(dirname "$0")/lib.sh"
setup


pm list create news >/dev/null
pm list create talk --mode announce >/dev/null
printf 'x\n' >"$T/p.txt"
pm petition create park --title Park --text "$T/p.txt" --goal 10 >/dev/null
for i in 1 2 3 4 5; do pm member add "m$i@example.org" --district "D$((i % 2))" --list news >/dev/null; done
sql "UPDATE members SET status='bouncing' WHERE email='m5@example.org'"
sql "INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at) VALUES (1, 1, 'confirmed', 86400, 86400), (1, 2, 'confirmed', 86400*2, 86400*2), (1, 3, 'confirmed', 86400*2+5, 86400*2+5), (1, 4, 'pending', 0, NULL)"
echo "Hi" >"$T/b.md"
nid=$(pm newsletter create --list news --subject Hi --body "$T/b.md")
sql "UPDATE newsletters SET status='sent' WHERE id=$nid"
sql "INSERT INTO outbox(kind, ref_id, member_id, list_id, recipient, status, created_at, updated_at, sent_at) VALUES ('newsletter', $nid, 1, 1, 'm1@example.org', 'sent', 0, 0, 1000), ('newsletter', $nid, 2, 1, 'm2@example.org', 'sent', 0, 0, 1000), ('newsletter', $nid, 3, 1, 'm3@example.org', 'failed', 0, 0, NULL), ('newsletter', $nid, 4, 1, 'm4@example.org', 'sent', 0, 0, 1000)"
sql "INSERT INTO bounces(member_id, outbox_id, permanent, created_at) VALUES (2, 2, 1, 1100)"
# m1 unsubscribes an hour after receiving it (counts); m4 a month later (does not)
sql "UPDATE subscriptions SET status='unsubscribed', updated_at=4600 WHERE member_id=1"
sql "UPDATE subscriptions SET status='unsubscribed', updated_at=1000+40*86400 WHERE member_id=4"

json=$(pm stats --json); rc=$?
is "$rc" 0 "stats --json exits 0"
is "$(echo "$json" | wc -l)" 1 "one line of JSON"
is "$(echo "$json" | jq_ 'sorted(d.keys())')" "['lists', 'members', 'newsletters', 'petitions']" "top-level keys"
is "$(echo "$json" | jq_ 'd["members"]')" "{'active': 4, 'bouncing': 1, 'unsubscribed': 0, 'forgotten': 0, 'total': 5}" "members by status"
is "$(echo "$json" | jq_ '[(l["name"], l["members"]["active"], l["members"]["unsubscribed"], l["members"]["bouncing"]) for l in d["lists"]]')" "[('news', 2, 2, 1), ('talk', 0, 0, 0)]" "per list counts"
p=$(echo "$json" | jq_ 'd["petitions"][0]')
is "$(echo "$json" | jq_ '(d["petitions"][0]["signatures"], d["petitions"][0]["by_day"], d["petitions"][0]["by_district"])')" \
   "({'confirmed': 3, 'pending': 1, 'declined': 0, 'withdrawn': 0}, {'1970-01-02': 1, '1970-01-03': 2}, {'D0': 1, 'D1': 2})" "per petition: confirmed, pending, by day, by district"
is "$(echo "$json" | jq_ '[(n["id"], n["sent"], n["failed"], n["bounced"], n["unsubscribes"]) for n in d["newsletters"]]')" "[($nid, 3, 1, 1, 1)]" "per newsletter: sent, failed, bounced, unsubscribes within 7 days"
txt=$(pm stats)
like "$txt" '^members:$' "stats without --json prints text for people"
like "$txt" '^  active: [0-9]+$' "its counts indented below their heading"
unlike "$txt" '^[[{]|"members"' "not JSON (like petition show)"

# 100,000 members: timed, reported as a comment (20,000 under the sanitizers, which are
# several times slower and would only measure themselves)
rows=100000
[ "${SANITIZE:-}" = 1 ] && rows=20000
python3 - "$T/big.csv" "$rows" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("email,name,postcode,district\n")
    for i in range(int(sys.argv[2])):
        f.write('user%06d@example.org,"Member %d, Jr",PC%d,D%d\n' % (i, i, i % 1000, i % 50))
PY
t0=$(date +%s.%N)
out=$(pm member import "$T/big.csv" --list talk)
t1=$(date +%s.%N)
is "$out" "imported $rows, updated 0, skipped 0 (bad rows)" "$rows rows imported"
echo "# $rows-row import took $(python3 -c "print('%.2f' % ($t1 - $t0))") s${SANITIZE:+ (SANITIZE=$SANITIZE)}"
is "$(pm list show talk --json | jq_ 'd["members"]["active"]')" "$rows" "all subscribed"
done_testing
