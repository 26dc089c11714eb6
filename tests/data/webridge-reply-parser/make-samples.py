#!/usr/bin/env python3
# make-samples.py - builds messages/ and expected/ of this corpus from a checkout of
# web-ridge/email-reply-parser (dataset/: basemail, signatures, quoted_reply), combined as
# upstream's TestAllKindOfCombinations does: MAIL + "\n\n" + SIGNATURE + "\n\n" + QUOTE
# (quote below) and QUOTE + "\n\n" + MAIL (quote above); upstream expects MAIL, trimmed.
# Usage: make-samples.py DATASET_DIR   (ours, not upstream's code; see README)
import os, sys

ds = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
for sub in ("messages", "expected"):
    os.makedirs(os.path.join(here, sub), exist_ok=True)

def read(*p):
    with open(os.path.join(ds, *p), encoding="utf-8") as f:
        return f.read()

def put(name, body, want):
    with open(os.path.join(here, "messages", name + ".txt"), "w", encoding="utf-8") as f:
        f.write(body)
    with open(os.path.join(here, "expected", name + ".txt"), "w", encoding="utf-8") as f:
        f.write(want.strip() + "\n")

QUOTES = ["android", "dutch", "english", "long", "other", "other_break", "polymail",
          "quoted_reply", "short", "split_line_from", "yahoo"]
FOOTERS = ["blackberry", "iphone", "iphone_nl", "mailbox", "windows_mail"]
mail = read("basemail", "0.txt")
for q in QUOTES:
    quote = read("quoted_reply", q + ".txt")
    put("below_" + q, mail + "\n\n" + quote, mail)
    put("above_" + q, quote + "\n\n" + mail, mail)
for s in FOOTERS:
    put("footer_" + s, mail + "\n\n" + read("signatures", s + ".txt") + "\n\n" +
        read("quoted_reply", "english.txt"), mail)
for b in ("bullets", "bullets_bigger", "smiley"):
    m = read("basemail", b + ".txt")
    put("mail_" + b, m + "\n\n" + read("quoted_reply", "yahoo.txt"), m)
