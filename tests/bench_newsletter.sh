#!/usr/bin/env bash
# bench_newsletter.sh - the whole newsletter path at scale: N members imported, one
# personalized Markdown newsletter linked to a petition (each copy with its own sign and
# unsubscribe tokens), expanded into the outbox and rendered at send time by one
# `peermail run --once`, sent through Postfix's smtp-sink on loopback; then smtp-source
# with the same message size and connections against the same sink as the ceiling.
# Prints messages/s for both, the ratio, peermail's peak RSS and the CPU time of peermail
# and of the sink in each phase (the host may be shared: compare CPU per message too).
# Environment: N (members, default 100000), CONNECTIONS (default 4), DKIM (rsa, ed25519
# or both: sign every copy with fresh keys of that kind; default none).
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
C=${CONNECTIONS:-4}
SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$SINK" ] && [ -x "$SOURCE" ] || { echo "smtp-sink/smtp-source not found: skipped"; exit 0; }
port=$(free_port)
start_counting_sink "$port"
sink=$SINK_PID

python3 - "$N" >"$T/members.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("email,name,postcode,district")
for i in range(n):
    print(f"member{i}@example.net,Member {i} Example,N{i % 50} 1AA,D{i % 50}")
PY
cat >"$T/body.md" <<'MD'
Hello {{member.first_name}},

Our children breathe the fumes of the school run every morning. We are asking the city
council to close the streets around our schools at drop-off and pick-up times, and
**{{petition.signatures}} neighbours** have already said yes.

> {{petition.text}}

What you can do this week:

1. Reply to this email to sign: your reply is your signature.
2. Forward it to a neighbour in {{member.district}} who cares.
3. Come to the council meeting on Thursday at 7 pm.

Thank you for standing with us, {{member.first_name}}.
MD
printf 'We ask the council to close the streets around our schools at drop-off and pick-up times.\n' >"$T/petition.txt"

dkim=()
case "${DKIM:-}" in
rsa|both) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
	dkim+=("dkim { selector = \"r\" key_file = \"$T/rsa.pem\" }") ;;&
ed25519|both) openssl genpkey -algorithm ed25519 -out "$T/ed.pem" 2>/dev/null
	dkim+=("dkim { selector = \"e\" key_file = \"$T/ed.pem\" }") ;;
esac
write_config 'transport = "smtp"' \
	"smtp \"sink\" { host = \"127.0.0.1\" port = $port starttls = \"no\" connections = $C }" \
	'queue { batch_size = 500 }' "${dkim[@]+"${dkim[@]}"}"
pm init >/dev/null
pm list create news >/dev/null
t0=$(date +%s.%N)
pm member import "$T/members.csv" --list news >/dev/null 2>&1
t1=$(date +%s.%N)
pm petition create clean-air --title "Clean air around our schools" --text "$T/petition.txt" >/dev/null
id=$(pm newsletter create --list news --subject "{{member.first_name}}, please sign: {{petition.title}}" \
	--body "$T/body.md" --petition clean-air)
# one copy in a Maildir, for the size of a message (the sink keeps nothing)
cp "$T/conf/peermail.conf" "$T/conf/maildir.conf"
sed -i 's/^transport = "smtp"/transport = "maildir"/' "$T/conf/maildir.conf"
"$PEERMAIL_BIN" --config "$T/conf/maildir.conf" newsletter preview "$id" --to member1@example.net >/dev/null 2>&1
"$PEERMAIL_BIN" --config "$T/conf/maildir.conf" run --once >/dev/null 2>&1
size=$(find "$T/var/sent/new" -type f -exec stat -c %s {} \; | head -n 1)
pm newsletter send "$id" >/dev/null
# CPU seconds (user + system) the sink has used so far
sink_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$sink/stat"; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
c2=$(sink_cpu)
t2=$(date +%s.%N)
${PROFILE:-} /usr/bin/time -v "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --once 2>"$T/run.err" >/dev/null; [ -n "${PEERMAIL_SQL_SLOW_MS:-}" ] && grep "slow SQL" "$T/run.err" | sed "s/ [0-9.]* ms:/ ms:/" | cut -c1-200 | sort | uniq -c | sort -rn | head -8
t3=$(date +%s.%N)
c3=$(sink_cpu)
sent=$(sql "SELECT count(*) FROM outbox WHERE kind = 'newsletter' AND status = 'sent'")
rss=$(grep 'Maximum resident' "$T/run.err" | awk '{print $NF}')
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$T/run.err")
rate=$(echo "$sent / ($t3 - $t2)" | bc -l)
printf 'import of %d members: %.2f s\n' "$N" "$(echo "$t1 - $t0" | bc -l)"
printf 'peermail newsletter (expand + render + %ssend), connections=%d: %d of %d sent in %.2f s = %.0f msg/s, peak RSS %.1f MiB, message %d bytes\n' \
	"${DKIM:+DKIM $DKIM + }" "$C" "$sent" "$N" "$(echo "$t3 - $t2" | bc -l)" "$rate" "$(echo "$rss / 1024" | bc -l)" "$size"
printf '  CPU: peermail %.2f s (%.0f us/message), smtp-sink %.2f s; load average before: %s\n' \
	"$cpu" "$(echo "$cpu * 1000000 / $N" | bc -l)" "$(echo "$c3 - $c2" | bc -l)" "$load"
c0=$(sink_cpu)
t0=$(date +%s.%N)
"$SOURCE" -d -s "$C" -m "$N" -l "$size" -f team@act.test -t sink@example.net 127.0.0.1:$port >/dev/null 2>&1
t1=$(date +%s.%N)
c1=$(sink_cpu)
ceiling=$(echo "$N / ($t1 - $t0)" | bc -l)
printf 'smtp-source -s %d -l %d (ceiling): %d messages in %.2f s = %.0f msg/s\n' "$C" "$size" "$N" "$(echo "$t1 - $t0" | bc -l)" "$ceiling"
printf '  CPU: smtp-sink %.2f s\n' "$(echo "$c1 - $c0" | bc -l)"
printf 'ratio: %.2f of smtp-source (target >= 0.6)\n' "$(echo "$rate / $ceiling" | bc -l)"
