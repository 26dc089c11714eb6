# t_lmtp.sh - `peermail run --lmtp ADDR`: an LMTP client (python3 smtplib.LMTP) delivers
# through the same pipeline; per-recipient replies; TCP on loopback and a unix socket.
. "$(dirname "$0")/lib.sh"

setup
sql "INSERT INTO petitions(slug, title, created_at) VALUES ('trees', 'Save the trees', 0)"
PORT=$(free_port)

# start_run ADDR - peermail run with an LMTP listener; waits until it accepts
start_run() {
	start_bg run 'lmtp: listening' "$PEERMAIL_BIN" --config "$T/conf/peermail.conf" run --lmtp "$1"
	local rc=$?
	RUN_PID=$BG_PID
	return $rc
}
start_run "127.0.0.1:$PORT"; is "$?" 0 "run --lmtp 127.0.0.1:PORT starts"
# lmtp ADDR FROM RCPT... - send one message with smtplib.LMTP; print each recipient's
# reply to DATA (LMTP answers DATA once per recipient: read them all); a recipient refused
# at RCPT TO prints "RCPT rcpt CODE" there and is left out of DATA
lmtp() {
	python3 - "$@" <<'EOF'
import smtplib, sys
addr, frm, rcpts = sys.argv[1], sys.argv[2], sys.argv[3:]
msg = ("From: Tester <%s>\r\nTo: %s\r\nSubject: hello\r\nMessage-ID: <%s.%d@client.test>\r\n\r\n"
       "Count me in.\r\n..leading dot line\r\n" % (frm, rcpts[0], frm, len(rcpts)))
if addr.startswith("unix:"):
    c = smtplib.LMTP(addr[5:])
else:
    host, port = addr.rsplit(":", 1)
    c = smtplib.LMTP(host, int(port))
c.ehlo_or_helo_if_needed()
assert c.mail(frm)[0] == 250
took = []
for r in rcpts:
    code = c.rcpt(r)[0]
    if code == 250:
        took.append(r)
    else:
        print("RCPT", r, code)
c.putcmd("data")
assert c.getreply()[0] == 354
c.send(msg.encode() + b".\r\n")
for r in took:
    print(r, c.getreply()[0])
c.quit()
EOF
}

out=$(lmtp "127.0.0.1:$PORT" ann@client.test sign+trees@act.test)
is "$out" "sign+trees@act.test 250" "a signature by LMTP: 250"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'ann@client.test'")" 1 "it is recorded"
out=$(lmtp "127.0.0.1:$PORT" bob@client.test sign+trees@act.test sign+nosuch@act.test help@act.test)
is "$(echo "$out" | tr '\n' ' ')" "RCPT sign+nosuch@act.test 550 sign+trees@act.test 250 help@act.test 250 " "per-recipient replies: 550 at RCPT TO for an unknown petition, 250 and 250 after DATA"
is "$(sql "SELECT count(*) FROM inbound WHERE from_addr = 'bob@client.test'")" 2 "two recipients recorded, the unknown one not"
out=$(lmtp "127.0.0.1:$PORT" bob@client.test sign+trees@act.test)
is "$out" "sign+trees@act.test 250" "the same message again: 250"
is "$(sql "SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id WHERE m.email = 'bob@client.test'")" 1 "and counted once"

# the raw dialogue: banner, LHLO required, pipelining
python3 - "$PORT" >"$T/raw.out" <<'EOF'
import socket, sys
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def line():
    return f.readline().decode().rstrip("\r\n")
print(line()[:3])
s.sendall(b"HELO x\r\n"); print(line()[:3])
s.sendall(b"LHLO x\r\n")
while True:
    l = line()
    if l[3] == " ": break
print(l[:3])
# pipelined envelope
s.sendall(b"MAIL FROM:<>\r\nRCPT TO:<sign+trees@act.test>\r\nDATA\r\n")
print(line()[:3], line()[:3], line()[:3])
s.sendall(b"From: x@client.test\r\nMessage-ID: <raw@x>\r\n\r\nhi\r\n.\r\n")
print(line()[:3])
s.sendall(b"QUIT\r\n"); print(line()[:3])
EOF
is "$(tr '\n' ' ' <"$T/raw.out")" "220 500 250 250 250 354 250 221 " "raw LMTP dialogue: banner, HELO refused, LHLO, pipelined MAIL/RCPT/DATA, null sender accepted, QUIT"

# a transient failure: an unopenable database answers 421 at connect (the client retries)
mv "$T/var/peermail.db" "$T/var/held.db"
mkdir "$T/var/peermail.db"
code=$(python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print(s.makefile("rb").readline().decode()[:9])' "$PORT")
rmdir "$T/var/peermail.db"; mv "$T/var/held.db" "$T/var/peermail.db"
is "$code" "421 4.3.0" "an unusable database: 421 4.3.0 (the client defers)"

kill "$RUN_PID"; wait "$RUN_PID"
is "$?" 0 "SIGTERM stops run and the listener cleanly"

SOCK=$T/lmtp.sock
start_run "unix:$SOCK"; is "$?" 0 "run --lmtp unix:PATH starts"
out=$(lmtp "unix:$SOCK" cat@client.test sign+trees@act.test)
is "$out" "sign+trees@act.test 250" "LMTP over a unix socket: 250"
kill "$RUN_PID"; wait "$RUN_PID"
ok "the unix socket is removed at exit" test ! -e "$SOCK"

done_testing
