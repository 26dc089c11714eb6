# bench_receive.sh - 2,000 distinct signature replies through `peermail receive`, one
# process per message as an MTA pipe runs it: one at a time, then two at a time.
# Beside the figures, the ceilings, run the same way by the same small C driver
# (posix_spawn, stdin from the message file, as pipe(8) runs a command): a bare process
# that only calls g_mime_init() and writes one SQLite row (same database settings), and
# /bin/true (what creating a process costs on this machine at all). Then the same kind of
# replies over LMTP to one `peermail run --lmtp` (the volume path), the pipe client handing
# messages to that running daemon (2 at a time), and where the time goes.
# Environment: BENCH_N (messages, default 2000; half run serially, half two at a time;
# another N/2 over LMTP).
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-2000}
[ -n "${KEEP_T:-}" ] && echo "bench folder: $T"
setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
L=$((N / 2))
H=$((N / 2))
# messages 1..N: receive alone; N+1..N+L: LMTP; N+L+1..N+L+H: receive with the daemon running
sql "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $((N + L + H)))
     INSERT INTO members(email, name, created_at, updated_at)
     SELECT 'member' || n || '@example.org', 'Member ' || n, 0, 0 FROM i"
mkdir -p "$T/msgs"
# personal sign+trees+TOKEN replies, tokens minted with the secret as peermail does
python3 - "$T" "$((N + L + H))" "$(sql "SELECT id FROM petitions WHERE slug = 'trees'")" "$PEERMAIL_TOP/tests" <<'EOF'
import sys
t, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
import pmtoken
key = pmtoken.read_key(t + "/var/secret")
token = lambda purpose, obj, member: pmtoken.token(key, purpose, obj, member)
with open(t + "/rcpts", "w") as idx:
    for i in range(1, n + 1):
        rcpt = "sign+trees+%s@act.test" % token(1, pid, i)
        with open("%s/msgs/%05d.eml" % (t, i), "w") as f:
            f.write("From: Member %d <member%d@example.org>\r\nTo: %s\r\nSubject: Re: Save the trees\r\n"
                    "Message-ID: <bench%d@client.test>\r\nDate: Wed, 25 Nov 2026 09:00:00 +0000\r\n"
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    "Yes! Count me in.\r\n\r\nOn Tue, Nov 24, 2026 at 10:00 AM Team <team@act.test> wrote:\r\n"
                    "> Please sign.\r\n" % (i, i, rcpt, i))
        idx.write("%s/msgs/%05d.eml\t%s\tmember%d@example.org\n" % (t, i, rcpt, i))
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

# the driver: runs a command per line "FILE<TAB>RECIPIENT<TAB>SENDER" of a list, stdin from
# FILE, PAR at a time; {r} {s} {n} in the command stand for recipient, sender, line number
cat >"$T/drive.c" <<'EOF'
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
extern char **environ;
int main(int argc, char **argv)
{
	int par = atoi(argv[1]), lo = atoi(argv[3]), hi = atoi(argv[4]), running = 0, fails = 0, n = 0;
	FILE *f = fopen(argv[2], "r");
	char line[4096], num[32], **cmd = argv + 5, *av[64];
	struct timespec t0, t1;
	struct rusage ru;
	double dt, cpu;

	if (f == NULL || argc - 5 > 60)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i <= hi && fgets(line, sizeof(line), f); i++) {
		char *file = strtok(line, "\t\n"), *rcpt = strtok(NULL, "\t\n"), *snd = strtok(NULL, "\t\n");
		posix_spawn_file_actions_t fa;
		pid_t pid;
		int st, k;

		if (i < lo)
			continue;
		snprintf(num, sizeof(num), "%d", i);
		for (k = 0; k < argc - 5; k++)
			av[k] = strcmp(cmd[k], "{r}") == 0 ? rcpt : strcmp(cmd[k], "{s}") == 0 ? snd :
				strcmp(cmd[k], "{n}") == 0 ? num : cmd[k];
		av[k] = NULL;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, file, O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		if (posix_spawn(&pid, av[0], &fa, NULL, av, environ) != 0)
			return 2;
		posix_spawn_file_actions_destroy(&fa);
		n++;
		if (++running == par) {
			wait(&st);
			running--;
			fails += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		}
	}
	for (int st; running > 0; running--) {
		wait(&st);
		fails += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (n == 0)
		return 2;
	printf("%4.0f msg/s (%d in %.1fs; %.1f ms wall, %.1f ms CPU per message%s)\n", n / dt, n,
	       dt, 1000 * dt / n * par, 1000 * cpu / n, fails ? ", FAILED" : "");
	return fails != 0;
}
EOF
cc -O2 -o "$T/drive" "$T/drive.c" || exit 1
conf=$T/conf/peermail.conf
# drive PAR FROM TO CMD... - messages FROM..TO of the list, PAR at a time
drive() { "$T/drive" "$1" "$T/rcpts" "$2" "$3" "${@:4}"; }
receive() { drive "$@" "$PEERMAIL_BIN" --config "$conf" receive --sender {s} --recipient {r}; }
bare() { drive "$@" "$T/bare" "$T/var/peermail.db" {n}; }
echo "bench_receive: $N signature replies, one process per message (load average: $(cut -d' ' -f1 /proc/loadavg))"
# each ceiling right before its measurement, so both see the same machine load
printf '  floor (/bin/true), 1 at a time:                  %s\n' "$(drive 1 1 "$H" /bin/true)"
printf '  ceiling (bare g_mime_init + 1 row), 1 at a time: %s\n' "$(bare 1 1 "$H")"
printf '  peermail receive, 1 at a time:                   %s\n' "$(receive 1 1 "$H")"
printf '  floor (/bin/true), 2 at a time:                  %s\n' "$(drive 2 $((H + 1)) "$N" /bin/true)"
printf '  ceiling (bare g_mime_init + 1 row), 2 at a time: %s\n' "$(bare 2 $((H + 1)) "$N")"
printf '  peermail receive, 2 at a time:                   %s\n' "$(receive 2 $((H + 1)) "$N")"
echo "  confirmed signatures: $(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'") of $N; thank-yous queued: $(sql "SELECT count(*) FROM outbox")"

