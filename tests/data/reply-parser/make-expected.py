#!/usr/bin/env python3
"""make-expected.py - expected visible reply text for crisp-oss/email-reply-parser's fixtures
(run by hand, output committed). Reads upstream's test/test.js and, for each test function
that loads one fixture and states its whole first fragment or its whole visible text
(test.equal(COMMON_FIRST_FRAGMENT | "literal", fragments[0]... | email.getVisibleText()...)),
writes expected/NAME.txt. Fixtures whose tests only check a part are left out.
Usage: make-expected.py CRISP_DIR OUT_DIR
"""
import json, os, re, shutil, sys

src, out = sys.argv[1], sys.argv[2]
js = open(os.path.join(src, "test/test.js"), encoding="utf-8").read()
m = re.search(r"const COMMON_FIRST_FRAGMENT = '((?:[^'\\]|\\.)*)'", js, re.S)
common = m.group(1).replace("\\\n", "").replace("\\n", "\n")
funcs = re.split(r"\nexport function ", js)
os.makedirs(os.path.join(out, "expected"), exist_ok=True)
os.makedirs(os.path.join(out, "messages"), exist_ok=True)
# interleaved (bottom-posted) replies: upstream's first fragment is not the visible reply
SKIP = {"email_2": "interleaved reply"}
n = 0
for f in funcs:
    names = re.findall(r'get_email\("([^"]+)"\)', f)
    if len(set(names)) != 1:
        continue
    name = names[0]
    if name in SKIP:
        continue
    want = None
    for lit, what in re.findall(r'test\.equal\(\s*(COMMON_FIRST_FRAGMENT|"(?:[^"\\]|\\.)*")\s*,\s*'
                                r'(fragments\[0\][^,;]*|email\.getVisibleText\(\)[^,;]*|text)\s*\)', f):
        if lit == "COMMON_FIRST_FRAGMENT":
            want = common
        else:
            want = json.loads(lit)
        break
    if want is None or not os.path.exists(os.path.join(src, "test/fixtures", name + ".txt")):
        continue
    shutil.copy(os.path.join(src, "test/fixtures", name + ".txt"), os.path.join(out, "messages", name + ".txt"))
    with open(os.path.join(out, "expected", name + ".txt"), "w", encoding="utf-8") as o:
        o.write(want.strip() + "\n")
    n += 1
print(n, "fixtures", file=sys.stderr)
