#!/usr/bin/env python3
"""make-samples.py - build messages/ and expected/ from crisp-oss/email-forward-parser's
test fixtures (MIT, see LICENSE and README): every body fixture its test/index.js names
becomes a reply whose member wrote upstream's MESSAGE above the client's forwarded or
quoted message; the visible reply text expected is MESSAGE. Fixtures that already hold
MESSAGE (upstream's "with message" variants) are taken as they are, and so are upstream's
replies (variant 4, "forwarded: false": "That's true! / Regards, / e." above the client's
attribution or header block and the quote), whose expected text is that reply.
Usage: make-samples.py UPSTREAM_CHECKOUT (run once; the output is committed)."""
import os, re, sys

MESSAGE = "Praesent suscipit egestas hendrerit.\n\nAliquam eget dui dui."
REPLY = "That's true!\n\nRegards,\n\ne."
up = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
index = open(os.path.join(up, "test/index.js"), encoding="utf-8").read()
names = sorted(set(re.findall(r'"([a-z0-9_]+_body[a-z0-9_]*)"', index)))
os.makedirs(os.path.join(here, "messages"), exist_ok=True)
os.makedirs(os.path.join(here, "expected"), exist_ok=True)
for n in names:
    src = os.path.join(up, "test/fixtures", n + ".txt")
    if not os.path.exists(src):
        continue
    body = open(src, encoding="utf-8").read()
    want = MESSAGE
    if REPLY.split("\n")[0] in body.split("\n")[0]:
        text, want = body, REPLY
    else:
        text = body if MESSAGE.split("\n")[0] in body else MESSAGE + "\n\n" + body
    open(os.path.join(here, "messages", n + ".txt"), "w", encoding="utf-8").write(text)
    open(os.path.join(here, "expected", n + ".txt"), "w", encoding="utf-8").write(want + "\n")
