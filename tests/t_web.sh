#!/bin/bash
# t_web.sh - the public HTTP face (`peermail web`, libmicrohttpd) on loopback: RFC 8058
# one-click unsubscribe exactly as Gmail sends it (then the next newsletter no longer
# reaches the member), GET changing nothing, bad/altered/foreign tokens, oversized and
# slow requests cut off, security headers, HTML escaping, the petition page and its JSON,
# the postcode box, and a real headless Chromium rendering / and /p/SLUG (screenshot).
. "$(dirname "$0")/lib.sh"
port=$(free_port)
U="http://127.0.0.1:$port"
setup "base_url = \"$U\""
command -v curl >/dev/null || { skip "web" "curl not installed"; done_testing; exit; }

substatus() { sql "SELECT s.status FROM subscriptions s JOIN members m ON m.id=s.member_id WHERE m.email='$1'"; }

pm list create news --title "Campaign <news> & more" >/dev/null
{ echo "email,name,postcode,district"
  for i in 1 2 3 4 5 6; do echo "m$i@example.org,Member$i,AB$i 1XY,"; done; } >"$T/members.csv"
printf 'postcode_prefix,district\nAB1,North\nAB2,South\nAB3,North\nAB4,South\nAB5,East\nAB6,East\n' >"$T/d.csv"
pm district import "$T/d.csv" >/dev/null
pm member import "$T/members.csv" --list news >/dev/null
printf 'Keep the park <b>green</b> & open.\n\nSecond paragraph.\n' >"$T/park.txt"
pm petition create park --title 'Save the <script>alert(1)</script> park' --text "$T/park.txt" --goal 10 >/dev/null
pm target add "Cllr North" --email north@council.test --district North --title "Councillor" --petition park >/dev/null
pm target add "Cllr South" --email south@council.test --district South --petition park >/dev/null
pm target add "The Mayor" --email mayor@council.test --petition park >/dev/null
# signatures on three days (confirmed), one pending
for i in 1 2 3 4 5; do
	sql "INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at) SELECT 1, id, 'confirmed', strftime('%s','now')-86400*$i, strftime('%s','now')-86400*$i FROM members WHERE email='m$i@example.org'"
done
sql "INSERT INTO signatures(petition_id, member_id, status, created_at) SELECT 1, id, 'pending', 0 FROM members WHERE email='m6@example.org'"
sql "INSERT INTO stories(petition_id, member_id, status, text, created_at) SELECT 1, id, 'approved', 'My kids <play> there.', 0 FROM members WHERE email='m1@example.org'"

start_web web "$port" --timeout 3
web_pid=$BG_PID
like "$(cat "$T/web.log")" "listening on port $port" "peermail web listens on loopback"

