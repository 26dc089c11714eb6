# t_receive.sh - `peermail receive` end to end: each kind of address, real-client samples,
# auto-replies, replays, tampered tokens, forged senders, malformed input, exit codes.
. "$(dirname "$0")/lib.sh"

M=$DATA/mail
setup 'list "news" { title = "Campaign news" mode = "announce" organizers = { "boss@example.net" } }'
sql "INSERT INTO petitions(slug, title, text, created_at) VALUES ('trees', 'Save the trees', 'Plant more.', 0)"
sql "INSERT INTO petitions(slug, title, text, status, created_at) VALUES ('old', 'Old one', '', 'closed', 0)"

n=0
# mail FIXTURE FROM NAME TO [SUBJECT] [BODY] - a fixture with its placeholders filled in
mail() {
	n=$((n + 1))
	sed -e "s|@FROM@|$2|g" -e "s|@FROMNAME@|$3|g" -e "s|@TO@|$4|g" \
	    -e "s|@MSGID@|m$n.$$@client.test|g" -e "s|@SUBJECT@|${5:-hello}|g" \
	    -e "s|@BODY@|${6:-Count me in.}|g" "$M/$1"
}
# recv TO [SENDER] - receive stdin for TO; prints the exit status
recv() { pm receive --sender "${2:-someone@example.org}" --recipient "$1" >"$T/out" 2>&1; echo $?; }
count() { sql "SELECT count(*) FROM $1"; }

# ---- sign by writing (Gmail), confirmation by reply (Apple Mail) ----
mail gmail.eml ann@example.org "Ann Example" sign+trees@act.test >"$T/g1.eml"
is "$(recv sign+trees@act.test ann@example.org <"$T/g1.eml")" 0 "Gmail message to sign+SLUG exits 0"
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org'")" pending "sign by writing: a pending signature"
is "$(sql "SELECT coalesce(name, '-') FROM members WHERE email = 'ann@example.org'")" - "the new signer is a member, not named by mail without a token (anyone can write it)"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'ann@example.org' AND kind = 'response'")" 1 "a confirmation request is queued"
conf=$(reply_to "$(last_outbox)")
like "$conf" '^confirm\+[a-z2-7]+@act\.test$' "its Reply-To is confirm+TOKEN"
like "$(outbox_text "$(last_outbox)" | tr '\n' ' ')" "your reply goes to ${conf//+/\\+}\\)" "the confirmation names the address the reply goes to"
like "$(outbox_msg "$(last_outbox)" | tr -d '\r')" "In-Reply-To: <m1\.$$@client\.test>" "the response answers the member's Message-ID"
is "$(recv sign+trees@act.test ann@example.org <"$T/g1.eml")" 0 "the same message again exits 0"
is "$(count outbox)" 1 "a replay queues nothing"
is "$(count inbound)" 1 "a replay records nothing"

mail apple_mail.eml ann@example.org "Ann Example" "$conf" >"$T/a1.eml"
is "$(recv "$conf" ann@example.org <"$T/a1.eml")" 0 "Apple Mail reply to the confirmation exits 0"
like "$(outbox_text "$(last_outbox)")" '^1 person has signed so far' "the thank-you's count reads right for one (not '1 people have')"
is "$(sql "SELECT status FROM signatures")" confirmed "replying confirms the signature"
is "$(sql "SELECT name FROM members WHERE email = 'ann@example.org'")" "Ann Example" "and names the member from the From: of her own reply"
is "$(sql "SELECT comment FROM signatures")" "Hello" "the visible reply text is the comment (quote stripped)"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'ann@example.org'")" 2 "a thank-you is queued"

