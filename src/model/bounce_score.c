/*
 * bounce_score.c - what a bounce does to a member: the bounces table and the score.
 *
 * Owns: recording bounces and complaints (rows of `bounces`, the only writer), computing
 * members' bounce scores, and deciding when a member and its subscriptions switch to
 * 'bouncing' (bounces) or 'unsubscribed' (complaints); member.c and list.c write those
 * changes. Not: reading bounce messages (bounce.c), matching a bounce to its member and
 * outbox row (inbound, via the VERP token), sending probes (produce/probe.c).
 *
 * Score: a sliding window, recomputed from the table on every bounce. A permanent
 * bounce (kind 'bounce', permanent 1) weighs 1.0, a transient one 0.25, and only
 * bounces newer than bounces.window_days count; members.bounce_score caches the sum and
 * members.bounce_at the time of the last bounce. Recomputing (rather than decaying a
 * stored number) keeps the score exact, explainable from the rows, and lets an old
 * bounce leave the window without any periodic job. bounces_member(member_id,
 * created_at) makes the sum an index range.
 *
 * When the score reaches bounces.disable_score (>=; 0 disables on the first bounce) an
 * active member becomes 'bouncing' and so do its active subscriptions (list mail stops).
 * With bounces.probe, it is not disabled yet: a row of kind 'probe-due' records that a
 * probe is owed (one per window), for the scheduler to queue as an outbox row of kind
 * 'probe' to the member. A permanent bounce of a probe row disables at once; a delay
 * of a probe only counts toward the score like any other.
 *
 * Complaints (ARF abuse reports) unsubscribe the member from every list at once and
 * are recorded as kind 'complaint'; "not-spam" and "auth-failure" reports are recorded
 * but change nothing (they are not the recipient asking to stop).
 *
 * Every function runs inside the caller's transaction and binds every value.
 * DIAGNOSTICS: database errors as PM_ERROR (db.h: busy and full are EX_TEMPFAIL).
 */
#include <string.h>
#include "model/bounce_score.h"
#include "model/list.h"
#include "model/member.h"
#include "mail/bounce.h"
#include "model/member.h"
#include "base/pm.h"

#define WEIGHT_PERMANENT 1.0
#define WEIGHT_TRANSIENT 0.25

/* window_start - the oldest time still counted at now */
static gint64 window_start(const PmConfig *cfg, gint64 now)
{
	gint64 days = cfg->bounce_window_days > 0 ? cfg->bounce_window_days : 7;

	return now - days * 86400;
}

/*
 * member_status - the status of member id into *status (*found FALSE when there is no
 * such member). FALSE on a database error.
 */
static gboolean member_status(PmDb *db, gint64 id, gboolean *found, MemberStatus *status,
			      GError **error)
{
	char *s = NULL;

	if (!db_text(db, error, &s, "SELECT status FROM members WHERE id = ?", "i", id))
		return FALSE;
	*found = member_status_parse(s, status);
	g_free(s);
	return TRUE;
}

/* outbox_kind - the kind of outbox row id into *kind (caller frees; NULL: no such row) */
static gboolean outbox_kind(PmDb *db, gint64 id, char **kind, GError **error)
{
	*kind = NULL;
	return id <= 0 || db_text(db, error, kind, "SELECT kind FROM outbox WHERE id = ?", "i", id);
}

/* bounce_score - the member's score: its bounces within the window before now, one per
 * outbox message */
gboolean bounce_score(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 now,
		      double *score, GError **error)
{
	return db_double(db, error, score, 0,
		/* several reports about one outbox message count once (the heaviest) */
		"SELECT COALESCE(SUM(w), 0) FROM (SELECT MAX(CASE WHEN permanent THEN ? ELSE ? END) "
		"AS w FROM bounces WHERE member_id = ? AND kind = 'bounce' AND created_at > ? AND "
		"created_at <= ? GROUP BY COALESCE(outbox_id, -id))",
		"ddiii", WEIGHT_PERMANENT, WEIGHT_TRANSIENT, member_id, window_start(cfg, now), now);
}

/* disable - an active member and its active subscriptions become 'bouncing' */
static gboolean disable(PmDb *db, gint64 member_id, gint64 now, GError **error)
{
	return member_mark_bouncing(db, member_id, now, error) &&
	       subscription_mark_bouncing(db, member_id, now, error);
}

/* probe_due - record that member owes a probe, unless one is already owed in the window */
static gboolean probe_due(PmDb *db, const PmConfig *cfg, gint64 member_id, const char *address,
			  double score, gint64 now, GError **error)
{
	gint64 pending = 0;
	char *why;
	gboolean ok;

	if (!db_int(db, error, &pending, 0,
		    "SELECT count(*) FROM bounces WHERE member_id = ? AND kind = 'probe-due' "
		    "AND created_at > ?", "ii", member_id, window_start(cfg, now)))
		return FALSE;
	if (pending > 0)
		return TRUE;
	why = g_strdup_printf("score %.2f reached %.2f", score, cfg->bounce_disable_score);
	ok = db_exec(db, error,
		     "INSERT INTO bounces (member_id, address, permanent, kind, diagnostic, created_at) "
		     "VALUES (?, ?, 0, 'probe-due', ?, ?)", "itti", member_id, address, why, now);
	g_free(why);
	return ok;
}

