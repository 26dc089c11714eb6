/*
 * inbound_log.h - the inbound log: one row per message received, what it was and what
 * became of it; the key that makes receiving idempotent.
 *
 * Owns: the inbound table (digest, envelope, From, Subject, kind, action, result, and the
 * raw message when a story or a delivery reply needs it). Not: the digest's definition or
 * the pipeline that decides when a message is recorded (inbound/inbound.h), what each
 * address does (inbound/route.h).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_INBOUND_LOG_H
#define PM_INBOUND_LOG_H

#include <glib.h>
#include "base/db.h"
#include "base/config.h"

/*
 * inbound_log_add - log a message as received and not yet handled (kind 'message',
 * action 'received', result 'pending') at now, unless one with digest is logged already
 * (*dup TRUE, 0 without error: the same message is recorded once). Returns its id, or 0
 * with error. One statement; the caller holds the transaction.
 */
gint64 inbound_log_add(PmDb *db, const char *message_id, const char *digest,
		       const char *sender, const char *recipient, const char *from_addr,
		       const char *subject, gint64 now, gboolean *dup, GError **error);

/* inbound_log_finish - what message id turned out to be (kind NULL: 'message') and what was
 * done (action, result); raw (NULL: none) is kept with it */
gboolean inbound_log_finish(PmDb *db, gint64 id, const char *kind, const char *action,
			    const char *result, GBytes *raw, GError **error);

/*
 * inbound_log_forget_member - the part of forgetting member_id (key email and the address
 * as given, "" when unknown; with cfg, every spelling of the key: case, Gmail dots,
 * +tags) held here: sender, From, Subject and raw message cleared on the messages they
 * sent and on the originals of their stories; the rows stay (counts, idempotency).
 */
gboolean inbound_log_forget_member(PmDb *db, const PmConfig *cfg, gint64 member_id,
				   const char *email, const char *address, GError **error);

#endif
