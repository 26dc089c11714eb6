/*
 * inbound.h - the inbound pipeline: one message from the MTA (or LMTP) to recorded state.
 *
 * Owns: reading the message within limits.max_message_size, the envelope (arguments,
 * a local delivery agent's environment, Delivered-To/X-Original-To), parsing with GMime
 * and bounding the work per message, classifying (bounce, feedback, auto-reply, message),
 * routing by recipient address, idempotency (the inbound table), the one transaction per
 * message, the daily response limit, and the exit status the MTA acts on.
 * Not: what a signature, subscription or story is (petition, list, story), building the
 * responses (compose), sending them (outbox), visible reply text (replytext), auto-reply
 * heuristics (autoreply), bounce formats and scores (bounce).
 *
 * Exit statuses (PM_ERROR codes): 0 recorded or deliberately ignored; EX_NOUSER (67)
 * unknown address, list, petition or token; EX_DATAERR (65) unparseable or over the size
 * limit; EX_TEMPFAIL (75) anything transient. Nothing is recorded unless the status is 0.
 */
#ifndef PM_INBOUND_H
#define PM_INBOUND_H

#include <glib.h>
#include <gmime/gmime.h>
#include "autoreply.h"
#include "bounce.h"
#include "config.h"
#include "db.h"
#include "token.h"

/* Work bounds per message (GMime parses recursively; see GMime issue 165). */
#define INBOUND_MAX_DEPTH 32        /* multipart nesting */
#define INBOUND_MAX_PARTS 1000      /* MIME parts in all */
#define INBOUND_MAX_HEADER 65536    /* octets of one header value kept */

/* A parsed message and what it is. Build with inbound_parse, free with inbound_message_free. */
typedef struct {
	GMimeMessage *msg;
	GBytes *raw;            /* the message as received (a reference) */
	char *from_addr;        /* first From: mailbox as written (not normalized), or NULL */
	char *from_name;        /* its display name, controls folded to spaces, or NULL */
	char *message_id;       /* without angle brackets, or NULL */
	char *subject;          /* decoded, controls folded to spaces, or NULL */
	AutoKind autokind;      /* autoreply_classify() */
	BounceReport *bounce;   /* bounce_parse(), filled by inbound_classify (NULL before) */
	char *reply_text;       /* replytext_visible(), filled by inbound_reply_text */
} InboundMessage;

/*
 * inbound_read_fd - read a whole message from fd into memory, at most max octets.
 * Over the limit: EX_DATAERR ("message too large"); read errors: EX_TEMPFAIL.
 * Returns new bytes (caller unrefs) or NULL.
 */
GBytes *inbound_read_fd(int fd, gint64 max, GError **error);

/*
 * inbound_parse - parse raw with GMime (a reference to raw is kept) and read From,
 * Message-ID, Subject and the auto-reply class. envelope_sender: NULL unknown, "" null
 * sender. EX_DATAERR when it is not a message or is nested beyond the bounds.
 */
InboundMessage *inbound_parse(GBytes *raw, const char *envelope_sender, GError **error);

/* inbound_classify - run bounce_parse once (idempotent); returns the borrowed report */
BounceReport *inbound_classify(InboundMessage *m);

/* inbound_reply_text - the visible reply text, computed once; borrowed */
const char *inbound_reply_text(InboundMessage *m);

/* inbound_kind - "bounce", "feedback", "autoreply" or "message" (classifies first) */
const char *inbound_kind(InboundMessage *m);

/* inbound_message_free - destroy; returns NULL */
InboundMessage *inbound_message_free(InboundMessage *m);

/*
 * inbound_envelope - fill in what the caller did not give: sender and recipient from the
 * environment a local delivery agent sets (SENDER; ORIGINAL_RECIPIENT, RECIPIENT,
 * LOCAL_PART_PREFIX+LOCAL_PART+LOCAL_PART_SUFFIX@DOMAIN (Exim), LOCAL+EXTENSION@DOMAIN
 * (Postfix local)). *sender and *recipient are owned strings (g_free) or NULL; an argument
 * already set is kept.
 */
void inbound_envelope_from_env(const PmConfig *cfg, char **sender, char **recipient);

/* inbound_recipient_from_headers - Delivered-To, else X-Original-To, or NULL; caller frees */
char *inbound_recipient_from_headers(InboundMessage *m);

/* What inbound_process did, for logs, LMTP replies and tests. */
typedef struct {
	char *action;           /* sign, confirm, story, subscribe, bounce, duplicate, ... */
	char *result;           /* recorded, ignored, refused, closed, already, limited, ... */
	int responses;          /* responses queued */
} InboundOutcome;

/* inbound_outcome_clear - free the outcome's strings */
void inbound_outcome_clear(InboundOutcome *o);

/*
 * inbound_process - the whole pipeline for one message: parse, envelope, classify, route,
 * and record in one transaction (responses queued in it). sender/recipient are the
 * envelope (NULL: unknown; the recipient then comes from the headers). Returns TRUE when
 * recorded or deliberately ignored (duplicates included); FALSE with a PM_ERROR whose code
 * is EX_NOUSER, EX_DATAERR or EX_TEMPFAIL (any other code means an internal error, which
 * callers facing an MTA treat as EX_TEMPFAIL). out may be NULL.
 */
gboolean inbound_process(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			 const char *sender, const char *recipient, InboundOutcome *out,
			 GError **error);

/* inbound_exit_status - the sysexits value an MTA should see for error (NULL: 0) */
int inbound_exit_status(const GError *error);

#endif