# ==== one-click unsubscribe ====
printf 'First news.\n' >"$T/n1.md"
n1=$(pm newsletter create --list news --subject "First" --body "$T/n1.md")
pm newsletter send "$n1" >/dev/null; run_once
is "$(copies_to m1@example.org)" 1 "m1 gets the first newsletter"
f=$(grep -l "^To: .*m1@example.org" "$T"/var/sent/new/* | head -1)
tok=$(grep -i '^List-Unsubscribe:' "$f" | grep -o 'leave+[a-z0-9]*' | head -1 | sed 's/^leave+//')
like "$tok" '^[a-z2-7]{16,}$' "the newsletter carries the leave+ token"

h=$(curl -s -D - -o "$T/get.html" "$U/u/$tok")
like "$h" '^HTTP/1.1 200' "GET /u/TOKEN answers 200"
like "$(cat "$T/get.html")" '<form id="unsubscribe" method="post"' "GET shows a button that POSTs"
is "$(substatus m1@example.org)" active "GET changes nothing"
curl -s -o /dev/null -X HEAD "$U/u/$tok" -m 3
is "$(substatus m1@example.org)" active "HEAD changes nothing"

# bad, altered, foreign-purpose tokens: 404 and nothing changes
alt=$(printf '%s' "$tok" | sed 's/^\(.\{5\}\)\(.\)/\1\2/; s/^\(.\{5\}\)a/\1b/; t; s/^\(.\{5\}\)./\1a/')
[ "$alt" = "$tok" ] && alt="${tok%?}z"
for bad in "$alt" "aaaaaaaaaaaaaaaaaaaaaaaa" "x"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$U/u/$bad")
	is "$code" 404 "POST with a bad token ($bad) is 404"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=Maybe' "$U/u/$tok")
is "$code" 400 "POST without One-Click is 400"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/u/$tok")
is "$code" 400 "POST with no body is 400"
is "$(substatus m1@example.org)" active "none of them changed anything"

# exactly as Gmail sends it
h=$(curl -s -D - -o "$T/post.html" -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$U/u/$tok")
like "$h" '^HTTP/1.1 200' "one-click POST answers 200"
unlike "$h" '(^|\n)(Location|Set-Cookie):' "no redirect, no cookie"
is "$(substatus m1@example.org)" unsubscribed "m1 is unsubscribed at once"
like "$(cat "$T/post.html")" 'no more mail from Campaign &lt;news&gt; &amp; more' "the answer names the list, escaped"
# multipart works too (m2)
f2=$(grep -l "^To: .*m2@example.org" "$T"/var/sent/new/* | head -1)
tok2=$(grep -i '^List-Unsubscribe:' "$f2" | grep -o 'leave+[a-z0-9]*' | head -1 | sed 's/^leave+//')
code=$(curl -s -o /dev/null -w '%{http_code}' -F 'List-Unsubscribe=One-Click' "$U/u/$tok2")
is "$code" 200 "multipart/form-data one-click POST answers 200"
is "$(substatus m2@example.org)" unsubscribed "m2 is unsubscribed"

printf 'Second news.\n' >"$T/n2.md"
n2=$(pm newsletter create --list news --subject "Second" --body "$T/n2.md")
pm newsletter send "$n2" >/dev/null; run_once
is "$(grep -l '^Subject: Second' "$T"/var/sent/new/* | xargs grep -l '^To: .*m1@example.org' | wc -l)" 0 "the next newsletter no longer reaches m1"
is "$(grep -l '^Subject: Second' "$T"/var/sent/new/* | xargs grep -l '^To: .*m3@example.org' | wc -l)" 1 "it still reaches m3"

# ==== limits and strict parsing ====
code=$(head -c 20000 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$U/u/$tok")
is "$code" 413 "an oversized body is refused (413)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' 'b')" "$U/")
like "$code" '^(413|431|400)$' "oversized headers are refused ($code)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$U/")
is "$code" 405 "DELETE is 405"
code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$U/p/../etc/passwd")
is "$code" 400 "a path with .. is 400"
# a slow request (headers never finished) is cut off by the timeout
start=$(date +%s)
python3 - "$port" <<'PY' >"$T/slow.out"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
s.settimeout(30)
try:
    data = s.recv(100)
    print("closed" if not data else "answered")
except socket.timeout:
    print("still open")
PY
el=$(( $(date +%s) - start ))
is "$(cat "$T/slow.out")" closed "an unfinished request is cut off"
ok "within the timeout ($el s)" test "$el" -le 8
# a client trickling one header byte a second (never idle) is cut at the 3 s deadline,
# and the server answers others meanwhile
python3 - "$port" <<'PY' >"$T/trickle.out" &
import select, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
start = time.monotonic()
result = "still-open"
while time.monotonic() - start < 20:
    try:
        s.sendall(b"a")
    except OSError:
        result = "closed"
        break
    r, _, _ = select.select([s], [], [], 1.0)
    if r:
        try:
            data = s.recv(100)
        except OSError:
            data = b""
        result = "closed" if not data else "answered"
        break
print(result, round(time.monotonic() - start, 1))
PY
trickle=$!
sleep 1.5
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$U/")" 200 "another client is answered during the trickle"
wait "$trickle"
like "$(cat "$T/trickle.out")" '^closed ' "a client sending one header byte a second is cut off"
ok "... at the deadline ($(cat "$T/trickle.out"))" awk '{ exit !($2 >= 2.5 && $2 <= 6) }' "$T/trickle.out"

# ==== pages ====
h=$(curl -s -D - -o "$T/index.html" "$U/")
like "$h" "Content-Security-Policy: default-src 'none'" "CSP without script"
like "$h" 'X-Content-Type-Options: nosniff' "nosniff"
like "$h" 'Referrer-Policy: no-referrer' "Referrer-Policy"
index=$(cat "$T/index.html")
like "$index" 'href="/p/park"' "/ lists the open petition"
unlike "$index" '<script>' "no markup from the data"
like "$index" 'Save the &lt;script&gt;' "the title is escaped"
page=$(curl -s "$U/p/park" | tee "$T/page.html")
like "$page" '<strong id="count">5</strong>' "the count of confirmed signatures"
like "$page" '<progress id="progress" max="10" value="5"' "progress toward the goal"
like "$page" '<svg id="chart"' "the chart"
like "$page" '<polyline' "with a line"
like "$page" '<td>North</td><td>2</td><td>Cllr North \(Councillor\)</td>' "by district with its target"
like "$page" 'My kids &lt;play&gt; there' "approved story, escaped"
like "$page" 'href="mailto:sign\+park@act.test\?subject=' "mailto sign button with a subject"
unlike "$page" 'example\.org|Member[0-9]' "nothing about a member is shown"
unlike "$page" '<script' "no script"
like "$page" '<form id="sign-form" method="post" action="/p/park/sign">' "the sign form"
# for sharing (a link pasted in a chat or a social network shows a card): a description
# from the text, Open Graph title/description/url, the canonical address (base_url)
head=$(sed -n '1,/<\/head>/p' "$T/page.html")
like "$head" '<meta name="description" content="Keep the park &lt;b&gt;green&lt;/b&gt; &amp; open\. Second paragraph\.">' "a meta description from the text, one line, escaped"
like "$head" '<meta property="og:title" content="Save the &lt;script&gt;alert\(1\)&lt;/script&gt; park">' "og:title, escaped"
like "$head" '<meta property="og:description" content="Keep the park' "og:description"
like "$head" "<meta property=\"og:url\" content=\"$U/p/park\">" "og:url from base_url"
like "$head" "<link rel=\"canonical\" href=\"$U/p/park\">" "and the canonical link"
like "$(curl -s "$U/p/park?postcode=AB2%202ZZ")" 'Your district is <strong>South</strong>; it is represented by Cllr South' "the postcode box names the district and its target"
like "$(curl -s "$U/p/park?postcode=ZZ9")" 'do not know the district' "an unknown postcode says so"
j=$(curl -s "$U/p/park.json")
is "$(echo "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["signatures"], d["goal"], sorted((x["district"],x["signatures"]) for x in d["by_district"]))')" "5 10 [('East', 1), ('North', 2), ('South', 2)]" "/p/park.json"
is "$(curl -s "$U/p/park/count.json")" '{"slug":"park","signatures":5,"goal":10,"status":"open"}' "/p/park/count.json"
is "$(curl -s -o /dev/null -w '%{http_code}' "$U/p/nosuch")" 404 "unknown petition is 404"
pm deliver park --now >/dev/null 2>&1; run_once
sleep 1.1       # a rendered page is served for up to 1 s (changes made elsewhere show after)
page=$(curl -s "$U/p/park")
like "$page" '<table id="deliveries">.*' "the delivery timeline"
like "$page" '<tr><td>Cllr North</td><td>[0-9T:-]+Z</td><td>2</td><td>0</td></tr>' "to whom, when, how many, replies"
like "$page" '<p id="since">0 signatures since the last delivery' "and how many since"
unlike "$page" 'council\.test' "targets' addresses are not shown"
pm petition close park >/dev/null
sleep 1.1
like "$(curl -s "$U/p/park")" 'id="closed"' "a closed petition says so and keeps its page"
unlike "$(curl -s "$U/")" 'href="/p/park"' "and leaves the list of open petitions"
pm petition open park >/dev/null

# ==== a real browser ====
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	skip "headless Chromium" "chromium not installed"
else
	chrome() { timeout 60 "$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chrome" --disable-dev-shm-usage "$@" 2>>"$T/chrome.log"; }
	dom=$(chrome --dump-dom "$U/")
	like "$dom" 'href="/p/park"' "Chromium: / lists the petition"
	dom=$(chrome --dump-dom "$U/p/park")
	like "$dom" '<strong id="count">5</strong>' "Chromium: the count"
	like "$dom" '<progress id="progress"' "Chromium: the progress bar"
	like "$dom" '<svg id="chart"' "Chromium: the chart"
	like "$dom" '<table id="districts">' "Chromium: the district table"
	chrome --screenshot="$T/park.png" --window-size=1000,1400 "$U/p/park" >/dev/null
	ok "Chromium: a screenshot" test -s "$T/park.png"
	[ -n "${PEERMAIL_SCREENSHOT:-}" ] && cp "$T/park.png" "$PEERMAIL_SCREENSHOT"
	# a phone: 375 px wide, tall enough that the page ends above the bottom edge, where
	# a horizontal scrollbar would show (the 600 px chart overflowed)
	chrome --screenshot="$T/narrow.png" --window-size=375,4000 "$U/p/park" >/dev/null
	is "$(python3 "$PEERMAIL_TOP/tests/png_bottom.py" "$T/narrow.png")" 0 "Chromium: at 375 px the page fits (no horizontal scrollbar)"
	unlike "$(cat "$T/chrome.log")" 'Content Security Policy|Refused to' "Chromium: no CSP violation"
fi


# ==== signing on the web, confirmed by email ====
sigstatus() { sql "SELECT s.status FROM signatures s JOIN members m ON m.id=s.member_id WHERE m.email='$1' AND s.petition_id=1"; }
form() { curl -s -o "$T/form.html" -w '%{http_code}' "$@"; }
code=$(form -H 'X-Real-IP: 10.0.0.1' --data-urlencode 'name=Honey Pot' --data-urlencode 'email=bot@example.com' --data-urlencode 'website=http://spam' "$U/p/park/sign")
is "$code" 400 "the honeypot filled: refused (400)"
like "$(cat "$T/form.html")" 'filled in automatically' "with a clear page"
is "$(sql "SELECT count(*) FROM members WHERE email='bot@example.com'")" 0 "and nothing recorded"
code=$(form -H 'X-Real-IP: 10.0.0.1' --data-urlencode 'name=X' --data-urlencode 'email=not an address' "$U/p/park/sign")
is "$code" 400 "an invalid address: 400"
like "$(cat "$T/form.html")" 'Please give a valid email address\.' "the page says what is wrong"
like "$(cat "$T/form.html")" '<a id="back" href="/p/park#sign-form">' "and leads back to the form (no JavaScript needed)"
# the form's address copied from the address bar after signing, and shared: the petition
is "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$U/p/park/sign")" "303 $U/p/park" \
	"GET of the form's address leads to the petition (it was 404)"
# per-IP limit: the 11th attempt within the hour from one address is refused
for i in $(seq 1 10); do form -H 'X-Real-IP: 10.9.9.9' --data-urlencode "email=ip$i@example.com" --data-urlencode 'name=Ip' "$U/p/park/sign" >/dev/null; done
code=$(form -H 'X-Real-IP: 10.9.9.9' --data-urlencode 'email=ip11@example.com' --data-urlencode 'name=Ip' "$U/p/park/sign")
is "$code" 429 "the 11th attempt from one client address within the hour: 429"
like "$(cat "$T/form.html")" 'Too many signatures' "with a clear page"
is "$(sql "SELECT count(*) FROM members WHERE email='ip11@example.com'")" 0 "and nothing recorded"
if [ -n "${CHROME:-}" ]; then
	# a real browser submits the form (fields as on the page) and shows the answer
	sed -n '/<form id="sign-form"/,/<\/form>/p' "$T/page.html" |
		sed "s|action=\"/p/park/sign\"|action=\"$U/p/park/sign\"|; s|name=\"name\"|name=\"name\" value=\"Web &lt;Signer&gt;\"|; s|type=\"email\" name=\"email\"|type=\"email\" name=\"email\" value=\"websigner@example.com\"|; s|name=\"postcode\"|name=\"postcode\" value=\"AB1 2CD\"|" >"$T/submit.html"
	echo '<script>document.getElementById("sign-form").submit()</script>' >>"$T/submit.html"
	dom=$(chrome --virtual-time-budget=5000 --dump-dom "file://$T/submit.html")
	like "$dom" 'Check your mail' "Chromium: submitting the sign form shows 'Check your mail'"
else
	code=$(form --data-urlencode 'name=Web <Signer>' --data-urlencode 'email=websigner@example.com' --data-urlencode 'postcode=AB1 2CD' "$U/p/park/sign")
	is "$code" 200 "the sign form (curl): 200"
fi
is "$(sigstatus websigner@example.com)" pending "a pending signature"
# anyone can type anyone's address and a postcode: until the address's owner confirms,
# neither the postcode nor a district is the member's (a forged signature names nothing)
is "$(sql "SELECT coalesce(postcode, '-') || ' ' || coalesce(district, '-') FROM members WHERE email='websigner@example.com'")" "- -" "no postcode or district before the person confirms"
is "$(sql "SELECT coalesce(name, '-') FROM members WHERE email='websigner@example.com'")" - "and no name: anyone can type anyone's address"
run_once
cf=$(grep -l '^To: .*websigner@example.com' "$T"/var/sent/new/* | head -1)
like "$(cat "$cf" 2>/dev/null)" '^Subject: Please confirm your signature' "the confirmation request arrives in the capture Maildir"
ctok=$(grep -o "$U/c/[a-z2-7]*" "$cf" | head -1 | sed 's|.*/c/||')
like "$ctok" '^[a-z2-7]{16,}$' "it carries the web confirmation link"
like "$(grep -i '^Reply-To:' "$cf")" 'confirm\+' "and the confirm+ reply address (the same request as by mail)"
form -H 'X-Real-IP: 10.6.6.6' --data-urlencode 'email=fresh@example.com' "$U/p/park/sign" >/dev/null
cp "$T/form.html" "$T/first.html"
before=$(sql "SELECT count(*) FROM outbox WHERE recipient = 'websigner@example.com'")
code=$(form -H 'X-Real-IP: 10.6.6.6' --data-urlencode 'email=websigner@example.com' "$U/p/park/sign")
is "$code" 200 "a second request the same day: 200, as for any address"
ok "the same page, byte for byte, as when the mail went: it tells nobody that mail went" cmp "$T/first.html" "$T/form.html"
like "$(cat "$T/form.html")" 'If this address can sign, a confirmation is on its way' "a page true in both cases"
unlike "$(cat "$T/form.html")" '[Aa]lready sent' "never 'already sent'"
run_once
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'websigner@example.com'")" "$before" "and no second mail that day (the limit holds)"
is "$(curl -s -o "$T/cget.html" -w '%{http_code}' "$U/c/$ctok")" 200 "GET /c/TOKEN shows a button"
like "$(cat "$T/cget.html")" '<input name="name"' "and asks the person's name"
is "$(sigstatus websigner@example.com)" pending "GET changes nothing"
# alter a middle character to another one (the last may carry only padding bits, and
# may be an "a" already: that made this check flaky)
c5=${ctok:5:1}; [ "$c5" = a ] && c5=b || c5=a
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/c/${ctok:0:5}$c5${ctok:6}")" 404 "an altered confirmation token: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "$U/u/$ctok")" 404 "a confirmation token does not unsubscribe"
is "$(sigstatus websigner@example.com)" pending "still pending"
code=$(curl -s -o "$T/c.html" -w '%{http_code}' -X POST --data-urlencode 'name=Web <Signer>' "$U/c/$ctok")
is "$code" 200 "POST /c/TOKEN: 200"
is "$(sigstatus websigner@example.com)" confirmed "the signature is confirmed"
is "$(sql "SELECT name FROM members WHERE email='websigner@example.com'")" "Web <Signer>" "with the name the person gave on the confirmation page"
is "$(sql "SELECT postcode || ' ' || district FROM members WHERE email='websigner@example.com'")" "AB1 2CD North" "the postcode of the form (and its district) once the person confirmed"
is "$(sql "SELECT coalesce(s.postcode, '-') FROM signatures s JOIN members m ON m.id=s.member_id WHERE m.email='websigner@example.com' AND s.petition_id=1")" - "and no longer kept with the signature"
like "$(curl -s "$U/p/park/count.json")" '"signatures":6' "and counted"

# ==== the page never tells whether an address signed: the person is told by mail ====
# m3 signed (confirmed) days ago and was told 'already signed' once by mail before
sql "UPDATE signatures SET already_noted = 1 WHERE member_id = (SELECT id FROM members WHERE email = 'm3@example.org')"
signform() { curl -s -D "$T/$2.head" -o "$T/$2.html" -w '%{http_code}' -H 'X-Real-IP: 10.7.7.7' --data-urlencode 'name=N' --data-urlencode "email=$1" "$U/p/park/sign"; }
c_new=$(signform neighbour@example.org new)
c_signed=$(signform m3@example.org signed)
is "$c_signed" "$c_new" "an address that signed gets the status a new address gets ($c_new)"
ok "and the same page, byte for byte" cmp "$T/new.html" "$T/signed.html"
like "$(cat "$T/signed.html")" 'Check your mail' "'check your mail'"
unlike "$(cat "$T/signed.html")" '[Aa]lready signed' "never 'already signed'"
is "$(grep -ci '^Content-Length' "$T/signed.head")" 1 "one Content-Length"
is "$(grep -i '^Content-Length' "$T/signed.head")" "$(grep -i '^Content-Length' "$T/new.head")" "the same length"
is "$(sigstatus m3@example.org)" confirmed "m3's signature is unchanged"
run_once
note=$(grep -l '^To: .*m3@example.org' "$T"/var/sent/new/* | xargs grep -l '^Subject: You have already signed' | wc -l)
is "$note" 1 "m3 is told by mail instead (already_signed), though noted before"
c_new=$(signform neighbour@example.org new2)
c_signed=$(signform m3@example.org signed2)
is "$c_signed" "$c_new" "a second attempt the same day: the same status for both ($c_new)"
ok "and the same page" cmp "$T/new2.html" "$T/signed2.html"
run_once
note=$(grep -l '^To: .*m3@example.org' "$T"/var/sent/new/* | xargs grep -l '^Subject: You have already signed' | wc -l)
is "$note" 1 "and no second mail that day (the daily cap of web mail)"

# ==== two petitions, one address, one day: both signatures recorded, only mail waits ====
pm petition create lake --title "Clean the lake" --text "$T/park.txt" >/dev/null
twice() { curl -s -o "$T/$2.html" -w '%{http_code}' -H 'X-Real-IP: 10.8.8.8' --data-urlencode 'email=twice@example.org' "$U/p/$1/sign"; }
sigs_of() { sql "SELECT group_concat(slug || ':' || status, ' ') FROM (SELECT p.slug, s.status FROM signatures s JOIN members m ON m.id = s.member_id JOIN petitions p ON p.id = s.petition_id WHERE m.email = '$1' ORDER BY p.slug)"; }
is "$(twice park tw1) $(twice lake tw2)" "200 200" "signing park then lake on the web the same day: 200 both"
ok "the same page both times" cmp "$T/tw1.html" "$T/tw2.html"
is "$(sigs_of twice@example.org)" "lake:pending park:pending" "both pending signatures are recorded (lake's was dropped)"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'twice@example.org'")" 2 "both are in the inbound log"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'twice@example.org'")" 1 "one confirmation request that day: the limit holds back only the mail"
# the next day (the day's mail aged), signing lake again sends its confirmation request
sql "UPDATE outbox SET created_at = created_at - 86400 WHERE recipient = 'twice@example.org'"
is "$(twice lake tw3)" 200 "signing lake again the next day: 200"
like "$(outbox_text "$(last_to twice@example.org)")" "Clean the lake" "and lake's confirmation request goes"
is "$(sigs_of twice@example.org)" "lake:pending park:pending" "still one signature each"

# ==== the name typed on /c/TOKEN: stored as typed, never decoded as a header, without
# format characters; it fills only an empty name (a link's holder cannot rename anyone) ====
ctok_of() { outbox_text "$1" | grep -o "$U/c/[a-z2-7]*" | head -1 | sed 's|.*/c/||'; }
park_c=$(ctok_of "$(sql "SELECT min(id) FROM outbox WHERE recipient = 'twice@example.org'")")
lake_c=$(ctok_of "$(last_to twice@example.org)")
enc='=?utf-8?q?Evil=0D=0ABcc=3A_x=40evil=2Etest?='
like "$(curl -s "$U/c/$lake_c")" 'name="name"' "GET /c/TOKEN of a nameless member asks for a name"
rlo=$(printf '%s Twice \xe2\x80\xaeReal\xe2\x80\x8b' "$enc")
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-urlencode "name=$rlo" "$U/c/$lake_c")" 200 "POST /c/TOKEN with an RFC 2047 encoded word, U+202E and U+200B in the name: 200"
is "$(sigs_of twice@example.org)" "lake:confirmed park:pending" "lake is confirmed"
is "$(sql "SELECT name FROM members WHERE email = 'twice@example.org'")" "$enc Twice Real" "the name is stored as typed (not decoded into a Bcc: line), without its format characters (Cf)"
is "$(msg_to twice@example.org | grep -ci '^Bcc:')" 0 "the thank-you has no Bcc: line"
unlike "$(curl -s "$U/c/$park_c")" 'name="name"' "GET /c/TOKEN of a named member asks for no name"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-urlencode "name=Mallory" "$U/c/$park_c")" 200 "POST /c/TOKEN with another name: 200 (the signature is confirmed)"
is "$(sigs_of twice@example.org)" "lake:confirmed park:confirmed" "park is confirmed"
is "$(sql "SELECT name FROM members WHERE email = 'twice@example.org'")" "$enc Twice Real" "the stored name is kept"

