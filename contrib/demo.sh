#!/usr/bin/env bash
# demo.sh - one campaign end to end on the embedded defaults (conf/peermail.conf) made
# complete for the demo (var/demo.conf: those defaults and an organizers' mailbox, the one
# setting a real campaign must choose itself): a SQLite database under var/, outgoing mail
# captured in the Maildir var/sent/. Nothing leaves the machine. Run from the top of the
# source tree: make demo
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
# the demo's configuration: the defaults, plus where mail for people (replies to team@,
# postmaster@...) is forwarded; written into var/ below (paths resolve from var/ as from conf/)
export PEERMAIL_CONFIG=$top/var/demo.conf
demo_config() {
	mkdir -p var
	{ cat conf/peermail.conf
	  printf '\n# the demo only: a real campaign names a real mailbox outside its domain\n'
	  printf 'organizers_mailbox = "campaign-team@example.net"\n'; } >"$PEERMAIL_CONFIG"
}
PM="$top/$B/peermail"
demo=$(mktemp -d /tmp/peermail-demo-XXXXXX)
in=$top/contrib/demo
trap 'rm -rf "$demo"' EXIT
step() { printf '\n==> %s\n' "$*"; }
# run ARGS - show the command as one could paste it (arguments with spaces quoted), run it
run() {
	local a line='$ peermail'
	for a in "$@"; do
		case $a in *[[:space:]]*) line+=" '$a'" ;; *) line+=" $a" ;; esac
	done
	printf '%s\n' "$line"
	"$PM" "$@"
}
domain=$(sed -n 's/^domain *= *"\(.*\)".*/\1/p' conf/peermail.conf)
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

# show FILE - the interesting headers and the start of a captured message
show() {
	printf -- '--- %s\n' "$(basename "$1")"
	for h in From To Reply-To Subject List-Unsubscribe Auto-Submitted; do
		v=$(header "$1" "$h"); [ -n "$v" ] && printf '%s: %s\n' "$h" "$v"
	done
	printf -- '---\n'
}
count() { find "$sent" -type f 2>/dev/null | wc -l; }

step "Start from a clean var/ (the demo's database, secret and captured mail)"
rm -rf var
demo_config
run check-config | head -n 10
run init

step "Organizer: districts, members, a petition and its targets"
run district import "$in/districts.csv"
run member import "$in/members.csv" --list news || true
run list show news --json
run petition create clean-air --title "Clean air around our schools" --text "$in/petition.txt" --goal 4
run target add "Nora North" --email north@council.example --district North --title Councillor --petition clean-air
run target add "Sam South" --email south@council.example --district South --title Councillor --petition clean-air
run target add "Alex Moore" --email mayor@council.example --title Mayor --petition clean-air

step "Announce the petition to the list: every copy has the member's own reply-to-sign address"
id1=$("$PM" newsletter create --list news --subject "Please sign: {{petition.title}}" --body "$in/announce.md" --petition clean-air)
echo "newsletter $id1"
run newsletter send "$id1" --wait
echo "captured in var/sent/new: $(count) messages"
show "$(newest_to ann@example.org)"

