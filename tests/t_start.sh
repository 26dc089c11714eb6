# t_start.sh - petitions started by members, all by mail through `peermail receive`
# (issue 16, docs/petitions.md): start@ with its limits, the creator's confirmation (a
# question keeps it open, "no" withdraws, similar titles need "continue"), five sponsors,
# moderation by an organizer's reply (another address refused, the organizer's in other
# capitals accepted, an unclear reply asked again), publication with the sign address and
# page, a rejection with its reason reaching the creator and every sponsor (by `petition
# moderate` and by a "reject REASON" reply), `petition moderate`, `petition ls --status
# moderation` and the moderation-delay notice.
. "$(dirname "$0")/lib.sh"

setup 'limits { max_responses_per_day = 100 }' \
      'petitions { open_starts = 2 title_max = 80 text_max = 400 backlog_days = 3 }'

status() { sql "SELECT status FROM petitions WHERE slug = '$1'"; }
sent_to() { sql "SELECT count(*) FROM outbox WHERE recipient = '$1'"; }

printf 'We ask the council to keep the park.\n' >"$T/park.txt"
pm petition create park --title "Save the city park" --text "$T/park.txt" >/dev/null

# ---- each limit refused with an answer, nothing recorded ----
is "$(mail_in ann@example.org start@act.test "Short" "A text long enough to be a petition text.")" 0 "a too-short title exits 0"
is "$(result)" refused "refused"
like "$(text_of ann@example.org)" "title .* is too short: it needs at least 10" "the creator is told the title is too short"
is "$(mail_in ann@example.org start@act.test "$(printf 'A very long title %.0s' 1 2 3 4 5 6)" "A text long enough to be a petition text.")" 0 "a too-long title exits 0"
like "$(text_of ann@example.org)" "too long: at most 80" "told the title is too long"
is "$(mail_in ann@example.org start@act.test "Buses at night for everyone" "Too short.")" 0 "a too-short text exits 0"
like "$(text_of ann@example.org)" "text .* is too short" "told the text is too short"
is "$(mail_in ann@example.org start@act.test "Buses at night for everyone" "$(head -c 500 /dev/zero | tr '\0' 'x')")" 0 "a too-long text exits 0"
like "$(text_of ann@example.org)" "too long: at most 400" "told the text is too long"
is "$(sql "SELECT count(*) FROM petitions")" 1 "no petition recorded for a refused start"

# ---- a start: confirmation requested, a question keeps it open, then confirmed ----
is "$(mail_in ann@example.org start@act.test "More night buses for the east side" "The last bus leaves at 22:00.\nTo: the city council\nGoal: 500\nWe ask for buses until 1:00.")" 0 "a start exits 0"
is "$(result)" pending "pending its creator's confirmation"
bus=$(sql "SELECT slug FROM petitions WHERE title LIKE 'More night buses%'")
is "$bus" more-night-buses-for-the-east "its slug is made from its title (cut at a word, 32 at most)"
is "$(status "$bus")" started "the petition is started"
is "$(sql "SELECT target || '|' || goal || '|' || text FROM petitions WHERE slug = '$bus'" | tr '\n' ' ')" \
   "the city council|500|The last bus leaves at 22:00. We ask for buses until 1:00. " "To: and Goal: lines read, kept out of the text"
like "$(text_of ann@example.org)" "To confirm that you started it, reply" "the creator is asked to confirm"
conf=$(reply_of ann@example.org)
like "$conf" '^confirm\+' "the reply goes to a confirm address"
is "$(mail_in ann@example.org "$conf" "Re: confirm" "When will it be published?")" 0 "a question exits 0"
is "$(result)" forwarded "a question goes to the organizers"
is "$(status "$bus")" started "and confirms nothing"

