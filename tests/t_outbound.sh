# t_outbound.sh - the sender against Postfix's smtp-sink on loopback: exactly-once delivery
# with the right envelope and headers, 4xx then recovery, 5xx, a disconnect mid-DATA,
# kill -9 and restart, rate limits, failover, SIGTERM, the maildir transport, outbox flush.
. "$(dirname "$0")/lib.sh"

[ -x "$SINK" ] || skip_all "smtp-sink tests" "smtp-sink not installed"

# queue N [FIRST] - N messages to userI@example.net, each with its own To:
queue() {
	local n=$1 first=${2:-1}
	sql "BEGIN;
	WITH RECURSIVE k(i) AS (SELECT $first UNION ALL SELECT i + 1 FROM k WHERE i < $first + $n - 1)
	INSERT INTO outbox(id, kind, recipient, status, next_attempt, created_at, updated_at)
	SELECT i, 'notice', 'user' || i || '@example.net', 'queued', 0, strftime('%s','now'),
	  strftime('%s','now') FROM k;
	WITH RECURSIVE k(i) AS (SELECT $first UNION ALL SELECT i + 1 FROM k WHERE i < $first + $n - 1)
	INSERT INTO outbox_message(outbox_id, message)
	SELECT i, CAST('From: Campaign Team <team@act.test>' || char(13,10) ||
	  'To: User ' || i || ' <user' || i || '@example.net>' || char(13,10) ||
	  'Subject: hello ' || i || char(13,10) || 'Message-ID: <m' || i || '@act.test>' || char(13,10) ||
	  char(13,10) || 'Hello user ' || i || char(13,10) || '.a line starting with a dot' || char(13,10)
	  AS BLOB) FROM k; COMMIT;"
}
# counts - the outbox counts as `outbox --json` prints them (read with sqlite3: faster
# than the binary under SANITIZE=1; `outbox --json` itself is checked against it)
counts() {
	sql "SELECT '{\"queued\":' || count(*) FILTER (WHERE status = 'queued') ||
	  ',\"sending\":' || count(*) FILTER (WHERE status = 'sending') ||
	  ',\"sent\":' || count(*) FILTER (WHERE status = 'sent') ||
	  ',\"deferred\":' || count(*) FILTER (WHERE status = 'deferred') ||
	  ',\"failed\":' || count(*) FILTER (WHERE status = 'failed') || '}' FROM outbox"
}
reset() { sql "DELETE FROM outbox_message; DELETE FROM outbox; DELETE FROM members;"; }

# the sender's settings in most sections: three connections, batches of seven
OUT_SMTP='connections = 3 timeout = 10'
OUT_QUEUE='queue { retry_initial = 300 max_age = 86400 batch_size = 7 }'
# out_config PORT [EXTRA...] - smtp_config to the sink on PORT with those settings
out_config() { local port=$1; shift; SMTP_OPTIONS=$OUT_SMTP smtp_config "$port" "$OUT_QUEUE" "$@"; }

# ==== 1. everything delivered exactly once, envelope and headers right ====
SMTP_OPTIONS=$OUT_SMTP sink_setup s1 "$OUT_QUEUE"
queue 25
ok "run --once exits 0" pm run --once
is "$(pm outbox --json)" '{"queued":0,"sending":0,"sent":25,"deferred":0,"failed":0}' "outbox --json counts 25 sent"
is "$(ls "$T/s1" | wc -l)" 25 "the sink got 25 messages"
is "$(rcpts "$T/s1" | uniq | wc -l)" 25 "25 different recipients, none twice"
bad=0
for f in "$T"/s1/*; do
	r=$(sed -n 's/^X-Rcpt-Args: <\(.*\)>.*/\1/p' "$f")
	grep -q "^To: .*<$r>" "$f" || bad=$((bad + 1))
	[ "$(grep -c '^To:' "$f")" = 1 ] || bad=$((bad + 1))
	grep -q '^X-Mail-Args: <bounce+[a-z2-7]*@act.test>' "$f" || bad=$((bad + 1))
	grep -q '^Return-Path:' "$f" && bad=$((bad + 1))
	[ "$(grep -ci '^message-id:' "$f")" = 1 ] || bad=$((bad + 1))
	grep -q '^\.a line starting with a dot' "$f" || bad=$((bad + 1))
