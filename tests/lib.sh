# lib.sh - shared helpers for the integration tests (tests/t_*.sh). Source it.
#
# Gives each test a private folder $T (removed at exit), a config in $T/conf, and TAP
# helpers: ok, is, like, unlike, skip. `pm ARGS` runs the binary under test with that config.
set -u
# every message rendered in the tests is rendered strictly: a {{name}} without a value fails
export PEERMAIL_STRICT_TEMPLATES=1
PEERMAIL_TOP=${PEERMAIL_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
PEERMAIL_BIN=${PEERMAIL_BIN:-$PEERMAIL_TOP/build/peermail}
DATA=$PEERMAIL_TOP/tests/data
T=$(mktemp -d /tmp/peermail-t-XXXXXX)
chmod 755 "$T"
_n=0 _failed=0
_cleanup_hooks=()
_cleanup() {
	local h
	for h in "${_cleanup_hooks[@]+"${_cleanup_hooks[@]}"}"; do eval "$h" >/dev/null 2>&1; done
	[ -n "${KEEP_T:-}" ] || rm -rf "$T"
}
trap _cleanup EXIT
# at_exit CMD - run CMD when the test ends (stop servers...)
at_exit() { _cleanup_hooks+=("$1"); }

_report() { # pass desc [detail]
	_n=$((_n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $_n - $2"
	else
		_failed=$((_failed + 1))
		echo "not ok $_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/#   /'
	fi
	return 0
}
# ok DESC CMD... - passes when CMD exits 0
ok() { local d=$1; shift; local out; if out=$("$@" 2>&1); then _report 1 "$d"; else _report 0 "$d" "$out"; fi; }
# fails DESC CMD... - passes when CMD exits non-zero
fails() { local d=$1; shift; if "$@" >/dev/null 2>&1; then _report 0 "$d" "succeeded"; else _report 1 "$d"; fi; }
# is GOT WANT DESC
is() { if [ "$1" = "$2" ]; then _report 1 "$3"; else _report 0 "$3" "got: $1
want: $2"; fi; }
# like TEXT REGEX DESC (grep -E)
like() { if printf '%s\n' "$1" | grep -Eq -- "$2"; then _report 1 "$3"; else _report 0 "$3" "no /$2/ in: $1"; fi; }
unlike() { if printf '%s\n' "$1" | grep -Eq -- "$2"; then _report 0 "$3" "found /$2/ in: $1"; else _report 1 "$3"; fi; }
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
done_testing() { echo "1..$_n"; [ "$_failed" -eq 0 ]; }

# free_port - an unused TCP port on 127.0.0.1
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# write_config [EXTRA...] - a test configuration in $T/conf/peermail.conf; extra lines appended
write_config() {
	mkdir -p "$T/conf" "$T/var"
	{
		echo 'domain = "act.test"'
		echo 'database = "../var/peermail.db"'
		echo 'secret_file = "../var/secret"'
		echo "templates = \"$PEERMAIL_TOP/templates\""
		echo "intent_phrases = \"$PEERMAIL_TOP/data/intent\""
		echo 'from = "Campaign Team <team@act.test>"'
		echo 'transport = "maildir"'
		echo 'maildir = "../var/sent"'
		echo 'organizers = { "org@example.net" }'
		echo 'syslog = false'
		for l in "$@"; do echo "$l"; done
	} >"$T/conf/peermail.conf"
}
# pm ARGS - run peermail with the test configuration
pm() { "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" "$@"; }
# setup - a test configuration and an initialized database
setup() { write_config "$@"; pm init >/dev/null; }
# sql QUERY - run a query on the test database (waiting up to 5 s for a daemon's lock)
sql() { sqlite3 -cmd ".timeout 5000" "$T/var/peermail.db" "$1"; }
# sent_count - messages in the maildir capture
sent_count() { find "$T/var/sent/new" -type f 2>/dev/null | wc -l; }
# copies_to ADDR - messages in the maildir capture addressed (To:) to ADDR
copies_to() { grep -l "^To: .*<\?$1>\?\s*$" "$T"/var/sent/new/* 2>/dev/null | wc -l; }
# run_once - one scheduler pass (`run --once`), its output appended to $T/run.log
run_once() { pm run --once >>"$T/run.log" 2>&1; }
# jq_ EXPR - the Python expression EXPR on the JSON read from stdin (as d)
jq_() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# skip_all WHAT WHY - the whole test is skipped (one SKIP line and the plan); exits 0
skip_all() { skip "$1" "$2"; done_testing; exit 0; }
# wait_port PORT [TRIES] - wait until something listens on 127.0.0.1:PORT (50 x 0.05 s)
wait_port() {
	local _i
	for _i in $(seq 1 "${2:-50}"); do
		(exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# ---- smtp-sink (Postfix's test server) on loopback: the remote side of outbound tests ----
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
# start_sink NAME PORT [SMTP-SINK OPTIONS...] - smtp-sink on 127.0.0.1:PORT dumping each
# message to $T/NAME/ (its output in $T/NAME.log, its pid in $T/NAME.pid); stopped at exit
start_sink() {
	local name=$1 port=$2
	shift 2
	mkdir -p "$T/$name"
	chmod 777 "$T/$name"
	"$SINK" -u nobody -d "$T/$name/%M." "$@" 127.0.0.1:"$port" 100 >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
	at_exit "kill $(cat "$T/$name.pid")"
	wait_port "$port" || echo "# smtp-sink on $port did not start: $(cat "$T/$name.log")"
}
# start_counting_sink PORT - smtp-sink on 127.0.0.1:PORT that keeps nothing and counts (-c;
# its output in $T/sink.out), for benchmarks; its pid in SINK_PID, stopped at exit
start_counting_sink() {
	"$SINK" -u nobody -c 127.0.0.1:"$1" 1000 >"$T/sink.out" 2>&1 &
	SINK_PID=$!
	at_exit "kill $SINK_PID"
	wait_port "$1"
}
# stop_sink NAME - stop the sink NAME now
stop_sink() { kill "$(cat "$T/$1.pid")" 2>/dev/null; wait "$(cat "$T/$1.pid")" 2>/dev/null; }
# rcpts DIR - the envelope recipients of the messages a sink dumped in DIR, one a line, sorted
rcpts() { cat "$1"/* 2>/dev/null | sed -n 's/^X-Rcpt-Args: <\(.*\)>.*/\1/p' | sort; }
# smtp_config PORT [EXTRA...] - write_config sending by SMTP, in clear, to 127.0.0.1:PORT
# (the section's settings: $SMTP_OPTIONS, "connections = 2 timeout = 10" unless set)
smtp_config() {
	local port=$1
	shift
	write_config 'transport = "smtp"' \
		"smtp \"main\" { host = \"127.0.0.1\" port = $port starttls = \"no\" ${SMTP_OPTIONS:-connections = 2 timeout = 10} }" "$@"
}
# sink_setup NAME [EXTRA...] - the outbound preamble: a sink NAME on a free port ($SINK_PORT),
# a configuration sending to it (smtp_config, EXTRA lines appended) and an initialized database
sink_setup() {
	local name=$1
	shift
	SINK_PORT=$(free_port)
	start_sink "$name" "$SINK_PORT"
	smtp_config "$SINK_PORT" "$@"
	pm init >/dev/null
}

# ---- mail in through `peermail receive`, and what it queued in the outbox ----
# mail_in FROM TO SUBJECT [BODY] [EXTRA-HEADERS] - a text message from FROM to TO (BODY and
# EXTRA-HEADERS, each header ending in \n, as printf %b) through `peermail receive`; prints
# the exit status, the output is in $T/out. Each has a Message-ID of its own (it often
# runs in a subshell, where no counter survives)
mail_in() {
	printf 'From: Someone <%s>\nTo: %s\nSubject: %s\nMessage-ID: <m%s@client.test>\nDate: %s\n%bContent-Type: text/plain; charset=utf-8\n\n%b\n' \
		"$1" "$2" "$3" "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" "$(date -R)" "${5:-}" "${4:-}" >"$T/m.eml"
	pm receive --sender "$1" --recipient "$2" <"$T/m.eml" >"$T/out" 2>&1; echo $?
}
# result - the result of the newest inbound message
result() { sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1"; }
# last_outbox - the newest outbox row
last_outbox() { sql "SELECT max(id) FROM outbox"; }
# outbox_msg ID - the queued message of outbox row ID, as stored
outbox_msg() { sql "SELECT CAST(message AS TEXT) FROM outbox_message WHERE outbox_id = $1"; }
# reply_to ID - the Reply-To address of outbox row ID
reply_to() { outbox_msg "$1" | tr -d '\r' | sed -n 's/^Reply-To: *<\{0,1\}\([^>]*\)>\{0,1\}$/\1/Ip' | head -1; }
# last_to ADDR - the newest outbox row to ADDR (in any case)
last_to() { sql "SELECT max(id) FROM outbox WHERE lower(recipient) = lower('$1')"; }
# msg_to ADDR - the newest queued message to ADDR, as stored
msg_to() { outbox_msg "$(last_to "$1")"; }
# reply_of ADDR - the Reply-To of the newest message to ADDR
reply_of() { reply_to "$(last_to "$1")"; }
# text_of ADDR - the Subject line of the newest message to ADDR, then its text's words on one
# line
text_of() { msg_to "$1" | python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(sys.stdin.buffer,policy=email.policy.default)
print("Subject:", m["subject"]); print(" ".join(m.get_body(("plain",)).get_content().split()))'; }
# outbox_text ID - a queued message's Subject line, then its decoded text body
outbox_text() { outbox_msg "$1" | python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(sys.stdin.buffer,policy=email.policy.default)
print("Subject:", m["subject"]); print(m.get_body(("plain",)).get_content())'; }

# ---- daemons under test ----
# start_bg NAME PATTERN CMD... - CMD in the background (its output in $T/NAME.log, its pid
# in BG_PID, killed at exit); waits (20 s at most) until that output matches PATTERN
# (grep -E); 1 when CMD ends first or has not said so by then
start_bg() {
	local name=$1 pattern=$2 _i
	shift 2
	"$@" >"$T/$name.log" 2>&1 &
	BG_PID=$!
	at_exit "kill $BG_PID"
	for _i in $(seq 1 200); do
		grep -Eq -- "$pattern" "$T/$name.log" && return 0
		kill -0 "$BG_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# start_web NAME PORT [OPTION...] - `peermail web` on 127.0.0.1:PORT with the test
# configuration, started by start_bg (log $T/NAME.log, pid BG_PID)
start_web() {
	local name=$1 port=$2
	shift 2
	start_bg "$name" listening "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" web --listen "127.0.0.1:$port" "$@"
}