# ---- confirmed: the sponsor address ----
is "$(mail_in ann@example.org "$conf" "Re: confirm" "Yes, that is my petition.")" 0 "the creator's reply exits 0"
is "$(result)" confirmed "confirmed"
is "$(status "$bus")" sponsoring "the petition gathers sponsors"
txt=$(text_of ann@example.org)
like "$txt" "needs 5 sponsors" "the creator is told how many sponsors it needs"
sponsor=$(printf '%s\n' "$txt" | grep -o "sponsor+$bus+[a-z0-9]*@act.test" | head -1)
like "$sponsor" "^sponsor\+$bus\+" "and given the sponsor address sponsor+SLUG+TOKEN"
is "$(mail_in ann@example.org "$conf" "Re: confirm" "yes")" 0 "the confirmation again exits 0"
is "$(result)" used "a confirmation acts once"
is "$(sql "SELECT s.status || ' ' || s.source FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org'")" "confirmed start" "the creator signs it"

# ---- sponsors: each confirms by reply; the creator's own mail is no sponsorship ----
is "$(mail_in ann@example.org "$sponsor" "I sponsor it" "Count me in")" 0 "the creator writing to the sponsor address exits 0"
like "$(text_of ann@example.org)" "sponsor address of your own petition" "and is told it is their own"
forged=$(printf '%s' "$sponsor" | sed 's/+[a-z0-9]*@/+aaaaaaaaaaaaaaaaaaaaaaaa@/')
is "$(mail_in bob@example.org "$forged" "I sponsor it")" 67 "a forged sponsor token exits 67"
for who in s1 s2 s3 s4; do
	mail_in "$who@example.org" "$sponsor" "Sponsoring" "I support this." >/dev/null
	is "$(result)" pending "$who's sponsorship is pending"
	like "$(text_of "$who@example.org")" "as a sponsor of the petition" "$who is asked to confirm"
	is "$(mail_in "$who@example.org" "$(reply_of "$who@example.org")" "Re: sponsor" "Yes")" 0 "$who confirms"
done
is "$(mail_in s1@example.org "$sponsor" "Again" "Me again")" 0 "a sponsor writing twice exits 0"
is "$(result)" already "counted once"
like "$(text_of s4@example.org)" "4 of 5 sponsors" "each sponsor is thanked with the count"
is "$(status "$bus")" sponsoring "four sponsors are not enough"
mail_in s5@example.org "$sponsor" "Sponsoring" "Yes please." >/dev/null
s5conf=$(reply_of s5@example.org)
is "$(mail_in s5@example.org "$s5conf" "Re: sponsor" "No thanks, I changed my mind")" 0 "a sponsor saying no exits 0"
is "$(result)" declined "declined"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 's5@example.org'")" 0 "their pending sponsorship is gone"
mail_in s6@example.org "$sponsor" "Sponsoring" "Yes please." >/dev/null
orgs_before=$(sent_to org@example.net)
is "$(mail_in s6@example.org "$(reply_of s6@example.org)" "Re: sponsor" "Yes")" 0 "the fifth sponsor confirms"
is "$(status "$bus")" moderation "five sponsors: the petition enters moderation"
is "$(sql "SELECT count(*) FROM signatures s JOIN petitions p ON p.id = s.petition_id WHERE p.slug = '$bus' AND s.status = 'confirmed'")" 6 "the creator and five sponsors sign it"
is "$(sent_to org@example.net)" $((orgs_before + 1)) "the organizer gets one review notice"
review=$(reply_of org@example.net)
like "$review" '^review\+' "its Reply-To is a review address"
like "$(text_of org@example.net)" "has 5 sponsors .*reject duplicate" "the notice says how to decide"
like "$(text_of ann@example.org)" "now with our organizers for review" "the creator is told"
like "$(text_of s2@example.org)" "now with our organizers for review" "and so are the sponsors"
like "$(pm petition ls --status moderation)" "^$bus +moderation .*\(waiting 0 days\)" "petition ls --status moderation shows the queue with its age"
unlike "$(pm petition ls --status moderation)" "park" "and nothing else"
pm petition ls --status nonsense >/dev/null 2>&1; is $? 64 "an unknown state exits 64"
pm petition open "$bus" >/dev/null 2>&1; is $? 65 "petition open cannot bypass moderation"

