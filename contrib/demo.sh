#!/usr/bin/env bash
# demo.sh - one campaign end to end on the embedded defaults (conf/peermail.conf):
# a SQLite database under var/, outgoing mail captured in the Maildir var/sent/.
# Nothing leaves the machine. Run from the top of the source tree: make demo
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
export PEERMAIL_CONFIG=$top/conf/peermail.conf
PM="$top/$B/peermail"
demo=$(mktemp -d /tmp/peermail-demo-XXXXXX)
trap 'rm -rf "$demo"' EXIT
step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ peermail %s\n' "$*"; "$PM" "$@"; }
domain=$(sed -n 's/^domain *= *"\(.*\)".*/\1/p' "$PEERMAIL_CONFIG")
sent="$top/var/sent/new"

# header FILE NAME - the value of a header in a captured message
header() { awk -v h="$2:" 'BEGIN{IGNORECASE=1} /^\r?$/{exit} tolower($1)==tolower(h){sub(/^[^:]*: */,""); sub(/\r$/,""); print; exit}' "$1"; }
# newest_to ADDR - the newest captured message to ADDR
newest_to() { grep -l -i "^To: .*$1" "$sent"/* 2>/dev/null | xargs -r ls -t | head -n 1; }
# reply FROM NAME FILE TEXT - feed a member's reply to message FILE through peermail receive
reply() {
	local from=$1 name=$2 file=$3 text=$4 to subj mid
	to=$(header "$file" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
	subj=$(header "$file" Subject)
	mid=$(header "$file" Message-ID)
	printf 'From: %s <%s>\nTo: %s\nSubject: Re: %s\nMessage-ID: <%s.%s@example.net>\nIn-Reply-To: %s\nDate: %s\nContent-Type: text/plain; charset=utf-8\n\n%s\n\nOn %s, Campaign Team wrote:\n> %s\n' \
		"$name" "$from" "$to" "$subj" "$RANDOM$RANDOM" "${from%@*}" "$mid" "$(date -R)" "$text" "$(date -R)" "$subj" >"$demo/reply.eml"
	printf '$ peermail receive --sender %s --recipient %s < reply from %s\n' "$from" "${to%%+*}+...@$domain" "$name"
	"$PM" receive --sender "$from" --recipient "$to" <"$demo/reply.eml"
}

step "Start from a clean var/ (the demo's database, secret and captured mail)"
rm -rf var
run check-config | head -n 12
run init
