#!/usr/bin/env bash
# run-tests.sh - run every unit test (build/tests/test_*) and integration test
# (tests/t_*.sh), read their TAP lines and end with "N passed, N failed, N skipped".
# Environment: B (build folder: build or build-san), TESTS (optional name filter).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
export PEERMAIL_TOP=$top PEERMAIL_BIN=$top/$B/peermail B
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
logdir=$(mktemp -d /tmp/peermail-check-XXXXXX)
trap 'rm -rf "$logdir"' EXIT
pass=0 fail=0 skip=0
# the integration tests render strictly (lib.sh) and record each template they render here
export PEERMAIL_TEMPLATE_LOG=$logdir/rendered
: >"$PEERMAIL_TEMPLATE_LOG"

run_one() {   # name, command...
	local name=$1; shift
	local log=$logdir/$(basename "$name").log rc
	local t0=$SECONDS
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	local p f s
	# TAP: "ok # SKIP" is skipped; "not ok # TODO" is a known miss, shown but not failed.
	p=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
	s=$(grep -Ec '^ok .*# SKIP|^not ok .*# TODO' "$log")
	f=$(grep -E '^not ok ' "$log" | grep -vc '# TODO')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	printf '%-32s %3d passed, %d failed, %d skipped (%ds)\n' "$(basename "$name")" "$p" "$f" "$s" $((SECONDS - t0))
	grep -E '^not ok .*# TODO' "$log" | sed 's/^/    known miss: /'
	if [ "$f" -ne 0 ]; then
		grep -E -A3 '^not ok ' "$log" | grep -v '# TODO' | sed 's/^/    /' | head -60
		echo "    --- last lines of output ---"
		tail -n 15 "$log" | sed 's/^/    /'
	fi
}

for t in "$top/$B"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$(basename "$t")" in *${TESTS:-}*) ;; *) continue ;; esac
	run_one "$t" "$t"
done
for t in "$top"/tests/t_*.sh; do
	[ -f "$t" ] || continue
	case "$(basename "$t")" in *${TESTS:-}*) ;; *) continue ;; esac
	run_one "$t" bash "$t"
done
# the template contract's coverage: on a full run, every message template of every
# language was rendered strictly by at least one flow that sends it (with the data that
# flow builds; compose renders each message in every language folder in this mode)
if [ -z "${TESTS:-}" ]; then
	missing=
	for f in "$top"/templates/*/*.txt; do
		n=$(basename "$(dirname "$f")")/$(basename "$f" .txt)
		grep -qx "$n" "$PEERMAIL_TEMPLATE_LOG" || missing="$missing $n"
	done
	if [ -n "$missing" ]; then
		fail=$((fail + 1))
		echo "templates: not ok - never rendered by any test's flow:$missing"
	else
		pass=$((pass + 1))
		echo "templates: ok - every template rendered strictly by a flow that sends it"
	fi
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
