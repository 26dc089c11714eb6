# t_arch.sh - the tree keeps its architecture (tests/check_arch.py): includes never point
# up a layer, no cycle between modules; and the checks themselves catch a planted fault.
. "$(dirname "$0")/lib.sh"
check=$PEERMAIL_TOP/tests/check_arch.py
cd "$PEERMAIL_TOP" || exit 1

out=$(python3 "$check" layers 2>&1); rc=$?
is "$rc" 0 "no include points up a layer"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
out=$(python3 "$check" cycles 2>&1); rc=$?
is "$rc" 0 "no dependency cycle between modules"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'

# The checks fail on planted faults, in a copy of the tree.
cp -R src "$T/src"
printf '#include "run/sender.h"\n' >>"$T/src/model/member.c"
out=$(python3 "$check" --src "$T/src" layers 2>&1); rc=$?
is "$rc" 1 "an upward include (model -> run) is refused"
like "$out" 'model/member.c:[0-9]+: #include "run/sender.h": model may not include run' \
	"and named with file, line and layers"
printf '#include "member.h"\n' >>"$T/src/model/list.c"
out=$(python3 "$check" --src "$T/src" layers 2>&1)
like "$out" 'names no layer folder' "an include without its layer folder is refused"

rm -rf "$T/src"; cp -R src "$T/src"
printf '#include "model/list.h"\n' >>"$T/src/model/member.h"
printf '#include "model/member.h"\n' >>"$T/src/model/list.h"
out=$(python3 "$check" --src "$T/src" cycles 2>&1); rc=$?
is "$rc" 1 "a cycle between two modules is refused"
like "$out" 'cycle: model/(list -> model/member -> model/list|member -> model/list -> model/member)' \
	"and the cycle is named"
done_testing