# the volume path: the next N/2 replies over LMTP (two client connections) to one process
port=$(free_port)
"$PEERMAIL_BIN" --config "$conf" run --lmtp "127.0.0.1:$port" >"$T/lmtp.log" 2>&1 &
lmtp_pid=$!
at_exit "kill $lmtp_pid 2>/dev/null"
for _ in $(seq 50); do [ "$(grep -c 'lmtp: listening' "$T/lmtp.log")" = 2 ] && break; sleep 0.1; done
# the thin pipe client: the same one process per message, handing each to the daemon over
# its local socket (lmtp.socket); ceilings beside it, measured again now
printf '  floor (/bin/true), 2 at a time:                  %s\n' "$(drive 2 $((N + L + 1)) $((N + L + H)) /bin/true)"
printf '  ceiling (bare g_mime_init + 1 row), 2 at a time: %s\n' "$(bare 2 $((N + L + 1)) $((N + L + H)))"
printf '  peermail receive, daemon running, 2 at a time:   %s\n' "$(receive 2 $((N + L + 1)) $((N + L + H)))"
echo "  confirmed signatures after the pipe client: $(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'") of $((N + H))"
printf '  peermail run --lmtp, 2 connections:              %s\n' "$(python3 - "$T/rcpts" $((N + 1)) $((N + L)) "$port" <<'EOF'
import smtplib, sys, threading, time
lines = open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1:int(sys.argv[3])]
port = int(sys.argv[4])
fails = []
def client(part):
    c = smtplib.LMTP("127.0.0.1", port)
    for line in part:
        f, rcpt, snd = line.split("\t")
        try:
            c.sendmail(snd, [rcpt], open(f, "rb").read())
        except smtplib.SMTPException as e:
            fails.append(e)
    c.quit()
t0 = time.monotonic()
ths = [threading.Thread(target=client, args=(lines[i::2],)) for i in range(2)]
for t in ths: t.start()
for t in ths: t.join()
dt = time.monotonic() - t0
print("%4.0f msg/s (%d in %.1fs%s)" % (len(lines) / dt, len(lines), dt,
      ", %d FAILED" % len(fails) if fails else ""))
EOF
)"
kill "$lmtp_pid" 2>/dev/null
wait "$lmtp_pid" 2>/dev/null
echo "  confirmed signatures after LMTP: $(sql "SELECT count(*) FROM signatures WHERE status = 'confirmed'") of $((N + L + H))"

# where the time goes: one more reply, traced
sql "INSERT INTO members(email, name, created_at, updated_at) VALUES ('extra@example.org', 'Extra', 0, 0)"
if command -v strace >/dev/null 2>&1; then
	cp "$T/msgs/00001.eml" "$T/one.eml"
	sed -i 's/bench1@/bench-extra@/' "$T/one.eml"
	echo "  strace -c of one receive (top syscalls by time):"
	strace -f -c -o "$T/strace.txt" "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" receive \
		--recipient "$(head -1 "$T/rcpts" | cut -f2)" <"$T/one.eml" >/dev/null 2>&1
	sed -n '3,10p' "$T/strace.txt" | sed 's/^/    /'
fi
echo "  shared libraries loaded by peermail (the front): $(ldd "$PEERMAIL_BIN" | wc -l)," \
	"by peermail-full: $(ldd "$(dirname "$PEERMAIL_BIN")/peermail-full" 2>/dev/null | wc -l) (bare: $(ldd "$T/bare" | wc -l))"
