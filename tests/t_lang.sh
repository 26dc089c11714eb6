# t_lang.sh - members' languages end to end: set by import, `member add --lang`, the
# language of their own mail, or `language fr` to help@; every answer, footer and
# newsletter in it (with its plural forms), the fallback to en for a missing template, and
# a bilingual newsletter whose copies each carry their member's body (Maildir capture).
. "$(dirname "$0")/lib.sh"

M=$DATA/mail
setup 'list "news" { title = "Campaign news" mode = "announce" organizers = { "boss@example.net" } }' \
	'limits { max_responses_per_day = 20 }'
sql "INSERT INTO petitions(slug, title, text, created_at) VALUES ('trees', 'Save the trees', 'Plant more.', 0)"

n=0
# mail FROM NAME TO BODY - a plain message
mail() {
	n=$((n + 1))
	sed -e "s|@FROM@|$1|g" -e "s|@FROMNAME@|$2|g" -e "s|@TO@|$3|g" \
	    -e "s|@MSGID@|l$n.$$@client.test|g" -e "s|@SUBJECT@|hello|g" -e "s|@BODY@|$4|g" \
	    "$M/plain.eml"
}
# recv FROM NAME TO BODY - receive that message; prints the exit status
recv() { mail "$1" "$2" "$3" "$4" | pm receive --sender "$1" --recipient "$3" >"$T/out" 2>&1; echo $?; }
lang_of() { sql "SELECT coalesce(lang, '-') FROM members WHERE email = '$1'"; }
NB=$(printf '\302\240')

# ---- setting it: import column, member add --lang, member show ----
printf 'email,name,language\ngus@example.org,Gus,de-CH\nzoe@example.org,Zoe,klingon\nfanny@example.org,Fanny,\n' >"$T/m.csv"
out=$(pm member import "$T/m.csv" 2>&1)
is "$(lang_of gus@example.org)" de "the import's language column sets it (de-CH is stored as de)"
like "$out" "unknown language tag 'klingon'" "an import row with no language tag is reported"
is "$(lang_of zoe@example.org)" "" "and not imported"
is "$(lang_of fanny@example.org)" - "an empty language is none"
pm member add fanny@example.org --lang fr --list news >/dev/null
is "$(lang_of fanny@example.org)" fr "member add --lang sets it"
like "$(pm member show fanny@example.org --json)" '"lang":"fr"' "member show shows it"
pm member add fanny@example.org --lang xx-yy-1 >/dev/null 2>&1
is "$(lang_of fanny@example.org)" xx "a tag is stored as its primary subtag"
pm member add fanny@example.org --lang 'fr/../en' >/dev/null 2>&1; rc=$?
is "$rc" 65 "a value that is no language tag exits 65"
pm member add fanny@example.org --lang fr >/dev/null
pm member add gus@example.org --lang none >/dev/null
is "$(lang_of gus@example.org)" - "--lang none clears it"

# ---- a French member gets French: confirmation, thank-you, footer, plural forms ----
is "$(recv fanny@example.org Fanny sign+trees@act.test 'Je signe.')" 0 "Fanny writes to sign+trees"
id=$(last_to fanny@example.org); t=$(outbox_text "$id")
like "$t" "^Subject: Merci de confirmer votre signature${NB}: Save the trees" "her confirmation request is French"
like "$t" "Des questions${NB}\\? Écrivez à help@act\\.test" "with the French footer"
like "$t" "«${NB}Save the trees${NB}»" "French quotation marks, no-break spaces inside"
unlike "$t" "Questions\\? Write to" "and no English footer"
conf=$(reply_to "$id")
is "$(recv fanny@example.org Fanny "$conf" 'Oui')" 0 "she confirms"
t=$(outbox_text "$(last_to fanny@example.org)")
like "$t" "^Subject: Merci d'avoir signé" "the thank-you is French"
like "$t" "^1 personne a signé jusqu'ici" "with French plural forms: 1 personne a signé"

