# t_bounces.sh - bounces end to end: list mail goes out with a VERP return path, DSNs and
# complaints come back to it through `peermail receive`, scores disable members after
# repeated permanent failures only, a complaint unsubscribes, probes when configured.
. "$(dirname "$0")/lib.sh"

# dsn RCPT STATUS ACTION - a multipart/report DSN from MAILER-DAEMON about RCPT
dsn() {
	cat <<MSG
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: $RP
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn.$RANDOM$RANDOM@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.example.net.
I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; $1
Original-Recipient: rfc822;$1
Action: $3
Status: $2
Diagnostic-Code: smtp; ${2:0:1}50 $2 mailbox trouble

--B--
MSG
}
# arf RCPT - an RFC 5965 abuse report about RCPT
arf() {
	cat <<MSG
From: Feedback Loop <fbl@isp.example.net>
To: $RP
Subject: Abuse report
Message-ID: <arf.$RANDOM$RANDOM@isp.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

This is an email abuse report.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: isp-fbl/1.0
Version: 1
Original-Rcpt-To: <$1>

--F
Content-Type: text/rfc822-headers

From: Campaign Team <team@act.test>
To: <$1>
Subject: news

--F--
MSG
}
# return_path ADDR - the Return-Path of the newest captured message to ADDR
return_path() {   # ADDRESS [N]: the return path of the Nth newest message to ADDRESS
	local f
	f=$(grep -l -i "^To: .*$1" "$T"/var/sent/new/* | xargs -r ls -t | sed -n "${2:-1}p")
	sed -n 's/^Return-Path: <\(.*\)>\r\{0,1\}$/\1/p' "$f" | head -n 1
}
receive_to() { pm receive --sender '' --recipient "$1"; }
status_of() { pm member show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }

setup 'bounces { disable_score = 2 window_days = 7 }'
pm list create news >/dev/null
for who in perm temp away angry; do pm member add "$who@example.org" --name "$who" --list news >/dev/null; done
printf 'Hello {{member.first_name}}\n' >"$T/body.md"
id=$(pm newsletter create --list news --subject Hello --body "$T/body.md")
pm newsletter send "$id" --wait >/dev/null 2>&1
is "$(sent_count)" 4 "a newsletter copy to each member"

RP=$(return_path perm@example.org)
like "$RP" '^bounce\+[a-z2-7]+@act\.test$' "list mail carries a VERP return path bounce+TOKEN"
log=$(dsn perm@example.org 5.1.1 failed | receive_to "$RP" 2>&1); is $? 0 "a permanent DSN is recorded"
unlike "$log" "${RP%@*}" "the log never shows the whole token"
is "$(status_of perm@example.org)" active "one permanent bounce does not disable"
dsn perm@example.org 5.1.1 failed | receive_to "$RP"
is "$(status_of perm@example.org)" active "a second report about the same message counts once"
is "$(sql "SELECT printf('%.2f', bounce_score) FROM members WHERE email = 'perm@example.org'")" 1.00 "the score counts the message once"
id=$(pm newsletter create --list news --subject Second --body "$T/body.md")
pm newsletter send "$id" --wait >/dev/null 2>&1
is "$(sent_count)" 8 "a second newsletter to each member"
RP=$(return_path perm@example.org)
dsn perm@example.org 5.1.1 failed | receive_to "$RP"
is "$(status_of perm@example.org)" bouncing "permanent bounces of two messages disable the member"

RP=$(return_path temp@example.org)
for i in 1 2 3 4; do dsn temp@example.org 4.2.2 delayed | receive_to "$RP"; done
is "$(status_of temp@example.org)" active "as many transient bounces do not disable"

RP=$(return_path away@example.org)
for i in 1 2 3; do
	printf 'From: away@example.org\nTo: %s\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <ooo%s@example.org>\n\nBack on Monday.\n' "$RP" "$i" | receive_to "$RP"
done
is "$(status_of away@example.org)" active "vacation replies to the return path never count"
is "$(sql "SELECT count(*) FROM bounces b JOIN members m ON m.id = b.member_id WHERE m.email = 'away@example.org'")" 0 "no bounce recorded for a vacation reply"

RP=$(return_path angry@example.org)
arf angry@example.org | receive_to "$RP"; is $? 0 "an abuse report is recorded"
is "$(status_of angry@example.org)" unsubscribed "an abuse complaint unsubscribes at once"

fake=$(printf '%s' "$RP" | sed 's/+\(.\)/+\1x/')
dsn temp@example.org 5.1.1 failed | receive_to "$fake" >/dev/null 2>&1
is $? 67 "a forged bounce token is refused (67)"

id=$(pm newsletter create --list news --subject Again --body "$T/body.md")
pm newsletter send "$id" --wait >/dev/null 2>&1
is "$(sent_count)" 10 "the next newsletter skips the bouncing and the unsubscribed"
is "$(grep -l -i '^To: .*perm@example.org' "$T"/var/sent/new/* | wc -l)" 2 "no further copy to the bouncing member"

# a report naming no recipient but a permanent status: the VERP address names the member
nameless() {
	printf 'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nTo: %s\nSubject: Undelivered Mail\nMessage-ID: <nameless%s@mx.example.org>\n\nThis message was undeliverable. The remote server said:\n550 5.1.1 mailbox unavailable\n\n--- Below this line is a copy of the message.\n\nSubject: news\n' "$1" "$2"
}
RP=$(return_path temp@example.org)
nameless "$RP" 1 | receive_to "$RP"; is $? 0 "a report naming no recipient is recorded"
is "$(sql "SELECT b.status || ' ' || b.permanent FROM bounces b JOIN members m ON m.id = b.member_id WHERE m.email = 'temp@example.org' ORDER BY b.id DESC LIMIT 1")" "5.1.1 1" \
	"... as a permanent bounce of the return path's member, with the text's status"
# reports about one message count once: the second is about another message
RP2=$(return_path temp@example.org 2)
nameless "$RP2" 2 | receive_to "$RP2"
is "$(status_of temp@example.org)" bouncing "repeated nameless permanent reports disable the member"

# probes: past the threshold a probe is sent first; only its bounce disables
rm -rf "$T/var"
setup 'bounces { disable_score = 2 window_days = 7 probe = true }'
pm list create news >/dev/null
pm member add probe@example.org --list news >/dev/null
id=$(pm newsletter create --list news --subject Hello --body "$T/body.md")
pm newsletter send "$id" --wait >/dev/null 2>&1
RP=$(return_path probe@example.org)
dsn probe@example.org 5.1.1 failed | receive_to "$RP"
id=$(pm newsletter create --list news --subject Second --body "$T/body.md")
pm newsletter send "$id" --wait >/dev/null 2>&1
RP=$(return_path probe@example.org)
dsn probe@example.org 5.1.1 failed | receive_to "$RP"
is "$(status_of probe@example.org)" active "with probes, the threshold does not disable at once"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'probe' AND status = 'sent'")" 1 "a probe is sent"
pm run --once >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'probe'")" 1 "one probe, not one per pass"
RP=$(return_path probe@example.org)
dsn probe@example.org 5.1.1 failed | receive_to "$RP"
is "$(status_of probe@example.org)" bouncing "a bounced probe disables"
done_testing
