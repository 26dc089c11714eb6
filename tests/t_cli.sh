# t_cli.sh - the command line and configuration: help, usage errors, config errors, init.
. "$(dirname "$0")/lib.sh"

out=$("$PEERMAIL_BIN" --help); rc=$?
is "$rc" 0 "--help exits 0"
like "$out" 'init' "--help lists init"
like "$out" 'check-config' "--help lists check-config"

"$PEERMAIL_BIN" frobnicate >/dev/null 2>&1; is $? 64 "unknown command exits 64"
"$PEERMAIL_BIN" --bogus >/dev/null 2>&1; is $? 64 "unknown global option exits 64"
write_config
pm check-config --bogus >/dev/null 2>&1; is $? 64 "unknown command option exits 64"
err=$(pm check-config --bogus 2>&1 >/dev/null)
is "$(printf '%s\n' "$err" | wc -l)" 1 "a usage error is one line on stderr"
like "$err" '^peermail: ' "errors start with peermail:"

# configuration errors: exit 78 naming file and line
printf 'domain = "x.test"\nsmtp "a" {\n  port = 99999\n}\n' >"$T/bad1.conf"
err=$("$PEERMAIL_BIN" --config "$T/bad1.conf" check-config 2>&1); rc=$?
is "$rc" 78 "bad value exits 78"
like "$err" 'bad1.conf:3: ' "bad value names file:line"
printf 'domain = "x.test"\n\nwhat is this\n' >"$T/bad2.conf"
err=$("$PEERMAIL_BIN" --config "$T/bad2.conf" check-config 2>&1); rc=$?
is "$rc" 78 "syntax error exits 78"
like "$err" 'bad2.conf:3: ' "syntax error names file:line"
printf 'list "a" { }\nlist "a" { }\n' >"$T/bad3.conf"
err=$("$PEERMAIL_BIN" --config "$T/bad3.conf" check-config 2>&1); rc=$?
is "$rc" 78 "duplicate list title exits 78"
like "$err" 'duplicate' "duplicate title is named"
printf 'transport = "carrier-pigeon"\n' >"$T/bad4.conf"
"$PEERMAIL_BIN" --config "$T/bad4.conf" check-config >/dev/null 2>&1; is $? 78 "unknown transport exits 78"
"$PEERMAIL_BIN" --config "$T/missing.conf" check-config >/dev/null 2>&1; is $? 78 "missing config exits 78"
PEERMAIL_CONFIG=$T/conf/peermail.conf "$PEERMAIL_BIN" check-config >/dev/null 2>&1
is $? 0 "PEERMAIL_CONFIG is honoured"

# check-config resolves relative paths and never prints the secret
out=$(pm check-config)
like "$out" "database = \"$T/var/peermail.db\"" "relative database path resolved against the config folder"

# init creates database and secret (0600); commands refuse a missing database
ok "init succeeds" pm init
is "$(stat -c %a "$T/var/secret")" 600 "secret file is mode 0600"
is "$(sql 'PRAGMA user_version')" 2 "schema version recorded"
is "$(sql 'PRAGMA journal_mode')" wal "database in WAL mode"
secret=$(cat "$T/var/secret")
unlike "$(pm check-config)" "$secret" "check-config never prints the secret"
ok "init again is harmless" pm init
is "$(cat "$T/var/secret")" "$secret" "init keeps an existing secret"

done_testing
