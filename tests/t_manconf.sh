# t_manconf.sh - man/peermail.conf.5 names every setting of the configuration schema
# (src/base/config.c) with its default and an example; a setting missing from the page,
# a wrong default or an entry for no setting fails (tests/check_manconf.py).
. "$(dirname "$0")/lib.sh"

CHK=$PEERMAIL_TOP/tests/check_manconf.py
PAGE=$PEERMAIL_TOP/man/peermail.conf.5
ok "man/peermail.conf.5 matches the configuration schema" python3 "$CHK" "$PEERMAIL_TOP/src/base/config.c" "$PAGE"
# planted faults: a setting the page lacks, a changed default, an entry for no setting
sed 's/CFG_INT("timeout", 60,/CFG_INT("timeout", 60,\n\tCFG_INT("new_setting", 1, CFGF_NONE),\n\tCFG_INT("timeout2", 60,/' \
	"$PEERMAIL_TOP/src/base/config.c" >"$T/config.c"
like "$(python3 "$CHK" "$T/config.c" "$PAGE")" '^smtp\.new_setting: not in the manual page' "a setting missing from the page fails"
sed 's/CFG_INT("confirm_days", 14,/CFG_INT("confirm_days", 15,/' "$PEERMAIL_TOP/src/base/config.c" >"$T/config2.c"
like "$(python3 "$CHK" "$T/config2.c" "$PAGE")" 'limits\.confirm_days: the page does not give its default 15' "a wrong default fails"
printf '.TP\n.B no_such\nNothing.\n' | cat "$PAGE" - >"$T/page.5"
like "$(python3 "$CHK" "$PEERMAIL_TOP/src/base/config.c" "$T/page.5")" '^no_such: in the manual page but not a setting' "an entry for no setting fails"
if command -v man >/dev/null 2>&1; then
	like "$(MANWIDTH=80 man -l "$PAGE" 2>/dev/null)" 'max_responses_per_day' "the page renders"
fi
done_testing
