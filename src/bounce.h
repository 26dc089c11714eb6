/*
 * bounce.h - reading bounces: RFC 3464 DSNs, RFC 5965 feedback reports, and the common
 * non-standard formats (Postfix, Exim, Sendmail, qmail, Exchange/Office 365, Gmail, Yahoo,
 * GroupWise, AOL, free text).
 *
 * Owns: finding the failed recipients, their status (5.x.x permanent, 4.x.x transient)
 * and the remote reply. Not: what a bounce does to a member (the bounce score lives in
 * bounce_score.c / inbound), nor VERP token decoding (outbox/token).
 */
#ifndef PM_BOUNCE_H
#define PM_BOUNCE_H

#include <glib.h>
#include <gmime/gmime.h>

typedef enum {
	BOUNCE_NOT = 0,     /* not a bounce */
	BOUNCE_DSN,         /* a delivery failure or delay report */
	BOUNCE_FEEDBACK     /* an abuse/complaint report (ARF) */
} BounceKind;

typedef struct {
	char *address;      /* the failed recipient, lower-cased */
	char *status;       /* "5.1.1", "4.2.2", or NULL when unknown */
	gboolean permanent;
	char *diagnostic;   /* the remote reply, one line, or NULL */
} BounceRecipient;

typedef struct {
	BounceKind kind;
	GPtrArray *recipients;   /* BounceRecipient* */
	char *feedback_type;     /* "abuse", ... for BOUNCE_FEEDBACK */
	char *original_message_id;
} BounceReport;

/* bounce_parse - read msg; always returns a report (kind BOUNCE_NOT when not a bounce); free with bounce_report_free */
BounceReport *bounce_parse(GMimeMessage *msg);

/* bounce_report_free - destroy; returns NULL */
BounceReport *bounce_report_free(BounceReport *r);

/* ==== Scores (bounce_score.c) ==== */

#include "config.h"
#include "db.h"

/*
 * bounce_record - record one bounce of member (0: unknown member, recorded only) for
 * outbox row outbox_id (0: none). A permanent failure adds 1 to the member's score, a
 * transient one 0.25; scores older than bounces.window_days decay away. Past
 * bounces.disable_score the member becomes 'bouncing' and so do its subscriptions (or,
 * with bounces.probe, a probe is queued first and only its bounce disables).
 * The caller holds the transaction.
 */
gboolean bounce_record(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
		       const char *address, const char *status, gboolean permanent,
		       const char *diagnostic, GError **error);

/*
 * bounce_record_at - bounce_record as of unix time now (the window is counted back from
 * it); for tests, imports and replays.
 */
gboolean bounce_record_at(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
			  const char *address, const char *status, gboolean permanent,
			  const char *diagnostic, gint64 now, GError **error);

/* bounce_score - member's current score: its bounces within the window before now */
gboolean bounce_score(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 now,
		      double *score, GError **error);

/* bounce_complaint - an abuse report: unsubscribe member from every list at once */
gboolean bounce_complaint(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
			  const char *feedback_type, GError **error);

#endif
