#!/usr/bin/env python3
# png_bottom.py PNG - how many pixels of a screenshot's bottom 16 rows are not white
# (a horizontal scrollbar there means the page is wider than the window). Standard
# library only: PNG chunks, zlib and the five row filters.
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, w, h, ct = 8, b'', 0, 0, 0
while pos < len(d):
    n, t = struct.unpack('>I4s', d[pos:pos + 8])
    c = d[pos + 8:pos + 8 + n]
    if t == b'IHDR':
        w, h, bd, ct = struct.unpack('>IIBB', c[:10])
    elif t == b'IDAT':
        idat += c
    pos += 12 + n
bpp = {2: 3, 6: 4}[ct]
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
rows = []
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y >= h - 16:
        rows.append(line)
# the bottom 16 rows: how many pixels are not white
print(sum(1 for r in rows for x in range(w) if r[x * bpp:x * bpp + 3] != b'\xff\xff\xff'))