# ==== the form's postcode is the member's only by their own confirmation, by reply too ====
pcform() { curl -s -o /dev/null -w '%{http_code}' -H "X-Real-IP: $3" --data-urlencode "email=$1" --data-urlencode "postcode=$2" "$U/p/lake/sign"; }
is "$(pcform replier@example.org 'AB2 9ZZ' 10.5.5.1)" 200 "a web signature with a postcode for replier@"
is "$(sql "SELECT coalesce(postcode, '-') || ' ' || coalesce(district, '-') FROM members WHERE email='replier@example.org'")" "- -" "no postcode or district while it waits"
conf=$(reply_of replier@example.org)
like "$conf" '^confirm\+' "its confirmation request asks for a reply to confirm+"
like "$(text_of replier@example.org)" 'The request gave the postcode AB2 9ZZ' "and shows the postcode that confirming takes"
is "$(mail_in replier@example.org "$conf" 'Re: Please confirm your signature' yes)" 0 "the person replies yes by mail"
is "$(sql "SELECT postcode || ' ' || district FROM members WHERE email='replier@example.org'")" "AB2 9ZZ South" "the postcode and district once they confirmed by reply"
# a postcode typed with the address of a member who has one changes nothing, confirmed or not
is "$(pcform websigner@example.com 'AB5 1AA' 10.5.5.2)" 200 "a web signature with another postcode for a member who has one"
is "$(sql "SELECT postcode || ' ' || district FROM members WHERE email='websigner@example.com'")" "AB1 2CD North" "the member's postcode and district are left alone"

