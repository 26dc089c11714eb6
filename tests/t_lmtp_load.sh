#!/bin/bash
# t_lmtp_load.sh - the LMTP server under load: far more sessions than the old 4 workers, at
# once and in waves, each gets its banner and its replies; past the session limit a 421;
# a session killed in DATA records nothing; RCPT TO refuses unknown addresses before DATA;
# every 250 follows a durable fdatasync of the log (strace), and concurrent sessions share
# those syncs (group commit); the same message over two connections at once counts once.
. "$(dirname "$0")/lib.sh"

setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
PORT=$(free_port)

# start_run [WRAPPER...] - peermail run --lmtp on PORT; waits until it accepts
start_run() {
	start_bg run 'lmtp: listening' "$@" "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --lmtp "127.0.0.1:$PORT"
	local rc=$?
	RUN_PID=$BG_PID
	return $rc
}

# the client: python, raw sockets, so that each step is visible
cat >"$T/client.py" <<'EOF'
import socket, sys, threading
port = int(sys.argv[1])
mode = sys.argv[2]

def session(tag, n, out, hold=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    f = s.makefile("rb")
    line = lambda: f.readline().decode().rstrip("\r\n")
    got = [line()[:3]]
    if got[0] != "220":
        out.append(got); return
    if hold is not None:
        hold.wait()
    s.sendall(b"LHLO x\r\n")
    while True:
        l = line()
        if l[3] == " ": break
    for i in range(n):
        frm = "%s.%d@client.test" % (tag, i)
        s.sendall(("MAIL FROM:<%s>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n" % frm).encode())
        got += [line()[:3], line()[:3], line()[:3]]
        s.sendall(("From: %s\r\nMessage-ID: <%s.%d@x>\r\n\r\nyes\r\n.\r\n" % (frm, tag, i)).encode())
        got.append(line()[:3])
    s.sendall(b"QUIT\r\n"); got.append(line()[:3])
    out.append(got)

if mode == "waves":
    # WAVES waves of SESSIONS sessions at once, each N messages; print the distinct replies
    waves, sessions, n = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    prefix = sys.argv[6] if len(sys.argv) > 6 else ""   # new messages, not duplicates
    for w in range(waves):
        out = []
        ts = [threading.Thread(target=session, args=("%sw%ds%d" % (prefix, w, k), n, out))
              for k in range(sessions)]
        for t in ts: t.start()
        for t in ts: t.join()
        ok = sum(1 for g in out if g == ["220"] + ["250", "250", "354", "250"] * n + ["221"])
        print("wave %d: %d of %d sessions complete" % (w, ok, sessions))
elif mode == "limit":
    # hold LIMIT sessions open after their banner; one more gets 421; after they go, 220
    limit = int(sys.argv[3])
    socks = []
    for i in range(limit):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        assert s.makefile("rb").readline().startswith(b"220"), i
        socks.append(s)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    print(s.makefile("rb").readline().decode()[:3])
    for s in socks: s.close()
    import time; time.sleep(0.5)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    print(s.makefile("rb").readline().decode()[:3])
elif mode == "kill":
    # a session that dies in the middle of DATA
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"LHLO x\r\nMAIL FROM:<killed@client.test>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n")
    while not f.readline().startswith(b"354"): pass
    s.sendall(b"From: killed@client.test\r\nMessage-ID: <killed@x>\r\n\r\nhalf a mess")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # RST
    s.close()
    print("killed")
elif mode in ("rcpt", "rcptfull"):
    # RCPT TO replies for each address given: the code and status (rcpt), or the whole
    # reply, the reason included (rcptfull)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"LHLO x\r\n")
    while f.readline()[3:4] != b" ": pass
    s.sendall(b"MAIL FROM:<r@client.test>\r\n"); f.readline()
    for a in sys.argv[3:]:
        s.sendall(("RCPT TO:<%s>\r\n" % a).encode())
        reply = f.readline().decode().rstrip()
        print(a, reply if mode == "rcptfull" else reply[:9])
elif mode == "between":
    # RCPT TO accepted, then SQL run on the database before DATA: the RCPT TO and final replies
    import sqlite3
    rcpt, db, stmt = sys.argv[3], sys.argv[4], sys.argv[5]
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"LHLO x\r\n")
    while f.readline()[3:4] != b" ": pass
    s.sendall(("MAIL FROM:<between@client.test>\r\nRCPT TO:<%s>\r\n" % rcpt).encode())
    f.readline()
    print(f.readline().decode().rstrip())
    c = sqlite3.connect(db, timeout=10); c.execute(stmt); c.commit(); c.close()
    s.sendall(b"DATA\r\n"); f.readline()
    s.sendall(b"From: between@client.test\r\nMessage-ID: <between@x>\r\n\r\nyes\r\n.\r\n")
    print(f.readline().decode().rstrip())
