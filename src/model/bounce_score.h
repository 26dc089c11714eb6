/*
 * bounce_score.h - what a bounce does to a member: per-member bounce scores over a window,
 * disabling past the threshold (or probing first), complaints.
 *
 * Owns: the bounces table (every write to it is here). Not: reading bounce formats
 * (mail/bounce.h), the members and subscriptions tables (member.h, list.h write what a
 * bounce changes there).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_BOUNCE_SCORE_H
#define PM_BOUNCE_SCORE_H

#include "base/config.h"
#include "base/db.h"

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

/* bounce_score - member's current score: its bounces within the window before now, each
 * outbox message counted once (its heaviest report) */
gboolean bounce_score(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 now,
		      double *score, GError **error);

/* bounce_complaint - an abuse report: unsubscribe member from every list at once */
gboolean bounce_complaint(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
			  const char *feedback_type, GError **error);

/*
 * bounce_forget_member - the part of forgetting member_id held here: the addresses and
 * diagnostics of their bounces are cleared; the rows stay (counts, the score's history).
 */
gboolean bounce_forget_member(PmDb *db, gint64 member_id, GError **error);

/*
 * bounce_probes_owed - the members who owe a probe (a 'probe-due' row, still active, no
 * probe queued since): GArray of gint64 member ids (caller unrefs), NULL with error.
 */
GArray *bounce_probes_owed(PmDb *db, GError **error);

#endif
