# t_intent.sh - what a reply means, through `peermail receive`: replies to the personal
# sign address of a real announcement (and to a confirmation request, and to the
# thank-you) that decline, unsubscribe, ask or withdraw sign nothing; the corpus' samples
# in every language; `peermail inspect` shows the intent and the deciding phrase.
. "$(dirname "$0")/lib.sh"

setup 'list "news" { title = "Campaign news" mode = "announce" }'
sent="$T/var/sent/new"
printf 'Keep the park.\n' >"$T/p.txt"
printf 'Hello {{member.first_name}}, reply to sign.\n' >"$T/a.md"
pm petition create park --title "Save the park" --text "$T/p.txt" >/dev/null
pm petition open park >/dev/null 2>&1 || true

# members: one per corpus sample, and a few named ones
python3 - "$DATA/intent" >"$T/members.csv" <<'PY'
import os, sys
print("email,name")
for f in sorted(os.listdir(sys.argv[1])):
    if f.endswith(".tsv"):
        for i, line in enumerate(open(os.path.join(sys.argv[1], f), encoding="utf-8")):
            if "\t" in line:
                print("c-%s-%d@example.org,Member %s %d" % (f[:-4], i, f[:-4], i))
PY
for who in ann bob cat dan eve fay; do echo "$who@example.org,${who^} Example" >>"$T/members.csv"; done
pm member import "$T/members.csv" --list news >/dev/null
id=$(pm newsletter create --list news --subject "Please sign" --body "$T/a.md" --petition park)
pm newsletter send "$id" --wait >/dev/null 2>&1
is "$?" 0 "the announcement is sent"