elif mode == "twice":
    # the same message over two connections at the same moment
    out, hold = [], threading.Barrier(2)
    def same():
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        f = s.makefile("rb")
        f.readline()
        s.sendall(b"LHLO x\r\n")
        while f.readline()[3:4] != b" ": pass
        s.sendall(b"MAIL FROM:<twice@client.test>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n")
        for i in range(3): f.readline()
        hold.wait()
        s.sendall(b"From: twice@client.test\r\nMessage-ID: <twice@x>\r\n\r\nyes\r\n.\r\n")
        out.append(f.readline().decode()[:3])
    ts = [threading.Thread(target=same) for i in range(2)]
    for t in ts: t.start()
    for t in ts: t.join()
    print(" ".join(sorted(out)))
EOF
client() { python3 "$T/client.py" "$PORT" "$@"; }

start_run; is "$?" 0 "run --lmtp starts"

# many more sessions than the old 4 workers, at once, in waves
out=$(client waves 3 30 2)
is "$out" "wave 0: 30 of 30 sessions complete
wave 1: 30 of 30 sessions complete
wave 2: 30 of 30 sessions complete" "3 waves of 30 concurrent sessions: every banner and every reply"
is "$(sql "SELECT count(*) FROM signatures")" 180 "all 180 messages recorded"

# the session limit: 100 held open, the next one 421, then accepting again
is "$(client limit 100 | tr '\n' ' ')" "421 220 " "past 100 sessions a 421; accepting again once they leave"

# a session killed in DATA records nothing
is "$(client kill)" killed "a session killed in the middle of DATA"
sleep 0.3
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'killed@client.test'")" 0 "nothing of it is recorded"
is "$(sql "SELECT count(*) FROM members WHERE email = 'killed@client.test'")" 0 "no member either"

# RCPT TO: unknown domains and keywords refused before DATA, with the pipeline's reason
out=$(client rcpt sign+trees@act.test sign+trees@other.test help@sub.act.test help@act.test)
is "$out" "sign+trees@act.test 250 2.1.5
sign+trees@other.test 550 5.1.1
help@sub.act.test 550 5.1.1
help@act.test 250 2.1.5" "RCPT TO: 550 5.1.1 for other domains before DATA, 250 for ours"

# RCPT TO: unknown petitions and lists, a tampered token: 550 5.1.1 with the reason, before
# DATA (the same check the pipeline makes after DATA); a real token is accepted
conf=$(sql "SELECT CAST(message AS TEXT) FROM outbox_message ORDER BY outbox_id LIMIT 1" | tr -d '\r' |
	sed -n 's/^Reply-To: *<\{0,1\}\(confirm+[^>@]*@act.test\)>\{0,1\}$/\1/Ip' | head -1)
tok=${conf#confirm+}; tok=${tok%@act.test}
c1=${tok:5:1}; [ "$c1" = a ] && c2=b || c2=a
bad="confirm+${tok:0:5}$c2${tok:6}@act.test"
like "$conf" '^confirm\+[a-z2-7]+@act\.test$' "a confirm+TOKEN address from a queued request"
out=$(client rcptfull sign+nosuch@act.test news+subscribe@act.test "$bad" "$conf")
is "$out" "sign+nosuch@act.test 550 5.1.1 unknown petition 'nosuch'
news+subscribe@act.test 550 5.1.1 unknown list 'news'
$bad 550 5.1.1 $bad: unknown or invalid token address
$conf 250 2.1.5 ok" "RCPT TO: 550 5.1.1 with the reason for an unknown petition, list and a tampered token; a real token 250"
# an expired confirmation address (minted with the secret as peermail does, expired
# yesterday): refused at RCPT TO with its reason
expired="confirm+$(python3 "$PEERMAIL_TOP/tests/pmtoken.py" "$T/var/secret" 2 1 1 $(($(date +%s) / 86400 - 1)))@act.test"
is "$(client rcptfull "$expired")" "$expired 550 5.1.1 $expired: this confirmation address has expired" "RCPT TO: an expired confirmation address, 550 5.1.1 with the reason"
# a database that cannot answer (here: the petitions table gone for a moment): 451 4.3.0
# at RCPT TO, so the MTA retries; not 550
sql "ALTER TABLE petitions RENAME TO petitions_away"
out=$(client rcptfull sign+trees@act.test)
sql "ALTER TABLE petitions_away RENAME TO petitions"
like "$out" '^sign\+trees@act\.test 451 4\.3\.0 ' "RCPT TO with an unreadable database: 451 4.3.0"

# what RCPT TO checked is decided again when the message is recorded: a petition gone
# between RCPT TO and the end of DATA is refused then, and nothing is recorded (sessions
# take the route checked at RCPT TO; the committer looks the petition up again)
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('gone', 'Soon gone', 0)"
is "$(client between sign+gone@act.test "$T/var/peermail.db" "DELETE FROM petitions WHERE slug = 'gone'")" \
	"250 2.1.5 ok
550 5.1.1 unknown petition 'gone'" "a petition removed between RCPT TO and DATA: 250 at RCPT TO, 550 5.1.1 after DATA"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'between@client.test'")" 0 "nothing of it recorded"