step "Members reply; peermail receive turns replies into signatures (quotes stripped)"
reply ann@example.org "Ann Example" "$(newest_to ann@example.org)" "Count me in. The traffic at the gate is awful."
reply carl@example.org "Carl Weber" "$(newest_to carl@example.org)" "Yes!"
echo "A vacation auto-reply never counts:"
to=$(header "$(newest_to dev@example.org)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
printf 'From: Dev Patel <dev@example.org>\nTo: %s\nSubject: Out of Office: Please sign\nAuto-Submitted: auto-replied\nMessage-ID: <ooo-1@example.org>\n\nI am away until Monday.\n' "$to" >"$demo/ooo.eml"
printf '$ peermail receive < out-of-office reply from dev@example.org\n'
"$PM" receive --sender dev@example.org --recipient "$to" <"$demo/ooo.eml"
echo "A replayed reply (the MTA delivered it twice) changes nothing:"
printf '$ peermail receive < the same reply again\n'
"$PM" receive --sender carl@example.org --recipient "$(header "$demo/reply.eml" To)" <"$demo/reply.eml"
run run --once
run petition show clean-air --json
run petition signatures clean-air --csv

step "A reply that says no is not a signature; one that says unsubscribe unsubscribes"
printf 'From: Dev Patel <dev@example.org>\nTo: %s\nSubject: Re: Please sign\nMessage-ID: <no-1@example.org>\n\nNo thanks, I do not support this.\n' "$to" >"$demo/no.eml"
printf '$ peermail inspect < no.eml | grep intent\n'
"$PM" inspect <"$demo/no.eml" | grep '^intent:'
printf '$ peermail receive < "No thanks, I do not support this." from dev@example.org\n'
"$PM" receive --sender dev@example.org --recipient "$to" <"$demo/no.eml"
reply bea@example.org "Bea Lund" "$(newest_to bea@example.org)" "UNSUBSCRIBE. Stop sending me these."
run run --once
echo "Dev's answer: $(header "$(newest_to dev@example.org)" Subject)"
echo "Bea's answer: $(header "$(newest_to bea@example.org)" Subject)"
run petition show clean-air
run list show news --json
echo "(Bea comes back to show the rest of the campaign: any message to news+subscribe, then the reply)"
printf 'From: Bea Lund <bea@example.org>\nTo: news+subscribe@%s\nSubject: back\nMessage-ID: <back-1@example.org>\n\nsubscribe\n' "$domain" >"$demo/back.eml"
"$PM" receive --sender bea@example.org --recipient "news+subscribe@$domain" <"$demo/back.eml"
run run --once
reply bea@example.org "Bea Lund" "$(newest_to bea@example.org)" "yes"

step "A member mails a story; the organizer approves it by replying to the moderation notice"
printf '$ peermail receive < story from bea@example.org to story+clean-air@%s\n' "$domain"
sed "s/act.example.org/$domain/" "$in/story.eml" | "$PM" receive --sender bea@example.org --recipient "story+clean-air@$domain"
run run --once
show "$(newest_to org@act.example.org)"
reply org@act.example.org "Olga Organizer" "$(newest_to org@act.example.org)" "approve"
run story ls --json

step "An update newsletter with the story, scheduled, to those who have not signed yet"
id2=$("$PM" newsletter create --list news --subject "{{petition.signatures}} neighbours have signed" --body "$in/update.md" --petition clean-air --skip-signed)
echo "newsletter $id2"
run newsletter schedule "$id2" --at "$(date -d '+1 hour' '+%Y-%m-%d %H:%M')"
run run --once
run newsletter status "$id2" --json
echo "(the demo moves the schedule to now instead of waiting an hour)"
sqlite3 var/peermail.db "UPDATE newsletters SET scheduled_at = strftime('%s','now') WHERE id = $id2"
run run --once
run newsletter status "$id2" --json
show "$(newest_to bea@example.org)"
reply bea@example.org "Bea Lund" "$(newest_to bea@example.org)" "Signing now. Thank you for sharing our story!"

step "Deliver the petition: each councillor gets the signers of their district, the mayor all"
run deliver clean-air --now
run run --once
run delivery ls --petition clean-air --json
for t in north south mayor; do
	f=$(newest_to "$t@council.example")
	if [ -z "$f" ]; then
		printf '%s@council.example: nothing new to deliver\n' "$t"
		continue
	fi
	printf '%s@council.example: %s, CSV attached:\n' "$t" "$(header "$f" Subject)"
	python3 - "$f" <<'PY'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
for part in m.walk():
    if part.get_filename():
        for line in part.get_payload(decode=True).decode().splitlines():
            print('    ' + line)
PY
done

step "A member starts a petition by mail: she confirms, five people sponsor it, the organizer publishes it"
# mailto FROM NAME TO SUBJECT TEXT - a new message through peermail receive
mailto() {
	printf 'From: %s <%s>\nTo: %s\nSubject: %s\nMessage-ID: <%s.%s@example.net>\nDate: %s\nContent-Type: text/plain; charset=utf-8\n\n%b\n' \
		"$2" "$1" "$3" "$4" "$RANDOM$RANDOM" "${1%@*}" "$(date -R)" "$5" >"$demo/new.eml"
	printf '$ peermail receive --sender %s --recipient %s < "%s"\n' "$1" "$(printf '%s' "$3" | sed 's/+[a-z0-9]*@/+...@/')" "$4"
	"$PM" receive --sender "$1" --recipient "$3" <"$demo/new.eml"
}
# body_address FILE KEYWORD - the first KEYWORD+...@domain address in a captured message's text
body_address() {
	python3 - "$1" "$2" "$domain" <<'PY'
import email, email.policy, re, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
t = m.get_body(('plain',)).get_content()
print(re.search(re.escape(sys.argv[2]) + r'\+[a-z0-9+-]+@' + re.escape(sys.argv[3]), t).group(0))
PY
}
mailto fay@example.org "Fay Ortiz" "start@$domain" "Safe bike lanes on Main Street" \
	"Cyclists on Main Street share the road with buses and trucks.\nTo: the city council\nGoal: 100\nWe ask the council for protected bike lanes on Main Street."
run run --once
show "$(newest_to fay@example.org)"
reply fay@example.org "Fay Ortiz" "$(newest_to fay@example.org)" "yes"
run run --once
sponsor=$(body_address "$(newest_to fay@example.org)" sponsor)
echo "Fay shares her sponsor address: $(printf '%s' "$sponsor" | sed 's/+[a-z0-9]*@/+...@/')"
for who in ana ben cho dia eli; do
	mailto "$who@example.org" "${who^} Sponsor" "$sponsor" "I sponsor this" "Count me in."
	"$PM" run --once >/dev/null 2>&1
	reply "$who@example.org" "${who^} Sponsor" "$(newest_to "$who@example.org")" "yes"
done
run petition ls --status moderation
run run --once
show "$(newest_to org@act.example.org)"
reply org@act.example.org "Olga Organizer" "$(newest_to org@act.example.org)" "approve"
run run --once
show "$(newest_to fay@example.org)"
run petition show safe-bike-lanes-on-main-street

step "Fay gives news to her signers: the organizer approves it by reply, it goes out as a newsletter"
upd=$(body_address "$(newest_to fay@example.org)" update)
mailto fay@example.org "Fay Ortiz" "$upd" "The council discusses bike lanes on Monday" \
	"Hello {{member.first_name}},\n\nthe council discusses **Main Street** on Monday at 18:00. Come and show your support!"
run run --once
show "$(newest_to org@act.example.org)"
reply org@act.example.org "Olga Organizer" "$(newest_to org@act.example.org)" "approve"
run run --once
show "$(newest_to ana@example.org)"
run petition history safe-bike-lanes-on-main-street

step "Where things stand"
run outbox --json
run stats --json
echo
echo "Every message peermail sent is in var/sent/new ($(count) files); nothing left the machine."

step "The public page: peermail web on loopback, and a screenshot by headless Chromium"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$PM" web --listen "127.0.0.1:$port" >"$demo/web.log" 2>&1 &
web_pid=$!
trap 'kill $web_pid 2>/dev/null; rm -rf "$demo"' EXIT
for _ in $(seq 1 50); do grep -q listening "$demo/web.log" && break; sleep 0.1; done
url="http://127.0.0.1:$port/p/clean-air"
printf '$ curl -s %s/count.json\n' "$url"; curl -s "$url/count.json"; echo
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chrome" ]; then
	timeout 60 "$chrome" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$demo/chrome" --window-size=1000,1600 \
		--screenshot="$top/var/petition.png" "$url" >/dev/null 2>&1 || true
	[ -s "$top/var/petition.png" ] && echo "Screenshot: $top/var/petition.png"
else
	echo "(chromium not installed: no screenshot)"
fi
step "Next"
cat <<EOF
- The mail peermail sent: var/sent/new/ (one file per message; less var/sent/new/*).
- The database: var/peermail.db; look with $B/peermail stats, petition ls, outbox.
  Every command: $B/peermail help; the manual: man -l man/peermail.1 and man -l
  man/peermail.conf.5 (after make install: man peermail, man peermail.conf).
- The page again: $B/peermail web --listen 127.0.0.1:8080, then open
  http://127.0.0.1:8080/p/clean-air (the demo's own server stops with the demo).
- For real mail: make install, then the README's "Mail setup" checklist.
EOF
if [ -t 0 ] && [ -t 1 ]; then
	printf '\nThe petition page is served at %s until you press Ctrl-C.\n' "$url"
	wait "$web_pid" || true
fi
