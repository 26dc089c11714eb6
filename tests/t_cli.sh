# t_cli.sh - the command line and configuration: help, usage errors, config errors, init;
# the command table (docs/cli.md's synopsis is the program's), read commands that never
# write.
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
# addresses and links that would go out broken in every message are refused at load
n=0
for bad in 'from = "a"' 'from = "Team team@x.test"' 'from = "Team <team@x.test"' \
	'organizers = { "bob" }' 'list "a" { organizers = { "org@x.test", "bob" } }' \
	'base_url = "act.example.org"' 'base_url = "https://"'; do
	n=$((n + 1))
	printf 'domain = "x.test"\n%s\n' "$bad" >"$T/badaddr$n.conf"
	err=$("$PEERMAIL_BIN" --config "$T/badaddr$n.conf" check-config 2>&1); rc=$?
	is "$rc" 78 "check-config refuses $bad (78)"
	like "$err" "badaddr$n.conf:2: (from|organizers|base_url): " "and names the line: $bad"
done
# an organizer on the campaign domain would get its notices back as mail to peermail
printf 'domain = "camp.org"\norganizers = { "org@camp.org" }\nlist "n" { organizers = { "ed@else.org", "x@sub.camp.org" } }\n' >"$T/orgdom.conf"
out=$("$PEERMAIL_BIN" --config "$T/orgdom.conf" check-config 2>&1)
like "$out" '^peermail: warning: organizers: org@camp\.org is on the campaign domain' "check-config: an organizer on the campaign domain is named"
like "$out" '^peermail: warning: organizers: x@sub\.camp\.org is on the campaign domain' "so is one of a list's, on a subdomain"
unlike "$out" 'ed@else\.org is on' "not an organizer elsewhere"
for good in 'from = "team@x.test"' 'from = "Équipe <team@x.test> "' 'base_url = "http://127.0.0.1:8080/"'; do
	printf 'domain = "x.test"\n%s\n' "$good" >"$T/goodaddr.conf"
	"$PEERMAIL_BIN" --config "$T/goodaddr.conf" check-config >/dev/null 2>&1
	is $? 0 "check-config accepts $good"
done
"$PEERMAIL_BIN" --config "$T/missing.conf" check-config >/dev/null 2>&1; is $? 78 "missing config exits 78"
PEERMAIL_CONFIG=$T/conf/peermail.conf "$PEERMAIL_BIN" check-config >/dev/null 2>&1
is $? 0 "PEERMAIL_CONFIG is honoured"

# check-config resolves relative paths and never prints the secret
out=$(pm check-config)
like "$out" "database = \"$T/var/peermail.db\"" "relative database path resolved against the config folder"

# check-config lists every production setting still missing, one line each
is "$(printf '%s\n' "$out" | grep -c '^missing: ')" 6 "check-config: six settings missing in the test config"
for k in domain from organizers transport secret_file base_url; do
	like "$out" "^missing: $k: " "check-config names the missing $k"
done
cat >"$T/prod.conf" <<EOF
domain = "campaign.org.uk"
from = "Team <team@campaign.org.uk>"
organizers = { "ops@campaign.org.uk" }
transport = "smtp"
smtp "main" { host = "127.0.0.1" port = 25 }
database = "$T/var/prod.db"
secret_file = "$T/prod.secret"
base_url = "https://campaign.org.uk"
EOF
: >"$T/prod.secret"
out=$("$PEERMAIL_BIN" --config "$T/prod.conf" check-config)
is "$(printf '%s\n' "$out" | grep -c '^missing: ')" 0 "a production config misses nothing"
like "$out" '^# ready for production' "and says so"