# tampered token: one character changed
tok=${conf#confirm+}; tok=${tok%@act.test}
c1=${tok:5:1}; [ "$c1" = a ] && c2=b || c2=a
bad="confirm+${tok:0:5}$c2${tok:6}@act.test"
before=$(count inbound)
mail plain.eml ann@example.org "Ann" "$bad" >"$T/t.eml"
is "$(recv "$bad" ann@example.org <"$T/t.eml")" 67 "a tampered token exits 67"
like "$(cat "$T/out")" 'token' "the reason names the token"
is "$(count inbound)" "$before" "nothing is recorded for a tampered token"

# already signed: the note goes out once
o=$(count outbox)
mail plain.eml ann@example.org "Ann" sign+trees@act.test >"$T/s2.eml"
is "$(recv sign+trees@act.test <"$T/s2.eml")" 0 "signing again exits 0"
is "$(count outbox)" $((o + 1)) "an 'already signed' note is queued"
mail plain.eml ann@example.org "Ann" sign+trees@act.test >"$T/s3.eml"
recv sign+trees@act.test <"$T/s3.eml" >/dev/null
is "$(count outbox)" $((o + 1)) "the 'already signed' note goes out only once"
is "$(count signatures)" 1 "a second signature counts once"

# ---- refusals ----
mail plain.eml bob@example.org "Bob" sign+nosuch@act.test >"$T/u.eml"
before=$(count inbound)
is "$(recv sign+nosuch@act.test <"$T/u.eml")" 67 "unknown petition exits 67"
like "$(cat "$T/out")" "unknown petition 'nosuch'" "the reason names the petition"
is "$(wc -l <"$T/out")" 1 "the reason is one line"
is "$(recv nobody+x+y@act.test <"$T/u.eml")" 67 "unknown address exits 67"
is "$(recv someone@elsewhere.test <"$T/u.eml")" 67 "another domain exits 67"
is "$(recv nolist+subscribe@act.test <"$T/u.eml")" 67 "unknown list exits 67"
is "$(count inbound)" "$before" "refused messages record nothing"
mail plain.eml bob@example.org "Bob" sign+old@act.test >"$T/c.eml"
is "$(recv sign+old@act.test <"$T/c.eml")" 0 "a closed petition exits 0"
is "$(sql "SELECT count(*) FROM signatures s JOIN petitions p ON p.id = s.petition_id WHERE p.slug = 'old'")" 0 "nothing is signed on a closed petition"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")" closed "a closed petition is answered"

# ---- auto-replies ----
o=$(count outbox)
mail vacation.eml carol@example.org "Carol" sign+trees@act.test >"$T/v.eml"
is "$(recv sign+trees@act.test carol@example.org <"$T/v.eml")" 0 "a vacation auto-reply exits 0"
is "$(sql "SELECT kind || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "autoreply ignored" "it is recorded as an ignored auto-reply"
is "$(count outbox)" "$o" "an auto-reply is never answered"
is "$(sql "SELECT count(*) FROM members WHERE email = 'carol@example.org'")" 0 "an auto-reply creates nobody"
mail plain.eml dan@example.org "Dan" sign+trees@act.test >"$T/ns.eml"
is "$(pm receive --sender '' --recipient sign+trees@act.test <"$T/ns.eml" 2>/dev/null; echo $?)" 0 "a null-sender message exits 0"
is "$(sql "SELECT count(*) FROM members WHERE email = 'dan@example.org'")" 0 "a null-sender message counts for nothing"

# ---- forged sender: only a pending signature for the forged address ----
mail plain.eml victim@example.org "Victim" sign+trees@act.test >"$T/f.eml"
recv sign+trees@act.test attacker@evil.test <"$T/f.eml" >/dev/null
is "$(sql "SELECT s.status FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'victim@example.org'")" pending "a forged From: makes only a pending signature"
is "$(sql "SELECT recipient FROM outbox ORDER BY id DESC LIMIT 1")" victim@example.org "the forged address itself is asked to confirm"
is "$(sql "SELECT count(*) FROM members WHERE email = 'attacker@evil.test'")" 0 "the envelope sender gets nothing"

# ---- header injection in name and subject ----
mail injection.eml eve@example.org "" sign+trees@act.test >"$T/i.eml"
is "$(recv sign+trees@act.test eve@example.org <"$T/i.eml")" 0 "an injection attempt exits 0"
hdrs=$(outbox_msg "$(last_outbox)" | tr -d '\r' | sed '/^$/q')
is "$(printf '%s\n' "$hdrs" | grep -ci '^bcc:')" 0 "the queued confirmation has no Bcc"
is "$(printf '%s\n' "$hdrs" | grep -ci '^to:')" 1 "the queued confirmation has one To"
is "$(printf '%s\n' "$hdrs" | grep -ci '^x-evil:')" 0 "no injected header"
is "$(sql "SELECT coalesce(name, '-') FROM members WHERE email = 'eve@example.org'")" - "the injected name is not stored (mail without a token names nobody)"

# ---- a message without Message-ID is idempotent by content ----
mail nomsgid.eml frank@example.org "Frank" sign+trees@act.test >"$T/n.eml"
recv sign+trees@act.test <"$T/n.eml" >/dev/null
o=$(count outbox)
is "$(recv sign+trees@act.test <"$T/n.eml")" 0 "the same message without Message-ID again exits 0"
is "$(count outbox)" "$o" "it changes nothing the second time"
# ---- the idempotency key is not the Message-ID alone ----
mail plain.eml same1@example.org "Same One" sign+trees@act.test | sed 's/^Message-ID: .*/Message-ID: <same.'$$'@client.test>/' >"$T/id1.eml"
mail plain.eml same2@example.org "Same Two" sign+trees@act.test | sed 's/^Message-ID: .*/Message-ID: <same.'$$'@client.test>/' >"$T/id2.eml"
recv sign+trees@act.test same1@example.org <"$T/id1.eml" >/dev/null
is "$(recv sign+trees@act.test same2@example.org <"$T/id2.eml")" 0 "another message with the same Message-ID exits 0"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email IN ('same1@example.org', 'same2@example.org')")" 2 "two messages with one Message-ID are two messages"
printf 'From: nul1@example.org\nTo: sign+trees@act.test\nSubject: hi\nMessage-ID: <nul\000a@x>\n\nCount me in.\n' >"$T/nul1.eml"
printf 'From: nul2@example.org\nTo: sign+trees@act.test\nSubject: hi\nMessage-ID: <nul\000b@x>\n\nCount me in.\n' >"$T/nul2.eml"
recv sign+trees@act.test nul1@example.org <"$T/nul1.eml" >/dev/null
recv sign+trees@act.test nul2@example.org <"$T/nul2.eml" >/dev/null
is "$(sql "SELECT count(*) FROM members WHERE email IN ('nul1@example.org', 'nul2@example.org')")" 2 "Message-IDs that differ after a NUL are two messages"
o=$(count outbox)
recv sign+trees@act.test same2@example.org <"$T/id2.eml" >/dev/null
is "$(count outbox)" "$o" "the very same message again is still a replay"

# ---- stories (Outlook, HTML only) and moderation by reply ----
mail outlook_html.eml gina@example.org "Gina" story+trees@act.test >"$T/st.eml"
is "$(recv story+trees@act.test gina@example.org <"$T/st.eml")" 0 "an Outlook HTML-only story exits 0"
is "$(sql "SELECT status FROM stories")" pending "the story waits for moderation"
like "$(sql "SELECT text FROM stories")" '[A-Za-z]' "the story keeps the visible text"
is "$(sql "SELECT length(i.raw) > 1000 FROM stories s JOIN inbound i ON i.id = s.inbound_id")" 1 "the original message is kept"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'gina@example.org'")" 1 "the author gets an acknowledgement"
orgs=$(sql "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM outbox WHERE kind = 'notice' ORDER BY recipient)")
is "$orgs" "boss@example.net org@example.net" "each organizer gets a moderation notice"
mod=$(reply_to "$(sql "SELECT id FROM outbox WHERE kind = 'notice' AND recipient = 'org@example.net'")")
like "$mod" '^moderate\+' "the notice's Reply-To is moderate+TOKEN"
# moderate+TOKEN acts only for the organizer it was sent to
notices=$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice'")
mail plain.eml intruder@evil.test "Intruder" "$mod" "Re: story" "Approve" >"$T/mx.eml"
is "$(recv "$mod" intruder@evil.test <"$T/mx.eml")" 0 "a moderation reply from a stranger exits 0"
is "$(sql "SELECT status FROM stories")" pending "a stranger's reply moderates nothing"
is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "moderate refused" "it is recorded as refused"
is "$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice'")" $((notices + 2)) "every organizer is told"
like "$(outbox_msg "$(last_outbox)" | tr -d '\r')" 'intruder@evil\.test' "the notice names who replied"
mail plain.eml boss@example.net "Boss" "$mod" "Re: story" "Reject" >"$T/mb.eml"
recv "$mod" boss@example.net <"$T/mb.eml" >/dev/null
is "$(sql "SELECT status FROM stories")" pending "another organizer cannot use org's token either"
# no silent non-answers: an unclear reply is answered with the words that work
mail plain.eml org@example.net "Org" "$mod" "Re: story" "Let me think about it" >"$T/mu.eml"
is "$(recv "$mod" org@example.net <"$T/mu.eml")" 0 "an unclear moderation reply exits 0"
is "$(sql "SELECT status || ' ' || (SELECT result FROM inbound ORDER BY id DESC LIMIT 1) FROM stories")" "pending unclear" "it moderates nothing"
is "$(sql "SELECT recipient FROM outbox WHERE id = $(last_outbox)")" org@example.net "the organizer gets an answer"
like "$(outbox_text "$(last_outbox)")" '^Subject: Nothing moderated \(story 1\)' "saying nothing was moderated"
like "$(outbox_text "$(last_outbox)")" 'single word "approve"' "and which words work"
is "$(reply_to "$(last_outbox)")" "$mod" "a reply to the answer moderates"
o=$(last_outbox)
mail plain.eml org@example.net "Org" "$mod" "Re: story" "Approve, thanks" >"$T/mo.eml"
is "$(recv "$mod" org@example.net <"$T/mo.eml")" 0 "the organizer's reply exits 0"
is "$(sql "SELECT status FROM stories")" approved "approve by reply"
is "$(sql "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM outbox WHERE id > $o ORDER BY recipient)")" \
	"boss@example.net gina@example.org org@example.net" "the author and every organizer are told"
