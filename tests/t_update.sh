#!/bin/bash
# t_update.sh - a creator's updates to the signers of their petition (issue 16, the last
# step; docs/petitions.md "Updates to the signers"), all by mail through `peermail
# receive` and sent to a real smtp-sink: the update address in the publication notice; an
# update from the creator acknowledged and put to the organizers (quotes, signature and
# headers of the mail left out); a forged update and a non-organizer's "approve" refused;
# the organizer's approval by reply sends it as a newsletter to exactly the counted
# signers (not a suspect, an invalidated, a pending or an unsubscribed one; each at the
# address as given) with List-* headers and a one-click URL that stops this petition's
# updates; a rejection's reason reaching the creator; the limits; `petition update` and
# `petition history`.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SINK" ] || ! command -v curl >/dev/null; then
	skip_all "update tests" "smtp-sink or curl not installed"
fi
wport=$(free_port)
U="http://127.0.0.1:$wport"
# the sink dumps each message to $T/sink/
sink_setup sink "base_url = \"$U\"" \
	'limits { max_responses_per_day = 100 }' 'fraud { per_domain = 2 }' \
	'petitions { sponsors = 0 updates_pending = 2 update_max = 300 }'

# text_of1 ADDR - text_of on one line: "Subject: S words..."
text_of1() { text_of "$1" | paste -sd ' '; }
updates() { sql "SELECT count(*) FROM petition_updates"; }
# got SUBJECT - the envelope recipients of the sink's messages with this subject, sorted
got() { python3 - "$1" "$T"/sink/* <<'PY'
import sys, email, email.policy
out = []
for f in sys.argv[2:]:
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    if str(m["subject"]) == sys.argv[1]:
        out.append(str(m["x-rcpt-args"]).strip("<>"))
print(" ".join(sorted(out)), end=" ")
PY
}
# copy_of SUBJECT ADDR - the sink's message with this subject to ADDR
copy_of() { grep -l "^Subject: $1" "$T"/sink/* | xargs grep -l "^X-Rcpt-Args: <$2>" | head -1; }
# headers_of FILE - its header fields, unfolded, one a line
headers_of() { python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.compat32)
[print(k + ": " + " ".join(str(v).split())) for k, v in m.items()]' "$1"; }

start_web web "$wport"

# ---- a member's petition, published: the creator is given the update address ----
mail_in ann@example.org start@act.test "Keep the night buses running" "The last bus leaves at 22:00; we ask for buses until 1:00." >/dev/null
mail_in ann@example.org "$(reply_of ann@example.org)" "Re: confirm" "yes" >/dev/null
slug=$(sql "SELECT slug FROM petitions")
is "$(sql "SELECT status FROM petitions")" moderation "no sponsors asked: straight to moderation"
pm petition moderate "$slug" --approve >/dev/null
txt=$(text_of1 ann@example.org)
like "$txt" "is published and open" "published: the creator is told"
upd=$(printf '%s\n' "$txt" | grep -o "update+$slug+[a-z0-9]*@act.test" | head -1)
like "$upd" "^update\+$slug\+[a-z2-7]+@act.test$" "and given the update address update+SLUG+TOKEN"

# ---- the signers: counted ones, and those who must not get updates ----
sign() { # ADDR [confirm] - sign by writing, and confirm by reply unless told not to
	mail_in "$1" "sign+$slug@act.test" "Signing" "Count me in." >/dev/null
	[ "${2:-yes}" = yes ] && mail_in "$1" "$(reply_of "$1")" "Re: sign" "Yes" >/dev/null
	return 0
}
for a in Joe.Signer@Example.ORG sue@one.test uma@two.test b1@bulk.test b2@bulk.test bad1@bad.test; do sign "$a"; done
sign b3@bulk.test
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b3@bulk.test'")" suspect "b3 is over the per-domain limit: suspect"
sign pat@three.test no
like "$(pm petition invalidate "$slug" --domain bad.test --reason "made up")" "1 signatures invalid" "bad1 is invalidated"
sql "UPDATE members SET status = 'unsubscribed' WHERE email = 'uma@two.test'"
is "$(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'")" 6 "counted: ann, Joe, Sue, Uma (unsubscribed from everything), b1, b2"

# ---- a forged update: nothing recorded, nothing sent on ----
is "$(mail_in mallory@evil.test "$upd" "Buy my pills" "Cheap pills for all signers.")" 0 "an update from another address exits 0"
is "$(result)" refused "is refused"
is "$(updates)" 0 "and records nothing"
like "$(text_of1 mallory@evil.test)" "only for the person who started it" "the sender is told why"
forged=$(printf '%s' "$upd" | sed 's/+[a-z0-9]*@/+aaaaaaaaaaaaaaaaaaaaaaaa@/')
is "$(mail_in ann@example.org "$forged" "News" "News.")" 67 "an altered update token exits 67"
is "$(mail_in ann@example.org "update+$slug@act.test" "News" "News.")" 67 "the update address without its token exits 67"

# ---- the creator's update: acknowledged, put to the organizers ----
orgs=$(sql "SELECT count(*) FROM outbox WHERE recipient = 'org@example.net'")
is "$(mail_in ann@example.org "$upd" "The council meets on Monday" "Hello {{member.first_name}},\n\nthe council votes on the buses **on Monday**. Come!\n\nOn Sunday, Bob wrote:\n> an old quoted line\n\n-- \nAnn, bus rider" 'Reply-To: <attacker@evil.test>\nX-Leak: header-from-the-creator\n')" 0 "the creator's update exits 0"
is "$(result)" pending "pending an organizer's decision"
is "$(sql "SELECT status || '|' || subject FROM petition_updates")" "pending|The council meets on Monday" "recorded as pending, with its subject"
body=$(sql "SELECT body FROM petition_updates")
like "$body" "votes on the buses \*\*on Monday\*\*" "its body is the visible text (Markdown kept)"
unlike "$body" "old quoted line|bus rider|Bob wrote" "without the quote and the signature"
like "$(text_of1 ann@example.org)" "Update received: .*we received your update \"The council meets on Monday\"" "the creator gets an acknowledgement"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'org@example.net'")" $((orgs + 1)) "the organizer gets one review notice"
decide=$(reply_of org@example.net)
like "$decide" '^decide\+[a-z2-7]+@act.test$' "with a decide+TOKEN Reply-To"
like "$(text_of1 org@example.net)" "Update to review: The council meets on Monday .* its 5 counted signers .*votes on the buses" "showing the update and its audience"

# ---- a non-organizer's approval is refused; an unclear reply asked again ----
is "$(mail_in mallory@evil.test "$decide" "Re: update" "approve")" 0 "an approval from another address exits 0"
is "$(result)" refused "is refused"
is "$(sql "SELECT status FROM petition_updates")" pending "and decides nothing"
like "$(text_of1 org@example.net)" "came from mallory@evil.test, which is not the organizer" "the organizers are told who tried"
is "$(mail_in org@example.net "$decide" "Re: update" "reject")" 0 "a rejection without its reason exits 0"
is "$(result)" unclear "is no decision"
like "$(text_of1 org@example.net)" "not a decision we could read" "the organizer is asked again"
is "$(sql "SELECT count(*) FROM newsletters")" 0 "nothing is queued yet"

# ---- the organizer approves by reply: a newsletter to exactly the counted signers ----
is "$(mail_in org@example.net "$decide" "Re: update" "Approve, thanks")" 0 "the organizer's approval exits 0"
is "$(result)" approved "approved"
is "$(sql "SELECT audience || ' ' || status || ' ' || template || ' ' || coalesce(list_id, 'none') FROM newsletters")" "signers scheduled petition_update none" "a newsletter to the petition's signers, scheduled now"
like "$(text_of1 ann@example.org)" "Update approved: .*on its way to the signers" "the creator is told"
nid=$(sql "SELECT newsletter_id FROM petition_updates WHERE id = 1")
like "$(pm newsletter status "$nid")" "audience: signers" "newsletter status says whom it goes to"
like "$(pm newsletter status "$nid" --json)" '"list": *null, *"audience": *"signers", *"petition": *"'"$slug"'"' "and so does its JSON"
run_once
is "$(got 'The council meets on Monday')" "Joe.Signer@Example.ORG ann@example.org b1@bulk.test b2@bulk.test sue@one.test " \
   "sent to the counted signers only (not suspect b3, invalid bad1, pending pat, unsubscribed Uma), each at the address as given"
f=$(copy_of 'The council meets on Monday' Joe.Signer@Example.ORG)
hdr=$(headers_of "$f")
like "$hdr" "^To: .*<Joe.Signer@Example.ORG>" "To: is the address as given"
like "$hdr" "List-Id: .*<$slug\.updates\.act\.test>" "List-Id names the petition's updates"
like "$hdr" "List-Unsubscribe: <mailto:unfollow\+[a-z2-7]+@act.test>, <$U/u/[a-z2-7]+>" "List-Unsubscribe: unfollow+TOKEN and the one-click URL"
like "$hdr" "List-Unsubscribe-Post: List-Unsubscribe=One-Click" "with List-Unsubscribe-Post (RFC 8058)"
unlike "$hdr" "List-Subscribe" "no List-Subscribe (one joins by signing)"
like "$hdr" "^DKIM-Signature:|^Precedence: bulk" "a bulk message through the sender"
unlike "$(cat "$f")" "evil\.test|header-from-the-creator" "no header of the creator's mail leaks into it"
plain=$(python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default)
print(" ".join(m.get_body(("plain",)).get_content().split()))' "$f")
like "$plain" "^Hello Someone, the council votes on the buses \*\*on Monday\*\*" "personalised (Mustache), Markdown as text"
like "$plain" "because you signed \"Keep the night buses running\"" "the footer says why they get it"
like "$(cat "$f")" "<strong>on Monday</strong>" "and as HTML"
rt=$(printf '%s\n' "$hdr" | sed -n 's/^Reply-To: *<\{0,1\}\([^>]*\)>\{0,1\}$/\1/p')
like "$rt" "^sign\+$slug\+[a-z2-7]+@act.test$" "a reply goes to the signer's own sign+SLUG+TOKEN"
is "$(mail_in Joe.Signer@Example.ORG "$rt" "Re: The council meets on Monday" "Where does the council meet?")" 0 "a signer's reply to an update exits 0"
is "$(result)" forwarded "read as any reply to petition mail: a question reaches the organizers"

# ---- a rejection: its reason reaches the creator ----
mail_in ann@example.org "$upd" "Names of the bus drivers" "Here are the names and phone numbers of the drivers." >/dev/null
is "$(result)" pending "a second update is pending"
u2=$(sql "SELECT max(id) FROM petition_updates")
is "$(mail_in org@example.net "$(reply_of org@example.net)" "Re: update" "reject: it names private persons")" 0 "the organizer's rejection exits 0"
is "$(result)" rejected "rejected"
is "$(sql "SELECT status || '|' || reason || '|' || decided_by FROM petition_updates WHERE id = $u2")" "rejected|it names private persons|org@example.net" "its reason and decider are kept"
like "$(text_of1 ann@example.org)" "Update not sent: .*decided not to send your update \"Names of the bus drivers\".*The reason: it names private persons\." "the creator is told the reason"
is "$(sql "SELECT count(*) FROM newsletters")" 1 "nothing is queued for it"
like "$(pm petition update ls "$slug")" "^$u2 rejected .* Names of the bus drivers \(by org@example.net: it names private persons\)" "petition update ls shows it, with its reason"
pm petition update approve "$u2" >/dev/null 2>&1; is $? 65 "a decided update cannot be approved"

# ---- one-click unsubscribe from an update; the next update skips that person ----
url=$(printf '%s\n' "$hdr" | grep -o "$U/u/[a-z2-7]*" | head -1)
is "$(curl -s -o /dev/null -w '%{http_code}' "$url")" 200 "GET of the one-click URL shows a button"
is "$(sql "SELECT count(*) FROM signatures WHERE updates_stopped_at IS NOT NULL")" 0 "and changes nothing"
is "$(curl -s -o "$T/post.html" -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$url")" 200 "the one-click POST answers 200"
like "$(cat "$T/post.html")" "no more updates about Keep the night buses running" "no more updates about this petition"
# the link travels with every copy (a forwarded update passes it on): the way back is
# never on the page, it goes by mail to the member's own address
unlike "$(cat "$T/post.html")" "follow\+" "the one-click page shows no follow+ address"
like "$(cat "$T/post.html")" "the way back was sent to your own address" "it says the way back went to the member's address"
joetxt=$(text_of joe.signer@example.org)
like "$joetxt" "^Subject: No more updates about \"Keep the night buses running\"" "Joe is told by mail"
like "$joetxt" "follow\+[a-z2-7]+@act.test" "and that mail carries the follow+TOKEN"
is "$(sql "SELECT m.email FROM signatures s JOIN members m ON m.id = s.member_id WHERE s.updates_stopped_at IS NOT NULL")" joe.signer@example.org "Joe stopped this petition's updates"
is "$(sql "SELECT status FROM members WHERE email = 'joe.signer@example.org'")" active "and nothing else"
sue=$(headers_of "$(copy_of 'The council meets on Monday' sue@one.test)" | grep -o 'unfollow+[a-z2-7]*@act.test' | head -1)
is "$(mail_in sue@one.test "$sue" "unsubscribe" "")" 0 "mail to the List-Unsubscribe address exits 0"
is "$(result)" unfollowed "and stops Sue's updates too"
mail_in ann@example.org "$upd" "Thank you all" "We won: the buses run until 1:00." >/dev/null
u3=$(sql "SELECT max(id) FROM petition_updates")
sql "UPDATE members SET lang = 'fr' WHERE email = 'b2@bulk.test'"
like "$(pm petition update approve "$u3")" "^update $u3 approved: newsletter [0-9]+" "petition update approve"
# consent is read again at send time: with the server down the copies wait (deferred);
# b1 stops the updates meanwhile; when the server is back, b1's copy is not sent
stop_sink sink
run_once
is "$(sql "SELECT group_concat(recipient || ':' || status, ' ') FROM (SELECT recipient, status FROM outbox WHERE kind = 'newsletter' AND ref_id = (SELECT max(id) FROM newsletters) ORDER BY recipient)")" \
   "ann@example.org:deferred b1@bulk.test:deferred b2@bulk.test:deferred" "expanded for those who have not stopped its updates; the server is down"
b1=$(headers_of "$(copy_of 'The council meets on Monday' b1@bulk.test)" | grep -o 'unfollow+[a-z2-7]*@act.test' | head -1)
is "$(mail_in b1@bulk.test "$b1" "unsubscribe" "")" 0 "b1 stops the updates while its copy waits"
start_sink sink "$SINK_PORT"
sql "UPDATE outbox SET next_attempt = 0 WHERE status = 'deferred'"
run_once
is "$(got 'Thank you all')" "ann@example.org b2@bulk.test " "the next update skips those who stopped it, up to the moment it is sent"
is "$(sql "SELECT status FROM outbox WHERE kind = 'newsletter' AND recipient = 'b1@bulk.test' AND ref_id = (SELECT max(id) FROM newsletters)")" cancelled "b1's waiting copy is cancelled, not sent"
# the wrapper of a French member's copy is French; the creator's text stays as written
b2copy=$(python3 -c 'import sys,email,email.policy
m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default)
print("Subject:", m["subject"], " ".join(m.get_body(("plain",)).get_content().split()), " ".join(m.get_body(("html",)).get_content().split()))' "$(copy_of 'Thank you all' b2@bulk.test)")
like "$b2copy" "^Subject: Thank you all We won: the buses run until 1:00\." "a French signer's copy keeps the creator's subject and text as written"
like "$b2copy" "Vous recevez ce message parce que vous avez signé «.Keep the night buses running.»" "with the French footer (text)"
like "$b2copy" "envoyez un message quelconque à <a href=\"mailto:unfollow\+" "and the French footer (HTML)"
unlike "$b2copy" "You receive this because" "and no English wrapper"
sql "UPDATE members SET lang = NULL WHERE email = 'b2@bulk.test'"

# ---- "unsubscribe" in reply to an update copy (its Reply-To is sign+SLUG+TOKEN): this
# petition's updates stop, the signature still counts, the lists stay as they were ----
pm list create news >/dev/null
pm member add b2@bulk.test --list news >/dev/null 2>&1
b2rt=$(headers_of "$(copy_of 'Thank you all' b2@bulk.test)" | sed -n 's/^Reply-To: *<\{0,1\}\([^>]*\)>\{0,1\}$/\1/p')
like "$b2rt" "^sign\+$slug\+[a-z2-7]+@act.test$" "b2's copy has her own sign+SLUG+TOKEN Reply-To"
is "$(mail_in b2@bulk.test "$b2rt" "Re: update" "unsubscribe")" 0 "replying unsubscribe to an update exits 0"
is "$(sql "SELECT action || '|' || result FROM inbound ORDER BY id DESC LIMIT 1")" "sign|unfollowed" "it stops this petition's updates"
is "$(sql "SELECT s.status || '|' || (s.updates_stopped_at IS NOT NULL) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b2@bulk.test' AND s.petition_id = (SELECT id FROM petitions WHERE slug = '$slug')")" "confirmed|1" "her signature still counts, its updates stopped"
is "$(sql "SELECT m.status || '|' || s.status FROM members m JOIN subscriptions s ON s.member_id = m.id WHERE m.email = 'b2@bulk.test'")" "active|active" "her lists are untouched"
b2txt=$(text_of1 b2@bulk.test)
like "$b2txt" "^Subject: No more updates about \"Keep the night buses running\"" "the answer says what happened"
like "$b2txt" "Your signature still counts" "and that her signature still counts"
unlike "$b2txt" "did not sign|unsubscribed from" "nothing untrue"
# the way back, by her own act: a one-time follow+TOKEN in that answer
b2follow=$(printf '%s\n' "$b2txt" | grep -o 'follow+[a-z2-7]*@act.test' | head -1)
like "$b2follow" '^follow\+[a-z2-7]+@act.test$' "the answer gives a one-time follow+TOKEN to get the updates again"
b2out=$(last_to b2@bulk.test) mout=$(last_to mallory@evil.test)
is "$(mail_in mallory@evil.test "$b2follow" "follow" "")" 0 "follow+TOKEN from another address exits 0"
is "$(result)|$(last_to mallory@evil.test)|$(last_to b2@bulk.test)" "refused|$mout|$b2out" "is refused, nobody answered"
is "$(sql "SELECT (s.updates_stopped_at IS NOT NULL) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b2@bulk.test'")" 1 "and her updates stay stopped"
is "$(mail_in b2@bulk.test "$b2follow" "follow" "")" 0 "her own mail to follow+TOKEN exits 0"
is "$(result)" followed "starts the updates again"
is "$(sql "SELECT s.status || '|' || (s.updates_stopped_at IS NULL) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b2@bulk.test'")" "confirmed|1" "updates_stopped_at is cleared"
like "$(text_of b2@bulk.test)" "will get the updates about the petition \"Keep the night buses running\" again" "and she is told so"
is "$(mail_in b2@bulk.test "$b2rt" "Re: update" "unsubscribe")" 0 "she stops them again"
is "$(mail_in b2@bulk.test "$b2follow" "follow" "")" 0 "the used follow+TOKEN replayed exits 0"
is "$(result)" used "acts no more"
is "$(sql "SELECT (s.updates_stopped_at IS NOT NULL) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'b2@bulk.test'")" 1 "her updates stay stopped"
ok "a fresh follow+TOKEN from that answer works" test "$(mail_in b2@bulk.test "$(text_of b2@bulk.test | grep -o 'follow+[a-z2-7]*@act.test' | head -1)" "follow" "")" = 0
is "$(result)" followed "and starts them again"
# the one-click mail's way back: Joe writes to it from his own address
jfollow=$(printf '%s\n' "$joetxt" | grep -o 'follow+[a-z2-7]*@act.test' | head -1)
is "$(mail_in Joe.Signer@Example.ORG "$jfollow" "follow" "")" 0 "Joe writes to the mailed follow+TOKEN from his own address"
is "$(result)" followed "and gets the updates again"
# whoever posts the link again (a forwarded copy) learns no follow+ address; a fresh one
# goes to Joe, and posting once more (nothing changes) mails nobody
joeout=$(last_to joe.signer@example.org)
clickpage=$(curl -s -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$url")
unlike "$clickpage" "follow\+" "the one-click page posted again names no follow+ address"
ok "a fresh way back goes to Joe" test "$(last_to joe.signer@example.org)" -gt "$joeout"
joeout=$(last_to joe.signer@example.org)
curl -s -o /dev/null -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$url"
is "$(last_to joe.signer@example.org)" "$joeout" "posting once more, with nothing to stop, mails nobody"
# French: the answer is in the member's language
sql "UPDATE members SET lang = 'fr' WHERE email = 'b2@bulk.test'"
mail_in b2@bulk.test "$b2rt" "Re: update" "unsubscribe" >/dev/null
frtxt=$(text_of b2@bulk.test)
like "$frtxt" "Vous voulez de nouveau ses nouvelles" "the French answer offers the follow address too"
mail_in b2@bulk.test "$(printf '%s\n' "$frtxt" | grep -o 'follow+[a-z2-7]*@act.test' | head -1)" "suivre" "" >/dev/null
like "$(text_of b2@bulk.test)" "^Subject: De nouveau les nouvelles de «.Keep the night buses running.»" "and the French confirmation"
sql "UPDATE members SET lang = NULL WHERE email = 'b2@bulk.test'"
# "stop" to help@ from a signer on no list: the petitions whose updates they get, and the
# confirmation stops them all
stopped_before=$(sql "SELECT count(*) FROM signatures WHERE updates_stopped_at IS NOT NULL")
is "$(mail_in ann@example.org help@act.test "stop" "stop")" 0 "stop to help@ from a signer on no list exits 0"
is "$(result)" pending "a confirmation is asked"
stoptxt=$(text_of1 ann@example.org)
like "$stoptxt" "^Subject: Please confirm: unsubscribe from all our lists and petition updates" "asking to stop the petition updates too"
like "$stoptxt" "updates of these petitions it signed: \* Keep the night buses running" "naming the petitions"
is "$(mail_in ann@example.org "$(reply_of ann@example.org)" "Re: stop" "yes")" 0 "the confirmation exits 0"
is "$(result)" unsubscribed "stops everything"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org' AND s.updates_stopped_at IS NULL")" 0 "no petition's updates reach her any more"
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org'")" confirmed "her signature still counts"
like "$(text_of1 ann@example.org)" "no more updates about any petition you signed" "and she is told so"
# the answer is truthful about the updates too: a way back for each petition it stopped
stopans=$(text_of1 ann@example.org)
like "$stopans" "updates again, send any message to its address \(each works once\): \* Keep the night buses running: follow\+[a-z2-7]+@act.test" "and how to get each petition's updates again (its follow+TOKEN)"
fol=$(text_of ann@example.org | grep -o 'follow+[a-z2-7]*@act.test' | head -1)
is "$(mail_in ann@example.org "$fol" "Follow" "")" 0 "writing to it exits 0"
is "$(result)" followed "her updates of that petition are back"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org' AND s.updates_stopped_at IS NULL")" 1 "for that petition"
# in French too (the same answer, its own words)
sql "UPDATE members SET lang = 'fr' WHERE email = 'ann@example.org'"
mail_in ann@example.org help@act.test "stop" "stop" >/dev/null
mail_in ann@example.org "$(reply_of ann@example.org)" "Re: stop" "oui" >/dev/null
is "$(result)" unsubscribed "stopped again (in French)"
like "$(text_of1 ann@example.org)" "Vous voulez de nouveau les nouvelles d.une pétition.\? Envoyez un message quelconque à son adresse \(chacune ne sert qu.une fois\).: \* Keep the night buses running.: follow\+[a-z2-7]+@act.test" "the French answer gives the way back too"
sql "UPDATE members SET lang = NULL WHERE email = 'ann@example.org'"

# ---- limits: open petitions, length, pending ----
long=$(head -c 400 /dev/zero | tr '\0' 'x')
mail_in ann@example.org "$upd" "Too long" "$long" >/dev/null
is "$(result)" refused "an update over update_max is refused"
like "$(text_of1 ann@example.org)" "too long: .*at most 300" "and the creator told"
mail_in ann@example.org "$upd" "One" "First pending." >/dev/null
mail_in ann@example.org "$upd" "Two" "Second pending." >/dev/null
mail_in ann@example.org "$upd" "Three" "Third pending." >/dev/null
is "$(result)" refused "a third pending update is refused (updates_pending = 2)"
like "$(text_of1 ann@example.org)" "already has 2 updates waiting" "and the creator told"
mail_in ann@example.org "$upd" "Broken {{#x}}" "Text." >/dev/null
is "$(result)" refused "an update that is not valid Mustache is refused"
pm petition update reject "$(sql "SELECT id FROM petition_updates WHERE subject = 'One'")" >/dev/null 2>&1; is $? 64 "petition update reject needs --reason"
pm petition close "$slug" >/dev/null
mail_in ann@example.org "$upd" "After closing" "News." >/dev/null
is "$(result)" refused "a closed petition takes no update"
like "$(text_of1 ann@example.org)" "is closed: updates go only to the signers of a published, open petition" "and the creator is told why"
# an update still pending when its petition closed is not approved: by reply nor command
two=$(sql "SELECT id FROM petition_updates WHERE subject = 'Two'")
nl=$(sql "SELECT count(*) FROM newsletters")
is "$(mail_in org@example.net "$(reply_of org@example.net)" "Re: update" "approve")" 0 "approving by reply after the petition closed exits 0"
is "$(result)" refused "is refused"
like "$(text_of1 org@example.net)" "Update to review: Two .*is closed now: an update goes only to the signers of an open petition" "the organizer is told why"
out=$(pm petition update approve "$two" 2>&1); rc=$?
is "$rc" 65 "petition update approve after the petition closed exits 65"
like "$out" "petition $slug is closed: an update goes only to the signers of an open petition" "with a clear error"
is "$(sql "SELECT status FROM petition_updates WHERE id = $two")|$(sql "SELECT count(*) FROM newsletters")" "pending|$nl" "the update stays pending, nothing is queued"
ok "it can still be rejected" pm petition update reject "$two" --reason "the petition closed"

# ---- every decision is in the history, with who and when ----
hist=$(pm petition history "$slug")
like "$hist" "update-approved +org@example.net +update 1$" "the approval by reply, with who (the subject stays in petition_updates)"
unlike "$hist" "The council meets on Monday" "the history holds no creator's words (forgetting erases them)"
like "$hist" "update-rejected +org@example.net +update $u2: it names private persons" "the rejection, with its reason"
like "$hist" "update-approved +cli:$(id -un)" "the approval at the command line"
like "$hist" "update-received +creator" "each update received"

# ---- forgetting the creator empties their updates ----
ok "member forget the creator" pm member forget ann@example.org
is "$(sql "SELECT count(*) FROM petition_updates WHERE subject <> '' OR body <> '' OR status = 'pending'")" 0 "their updates are emptied, the pending ones rejected"
# no row holds an update's subject any more: not petition_updates, not the history, not
# the inbound log, not the organizers' review notices (only the newsletter an approved
# one became keeps its text, as any sent newsletter, with its copies)
leak() { python3 - "$T/var/peermail.db" "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
found = []
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
    if t in ("newsletters", "newsletter_langs") or t.startswith("petition_titles"):
        continue
    q = 'SELECT * FROM "%s"' % t
    if t == "outbox_message":
        q = ("SELECT m.* FROM outbox_message m JOIN outbox o ON o.id = m.outbox_id "
             "WHERE o.kind <> 'newsletter'")
    for row in db.execute(q):
        text = " ".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row)
        found += ["%s: %s" % (t, n) for n in sys.argv[2:] if n in text]
print(" ".join(sorted(set(found))))
PY
}
is "$(leak "Names of the bus drivers" "Here are the names and phone numbers" "Thank you all" "After closing")" "" "no table holds the forgotten creator's update subjects or text"

# ---- a 32-character slug and large ids: the update and sign addresses keep within 64
# characters by leaving the slug out; the token names the petition ----
sql "INSERT INTO members(id, email, created_at, updated_at) VALUES (9000000000000, 'filler@example.net', 0, 0)"
sql "INSERT INTO petitions(id, slug, title, status, created_at) VALUES (9000000000000, 'filler', 'Filler', 'closed', 0)"
mail_in lee@example.org start@act.test "Protect the riverside meadows of Leeds now" "The meadows flood every winter and must stay green." >/dev/null
mail_in lee@example.org "$(reply_of lee@example.org)" "Re: confirm" "yes" >/dev/null
lslug=$(sql "SELECT slug FROM petitions WHERE id > 9000000000000")
is "${#lslug}" 32 "a started petition's slug of 32 characters"
pm petition moderate "$lslug" --approve >/dev/null
lupd=$(text_of1 lee@example.org | grep -o "update+[a-z0-9+-]*@act.test" | head -1)
like "$lupd" "^update\+[a-z2-7]+@act.test$" "its update address (slug left out: the local part would pass 64)"
is "$(mail_in lee@example.org "$lupd" "Meadows news" "The council listens.")" 0 "the update address works"
is "$(result)" pending "the update is pending"
is "$(mail_in lee@example.org "update+$slug+${lupd#update+}" "Meadows news" "The council listens.")" 67 "with another petition's slug it is refused (67)"
pm petition update approve "$(sql "SELECT max(id) FROM petition_updates")" >/dev/null
run_once
lrt=$(headers_of "$(copy_of 'Meadows news' lee@example.org)" | sed -n 's/^Reply-To: *<\{0,1\}\([^>]*\)>\{0,1\}$/\1/p')
like "$lrt" "^sign\+[a-z2-7]+@act.test$" "the copy's Reply-To is sign+TOKEN"
is "$(mail_in lee@example.org "$lrt" "Re: Meadows news" "Where does the council meet?")" 0 "a reply to it works"
is "$(result)" forwarded "read as any reply (a question)"
is "$(mail_in lee@example.org "sign+$slug+${lrt#sign+}" "Re: Meadows news" "Yes")" 67 "with another petition's slug it is refused (67)"

# ---- a closed petition: a reply's meaning is read before the "closed" answer; only a
# signing reply gets it, "unsubscribe"/"stop" act as for an open petition ----
mail_in kim@example.org "sign+$lslug@act.test" "Signing" "Count me in." >/dev/null
kimconf=$(reply_of kim@example.org)
pm petition close "$lslug" >/dev/null
is "$(mail_in lee@example.org "$lrt" "Re: Meadows news" "Yes")" 0 "a signing reply to a closed petition exits 0"
is "$(result)" closed "is told the petition is closed"
like "$(text_of lee@example.org)" "^Subject: This petition is closed" "with the closed answer"
lee_out=$(last_to lee@example.org)
is "$(mail_in lee@example.org "$lrt" "Out of office" "I am away until Monday." 'Auto-Submitted: auto-replied\n')" 0 "an auto-reply about a closed petition exits 0"
is "$(result)|$(last_to lee@example.org)" "ignored|$lee_out" "is ignored and gets no answer"
is "$(mail_in lee@example.org "$lrt" "Re: Meadows news" "unsubscribe")" 0 "unsubscribe in reply to mail about a closed petition exits 0"
is "$(result)" unfollowed "stops that petition's updates, not answered 'closed'"
is "$(sql "SELECT s.status || '|' || (s.updates_stopped_at IS NOT NULL) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'lee@example.org' AND s.petition_id = (SELECT id FROM petitions WHERE slug = '$lslug')")" "confirmed|1" "the updates are stopped, the signature still counts"
like "$(text_of lee@example.org)" "^Subject: No more updates about \"Protect the riverside meadows of Leeds now\"" "and the answer says so"
is "$(mail_in kim@example.org "$kimconf" "Re: confirm" "yes")" 0 "confirming a pending signature after the petition closed exits 0"
is "$(result)" closed "is told the petition is closed"
is "$(mail_in kim@example.org "$kimconf" "Re: confirm" "stop")" 0 "stop in reply to the confirmation request of a closed petition exits 0"
is "$(result)" unfollowed "acts as for an open petition"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'kim@example.org'")" 0 "the pending signature is gone"

# ---- a forgotten signer's one-click link (a sender may retry the POST) ----
ok "member forget Joe" pm member forget joe.signer@example.org
is "$(curl -s -o "$T/post2.html" -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$url")" 200 "the one-click POST of a forgotten signer answers 200"
like "$(cat "$T/post2.html")" "no more updates" "and says no more updates go"

done_testing
