# t_postfix_bounces.sh - real bounce(8) mail from a private Postfix on loopback, read by
# `peermail inspect` (issue 18's generality probe: mail from a real MTA, not from a
# corpus): a hard refusal, a message returned after 4xx replies (Action: failed with a
# 4.x.x status: permanent), an alias expanded on the way (the alias is the address we sent
# to), and a delay warning (not a failure). Two smtp-sink processes play the remote
# servers; the bounces come back to the VERP return path and are captured by a pipe.
# Everything lives under $T; Postfix and the sinks stop at exit. Needs root and Postfix.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/postfix_lib.sh"

postfix_need "postfix bounces" "needs root, Postfix and smtp-sink" smtp-sink
postfix_pipe_user "postfix bounces"
setup
mkdir -p "$T/mail"
chmod 0777 "$T/mail"

HARD=$(free_port) SOFT=$(free_port)
# the remote servers: one refuses every recipient (550), one defers every recipient (450)
smtp-sink -u "$PIPE_USER" -f RCPT -h hard.remote.test "127.0.0.1:$HARD" 10 >/dev/null 2>&1 &
hard_pid=$!
smtp-sink -u "$PIPE_USER" -r RCPT -h soft.remote.test "127.0.0.1:$SOFT" 10 >/dev/null 2>&1 &
soft_pid=$!
at_exit "kill $hard_pid $soft_pid"

# main_cf LIFETIME DELAY_WARNING - the instance's main.cf
main_cf() {
	postfix_mx_cf 'virtual_alias_domains = lists.act.test' \
		'virtual_alias_maps = inline:{ { members@lists.act.test = alias-gone@hard.remote.test } }' \
		"transport_maps = inline:{ act.test=capture: hard.remote.test=smtp:[127.0.0.1]:$HARD soft.remote.test=smtp:[127.0.0.1]:$SOFT }" \
		"maximal_queue_lifetime = $1" "bounce_queue_lifetime = $1" "delay_warning_time = $2" \
		'queue_run_delay = 1s' 'minimal_backoff_time = 1s' 'maximal_backoff_time = 2s'
}
main_cf 0 0
postfix_master_cf \
	'smtp      unix  -       -       n       -       -       smtp' \
	'capture   unix  -       n       n       -       1       pipe' \
	"  flags=R user=$PIPE_USER argv=/bin/sh -c { cat > $T/mail/\${queue_id}.eml }"
postfix_must_start

# send RETURN_PATH TO - one message over SMTP with a VERP return path
send() {
	python3 - "$PF_PORT" "$@" <<'EOF'
import smtplib, sys, email.utils
port, frm, to = sys.argv[1], sys.argv[2], sys.argv[3]
msg = ("From: Campaign Team <team@act.test>\r\nTo: %s\r\nSubject: Save the trees\r\n"
       "Message-ID: %s\r\nDate: %s\r\n\r\nPlease sign.\r\n"
       % (to, email.utils.make_msgid(domain="act.test"), email.utils.formatdate()))
with smtplib.SMTP("127.0.0.1", int(port), timeout=20) as s:
    s.sendmail(frm, [to], msg)
EOF
}
# bounce_for TOKEN - the captured bounce sent to bounce+TOKEN@act.test (waits 20 s at most)
bounce_for() {
	local i f
	for i in $(seq 1 100); do
		f=$(grep -l "^Delivered-To: bounce+$1@act.test\|^To: bounce+$1@act.test" "$T"/mail/*.eml 2>/dev/null | head -1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.2
	done
	grep -E "status=|fatal|warning" "$PF/log/maillog" 2>/dev/null | tail -n 6 >&2
	return 1
}
# bounced FILE - inspect's "bounced:" lines for the captured message
bounced() { pm inspect <"$1" | grep '^bounced:'; }
# text_only FILE - the report's human-readable part alone, as a text/plain message (what a
# forwarding mailbox or a list that flattens MIME passes on): the free-text reader's input
text_only() {
	python3 - "$1" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.compat32)
part = next(p for p in m.walk() if p.get_content_type() == "text/plain")
text = part.get_payload(decode=True).decode(part.get_content_charset() or "us-ascii", "replace")
sys.stdout.write("From: %s\nTo: %s\nSubject: %s\nMIME-Version: 1.0\n"
                 "Content-Type: text/plain; charset=utf-8\n\n%s"
                 % (m["From"], m["To"], m["Subject"], text))
EOF
}

send bounce+hard@act.test gone@hard.remote.test
f=$(bounce_for hard) || true
ok "a refused recipient bounces to the VERP return path" test -n "$f"
like "$(bounced "$f")" '^bounced: +gone@hard\.remote\.test 5\.[0-9.]+ \(permanent\)' \
	"Postfix's report of a hard refusal: that recipient, permanent"
text_only "$f" >"$T/hard-text.eml"
like "$(bounced "$T/hard-text.eml")" '^bounced: +gone@hard\.remote\.test .*\(permanent\)' \
	"its text alone: the same recipient, permanent"

send bounce+soft@act.test late@soft.remote.test
f=$(bounce_for soft) || true
ok "a deferred message past its queue lifetime bounces" test -n "$f"
like "$(grep -i '^Action:\|^Status:' "$f" | tr '\n' ' ')" 'Action: failed.*Status: 4\.' \
	"Postfix reports it failed with a 4.x.x status"
like "$(bounced "$f")" '^bounced: +late@soft\.remote\.test 4\.[0-9.]+ \(permanent\)' \
	"a message returned after 4xx replies is a permanent failure of that message"
text_only "$f" >"$T/soft-text.eml"
is "$(bounced "$T/soft-text.eml" | grep -c 'late@soft\.remote\.test .*(permanent)')" 1 \
	"its text alone: permanent too, the remote's 4xx words are not the report's"

send bounce+alias@act.test members@lists.act.test
f=$(bounce_for alias) || true
ok "a recipient expanded from an alias bounces" test -n "$f"
like "$(bounced "$f")" '^bounced: +members@lists\.act\.test ' \
	"the address we sent to (the alias) is the failed recipient, not its expansion"
text_only "$f" >"$T/alias-text.eml"
is "$(bounced "$T/alias-text.eml" | sed 's/^bounced: *//; s/ .*//' | tr '\n' ' ')" "members@lists.act.test " \
	"its text alone ('expanded from'): the alias only"

# a delay warning: the message is still in the queue, so it is no failure
main_cf 1d 1s
postfix -c "$PF/etc" reload >/dev/null 2>&1
send bounce+delay@act.test slow@soft.remote.test
f=""
for i in $(seq 1 30); do
	postqueue -c "$PF/etc" -f >/dev/null 2>&1
	f=$(grep -l "^To: bounce+delay@act.test" "$T"/mail/*.eml 2>/dev/null | head -1)
	[ -n "$f" ] && break
	sleep 1
done
ok "a message deferred past delay_warning_time gets a delay warning" test -n "$f"
like "$(grep -i '^Action:' "$f" 2>/dev/null)" 'delayed' "Postfix's warning says Action: delayed"
like "$(bounced "${f:-/dev/null}" 2>&1)" '^bounced: +slow@soft\.remote\.test .*\(transient\)' \
	"a delay warning is transient: it disables nobody"
text_only "${f:-/dev/null}" >"$T/delay-text.eml" 2>/dev/null
like "$(bounced "$T/delay-text.eml" 2>&1)" '^bounced: +slow@soft\.remote\.test .*\(transient\)' \
	"its text alone: transient too"

done_testing