# a later form in the same address's name cannot swap the postcode kept with a pending
# signature, nor give one to a signature a mail made
is "$(pcform victim@example.org 'AB2 9ZZ' 10.6.6.1)" 200 "victim@ signs lake on the web with AB2 9ZZ"
is "$(pcform victim@example.org 'AB1 2CD' 10.6.6.2)" 200 "a forger posts the form again in victim@'s name with AB1 2CD"
is "$(mail_in victim@example.org "$(reply_of victim@example.org)" 'Re: Please confirm your signature' yes)" 0 "victim@ confirms by reply"
is "$(sql "SELECT postcode || ' ' || district FROM members WHERE email='victim@example.org'")" "AB2 9ZZ South" "the postcode victim@ gave, not the forger's"
is "$(mail_in mailer@example.org sign+lake@act.test 'Sign' 'Count me in')" 0 "mailer@ signs lake by mail"
is "$(pcform mailer@example.org 'AB1 2CD' 10.6.6.3)" 200 "a forger posts the form in mailer@'s name with AB1 2CD"
is "$(mail_in mailer@example.org "$(reply_of mailer@example.org)" 'Re: Please confirm your signature' yes)" 0 "mailer@ confirms by reply"
is "$(sql "SELECT coalesce(postcode, '-') FROM members WHERE email='mailer@example.org'")" - "no postcode from a form that did not make the signature"

