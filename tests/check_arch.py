#!/usr/bin/env python3
"""check_arch.py - check that the source tree keeps its architecture.

    check_arch.py [--src DIR] layers    includes point only to the same layer or a lower one
    check_arch.py [--src DIR] cycles    no cycle between modules (a .c/.h pair is a module)
    check_arch.py [--src DIR] owners    INSERT/UPDATE/DELETE of a table only in its owner
    check_arch.py [--src DIR] sql       SQL calls only in base/db.c and model/

The layers, lowest first, are LAYERS below (the Makefile lists the same folders). The
table owners are read from docs/architecture.md's "Table owners" table (one row per table:
| `table` | `src/layer/module.c` ... |), so the documentation and the check cannot drift;
every table the schema creates (src/model/schema.c) must have a row. A migration that
rebuilds a table (CREATE TABLE t_new, copy, DROP, RENAME) copies rows in schema.c: the
migrations' own copies are not writes by a module (t_new is t's rebuild, not a table). SQL keywords are
matched in upper case, as the tree writes them (so "add or update a member" in a usage
string is no UPDATE). Outside src/base/db.c and src/model/, no file may call db_exec,
db_query, db_int, db_text, db_ids and the other statement helpers nor any sqlite3_ function:
transactions (db_begin, db_commit, db_rollback) are the callers' and stay allowed.
Prints one line per violation and exits 1 when there is any; 0 and nothing otherwise.
"""
import os
import re
import sys

LAYERS = ["base", "mail", "model", "produce", "inbound", "web", "run", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(src):
    for layer in LAYERS:
        d = os.path.join(src, layer)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h")):
                yield layer, os.path.join(d, f)
    for f in sorted(os.listdir(src)):
        if f.endswith((".c", ".h")):
            yield None, os.path.join(src, f)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = strip_comments(fh.read())
    for m in INCLUDE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        yield line, m.group(1)


def check_layers(src):
    bad = []
    for layer, path in sources(src):
        if layer is None:
            bad.append("%s: a source file outside the layer folders" % path)
            continue
        rank = LAYERS.index(layer)
        for line, inc in includes(path):
            top = inc.split("/")[0]
            if "/" not in inc or top not in LAYERS:
                bad.append('%s:%d: #include "%s" names no layer folder' % (path, line, inc))
            elif LAYERS.index(top) > rank:
                bad.append('%s:%d: #include "%s": %s may not include %s (a higher layer)'
                           % (path, line, inc, layer, top))
    return bad


def check_cycles(src):
    # module = layer/name; an edge A -> B when A.c or A.h includes B.h (B != A)
    graph = {}
    for layer, path in sources(src):
        if layer is None:
            continue
        mod = os.path.splitext(os.path.relpath(path, src))[0]
        edges = graph.setdefault(mod, set())
        for _, inc in includes(path):
            dep = os.path.splitext(inc)[0]
            if dep != mod:
                edges.add(dep)
    bad, state, stack = [], {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if d not in graph:
                continue
            if state.get(d) == 1:
                cyc = stack[stack.index(d):] + [d]
                bad.append("cycle: " + " -> ".join(cyc))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return bad


# (a trigger's event, "AFTER UPDATE ON t" / "UPDATE OF col ON t", writes nothing itself)
WRITE = re.compile(r"\b(?:INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+[A-Z]+)?|"
                   r"DELETE\s+FROM)\s+(?!(?:ON|OF)\b)(\w+)")
CREATE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)")


def owners_table(doc):
    owners = {}
    with open(doc, encoding="utf-8") as fh:
        text = fh.read()
    sec = re.search(r"^## Table owners\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not sec:
        return None
    for row in sec.group(1).splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue
        table = cells[0].strip("`")
        owners[table] = set(re.findall(r"`(src/[^`]+\.c)`", cells[1]))
    return owners


def sql_strings(path):
    """The C string literals of path, adjacent literals joined, with their line numbers."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = strip_comments(fh.read())
    lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
    out, cur, start, last_end = [], None, 0, -1
    for m in lit.finditer(text):
        between = text[last_end:m.start()] if last_end >= 0 else None
        if cur is not None and between is not None and between.strip() == "":
            cur += m.group(1)
        else:
            if cur is not None:
                out.append((start, cur))
            cur, start = m.group(1), text.count("\n", 0, m.start()) + 1
        last_end = m.end()
    if cur is not None:
        out.append((start, cur))
    return out


def schema_tables(src):
    path = os.path.join(src, "model", "schema.c")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = strip_comments(fh.read())
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in CREATE.finditer(text)]


def check_owners(src, doc):
    owners = owners_table(doc)
    if owners is None:
        return ["%s: no '## Table owners' section" % doc]
    bad = []
    root = os.path.dirname(os.path.abspath(src))
    for line, table in schema_tables(src):
        if table.endswith("_new") and table[:-4] in owners:
            continue    # a rebuild of the table, renamed to it in the same migration
        if table not in owners:
            bad.append("%s:%d: table %s has no owner in %s"
                       % (os.path.join(src, "model", "schema.c"), line, table, doc))
        elif len(owners[table]) != 1:
            bad.append("%s: table %s needs exactly one owner, has %d"
                       % (doc, table, len(owners[table])))
    for layer, path in sources(src):
        if not path.endswith(".c"):
            continue
        rel = os.path.relpath(os.path.abspath(path), root)
        if rel == os.path.join("src", "model", "schema.c"):
            continue    # migrations copy rows when they rebuild a table
        for line, s in sql_strings(path):
            for m in WRITE.finditer(s):
                table = m.group(1)
                if table.lower() in ("set",):
                    continue
                if table not in owners:
                    bad.append("%s:%d: writes table %s, which has no owner in %s"
                               % (path, line, table, doc))
                elif rel not in owners[table]:
                    bad.append("%s:%d: writes table %s, owned by %s"
                               % (path, line, table, ", ".join(sorted(owners[table]))))
    return bad


# the statement helpers and SQLite itself; db_begin/db_commit/db_rollback, db_open and
# db_close (and the DbSchema and PmDb types) stay usable everywhere
SQL_CALL = re.compile(r"\b(db_(?:exec|query|int|text|ids|step|done|col_text|last_id|changes|handle|"
                      r"set_error)\s*\(|sqlite3_\w+)")
SQL_HOMES = ("model",)
SQL_FILES = ("base/db.c", "base/db.h")


def code_only(text):
    """text with comments and string literals blanked (line numbers kept)."""
    text = strip_comments(text)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


def check_sql(src):
    bad = []
    for layer, path in sources(src):
        rel = os.path.relpath(path, src).replace(os.sep, "/")
        if layer in SQL_HOMES or rel in SQL_FILES:
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = code_only(fh.read())
        for m in SQL_CALL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            bad.append("%s:%d: %s: SQL belongs in src/model/ (ask the table's owner)"
                       % (path, line, m.group(1).rstrip("( \t")))
    return bad


def main(argv):
    src = "src"
    doc = "docs/architecture.md"
    args = list(argv)
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--src":
            src = args.pop(0)
        elif opt == "--doc":
            doc = args.pop(0)
        else:
            print("check_arch.py: unknown option %s" % opt, file=sys.stderr)
            return 64
    if len(args) != 1 or args[0] not in ("layers", "cycles", "owners", "sql"):
        usage = __doc__.strip().split("\n\n")[1]
        print("usage:\n" + usage, file=sys.stderr)
        return 64
    what = args[0]
    bad = {"layers": lambda: check_layers(src), "cycles": lambda: check_cycles(src),
           "owners": lambda: check_owners(src, doc), "sql": lambda: check_sql(src)}[what]()
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