done
is "$bad" 0 "each message: To names only its recipient, one Message-ID, MAIL FROM is bounce+TOKEN, dots intact"
is "$(cat "$T"/s1/* | sed -n 's/^X-Mail-Args: <\(.*\)>.*/\1/p' | sort -u | wc -l)" 25 \
	"every message has its own VERP return path"
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND smtp_code = 250 AND relay = 'main' AND sent_at > 0 AND attempts = 1")" 25 \
	"rows record 250, relay, sent_at and one attempt"
out=$(pm run --once 2>&1)
is "$(ls "$T/s1" | wc -l)" 25 "a second run sends nothing again"
log=$(pm run --once 2>&1; queue 1 100; pm run --once 2>&1)
like "$log" 'outbox 100: to=<user100@example.net> relay=main status=sent \(250 2.0.0' "one log line per message"
unlike "$log" 'bounce\+' "the log never shows the VERP token"
stop_sink s1

# ==== 2. 4xx: deferred with backoff, then sent after outbox flush ====
p2=$(free_port)
start_sink s2 "$p2" -r RCPT
out_config "$p2"
reset
queue 5
ok "run against a 4xx server exits 0" pm run --once
is "$(pm outbox --json)" '{"queued":0,"sending":0,"sent":0,"deferred":5,"failed":0}' "4xx: all deferred"
is "$(sql "SELECT count(*) FROM outbox WHERE smtp_code = 450 AND smtp_status = '4.3.0' AND attempts = 1 AND next_attempt >= strftime('%s','now') + 250")" 5 \
	"the 450 4.3.0 reply is kept and the retry is retry_initial away"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT sum(attempts) FROM outbox")" 5 "run --once does not retry before the row is due"
stop_sink s2
start_sink s2b "$p2"
like "$(pm outbox flush)" '^5 deferred' "outbox flush makes the 5 deferred rows due"
ok "run after flush" pm run --once
is "$(counts)" '{"queued":0,"sending":0,"sent":5,"deferred":0,"failed":0}' "after flush: all sent"
is "$(rcpts "$T/s2b" | uniq | wc -l)" 5 "each sent once"
is "$(sql "SELECT count(*) FROM outbox WHERE attempts = 2")" 5 "two attempts each"
stop_sink s2b

# backoff doubles and stops at max_age
out_config "$p2" 'queue { retry_initial = 60 max_age = 100 batch_size = 7 }'
reset
queue 2
sql "UPDATE outbox SET created_at = created_at - 200"
pm run --once >/dev/null 2>&1   # nothing listens: connection refused
is "$(sql "SELECT status || ' ' || attempts FROM outbox WHERE id = 1")" "failed 1" \
	"a row past max_age fails instead of being deferred"
like "$(sql "SELECT smtp_text FROM outbox WHERE id = 1")" 'gave up after 1 attempts: no SMTP host reachable' \
	"the failure says why"

# ==== 3. 5xx: failed at once, counted as a bounce ====
p3=$(free_port)
start_sink s3 "$p3" -f RCPT
out_config "$p3"
reset
sql "INSERT INTO members(id, email, created_at, updated_at) VALUES (7, 'user1@example.net', 0, 0)"
queue 3
sql "UPDATE outbox SET member_id = 7 WHERE id = 1"
ok "run against a 5xx server exits 0" pm run --once
is "$(counts)" '{"queued":0,"sending":0,"sent":0,"deferred":0,"failed":3}' "5xx: all failed at once"
is "$(sql "SELECT smtp_code || ' ' || smtp_status || ' ' || attempts FROM outbox WHERE id = 1")" "500 5.3.0 1" \
	"the 5xx reply is kept"
is "$(sql "SELECT count(*) FROM bounces WHERE outbox_id = 1 AND member_id = 7 AND permanent = 1 AND status = '5.3.0'")" 1 \
	"the 5xx is recorded as a permanent bounce of the member"
is "$(sql "SELECT count(*) FROM bounces")" 3 "one bounce per refused recipient"
like "$(sql "SELECT bounce_score FROM members WHERE id = 7")" '^1(\.0)?$' "and counts toward the member's bounce score"
stop_sink s3