# ---- no language yet: the language of their own mail, adopted with confidence ----
is "$(recv pierre@example.org Pierre sign+trees@act.test 'Oui, je signe avec plaisir !')" 0 "Pierre, new, writes in French"
is "$(lang_of pierre@example.org)" fr "his language is now French"
like "$(outbox_text "$(last_to pierre@example.org)")" "^Subject: Merci de confirmer" "and the answer to that very mail is French"
is "$(recv olga@example.org Olga sign+trees@act.test 'ok')" 0 "Olga writes only 'ok'"
is "$(lang_of olga@example.org)" - "'ok' is no language with confidence: none adopted"
like "$(outbox_text "$(last_to olga@example.org)")" "^Subject: Please confirm" "she gets the default language"
# mail without a token names nobody: an organizer gives her name (the newsletter greets her)
pm member add olga@example.org --name Olga >/dev/null
is "$(recv fanny@example.org Fanny sign+trees@act.test 'Yes, count me in.')" 0 "Fanny writes in English once"
is "$(lang_of fanny@example.org)" fr "a language already set is kept"
# sign+trees can be written in anyone's name: for a member who was there before, the
# answer is in the mail's language, but only their own reply to it stores the language
pm member add vera@example.org --name Vera >/dev/null
is "$(recv vera@example.org Vera sign+trees@act.test 'Oui, je signe avec plaisir !')" 0 "a French mail to sign+trees in Vera's name"
is "$(lang_of vera@example.org)" - "does not set the language of Vera, a member before it"
id=$(last_to vera@example.org)
like "$(outbox_text "$id")" "^Subject: Merci de confirmer" "the confirmation request is in the mail's language"
is "$(recv vera@example.org Vera "$(reply_to "$id")" 'Oui, je signe.')" 0 "Vera herself confirms, in French"
is "$(lang_of vera@example.org)" fr "her own reply (a token naming her) adopts it"

# ---- by mail: 'language fr' to help@, in any language's words ----
# help@ can be written in anyone's name: a member's language changes only by their reply
# to a one-time confirmation sent to their own address
pm member add ann@example.org --name Ann >/dev/null
is "$(recv ann@example.org Ann help@act.test 'langue fr')" 0 "'langue fr' to help@ in Ann's name"
is "$(lang_of ann@example.org)" - "changes nothing yet"
id=$(last_to ann@example.org); t=$(outbox_text "$id")
like "$t" "^Subject: Merci de confirmer : nos messages en français" "Ann is asked to confirm, in French"
like "$t" "Si vous n'avez rien demandé" "and told to ignore it if she did not ask"
lc=$(reply_to "$id")
like "$lc" '^language\+[a-z2-7]+@act\.test$' "by reply to a language+TOKEN address"
is "$(recv ann@example.org Ann "$lc" 'No thanks, I did not ask for this.')" 0 "a reply that says no"
is "$(lang_of ann@example.org)" - "changes nothing"
is "$(recv ann@example.org Ann "$lc" '')" 0 "Ann replies to confirm"
is "$(lang_of ann@example.org)" fr "her language is French"
t=$(outbox_text "$(last_to ann@example.org)")
like "$t" "Désormais, nous vous écrivons en français\." "the answer says so, in French"
like "$t" "^Subject: Comment utiliser act\.test" "the help text is French"
is "$(recv ann@example.org Ann help@act.test 'language en')" 0 "and 'language en' back"
id=$(last_to ann@example.org)
like "$(outbox_text "$id")" '^Subject: Please confirm: our messages to you in "en"' "is asked to confirm, in English"
is "$(recv ann@example.org Ann "$(reply_to "$id")" 'yes')" 0 "she confirms"
is "$(lang_of ann@example.org)" en "English again"
like "$(outbox_text "$(last_to ann@example.org)")" "from now on we write to you in English" "said in English"
n_out=$(sql "SELECT count(*) FROM outbox")
is "$(recv ann@example.org Ann "$lc" 'yes')" 0 "the French confirmation replayed"
is "$(lang_of ann@example.org)" en "acts only once: still English"
is "$(sql "SELECT result FROM inbound ORDER BY id DESC LIMIT 1")" used "recorded as a used token"
is "$(sql "SELECT count(*) FROM outbox")" "$n_out" "and answered by nothing"
is "$(recv ann@example.org Ann help@act.test 'language tlh')" 0 "'language tlh' (no templates)"
is "$(lang_of ann@example.org)" en "leaves her language as it was"
like "$(outbox_text "$(last_to ann@example.org)" | tr '\n' ' ')" 'no messages in "tlh" yet. We can write to you in: en, fr\.' "and names the languages there are"
is "$(recv stranger@example.org Stranger help@act.test 'Sprache fr')" 0 "someone who is no member writes 'Sprache fr'"
like "$(outbox_text "$(last_to stranger@example.org)")" "Désormais, nous vous écrivons en français" "is answered in French"
is "$(sql "SELECT count(*) FROM members WHERE email = 'stranger@example.org'")" 0 "and not recorded"
pm member add pierre@example.org --list news >/dev/null

