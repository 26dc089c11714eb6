# postfix_lib.sh - a private Postfix instance on loopback for the integration tests that
# need a real MTA (t_postfix.sh, t_postfix_bounces.sh, t_outbound_tls.sh). Source it after
# lib.sh.
#
# Everything lives under $PF ($T/pf), its smtpd listens on 127.0.0.1:$PF_PORT: the
# configuration is the settings every instance shares (postfix_main_cf, postfix_master_cf)
# followed by the test's own; postfix_start starts it and stops it at exit. Needs root.

PF=$T/pf
PF_PORT=$(free_port)
mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$PF/log"

# postfix_need WHAT WHY [COMMAND...] - skip the whole test (WHAT, WHY) unless it runs as
# root with Postfix (and each COMMAND) installed
postfix_need() {
	local what=$1 why=$2 c
	shift 2
	if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null 2>&1 || ! id postfix >/dev/null 2>&1; then
		skip_all "$what" "$why"
	fi
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip_all "$what" "$why"; done
}
# postfix_pipe_user WHAT - PIPE_USER, the unprivileged user that runs the instance's pipes
# (created when missing; the whole test, WHAT, is skipped when it cannot be)
postfix_pipe_user() {
	PIPE_USER=peermail-test
	id "$PIPE_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin "$PIPE_USER" 2>/dev/null ||
		skip_all "$1" "cannot create $PIPE_USER"
}

# postfix_main_cf [SETTING...] - $PF/etc/main.cf: a loopback instance that logs to
# $PF/log/maillog and looks up nothing in the DNS, then each SETTING line
postfix_main_cf() {
	{
		cat <<CF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/log/maillog
maillog_file_prefixes = $PF/log
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
alias_maps =
alias_database =
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
CF
		printf '%s\n' "$@"
	} >"$PF/etc/main.cf"
}
# postfix_mx_cf [SETTING...] - postfix_main_cf for the campaign's MX: relays act.test (to
# the transport the SETTINGs choose), discards mail for anywhere else (logged)
postfix_mx_cf() {
	postfix_main_cf 'myhostname = mx.pm-test.invalid' 'local_recipient_maps =' \
		'parent_domain_matches_subdomains =' 'relay_domains = act.test' \
		'default_transport = discard:captured' 'recipient_delimiter = +' 'biff = no' "$@"
}
# postfix_master_cf [SERVICE...] - $PF/etc/master.cf: smtpd on 127.0.0.1:$PF_PORT, the
# services every instance needs, then each SERVICE line
postfix_master_cf() {
	{
		cat <<CF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
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
CF
		printf '%s\n' "$@"
	} >"$PF/etc/master.cf"
}

# postfix_start - start the instance (stopped at exit) and wait for its smtpd; when it
# does not start, returns 1 with the reason in $PF/start.log
postfix_start() {
	postfix -c "$PF/etc" set-permissions >/dev/null 2>&1
	if ! postfix -c "$PF/etc" start >"$PF/start.log" 2>&1; then
		tail -5 "$PF/log/maillog" >>"$PF/start.log" 2>/dev/null
		return 1
	fi
	at_exit "postfix -c '$PF/etc' stop"
	wait_port "$PF_PORT" 60 || true
}
# postfix_must_start - postfix_start as a check: the test ends, failed, when it does not
postfix_must_start() {
	if ! postfix_start; then
		_report 0 "private Postfix starts" "$(cat "$PF/start.log")"
		done_testing; exit 1
	fi
	_report 1 "private Postfix starts on 127.0.0.1:$PF_PORT"
}