# ---- moderation by reply: only from the organizer it was sent to ----
is "$(mail_in mallory@example.org "$review" "Re: review" "approve")" 0 "an approval from another address exits 0"
is "$(result)" refused "is refused"
is "$(status "$bus")" moderation "and publishes nothing"
like "$(text_of org@example.net)" "came from mallory@example.org, which is not the organizer" "the organizers are told who tried"
like "$(text_of org@example.net)" "To decide, reply from your address to the review notice you received" "and how to decide"
is "$(mail_in org@example.net "$review" "Re: review" "Looks fine to me")" 0 "an unclear reply exits 0"
is "$(result)" unclear "is unclear"
like "$(text_of org@example.net)" "not a decision we could read" "the organizer is asked again"
is "$(mail_in org@example.net "$review" "Re: review" "reject because I say so")" 0 "a rejection without a known reason exits 0"
is "$(result)" unclear "is not a decision"
is "$(status "$bus")" moderation "still in moderation"
is "$(mail_in org@example.net "$review" "Re: review" "approve")" 0 "the organizer's approval exits 0"
is "$(result)" approved "approved"
is "$(status "$bus")" open "published: open for signatures"
txt=$(text_of ann@example.org)
like "$txt" "is published and open for signatures" "the creator is told"
like "$txt" "sign\+$bus@act.test" "with its sign address"
like "$(text_of s3@example.org)" "is published" "the sponsors are told"
like "$txt" "More about it: mailto:sign\+$bus@act.test" "and its page (mailto: without base_url)"
is "$(sql "SELECT moderated_by FROM petitions WHERE slug = '$bus'")" org@example.net "who published it is kept"
is "$(sql "SELECT group_concat(kind) FROM (SELECT kind FROM events WHERE ref_id = (SELECT id FROM petitions WHERE slug = '$bus') AND kind LIKE 'petition-%' ORDER BY id)")" \
   "petition-started,petition-confirmed,petition-moderation,petition-published" "each step is an event"
like "$(pm petition history "$bus")" "petition-published +org@example.net" "petition history shows them, with who"
is "$(mail_in org@example.net "$review" "Re: review" "reject duplicate")" 0 "a late decision exits 0"
is "$(status "$bus")" open "and changes nothing"
is "$(mail_in zed@example.org "sign+$bus@act.test" "Signing" "Count me in")" 0 "anyone signs the published petition"
is "$(result)" pending "(pending their confirmation, as always)"
sql "UPDATE petitions SET goal = 8 WHERE slug = '$bus'"
pm run --once >/dev/null 2>&1
like "$(msg_to ann@example.org)" "Subject: Milestone reached: More night buses" "the creator hears of its milestones"

# ---- similar titles: shown, and only "continue" goes on ----
is "$(mail_in bob@example.org start@act.test "Save our city parks from builders" "The parks of our city are for everyone, not for builders.")" 0 "a start with a similar title exits 0"
is "$(result)" similar "its creator is shown similar petitions"
txt=$(text_of bob@example.org)
like "$txt" "similar titles\\. - Save the city park \\(open\\): mailto:sign\\+park@act.test" "the similar petition, its state and address"
like "$txt" 'single word "continue"' "and how to go on"
unlike "$txt" "More night buses" "a petition with other words is not similar"
parks=$(sql "SELECT slug FROM petitions WHERE title LIKE 'Save our city parks%'")
bconf=$(reply_of bob@example.org)
is "$(mail_in bob@example.org "$bconf" "Re: confirm" "yes")" 0 "a plain yes exits 0"
is "$(result)" unclear "is not enough past similar titles"
is "$(status "$parks")" started "nothing confirmed"
like "$(text_of bob@example.org)" 'single word "continue"' "bob is asked again"
is "$(mail_in bob@example.org "$bconf" "Re: confirm" "continue")" 0 "continue exits 0"
is "$(result)" confirmed "continue confirms"
is "$(status "$parks")" sponsoring "the petition gathers sponsors"

