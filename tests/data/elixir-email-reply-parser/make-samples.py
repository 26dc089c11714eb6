#!/usr/bin/env python3
# make-samples.py - builds messages/ and expected/ of this corpus from a checkout of
# hellogustav/elixir_email_reply_parser (test/emails and the literal expectations of
# test/elixir_email_reply_parser_test.exs, parse_reply(content) == "...").
# Usage: make-samples.py EMAILS_DIR   (ours, not upstream's code; see README)
import os, sys

fx = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
for sub in ("messages", "expected"):
    os.makedirs(os.path.join(here, sub), exist_ok=True)

DANKE = "Danke, Adam\n\nMir geht es gut.\n\nEva"
SIG = "Hallo Adam\n\nGut, und dir?\n\nEva\n\nMag. Eva Musterfrau\nA-1000 Wien, Grüngasse 1\nTel: +44-7700-900333"
LG = "Hallo Adam\n\nGut, und dir?\n\nLG, Eva"
WANT = {
    "de/german1": DANKE, "de/german2": DANKE, "de/german3": DANKE,
    "de/german1_multiline": DANKE, "de/german2_multiline": DANKE,
    "de/german_footer_1": SIG, "de/german_footer_2": "Danke, auch gut.",
    "de/german_footer_3": DANKE, "de/german_footer_4": LG, "de/german_headers": SIG,
    "de/german_get_outlook": LG,
    "get_outlook": "I am fine, thanks.\n\nJohn.",
    "consecutive_emails_flowed_formatted": "another response",
}
for name, want in WANT.items():
    with open(os.path.join(fx, name + ".txt"), encoding="utf-8") as f:
        body = f.read()
    out = name.replace("/", "_")
    with open(os.path.join(here, "messages", out + ".txt"), "w", encoding="utf-8") as f:
        f.write(body)
    with open(os.path.join(here, "expected", out + ".txt"), "w", encoding="utf-8") as f:
        f.write(want + "\n")
