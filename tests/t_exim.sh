# t_exim.sh - contrib/exim/peermail.conf with a real Exim 4 binary (Debian's exim4,
# unpacked, not installed: it cannot be installed beside Postfix; contrib/install-deps.sh
# unpacks it under /var/cache/peermail-tests/exim): the snippet's syntax (-bV); every
# address of the campaign domain, the owner addresses included (postmaster@, abuse@,
# owner@, owner+x@, LIST+owner@, the From: mailbox team@ and team+x@), routed by the
# peermail router to the pipe transport (-bt); with the optional redirect router, the
# addresses people read routed to a real mailbox instead; and real deliveries through the
# pipe into `peermail receive` as an unprivileged user: postmaster@ forwarded to
# organizers_mailbox, a signature by writing recorded, an unknown petition failed with
# peermail's reason. Everything lives under $T. Needs root (Exim's -C as root, the pipe
# user); skipped otherwise or without the unpacked binary.
. "$(dirname "$0")/lib.sh"

EXIM=${PEERMAIL_EXIM:-/var/cache/peermail-tests/exim/usr/sbin/exim4}
PIPE_USER=peermail-test
if [ "$(id -u)" != 0 ] || [ ! -x "$EXIM" ]; then
	skip "exim" "needs root and an Exim binary at $EXIM (contrib/install-deps.sh unpacks one)"
	done_testing; exit 0
fi
# Debian's exim4 looks up its compiled-in user at start, before reading any configuration
for u in Debian-exim "$PIPE_USER"; do
	id "$u" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin "$u" 2>/dev/null ||
		{ skip "exim" "cannot create the user $u"; done_testing; exit 0; }
done
setup 'organizers_mailbox = "people@elsewhere.test"'
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
# the pipe user runs copies from this test's own folder (the checkout may be under /root)
mkdir -p "$T/run"
cp "$PEERMAIL_BIN" "$T/run/peermail"
cp "$(dirname "$PEERMAIL_BIN")/peermail-full" "$T/run/peermail-full"   # the front runs it
cp -r "$PEERMAIL_TOP/templates" "$T/run/templates"
cp -r "$PEERMAIL_TOP/data/intent" "$T/run/intent"
chmod -R a+rX "$T/run" "$T/conf"
sed -i -e "s|^templates = .*|templates = \"$T/run/templates\"|" \
       -e "s|^intent_phrases = .*|intent_phrases = \"$T/run/intent\"|" "$T/conf/peermail.conf"
chown -R "$PIPE_USER" "$T/var"

X=$T/exim
mkdir -p "$X/spool" "$X/log"
# section FROM TO - the lines of the contrib file between two of its section markers
section() { sed -n "/^# ---- $1/,/^# ---- $2/p" "$PEERMAIL_TOP/contrib/exim/peermail.conf" | sed '1d;$d'; }
# conf PEOPLE - the test configuration: the contrib parts, with this test's domain,
# binary, configuration and user; PEOPLE=1 uncomments the optional redirect router
conf() {
	{
		echo "primary_hostname = mx.pm-test.invalid"
		echo "spool_directory = $X/spool"
		echo "log_file_path = $X/log/%slog"
		echo "exim_user = root"
		echo "exim_group = root"
		section "main" "routers"
		echo "domainlist relay_to_domains = +peermail_domains"
		echo "begin routers"
		if [ "$1" = 1 ]; then
			section "routers" "transports" | sed 's/^#\(peermail_people:\|  driver = redirect\|  domains = +peermail_domains\|  local_parts = \|  data = \)/\1/'
		else
			section "routers" "transports"
		fi
		echo "begin transports"
		sed -n '/^# ---- transports/,$p' "$PEERMAIL_TOP/contrib/exim/peermail.conf"
	} | sed -e 's/act\.example\.org/act.test/g' \
		-e 's/campaign-team@example\.net/team-box@elsewhere.test/' \
		-e "s|/usr/local/bin/peermail|$T/run/peermail|" \
		-e "s|/etc/peermail/peermail.conf|$T/conf/peermail.conf|" \
		-e "s|^  user = peermail|  user = $PIPE_USER|" \
		-e "s|^  group = peermail|  group = $(id -gn "$PIPE_USER")|"
}
conf 0 >"$X/exim.conf"
conf 1 >"$X/people.conf"
chmod 644 "$X/exim.conf" "$X/people.conf"
ex() { "$EXIM" -C "$X/exim.conf" "$@"; }

