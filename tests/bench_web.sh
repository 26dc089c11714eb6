#!/bin/bash
# bench_web.sh - 200 concurrent clients on /p/SLUG for 10 s on loopback (wrk), requests/s
# and p99 latency, beside the ceiling: the same page as a static file from nginx (and
# from python3 -m http.server when nginx is missing). Not part of make check.
. "$(dirname "$0")/lib.sh"
WRK=$(command -v wrk || true)
[ -n "$WRK" ] || { echo "bench_web: wrk not installed (contrib/install-deps.sh)"; exit 0; }
DUR=${BENCH_WEB_SECONDS:-10}
setup
printf 'Keep the park green.\n' >"$T/p.txt"
pm petition create park --title "Save the park" --text "$T/p.txt" --goal 1000 >/dev/null
printf 'postcode_prefix,district\nAB1,North\nAB2,South\n' >"$T/d.csv"; pm district import "$T/d.csv" >/dev/null
pm target add "Cllr North" --email n@council.test --district North --petition park >/dev/null
{ echo "email,name,postcode"; for i in $(seq 1 300); do echo "m$i@example.org,M$i,AB$((i % 2 + 1)) 1XY"; done; } >"$T/m.csv"
pm member import "$T/m.csv" >/dev/null
sql "INSERT INTO signatures(petition_id, member_id, status, created_at, confirmed_at) SELECT 1, id, 'confirmed', strftime('%s','now')-(id%30)*86400, strftime('%s','now')-(id%30)*86400 FROM members"

port=$(free_port)
start_web web "$port" --per-ip 1000 --connections 1000
mkdir -p "$T/static/p" && curl -s "http://127.0.0.1:$port/p/park" >"$T/static/p/park"
bytes=$(wc -c <"$T/static/p/park")

# report NAME URL - one wrk run: requests/s, p99, errors
report() {
	local out rps p99 err
	out=$("$WRK" -t2 -c200 -d"${DUR}s" --latency "$2" 2>&1)
	rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
	err=$(printf '%s\n' "$out" | awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}')
	printf '  %-34s %10s req/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "${err:-no errors}"
}
echo "web: 200 concurrent clients, ${DUR} s, /p/park ($bytes bytes, 300 signatures, 30 days)"
report "peermail web /p/park" "http://127.0.0.1:$port/p/park"
report "peermail web /p/park/count.json" "http://127.0.0.1:$port/p/park/count.json"
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -n "$NGINX" ]; then
	sport=$(free_port); N=$T/nginx; mkdir -p "$N/tmp"; chmod 777 "$N/tmp"; chmod -R a+rX "$T/static"
	cat >"$N/nginx.conf" <<CONF
worker_processes 2;
pid $N/nginx.pid;
error_log $N/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $N/tmp/body; proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi; uwsgi_temp_path $N/tmp/uwsgi; scgi_temp_path $N/tmp/scgi;
	server { listen 127.0.0.1:$sport; root $T/static; default_type text/html; }
}
CONF
	"$NGINX" -c "$N/nginx.conf" -p "$N" -g 'daemon off;' 2>>"$N/error.log" &
	npid=$!
	at_exit "kill $npid"
	sleep 0.5
	report "ceiling: nginx, same page static" "http://127.0.0.1:$sport/p/park"
else
	sport=$(free_port)
	(cd "$T/static" && exec python3 -m http.server "$sport" --bind 127.0.0.1 >/dev/null 2>&1) &
	ppid_=$!
	at_exit "kill $ppid_"
	sleep 1
	report "ceiling: python3 http.server static" "http://127.0.0.1:$sport/p/park"
fi