# header FILE NAME - a header of a captured message
header() { awk -v h="$2:" 'BEGIN{IGNORECASE=1} /^\r?$/{exit} tolower($1)==tolower(h){sub(/^[^:]*: */,""); sub(/\r$/,""); print; exit}' "$1"; }
# newest_to ADDR - the newest captured message to ADDR
newest_to() { grep -l -i "^To: .*<\?$1>\?" "$sent"/* 2>/dev/null | xargs -r ls -t | head -n 1; }
# reply_addr ADDR - the Reply-To of the newest message to ADDR
reply_addr() { header "$(newest_to "$1")" Reply-To | sed 's/.*<\(.*\)>.*/\1/'; }
# flush - send the queued responses into the capture
flush() { pm run --once >/dev/null 2>&1; }
# reply FROM TO TEXT - a reply from FROM to address TO with TEXT; prints the exit status
reply() {
	local k=$RANDOM$RANDOM$RANDOM
	printf 'From: <%s>\nTo: %s\nSubject: Re: Please sign\nMessage-ID: <r%s.%s@client.test>\nDate: %s\nContent-Type: text/plain; charset=utf-8\n\n%b\n\nOn Mon, Campaign Team wrote:\n> Please sign\n' \
		"$1" "$2" "$k" "$$" "$(date -R)" "$3" >"$T/r.eml"
	pm receive --sender "$1" --recipient "$2" <"$T/r.eml" >"$T/out" 2>&1; echo $?
}
sigs() { sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = '$1' AND s.status = '${2:-confirmed}'"; }

# ---- the issue's examples: none signs ----
ann=$(reply_addr ann@example.org)
like "$ann" '^sign\+park\+' "the announcement's Reply-To is the personal sign address"
for text in "No." "I do not support this petition." "Non merci." "Nein danke." "Do NOT count my signature."; do
	is "$(reply ann@example.org "$ann" "$text")" 0 "\"$text\" exits 0"
	is "$(result)" declined "\"$text\" is recorded as declined"
done
is "$(sigs ann@example.org)" 0 "no signature after five refusals"
is "$(sigs ann@example.org pending)" 0 "nor a pending one"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'reply-declined'")" 5 "declined replies are counted"
like "$(pm stats --json)" "\"declined\":5" "stats show the declined replies"
flush
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@example.org'")" active "a member who declines stays on the list"
f=$(newest_to ann@example.org)
like "$(header "$f" Subject)" "^Your answer about" "a short polite acknowledgement"
pm deliver park --now >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM signatures")" 0 "nothing to deliver"

# ---- unsubscribe ----
bob=$(reply_addr bob@example.org)
is "$(reply bob@example.org "$bob" "UNSUBSCRIBE. Stop sending me these.")" 0 "unsubscribe reply exits 0"
is "$(result)" unsubscribed "recorded as unsubscribed"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'bob@example.org'")" unsubscribed "the member left the list at once"
is "$(sigs bob@example.org)" 0 "and did not sign"
flush
f=$(newest_to bob@example.org)
like "$(tr -d '\r' <"$f")" "news\+subscribe@act\.test" "told how to come back"

# ---- question ----
cat=$(reply_addr cat@example.org)
is "$(reply cat@example.org "$cat" "Who is behind this?")" 0 "a question exits 0"
is "$(result)" forwarded "recorded as forwarded"
is "$(sigs cat@example.org)" 0 "a question does not sign"
flush
f=$(newest_to org@example.net)
is "$(header "$f" Reply-To)" "cat@example.org" "forwarded to the organizers with Reply-To the member"
like "$(tr -d '\r' <"$f")" "Who is behind this" "with the question"
like "$(header "$(newest_to cat@example.org)" Subject)" "^Your question" "the member is told it was forwarded"
like "$(tr -d '\r' <"$(newest_to cat@example.org)")" "sign\+park\+" "and how to sign"

# ---- a forwarded announcement: someone else's "unsubscribe" cannot unsubscribe the member ----
dan=$(reply_addr dan@example.org)
is "$(reply stranger@example.com "$dan" "unsubscribe")" 0 "a stranger's unsubscribe exits 0"
is "$(sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.email = 'dan@example.org'")" active "the member stays subscribed"
is "$(sigs dan@example.org pending)" 0 "and nothing is pending"

# ---- sign, then withdraw by replying to the thank-you ----
eve=$(reply_addr eve@example.org)
is "$(reply eve@example.org "$eve" "No doubt, add my name")" 0 "a positive reply with negative words exits 0"
is "$(sigs eve@example.org)" 1 "signs"
flush
thanks=$(reply_addr eve@example.org)
like "$thanks" '^sign\+park\+' "the thank-you's Reply-To is the sign address"
is "$(reply eve@example.org "$thanks" "Please remove my signature.")" 0 "withdraw exits 0"
is "$(result)" withdrawn "recorded as withdrawn"
is "$(sigs eve@example.org)" 0 "the signature is withdrawn"

# ---- a confirmation request answered "no" ----
printf 'From: <fay@example.org>\nTo: sign+park@act.test\nSubject: sign\nMessage-ID: <w1.%s@client.test>\n\nplease\n' "$$" >"$T/w.eml"
pm receive --sender fay@example.org --recipient sign+park@act.test <"$T/w.eml" >/dev/null 2>&1
is "$(sigs fay@example.org pending)" 1 "writing to sign+SLUG: pending"
flush
conf=$(reply_addr fay@example.org)
like "$conf" '^confirm\+' "a confirmation request"
is "$(reply fay@example.org "$conf" "No thanks")" 0 "'No thanks' to the request exits 0"
is "$(sigs fay@example.org pending)" 0 "the pending signature is gone"
is "$(sigs fay@example.org)" 0 "and not confirmed"

# ---- a question to a confirmation request leaves it open; a yes after it confirms ----
printf 'From: <gus@example.org>\nTo: sign+park@act.test\nSubject: sign\nMessage-ID: <w2.%s@client.test>\n\nplease\n' "$$" >"$T/w.eml"
pm receive --sender gus@example.org --recipient sign+park@act.test <"$T/w.eml" >/dev/null 2>&1
flush
conf=$(reply_addr gus@example.org)
is "$(reply gus@example.org "$conf" "Who is behind this?")" 0 "a question to the request exits 0"
is "$(sigs gus@example.org)" 0 "a question does not confirm"
is "$(reply gus@example.org "$conf" "Yes, sign me up")" 0 "then a yes to the same request exits 0"
is "$(sigs gus@example.org)" 1 "and confirms: the question did not use the token up"
is "$(reply gus@example.org "$conf" "Yes, sign me up again")" 0 "a second yes exits 0"
is "$(result)" used "and does nothing: the token acted once"

# ---- the corpus, end to end ----
for f in "$DATA"/intent/*.tsv; do
	lang=$(basename "$f" .tsv); i=0; right=0; total=0
	while IFS=$'\t' read -r want text; do
		i=$((i + 1))
		[ -n "$want" ] || continue
		addr="c-$lang-$((i - 1))@example.org"
		to=$(reply_addr "$addr")
		reply "$addr" "$to" "$text" >/dev/null
		got=$(result)
		case "$want" in
		sign) w=confirmed ;; decline) w=declined ;; unsubscribe) w=unsubscribed ;;
		question) w=forwarded ;; withdraw) w=declined ;;
		esac
		total=$((total + 1))
		[ "$got" = "$w" ] && right=$((right + 1))
		is "$got" "$w" "$lang: \"$text\" through receive is $w"
	done <"$f"
	echo "# receive accuracy $lang: $right/$total"
done

# ---- inspect shows the reading ----
printf 'From: <x@example.org>\nTo: sign+park@act.test\nSubject: Re\nMessage-ID: <i1@x>\n\nNein danke.\n' >"$T/i.eml"
out=$(pm inspect <"$T/i.eml")
like "$out" "intent: +decline" "inspect prints the intent"
like "$out" "nein danke" "and the deciding phrase"
like "$out" "\(de\)" "and its language"
json=$(pm inspect --json <"$T/i.eml")
like "$json" '"intent":\{"name":"decline","phrase":"[^"]*nein danke[^"]*","language":"de"\}' "inspect --json too"

# ---- missing phrase folder: the MTA retries ----
write_config 'list "news" { title = "Campaign news" mode = "announce" }' 'intent_phrases = "/nonexistent/intent"'
is "$(reply ann@example.org "$ann" "Yes")" 75 "phrases missing: exit 75 (retry)"
like "$(cat "$T/out")" "intent_phrases" "naming the setting"
done_testing
