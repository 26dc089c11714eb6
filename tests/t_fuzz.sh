# t_fuzz.sh - run the inbound libFuzzer target briefly (parse, classify, extract) on a
# seed corpus of real-client samples. Skipped without clang's libFuzzer, and under
# SANITIZE=1 (the fuzzer is already built with ASan and UBSan: running it twice adds nothing).
. "$(dirname "$0")/lib.sh"

if [ "${SANITIZE:-}" = 1 ]; then
	skip "fuzz_inbound" "already run with ASan+UBSan in the plain make check"
	done_testing; exit 0
fi
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$T/probe.c"
if ! clang -fsanitize=fuzzer -o "$T/probe" "$T/probe.c" >/dev/null 2>&1; then
	skip "fuzz_inbound" "clang with libFuzzer is not available"
	done_testing; exit 0
fi
if ! make -s -C "$PEERMAIL_TOP" build/fuzz/fuzz_inbound >"$T/build.log" 2>&1; then
	_report 0 "fuzz_inbound builds" "$(tail -20 "$T/build.log")"
	done_testing; exit 1
fi
_report 1 "fuzz_inbound builds"
mkdir -p "$T/corpus"
cp "$DATA"/mail/*.eml "$T/corpus/"
# a deeply nested seed, so mutations explore the bounds
python3 -c '
import sys
s = "From: a@b.test\nMIME-Version: 1.0\n"
for i in range(40): s += "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i)
s += "Content-Type: text/plain\n\nhi\n"
print(s)' >"$T/corpus/nested.eml"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	"$PEERMAIL_TOP/build/fuzz/fuzz_inbound" -max_total_time=${FUZZ_SECONDS:-20} -timeout=10 \
	-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$T/" \
	"$T/corpus" >"$T/fuzz.log" 2>&1
rc=$?
is "$rc" 0 "fuzz_inbound ran ${FUZZ_SECONDS:-20}s without a crash, leak or timeout"
[ "$rc" = 0 ] || { grep -E 'ERROR|SUMMARY|Test unit written' "$T/fuzz.log" | head -5 | sed 's/^/# /'; }
like "$(grep -E '^stat::number_of_executed_units' "$T/fuzz.log")" '[0-9]{3,}' "it executed hundreds of inputs at least"
done_testing
