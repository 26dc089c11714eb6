#!/usr/bin/env bash
# demo.sh - peermail end to end on the embedded defaults (conf/peermail.conf):
# a SQLite database under var/, outgoing mail captured in the Maildir var/sent.
# Nothing leaves the machine. Run from the top of the source tree: make demo
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
PM="$top/$B/peermail --config $top/conf/peermail.conf"
step() { printf '\n==> %s\n' "$*"; }

step "Start from a clean var/ (database, secret and sent mail of the demo)"
rm -rf var
step "peermail check-config"
$PM check-config
step "peermail init"
$PM init
