/*
 * fraud.h - against fraud, without losing anyone: the signing limits, the measure of an
 * unusual share of new signatures, invalidations by condition and their undoing, and
 * clearing or rejecting signatures held as suspect. See docs/petitions.md, "Against
 * fraud".
 *
 * Owns: the invalidations table (one row per invalidation: petition, who, why, the
 * conditions, how many, undone when and by whom); the one signing-limit rule
 * (fraud_sign_limited); the one trending measure (fraud_trend). Every change here is
 * recorded in the petition's history (model/events.h) in the caller's transaction.
 * Not: the signatures themselves (signature.h marks and restores them), telling the
 * organizers (produce/notify.h; produce/trending.h sends the alert), who may act (the
 * command line is the organizers').
 *
 * DIAGNOSTICS: EX_NOUSER for an unknown invalidation; EX_DATAERR for an invalidation
 * already undone or one of another petition; database errors as db.c maps them.
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_FRAUD_H
#define PM_FRAUD_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "model/signature.h"

/* Which signing limit a signature is over. */
typedef enum {
	FRAUD_LIMIT_NONE,
	FRAUD_LIMIT_ADDRESS,    /* this address signed by writing too often in the window */
	FRAUD_LIMIT_DOMAIN,     /* this petition took too many from the address's domain */
	FRAUD_LIMIT_PETITION    /* this petition took too many by writing */
} FraudLimit;

/* fraud_limit_name - "address", "domain", "petition" ("none" for FRAUD_LIMIT_NONE) */
const char *fraud_limit_name(FraudLimit limit);

/*
 * fraud_sign_limited - the one signing-limit rule, for mail to sign+SLUG and the web form
 * alike: would a new signature by writing from address (normalized) on petition_id be
 * over cfg's fraud limits (per address across petitions, per domain on the petition, per
 * petition; signatures by writing or on the web in the last fraud.window seconds)? The
 * limit it is over into *limit (FRAUD_LIMIT_NONE: within them).
 */
gboolean fraud_sign_limited(PmDb *db, const PmConfig *cfg, gint64 petition_id,
			    const char *address, FraudLimit *limit, GError **error);

/* fraud_explain_domain - SQLite's query plan (EXPLAIN QUERY PLAN, one step a line) of the
 * per-domain count of fraud_sign_limited, so a test can see it is an index range and not
 * a scan of the window; caller frees; NULL with error */
char *fraud_explain_domain(PmDb *db, GError **error);

/* fraud_explain_petition - the same for the per-petition count (a test sees it read only
 * the covering partial index signatures_counted); caller frees; NULL with error */
char *fraud_explain_petition(PmDb *db, GError **error);

/* An unusual share of a petition's new signatures. */
typedef struct {
	gboolean trending;
	const char *by;         /* "domain" or "source" (static) */
	char *key;              /* the domain, or web, mail or import */
	gint64 count;           /* its new signatures in the window */
	gint64 total;           /* all new signatures of the petition in the window */
	double usual;           /* its share of the 2,000 signatures (any petition) before */
} FraudTrend;

/* fraud_trend_clear - free what a FraudTrend holds */
void fraud_trend_clear(FraudTrend *t);

/*
 * fraud_trend - the one trending measure: over the last fraud.trend_window seconds, does
 * one sender domain, or one source, account for at least fraud.trend_share of
 * petition_id's new signatures (invalid ones left out), with at least fraud.trend_min of
 * them, and at least twice its usual share (of the last 2,000 signatures of any petition
 * before the window)?
 * The largest such into *t (t->trending FALSE: none).
 */
gboolean fraud_trend(PmDb *db, const PmConfig *cfg, gint64 petition_id, FraudTrend *t,
		     GError **error);

/* fraud_recent_petitions - the ids (gint64) of the open petitions with signatures in
 * the last fraud.trend_window seconds, the ones fraud_trend may find trending; NULL with
 * error */
GArray *fraud_recent_petitions(PmDb *db, const PmConfig *cfg, GError **error);

/* fraud_describe - the conditions of f as text ("domain=x source=web"; "everything");
 * caller frees */
char *fraud_describe(const SignatureFilter *f);

/*
 * fraud_invalidate - invalidate the signatures of petition slug that f matches: a new
 * invalidation (its id into *inv_id) by actor for reason (NULL: none), the count into
 * *count, one "invalidate" event. dry_run: only the count (*inv_id 0), nothing written.
 * The caller holds the transaction.
 */
gboolean fraud_invalidate(PmDb *db, const char *slug, const SignatureFilter *f,
			  const char *actor, const char *reason, gboolean dry_run,
			  gint64 *inv_id, gint64 *count, GError **error);

/* fraud_undo - restore exactly the signatures invalidation inv_id of petition slug marked
 * (their status before); *count gets how many; one "undo" event. The caller holds the
 * transaction. */
gboolean fraud_undo(PmDb *db, const char *slug, gint64 inv_id, const char *actor,
		    gint64 *count, GError **error);

/* What fraud_clear did. */
typedef struct {
	gint64 counted;         /* cleared, their signers had confirmed: counted now */
	gint64 pending;         /* cleared, awaiting their signers' confirmation */
	gint64 rejected;        /* rejected: invalid (invalidation inv_id) */
	gint64 inv_id;
} FraudCleared;

/*
 * fraud_clear - the suspect signatures of petition slug held no longer (all of them, or
 * those of the given normalized addresses): counted when their signers confirmed, else
 * pending until they do; one "clear" event. reject: invalidated instead (an invalidation
 * with reason "rejected suspect", undoable), one "reject" event. An address without a
 * suspect signature there is an EX_NOUSER error naming it. The caller holds the
 * transaction (and rolls back on error).
 */
gboolean fraud_clear(PmDb *db, const char *slug, char **addresses, gboolean reject,
		     const char *actor, FraudCleared *out, GError **error);

/* fraud_suspects_of - signature_suspects of petition slug (EX_NOUSER if unknown) */
GPtrArray *fraud_suspects_of(PmDb *db, const char *slug, GError **error);

/* fraud_history_of - events_history of petition slug (EX_NOUSER if unknown) */
GPtrArray *fraud_history_of(PmDb *db, const char *slug, GError **error);

#endif
