#!/usr/bin/env python3
# column.py FILE.csv NAME - the values of column NAME (header row), one a line; "#header"
# as NAME prints the header row joined with commas.
import csv, sys

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
if sys.argv[2] == "#header":
    print(",".join(rows[0]))
else:
    i = rows[0].index(sys.argv[2])
    for r in rows[1:]:
        print(r[i])
