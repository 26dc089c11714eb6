/*
 * inbound.h - the inbound pipeline: one message from the MTA (or LMTP) to recorded state.
 *
 * Owns: the pipeline's order (message.h reads, parses and classifies; route.h acts),
 * idempotency (the digest; model/inbound_log.h keeps the inbound table), the one
 * transaction per message (the daily response limit is route.c's respond). The exit
 * status the MTA acts on is exitcode.h's.
 * Not: what a signature, subscription or story is (signature, list, story), building the
 * responses (compose), sending them (outbox), visible reply text (replytext), auto-reply
 * heuristics (autoreply), bounce formats and scores (bounce).
 *
 * Errors (PM_ERROR codes): EX_NOUSER (67) unknown address, list, petition or token;
 * EX_DATAERR (65) unparseable or over the size limit; EX_TEMPFAIL (75) anything transient.
 * inbound_exit_status() (exitcode.h) turns them into what the MTA sees. Nothing is
 * recorded unless the pipeline succeeds.
 *
 * THREADS: any thread, each with its own PmDb (the LMTP workers run it concurrently).
 */
#ifndef PM_INBOUND_H
#define PM_INBOUND_H

#include <glib.h>
#include <gmime/gmime.h>
#include "inbound/message.h"
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "mail/address.h"

/* What inbound_process did, for logs, LMTP replies and tests. */
typedef struct {
	char *action;           /* sign, confirm, story, subscribe, bounce, duplicate, ... */
	char *result;           /* recorded, ignored, refused, closed, already, limited, ... */
	int responses;          /* responses queued */
} InboundOutcome;

/* inbound_outcome_clear - free the outcome's strings */
void inbound_outcome_clear(InboundOutcome *o);

/*
 * inbound_recipient_route - the one check of a recipient before anything is read:
 * address_route of recipient (lower-cased) into *out (route_clear it), or FALSE with
 * EX_NOUSER "unknown address ..." for another domain or an unknown keyword. The pipeline
 * and LMTP's RCPT TO both ask it.
 */
gboolean inbound_recipient_route(const PmConfig *cfg, const char *recipient, Route *out,
				 GError **error);

/*
 * inbound_recipient_check - the whole check of a recipient before DATA: the route (as
 * inbound_recipient_route, into *out: route_clear it), then that what it names exists
 * (route.h inbound_route_check): FALSE with EX_NOUSER and the one-line reason for an
 * unknown domain, keyword, list or petition, a bad or expired token; EX_TEMPFAIL when
 * the database cannot answer. Writes nothing. LMTP's RCPT TO and inbound_process both
 * ask it, so an address refused after DATA is refused at RCPT TO the same way.
 */
gboolean inbound_recipient_check(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 const char *recipient, Route *out, GError **error);

/*
 * inbound_process - the whole pipeline for one message: parse, envelope, classify, route,
 * and record in one transaction (responses queued in it). sender/recipient are the
 * envelope (NULL: unknown; the recipient then comes from the headers). Returns TRUE when
 * recorded or deliberately ignored (duplicates included); FALSE with a PM_ERROR whose code
 * is EX_NOUSER, EX_DATAERR or EX_TEMPFAIL (any other code is an internal error; callers
 * facing an MTA map every error with inbound_exit_status). out may be NULL.
 */
gboolean inbound_process(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			 const char *sender, const char *recipient, InboundOutcome *out,
			 GError **error);

#endif
