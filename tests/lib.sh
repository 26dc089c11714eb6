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
