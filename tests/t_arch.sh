# t_arch.sh - the tree keeps its architecture (tests/check_arch.py): includes never point
# up a layer, no cycle between modules, each table written by its one owner (the table in
# docs/architecture.md), SQL only in model/ and base/db.c; and the checks themselves catch
# a planted fault.
. "$(dirname "$0")/lib.sh"
check=$PEERMAIL_TOP/tests/check_arch.py
cd "$PEERMAIL_TOP" || exit 1

# arch_ok CHECK DESC - check_arch.py CHECK passes on the tree (its findings shown if not)
arch_ok() {
	local out rc
	out=$(python3 "$check" "$1" 2>&1); rc=$?
	is "$rc" 0 "$2"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
}
arch_ok layers "no include points up a layer"
arch_ok cycles "no dependency cycle between modules"
arch_ok owners "every table is written by its owner only"
arch_ok sql "no SQL outside src/model/ and src/base/db.c"

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

# a write from the wrong module: list.c updating members (member.c's table)
rm -rf "$T/src"; cp -R src "$T/src"; cp -R docs "$T/docs"
cat >>"$T/src/model/list.c" <<'EOF'
static gboolean planted(PmDb *db, GError **error)
{
	return db_exec(db, error, "UPDATE members SET status = 'active' "
		       "WHERE id = ?", "i", (gint64)1);
}
EOF
out=$(python3 "$check" --src "$T/src" --doc "$T/docs/architecture.md" owners 2>&1); rc=$?
is "$rc" 1 "a write to a table from another module is refused"
like "$out" 'model/list.c:[0-9]+: writes table members, owned by src/model/member.c' \
	"and named with file, line, table and owner"
printf 'static const char *q = "INSERT OR REPLACE INTO districts VALUES (1, 2)";\n' \
	>>"$T/src/produce/probe.c"
out=$(python3 "$check" --src "$T/src" --doc "$T/docs/architecture.md" owners 2>&1)
like "$out" 'produce/probe.c:[0-9]+: writes table districts, owned by src/model/district.c' \
	"a write from another layer is refused too"
printf 'static const char *u = "add or update a member";\n' >>"$T/src/cli/cmd_member.c"
out=$(python3 "$check" --src "$T/src" --doc "$T/docs/architecture.md" owners 2>&1)
unlike "$out" 'cmd_member' "prose in a usage string is no SQL"
rm -rf "$T/src"; cp -R src "$T/src"
sed -i '/^| `events`/d' "$T/docs/architecture.md"
out=$(python3 "$check" --src "$T/src" --doc "$T/docs/architecture.md" owners 2>&1); rc=$?
is "$rc" 1 "a table without an owner row is refused"
like "$out" 'model/schema.c:[0-9]+: table events has no owner' "and named"

# SQL outside model: a produce module querying the database itself, a raw SQLite call
rm -rf "$T/src"; cp -R src "$T/src"
printf 'static int planted(PmDb *db)\n{\n\tgint64 n;\n\n\treturn db_int(db, NULL, &n, 0, "SELECT 1", NULL);\n}\n' \
	>>"$T/src/produce/probe.c"
printf 'static void planted(sqlite3 *h)\n{\n\tsqlite3_exec(h, "VACUUM", 0, 0, 0);\n}\n' \
	>>"$T/src/cli/cmd_receive.c"
out=$(python3 "$check" --src "$T/src" sql 2>&1); rc=$?
is "$rc" 1 "SQL outside model/ is refused"
like "$out" 'produce/probe.c:[0-9]+: db_int: SQL belongs in src/model/' "and named with file and line"
like "$out" 'cli/cmd_receive.c:[0-9]+: sqlite3' "raw SQLite calls too"
unlike "$out" 'db_(begin|commit|rollback)' "transactions stay the callers'"
done_testing