# ---- a rejection: its reason reaches the creator and every sponsor ----
# sponsored_by CREATOR SLUG WHO... - each WHO@example.org sponsors SLUG at the address in
# the creator's newest message (left in SPONSOR), and confirms
sponsored_by() {
	local who
	SPONSOR=$(text_of "$1" | grep -o "sponsor+$2+[a-z0-9]*@act.test" | head -1)
	shift 2
	for who in "$@"; do
		mail_in "$who@example.org" "$SPONSOR" "Sponsoring" "Yes." >/dev/null
		mail_in "$who@example.org" "$(reply_of "$who@example.org")" "Re: sponsor" "Yes" >/dev/null
	done
}
sponsored_by bob@example.org "$parks" p1 p2 p3 p4 p5
psponsor=$SPONSOR
is "$(status "$parks")" moderation "five sponsors: in moderation"
pm petition moderate "$parks" >/dev/null 2>&1; is $? 64 "petition moderate needs --approve or --reject"
err=$(pm petition moderate "$parks" --reject rude 2>&1); rc=$?
is "$rc" 64 "an unknown reason exits 64"
like "$err" "'rude' is not a reason .*duplicate, out-of-scope, offensive, unclear" "and names the reasons"
pm petition moderate nosuch --approve >/dev/null 2>&1; is $? 67 "an unknown petition exits 67"
is "$(pm petition moderate "$parks" --reject duplicate)" "petition $parks rejected" "petition moderate --reject REASON"
is "$(status "$parks")" rejected "rejected"
is "$(sql "SELECT reason || ' ' || moderated_by FROM petitions WHERE slug = '$parks'")" "duplicate cli:$(id -un)" "its reason is kept, and who decided (cli:USER)"
like "$(text_of bob@example.org)" "decided not to publish it\\. The reason: duplicate\\." "the creator is told the reason"
for who in p1 p5; do
	like "$(text_of "$who@example.org")" "The reason: duplicate" "sponsor $who is told the reason"
done
like "$(pm petition show "$parks" --json)" '"status": *"rejected", *"goal":0.*"reason": *"duplicate"' "petition show: rejected, with its reason"
like "$(pm petition show "$parks")" "reason: duplicate" "petition show (text) gives the reason"
pm petition moderate "$parks" --approve >/dev/null 2>&1; is $? 65 "a rejected petition is never published"
pm petition open "$parks" >/dev/null 2>&1; is $? 65 "not even with petition open"
is "$(mail_in zed@example.org "sign+$parks@act.test" "Signing" "Count me in")" 0 "signing a rejected petition exits 0"
is "$(result)" closed "and records nothing"
like "$(text_of zed@example.org)" "Subject: This petition is not open: Save our city parks.*" "zed is told it is not open"
is "$(mail_in p6@example.org "$psponsor" "Sponsoring" "Yes.")" 0 "its sponsor address after the decision exits 0"
like "$(text_of p6@example.org)" "is not gathering sponsors \\(it is rejected\\)" "and says why nothing was recorded"

# ---- "no" withdraws a start; at most open_starts starts per person ----
is "$(mail_in cat@example.org start@act.test "Clean water in every school" "Every school needs clean drinking water.")" 0 "cat starts a petition"
water=$(sql "SELECT slug FROM petitions WHERE title = 'Clean water in every school'")
is "$(mail_in cat@example.org "$(reply_of cat@example.org)" "Re: confirm" "No, I changed my mind")" 0 "cat says no"
is "$(result)" withdrawn "the start is withdrawn"
is "$(status "$water")" withdrawn "withdrawn"
like "$(text_of cat@example.org)" "is withdrawn, as you asked" "cat is told"
for t in "Longer opening hours for the library" "A new crossing at the market square"; do
	mail_in cat@example.org start@act.test "$t" "We ask for this because it matters to us." >/dev/null
done
is "$(result)" pending "a withdrawn start does not count toward the limit"
is "$(mail_in cat@example.org start@act.test "More benches along the river walk" "We ask for more benches along the river.")" 0 "a third open start exits 0"
is "$(result)" refused "is refused (petitions.open_starts = 2)"
like "$(text_of cat@example.org)" "you already have 2 petitions on their way" "and cat is told why"
sql "UPDATE petitions SET created_at = created_at - 15 * 86400 WHERE title LIKE 'Longer opening%'"
mail_in cat@example.org start@act.test "More benches along the river walk" "We ask for more benches along the river." >/dev/null
is "$(result)" pending "an unconfirmed start lapses with its confirmation (limits.confirm_days)"

