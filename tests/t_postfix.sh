# t_postfix.sh - a private Postfix instance on loopback delivers through the contrib pipe
# transport into `peermail receive`: a signature is recorded, an unknown petition (67)
# bounces, a transient failure (75) defers and is delivered after a retry.
# Everything lives under $T; Postfix is stopped at exit. Needs root (to start Postfix and
# to create the unprivileged pipe user); skipped otherwise or without Postfix.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/postfix_lib.sh"

postfix_need "postfix pipe" "needs root and Postfix"
postfix_pipe_user "postfix pipe"
setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
chown -R "$PIPE_USER" "$T/var"
# the pipe user runs copies from this test's own folder: the checkout may be anywhere,
# e.g. under /root (mode 0700), where that user can read nothing
mkdir -p "$T/run"
cp "$PEERMAIL_BIN" "$T/run/peermail"
cp "$(dirname "$PEERMAIL_BIN")/peermail-full" "$T/run/peermail-full"   # the front runs it
cp -r "$PEERMAIL_TOP/templates" "$T/run/templates"
chmod -R a+rX "$T/run"
sed -i "s|^templates = .*|templates = \"$T/run/templates\"|" "$T/conf/peermail.conf"

postfix_mx_cf 'transport_maps = inline:{ act.test=peermail: }' \
	"virtual_alias_maps = texthash:$T/virtual" \
	'peermail_destination_recipient_limit = 1' 'relay_transport = discard:captured' \
	'queue_run_delay = 300s' 'minimal_backoff_time = 300s' 'maximal_backoff_time = 600s'
# the contrib owner addresses (From: mailbox, postmaster, abuse) to a real mailbox: here
# one on another domain, which this Postfix "delivers" by discarding (logged)
sed -e '/^#/d' -e 's/act\.example\.org/act.test/' -e 's/campaign-team@example\.net/team-box@elsewhere.test/' \
    "$PEERMAIL_TOP/contrib/postfix/virtual" >"$T/virtual"
# the contrib transport, with this test's binary, config and user
sed -e "s|user=peermail|user=$PIPE_USER|" \
    -e "s|/usr/local/bin/peermail|$T/run/peermail|" \
    -e "s|/etc/peermail/peermail.conf|$T/conf/peermail.conf|" \
    "$PEERMAIL_TOP/contrib/postfix/master.cf" | grep -v '^#' >"$T/pipe.cf"
postfix_master_cf "$(cat "$T/pipe.cf")"
postfix_must_start

# send FROM TO SUBJECT BODY - one message over SMTP to the private Postfix
send() {
	python3 - "$PF_PORT" "$@" <<'EOF'
import smtplib, sys, email.utils
port, frm, to, subject, body = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
msg = ("From: Tester <%s>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\nDate: %s\r\n\r\n%s\r\n"
       % (frm, to, subject, email.utils.make_msgid(domain="client.test"),
          email.utils.formatdate(), body))
with smtplib.SMTP("127.0.0.1", int(port), timeout=20) as s:
    s.sendmail(frm, [to], msg)
EOF
}
# wait_log REGEX [COUNT] - wait (20 s at most) until the maillog has COUNT lines matching REGEX
wait_log() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -Ec -- "$1" "$PF/log/maillog" 2>/dev/null)" -ge "${2:-1}" ] && return 0
		sleep 0.2
	done
	# on failure, Postfix's own lines about the message say why (e.g. the pipe user
	# could not run the binary)
	echo "no /$1/ in the Postfix log; its lines for the message:"
	grep -E -- "${1%%>*}>|status=|fatal|warning" "$PF/log/maillog" 2>/dev/null | tail -n 8
	return 1
}

send signer@client.test sign+trees@act.test "Please" "Count me in"
ok "a message to sign+SLUG is delivered through the pipe" \
	wait_log 'to=<sign\+trees@act.test>.*relay=peermail.*status=sent'
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'signer@client.test'")" 1 "the signature is recorded"
is "$(sql "SELECT sender FROM inbound WHERE from_addr = 'signer@client.test'")" signer@client.test "the envelope sender came from the pipe"

# the From: mailbox and postmaster@ reach the organizers' mailbox, not peermail
send reader@client.test team@act.test "Re: your petition" "A question for a person"
ok "with the MTA option, a reply to the From: mailbox goes to a real mailbox (contrib/postfix/virtual)" \
	wait_log 'to=<team-box@elsewhere.test>, orig_to=<team@act.test>.*status=sent'
send reader@client.test postmaster@act.test "Report" "For the postmaster"
ok "postmaster@ goes to the real mailbox too" \
	wait_log 'to=<team-box@elsewhere.test>, orig_to=<postmaster@act.test>.*status=sent'
is "$(grep -c 'to=<team@act.test>.*relay=peermail' "$PF/log/maillog")" 0 "none of it is handed to peermail"

send someone@client.test sign+nosuch@act.test "Please" "Me too"
ok "an unknown petition (67) bounces" \
	wait_log 'to=<sign\+nosuch@act.test>.*status=bounced.*unknown petition'

# a transient failure: the database cannot be opened by the pipe user
chmod 000 "$T/var/peermail.db"
send later@client.test sign+trees@act.test "Later" "Retry me"
ok "a transient failure (75) defers" \
	wait_log 'to=<sign\+trees@act.test>.*status=deferred'
is "$(postqueue -c "$PF/etc" -j 2>/dev/null | grep -c 'sign+trees@act.test')" 1 "the message stays queued"
like "$(grep 'to=<sign+trees@act.test>.*status=deferred' "$PF/log/maillog")" \
	"the user running peermail, $PIPE_USER, needs write access to the database" \
	"and the deferral says which user needs access (a database made by root)"
