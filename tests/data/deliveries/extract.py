#!/usr/bin/env python3
# extract.py MAILDIR OUTDIR - for each captured delivery message, write OUTDIR/<to>.csv (the
# attachment, gunzipped) and OUTDIR/<to>.hdr (From, Reply-To, Subject, content type, body).
# Messages without a CSV attachment (notices) go to OUTDIR/notices.txt.
import email, email.policy, gzip, os, sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
notices = open(os.path.join(out, "notices.txt"), "a")
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    to = msg["Delivered-To"] or msg["To"].addresses[0].addr_spec
    csv = None
    body = ""
    for part in msg.walk():
        fn = part.get_filename()
        if fn and fn.startswith("signatures-"):
            data = part.get_payload(decode=True)
            ctype = part.get_content_type()
            if fn.endswith(".gz"):
                data = gzip.decompress(data)
            csv = (data, ctype, fn)
        elif part.get_content_type() == "text/plain" and not fn:
            body = part.get_content()
    if csv is None:
        notices.write("To: %s\nSubject: %s\nReply-To: %s\n%s\n----\n" %
                      (to, msg["Subject"], msg["Reply-To"], body))
        continue
    with open(os.path.join(out, to + ".csv"), "wb") as f:
        f.write(csv[0])
    with open(os.path.join(out, to + ".hdr"), "w") as f:
        f.write("From: %s\nReply-To: %s\nSubject: %s\nType: %s\nFile: %s\n\n%s" %
                (msg["From"], msg["Reply-To"], msg["Subject"], csv[1], csv[2], body))