# ---- a petition waiting too long: its creator is told once ----
is "$(pm petition moderate "$bus" --approve 2>&1)" "peermail: petition '$bus' is not in moderation (it is open)" "deciding twice is refused"
dan_start() {
	mail_in dan@example.org start@act.test "Free swimming lessons for children" "Every child should learn to swim, for free." >/dev/null
	mail_in dan@example.org "$(reply_of dan@example.org)" "Re: confirm" "yes" >/dev/null
}
dan_start
swim=$(sql "SELECT slug FROM petitions WHERE title LIKE 'Free swimming%'")
sponsored_by dan@example.org "$swim" d1 d2 d3 d4 d5
is "$(status "$swim")" moderation "in moderation"
sreview=$(reply_of org@example.net)
like "$sreview" '^review\+' "the organizer's review address for it"
before=$(sent_to dan@example.org) d1before=$(sent_to d1@example.org)
pm run --once >/dev/null 2>&1
is "$(sent_to dan@example.org)" "$before" "no delay notice before petitions.backlog_days"
sql "UPDATE petitions SET moderation_at = moderation_at - 4 * 86400 WHERE slug = '$swim'"
like "$(pm petition ls --status moderation)" "$swim .*\\(waiting 4 days\\)" "the queue shows its age"
pm run --once >/dev/null 2>&1
is "$(sent_to dan@example.org)" $((before + 1)) "past the backlog, the creator is told"
like "$(msg_to dan@example.org)" "Review delayed" "that the review is delayed"
is "$(sent_to d1@example.org)" "$d1before" "(the sponsors are not)"
pm run --once >/dev/null 2>&1
is "$(sent_to dan@example.org)" $((before + 1)) "once"

# ---- "reject REASON" by reply: from the organizer (their address in other capitals too) ----
is "$(mail_in org@example.net.evil.test "$sreview" "Re: review" "reject duplicate")" 0 "a rejection from another address exits 0"
is "$(result)" refused "is refused"
is "$(status "$swim")" moderation "and rejects nothing"
d1before=$(sent_to d1@example.org)
is "$(mail_in ORG@Example.NET "$sreview" "Re: review" "Reject duplicate")" 0 "the organizer's rejection, their address in other capitals, exits 0"
is "$(result)" rejected "is accepted: rejected"
is "$(status "$swim")" rejected "the petition is rejected"
is "$(sql "SELECT reason || ' ' || moderated_by FROM petitions WHERE slug = '$swim'")" "duplicate org@example.net" "with its reason, and who decided"
like "$(text_of dan@example.org)" "decided not to publish it\\. The reason: duplicate\\." "the creator is told the reason"
is "$(sent_to d1@example.org)" $((d1before + 1)) "and each sponsor"
like "$(text_of d1@example.org)" "The reason: duplicate" "with the reason"

# ---- a 32-character slug and large ids: the sponsor address keeps within 64 characters by
# leaving the slug out; the token names the petition, so it works all the same ----
sql "INSERT INTO members(id, email, created_at, updated_at) VALUES (9000000000000, 'filler@example.net', 0, 0)"
sql "INSERT INTO petitions(id, slug, title, status, created_at) VALUES (9000000000000, 'filler', 'Filler', 'closed', 0)"
mail_in lee@example.org start@act.test "Protect the riverside meadows of Leeds now" "The meadows flood every winter and must stay green." >/dev/null
mail_in lee@example.org "$(reply_of lee@example.org)" "Re: confirm" "yes" >/dev/null
lslug=$(sql "SELECT slug FROM petitions WHERE id > 9000000000000")
is "${#lslug}" 32 "a started petition's slug of 32 characters"
lsponsor=$(text_of lee@example.org | grep -o "sponsor+[a-z0-9+-]*@act.test" | head -1)
like "$lsponsor" "^sponsor\+[a-z2-7]+@act.test$" "its sponsor address (slug left out: the local part would pass 64)"
is "$(mail_in l1@example.org "$lsponsor" "Sponsoring" "Yes.")" 0 "the sponsor address works"
is "$(result)" pending "a pending sponsor"
is "$(mail_in l2@example.org "sponsor+$bus+${lsponsor#sponsor+}" "Sponsoring" "Yes.")" 67 "with another petition's slug it is refused (67)"

done_testing