chmod 600 "$T/var/peermail.db"
# flush until delivered: a flush that comes while the queue manager still holds the
# deferred message is lost, and the next regular retry would be minutes away
retried() {
	local i
	for i in $(seq 1 30); do
		postqueue -c "$PF/etc" -f 2>/dev/null
		[ "$(grep -Ec -- 'to=<sign\+trees@act.test>.*relay=peermail.*status=sent' "$PF/log/maillog")" -ge 2 ] && return 0
		sleep 1
	done
	return 1
}
ok "after a retry it is delivered" retried
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'later@client.test'")" 1 "the retried message is recorded once"
unlike "$(grep -E 'relay=peermail' "$PF/log/maillog")" 'status=bounced.*(signer|later)@' "nothing that should succeed bounced"

# recipient validation before accepting: the contrib main.cf's check_recipient_access asks
# `peermail run --socketmap` (run as the pipe user, like the pipe); an unknown address is
# refused in the SMTP dialogue with peermail's reason and nothing is queued. With the
# daemon running, the pipe's receive hands messages to it (lmtp.socket).
MAP_PORT=$(free_port)
start_bg map 'socketmap: listening' runuser -u "$PIPE_USER" -- "$T/run/peermail" \
	--config "$T/conf/peermail.conf" run --socketmap "127.0.0.1:$MAP_PORT"
MAP_PID=$BG_PID
check=$(grep '^smtpd_recipient_restrictions' "$PEERMAIL_TOP/contrib/postfix/main.cf" |
	sed "s|127.0.0.1:2425|127.0.0.1:$MAP_PORT|")
like "$check" 'check_recipient_access socketmap:inet:127\.0\.0\.1:[0-9]+:peermail' "contrib/postfix/main.cf validates recipients with peermail's socketmap"
echo "$check" >>"$PF/etc/main.cf"
postfix -c "$PF/etc" reload >/dev/null 2>&1
sleep 1
# rcpt_reply TO - what the private Postfix answers to RCPT TO:<TO>
rcpt_reply() {
	python3 - "$PF_PORT" "$1" <<'EOF'
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20) as s:
    s.ehlo("client.test"); s.mail("someone@client.test")
    code, text = s.rcpt(sys.argv[2])
    print(code, text.decode())
EOF
}
is "$(rcpt_reply sign+nosuch@act.test)" "550 5.1.1 <sign+nosuch@act.test>: Recipient address rejected: unknown petition 'nosuch'" "an unknown petition is refused at RCPT TO with peermail's reason"
is "$(rcpt_reply news+subscribe@act.test | cut -c1-9)" "550 5.1.1" "an unknown list too"
is "$(rcpt_reply sign+trees@act.test)" "250 2.1.5 Ok" "a known address is accepted"
send someone@client.test sign+nosuch@act.test "Please" "Me too" 2>/dev/null
ok "sending to it fails in the dialogue" wait_log 'NOQUEUE: reject: RCPT from .*<sign\+nosuch@act.test>: Recipient address rejected: unknown petition'
is "$(postqueue -c "$PF/etc" -j 2>/dev/null | grep -c 'nosuch')" 0 "nothing is queued"
is "$(grep -Ec 'to=<sign\+nosuch@act.test>.*status=bounced' "$PF/log/maillog")" 1 "and nothing more bounces (only the one from before validation)"
send valid@client.test sign+trees@act.test "Please" "Count me in"
ok "a known address is still delivered (handed to the daemon by the pipe)" \
	wait_log 'to=<sign\+trees@act.test>.*relay=peermail.*status=sent' 3
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'valid@client.test'")" 1 "and recorded"
like "$(cat "$T/map.log")" 'from=valid@client\.test .*sign pending' "by the daemon"

# LMTP over a unix socket as docs/inbound.md sets it up: Debian runs Postfix's lmtp client
# chrooted in the queue folder (master.cf "y"), so the socket lives in a folder there that
# group postfix may enter (setgid: the socket gets that group), the daemon runs with umask
# 0007 (the socket is group-writable), and the transport names it relative to the queue
kill "$MAP_PID"; wait "$MAP_PID" 2>/dev/null
install -d -o "$PIPE_USER" -g postfix -m 2750 "$PF/queue/peermail"
(umask 0007; exec runuser -u "$PIPE_USER" -- "$T/run/peermail" --config "$T/conf/peermail.conf" run \
	--socketmap "127.0.0.1:$MAP_PORT" --lmtp "unix:$PF/queue/peermail/lmtp.sock") >"$T/lmtp.log" 2>&1 &
LMTP_PID=$!
at_exit "kill $LMTP_PID"
for _ in $(seq 100); do grep -q 'socketmap: listening' "$T/lmtp.log" && break; sleep 0.1; done
like "$(stat -c '%A %G' "$PF/queue/peermail/lmtp.sock")" '^srw-rw---- postfix$' "the socket is group postfix, group-writable"
printf 'lmtp      unix  -       -       y       -       -       lmtp\n' >>"$PF/etc/master.cf"
sed -i 's|^transport_maps = .*|transport_maps = inline:{ act.test=lmtp:unix:peermail/lmtp.sock }|' "$PF/etc/main.cf"
postfix -c "$PF/etc" reload >/dev/null 2>&1
sleep 1
send lmtp@client.test sign+trees@act.test "Please" "Count me in"
ok "through lmtp:unix: to run --lmtp, the chrooted lmtp client delivers" \
	wait_log 'to=<sign\+trees@act.test>, relay=[^ ]*\[peermail/lmtp.sock\].*status=sent'
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'lmtp@client.test'")" 1 "and it is recorded"

done_testing
