#!/usr/bin/env python3
"""make-samples.py - build messages/ and expected.tsv from crisp-oss/email-bounce-parser's
test fixtures (MIT, see LICENSE and README). Upstream's fixtures are the text bodies of real
bounces; each becomes a message with a neutral envelope (From: a mail system, Subject
"Delivery Status Notification", text/plain UTF-8) and a header naming its source.
Labels: the recipient is upstream's expected data.recipient (checked by reading);
permanent is 1 for a returned message, 0 for a notice that delivery is still being tried
(Gmail's "Delivery incomplete ... will retry"), whatever the SMTP code (a message returned
after 4xx replies has failed: issue 18). Not bounces (upstream's "default", "empty") are left
out. Held back: every third sample in name order (index 2, 5, 8, ...).
Relabelled (RELABEL, dev samples): where the report names the alias the sender used
("(expanded from <a@b>)", Exim's "(generated from a@b)"), the recipient is that alias,
the address peermail sent to (docs/inbound.md), where upstream names the expansion.
Usage: make-samples.py UPSTREAM_CHECKOUT (run once; the output is committed)."""
import json, os, re, sys

RELABEL = {"550_5_1_1_no_such_recipient_variant_21": "john@kodani.com",
           "unknown_server_unknown_variant_2": "lena@buyervalid.com"}
up = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
fx = os.path.join(up, "test/fixtures")
os.makedirs(os.path.join(here, "messages"), exist_ok=True)
rows = []
for f in sorted(os.listdir(fx)):
    if not f.endswith(".txt"):
        continue
    n = f[:-4]
    exp = json.load(open(os.path.join(fx, "expected", n + ".json"), encoding="utf-8"))
    rcpt = exp.get("data", {}).get("recipient") if exp.get("bounce") else None
    if not rcpt:
        continue
    rcpt = RELABEL.get(n, rcpt)
    body = open(os.path.join(fx, f), encoding="utf-8").read()
    retry = re.search(r"will retry|will be retried|delivery incomplete", body, re.I)
    msg = ("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
           "To: bounce+probe@act.example.org\n"
           "Subject: Delivery Status Notification\n"
           "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
           "Message-ID: <%s@mx.example.net>\n"
           "X-Corpus-Source: crisp-oss/email-bounce-parser test/fixtures/%s (MIT)\n"
           "MIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=utf-8\n"
           "Content-Transfer-Encoding: 8bit\n\n" % (n, f)) + body
    open(os.path.join(here, "messages", n + ".eml"), "w", encoding="utf-8").write(msg)
    rows.append((n + ".eml", rcpt.lower(), "0" if retry else "1"))
with open(os.path.join(here, "expected.tsv"), "w", encoding="utf-8") as o:
    o.write("# file\tcount\taddresses\tpermanent\tstatuses\tset   (see README)\n")
    for i, (name, rcpt, perm) in enumerate(rows):
        o.write("%s\t1\t%s\t%s\t-\t%s\n" % (name, rcpt, perm, "held" if i % 3 == 2 else "dev"))
