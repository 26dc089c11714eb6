# bench_lmtp.sh - LMTP into `peermail run --lmtp`, every 250 durable (group commit), beside
# the ceiling measured in the same run: Postfix's smtp-source -L into smtp-sink -L on
# loopback, same sessions and message count. Distinct sign replies (a new signer each);
# the daemon sends their responses by SMTP to an smtp-sink meanwhile.
# Environment: BENCH_N (messages per measurement, default 2000).
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-2000}
# the responses (a confirmation request per reply) go out by SMTP to an smtp-sink, as to
# the local MTA in production; the demo's Maildir transport syncs a file per response on
# the same disk as the database's commits
out_port=$(free_port)
smtp-sink -u nobody -c "127.0.0.1:$out_port" 256 >/dev/null 2>&1 &
out_sink=$!
at_exit "kill $out_sink 2>/dev/null"
setup 'transport = "smtp"' \
	"smtp \"main\" { host = \"127.0.0.1\" port = $out_port starttls = \"no\" connections = 2 timeout = 10 }"
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
echo "bench_lmtp: $N messages per figure (load average: $(cut -d' ' -f1 /proc/loadavg))"

# ceiling S - smtp-source -L into smtp-sink -L, S sessions, N messages of about 300 octets
ceiling() {
	local port t0 t1
	port=$(free_port)
	smtp-sink -u nobody -L -c "127.0.0.1:$port" 256 >/dev/null 2>&1 &
	local sink=$!
	sleep 0.3
	t0=$(date +%s.%N)
	smtp-source -L -s "$1" -m "$N" -l 300 -f a@client.test -t sign+trees@act.test "127.0.0.1:$port"
	t1=$(date +%s.%N)
	kill "$sink"; wait "$sink" 2>/dev/null
	python3 -c "print('%4.0f msg/s' % ($N / ($t1 - $t0)))"
}

port=$(free_port)
"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --lmtp "127.0.0.1:$port" >"$T/run.log" 2>&1 &
run_pid=$!
at_exit "kill $run_pid 2>/dev/null"
for _ in $(seq 50); do grep -q 'lmtp: listening' "$T/run.log" && break; sleep 0.1; done

# peermail S TAG [PORT] - N distinct sign replies over S sessions, pipelined MAIL/RCPT/DATA
peermail() {
	python3 - "${3:-$port}" "$1" "$N" "$2" <<'PY'
import socket, sys, threading, time
port, s_n, n, tag = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
fails = []
def sess(k):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    f.readline(); s.sendall(b"LHLO x\r\n")
    while f.readline()[3:4] != b" ": pass
    for i in range(k, n, s_n):
        frm = "%s%d@client.test" % (tag, i)
        s.sendall(("MAIL FROM:<%s>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n" % frm).encode())
        for _ in range(3): f.readline()
        s.sendall(("From: Signer %d <%s>\r\nMessage-ID: <%s%d@x>\r\nSubject: yes\r\n\r\n"
                   "Count me in.\r\n.\r\n" % (i, frm, tag, i)).encode())
        if not f.readline().startswith(b"250"): fails.append(i)
    s.sendall(b"QUIT\r\n"); f.readline()
t0 = time.monotonic()
ts = [threading.Thread(target=sess, args=(k,)) for k in range(s_n)]
for t in ts: t.start()
for t in ts: t.join()
print("%4.0f msg/s%s" % (n / (time.monotonic() - t0), " (%d FAILED)" % len(fails) if fails else ""))
PY
}
# what one fdatasync costs on the database's disk: the floor of any durable answer
printf '  one fdatasync of a 4 KB append on this disk:       %s\n' "$(python3 - "$T/var/sync.probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
t0 = time.monotonic()
for i in range(50):
    os.write(fd, b"x" * 4096); os.fdatasync(fd)
dt = (time.monotonic() - t0) / 50
print("%.1f ms (at most %.0f durable commits/s without sharing)" % (1000 * dt, 1 / dt))
PY
)"
# the same python client into smtp-sink -L: what the client itself can do (the ceiling
# above is Postfix's C client)
client_ceiling() {
	local p sink out
	p=$(free_port)
	smtp-sink -u nobody -L -c "127.0.0.1:$p" 256 >/dev/null 2>&1 &
	sink=$!
	sleep 0.3
	out=$(peermail "$1" c "$p")
	kill "$sink"; wait "$sink" 2>/dev/null
	echo "$out"
}
printf '  ceiling smtp-source -L -> smtp-sink -L, 4 sessions: %s\n' "$(ceiling 4)"
printf '  this python client -> smtp-sink -L, 4 sessions:     %s\n' "$(client_ceiling 4)"
printf '  peermail run --lmtp, 4 sessions, durable 250:       %s\n' "$(peermail 4 a)"
printf '  ceiling smtp-source -L -> smtp-sink -L, 1 session:  %s\n' "$(ceiling 1)"
printf '  this python client -> smtp-sink -L, 1 session:      %s\n' "$(client_ceiling 1)"
printf '  peermail run --lmtp, 1 session, durable 250:        %s\n' "$(peermail 1 b)"
echo "  signatures recorded: $(sql "SELECT count(*) FROM signatures") of $((2 * N))"
echo "  peak RSS of run --lmtp: $(grep VmHWM /proc/$run_pid/status | tr -s ' ' | cut -d' ' -f2-)"
# memory growth: distinct messages over 4 sessions up to BENCH_RSS_N (default 100,000);
# the peak RSS (VmHWM) after the first 10,000 and at the end must be within 10%
RSS_N=${BENCH_RSS_N:-100000}
python3 - "$port" "$RSS_N" "$run_pid" <<'PY'
import socket, sys, threading
port, total, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def hwm():
    for l in open("/proc/%s/status" % pid):
        if l.startswith("VmHWM"): return int(l.split()[1])
def run(lo, hi, s_n=4):
    fails = []
    def sess(k):
        s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb")
        f.readline(); s.sendall(b"LHLO x\r\n")
        while f.readline()[3:4] != b" ": pass
        for i in range(lo + k, hi, s_n):
            frm = "rss%d@client.test" % i
            s.sendall(("MAIL FROM:<%s>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n" % frm).encode())
            for _ in range(3): f.readline()
            s.sendall(("From: Signer %d <%s>\r\nMessage-ID: <rss%d@x>\r\nSubject: yes\r\n\r\n"
                       "Count me in.\r\n.\r\n" % (i, frm, i)).encode())
            if not f.readline().startswith(b"250"): fails.append(i)
        s.sendall(b"QUIT\r\n"); f.readline()
    ts = [threading.Thread(target=sess, args=(k,)) for k in range(s_n)]
    for t in ts: t.start()
    for t in ts: t.join()
    return len(fails)
first = min(10000, total)
bad = run(0, first); a = hwm()
bad += run(first, total); b = hwm()
print("  peak RSS of run --lmtp after %d messages: %d kB; after %d: %d kB (%+.1f%%; flat means within 10%%)%s"
      % (first, a, total, b, 100.0 * (b - a) / a, " (%d FAILED)" % bad if bad else ""))
PY
kill "$run_pid"; wait "$run_pid" 2>/dev/null
