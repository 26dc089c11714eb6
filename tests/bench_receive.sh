# bench_receive.sh - 2,000 distinct signature replies through `peermail receive`, one
# process per message as an MTA pipe runs it: one at a time, then two at a time.
# Beside the figures, the ceiling: a bare process that only calls g_mime_init() and writes
# one SQLite row (same database settings), run the same way. Then where the time goes.
# Environment: BENCH_N (messages, default 2000; half run serially, half two at a time).
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-2000}
[ -n "${KEEP_T:-}" ] && echo "bench folder: $T"
setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
sql "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $N)
     INSERT INTO members(email, name, created_at, updated_at)
     SELECT 'member' || n || '@example.org', 'Member ' || n, 0, 0 FROM i"
mkdir -p "$T/msgs"
# personal sign+trees+TOKEN replies, tokens minted with the secret as peermail does
python3 - "$T" "$N" "$(sql "SELECT id FROM petitions WHERE slug = 'trees'")" <<'EOF'
import base64, hmac, hashlib, sys
t, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
key = open(t + "/var/secret", "rb").read().strip()
def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f; v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v: return bytes(out)
def token(purpose, obj, member):
    p = bytes([purpose]) + varint(obj) + varint(member) + varint(0)
    mac = hmac.new(key, b"peermail-token-v1" + p, hashlib.sha256).digest()[:10]
    return base64.b32encode(p + mac).decode().lower().rstrip("=")
with open(t + "/rcpts", "w") as idx:
    for i in range(1, n + 1):
        rcpt = "sign+trees+%s@act.test" % token(1, pid, i)
        with open("%s/msgs/%05d.eml" % (t, i), "w") as f:
            f.write("From: Member %d <member%d@example.org>\r\nTo: %s\r\nSubject: Re: Save the trees\r\n"
                    "Message-ID: <bench%d@client.test>\r\nDate: Wed, 25 Nov 2026 09:00:00 +0000\r\n"
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    "Yes! Count me in.\r\n\r\nOn Tue, Nov 24, 2026 at 10:00 AM Team <team@act.test> wrote:\r\n"
                    "> Please sign.\r\n" % (i, i, rcpt, i))
        idx.write(rcpt + "\n")
EOF

# the ceiling: g_mime_init() and one SQLite row, WAL, like receive's database settings
cat >"$T/bare.c" <<'EOF'
#include <gmime/gmime.h>
#include <sqlite3.h>
int main(int argc, char **argv)
{
	sqlite3 *db;
	char sql[200];
	g_mime_init();
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return 75;
	sqlite3_busy_timeout(db, 10000);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	g_snprintf(sql, sizeof(sql), "INSERT INTO events(kind, created_at) VALUES ('bare', %s)", argv[2]);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return 75;
	sqlite3_close(db);
	g_mime_shutdown();
	return 0;
}
EOF
cc -O2 -o "$T/bare" "$T/bare.c" $(pkg-config --cflags --libs gmime-3.0 sqlite3) || exit 1

# drive MODE FROM TO PAR - run messages FROM..TO, PAR processes at a time; prints msg/s
drive() {
	python3 - "$@" <<'EOF'
import subprocess, sys, time, threading, os
mode, lo, hi, par, t, binary, conf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
rcpts = open(t + "/rcpts").read().split()
todo = list(range(lo, hi + 1))
lock = threading.Lock()
fails = []
def worker():
    while True:
        with lock:
            if not todo: return
            i = todo.pop(0)
        if mode == "receive":
            args = [binary, "--config", conf, "receive", "--sender", "member%d@example.org" % i,
                    "--recipient", rcpts[i - 1]]
        else:
            args = [t + "/bare", t + "/var/peermail.db", str(i)]
        with open("%s/msgs/%05d.eml" % (t, i), "rb") as f:
            rc = subprocess.run(args, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc != 0:
            fails.append((i, rc))
t0 = time.monotonic()
ths = [threading.Thread(target=worker) for _ in range(par)]
for th in ths: th.start()
for th in ths: th.join()
dt = time.monotonic() - t0
n = hi - lo + 1
print("%.0f msg/s (%d in %.2fs, %.1f ms each%s)" % (n / dt, n, dt, 1000 * dt / n * par,
      ", %d FAILED" % len(fails) if fails else ""))
EOF
}
H=$((N / 2))
echo "bench_receive: $N signature replies, one process per message (load average: $(cut -d' ' -f1 /proc/loadavg))"
printf '  ceiling (bare g_mime_init + 1 row), 1 at a time: %s\n' "$(drive bare 1 "$H" 1 "$T" "$PEERMAIL_BIN" "$T/conf/peermail.conf")"
printf '  ceiling (bare g_mime_init + 1 row), 2 at a time: %s\n' "$(drive bare $((H + 1)) "$N" 2 "$T" "$PEERMAIL_BIN" "$T/conf/peermail.conf")"
printf '  peermail receive, 1 at a time:                   %s\n' "$(drive receive 1 "$H" 1 "$T" "$PEERMAIL_BIN" "$T/conf/peermail.conf")"
printf '  peermail receive, 2 at a time:                   %s\n' "$(drive receive $((H + 1)) "$N" 2 "$T" "$PEERMAIL_BIN" "$T/conf/peermail.conf")"
echo "  confirmed signatures: $(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'") of $N; thank-yous queued: $(sql "SELECT count(*) FROM outbox")"

# where the time goes: one more reply, traced
sql "INSERT INTO members(email, name, created_at, updated_at) VALUES ('extra@example.org', 'Extra', 0, 0)"
if command -v strace >/dev/null 2>&1; then
	cp "$T/msgs/00001.eml" "$T/one.eml"
	sed -i 's/bench1@/bench-extra@/' "$T/one.eml"
	echo "  strace -c of one receive (top syscalls by time):"
	strace -f -c -o "$T/strace.txt" "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" receive \
		--recipient "$(head -1 "$T/rcpts")" <"$T/one.eml" >/dev/null 2>&1
	sed -n '3,10p' "$T/strace.txt" | sed 's/^/    /'
fi
echo "  shared libraries loaded by peermail: $(ldd "$PEERMAIL_BIN" | wc -l) (bare: $(ldd "$T/bare" | wc -l))"
