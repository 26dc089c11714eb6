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
declared name is used; an optional name is never printed outside a section. A folder of
language folders (templates/en, templates/fr...) is checked language by language, and
every language must have the same files as en, each declaring the same names, so any
place that renders a message can render it in any language. Usage: check_templates.py
DIR; prints one line per fault and exits 1 if there is any.
"""
import os
import re
import sys

DEFAULTS = {"domain", "from", "from_name", "owner_address", "help_address"}
TAG = re.compile(r"\{\{(\{?)\s*([#^/!>&]?)\s*(.*?)\s*\}?\}\}", re.S)
DECL = re.compile(r"\{\{!\s*names:(.*?)\}\}", re.S)


def declared_names(path):
    """The names a template declares (with their ? marks), or None without a declaration."""
    m = DECL.search(open(path, encoding="utf-8").read())
    return sorted(m.group(1).split()) if m else None


def is_template(f):
    """Whether a file name is a template's."""
    return f.endswith((".txt", ".html", ".mustache"))


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


def check_folder(d):
    """Faults of every template in one folder."""
    faults = []
    for f in sorted(os.listdir(d)):
        if is_template(f):
            faults += check(os.path.join(d, f))
    return faults


def check_languages(d, langs):
    """Faults of each language's set against en's: the same files, the same names."""
    faults = []
    ref = os.path.join(d, "en")
    if "en" not in langs:
        return ["%s: no en folder (the fallback of every language)" % d]
    en_files = set(f for f in os.listdir(ref) if is_template(f))
    for lang in langs:
        if lang == "en":
            continue
        ld = os.path.join(d, lang)
        files = set(f for f in os.listdir(ld) if is_template(f))
        for f in sorted(en_files - files):
            faults.append("%s: missing %s (en has it)" % (ld, f))
        for f in sorted(files - en_files):
            faults.append("%s: %s is not in en" % (ld, f))
        for f in sorted(files & en_files):
            a = declared_names(os.path.join(ref, f))
            b = declared_names(os.path.join(ld, f))
            if a is not None and b is not None and a != b:
                faults.append("%s/%s: declares %s, en declares %s" %
                              (ld, f, " ".join(b), " ".join(a)))
    return faults


def main():
    """Check every template in the folder given (and its language folders)."""
    d = sys.argv[1]
    langs = sorted(f for f in os.listdir(d)
                   if os.path.isdir(os.path.join(d, f)) and f != "examples"
                   and any(is_template(x) for x in os.listdir(os.path.join(d, f))))
    faults = check_folder(d)
    for lang in langs:
        faults += check_folder(os.path.join(d, lang))
    if langs:
        faults += check_languages(d, langs)
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
