#!/usr/bin/env bash
# bench_outbound.sh - peermail's SMTP sender against Postfix's smtp-sink on loopback, with
# smtp-source against the same sink as the ceiling. Prints messages/s for both, the ratio,
# and peermail's peak RSS. Environment: N (messages, default 100000), CONNECTIONS (default
# "4 2 8"), SIZE (message bytes, default ~4 KB).
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
CONNECTIONS=${CONNECTIONS:-"4 2 8"}
SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$SINK" ] && [ -x "$SOURCE" ] || { echo "smtp-sink/smtp-source not found: skipped"; exit 0; }
port=$(free_port)
start_counting_sink "$port"
sink=$SINK_PID

# queue N personalized ~4 KB messages in one transaction
fill() {
	sql "BEGIN; DELETE FROM outbox_message; DELETE FROM outbox;
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
	INSERT INTO outbox(id, kind, member_id, recipient, status, next_attempt, created_at, updated_at)
	SELECT i, 'notice', NULL, 'member' || i || '@example.net', 'queued', 0,
	  strftime('%s','now'), strftime('%s','now') FROM n;
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
	INSERT INTO outbox_message(outbox_id, message)
	SELECT i, CAST('From: Campaign Team <team@act.test>' || char(13,10) ||
	  'To: Member ' || i || ' <member' || i || '@example.net>' || char(13,10) ||
	  'Subject: Our campaign needs you, member ' || i || char(13,10) ||
	  'Date: Thu, 26 Nov 2026 06:00:00 +0000' || char(13,10) ||
	  'Message-ID: <bench.' || i || '@act.test>' || char(13,10) ||
	  'List-Unsubscribe: <mailto:news+unsubscribe+' || lower(hex(randomblob(10))) || '@act.test>' || char(13,10) ||
	  'MIME-Version: 1.0' || char(13,10) || 'Content-Type: text/plain; charset=utf-8' || char(13,10) ||
	  char(13,10) || 'Dear member ' || i || ',' || char(13,10) || char(13,10) ||
	  replace(hex(zeroblob(50)), '00',
	    'The quick brown fox jumps over the lazy dog; sign the petition today, please.' || char(13,10)) ||
	  char(13,10) || 'Unsubscribe: mailto:news+unsubscribe+' || lower(hex(randomblob(10))) || '@act.test' || char(13,10)
	  AS BLOB) FROM n; COMMIT;"
}

size=0
for c in $CONNECTIONS; do
	write_config 'transport = "smtp"' \
		"smtp \"sink\" { host = \"127.0.0.1\" port = $port starttls = \"no\" connections = $c }" \
		'queue { batch_size = 500 }'
	rm -f "$T/var/peermail.db"*
	pm init >/dev/null
	t0=$(date +%s.%N)
	fill
	t1=$(date +%s.%N)
	size=$(sql "SELECT avg(length(message)) FROM outbox_message" | cut -d. -f1)
	/usr/bin/time -v "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --once \
		2>"$T/run.err" >/dev/null
	t2=$(date +%s.%N)
	sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
	rss=$(grep 'Maximum resident' "$T/run.err" | awk '{print $NF}')
	rate=$(echo "$sent / ($t2 - $t1)" | bc -l)
	printf 'peermail  connections=%d: %d of %d sent in %.2f s = %.0f msg/s, peak RSS %.1f MiB (queueing %d rows took %.2f s)\n' \
		"$c" "$sent" "$N" "$(echo "$t2 - $t1" | bc -l)" "$rate" "$(echo "$rss / 1024" | bc -l)" "$N" "$(echo "$t1 - $t0" | bc -l)"
	eval "rate_$c=$rate"
done

# the ceiling for each connection count: smtp-source with as many sessions, same size
for c in $CONNECTIONS; do
	t0=$(date +%s.%N)
	"$SOURCE" -d -s "$c" -m "$N" -l "$size" -f team@act.test -t sink@example.net 127.0.0.1:$port >/dev/null 2>&1
	t1=$(date +%s.%N)
	ceiling=$(echo "$N / ($t1 - $t0)" | bc -l)
	eval "r=\$rate_$c"
	printf 'smtp-source -s %d -l %d (ceiling): %d messages in %.2f s = %.0f msg/s; ratio connections=%d: %.2f (target >= 0.6)\n' \
		"$c" "$size" "$N" "$(echo "$t1 - $t0" | bc -l)" "$ceiling" "$c" "$(echo "$r / $ceiling" | bc -l)"
done
