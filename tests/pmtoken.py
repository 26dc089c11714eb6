#!/usr/bin/env python3
"""pmtoken.py - peermail's token addresses minted from the secret, as base/token.c does
(an independent writer, for tests and benchmarks that need a token peermail did not send).

    python3 pmtoken.py SECRET_FILE PURPOSE OBJECT MEMBER [DAY]   prints the token
    import pmtoken; pmtoken.token(key, purpose, obj, member, day=0)
"""
import base64
import hashlib
import hmac
import sys


def varint(v):
    """v as a little-endian base-128 varint"""
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def token(key, purpose, obj, member, day=0):
    """the token (lower-case base32, unpadded) for purpose, object, member and expiry day"""
    p = bytes([purpose]) + varint(obj) + varint(member) + varint(day)
    mac = hmac.new(key, b"peermail-token-v1" + p, hashlib.sha256).digest()[:10]
    return base64.b32encode(p + mac).decode().lower().rstrip("=")


def read_key(path):
    """the secret as peermail reads it from its secret_file"""
    with open(path, "rb") as f:
        return f.read().strip()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[2:]]
    print(token(read_key(sys.argv[1]), *args))
