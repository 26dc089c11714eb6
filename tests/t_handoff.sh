# t_handoff.sh - the thin pipe client: with `peermail run` running, `receive` hands the
# message to it over lmtp.socket (no database, no templates opened in the receive process)
# and exits with the daemon's verdict; without the daemon it processes the message itself
# with the same results; a daemon that goes away mid-transfer means processing here,
# recorded once; the socket's mode is lmtp.socket_mode whatever the daemon's umask.
. "$(dirname "$0")/lib.sh"

setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
SOCK=$T/var/peermail.lmtp
# msg FROM ID - a sign reply with LF line ends, as a pipe hands it over
msg() { printf 'From: Signer <%s>\nMessage-ID: <%s@client.test>\nSubject: yes\n\nCount me in.\n.a line with a leading dot\n' "$1" "$2"; }
recv() { pm receive --sender "$1" --recipient "$2" 2>"$T/recv.err"; echo $?; }

# no daemon: processed here
is "$(msg ann@client.test m1 | recv ann@client.test sign+trees@act.test)" 0 "no daemon: receive processes the message itself (0)"
is "$(msg x@client.test m0 | recv x@client.test sign+nosuch@act.test)" 67 "no daemon: an unknown petition exits 67"
is "$(cat "$T/recv.err")" "peermail: unknown petition 'nosuch'" "with its one-line reason"

# the daemon under a strict umask: the socket's mode is lmtp.socket_mode all the same
(umask 077; exec "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run.log" 2>&1) &
RUN_PID=$!
at_exit "kill $RUN_PID"
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
ok "run listens on lmtp.socket" test -S "$SOCK"
is "$(stat -c %a "$SOCK")" 660 "its mode is lmtp.socket_mode (0660: the daemon's user and group), not the umask's (077)"

# the daemon decides: the receive process opens neither the database nor a template
# (LeakSanitizer cannot run under strace: off for this one process of a SANITIZE build)
msg bob@client.test m2 | ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open,execve -o "$T/open.out" \
	"$PEERMAIL_BIN" --config "$T/conf/peermail.conf" receive --sender bob@client.test \
	--recipient sign+trees@act.test 2>"$T/recv.err"
is "$?" 0 "daemon running: receive exits 0"
is "$(grep -c 'peermail\.db\|\.mustache\|\.txt"\|/secret' "$T/open.out")" 0 "the receive process opened no database, secret or template"
# the small front (src/cli/front.c) does it alone: no peermail-full, no GMime, no SQLite
is "$(grep -c 'peermail-full\|libgmime\|libsqlite' "$T/open.out")" 0 "nor ran peermail-full or loaded GMime or SQLite"
like "$(cat "$T/run.log")" 'from=bob@client\.test .*: sign pending' "the daemon recorded it"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'bob@client.test'")" 1 "one pending signature"
is "$(msg x@client.test m3 | recv x@client.test sign+nosuch@act.test)" 67 "daemon running: an unknown petition exits 67 (refused at RCPT TO)"
is "$(cat "$T/recv.err")" "peermail: unknown petition 'nosuch'" "with the same one-line reason"
is "$(msg x@client.test m3 | recv x@client.test nobody@elsewhere.test)" 67 "another domain: 67"
printf '\0\0\0' | pm receive --sender x@client.test --recipient sign+trees@act.test 2>"$T/recv.err"
is "$?" 65 "daemon running: not a message at all exits 65"
pm run --once >/dev/null 2>&1 # nothing; keeps the daemon's socket (--once does not listen)
ok "run --once left the daemon's socket alone" test -S "$SOCK"
timeout 10 "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run2.log" 2>&1
is "$?" 75 "a second daemon refuses to take over the live socket (75: try later)"
like "$(cat "$T/run2.log")" 'another peermail daemon listens on' "and says why"
ok "the first daemon's socket is still there" test -S "$SOCK"
is "$(msg cy@client.test m9 | recv cy@client.test sign+trees@act.test)" 0 "and still answers"
like "$(cat "$T/run.log")" 'from=cy@client\.test .*: sign pending' "the first daemon recorded it"
# the same message as before: a duplicate whichever way it came (LF here, CRLF on the wire)
is "$(msg ann@client.test m1 | recv ann@client.test sign+trees@act.test)" 0 "a message first processed here, again through the daemon: 0"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'ann@client.test'")" 1 "recorded once"
is "$(msg ann@client.test m1 | tr -d '\n' | sed 's/$/\n/' | wc -l)" 1 "(sanity)"

kill "$RUN_PID"; wait "$RUN_PID" 2>/dev/null
ok "the daemon removed its socket" test ! -e "$SOCK"
is "$(msg bob@client.test m2 | recv bob@client.test sign+trees@act.test)" 0 "a message first handed to the daemon, again without it: 0"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'bob@client.test'")" 1 "recorded once"

# a daemon that goes away mid-transfer (takes the message, dies before its verdict):
# receive processes the message itself, and it is recorded once
timeout 30 python3 - "$SOCK" >"$T/fake.log" 2>&1 <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
print("ready", flush=True)
c, _ = s.accept(); f = c.makefile("rb")
c.sendall(b"220 fake\r\n")
while True:
    l = f.readline()
    if not l: break
    if l.startswith(b"LHLO"): c.sendall(b"250 fake\r\n")
    elif l.startswith(b"MAIL") or l.startswith(b"RCPT"): c.sendall(b"250 ok\r\n")
    elif l.startswith(b"DATA"):
        c.sendall(b"354 go\r\n")
        while f.readline() not in (b".\r\n", b""): pass
        break
c.close(); os.unlink(sys.argv[1]); print("died", flush=True)
PY
FAKE=$!
for _ in $(seq 50); do grep -q ready "$T/fake.log" && break; sleep 0.1; done
is "$(msg cat@client.test m4 | recv cat@client.test sign+trees@act.test)" 0 "the daemon died mid-transfer: receive processes it here (0)"
wait "$FAKE"
is "$(cat "$T/fake.log" | tr '\n' ' ')" "ready died " "(the fake daemon took the message and died)"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'cat@client.test'")" 1 "recorded once"

# lmtp.socket_mode: another mode, and a value that is no mode
echo 'lmtp { socket_mode = "0600" }' >>"$T/conf/peermail.conf"
like "$(pm check-config 2>&1)" 'socket_mode = "0600"' "check-config shows lmtp.socket_mode"
(umask 0; exec "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run >"$T/run3.log" 2>&1) &
RUN_PID=$!
at_exit "kill $RUN_PID"
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
is "$(stat -c %a "$SOCK" 2>&1)" 600 "socket_mode = \"0600\": only the daemon's user (umask 0 notwithstanding)"
kill "$RUN_PID"; wait "$RUN_PID" 2>/dev/null
sed -i 's/socket_mode = "0600"/socket_mode = "0999"/' "$T/conf/peermail.conf"
out=$(pm check-config 2>&1); rc=$?
is "$rc" 78 "socket_mode = \"0999\": a configuration error (78)"
like "$out" "socket_mode: '0999' is not an octal file mode" "naming the setting"
done_testing
