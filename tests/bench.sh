#!/usr/bin/env bash
# bench.sh - run every benchmark: compiled ones ($B/bench/bench_*) and scripts
# (tests/bench_*.sh). Each prints its figures beside its ceiling. Not part of make check.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
export PEERMAIL_TOP=$top PEERMAIL_BIN=$top/$B/peermail B
for b in "$top/$B"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b"
done
for b in "$top"/tests/bench_*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b")"
	bash "$b"
done
