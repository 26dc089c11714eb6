#!/usr/bin/env python3
"""check_templates.py - the contract between peermail's code and its templates.

Every template (templates/*.txt, *.html, *.mustache) declares the names it uses in a
standalone comment `{{! names: a b.c list[].x opt? }}`:
  * `name` is required: the code always gives it (strict rendering fails without it);
  * `name?` is optional: it may be absent, so it is printed only inside a section
    ({{#name}}...{{name}}...{{/name}}) and otherwise used by sections;
  * `list[].x` is a name inside the items of section `list`.
The names every message has (compose_defaults) need no declaration: domain, from,
from_name, owner_address, help_address.

The check: each template has a declaration; every name a tag uses is declared; every
declared name is used; an optional name is never printed outside a section. Usage: check_templates.py DIR; prints one line per fault and
exits 1 if there is any.
"""
import os
import re
import sys

DEFAULTS = {"domain", "from", "from_name", "owner_address", "help_address"}
TAG = re.compile(r"\{\{(\{?)\s*([#^/!>&]?)\s*(.*?)\s*\}?\}\}", re.S)
DECL = re.compile(r"\{\{!\s*names:(.*?)\}\}", re.S)


def check(path):
    """Faults of one template, as strings."""
    src = open(path, encoding="utf-8").read()
    faults = []
    m = DECL.search(src)
    if not m:
        return ["%s: no {{! names: ... }} declaration" % path]
    required, optional = set(), set()
    for word in m.group(1).split():
        (optional if word.endswith("?") else required).add(word.rstrip("?"))
    declared = required | optional
    used = set()
    stack = []        # open sections: (name, resolved)
    for t in TAG.finditer(src):
        kind, name = t.group(2), t.group(3)
        if kind in ("!", ">") or name == ".":
            continue
        if kind == "/":
            if stack:
                stack.pop()
            continue
        # resolve: innermost list section first (list[].x), then the top level
        resolved = None
        for sec, _ in reversed(stack):
            cand = "%s[].%s" % (sec, name)
            if cand in declared:
                resolved = cand
                break
        if resolved is None:
            root = re.sub(r"\.\d+$", "", name)     # lists.0 means lists
            if root in declared or root in DEFAULTS:
                resolved = root
            else:
                faults.append("%s: {{%s}} is not declared" % (path, name))
                resolved = root
        used.add(resolved)
        if kind in ("#", "^"):
            stack.append((re.sub(r"\.\d+$", "", name), resolved))
        elif resolved in optional and not stack:
            faults.append("%s: optional {{%s}} printed outside any section" %
                          (path, name))
    for name in sorted(declared - used):
        faults.append("%s: declares %s but never uses it" % (path, name))
    return faults


def main():
    """Check every template in the folder given."""
    d = sys.argv[1]
    faults = []
    for f in sorted(os.listdir(d)):
        if f.endswith((".txt", ".html", ".mustache")) and f != "README.md":
            faults += check(os.path.join(d, f))
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
