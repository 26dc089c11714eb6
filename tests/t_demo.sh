# t_demo.sh - `make demo` (contrib/demo.sh) as a new user sees it: run in a private copy
# of the tree's demo, configuration, templates and phrase files (the demo writes var/ at
# the top of its tree), it ends well and prints no warning: its configuration is complete
# (an organizers' mailbox), while the shipped defaults still leave that setting to the
# campaign, so check-config on them keeps warning.
. "$(dirname "$0")/lib.sh"

top=$T/top
mkdir -p "$top"
cp -r "$PEERMAIL_TOP/contrib" "$PEERMAIL_TOP/conf" "$PEERMAIL_TOP/templates" "$PEERMAIL_TOP/data" "$top/"
ln -s "$(dirname "$PEERMAIL_BIN")" "$top/build"
out=$(cd "$top" && B=build CHROME= bash contrib/demo.sh 2>&1); rc=$?
is "$rc" 0 "the demo runs to its end"
like "$out" "For real mail: make install" "and prints its closing notes"
is "$(printf '%s\n' "$out" | grep -ci 'warning')" 0 "without a single warning (organizers_mailbox is set for it)"
like "$(cat "$top/var/demo.conf")" '^organizers_mailbox = "campaign-team@example.net"$' "the demo's configuration names an organizers' mailbox"
like "$("$PEERMAIL_BIN" --config "$top/conf/peermail.conf" check-config 2>&1)" "warning: .*organizers_mailbox" \
	"the shipped defaults still warn: a real configuration must choose its own"
done_testing