# ==== 4. disconnect mid-DATA: deferred, retried, sent once ====
p4=$(free_port)
start_sink s4 "$p4" -q .
out_config "$p4"
reset
queue 4
ok "run against a server that hangs up after the data" pm run --once
is "$(counts)" '{"queued":0,"sending":0,"sent":0,"deferred":4,"failed":0}' "no end-of-data reply: deferred"
like "$(sql "SELECT smtp_text FROM outbox WHERE id = 1")" 'connection lost' "the reason is kept"
stop_sink s4
start_sink s4b "$p4"
pm outbox flush >/dev/null
ok "retry run" pm run --once
is "$(counts)" '{"queued":0,"sending":0,"sent":4,"deferred":0,"failed":0}' "retried: all sent"
is "$(rcpts "$T/s4b" | uniq -d | wc -l)" 0 "no message twice on the retry"
is "$(rcpts "$T/s4b" | wc -l)" 4 "all four delivered"
stop_sink s4b

# ==== 5. kill -9 mid-send, restart: everything sent, duplicates <= in flight ====
p5=$(free_port)
start_sink s5 "$p5" -W .:1
out_config "$p5" 'queue { batch_size = 4 }'
sed -i 's/connections = 3/connections = 2/' "$T/conf/peermail.conf"
reset
queue 12
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run5.log" 2>&1 &
runner=$!
at_exit "kill -9 $runner"
disown $runner
for _ in $(seq 1 80); do
	[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" -ge 2 ] && break
	sleep 0.05
done
sleep 0.2
kill -9 $runner
while kill -0 $runner 2>/dev/null; do sleep 0.05; done
is "$(sql "SELECT count(*) > 0 FROM outbox WHERE status = 'sending'")" 1 "killed with rows in flight"
stop_sink s5
start_sink s5b "$p5"
t0=$(date +%s)
ok "restart after kill -9" pm run --once
is "$(counts)" '{"queued":0,"sending":0,"sent":12,"deferred":0,"failed":0}' "restart reclaims at once: all sent"
[ $(($(date +%s) - t0)) -lt 10 ] && ok_fast=1 || ok_fast=0
is "$ok_fast" 1 "the dead owner's rows were not waited for"
all=$( (rcpts "$T/s5"; rcpts "$T/s5b") | sort)
is "$(printf '%s\n' "$all" | uniq | wc -l)" 12 "every recipient got the message"
dups=$(printf '%s\n' "$all" | uniq -d | wc -l)
is "$([ "$dups" -le 2 ] && echo ok || echo "$dups duplicates")" ok "duplicates bounded by the 2 messages in flight"
stop_sink s5b

# ==== 6. failover: the first host refuses connections ====
p6=$(free_port)
dead=$(free_port)
start_sink s6 "$p6"
write_config 'transport = "smtp"' \
	"smtp \"first\" { host = \"127.0.0.1\" port = $dead starttls = \"no\" connections = 2 }" \
	"smtp \"second\" { host = \"127.0.0.1\" port = $p6 starttls = \"no\" connections = 2 }"
reset
queue 6
out=$(pm run --once 2>&1)
is "$(counts)" '{"queued":0,"sending":0,"sent":6,"deferred":0,"failed":0}' "failover: all sent"
is "$(sql "SELECT count(*) FROM outbox WHERE relay = 'second'")" 6 "through the second host"
like "$out" 'smtp first .*(refused|Connection)' "the refusing host is logged"
is "$(rcpts "$T/s6" | uniq | wc -l)" 6 "each once"

# ==== 7. rate limits: per hour (count) and per second (pacing) ====
SMTP_OPTIONS='connections = 2 rate_per_hour = 4' smtp_config "$p6"
reset
rm -f "$T"/s6/*
queue 7
pm run --once >/dev/null 2>&1
is "$(counts)" '{"queued":3,"sending":0,"sent":4,"deferred":0,"failed":0}' "rate_per_hour = 4: 4 sent, 3 wait"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" 4 "a new run counts the last hour's sends"
is "$(ls "$T/s6" | wc -l)" 4 "the server saw 4"
SMTP_OPTIONS='connections = 3 rate = 10' smtp_config "$p6"
reset
queue 8
t0=$(date +%s%N)
pm run --once >/dev/null 2>&1
ms=$((($(date +%s%N) - t0) / 1000000))
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" 8 "rate = 10/s: all 8 sent"
is "$([ $ms -ge 600 ] && echo paced || echo "too fast: $ms ms")" paced "8 messages at 10/s take at least 0.6 s"
stop_sink s6

# ==== 8. SIGTERM: messages in flight finish, exit 0, nothing left 'sending' ====
p8=$(free_port)
start_sink s8 "$p8" -W .:1
SMTP_OPTIONS='connections = 2 timeout = 10' smtp_config "$p8" "$OUT_QUEUE"
reset
queue 10
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run8.log" 2>&1 &
runner=$!
at_exit "kill -9 $runner"
for _ in $(seq 1 40); do
	[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'sending'")" -ge 2 ] && break
	sleep 0.05
done
sleep 0.2
kill -TERM $runner
wait $runner
is "$?" 0 "SIGTERM: run exits 0"
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'sending'")" 0 "no row left in flight"
sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
is "$([ "$sent" -ge 1 ] && [ "$sent" -lt 10 ] && echo ok || echo "sent=$sent")" ok \
	"the messages in flight were finished, the rest left queued"
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" $((10 - sent)) "the rest is queued"
is "$(rcpts "$T/s8" | wc -l)" "$sent" "the server got exactly what is marked sent"
stop_sink s8

# ==== 9. AUTH: user and password_file; the password is never logged ====
p9=$(free_port)
start_sink s9 "$p9" -v
printf 'pw-Secr3t!\n' >"$T/conf/smtp.pw"
SMTP_OPTIONS='connections = 1 user = "campaign" password_file = "smtp.pw"' smtp_config "$p9"
reset
queue 1
out=$(pm run --once 2>&1)
is "$(sql "SELECT status FROM outbox")" sent "sent after AUTH"
auth=$(sed -n 's/.*AUTH PLAIN \([A-Za-z0-9+\/=]*\).*/\1/p' "$T/s9.log" | head -1 | base64 -d | tr '\0' ':')
is "$auth" ":campaign:pw-Secr3t!" "AUTH PLAIN carried the user and the password file's first line"
unlike "$out" 'pw-Secr3t' "the password is not logged"
unlike "$(pm check-config)" 'pw-Secr3t' "check-config does not print it"
stop_sink s9

# ==== 10. the maildir transport ====
write_config
reset
queue 3
ok "maildir run" pm run --once
is "$(sent_count)" 3 "three files in the maildir's new/"
f=$(grep -l 'user2@example.net' "$T"/var/sent/new/* | head -1)
like "$(head -2 "$f")" '^Return-Path: <bounce\+[a-z2-7]+@act.test>' "Return-Path prepended"
like "$(sed -n 2p "$f")" '^Delivered-To: user2@example.net' "Delivered-To prepended"
is "$(ls "$T/var/sent/tmp" | wc -l)" 0 "nothing left in tmp/"
is "$(counts)" '{"queued":0,"sending":0,"sent":3,"deferred":0,"failed":0}' "maildir rows are sent"

# a row without a message that cannot be rendered (here: a newsletter that does not
# exist) fails with a clear reason
sql "INSERT INTO outbox(kind, ref_id, recipient, status, next_attempt, created_at, updated_at) VALUES ('newsletter', 1, 'x@example.net', 'queued', 0, 0, 0)"
ok "a render failure does not fail the run" pm run --once
is "$(sql "SELECT status || ': ' || smtp_text FROM outbox WHERE recipient = 'x@example.net'")" \
	"failed: render: no newsletter 1" "the row fails with the reason"

# SIGHUP: the daemon reloads the configuration between passes (here: another maildir)
reset
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run11.log" 2>&1 &
runner=$!
at_exit "kill -9 $runner"
sleep 0.5
sed -i 's|^maildir = .*|maildir = "../var/sent2"|' "$T/conf/peermail.conf"
kill -HUP $runner
for _ in $(seq 1 60); do grep -q 'reloaded' "$T/run11.log" && break; sleep 0.05; done
queue 1 500
for _ in $(seq 1 100); do [ -n "$(ls "$T/var/sent2/new" 2>/dev/null)" ] && break; sleep 0.05; done
is "$(grep -l 'user500@example.net' "$T"/var/sent2/new/* 2>/dev/null | wc -l)" 1 \
	"after SIGHUP a message queued later goes to the new maildir"
kill -TERM $runner
wait $runner
is "$?" 0 "the daemon exits 0 on SIGTERM"
like "$(cat "$T/run11.log")" 'configuration reloaded' "the reload is logged"

# usage
pm outbox bogus >/dev/null 2>&1; is $? 64 "outbox with a bad argument exits 64"
pm run extra >/dev/null 2>&1; is $? 64 "run with an extra argument exits 64"

done_testing
