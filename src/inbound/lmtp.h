/*
 * lmtp.h - an LMTP server (RFC 2033) feeding each message through the inbound pipeline.
 *
 * Owns: the listener (TCP host:port or unix:/path), the LMTP dialogue, and turning each
 * recipient's pipeline status into its reply: 250 recorded or ignored, 550 5.1.1 unknown
 * (67), 554 5.6.0 unparseable (65), 451 4.3.0 transient (75), 552 5.3.4 over the size
 * limit. Each reply is written with one write. Not: what a message means (inbound).
 *
 * RCPT TO asks the pipeline's own recipient check (inbound_recipient_check) and answers
 * 550 5.1.1 before DATA for another domain, an unknown keyword, list or petition, or a
 * bad or expired token; 451 4.3.0 when the database cannot answer.
 *
 * THREADS (chosen so that nothing can wedge the listener): the listener (listener.h) has
 * one acceptor thread blocking in accept(2) with no main context at all, and gives each
 * accepted connection a thread of its own. Each session has its own database connection
 * (read-only use: the RCPT TO checks), up to
 * lmtp.max_sessions (default 100, well above Postfix's lmtp_destination_concurrency_limit
 * of 20); a connection beyond that gets "421 4.3.2" and is closed at once. A silent peer
 * is dropped after lmtp.timeout (300 s, RFC 5321 4.5.3.2) by the socket's own timeout. A
 * session that dies in DATA records nothing: the message is handed on only after the
 * final dot.
 *
 * DURABILITY (group commit by one committer): sessions do not write. After the final dot
 * a session prepares the message for each recipient itself (inbound_prepare_checked: the
 * GMime parse, classification, reply text and intent reading, the idempotency key, with
 * the route that RCPT TO checked a moment before; sessions do this in parallel), queues
 * one job per recipient with that plan to the committer thread, the server's only
 * writer, and waits. The committer takes every job waiting (up to 256)
 * and applies them all (inbound_apply: only the database, no GMime object touched) in
 * ONE transaction (BEGIN IMMEDIATE; each message in a savepoint of its own, so a refused
 * message undoes only itself). Whatever another message of the same batch may change is
 * decided there, inside the transaction: a digest already seen (the same message twice
 * over two connections is recorded once), a one-time token already used, a signature,
 * a limit, and what the address names (looked up again by the handler). The session
 * frees its plans (and their GMime objects) after the answer.
 *
 * The responses (a confirmation request, a thank-you) are composed by the committer,
 * inside the message's savepoint, and queued in the outbox in the same transaction as
 * the signature: what they say depends on the outcome (new or already signed, tokens
 * from row ids), and the outbox row is the durable promise to answer, so a crash never
 * leaves a signature without its confirmation request nor a request without its
 * signature, and forgetting a person finds every answer naming them in the outbox.
 * Rendering after the commit would need a second durable queue of "answers to render"
 * with its own crash and forget rules, to save what composing now costs: templates are
 * parsed once per process (compose.c's cache) and every response goes through
 * compose.c's direct writer (no GMime objects), about 9% of the committer's CPU
 * (perf, docs/inbound.md "LMTP").
 *
 * The committer commits with synchronous=FULL: SQLite
 * fdatasyncs the write-ahead log before COMMIT returns. Only then are the sessions woken
 * to write their 250s. Before committing, a batch waits up to 1 ms for the sessions that
 * are in the middle of a transaction (between MAIL FROM and handing their message over),
 * so that one fsync answers them too instead of each paying the next (4 sessions: 1.4
 * messages per commit before, 3.7 after); a session alone never waits: a session stops
 * counting as in flight BEFORE it queues its jobs, so the committer that pops them sees
 * no one else on the way (t_lmtp_load checks that its timed waits never expire for one
 * session). Messages that arrive while a commit syncs go into the next batch, so one
 * fsync answers many messages; one session alone waits for exactly one. If SQLite
 * rolls the whole transaction back on its own (I/O error, disk full), every message of
 * the batch gets 451 and is retried by the MTA; nothing is half-recorded. The committer
 * never checkpoints the WAL in a commit (wal_autocheckpoint 0 on its connection), and
 * keeps the savepoints' statement journal in memory (temp_store=MEMORY: no temporary file
 * per batch); a checkpointer thread with its own connection runs a PASSIVE checkpoint (it
 * never blocks the committer) after every 100 committed messages. Writers never
 * contend for SQLite's lock among themselves (no busy-wait sleeps).
 *
 * The configuration and secret are borrowed read-only and must outlive the server.
 */
#ifndef PM_LMTP_H
#define PM_LMTP_H

#include <gio/gio.h>
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
