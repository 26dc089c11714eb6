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
 * THREADS: any thread, each with its own PmDb: the LMTP sessions prepare concurrently,
 * the one committer applies (see inbound_prepare).
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
 * The pipeline in two steps, so that the LMTP server does the reading in its session
 * threads and only the writing in its one committer: inbound_prepare reads (parse,
 * envelope, the recipient check, the idempotency key, and everything the routes read
 * from the message, inbound_route_prepare), inbound_apply records (one transaction or savepoint:
 * whether the message was seen, what its address does, its responses). What another
 * message of the same batch may change (a Message-ID seen, a one-time token used, a
 * signature, a limit) is decided only in inbound_apply, inside the transaction.
 * inbound_process is both in one thread (`receive`); the LMTP server prepares in the
 * session and applies in the committer: one pipeline, two drivers.
 * A plan is not changed by inbound_apply; it is freed (its GMime objects with it) by the
 * thread that prepared it, after inbound_apply returned.
 */
typedef struct InboundPlan InboundPlan;

/*
 * inbound_prepare - parse raw, take the recipient (the envelope's, else the headers'),
 * check it (inbound_recipient_check: reads db, writes nothing), compute the idempotency
 * key and compute what the route's handler reads from the message
 * (inbound_route_prepare). NULL with EX_NOUSER, EX_DATAERR or EX_TEMPFAIL as
 * inbound_process.
 */
InboundPlan *inbound_prepare(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			     const char *sender, const char *recipient, GError **error);

/*
 * inbound_prepare_checked - inbound_prepare for a recipient (not NULL) that the caller
 * checked with inbound_recipient_check just before (LMTP's RCPT TO): only its route is
 * taken (EX_NOUSER for none), the database is not asked again (the check was most of a
 * session's database reads). What the address names (the petition, list, token, member)
 * is looked up again inside inbound_apply's transaction by the handler that acts on it,
 * so a change between the check and the end of DATA is still seen there.
 */
InboundPlan *inbound_prepare_checked(const PmConfig *cfg, const PmSecret *key, GBytes *raw,
				     const char *sender, const char *recipient, GError **error);

/*
 * inbound_apply - record a prepared message in one transaction (a savepoint inside an
 * open one); results and errors as inbound_process. Touches no GMime object.
 */
gboolean inbound_apply(PmDb *db, const PmConfig *cfg, const PmSecret *key, InboundPlan *p,
		       InboundOutcome *out, GError **error);

/* inbound_plan_free - free a plan and its message; returns NULL */
InboundPlan *inbound_plan_free(InboundPlan *p);

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

/*
 * inbound_process_named - inbound_process with a name the person typed (the web's
 * /c/TOKEN page), handed to the handlers as it was typed (cleaned by pm_clean_name),
 * never through a header of raw: a header would be decoded again (RFC 2047 encoded
 * words), so typed text could become other text. Only a reply to a token naming the
 * person, from their address, stores it (route.c adopt_name); it replaces a stored name.
 */
gboolean inbound_process_named(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			       GBytes *raw, const char *sender, const char *recipient,
			       const char *name, InboundOutcome *out, GError **error);

/*
 * inbound_process_form - inbound_process_named with the postcode typed on the web sign
 * form too (cleaned by pm_clean_text), handed in the same way. The web signature this
 * form made keeps it (never replacing one); the confirmation request shows it, and the
 * member gets it only by confirming that signature (route.c adopt_postcode).
 */
gboolean inbound_process_form(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			      GBytes *raw, const char *sender, const char *recipient,
			      const char *name, const char *postcode, InboundOutcome *out,
			      GError **error);

#endif
