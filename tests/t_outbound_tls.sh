# t_outbound_tls.sh - STARTTLS against a private Postfix smtpd on loopback with a
# self-signed certificate (everything it accepts is discarded), and STARTTLS required
# against a server that does not offer it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/postfix_lib.sh"

postfix_need "STARTTLS against Postfix" "needs Postfix and root (private instance)"
[ -x /usr/lib/postfix/sbin/smtpd ] || skip_all "STARTTLS against Postfix" "needs Postfix and root (private instance)"

# ==== a private Postfix: smtpd on 127.0.0.1:PF_PORT, TLS may, everything discarded ====
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PF/key.pem" -out "$PF/cert.pem" -days 2 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
chmod 644 "$PF/cert.pem"
chmod 600 "$PF/key.pem"
chown postfix:postfix "$PF/data"
postfix_main_cf "config_directory = $PF/etc" 'command_directory = /usr/sbin' \
	'daemon_directory = /usr/lib/postfix/sbin' 'shlib_directory = /usr/lib/postfix' \
	'meta_directory = /etc/postfix' 'mail_owner = postfix' 'setgid_group = postdrop' \
	'myhostname = localhost' 'relay_domains = example.net' 'relay_transport = discard:' \
	'default_transport = discard:' 'smtpd_relay_restrictions = permit_mynetworks, reject' \
	'smtpd_tls_security_level = may' "smtpd_tls_cert_file = $PF/cert.pem" \
	"smtpd_tls_key_file = $PF/key.pem" 'smtpd_tls_loglevel = 1'
postfix_master_cf 'tlsmgr    unix  -       -       n       1000?   1       tlsmgr'
if ! postfix_start; then
	skip_all "STARTTLS against Postfix" "private Postfix did not start: $(tail -3 "$PF/log/maillog" 2>/dev/null)"
fi

queue() { # ID RECIPIENT
	sql "INSERT INTO outbox(id, kind, recipient, status, next_attempt, created_at, updated_at)
	  VALUES ($1, 'notice', '$2', 'queued', 0, strftime('%s','now'), strftime('%s','now'));
	INSERT INTO outbox_message(outbox_id, message) VALUES ($1, CAST('From: Team <team@act.test>' ||
	  char(13,10) || 'To: <$2>' || char(13,10) || 'Subject: tls $1' || char(13,10) || char(13,10) ||
	  'over TLS' || char(13,10) AS BLOB));"
}
# discarded RECIPIENT - Postfix accepted and discarded mail for RECIPIENT
discarded() {
	for _ in $(seq 1 60); do
		grep -q "to=<$1>.*status=sent" "$PF/log/maillog" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
tls_config() { # HOST EXTRA
	write_config 'transport = "smtp"' \
		"smtp \"pf\" { host = \"$1\" port = $PF_PORT starttls = \"required\" connections = 2 timeout = 10 $2 }"
}

# 1. self-signed certificate accepted with tls_verify = false
tls_config 127.0.0.1 'tls_verify = false'
pm init >/dev/null
queue 1 one@example.net
queue 2 two@example.net
ok "run --once over STARTTLS" pm run --once
is "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND smtp_code = 250")" 2 \
	"tls_verify = false: both sent (250)"
ok "Postfix accepted the first" discarded one@example.net
ok "Postfix accepted the second" discarded two@example.net
like "$(cat "$PF/log/maillog")" 'TLS connection established from' "the connection used TLS"
like "$(grep 'from=<bounce+' "$PF/log/maillog" | head -1)" 'from=<bounce\+[a-z2-7]+@act.test>' \
	"the envelope sender is the VERP address"

# 2. the certificate verified against ca_file, host name matching
tls_config localhost "ca_file = \"$PF/cert.pem\""
queue 3 three@example.net
pm run --once >/dev/null 2>&1
is "$(sql "SELECT status FROM outbox WHERE id = 3")" sent "ca_file: the certificate verifies, sent"
ok "Postfix accepted it" discarded three@example.net

# 3. verification on, no CA for the self-signed certificate: deferred, not sent in clear
tls_config 127.0.0.1 ''
queue 4 four@example.net
pm run --once >/dev/null 2>&1
is "$(sql "SELECT status FROM outbox WHERE id = 4")" deferred "untrusted certificate: deferred"
like "$(sql "SELECT smtp_text FROM outbox WHERE id = 4")" 'TLS certificate not trusted' "the reason names TLS"
grep -q 'to=<four@example.net>' "$PF/log/maillog"
is $? 1 "nothing was handed to Postfix"

# 4. STARTTLS required against a server that does not offer it
if [ -x "$SINK" ]; then
	sp=$(free_port)
	start_sink plain "$sp"
	write_config 'transport = "smtp"' \
		"smtp \"plain\" { host = \"127.0.0.1\" port = $sp starttls = \"required\" connections = 1 }"
	queue 5 five@example.net
	pm run --once >/dev/null 2>&1
	is "$(sql "SELECT status FROM outbox WHERE id = 5")" deferred "STARTTLS required, not offered: deferred"
	like "$(sql "SELECT smtp_text FROM outbox WHERE id = 5")" 'STARTTLS required' "the reason says so"
else
	skip "STARTTLS required against a plain server" "no smtp-sink"
fi

done_testing