out=$(ex -bV 2>&1)
is "$?" 0 "Exim reads the contrib snippet (-bV)"
like "$out" "Configuration file is $X/exim.conf" "that configuration"

# ---- routing (-bt): every address of the domain goes to peermail ----
for a in help sign+trees news+subscribe confirm+abcdefghijklmnop team team+press \
	postmaster abuse owner owner+x news+owner PostMaster; do
	out=$(ex -bt "$a@act.test" 2>&1)
	like "$out" "router = peermail, transport = peermail_pipe" "$a@act.test is routed to peermail"
done
out=$(ex -bt someone@elsewhere.test 2>&1)
unlike "$out" "router = peermail" "another domain is not peermail's"
# the optional redirect router: the addresses people read go to a real mailbox instead
for a in team postmaster abuse; do
	out=$("$EXIM" -C "$X/people.conf" -bt "$a@act.test" 2>&1 | tr '\n' ' ')
	like "$out" "^team-box@elsewhere.test .*<-- $a@act.test" "with peermail_people, $a@ goes to the real mailbox"
done
out=$("$EXIM" -C "$X/people.conf" -bt owner@act.test 2>&1)
like "$out" "router = peermail, transport = peermail_pipe" "and owner@ still to peermail"

# ---- real deliveries through the pipe transport into peermail receive ----
# deliver FROM TO BODY - one message, delivered in the foreground (-odi)
n=0
deliver() {
	n=$((n + 1))
	printf 'From: Alice <%s>\nTo: %s\nSubject: Hello %d\nMessage-ID: <e%d.%d@client.test>\n\n%s\n' \
		"$1" "$2" "$n" "$n" "$$" "$3" | ex -odi -f "$1" "$2" >>"$X/deliver.out" 2>&1
}
deliver alice@example.org postmaster@act.test 'Your server is fine.'
like "$(cat "$X/log/mainlog")" "=> postmaster <postmaster@act.test> R=peermail T=peermail_pipe" "postmaster@ is delivered through the pipe"
is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "owner forwarded" "peermail forwards it"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'people@elsewhere.test'")" 1 "to organizers_mailbox"
deliver alice@example.org team+press@act.test 'A question for the team.'
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'people@elsewhere.test'")" 2 "team+press@ (the From: mailbox) is forwarded too"
is "$(sql "SELECT sender || ' ' || recipient FROM inbound ORDER BY id DESC LIMIT 1")" "alice@example.org team+press@act.test" "the envelope reached peermail from Exim's environment"
printf 'From: MAILER-DAEMON@example.org\nTo: postmaster@act.test\nSubject: Undelivered\nMessage-ID: <dsn.%d@example.org>\n\nA bounce.\n' "$$" |
	ex -odi -f '<>' postmaster@act.test >>"$X/deliver.out" 2>&1
is "$(sql "SELECT quote(sender) || ' ' || action FROM inbound ORDER BY id DESC LIMIT 1")" "'' owner" "a bounce to postmaster@ arrives with the null sender"
deliver bob@example.org sign+trees@act.test 'I sign.'
like "$(cat "$X/log/mainlog")" "=> sign <sign\\+trees@act.test> R=peermail T=peermail_pipe" "sign+trees@ is delivered"
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'bob@example.org'")" pending "a pending signature for the sender (the suffix reached peermail)"
deliver bob@example.org sign+nosuch@act.test 'I sign.'
like "$(cat "$X/log/mainlog")" "\\*\\* sign@act.test <sign\\+nosuch@act.test> R=peermail T=peermail_pipe: Child process of peermail_pipe transport returned 67" "an unknown petition fails (67): bounced"
like "$(cat "$X/log/mainlog")" "<sign\\+nosuch@act.test>: peermail_pipe transport output: peermail: unknown petition 'nosuch'" "with peermail's reason (return_fail_output puts it in the bounce)"
unlike "$(cat "$X/log/mainlog")" " == " "nothing was deferred"
done_testing
