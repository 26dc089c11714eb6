# t_readme.sh - the first day of an administrator, as the README tells it: getting the
# source on a fresh machine without git, and the mail-setup checklist, whose files and
# commands must exist; the Postfix example routes exactly the addresses peermail only
# logs (the owner addresses) to a real mailbox.
. "$(dirname "$0")/lib.sh"
setup
R=$PEERMAIL_TOP/README.md
readme=$(cat "$R")

# the source on a fresh Debian 12 (no git) and where the checkout may live
like "$readme" 'apt-get install -y git' "README: how to get git on a fresh machine"
like "$readme" 'archive/refs/heads/main\.tar\.gz' "README: or a tarball URL pattern"
like "$readme" '/root' "README: the checkout may live under /root"

# the mail-setup checklist
list=$(sed -n '/^## Mail setup/,/^## /p' "$R")
like "$list" '^## Mail setup: a checklist' "README has a mail-setup checklist"
is "$(printf '%s\n' "$list" | grep -c '^[0-9]\. \[ \]')" 7 "seven items to tick"
for w in 'dns-records' 'MX' 'SPF' 'DKIM' 'DMARC' 'transport_maps|transport map' 'postmaster@' \
	 'abuse@' 'virtual_alias_maps' 'LMTP|--lmtp' 'check-config' 'missing:'; do
	like "$list" "$w" "the checklist covers $w"
done
for f in $(printf '%s\n' "$list" | grep -o 'contrib/[A-Za-z0-9_./-]*' | sed 's/[.)]*$//' | sort -u); do
	ok "the checklist's $f exists" test -e "$PEERMAIL_TOP/$f"
done
syn=$(pm help --synopsis)
for c in $(printf '%s\n' "$list" | grep -o '`peermail [a-z-]*' | awk '{print $2}' | sort -u); do
	like "$syn" "^peermail $c( |$)" "the checklist's 'peermail $c' is a command"
done

# contrib/postfix/virtual (the MTA option) names exactly the From: mailbox, postmaster@ and
# abuse@; by default peermail forwards mail for them to organizers_mailbox
from=$(sed -n 's/^from = .*<\(.*\)@.*>.*/\1/p' "$T/conf/peermail.conf")
want=$(printf '%s\n' "$from" postmaster abuse | sort)
got=$(sed -n 's/^\([a-z]*\)@act\.example\.org .*/\1/p' "$PEERMAIL_TOP/contrib/postfix/virtual" | sort)
is "$got" "$want" "contrib/postfix/virtual maps the From: mailbox, postmaster@ and abuse@"
setup 'organizers_mailbox = "campaign-team@example.net"'
for a in "$from" postmaster abuse; do
	printf 'From: someone@example.org\nTo: %s@act.test\nSubject: hi\nMessage-ID: <%s@x>\n\nhello\n' "$a" "$a" >"$T/o.eml"
	pm receive --sender someone@example.org --recipient "$a@act.test" <"$T/o.eml" >/dev/null 2>&1
	is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "owner forwarded" \
		"peermail forwards mail to $a@ to organizers_mailbox"
done
grep -q '^#\{0,1\}virtual_alias_maps' "$PEERMAIL_TOP/contrib/postfix/main.cf"
is $? 0 "contrib/postfix/main.cf shows the virtual map option"
done_testing
