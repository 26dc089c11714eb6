/*
 * outbox.h - the queue of everything peermail sends: one row per message and recipient.
 *
 * Owns: the outbox table and its state machine (queued -> sending -> sent | deferred |
 * failed | cancelled), claims with owner identity so a restart reclaims a dead owner's rows
 * at once, retry with exponential backoff up to queue.max_age, the VERP return path, and
 * the renderers for rows whose message is built at send time.
 * Not: SMTP (smtp), building MIME (compose), what a newsletter says (newsletter).
 *
 * Callers queue inside their own transaction: the response and the state it answers
 * commit together.
 */
#ifndef PM_OUTBOX_H
#define PM_OUTBOX_H

#include <glib.h>
#include "config.h"
#include "db.h"
#include "token.h"

typedef enum {
	OUTBOX_RESPONSE,    /* confirmation, thank-you, help...: answers to members' mail */
	OUTBOX_NEWSLETTER,  /* ref_id: newsletter */
	OUTBOX_DELIVERY,    /* ref_id: delivery */
	OUTBOX_PROBE,       /* bounce probe */
	OUTBOX_PREVIEW,     /* newsletter preview */
	OUTBOX_NOTICE       /* to organizers: moderation, milestones, failures */
} OutboxKind;

typedef struct {
	OutboxKind kind;
	gint64 ref_id;        /* 0: none */
	gint64 member_id;     /* 0: none */
	gint64 list_id;       /* 0: none */
	const char *recipient;
	GBytes *message;      /* rendered message; NULL: rendered at send time by the kind's renderer */
} OutboxItem;

/*
 * outbox_enqueue - add one row, due now. Returns its id, or 0 with error. The caller
 * holds the transaction. A newsletter row for a member already queued is ignored and
 * returns the existing row's id (a newsletter reaches a member once).
 */
gint64 outbox_enqueue(PmDb *db, const OutboxItem *item, GError **error);

/* outbox_kind_name - "response", "newsletter", ... */
const char *outbox_kind_name(OutboxKind kind);

/*
 * outbox_responses_today - automatic responses queued to recipient in the last 24 hours
 * (for the per-address daily limit)
 */
gboolean outbox_responses_today(PmDb *db, const char *recipient, gint64 *count,
				 GError **error);

/* outbox_return_path - the VERP envelope sender bounce+TOKEN@domain of row id; caller frees */
char *outbox_return_path(const PmConfig *cfg, const PmSecret *key, gint64 id);

#endif