# init creates database and secret (0600); commands refuse a missing database
out=$(pm init)
like "$out" "secret $T/var/secret: created" "init says the secret was created the first time"
is "$(stat -c %a "$T/var/secret")" 600 "secret file is mode 0600"
is "$(sql 'PRAGMA user_version')" "$(sed -n 's/^#define DB_SCHEMA_VERSION //p' "$PEERMAIL_TOP/src/model/schema.h")" "schema version recorded"
is "$(sql 'PRAGMA journal_mode')" wal "database in WAL mode"
secret=$(cat "$T/var/secret")
unlike "$(pm check-config)" "$secret" "check-config never prints the secret"
ok "init again is harmless" pm init
like "$(pm init)" "secret $T/var/secret: present" "and present afterwards"
# discussion lists do not exist yet: the mode is refused, not silently ignored
err=$(pm list create talk --mode discussion 2>&1); rc=$?
is "$rc" 64 "list create --mode discussion exits 64"
like "$err" 'discussion lists are not supported yet' "and says why"
is "$(sql "SELECT count(*) FROM lists WHERE name = 'talk'")" 0 "no list is created"
printf 'list "talk" { mode = "discussion" }\n' | cat "$T/conf/peermail.conf" - >"$T/disc.conf"
err=$("$PEERMAIL_BIN" --config "$T/disc.conf" check-config 2>&1); rc=$?
is "$rc" 78 "a configured discussion list is refused too (exit 78)"
like "$err" 'discussion lists are not supported yet' "saying why"
is "$(cat "$T/var/secret")" "$secret" "init keeps an existing secret"

# the command table: docs/cli.md's command list is exactly `peermail help --synopsis`
synopsis=$("$PEERMAIL_BIN" help --synopsis); rc=$?
is "$rc" 0 "help --synopsis exits 0"
doc=$(sed -n '/^## Commands$/,/^## /p' "$PEERMAIL_TOP/docs/cli.md" | sed -n '/^```$/,/^```$/p' | sed '1d;$d')
is "$(diff <(printf '%s\n' "$doc") <(printf '%s\n' "$synopsis"))" "" \
   "docs/cli.md's command list is peermail help --synopsis"
# every command's --help starts with its one usage line, the command named once
cmds=$(printf '%s\n' "$synopsis" | awk '/^peermail / { sub(/  .*/, ""); c = "";
	for (i = 2; i <= NF && $i ~ /^[a-z][a-z-]*$/; i++) c = c (c ? " " : "") $i; print c }')
is "$(printf '%s\n' "$cmds" | wc -l)" 54 "the synopsis lists 54 commands"
bad=""
while read -r c; do
	first=$("$PEERMAIL_BIN" $c --help 2>&1 | head -1)
	case "$first" in
	"Usage: peermail $c"*) rest=${first#Usage: peermail $c}
		printf '%s\n' "$rest" | grep -Eq -- "(^| )$c( |$)" && bad="$bad [$first]" ;;
	*) bad="$bad [$c: $first]" ;;
	esac
done <<<"$cmds"
is "$bad" "" "each command's --help starts 'Usage: peermail CMD ...', the command not repeated"
is "$("$PEERMAIL_BIN" receive --help | head -1)" \
   "Usage: peermail receive [--sender ADDR] [--recipient ADDR] < MESSAGE" "receive --help usage line"
is "$("$PEERMAIL_BIN" help member add | head -1)" "$("$PEERMAIL_BIN" member add --help | head -1)" \
   "help CMD is CMD --help"
"$PEERMAIL_BIN" help frobnicate >/dev/null 2>&1; is $? 64 "help on an unknown command exits 64"
# a usage error quotes the same usage line as --help and the group's list
err=$(pm member add 2>&1 >/dev/null); rc=$?
is "$rc" 64 "member add without EMAIL exits 64"
is "$err" "peermail: usage: $("$PEERMAIL_BIN" member add --help | head -1 | sed 's/^Usage: //')" \
   "its usage error is the --help usage line"
