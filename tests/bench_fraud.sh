# bench_fraud.sh - what the fraud checks cost: a signature by writing through `peermail
# receive` (the signing limits: three indexed counts, the domain's a range of
# signatures_domain; the rows made here carry their domain as signature.c keeps it), and
# a pass of `peermail run` (the trending task), on a database with BENCH_BASE signatures (default 100,000) over the last
# 30 days, half of them from one big provider, and a petition whose new signatures are 60%
# from that provider (a share large enough to read its usual share on every pass, the
# measure's slowest path, yet not unusual: no alert stops the work). The ceiling: the same
# into a copy of the same database with the limits off and trend_min out of reach.
# Environment: BENCH_N (messages, default 200), BENCH_BASE.
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-200}
BASE=${BENCH_BASE:-100000}
setup 'limits { max_responses_per_day = 100 }'
now=$(date +%s)
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('hot', 'Hot', 0);
     WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 9)
     INSERT INTO petitions(slug, title, created_at) SELECT 'p' || n, 'P', 0 FROM i;
     WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $BASE)
     INSERT INTO members(email, created_at, updated_at)
     SELECT 'm' || n || CASE WHEN n % 2 THEN '@big.test' ELSE '@d' || (n % 97) || '.test' END, 0, 0 FROM i;
     INSERT INTO signatures(petition_id, member_id, status, source, created_at, confirmed_at, domain)
     SELECT 2 + id % 9, id, 'confirmed', 'writing', $now - 7200 - (id * 2592000 / $BASE), $now - 7200,
            lower(substr(email, instr(email, '@') + 1)) FROM members;
     WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 30)
     INSERT INTO members(email, created_at, updated_at)
     SELECT 'h' || n || CASE WHEN n % 5 < 3 THEN '@big.test' ELSE '@h' || n || '.test' END, 0, 0 FROM i;
     INSERT INTO signatures(petition_id, member_id, status, source, created_at, confirmed_at, domain)
     SELECT 1, id, 'confirmed', 'reply', $now - 60, $now - 60, lower(substr(email, instr(email, '@') + 1))
     FROM members WHERE email LIKE 'h%';"
mkdir -p "$T/msgs"
for i in $(seq 1 "$N"); do
	if [ $((i % 5)) -lt 3 ]; then a="n$i@big.test"; else a="n$i@n$i.test"; fi
	printf 'From: <%s>\nTo: sign+hot@act.test\nSubject: Sign\nMessage-ID: <b%d@client.test>\n\nYes\n' \
		"$a" "$i" >"$T/msgs/$i.eml"
done
cp "$T/var/peermail.db" "$T/var/ceiling.db"
sed 's|../var/peermail.db|../var/ceiling.db|' "$T/conf/peermail.conf" >"$T/conf/ceiling.conf"
echo 'fraud { per_address = 0 per_domain = 0 per_petition = 0 trend_min = 1000000000 }' >>"$T/conf/ceiling.conf"
echo 'fraud { per_domain = 1000 }' >>"$T/conf/peermail.conf"

# run CONF - receive every message with CONF; prints ms per message
run() {
	local t0 t1
	t0=$(date +%s%N)
	for i in $(seq 1 "$N"); do
		"$PEERMAIL_BIN" --config "$1" receive --recipient sign+hot@act.test <"$T/msgs/$i.eml" >/dev/null 2>&1 ||
			echo "receive failed on message $i" >&2
	done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 / N ))
}
with=$(run "$T/conf/peermail.conf")
without=$(run "$T/conf/ceiling.conf")
printf 'receive to sign+SLUG, %d signatures in the database: %d.%03d ms/message with the fraud checks; ceiling (checks off): %d.%03d ms/message\n' \
	"$BASE" $((with / 1000)) $((with % 1000)) $((without / 1000)) $((without % 1000))
# pass CONF - five passes of `run --once` with nothing to send; prints ms per pass
pass() {
	local t0 t1
	"$PEERMAIL_BIN" --config "$1" run --once >/dev/null 2>&1
	t0=$(date +%s%N)
	for i in 1 2 3 4 5; do "$PEERMAIL_BIN" --config "$1" run --once >/dev/null 2>&1; done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 5000 ))
}
with=$(pass "$T/conf/peermail.conf")
without=$(pass "$T/conf/ceiling.conf")
printf 'a pass of run --once (nothing to send) with the trending task: %d.%03d ms; ceiling (trending out of reach): %d.%03d ms\n' \
	$((with / 1000)) $((with % 1000)) $((without / 1000)) $((without % 1000))
alerts=$(sql "SELECT count(*) FROM events WHERE kind = 'trending'")
echo "trending alerts sent: $alerts (the measure ran without alerting)"
