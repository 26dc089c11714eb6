/*
 * handoff.h - the thin pipe client: `receive` hands its message to the running daemon.
 *
 * Owns: speaking LMTP (RFC 2033) as a client over the daemon's local unix socket
 * (lmtp.socket) for one message and one recipient, and turning the daemon's reply into
 * the status `receive` exits with (250: 0; 550: 67; 552, 554: 65; 4xx: 75). Cyrus IMAP's
 * `deliver` talking to its `lmtpd` is the model. Nothing here touches GMime, SQLite,
 * the secret or the templates: the daemon does all of that, already warm.
 * Not: the server (lmtp.h), the pipeline (inbound.h), the exit status mapping of
 * in-process failures (exitcode.h).
 *
 * When the daemon does not run (no socket, nobody listening) the caller processes the
 * message itself. When the daemon goes away mid-transfer the caller does the same: a
 * message the daemon committed before it died is then a duplicate for the pipeline (its
 * digest ignores line endings, CRLF on the wire and LF in a pipe alike), recorded once.
 *
 * THREADS: any thread; blocking, with lmtp.timeout on every read and write.
 */
#ifndef PM_INBOUND_HANDOFF_H
#define PM_INBOUND_HANDOFF_H

#include <glib.h>
#include "base/config.h"

typedef enum {
	HANDOFF_DONE = 0,       /* the daemon answered: its verdict is the result */
	HANDOFF_NO_DAEMON,      /* nobody listens (or lmtp.socket is off): process here */
	HANDOFF_LOST            /* the daemon went away before its verdict: process here */
} HandoffResult;

/*
 * inbound_handoff - hand raw (sender: "" the null sender; both must be set) to the
 * daemon at cfg->lmtp_socket. HANDOFF_DONE: *ok is the verdict; when FALSE, error is
 * the daemon's one-line reason as a PM_ERROR coded EX_NOUSER, EX_DATAERR or
 * EX_TEMPFAIL. Otherwise nothing was decided (why, in a debug line).
 */
HandoffResult inbound_handoff(const PmConfig *cfg, GBytes *raw, const char *sender,
			      const char *recipient, gboolean *ok, GError **error);

#endif
