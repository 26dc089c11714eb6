/*
 * outbox.h - the queue of everything peermail sends: one row per message and recipient.
 *
 * Owns: the outbox and outbox_message tables (every write to them is here) and their state
 * machine (queued -> sending -> sent | deferred | failed | cancelled), claims with owner
 * identity so a restart reclaims a dead owner's rows at once, retry with exponential
 * backoff up to queue.max_age, the VERP return path, and the renderers for rows whose
 * message is built at send time.
 * Not: SMTP (smtp), building MIME (compose), what a newsletter says (newsletter).
 *
 * Callers queue inside their own transaction: the response and the state it answers
 * commit together.
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_OUTBOX_H
#define PM_OUTBOX_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

typedef enum {
	OUTBOX_RESPONSE,    /* confirmation, thank-you, help...: answers to members' mail */
	OUTBOX_NEWSLETTER,  /* ref_id: newsletter */
	OUTBOX_DELIVERY,    /* ref_id: delivery */
	OUTBOX_PROBE,       /* bounce probe */
	OUTBOX_PREVIEW,     /* newsletter preview */
	OUTBOX_NOTICE       /* to organizers: moderation, milestones, failures */
} OutboxKind;

/* A row's place in the state machine, stored as its name (outbox_status_name) */
typedef enum {
	OUTBOX_STATUS_QUEUED,
	OUTBOX_STATUS_SENDING,
	OUTBOX_STATUS_SENT,
	OUTBOX_STATUS_DEFERRED,
	OUTBOX_STATUS_FAILED,
	OUTBOX_STATUS_CANCELLED
} OutboxStatus;

/* outbox_status_name - "queued", "sending", ...: the name stored and printed */
const char *outbox_status_name(OutboxStatus status);

/* outbox_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean outbox_status_parse(const char *s, OutboxStatus *status);

typedef struct {
	OutboxKind kind;
	gint64 ref_id;        /* 0: none */
	gint64 member_id;     /* 0: none */
	gint64 list_id;       /* 0: none */
	const char *recipient;
	const char *recipient_key;   /* responses: the recipient's normalized address (the
				      * person the daily limit counts); NULL otherwise */
	GBytes *message;      /* rendered message; NULL: rendered at send time by the kind's renderer */
	gboolean asked;       /* a response the person asked for: not counted by the daily limit */
} OutboxItem;

/*
 * outbox_enqueue - add one row, due now. Returns its id, or 0 with error. The caller
 * holds the transaction. A newsletter row for a member already queued is ignored and
 * returns the existing row's id (a newsletter reaches a member once).
 */
gint64 outbox_enqueue(PmDb *db, const OutboxItem *item, GError **error);

/* outbox_message_get - the stored message of row id (caller unrefs), or NULL when the row
 * is rendered at send time (or on error, with error set) */
GBytes *outbox_message_get(PmDb *db, gint64 id, GError **error);

/* outbox_kind_name - "response", "newsletter", ... */
const char *outbox_kind_name(OutboxKind kind);

/* outbox_kind_parse - the kind named s into *kind; FALSE for an unknown name */
gboolean outbox_kind_parse(const char *s, OutboxKind *kind);

/*
 * outbox_responses_today - automatic responses queued in the last 24 hours to the person
 * whose normalized address is key (OutboxItem.recipient_key), that they did not ask for
 * (OutboxItem.asked unset): what the per-person daily limit counts, whatever spelling of
 * their address the mail came from
 */
gboolean outbox_responses_today(PmDb *db, const char *key, gint64 *count,
				 GError **error);

/* outbox_member_id - the member row id was queued for into *member_id (0: none, or no
 * such row) */
gboolean outbox_member_id(PmDb *db, gint64 id, gint64 *member_id, GError **error);

/* outbox_cancel_ref - cancel the rows of kind for ref_id not handed over yet (queued,
 * deferred, and claimed: their sender looks again just before handing one to the server,
 * outbox_still_claimed, and records a copy that went out all the same as sent): a
 * newsletter's copies when it is cancelled. The caller holds the transaction. */
gboolean outbox_cancel_ref(PmDb *db, OutboxKind kind, gint64 ref_id, gint64 now,
			   GError **error);

