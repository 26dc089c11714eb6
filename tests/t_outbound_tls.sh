# t_outbound_tls.sh - STARTTLS against a private Postfix smtpd on loopback with a
# self-signed certificate (everything it accepts is discarded), and STARTTLS required
# against a server that does not offer it.
. "$(dirname "$0")/lib.sh"

PF=$T/pf
PFPORT=$(free_port)
if ! command -v postfix >/dev/null 2>&1 || [ ! -x /usr/lib/postfix/sbin/smtpd ] || [ "$(id -u)" != 0 ] ||
	! id postfix >/dev/null 2>&1; then
	skip "STARTTLS against Postfix" "needs Postfix and root (private instance)"
	done_testing
	exit
fi

# ==== a private Postfix: smtpd on 127.0.0.1:PFPORT, TLS may, everything discarded ====
mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$PF/log"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PF/key.pem" -out "$PF/cert.pem" -days 2 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
chmod 644 "$PF/cert.pem"
chmod 600 "$PF/key.pem"
chown postfix:postfix "$PF/data"
cat >"$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $PF/etc
queue_directory = $PF/queue
data_directory = $PF/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = example.net
relay_transport = discard:
default_transport = discard:
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_tls_security_level = may
smtpd_tls_cert_file = $PF/cert.pem
smtpd_tls_key_file = $PF/key.pem
smtpd_tls_loglevel = 1
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
alias_maps =
alias_database =
maillog_file = $PF/log/maillog
maillog_file_prefixes = $PF/log
EOF
cat >"$PF/etc/master.cf" <<EOF
127.0.0.1:$PFPORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
postfix -c "$PF/etc" check >/dev/null 2>&1
if ! postfix -c "$PF/etc" start >"$T/pf.start" 2>&1; then
	skip "STARTTLS against Postfix" "private Postfix did not start: $(tail -3 "$PF/log/maillog" 2>/dev/null)"
	done_testing
	exit
fi
at_exit "postfix -c '$PF/etc' stop"
for _ in $(seq 1 60); do
	(exec 3<>/dev/tcp/127.0.0.1/"$PFPORT") 2>/dev/null && break
	sleep 0.05
done

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
		"smtp \"pf\" { host = \"$1\" port = $PFPORT starttls = \"required\" connections = 2 timeout = 10 $2 }"
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
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
if [ -x "$SINK" ]; then
	sp=$(free_port)
	"$SINK" -u nobody 127.0.0.1:"$sp" 10 >/dev/null 2>&1 &
	sink=$!
	at_exit "kill $sink"
	for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$sp") 2>/dev/null && break; sleep 0.05; done
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
