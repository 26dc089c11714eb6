#!/usr/bin/python3
# dkim_verify.py - verify the DKIM signatures of messages with python3-dkim (an independent
# implementation), the public keys given as files instead of DNS.
#   dkim_verify.py --key SELECTOR._domainkey.DOMAIN=RECORD_FILE ... MESSAGE...
# Prints "ok FILE" or "bad FILE: why" per message and per signature; exits 1 if any is bad
# or unsigned, 2 on usage errors. RECORD_FILE holds the TXT value "v=DKIM1; k=...; p=...".
import sys

import dkim


def main(argv):
    records, files = {}, []
    i = 0
    while i < len(argv):
        if argv[i] == "--key" and i + 1 < len(argv):
            name, _, path = argv[i + 1].partition("=")
            with open(path, "rb") as f:
                records[name.lower().rstrip(".") + "."] = f.read().strip()
            i += 2
        else:
            files.append(argv[i])
            i += 1
    if not records or not files:
        print(__doc__ or "usage: dkim_verify.py --key NAME=FILE ... MESSAGE...", file=sys.stderr)
        return 2

    def dnsfunc(name, timeout=5):
        n = name.decode() if isinstance(name, bytes) else name
        return records.get(n.lower().rstrip(".") + ".", b"")

    bad = 0
    for path in files:
        with open(path, "rb") as f:
            msg = f.read()
        d = dkim.DKIM(msg)
        sigs = [h for h in d.headers if h[0].lower() == b"dkim-signature"]
        if not sigs:
            print(f"bad {path}: no DKIM-Signature")
            bad += 1
            continue
        for idx in range(len(sigs)):
            try:
                good = d.verify(idx=idx, dnsfunc=dnsfunc)
            except dkim.DKIMException as e:
                good, why = False, str(e)
            else:
                why = "signature does not verify"
            tags = dict(t.strip().split("=", 1) for t in
                        sigs[idx][1].decode().replace("\r\n", "").split(";") if "=" in t)
            label = f"{path} a={tags.get('a', '?').strip()} s={tags.get('s', '?').strip()}"
            if good:
                print(f"ok {label} h={''.join(tags.get('h', '').split())}")
            else:
                print(f"bad {label}: {why}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