/* bounce_record_at - record one bounce as of now and apply it to the member's score */
gboolean bounce_record_at(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
			  const char *address, const char *status, gboolean permanent,
			  const char *diagnostic, gint64 now, GError **error)
{
	char *okind = NULL;
	MemberStatus mstatus = MEMBER_STATUS_ACTIVE;
	gboolean known = FALSE;
	double score = 0;
	gboolean ok = FALSE;

	if (member_id > 0 && !member_status(db, member_id, &known, &mstatus, error))
		return FALSE;
	if (!known)
		member_id = 0;          /* unknown (or deleted) member: recorded only */
	if (!outbox_kind(db, outbox_id, &okind, error))
		goto out;
	if (okind == NULL)
		outbox_id = 0;
	if (!db_exec(db, error,
		     "INSERT INTO bounces (member_id, outbox_id, address, status, permanent, kind, "
		     "diagnostic, created_at) VALUES (NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, 'bounce', ?, ?)",
		     "iittiti", member_id, outbox_id, address, status, (gint64)(permanent ? 1 : 0),
		     diagnostic, now))
		goto out;
	if (member_id == 0) {
		ok = TRUE;
		goto out;
	}
	if (!bounce_score(db, cfg, member_id, now, &score, error) ||
	    !member_set_bounce_score(db, member_id, score, now, error))
		goto out;
	if (mstatus != MEMBER_STATUS_ACTIVE) {
		ok = TRUE;              /* already bouncing, unsubscribed or forgotten */
		goto out;
	}
	if (permanent && okind && strcmp(okind, "probe") == 0)
		ok = disable(db, member_id, now, error);
	else if (score >= cfg->bounce_disable_score)
		ok = cfg->bounce_probe ? probe_due(db, cfg, member_id, address, score, now, error)
				       : disable(db, member_id, now, error);
	else
		ok = TRUE;
out:
	g_free(okind);
	return ok;
}

/* bounce_record - record one bounce now and apply it to the member's score */
gboolean bounce_record(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
		       const char *address, const char *status, gboolean permanent,
		       const char *diagnostic, GError **error)
{
	return bounce_record_at(db, cfg, member_id, outbox_id, address, status, permanent,
				diagnostic, pm_now(), error);
}

/* bounce_complaint - an abuse report: unsubscribe member from every list at once */
gboolean bounce_complaint(PmDb *db, const PmConfig *cfg, gint64 member_id, gint64 outbox_id,
			  const char *feedback_type, GError **error)
{
	gint64 now = pm_now();
	char *okind = NULL;
	MemberStatus mstatus = MEMBER_STATUS_ACTIVE;
	gboolean known = FALSE;
	const char *type = feedback_type ? feedback_type : "abuse";
	gboolean ok = FALSE;

	if (member_id > 0 && !member_status(db, member_id, &known, &mstatus, error))
		return FALSE;
	if (!known)
		member_id = 0;
	if (!outbox_kind(db, outbox_id, &okind, error))
		goto out;
	if (okind == NULL)
		outbox_id = 0;
	if (!db_exec(db, error,
		     "INSERT INTO bounces (member_id, outbox_id, address, permanent, kind, diagnostic, "
		     "created_at) VALUES (NULLIF(?1, 0), NULLIF(?2, 0), "
		     "(SELECT email FROM members WHERE id = ?1), 1, 'complaint', ?3, ?4)",
		     "iiti", member_id, outbox_id, type, now))
		goto out;
	if (member_id == 0 || g_ascii_strcasecmp(type, "not-spam") == 0 ||
	    g_ascii_strcasecmp(type, "auth-failure") == 0) {
		ok = TRUE;
		goto out;
	}
	ok = subscription_unsubscribe_all(db, member_id, now, error) &&
	     member_mark_unsubscribed(db, member_id, now, error);
out:
	g_free(okind);
	return ok;
}

/* bounce_forget_member - the member's bounces lose the address and the diagnostic */
gboolean bounce_forget_member(PmDb *db, gint64 member_id, GError **error)
{
	return db_exec(db, error, "UPDATE bounces SET address = NULL, diagnostic = NULL WHERE "
		       "member_id = ?", "i", member_id);
}

/* bounce_probes_owed - active members with a probe owed and none queued since */
GArray *bounce_probes_owed(PmDb *db, GError **error)
{
	return db_ids(db, error,
		"SELECT DISTINCT b.member_id FROM bounces b JOIN members m ON m.id = b.member_id "
		"WHERE b.kind = 'probe-due' AND m.status = 'active' AND m.email IS NOT NULL AND "
		"NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'probe' AND o.member_id = "
		"b.member_id AND o.created_at >= b.created_at)", NULL);
}