/* outbox_cancel_claimed - row id, claimed for sending, must not go out after all (a
 * renderer found it stale): cancelled, with why as its smtp_text */
gboolean outbox_cancel_claimed(PmDb *db, gint64 id, const char *why, gint64 now,
			       GError **error);

/*
 * outbox_forget_member - the part of forgetting member_id (key email and the address as
 * given, "" when unknown; with cfg, every spelling of the key: case, Gmail dots, +tags)
 * held here: their rows not yet handed to
 * the SMTP server (queued, deferred, and claimed by a sender: it checks again before
 * handing one over, run/smtp) are cancelled, and every row of theirs loses its stored
 * message, recipient address ('forgotten') and reply text; the rows stay
 * (counts); the stored letters of finished deliveries (which quote signers) and of
 * finished notices to organizers (which quote the people they are about) are dropped,
 * and a notice not sent yet that names the key or the address is cancelled.
 * The caller holds the transaction.
 */
gboolean outbox_forget_member(PmDb *db, const PmConfig *cfg, gint64 member_id,
			      const char *email, const char *address, gint64 now, GError **error);

/* outbox_purge_bodies - delete the stored message of every row that finished (sent,
 * failed, cancelled) before before; *count gets how many. The caller holds the
 * transaction. */
gboolean outbox_purge_bodies(PmDb *db, gint64 before, int *count, GError **error);

/*
 * outbox_still_claimed - TRUE in *yes while row id is 'sending': the last look before a
 * claimed row is handed to the SMTP server or the Maildir (a cancel or a forget since the
 * claim makes it FALSE). Any thread, with its own PmDb.
 */
gboolean outbox_still_claimed(PmDb *db, gint64 id, gboolean *yes, GError **error);

/* outbox_return_path - the VERP envelope sender bounce+TOKEN@domain of row id; caller frees */
char *outbox_return_path(const PmConfig *cfg, const PmSecret *key, gint64 id);

/* ==== Sending side: claims, renderers, results (used by sender.c and the commands) ==== */

/* One claimed row, as the sender sees it. Free with outbox_row_free. */
typedef struct {
	gint64 id;
	OutboxKind kind;
	gint64 ref_id;        /* 0: none */
	gint64 member_id;     /* 0: none */
	gint64 list_id;       /* 0: none */
	char *recipient;
	char *sender;         /* stored envelope sender, or NULL: the VERP return path */
	GBytes *message;      /* stored message, or NULL: render at send time */
	int attempts;         /* attempts before this one */
	gint64 created_at;
} OutboxRow;

/* outbox_row_free - destroy a row; returns NULL */
OutboxRow *outbox_row_free(OutboxRow *row);

/*
 * A renderer builds the message of a row whose message is NULL, at send time, in the main
 * thread (it may read the database). It returns the whole message with CRLF line ends and a
 * To: header naming only row->recipient (the caller owns the bytes), or NULL with error;
 * the error's message becomes the row's smtp_text and the row fails (the run goes on).
 */
typedef GBytes *(*OutboxRenderFn)(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				  const OutboxRow *row, GError **error);

/*
 * A renderer may also come split in two so that copies are built in parallel: prepare runs
 * in the main thread (all SQL: checks, skips, snapshots of shared data) and returns an
 * opaque prepared copy, or NULL with error exactly like render; build then turns it into
 * the message in a worker thread (no PmDb; several builds run at once) with render's
 * contract, and free_prepared destroys it in whichever thread built it.
 */
typedef gpointer (*OutboxPrepareFn)(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				    const OutboxRow *row, GError **error);
typedef GBytes *(*OutboxBuildFn)(gpointer prepared, GError **error);

typedef struct {
	OutboxKind kind;
	OutboxRenderFn render;          /* required: the whole job in the main thread */
	OutboxPrepareFn prepare;        /* optional, with build and free_prepared */
	OutboxBuildFn build;
	GDestroyNotify free_prepared;
} OutboxRenderer;

/* outbox_owner_self - this process's claim identity "BOOT_ID:PID:START_TICKS"; caller frees */
char *outbox_owner_self(void);

/* outbox_owner_alive - TRUE if owner names a process that is still running (this boot,
 * same pid and start time) */
gboolean outbox_owner_alive(const char *owner);

/*
 * outbox_reclaim - rows left 'sending' by owners that are no longer alive become due again
 * at once (queued, or deferred when already attempted). *count gets how many.
 */