# idempotency under concurrency: the same message twice at once, recorded once
is "$(client twice)" "250 250" "the same message over two connections at once: 250 twice"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'twice@client.test'")" 1 "recorded once"

kill "$RUN_PID"; wait "$RUN_PID"
is "$?" 0 "run stops cleanly with sessions served"

# durability: under strace, a "250 2.0.0" is written only once that many messages are
# durable: a message counts as durable when the thread that logged it as recorded (the
# committer, inside its transaction) has completed an fdatasync since. Concurrent sessions
# share syncs (fewer syncs than messages) when a sync takes time (strace delays each by
# 20 ms, as a slow disk would)
PORT=$(free_port)
start_run strace -f -qq -s 24 -e trace=fdatasync,fsync,write,sendto,sendmsg,pwrite64 \
	-e inject=fdatasync:delay_exit=20000 -o "$T/strace.out"
is "$?" 0 "run --lmtp starts under strace"
out=$(client waves 1 8 5 durable)
is "$out" "wave 0: 8 of 8 sessions complete" "8 sessions of 5 messages under strace"
kill "$(pgrep -P "$RUN_PID")"; wait "$RUN_PID"
python3 - "$T/strace.out" >"$T/durable.out" <<'EOF'
import re, sys
# a sync counts when it returns (its own line or its "resumed" line)
pending = {}; durable = 0; syncs = {}; acks = 0; bad = 0
for l in open(sys.argv[1]):
    m = re.match(r"(\d+)\s+(.*)", l)
    if not m: continue
    pid, rest = m.group(1), m.group(2)
    if re.match(r"(<\.\.\. )?f(data)?sync.*= 0", rest) and "unfinished" not in rest:
        durable += pending.pop(pid, 0)
        syncs[pid] = syncs.get(pid, 0) + 1
    elif re.match(r'write\(2, "peermail: message from', rest):
        pending[pid] = pending.get(pid, 0) + 1
    elif re.match(r"(write|sendto|sendmsg)\(\d+, \"250 2\.0\.0", rest):
        acks += 1
        if acks > durable:
            bad += 1
# the syncs of the thread that recorded the messages (the scheduler syncs its own commits)
n = max(syncs.values()) if syncs else 0
print("acks=%d unsynced=%d shared=%s" % (acks, bad, "yes" if 0 < n < acks else "no (%d syncs)" % n))
EOF
is "$(cat "$T/durable.out")" "acks=40 unsynced=0 shared=yes" "each 250 follows a completed fdatasync after its commit; syncs shared between sessions"

# a session alone never waits for the group commit's gathering: the committer waits (up to
# LMTP_GATHER_US, a timed wait) only for OTHER sessions in the middle of a transaction.
# One session of 60 messages under strace: the committer's timed waits never time out.
# They did (for 1 to 20 messages in 20, as the threads raced) when the session still
# counted itself in flight after handing its message over: the committer then waited the
# whole millisecond for a message already in its batch.
PORT=$(free_port)
start_run strace -f -qq -e trace=futex -o "$T/futex.out"
is "$?" 0 "run --lmtp starts under strace (futex)"
commit_tid=$(grep -l '^lmtp-commit$' /proc/"$(pgrep -P "$RUN_PID")"/task/*/comm 2>/dev/null |
	head -1 | cut -d/ -f5)
out=$(client waves 1 1 60 alone)
is "$out" "wave 0: 1 of 1 sessions complete" "one session of 60 messages under strace"
kill "$(pgrep -P "$RUN_PID")"; wait "$RUN_PID"
ok "the committer thread is found" test -n "$commit_tid"
is "$(grep -c "^$commit_tid .*ETIMEDOUT" "$T/futex.out")" 0 \
	"a session alone: the committer never waits out the gathering time"

done_testing
