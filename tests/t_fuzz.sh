# t_fuzz.sh - run the libFuzzer targets briefly: inbound (parse, classify, extract) on a
# seed corpus of real-client samples, and compose (the direct writer against GMime's tree
# on hostile names, subjects and bodies: same reading, no injected header, valid wire). Skipped without clang's libFuzzer, and under
# SANITIZE=1 (the fuzzer is already built with ASan and UBSan: running it twice adds nothing).
. "$(dirname "$0")/lib.sh"

[ "${SANITIZE:-}" = 1 ] && skip_all "fuzz_inbound" "already run with ASan+UBSan in the plain make check"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$T/probe.c"
clang -fsanitize=fuzzer -o "$T/probe" "$T/probe.c" >/dev/null 2>&1 ||
	skip_all "fuzz_inbound" "clang with libFuzzer is not available"

# fuzz_build NAME - build/fuzz/NAME is built (a check); the test ends, failed, when not
fuzz_build() {
	if ! make -s -C "$PEERMAIL_TOP" "build/fuzz/$1" >"$T/$1.build.log" 2>&1; then
		_report 0 "$1 builds" "$(tail -20 "$T/$1.build.log")"
		done_testing; exit 1
	fi
	_report 1 "$1 builds"
}
# fuzz_run NAME SECONDS MAX_LEN CORPUS DESC - run the fuzzer NAME on CORPUS for SECONDS:
# it ends well (DESC; what it found is shown if not) and executed hundreds of inputs
fuzz_run() {
	local rc
	"$PEERMAIL_TOP/build/fuzz/$1" -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$3" -print_final_stats=1 -artifact_prefix="$T/" "$4" >"$T/$1.log" 2>&1
	rc=$?
	is "$rc" 0 "$5"
	[ "$rc" = 0 ] || { grep -E 'ERROR|SUMMARY|Test unit written|abort' "$T/$1.log" | head -5 | sed 's/^/# /'; }
	like "$(grep -E '^stat::number_of_executed_units' "$T/$1.log")" '[0-9]{3,}' "it executed hundreds of inputs at least"
}

fuzz_build fuzz_inbound
mkdir -p "$T/corpus"
cp "$DATA"/mail/*.eml "$T/corpus/"
# a deeply nested seed, so mutations explore the bounds
python3 -c '
import sys
s = "From: a@b.test\nMIME-Version: 1.0\n"
for i in range(40): s += "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i)
s += "Content-Type: text/plain\n\nhi\n"
print(s)' >"$T/corpus/nested.eml"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 fuzz_run fuzz_inbound "${FUZZ_SECONDS:-20}" 65536 \
	"$T/corpus" "fuzz_inbound ran ${FUZZ_SECONDS:-20}s without a crash, leak or timeout"

fuzz_build fuzz_compose
mkdir -p "$T/corpus2"
# first byte: 1 list headers, 2 one-click URL, 4 auto-reply; then name NUL subject NUL body
# NUL list title
printf '\001Ann Example\000Hello there\000Body text\nline 2\000Campaign news' >"$T/corpus2/a"
printf '\003Zo\303\253 O\047Brien, "Jr" \\ (x)\000P\303\251tition: \302\253\303\251cole\302\273 =?utf-8?q?x?=\000Gr\303\274\303\237e\n.\n..\000\303\234n\303\257code' >"$T/corpus2/b"
printf '\004Name\r\nBcc: x@evil.test\000Subject\nX-Injected: 1\000body\000' >"$T/corpus2/c"
fuzz_run fuzz_compose "${FUZZ_SECONDS:-15}" 4096 "$T/corpus2" \
	"fuzz_compose ran ${FUZZ_SECONDS:-15}s: both writers agree, nothing injected"
done_testing
