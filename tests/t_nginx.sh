#!/bin/bash
# t_nginx.sh - contrib/nginx/peermail.conf: `nginx -t` accepts the site (with a throwaway
# certificate and loopback ports), and pages and a one-click unsubscribe go through it to
# `peermail web` over TLS; an oversized body is cut off by nginx.
. "$(dirname "$0")/lib.sh"
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -z "$NGINX" ]; then skip "nginx site" "nginx not installed"; done_testing; exit; fi
wport=$(free_port) hport=$(free_port) sport=$(free_port)
setup "base_url = \"https://act.example.org\""
printf 'Text.\n' >"$T/p.txt"
pm petition create park --title "Save the park" --text "$T/p.txt" --goal 10 >/dev/null

N=$T/nginx
mkdir -p "$N/tmp" && chmod 777 "$N/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=act.example.org \
	-keyout "$N/key.pem" -out "$N/cert.pem" >/dev/null 2>&1
sed -e "s|127.0.0.1:8080|127.0.0.1:$wport|" \
    -e "s|listen 80;|listen 127.0.0.1:$hport;|" -e "/listen \[::\]/d" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$sport ssl http2;|" \
    -e "s|/etc/letsencrypt/live/act.example.org/fullchain.pem|$N/cert.pem|" \
    -e "s|/etc/letsencrypt/live/act.example.org/privkey.pem|$N/key.pem|" \
    "$PEERMAIL_TOP/contrib/nginx/peermail.conf" >"$N/site.conf"
cat >"$N/nginx.conf" <<CONF
worker_processes 1;
pid $N/nginx.pid;
error_log $N/error.log;
events { worker_connections 512; }
http {
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	include $N/site.conf;
}
CONF
out=$("$NGINX" -t -c "$N/nginx.conf" -p "$N" 2>&1)
like "$out" 'test is successful' "nginx -t accepts contrib/nginx/peermail.conf" 
start_web web "$wport"
"$NGINX" -c "$N/nginx.conf" -p "$N" -g 'daemon off;' 2>>"$N/error.log" &
npid=$!
at_exit "kill $npid"
for _ in $(seq 1 50); do
	curl -sk -o /dev/null "https://127.0.0.1:$sport/" && break
	sleep 0.1
done
C="curl -sk --resolve act.example.org:$sport:127.0.0.1"
h=$($C -D - -o "$T/p.html" "https://act.example.org:$sport/p/park")
like "$h" '^HTTP/[12](\.1)? 200' "the petition page over TLS through nginx"
like "$h" 'content-security-policy|Content-Security-Policy' "with peermail's headers"
like "$h" 'strict-transport-security|Strict-Transport-Security' "and HSTS"
like "$(cat "$T/p.html")" 'Save the park' "the page"
like "$($C -o /dev/null -w '%{http_code} %{redirect_url}' "http://act.example.org:$hport/p/park" --resolve act.example.org:$hport:127.0.0.1)" '^301 https://' "plain HTTP redirects to https"
code=$(head -c 20000 /dev/zero | tr '\0' a | $C -o /dev/null -w '%{http_code}' -X POST --data-binary @- "https://act.example.org:$sport/u/x")
is "$code" 413 "nginx cuts off an oversized body"
is "$($C -o /dev/null -w '%{http_code}' -X DELETE "https://act.example.org:$sport/")" 403 "other methods are refused"
# many visitors at once: all of them reach peermail from nginx's one loopback address,
# so a per-address connection limit there (32 by default elsewhere) would turn most of
# them into 502s (it did: 73% of 200 clients)
if command -v wrk >/dev/null 2>&1; then
	printf 'done = function(s) io.write(string.format("failed %%d\\n", s.errors.status + s.errors.connect + s.errors.read)) end\n' >"$T/wrk.lua"
	out=$(wrk -t2 -c100 -d2s -s "$T/wrk.lua" -H 'Host: act.example.org' "https://127.0.0.1:$sport/p/park" 2>&1)
	like "$out" '^failed 0$' "100 visitors at once through nginx: every answer 2xx"
	is "$(grep -c 'upstream prematurely closed' "$N/error.log")" 0 "peermail closed no proxied connection"
else
	skip "100 visitors at once through nginx" "needs wrk"
fi
# one-click through the proxy
pm list create news >/dev/null
pm member add m@example.org --list news >/dev/null
printf 'News.\n' >"$T/n.md"
n=$(pm newsletter create --list news --subject N --body "$T/n.md"); pm newsletter send "$n" >/dev/null; pm run --once >/dev/null 2>&1
tok=$(grep -h -i '^List-Unsubscribe:' "$T"/var/sent/new/* | grep -o 'leave+[a-z0-9]*' | head -1 | sed 's/leave+//')
code=$($C -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "https://act.example.org:$sport/u/$tok")
is "$code" 200 "one-click unsubscribe through nginx"
is "$(sql "SELECT status FROM subscriptions")" unsubscribed "takes effect"
done_testing
