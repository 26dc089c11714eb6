/*
 * lmtp.h - an LMTP server (RFC 2033) feeding each message through the inbound pipeline.
 *
 * Owns: the listener (TCP host:port or unix:/path), the LMTP dialogue, and turning each
 * recipient's pipeline status into its reply: 250 recorded or ignored, 550 5.1.1 unknown
 * (67), 554 5.6.0 unparseable (65), 451 4.3.0 transient (75), 552 5.3.4 over the size
 * limit. Each reply is written with one write. Not: what a message means (inbound).
 *
 * RCPT TO asks the pipeline's own recipient check (inbound_recipient_route) and answers
 * 550 5.1.1 before DATA for another domain or an unknown keyword.
 *
 * THREADS (chosen so that nothing can wedge the listener): one acceptor thread blocks in
 * accept(2) on a socket of its own, with no main context at all (GLib's
 * GThreadedSocketService resumed accepting through the global default context, which
 * nobody ran: after 4 sessions it stopped for good). Each accepted connection gets its
 * own thread and its own database connection, up to LMTP_MAX_SESSIONS (100, well above
 * Postfix's lmtp_destination_concurrency_limit of 20); a connection beyond that gets
 * "421 4.3.2" and is closed at once. A silent peer is dropped after LMTP_TIMEOUT (300 s,
 * RFC 5321 4.5.3.2) by the socket's own timeout. A session that dies in DATA records
 * nothing: the message is processed only after the final dot.
 *
 * DURABILITY (group commit): each message is committed in its own transaction with
 * synchronous=NORMAL, then the session waits until the write-ahead log is fdatasync'd
 * (db_wal_sync) and only then writes its 250. The first waiting session syncs for
 * everyone committed so far; sessions that commit meanwhile wait for the next sync, so
 * one fsync answers many messages and one session alone waits for exactly one.
 *
 * The configuration and secret are borrowed read-only and must outlive the server.
 */
#ifndef PM_LMTP_H
#define PM_LMTP_H

#include <glib.h>
#include "base/config.h"
#include "base/token.h"

typedef struct PmLmtp PmLmtp;

/*
 * lmtp_start - listen on addr ("127.0.0.1:2424", "[::1]:2424", "unix:/path") and serve
 * until lmtp_stop. Returns NULL with error (EX_USAGE for a bad address, EX_UNAVAILABLE
 * when it cannot listen).
 */
PmLmtp *lmtp_start(const PmConfig *cfg, const PmSecret *key, const char *addr, GError **error);

/* lmtp_stop - stop listening, finish the sessions in progress, free; returns NULL */
PmLmtp *lmtp_stop(PmLmtp *l);

#endif
