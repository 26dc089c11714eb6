#!/usr/bin/env python3
"""check_manconf.py - man/peermail.conf.5 against the configuration schema.

Reads the cfg_opt_t tables of src/base/config.c (CFG_STR/INT/FLOAT/BOOL/STR_LIST and the
CFG_SEC lines naming a section's table) and the page's `.B key` entries. Every setting
must have an entry with its default ("Default: X.") and an example; an entry for a
setting that does not exist is a fault too. Usage: check_manconf.py CONFIG.C PAGE; one
line per fault, exit 1 if any.
"""
import re
import sys

OPT = re.compile(r'CFG_(STR|INT|FLOAT|BOOL|STR_LIST)\("(\w+)",\s*(.*?),\s*CFGF_(\w+)')
SEC = re.compile(r'CFG_SEC\("(\w+)",\s*(\w+)')
TABLE = re.compile(r'static cfg_opt_t (\w+)\[\] = \{(.*?)\n\};', re.S)


def schema(src):
    """{key: default text or None} from config.c's tables."""
    tables = {name: body for name, body in TABLE.findall(src)}
    prefix = {table: sec + "." for sec, table in SEC.findall(src)}
    keys = {}
    for table, body in tables.items():
        for kind, name, default, flags in OPT.findall(body):
            d = None if flags == "NODEFAULT" else default.strip()
            if d is not None and kind in ("INT", "FLOAT"):
                d = "%.15g" % eval(d, {})       # 5 * 1024 * 1024
            elif d is not None and kind == "BOOL":
                d = "true" if d == "cfg_true" else "false"
            elif d is not None and kind == "STR_LIST":
                d = d.strip('"')
            keys[prefix.get(table, "") + name] = d
    return keys


def entries(page):
    """{key: entry text} from the page's .TP/.B entries."""
    out = {}
    for m in re.finditer(r'^\.TP\n\.B (\S+)\n(.*?)(?=^\.TP|^\.SH|\Z)', page, re.S | re.M):
        out[m.group(1)] = m.group(2).replace("\\(dq", '"')
    return out


def main():
    """Compare and report."""
    keys = schema(open(sys.argv[1]).read())
    doc = entries(open(sys.argv[2]).read())
    faults = []
    for k, d in sorted(keys.items()):
        if k not in doc:
            faults.append("%s: not in the manual page" % k)
            continue
        if d is not None and ("Default: %s." % d) not in doc[k]:
            faults.append("%s: the page does not give its default %s" % (k, d))
        if "Example: " not in doc[k]:
            faults.append("%s: no example" % k)
    for k in sorted(set(doc) - set(keys)):
        faults.append("%s: in the manual page but not a setting" % k)
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