# ---- a bilingual newsletter: each member gets the body of their language ----
printf 'Hello {{member.first_name}}! {{petition.signatures}} {{#petition.signatures_one}}person has{{/petition.signatures_one}}{{^petition.signatures_one}}people have{{/petition.signatures_one}} signed.\n' >"$T/en.md"
printf 'Bonjour {{member.first_name}}, {{petition.signatures}} {{#petition.signatures_one}}personne a signé{{/petition.signatures_one}}{{^petition.signatures_one}}personnes ont signé{{/petition.signatures_one}}.\n' >"$T/fr.md"
sql "INSERT INTO petitions(slug, title, text, created_at) VALUES ('empty', 'Nobody yet', 'x', 0)"
pm member add olga@example.org --list news >/dev/null
pm member add gus@example.org --list news --lang de >/dev/null
nid=$(pm newsletter create --list news --subject "News" --body "$T/en.md" --petition empty)
out=$(pm newsletter translate "$nid" --lang fr --subject "Nouvelles" --body "$T/fr.md"); rc=$?
is "$rc" 0 "newsletter translate exits 0"
pm newsletter translate "$nid" --lang french --subject x --body "$T/fr.md" >/dev/null 2>&1
is $? 64 "a tag that is no language exits 64"
pm newsletter translate 999 --lang fr --subject x --body "$T/fr.md" >/dev/null 2>&1
is $? 67 "an unknown newsletter exits 67"
pm newsletter send "$nid" >/dev/null && pm run --once >"$T/run.log" 2>&1
# sent_to ADDR - Subject and text of the copy in the Maildir for ADDR
sent_to() { for f in "$T"/var/sent/new/*; do python3 - "$f" "$1" <<'EOF'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
if sys.argv[2] in str(m["to"]):
    print("Subject:", m["subject"]); print(m.get_body(("plain",)).get_content())
EOF
done; }
fr=$(sent_to fanny@example.org)
like "$fr" "^Subject: Nouvelles$" "the French member's copy has the French subject"
like "$fr" "^Bonjour Fanny, 0 personne a signé\\.$" "the French body, with French plural forms (0 personne)"
like "$fr" "Vous recevez ce message parce que votre adresse est inscrite à Campaign news" "and the French footer"
en=$(sent_to olga@example.org)
like "$en" "^Subject: News$" "a member without a language gets the newsletter's own subject"
like "$en" "^Hello Olga! 0 people have signed\\.$" "and its own body, in English plural forms"
de=$(sent_to gus@example.org)
like "$de" "^Hello Gus! 0 people have signed\\.$" "a member of a language with no translation gets the newsletter's own"
like "$de" "You receive this because you subscribed" "and, with no German templates, the default language's"
pm newsletter translate "$nid" --lang fr --subject x --body "$T/fr.md" >/dev/null 2>&1
is $? 65 "a newsletter already sent is not translated any more"

# ---- a template missing from a language: the default's, then en ----
cp -r "$PEERMAIL_TOP/templates" "$T/tpl"
rm "$T/tpl/fr/confirm_sign.txt"
sed -i "s|^templates = .*|templates = \"$T/tpl\"|" "$T/conf/peermail.conf"
is "$(recv fanny@example.org Fanny sign+empty@act.test 'Je signe.')" 0 "Fanny signs another petition"
t=$(outbox_text "$(last_to fanny@example.org)")
like "$t" "^Subject: Please confirm your signature: Nobody yet" "no French template: the English one"
like "$t" "Questions\\? Write to help@act\\.test" "with the footer of the folder it came from"
done_testing
