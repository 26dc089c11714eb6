# t_install.sh - `make install`: SYSCONFDIR given only at install time is the one the
# installed binary reads (it used to keep /etc), and the installed configuration is a
# production template (transport smtp to the local MTA), not the demo's Maildir capture.
# Builds a private copy (-O0) in $T/b; skipped without make.
. "$(dirname "$0")/lib.sh"

if ! command -v make >/dev/null 2>&1; then
	skip "make install" "needs make"; done_testing; exit 0
fi
mk() { make -s -C "$PEERMAIL_TOP" B="$T/b" OPT=-O0 SANITIZE= WERROR= "$@" >"$T/make.log" 2>&1; }
ok "a plain build (the default folders)" mk -j2 "$T/b/peermail"
ok "make install with SYSCONFDIR only at install time" \
	mk install DESTDIR="$T/root" PREFIX=/usr SYSCONFDIR=/opt/pmetc LOCALSTATEDIR=/var/lib/pm
is "$(env -u PEERMAIL_CONFIG "$T/root/usr/bin/peermail" check-config --help 2>&1 | grep -o '/opt/pmetc/peermail/peermail.conf' | head -1)" \
	/opt/pmetc/peermail/peermail.conf "the installed binary looks in SYSCONFDIR"
ok "the configuration is installed there" test -f "$T/root/opt/pmetc/peermail/peermail.conf"
conf=$T/root/opt/pmetc/peermail/peermail.conf
like "$(cat "$conf")" '^transport = "smtp"' "the installed configuration sends through the local MTA"
unlike "$(cat "$conf")" '^transport = "maildir"' "not the demo's Maildir capture"
like "$(cat "$conf")" '^templates = "/usr/share/peermail/templates"' "it points at the installed templates"
ok "the templates are installed" test -f "$T/root/usr/share/peermail/templates/en/signed.txt"
ok "in every language" test -f "$T/root/usr/share/peermail/templates/fr/signed.txt"
# check-config on the installed template says what is left to fill in, one line each
cc=$("$T/b/peermail" --config "$conf" check-config 2>&1)
for k in domain from organizers secret_file base_url; do
	like "$cc" "^missing: $k: " "check-config on the installed configuration: $k to fill in"
done
unlike "$cc" '^missing: transport' "but not the transport (smtp to the local MTA)"
# an installed binary run from a folder that has conf/peermail.conf (a checkout) reads that
# file, not the system one: it says so, since the database would be the demo's
ok "make install into a private prefix" \
	mk install PREFIX="$T/pfx" SYSCONFDIR="$T/pfx/etc" LOCALSTATEDIR="$T/pfx/var"
mkdir -p "$T/co/conf" "$T/elsewhere"
printf 'domain = "co.test"\n' >"$T/co/conf/peermail.conf"
out=$(cd "$T/co" && env -u PEERMAIL_CONFIG "$T/pfx/bin/peermail" check-config 2>&1)
like "$out" "^peermail: warning: reading \./conf/peermail\.conf .*not $T/pfx/etc/peermail/peermail\.conf" \
	"from a checkout, the installed binary warns which configuration it reads"
like "$out" '^domain = "co.test"' "(and reads the checkout's, as documented)"
out=$(cd "$T/elsewhere" && env -u PEERMAIL_CONFIG "$T/pfx/bin/peermail" check-config 2>&1)
unlike "$out" 'warning: reading' "elsewhere no warning"
like "$out" "^# effective configuration from $T/pfx/etc/peermail/peermail.conf" "elsewhere it reads the system file"
done_testing
