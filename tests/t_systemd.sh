# t_systemd.sh - contrib/systemd: the units pass `systemd-analyze verify` (with ExecStart
# pointed at the binary under test), the service runs `run --lmtp` hardened, the timer is
# the cron alternative. Skipped without systemd-analyze.
. "$(dirname "$0")/lib.sh"

S=$PEERMAIL_TOP/contrib/systemd
if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip "systemd units" "needs systemd-analyze"; done_testing; exit 0
fi
mkdir -p "$T/units"
for f in "$S"/*.service "$S"/*.timer; do
	sed "s|/usr/local/bin/peermail|$PEERMAIL_BIN|" "$f" >"$T/units/$(basename "$f")"
done
ok "systemd-analyze verify passes" systemd-analyze verify --man=no "$T"/units/*
svc=$(cat "$S/peermail.service")
like "$svc" '^ExecStart=.* run --lmtp ' "the service runs peermail run --lmtp"
like "$svc" "^ExecStart=.* --socketmap $(grep -o 'socketmap:inet:[0-9.:]*' "$PEERMAIL_TOP/contrib/postfix/main.cf" | sed 's/^socketmap:inet://; s/:$//')( |\$)" \
	"and answers the socketmap contrib/postfix/main.cf asks (or Postfix says 451 to every RCPT)"
like "$svc" "^ExecStart=.* --http $(sed -n 's/^[[:space:]]*server \([0-9.:]*\);/\1/p' "$PEERMAIL_TOP/contrib/nginx/peermail.conf")( |\$)" \
	"and serves the pages and one-click unsubscribe where contrib/nginx proxies to"
like "$svc" '^User=peermail' "as the user of the Postfix pipe (contrib/postfix/master.cf)"
unlike "$svc" '^DynamicUser=yes' "not a dynamic user, whose state the pipe's user could not open"
like "$(grep -o 'user=[a-z]*' "$PEERMAIL_TOP/contrib/postfix/master.cf")" "^user=$(sed -n 's/^User=//p' "$S/peermail.service")\$" "the same user as the pipe transport"
like "$(cat "$S/peermail-run.service")" '^User=peermail' "the timer's service too"
like "$svc" '^ProtectSystem=strict' "with the system read-only"
like "$svc" '^StateDirectory=peermail' "and its state in a StateDirectory"
like "$(cat "$S/peermail-run.service")" '^ExecStart=.* run --once' "the timer's service does one pass"
like "$(cat "$S/peermail-run.timer")" '^OnUnitActiveSec=' "the timer repeats"
printf '[Service]\nExecStart=relative/peermail\nFrobnicate=yes\n' >"$T/units/bad.service"
fails "a broken unit fails the check" systemd-analyze verify --man=no "$T/units/bad.service"
done_testing
