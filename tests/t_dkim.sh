# t_dkim.sh - DKIM signing and the list headers, end to end: every message peermail sends
# (newsletter copies, responses, notices) through smtp-sink on loopback, and through the
# Maildir transport, verifies with an independent verifier (python3-dkim, given the keys
# that `peermail dns-records` prints) for rsa-sha256 and ed25519-sha256; h= covers the
# RFC 8058 pair with From oversigned; tampering with List-Unsubscribe breaks it; with
# base_url the https one-click headers are there, without it no https link anywhere.
. "$(dirname "$0")/lib.sh"

VERIFY="$PEERMAIL_TOP/tests/dkim_verify.py"
if [ ! -x "$SINK" ] || ! /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
	skip_all "DKIM tests" "smtp-sink or python3-dkim (Debian python3-dkim) not installed"
fi

# records - one file per DKIM key record of `dns-records` ($T/NAME.rec); the --key options
records() {
	pm dns-records | awk -v dir="$T" '/_domainkey/ {
		name = $1; sub(/^[^"]*/, ""); gsub(/" "/, ""); gsub(/[()"]/, "");
		gsub(/^ +| +$/, ""); print > (dir "/" name "rec"); printf " --key %s=%s/%srec", name, dir, name }'
}
# message KIND... - a message from ann to RECIPIENT on stdin for `receive`
inbound() { # RECIPIENT SUBJECT
	printf 'From: Ann Example <ann@example.net>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.net>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\nYes please.\r\n' \
		"$1" "$2" "$RANDOM$RANDOM"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/ed.pem" 2>/dev/null
chmod 600 "$T/rsa.pem" "$T/ed.pem"
printf 'We ask the council for clean air.\n' >"$T/petition.txt"
printf 'Hello {{member.first_name}}, please sign.\n' >"$T/body.md"

# ==== 1. with base_url, both keys, through smtp-sink ====
sink_setup s1 \
	'base_url = "https://act.test"' \
	'list "news" { title = "Campaign news" mode = "announce" }' \
	"dkim { selector = \"r2026\" key_file = \"$T/rsa.pem\" }" \
	"dkim { domain = \"act.test\" selector = \"e2026\" key_file = \"$T/ed.pem\" }"
keys=$(records)
like "$keys" 'r2026._domainkey.act.test.=.* --key e2026._domainkey.act.test.=' "dns-records prints a record per key"
like "$(cat "$T/r2026._domainkey.act.test.rec")" '^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$' "the RSA key record"
like "$(cat "$T/e2026._domainkey.act.test.rec")" '^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$' "the Ed25519 key record"
dns=$(pm dns-records)
like "$dns" '^act\.test\.	IN	TXT	"v=spf1 ' "dns-records: SPF for the envelope domain"
like "$dns" '^_dmarc\.act\.test\.	IN	TXT	"v=DMARC1; p=none' "dns-records: DMARC for the From domain"
pm petition create clean-air --title "Clean air" --text "$T/petition.txt" >/dev/null
for i in 1 2 3; do pm member add "m$i@example.net" --name "Member $i" --list news >/dev/null; done
id=$(pm newsletter create --list news --subject "Please sign" --body "$T/body.md" --petition clean-air)
pm newsletter schedule "$id" --now >/dev/null 2>&1 || pm newsletter send "$id" >/dev/null 2>&1
inbound "news+subscribe@act.test" "subscribe" | pm receive --sender ann@example.net --recipient news+subscribe@act.test
inbound "sign+clean-air@act.test" "sign me" | pm receive --sender ann@example.net --recipient sign+clean-air@act.test
ok "run --once sends" pm run --once
n=$(ls "$T/s1" | wc -l)
ok "the sink got newsletter copies and responses ($n)" test "$n" -ge 5
# shellcheck disable=SC2086
out=$(/usr/bin/python3 "$VERIFY" $keys "$T"/s1/* 2>&1)
ok "every message the sink received verifies (python3-dkim)" /usr/bin/python3 "$VERIFY" $keys "$T"/s1/*
is "$(printf '%s\n' "$out" | grep -c '^ok .* a=rsa-sha256 ')" "$n" "an rsa-sha256 signature on each"
is "$(printf '%s\n' "$out" | grep -c '^ok .* a=ed25519-sha256 ')" "$n" "an ed25519-sha256 signature on each"
list=$(grep -l '^List-Id: ' "$T"/s1/* | head -n 1)
ok "newsletter copies are in the sink" test -n "$list"
# shellcheck disable=SC2086
h=$(/usr/bin/python3 "$VERIFY" $keys "$list" | awk '/^ok .* a=rsa-sha256 / && !n { n = 1; sub(/.* h=/, ""); print }')
for f in From To Subject Date Message-I[Dd] List-Id List-Unsubscribe List-Unsubscribe-Post; do
	like ":$h:" ":$f:" "h= of a newsletter copy covers $f"
done
is "$(printf '%s\n' "$h" | tr ':' '\n' | grep -c '^From$')" 2 "From is oversigned"
hdrs=$(sed '/^\r\?$/q' "$list" | tr -d '\r' | sed -e ':a' -e 'N;$!ba' -e 's/\n[ \t]\+/ /g')
like "$hdrs" '^List-Unsubscribe: <mailto:leave\+[a-z0-9]+@act\.test>, <https://act\.test/u/[a-z0-9]+>$' "List-Unsubscribe: the mailto and the https URL"
like "$hdrs" '^List-Unsubscribe-Post: List-Unsubscribe=One-Click$' "List-Unsubscribe-Post one-click"
like "$hdrs" '^List-Subscribe: <mailto:news\+subscribe@act\.test>$' "List-Subscribe"
like "$hdrs" '^List-Post: NO$' "List-Post: NO on an announce list"
like "$hdrs" '^List-Owner: <mailto:team@act\.test>$' "List-Owner"
unlike "$hdrs" '^List-Archive:' "no List-Archive (none exists)"
# the token in the https URL is the leave+ token
lt=$(printf '%s\n' "$hdrs" | sed -n 's/^List-Unsubscribe: <mailto:leave+\([a-z0-9]*\)@.*\/u\/\([a-z0-9]*\)>$/\1 \2/p')
is "$(echo "$lt" | awk '{print ($1 == $2)}')" 1 "the https URL carries the leave+ token"

# tampering: another URL in List-Unsubscribe, or one-click removed, breaks both signatures
sed 's#<https://act\.test/u/#<https://evil.example/u/#' "$list" >"$T/tampered1"
fails "a changed List-Unsubscribe URL does not verify" /usr/bin/python3 "$VERIFY" $keys "$T/tampered1"
sed '/^List-Unsubscribe-Post:/d' "$list" >"$T/tampered2"
fails "a removed List-Unsubscribe-Post does not verify" /usr/bin/python3 "$VERIFY" $keys "$T/tampered2"
awk 'NR == 1 { print "List-Unsubscribe: <https://evil.example/u/x>\r" } { print }' "$list" >"$T/tampered3"
fails "an added List-Unsubscribe does not verify (oversigned)" /usr/bin/python3 "$VERIFY" $keys "$T/tampered3"
awk 'NR == 1 { print "From: Mallory <m@evil.example>\r" } { print }' "$list" >"$T/tampered4"
fails "an added From does not verify (oversigned)" /usr/bin/python3 "$VERIFY" $keys "$T/tampered4"
ok "the untouched copy still verifies" /usr/bin/python3 "$VERIFY" $keys "$list"
resp=$(grep -L '^List-Id: ' "$T"/s1/* | head -n 1)
ok "responses (not list mail) are signed too" /usr/bin/python3 "$VERIFY" $keys "$resp"

# ==== 2. the Maildir transport signs too ====
sed -i 's/^transport = "smtp"/transport = "maildir"/' "$T/conf/peermail.conf"
inbound "help@act.test" "help" | pm receive --sender ann@example.net --recipient help@act.test
# a stored message with LF line ends, a folded header and no final newline
sql "INSERT INTO outbox(id, kind, recipient, status, next_attempt, created_at, updated_at)
  VALUES (900, 'notice', 'lf@example.net', 'queued', 0, strftime('%s','now'), strftime('%s','now'));
  INSERT INTO outbox_message(outbox_id, message) VALUES (900, CAST('From: Campaign Team <team@act.test>' ||
  char(10) || 'To: lf@example.net' || char(10) || 'Subject: a subject folded' || char(10) ||
  '  over two lines' || char(10) || 'Message-ID: <lf900@act.test>' || char(10) || char(10) ||
  'Body with  two spaces ' || char(10) || char(10) || 'and no final newline' AS BLOB));
  INSERT INTO outbox(id, kind, recipient, status, next_attempt, created_at, updated_at)
  VALUES (901, 'notice', 'empty@example.net', 'queued', 0, strftime('%s','now'), strftime('%s','now'));
  INSERT INTO outbox_message(outbox_id, message) VALUES (901, CAST('From: Campaign Team <team@act.test>' ||
  char(13,10) || 'To: empty@example.net' || char(13,10) || 'Subject: empty body' || char(13,10) ||
  'Message-ID: <e901@act.test>' || char(13,10) || char(13,10) AS BLOB));
  INSERT INTO outbox(id, kind, recipient, status, next_attempt, created_at, updated_at)
  VALUES (902, 'notice', 'eight@example.net', 'queued', 0, strftime('%s','now'), strftime('%s','now'));
  INSERT INTO outbox_message(outbox_id, message) VALUES (902, CAST('From: Campaign Team <team@act.test>' ||
  char(13,10) || 'To: eight@example.net' || char(13,10) || 'Subject:' || char(9) || ' tabs' || char(9,9) ||
  char(13,10) || char(9) || 'and folds  ' || char(13,10) || 'Message-ID: <e902@act.test>' || char(13,10) ||
  'Content-Type: text/plain; charset=utf-8' || char(13,10) || 'Content-Transfer-Encoding: 8bit' ||
  char(13,10) || char(13,10) || ' Caf' || char(195,169) || char(9) || ' au lait ' || char(13,10) ||
  char(13,10) || 'x' || char(10) || char(13,10) || '  ' || char(13,10) || char(13,10) AS BLOB));"
ok "run --once (maildir)" pm run --once
ok "Maildir messages verify" /usr/bin/python3 "$VERIFY" $keys "$T"/var/sent/new/*
lf=$(grep -l '^To: lf@example.net' "$T"/var/sent/new/*)
ok "the stored LF message went out" test -n "$lf"
ok "... and verifies (folded header, LF line ends)" /usr/bin/python3 "$VERIFY" $keys "$lf"
empty=$(grep -l '^To: empty@example.net' "$T"/var/sent/new/*)
ok "an empty body verifies" /usr/bin/python3 "$VERIFY" $keys "$empty"
eight=$(grep -l '^To: eight@example.net' "$T"/var/sent/new/*)
ok "8-bit, a lone LF, tabs in a folded header, trailing blank lines: verifies" /usr/bin/python3 "$VERIFY" $keys "$eight"

# ==== 3. a broken key stops the sender, nothing goes out unsigned ====
printf 'not a key\n' >"$T/bad.pem"
sed -i "s#key_file = \"$T/ed.pem\"#key_file = \"$T/bad.pem\"#" "$T/conf/peermail.conf"
inbound "help@act.test" "help again" | pm receive --sender ann@example.net --recipient help@act.test
before=$(sent_count)
pm run --once >"$T/bad.out" 2>&1; rc=$?
is "$rc" 78 "a key that is not a key: run exits 78 (EX_CONFIG)"
like "$(cat "$T/bad.out")" 'bad\.pem is not a PEM private key' "the error names the key file"
is "$(sent_count)" "$before" "nothing was sent unsigned"
pm dns-records >/dev/null 2>&1; is $? 78 "dns-records refuses the broken key too"

# a dkim section without its key_file is refused with file:line
cp "$T/conf/peermail.conf" "$T/conf/nokey.conf"
echo 'dkim { selector = "x1" }' >>"$T/conf/nokey.conf"
"$PEERMAIL_BIN" --config "$T/conf/nokey.conf" check-config >"$T/nokey.out" 2>&1; rc=$?
is "$rc" 78 "a dkim section without key_file: exit 78"
like "$(cat "$T/nokey.out")" 'nokey\.conf:[0-9]+: .*selector and key_file' "... naming file:line"
echo 'dkim { selector = "bad_selector!" key_file = "x" }' >"$T/conf/badsel.conf"
"$PEERMAIL_BIN" --config "$T/conf/badsel.conf" check-config >/dev/null 2>&1; is $? 78 "a bad selector: exit 78"

# ==== 4. without base_url: no https link anywhere ====
rm -rf "$T/var"
sink_setup s2 \
	'list "news" { title = "Campaign news" mode = "announce" }' \
	"dkim { selector = \"r2026\" key_file = \"$T/rsa.pem\" }"
pm petition create clean-air --title "Clean air" --text "$T/petition.txt" >/dev/null
for i in 1 2; do pm member add "m$i@example.net" --name "Member $i" --list news >/dev/null; done
id=$(pm newsletter create --list news --subject "Please sign" --body "$T/body.md" --petition clean-air)
pm newsletter schedule "$id" --now >/dev/null 2>&1 || pm newsletter send "$id" >/dev/null 2>&1
inbound "sign+clean-air@act.test" "sign me" | pm receive --sender ann@example.net --recipient sign+clean-air@act.test
inbound "news+subscribe@act.test" "subscribe" | pm receive --sender ann@example.net --recipient news+subscribe@act.test
ok "run --once without base_url" pm run --once
ok "the sink got copies and responses" test "$(ls "$T/s2" | wc -l)" -ge 4
is "$(grep -il 'https\?://' "$T"/s2/* | wc -l | tr -d ' ')" 0 "no http(s) link in any message, confirmations included"
is "$(grep -l '^List-Unsubscribe-Post:' "$T"/s2/* | wc -l | tr -d ' ')" 0 "no List-Unsubscribe-Post without base_url"
list=$(grep -l '^List-Id: ' "$T"/s2/* | head -n 1)
like "$(grep '^List-Unsubscribe:' "$list")" '^List-Unsubscribe: <mailto:leave\+[a-z0-9]+@act\.test>.?$' "List-Unsubscribe: the mailto only"
like "$(grep '^List-Post:' "$list")" '^List-Post: NO.?$' "List-Post: NO on an announce list"
keys=$(records)
ok "every message verifies (rsa-sha256 only)" /usr/bin/python3 "$VERIFY" $keys "$T"/s2/*
done_testing