# ==== TLS from a certificate and key file; run --http ====
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
tport=$(free_port)
start_web tls "$tport" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
tpid=$BG_PID
like "$(curl -s --cacert "$T/cert.pem" --resolve "localhost:$tport:127.0.0.1" "https://localhost:$tport/p/park/count.json")" '"slug":"park"' "peermail web serves HTTPS from a certificate and key file"
kill "$tpid"
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" web --listen "127.0.0.1:$(free_port)" --tls-cert "$T/cert.pem" >/dev/null 2>&1
is $? 64 "a certificate without a key exits 64"
rport=$(free_port)
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --http "127.0.0.1:$rport" >"$T/runhttp.log" 2>&1 &
rpid=$!
at_exit "kill $rpid"
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$rport/" && break; sleep 0.1; done
like "$(curl -s "http://127.0.0.1:$rport/p/park/count.json")" '"slug":"park"' "run --http serves the pages beside the scheduler"
kill "$rpid"; wait "$rpid" 2>/dev/null
is $? 0 "and SIGTERM stops run cleanly"

pm petition close park >/dev/null
is "$(form --data-urlencode 'name=Late' --data-urlencode 'email=late@example.com' "$U/p/park/sign")" 409 "signing a closed petition: 409"
kill "$web_pid"; wait "$web_pid" 2>/dev/null
is $? 0 "SIGTERM stops peermail web cleanly"
done_testing