is "$("$PEERMAIL_BIN" member --help | tr -s ' \n' ' ' | grep -oF "peermail ${err#peermail: usage: peermail } " | wc -l)" 1 \
   "and member --help lists the same line (folded at 80 columns)"
# help and a group's list fit in 80 columns: a long synopsis puts its description on the
# next line, indented to the description column
long=$( { "$PEERMAIL_BIN" help; for g in list member petition target district delivery story newsletter; do "$PEERMAIL_BIN" $g --help; done; } | awk 'length($0) > 80')
is "$long" "" "peermail help and the groups' lists: no line over 80 columns"
helptext=$("$PEERMAIL_BIN" help)
like "$helptext" '^  receive \[--sender ADDR\] \[--recipient ADDR\] < MESSAGE$' "a long synopsis stands alone on its line"
is "$(printf '%s\n' "$helptext" | grep -A1 '^  receive ' | tail -1)" "$(printf '%40s%s' '' 'one message on stdin (MTA pipe); records')" "its description starts on the next line, indented"
like "$helptext" '^  init {34}create or upgrade the database; create$' "a short one keeps its description beside it, wrapped at 80"

# inspect: a configuration that exists but is broken exits 78, as every command does;
# without one (none named, none by default) it still reads the message
msg=$PEERMAIL_TOP/tests/data/autoreply/human_reply.eml
"$PEERMAIL_BIN" --config "$T/bad1.conf" inspect <"$msg" >/dev/null 2>&1
is $? 78 "inspect on a broken configuration exits 78"
mkdir -p "$T/noconf"
(cd "$T/noconf" && env -u PEERMAIL_CONFIG "$PEERMAIL_BIN" inspect <"$msg" >/dev/null 2>&1)
is $? 0 "inspect without any configuration works"

# read commands never write: the database is the same before and after each (a configured
# list not created yet, a newsletter whose copies all went out: the old reads wrote both)
write_config 'list "cfglist" { title = "Configured" mode = "announce" }'
pm list create news >/dev/null
printf 'Hi\n' >"$T/body.md"
printf 'Text\n' >"$T/text.txt"
pm petition create park --title Park --text "$T/text.txt" >/dev/null
pm member add ann@example.org --list news >/dev/null
pm target add MP --email mp@parl.test --petition park >/dev/null
nid=$(pm newsletter create --list news --subject Hi --body "$T/body.md")
sql "UPDATE newsletters SET status = 'sending', expanded_at = 1, recipients = 1 WHERE id = $nid;
     INSERT INTO outbox(kind, ref_id, member_id, list_id, recipient, status, created_at, updated_at, sent_at)
     VALUES ('newsletter', $nid, 1, 1, 'ann@example.org', 'sent', 0, 0, 1000)"
dump() { sqlite3 "$T/var/peermail.db" .dump; }
changed=""
for cmd in "list ls" "list ls --json" "list show cfglist" "list show cfglist --json" \
	   "newsletter status $nid" "newsletter status $nid --json" "newsletter ls" \
	   "newsletter ls --json" "stats" "stats --json" "petition ls" "petition show park" \
	   "member show ann@example.org" "member export" "petition signatures park" \
	   "story ls" "target ls" "district ls" "delivery ls" "delivery config park" "outbox"; do
	before=$(dump)
	pm $cmd >/dev/null 2>&1 || changed="$changed [$cmd failed]"
	[ "$(dump)" = "$before" ] || changed="$changed [$cmd]"
done
is "$changed" "" "read commands leave the database as it was"
like "$(pm list ls)" 'cfglist +announce +0 active +Configured' "list ls shows a configured list not created yet"
is "$(sql "SELECT count(*) FROM lists WHERE name = 'cfglist'")" 0 "without creating it"
is "$(pm newsletter status "$nid" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" \
   sending "a newsletter is sent when run says so, not when it is looked at"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT status FROM newsletters WHERE id = $nid")" sent "run marks it sent"

# list ls on a damaged database says what is wrong (it once said only "failed")
sql "ALTER TABLE lists RENAME COLUMN title TO heading"
err=$(pm list ls 2>&1 >/dev/null); rc=$?
is "$rc" 70 "list ls on a damaged database exits 70"
like "$err" '^peermail: .*no such column: title' "and names the problem"

# root on a database another user owns (the MTA's pipe user): refused before root makes
# -wal/-shm, Maildir folders or a socket beside it that would lock that user out
sql "ALTER TABLE lists RENAME COLUMN heading TO title"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$T/var/peermail.db"
	err=$(pm stats 2>&1 >/dev/null); rc=$?
	is "$rc" 78 "root on a database owned by another user: refused (78)"
	like "$err" 'belongs to nobody: run peermail as that user \(runuser -u nobody -- peermail' "naming the user and how"
	ok "nothing made beside it" test ! -e "$T/var/peermail.db-wal"
	mv "$T/var/secret" "$T/var/secret.kept"
	pm init >/dev/null 2>&1
	is $? 78 "init too, before making a secret root would own"
	ok "no secret made" test ! -e "$T/var/secret"
	mv "$T/var/secret.kept" "$T/var/secret"
	chown root "$T/var/peermail.db"
	ok "its owner's commands (here root's) run" pm stats
else
	skip "root on another user's database" "needs root and the user nobody"
fi

done_testing