gboolean outbox_reclaim(PmDb *db, int *count, GError **error);

/*
 * outbox_release_owner - rows still 'sending' for owner (claims whose results could not be
 * written) become due again at once; *count gets how many. For a sender between passes.
 */
gboolean outbox_release_owner(PmDb *db, const char *owner, int *count, GError **error);

/*
 * outbox_claim - in one transaction, mark up to limit due rows (queued or deferred with
 * next_attempt <= now) 'sending' for owner and return them (OutboxRow*, the array frees
 * them); an empty array when nothing is due. Rows stream from SQLite batch by batch.
 */
GPtrArray *outbox_claim(PmDb *db, const char *owner, int limit, gint64 now, GError **error);

typedef enum {
	OUTBOX_OUT_SENT,      /* the server said 2xx for this recipient */
	OUTBOX_OUT_DEFERRED,  /* 4xx, connection failure: retry with backoff */
	OUTBOX_OUT_FAILED,    /* 5xx or a render error: final */
	OUTBOX_OUT_RELEASED,  /* not attempted (shutdown, hourly limit): due again at not_before */
	OUTBOX_OUT_CANCELLED  /* not handed over: the row was cancelled after its claim */
} OutboxOutcome;

/* The result of one attempt, filled by the transport; outbox_result_free frees it. */
typedef struct {
	gint64 id;
	OutboxOutcome outcome;
	int code;             /* SMTP reply code, 0 when none */
	char *status;         /* enhanced status "5.1.1", or NULL */
	char *text;           /* reply text or a description of the failure */
	char *relay;          /* smtp host name or "maildir", or NULL */
	gboolean recipient_reply; /* code came from RCPT/DATA (counts as a bounce when 5xx) */
	gint64 not_before;    /* RELEASED: earliest next attempt (0: now) */
	/* copied from the row, for bookkeeping and logs */
	gint64 member_id;
	char *recipient;
	int attempts;
	gint64 created_at;
	/* set by outbox_record: the status written, or lost when the row was no longer
	 * claimed by owner (nothing written) */
	OutboxStatus final_status;
	gboolean lost;
	gint64 next_attempt;
} OutboxResult;

/* outbox_result_new - a result for row (copies what bookkeeping needs) */
OutboxResult *outbox_result_new(const OutboxRow *row);

/* outbox_result_free - destroy; returns NULL */
OutboxResult *outbox_result_free(OutboxResult *r);

/* outbox_result_set - fill outcome, reply code, enhanced status and text (copied) */
void outbox_result_set(OutboxResult *r, OutboxOutcome outcome, int code, const char *status,
		       const char *text);

/*
 * outbox_next_attempt - when a row first queued at created, deferred now after attempts
 * attempts (this one included), is tried next: retry_initial doubled per attempt, never
 * past created + max_age; 0 when max_age has passed (the row fails).
 */
gint64 outbox_next_attempt(const PmConfig *cfg, int attempts, gint64 created, gint64 now);

/*
 * outbox_record - write the results (OutboxResult*) of rows claimed by owner in ONE
 * transaction: sent, deferred with backoff (failed past max_age), failed (a 5xx recipient
 * reply is recorded as a bounce), or released. Rows no longer claimed by owner are left
 * alone. Sets each result's final_status and next_attempt.
 */
gboolean outbox_record(PmDb *db, const PmConfig *cfg, const char *owner, GPtrArray *results,
		       gint64 now, GError **error);

typedef struct {
	gint64 queued, sending, sent, deferred, failed, cancelled;
} OutboxCounts;

/* outbox_counts - rows per status */
gboolean outbox_counts(PmDb *db, OutboxCounts *out, GError **error);

/* outbox_flush - make every deferred row due now (like postqueue -f); *count gets how many */
gboolean outbox_flush(PmDb *db, int *count, GError **error);

/* outbox_next_due - the earliest next_attempt of a queued or deferred row (0: none) */
gboolean outbox_next_due(PmDb *db, gint64 *when, GError **error);

/* outbox_sent_last_hour - rows sent through relay in the hour before now */
gboolean outbox_sent_last_hour(PmDb *db, const char *relay, gint64 now, gint64 *count,
			       GError **error);

#endif