like "$(outbox_text "$(sql "SELECT id FROM outbox WHERE id > $o AND recipient = 'gina@example.org'")")" \
	'^Subject: Your story is approved: Save the trees' "the author hears the story is approved"
like "$(outbox_text "$(sql "SELECT id FROM outbox WHERE id > $o AND recipient = 'boss@example.net'")" | tr '\n' ' ')" \
	'^Subject: Story 1 approved: Save the trees .*was approved by org@example\.net' "the organizers hear who approved it"
o=$(last_outbox)
mail plain.eml org@example.net "Org" "$mod" "Re: story" "Approve" >"$T/mo2.eml"
is "$(recv "$mod" org@example.net <"$T/mo2.eml")" 0 "the same approval again exits 0"
is "$(last_outbox)" "$o" "and tells nobody twice"

# ---- list commands ----
mail plain.eml hal@example.org "Hal" news+subscribe@act.test >"$T/sub.eml"
is "$(recv news+subscribe@act.test <"$T/sub.eml")" 0 "LIST+subscribe exits 0"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'hal@example.org'")" pending "a pending subscription"
join=$(reply_to "$(last_outbox)")
like "$join" '^join\+' "the request's Reply-To is join+TOKEN"
mail plain.eml hal@example.org "Hal" "$join" "Re: confirm" "yes" >"$T/j.eml"
is "$(recv "$join" <"$T/j.eml")" 0 "the reply to join+TOKEN exits 0"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'hal@example.org'")" active "replying activates the subscription"
# no silent non-answers: subscribing twice and leaving a list one is not on get a short answer
mail plain.eml hal@example.org "Hal" news+subscribe@act.test "again" >"$T/sub2.eml"
o=$(last_outbox)
recv news+subscribe@act.test <"$T/sub2.eml" >/dev/null
is "$(last_outbox)" $((o + 1)) "subscribing twice is answered"
like "$(outbox_text "$(last_outbox)")" '^Subject: You are already subscribed to Campaign news' "saying it is already subscribed"
mail plain.eml zed@example.org "Zed" news+unsubscribe@act.test >"$T/un0.eml"
recv news+unsubscribe@act.test <"$T/un0.eml" >/dev/null
like "$(outbox_text "$(last_outbox)")" '^Subject: You are not subscribed to Campaign news' "leaving a list one is not on is answered"
like "$(outbox_text "$(last_outbox)")" 'write to news\+subscribe@act\.test' "with how to join"
mail plain.eml hal@example.org "Hal" news+unsubscribe@act.test >"$T/un.eml"
recv news+unsubscribe@act.test <"$T/un.eml" >/dev/null
bye=$(reply_to "$(last_outbox)")
like "$bye" '^bye\+' "LIST+unsubscribe asks to confirm with bye+TOKEN"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'hal@example.org'")" active "still subscribed until the reply"
mail plain.eml hal@example.org "Hal" "$bye" "Re: bye" "yes" >"$T/b.eml"
recv "$bye" <"$T/b.eml" >/dev/null
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'hal@example.org'")" unsubscribed "the reply unsubscribes"
like "$(outbox_text "$(last_outbox)")" 'Send any message to news\+subscribe@act\.test' "the unsubscribed note says how to come back"
# one-time tokens act once: the old join+TOKEN mail cannot re-subscribe Hal
hal_sub() { sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'hal@example.org'"; }
mail plain.eml hal@example.org "Hal" "$join" "Re: confirm" "yes" >"$T/j2.eml"
is "$(recv "$join" <"$T/j2.eml")" 0 "a second reply to a used join+TOKEN exits 0"
is "$(hal_sub)" unsubscribed "a used join+TOKEN does not re-subscribe"
is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "subscribe used" "it is recorded as a used token"
mail plain.eml hal@example.org "Hal" news+subscribe@act.test >"$T/sub2.eml"
recv news+subscribe@act.test <"$T/sub2.eml" >/dev/null
join2=$(reply_to "$(last_outbox)")
mail plain.eml hal@example.org "Hal" "$join2" "Re: confirm" "yes" >"$T/j3.eml"
recv "$join2" <"$T/j3.eml" >/dev/null
is "$(hal_sub)" active "a fresh join+TOKEN subscribes again"
# the daily limit (default 5) counts only what Hal did not ask for: the answers to his
# replies to join+/bye+ are asked for, so subscribing, leaving and coming back the same
# day is never "limited"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'hal@example.org' AND result = 'limited'")" 0 "Hal's day of subscribe, leave, come back is never limited"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'hal@example.org' AND kind = 'response' AND asked")" 3 "the answers to his token replies (2 welcomes, 1 goodbye) are asked for"
# what could be forged still counts: subscribe requests for one address stop at the cap
for i in 1 2 3 4 5 6; do
	mail plain.eml vic@example.org "Vic" news+subscribe@act.test "sub $i" >"$T/vic$i.eml"
	recv news+subscribe@act.test <"$T/vic$i.eml" >/dev/null
done
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'vic@example.org'")" 5 "unasked responses to one address stop at the daily limit"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")" limited "the next is recorded as limited"
# ...whatever spelling the forged From: uses: help@ answers strangers, counted as one person
for sp in Wes@Example.org wes@example.org WES@EXAMPLE.ORG Wes@example.ORG wEs@example.org wes@EXAMPLE.org wES@example.org; do
	mail plain.eml "$sp" "Wes" help@act.test "help" >"$T/wes.eml"
	recv help@act.test <"$T/wes.eml" >/dev/null
done
is "$(sql "SELECT count(*) FROM outbox WHERE lower(recipient) = 'wes@example.org' AND kind = 'response'")" 5 \
   "seven spellings of one address get five answers: the limit counts the person, not the spelling"
mail plain.eml hal@example.org "Hal" "$bye" "Re: bye" "yes" >"$T/b2.eml"
recv "$bye" <"$T/b2.eml" >/dev/null
is "$(hal_sub)" active "a used bye+TOKEN does not unsubscribe again"
o=$(count outbox)
mail plain.eml ann@example.org "Ann" "$conf" "Re: confirm" "yes" >"$T/a2.eml"
is "$(recv "$conf" ann@example.org <"$T/a2.eml")" 0 "a second reply to a used confirm+TOKEN exits 0"
is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "confirm used" "a used confirm+TOKEN does nothing"
is "$(count outbox)" "$o" "and answers nothing"
# "stop" to help@: the lists the sender is on, and a reply leaves them all
pm list create extra >/dev/null
pm member add mo@example.org --list news --list extra >/dev/null
mail plain.eml mo@example.org "Mo" help@act.test "stop" "STOP" >"$T/stop.eml"
is "$(recv help@act.test <"$T/stop.eml")" 0 "stop to help@ exits 0"
stop=$(outbox_text "$(last_outbox)")
like "$stop" '^Subject: Please confirm: unsubscribe from all our lists' "stop asks to confirm"
like "$stop" '\(news@act\.test\)' "naming each list the sender is on"
is "$(sql "SELECT count(*) FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'mo@example.org' AND s.status = 'active'")" 2 "nothing changes before the reply"
sbye=$(reply_to "$(last_outbox)")
like "$sbye" '^bye\+' "the reply goes to bye+TOKEN"
mail plain.eml mo@example.org "Mo" "$sbye" "Re: stop" "yes" >"$T/stop2.eml"
is "$(recv "$sbye" <"$T/stop2.eml")" 0 "the confirmation exits 0"
is "$(sql "SELECT group_concat(s.status) FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'mo@example.org'")" "unsubscribed,unsubscribed" "the reply leaves every list"
like "$(outbox_text "$(last_outbox)")" '^Subject: You are unsubscribed from all our lists' "and is confirmed"
pm list create later >/dev/null
pm member add mo@example.org --list later >/dev/null
mail plain.eml mo@example.org "Mo" "$sbye" "Re: stop" "yes again" >"$T/stop4.eml"
is "$(recv "$sbye" <"$T/stop4.eml")" 0 "a replayed stop confirmation exits 0"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id JOIN lists l ON l.id = s.list_id WHERE m.email = 'mo@example.org' AND l.name = 'later'")" active "and does not leave a list joined since: the token acted once"
mail plain.eml nel@example.org "Nel" help@act.test "stop" "stop please" >"$T/stop3.eml"
recv help@act.test <"$T/stop3.eml" >/dev/null
like "$(outbox_text "$(last_outbox)")" 'it is on none of our' "stop from someone on no list is answered, not ignored"
o=$(count outbox)
mail plain.eml ivy@example.org "Ivy" help@act.test >"$T/h.eml"
is "$(recv help@act.test <"$T/h.eml")" 0 "help@ exits 0"
is "$(sql "SELECT recipient FROM outbox WHERE id = $((o + 1))")" ivy@example.org "help is answered"
help=$(outbox_text $((o + 1)))
like "$help" '^  \* .*: news@act\.test$' "help names the lists"
like "$help" '^  \* .*: write to sign\+trees@act\.test$' "help names the open petitions"
mail plain.eml ivy@example.org "Ivy" news+help@act.test >"$T/lh.eml"
is "$(recv news+help@act.test <"$T/lh.eml")" 0 "LIST+help exits 0"
mail plain.eml ivy@example.org "Ivy" news@act.test >"$T/p.eml"
is "$(recv news@act.test <"$T/p.eml")" 0 "a post from a non-organizer exits 0"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")" refused "it is refused"
is "$(count newsletters)" 0 "no newsletter from a non-organizer"
mail plain.eml boss@example.net "Boss" news@act.test "Big news" "We won the first round." >"$T/po.eml"
is "$(recv news@act.test <"$T/po.eml")" 0 "a post from the list organizer exits 0"
is "$(sql "SELECT status || ' ' || subject || ' ' || created_by FROM newsletters")" "draft Big news boss@example.net" "it becomes a draft newsletter"
bc=$(reply_to "$(last_outbox)")
like "$bc" '^broadcast\+' "the organizer is asked to confirm with broadcast+TOKEN"
bct=$(outbox_text "$(last_outbox)")
like "$bct" '^Subject: Confirm sending to .*: Big news$' "the confirmation's subject names the post's"
like "$bct" '^    Subject: Big news$' "its body names the subject"
like "$bct" '^We won the first round\.$' "and shows the text to be sent"
like "$bct" 'send it to [0-9]+ members' "and the audience"
mail plain.eml eve@example.org "Eve" "$bc" "Re: Big news" "send it" >"$T/bcx.eml"
is "$(recv "$bc" <"$T/bcx.eml")" 0 "a broadcast confirmation from another address exits 0"
is "$(sql "SELECT count(*) FROM newsletters WHERE status = 'scheduled'")" 0 "and schedules nothing"
is "$(sql "SELECT kind || ' ' || recipient FROM outbox WHERE id = $(last_outbox)")" "notice boss@example.net" "the organizers are told (a notice, like a refused moderation)"
bxt=$(outbox_text "$(last_outbox)")
like "$bxt" '^Subject: Broadcast confirmation refused \(newsletter [0-9]+\)$' "the notice says what was refused"
like "$bxt" 'came$|from eve@example\.org' "and names who tried"
mail plain.eml boss@example.net "Boss" "$bc" "Re: Big news" "send it" >"$T/bc.eml"
is "$(recv "$bc" <"$T/bc.eml")" 0 "the broadcast confirmation exits 0"
is "$(sql "SELECT status FROM newsletters")" scheduled "replying schedules it"
is "$(sql "SELECT recipient FROM outbox WHERE id = $(last_outbox)")" boss@example.net "the organizer is told it is scheduled"
bst=$(outbox_text "$(last_outbox)")
like "$bst" '^Subject: Scheduled for Campaign news: Big news' "naming the post"
like "$bst" '^    When: +[0-9]{4}-[0-9]{2}-[0-9]{2}T' "when it goes out"
aud=$(printf '%s\n' "$bct" | sed -n 's/.*send it to \([0-9]*\) members.*/\1/p')
like "$bst" "^    To: +$aud members?\$" "and to how many members (as many as the confirmation said)"
mail plain.eml boss@example.net "Boss" "$bc" "Re: Big news" "send it again" >"$T/bc2.eml"
is "$(recv "$bc" <"$T/bc2.eml")" 0 "a second reply to a used broadcast+TOKEN exits 0"
is "$(sql "SELECT action || ' ' || result FROM inbound ORDER BY id DESC LIMIT 1")" "broadcast used" "a used broadcast+TOKEN does nothing"

# the first message's text and the confirmation's text are both kept as the comment
mail plain.eml lea@example.org "Lea" sign+trees@act.test "sign" "Our street needs trees." >"$T/lea1.eml"
recv sign+trees@act.test lea@example.org <"$T/lea1.eml" >/dev/null
lconf=$(reply_to "$(last_outbox)")
mail plain.eml lea@example.org "Lea" "$lconf" "Re: sign" "Yes, and the school too." >"$T/lea2.eml"
recv "$lconf" lea@example.org <"$T/lea2.eml" >/dev/null
is "$(sql "SELECT s.comment FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'lea@example.org'" | tr '\n' '|')" \
	"Our street needs trees.||Yes, and the school too.|" "the reply's text joins the first message's in the comment"

# ---- envelope from the environment and the headers ----
mail plain.eml jo@example.org "Jo" sign+trees@act.test >"$T/e1.eml"
ORIGINAL_RECIPIENT=sign+trees@act.test SENDER=jo@example.org pm receive <"$T/e1.eml" >/dev/null 2>&1
is "$?" 0 "ORIGINAL_RECIPIENT from the environment"
mail plain.eml kim@example.org "Kim" x@act.test >"$T/e2.eml"
LOCAL_PART=sign LOCAL_PART_SUFFIX=+trees DOMAIN=act.test SENDER=kim@example.org pm receive <"$T/e2.eml" >/dev/null 2>&1
is "$?" 0 "Exim's LOCAL_PART and LOCAL_PART_SUFFIX"
{ echo "Delivered-To: sign+trees@act.test"; mail plain.eml lee@example.org "Lee" x@act.test; } >"$T/e3.eml"
pm receive <"$T/e3.eml" >/dev/null 2>&1
is "$?" 0 "Delivered-To when nothing else says"
is "$(sql "SELECT count(*) FROM members WHERE email IN ('jo@example.org','kim@example.org','lee@example.org')")" 3 "all three were read as sign+trees"

# ---- malformed input: a clear outcome, no crash ----
before=$(count inbound)
is "$(recv sign+trees@act.test </dev/null)" 65 "an empty message exits 65"
is "$(recv sign+trees@act.test <"$M/garbage.eml")" 65 "8-bit garbage without a sender exits 65"
python3 - "$T/deep.eml" <<'EOF'
import sys
depth = 3000
with open(sys.argv[1], "w") as f:
    f.write("From: deep@example.org\nTo: sign+trees@act.test\nMessage-ID: <deep@x>\nMIME-Version: 1.0\n")
    for i in range(depth):
        f.write('Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i))
    f.write("Content-Type: text/plain\n\nhi\n")
    for i in reversed(range(depth)):
        f.write("--b%d--\n" % i)
EOF
is "$(recv sign+trees@act.test <"$T/deep.eml")" 65 "deeply nested multiparts exit 65"
like "$(cat "$T/out")" 'nested|parts' "the reason says why"
# nested message/rfc822 (GMime recurses into each): absurdly deep, and just too deep
nest822() {  # N ID
	printf 'From: deep@example.org\nTo: sign+trees@act.test\nMessage-ID: <%s@x>\nMIME-Version: 1.0\n' "$2"
	python3 -c "import sys; sys.stdout.write('Content-Type: message/rfc822\n\n' * $1)"
	printf 'From: inner@example.org\n\nhi\n'
}
nest822 50000 deep822 >"$T/deep822.eml"
is "$(recv sign+trees@act.test <"$T/deep822.eml")" 65 "50,000 nested message/rfc822 parts exit 65"
nest822 40 mid822 >"$T/mid822.eml"
is "$(recv sign+trees@act.test <"$T/mid822.eml")" 65 "40 nested messages exceed the depth bound: 65"
python3 - "$T/huge.eml" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("From: Huge <huge@example.org>\nTo: sign+trees@act.test\nMessage-ID: <huge@x>\n")
    f.write("Subject: " + "x" * 500000 + "\n")
    f.write("X-Long: " + " y" * 200000 + "\n\nhi\n")
EOF
is "$(recv sign+trees@act.test <"$T/huge.eml")" 0 "huge headers: recorded"
is "$(sql "SELECT length(subject) <= 65536 FROM inbound ORDER BY id DESC LIMIT 1")" 1 "a huge subject is bounded"
is "$(count inbound)" $((before + 1)) "only the readable message was recorded"
head -c 3000 /dev/urandom | base64 >"$T/big.txt"
cp "$T/conf/peermail.conf" "$T/conf/small.conf"
echo 'limits { max_message_size = 2000 }' >>"$T/conf/small.conf"
mail plain.eml max@example.org "Max" sign+trees@act.test hello "$(head -c 2500 "$T/big.txt" | tr -d '\n')" >"$T/big.eml"
"$PEERMAIL_BIN" --config "$T/conf/small.conf" receive --recipient sign+trees@act.test <"$T/big.eml" >"$T/out" 2>&1
is "$?" 65 "over limits.max_message_size exits 65"
is "$(wc -l <"$T/out")" 1 "with a one-line reason"
is "$(sql "SELECT count(*) FROM members WHERE email = 'max@example.org'")" 0 "nothing recorded for an oversized message"

# ---- transient failures are 75, never 1 ----
sed 's|^database = .*|database = "../var/missing/peermail.db"|' "$T/conf/peermail.conf" >"$T/conf/nodb.conf"
mail plain.eml nia@example.org "Nia" sign+trees@act.test >"$T/x.eml"
"$PEERMAIL_BIN" --config "$T/conf/nodb.conf" receive --recipient sign+trees@act.test <"$T/x.eml" >/dev/null 2>&1
is "$?" 75 "a missing database exits 75 (the MTA retries)"
"$PEERMAIL_BIN" --config "$T/conf/nope.conf" receive --recipient sign+trees@act.test <"$T/x.eml" >/dev/null 2>&1
is "$?" 75 "a missing configuration exits 75"
pm receive --no-such-option --recipient sign+trees@act.test <"$T/x.eml" >/dev/null 2>&1
is "$?" 75 "a usage error in the pipe command exits 75 (inbound/exitcode.h: only 65 and 67 bounce)"

# ---- four receivers at once lose nothing ----
before=$(count signatures)
N=15
for w in 1 2 3 4; do
	(
		for i in $(seq 1 $N); do
			sed -e "s|@FROM@|p$w.$i@example.org|g" -e "s|@FROMNAME@|P $w $i|g" \
			    -e "s|@TO@|sign+trees@act.test|g" -e "s|@MSGID@|par.$w.$i@x|g" \
			    -e "s|@SUBJECT@|hi|g" -e "s|@BODY@|yes|g" "$M/plain.eml" |
				pm receive --recipient sign+trees@act.test >/dev/null 2>&1 || echo "fail $w $i $?"
		done
	) >"$T/par$w" &
done
wait
is "$(cat "$T"/par? | wc -l)" 0 "four parallel receivers: every message exits 0"
is "$(count signatures)" $((before + 4 * N)) "four parallel receivers: all $((4 * N)) signatures recorded"

# ---- one receive after another keeps the WAL short ----
# (each process is the only connection: the WAL must be checkpointed, not left to grow;
# left behind, every next process re-read and re-checkpointed all of it)
for i in $(seq 1 60); do
	sed -e "s|@FROM@|seq$i@example.org|g" -e "s|@FROMNAME@|Seq $i|g" \
	    -e "s|@TO@|sign+trees@act.test|g" -e "s|@MSGID@|seq.$i@x|g" \
	    -e "s|@SUBJECT@|hi|g" -e "s|@BODY@|yes|g" "$M/plain.eml" |
		pm receive --recipient sign+trees@act.test >/dev/null 2>&1
done
wal=$(stat -c %s "$T/var/peermail.db-wal" 2>/dev/null || echo 0)
ok "60 receives in a row leave a WAL under 512 KiB (it is $wal bytes)" test "$wal" -lt 524288

# ---- inspect records nothing ----
before=$(count inbound)
out=$(mail gmail.eml ann@example.org "Ann" x@act.test | pm inspect --json)
like "$out" '"kind":"message"' "inspect: kind"
like "$out" '"from":"ann@example.org"' "inspect: from"
like "$out" '"reply_text":"Hello"' "inspect: visible reply text"
like "$(mail vacation.eml c@example.org C x@act.test | pm inspect --json)" '"kind":"autoreply"' "inspect: a vacation reply is an autoreply"
like "$(mail dsn.eml gone@example.org G bounce@act.test | pm inspect --json --sender '')" '"kind":"bounce"' "inspect: a DSN is a bounce"
like "$(mail dsn.eml gone@example.org G bounce@act.test | pm inspect --sender '')" 'gone@example.org' "inspect: readable summary names the failed recipient"
is "$(count inbound)" "$before" "inspect records nothing"

# ---- start-up cost: receive runs once per message, so the sending and HTML stacks are
# loaded on first use (src/base/lazylib.h), not linked ----
linked=$(ldd "$PEERMAIL_BIN")
for lib in libesmtp libssl libcrypto libxml2 libicu; do
	is "$(echo "$linked" | grep -c "$lib")" 0 "peermail does not link $lib (loaded when needed)"
done

done_testing
