/*
 * fraud.c - signing limits, the trending measure, invalidations and clearing.
 *
 * DIAGNOSTICS: see fraud.h.
 */
#include <string.h>
#include <sysexits.h>
#include "model/fraud.h"
#include "model/events.h"
#include "model/petition.h"
#include "base/pm.h"

/* A signature's source as a group. Its sender domain is its own column (schema 12: the
 * signer's address domain, NULL without a member or once they are forgotten), read by
 * the signing limit, the trending measure and the invalidations alike, never joined
 * from members */
#define SOURCE_OF "CASE WHEN s.source IN ('reply', 'writing') THEN 'mail' ELSE s.source END"
#define USUAL_SAMPLE 2000   /* the signatures before a window that say what is usual */

static const char *const limit_names[] = {
	[FRAUD_LIMIT_NONE] = "none", [FRAUD_LIMIT_ADDRESS] = "address",
	[FRAUD_LIMIT_DOMAIN] = "domain", [FRAUD_LIMIT_PETITION] = "petition",
};

/* fraud_limit_name - the limit's name */
const char *fraud_limit_name(FraudLimit limit)
{
	return (unsigned)limit < G_N_ELEMENTS(limit_names) ? limit_names[limit] : NULL;
}

/* The per-domain count: ?1 petition, ?2 domain, ?3 since, ?4 the limit. A range of the
 * signatures_domain index (petition, domain, time; schema 12): a rare domain on a petition
 * signed thousands of times in the window reads only its own rows (fraud_explain_domain) */
#define DOMAIN_COUNT "SELECT count(*) FROM (SELECT 1 FROM signatures s WHERE " \
	"s.petition_id = ?1 AND s.domain = lower(?2) AND s.created_at >= ?3 AND " \
	"s.source IN ('writing', 'web') LIMIT ?4)"

/* The per-petition count: ?1 petition, ?2 since, ?3 the limit. The partial index
 * signatures_counted (schema 13) covers it: no table row is read */
#define PETITION_COUNT "SELECT count(*) FROM (SELECT 1 FROM signatures s WHERE " \
	"s.petition_id = ?1 AND s.created_at >= ?2 AND s.source IN ('writing', 'web') LIMIT ?3)"

/* fraud_sign_limited - the one signing-limit rule; each count stops at its limit (only
 * "reached or not" matters), so a petition signed 100,000 times within the window costs
 * no more per message than one at the limit, and the domain is an index range. */
gboolean fraud_sign_limited(PmDb *db, const PmConfig *cfg, gint64 petition_id,
			    const char *address, FraudLimit *limit, GError **error)
{
	gint64 since = pm_now() - cfg->fraud.window, n = 0;
	const char *at = strrchr(address, '@');

	*limit = FRAUD_LIMIT_NONE;
	if (cfg->fraud.per_address > 0) {
		if (!db_int(db, error, &n, 0, "SELECT count(*) FROM (SELECT 1 FROM signatures s "
			    "JOIN members m ON m.id = s.member_id WHERE m.email = ? AND s.source IN "
			    "('writing', 'web') AND s.created_at >= ? LIMIT ?)", "tii", address, since,
			    (gint64)cfg->fraud.per_address))
			return FALSE;
		if (n >= cfg->fraud.per_address) {
			*limit = FRAUD_LIMIT_ADDRESS;
			return TRUE;
		}
	}
	if (cfg->fraud.per_domain > 0 && at) {
		if (!db_int(db, error, &n, 0, DOMAIN_COUNT, "itii", petition_id, at + 1, since,
			    (gint64)cfg->fraud.per_domain))
			return FALSE;
		if (n >= cfg->fraud.per_domain) {
			*limit = FRAUD_LIMIT_DOMAIN;
			return TRUE;
		}
	}
	if (cfg->fraud.per_petition > 0) {
		if (!db_int(db, error, &n, 0, PETITION_COUNT, "iii", petition_id, since,
			    (gint64)cfg->fraud.per_petition))
			return FALSE;
		if (n >= cfg->fraud.per_petition)
			*limit = FRAUD_LIMIT_PETITION;
	}
	return TRUE;
}

/* explain_plan - the plan of st (an EXPLAIN QUERY PLAN from db_query), one line a step */
static char *explain_plan(PmDb *db, sqlite3_stmt *st, GError **error)
{
	GString *plan = g_string_new(NULL);
	GError *e = NULL;

	if (st == NULL)
		return g_string_free(plan, TRUE);
	while (db_step(db, st, &e)) {
		g_string_append(plan, (const char *)sqlite3_column_text(st, 3));
		g_string_append_c(plan, '\n');
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return g_string_free(plan, TRUE);
	}
	return g_string_free(plan, FALSE);
}

/* fraud_explain_domain - the query plan of the per-domain count, one line per step */
char *fraud_explain_domain(PmDb *db, GError **error)
{
	return explain_plan(db, db_query(db, error, "EXPLAIN QUERY PLAN " DOMAIN_COUNT, "itii",
					 (gint64)1, "example.org", (gint64)0, (gint64)1), error);
}

/* fraud_explain_petition - the query plan of the per-petition count, one line per step */
char *fraud_explain_petition(PmDb *db, GError **error)
{
	return explain_plan(db, db_query(db, error, "EXPLAIN QUERY PLAN " PETITION_COUNT, "iii",
					 (gint64)1, (gint64)0, (gint64)1), error);
}

/* fraud_trend_clear - free the key */
void fraud_trend_clear(FraudTrend *t)
{
	g_clear_pointer(&t->key, g_free);
}

/* read_top - the row's key and count into out (FraudTrend; DbReadFn) */
static void read_top(sqlite3_stmt *st, gpointer out)
{
	FraudTrend *t = out;

	t->key = db_col_text(st, 0);
	t->count = sqlite3_column_int64(st, 1);
}

/* top - the largest group (by the query st) of the window: key and count; FALSE on error */
static gboolean top(PmDb *db, sqlite3_stmt *st, char **key, gint64 *count, GError **error)
{
	FraudTrend t = { 0 };
	gboolean ok = db_row(db, st, read_top, &t, error);

	*key = t.key;
	*count = t.count;
	return ok;
}

/* read_share - the second column's share of the first into *(double *)out (DbReadFn) */
static void read_share(sqlite3_stmt *st, gpointer out)
{
	if (sqlite3_column_int64(st, 0) > 0)
		*(double *)out = (double)sqlite3_column_int64(st, 1) /
				 (double)sqlite3_column_int64(st, 0);
}

/* usual - the share of key among the USUAL_SAMPLE signatures before the window (st counts
 * all, then key's) */
static gboolean usual(PmDb *db, sqlite3_stmt *st, double *share, GError **error)
{
	*share = 0;
	return db_row(db, st, read_share, share, error);
}

/* large - is count of total a large enough share to look at its usual share? */
static gboolean large(const PmConfig *cfg, gint64 count, gint64 total)
{
	return count >= cfg->fraud.trend_min && total > 0 &&
	       (double)count / (double)total >= cfg->fraud.trend_share;
}

/* fraud_trend - the one trending measure */
gboolean fraud_trend(PmDb *db, const PmConfig *cfg, gint64 petition_id, FraudTrend *t,
		     GError **error)
{
	gint64 start = pm_now() - cfg->fraud.trend_window;
	gint64 count = 0;
	double share = 0;
	char *key = NULL;

	memset(t, 0, sizeof *t);
	if (!db_int(db, error, &t->total, 0, "SELECT count(*) FROM signatures WHERE "
		    "petition_id = ? AND created_at >= ? AND status != 'invalid'", "ii",
		    petition_id, start))
		return FALSE;
	if (t->total < cfg->fraud.trend_min)
		return TRUE;
	/* one domain */
	if (!top(db, db_query(db, error, "SELECT s.domain, count(*) FROM signatures s WHERE "
			      "s.petition_id = ? AND s.created_at >= ? AND s.status != 'invalid' AND "
			      "s.domain IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1", "ii",
			      petition_id, start),
		 &key, &count, error) ||
	    (key && large(cfg, count, t->total) &&
	     !usual(db, db_query(db, error, "SELECT count(*), coalesce(sum(s.domain = ?), 0) "
					"FROM (SELECT domain FROM signatures WHERE created_at < ? "
					"ORDER BY created_at DESC LIMIT ?) s", "tii", key, start,
					(gint64)USUAL_SAMPLE), &share, error))) {
		g_free(key);
		return FALSE;
	}
	if (key && large(cfg, count, t->total) &&
	    (double)count / (double)t->total >= 2 * share) {
		t->trending = TRUE;
		t->by = "domain";
		t->key = key;
		t->count = count;
		t->usual = share;
		return TRUE;
	}
	g_free(key);
	/* one source */
	if (!top(db, db_query(db, error, "SELECT " SOURCE_OF ", count(*) FROM signatures s WHERE "
			      "s.petition_id = ? AND s.created_at >= ? AND s.status != 'invalid' "
			      "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1", "ii", petition_id, start),
		 &key, &count, error) ||
	    (key && large(cfg, count, t->total) &&
	     !usual(db, db_query(db, error, "SELECT count(*), coalesce(sum(" SOURCE_OF
					" = ?), 0) FROM (SELECT source FROM signatures WHERE "
					"created_at < ? ORDER BY created_at DESC LIMIT ?) s", "tii", key,
					start, (gint64)USUAL_SAMPLE), &share, error))) {
		g_free(key);
		return FALSE;
	}
	if (key && large(cfg, count, t->total) &&
	    (double)count / (double)t->total >= 2 * share) {
		t->trending = TRUE;
		t->by = "source";
		t->key = key;
		t->count = count;
		t->usual = share;
		return TRUE;
	}
	g_free(key);
	return TRUE;
}

/* fraud_recent_petitions - open petitions with new signatures in the trend window */
GArray *fraud_recent_petitions(PmDb *db, const PmConfig *cfg, GError **error)
{
	return db_ids(db, error, "SELECT DISTINCT s.petition_id FROM signatures s JOIN petitions "
		      "p ON p.id = s.petition_id WHERE s.created_at >= ? AND p.status = 'open' "
		      "ORDER BY 1", "i", pm_now() - cfg->fraud.trend_window);
}

/* fraud_describe - the filter as text */
char *fraud_describe(const SignatureFilter *f)
{
	GString *s = g_string_new(NULL);

	if (f->domain)
		g_string_append_printf(s, " domain=%s", f->domain);
	if (f->postcode)
		g_string_append_printf(s, " postcode=%s", f->postcode);
	if (f->since) {
		char *t = pm_time_iso(f->since);

		g_string_append_printf(s, " since=%s", t);
		g_free(t);
	}
	if (f->until) {
		char *t = pm_time_iso(f->until);

		g_string_append_printf(s, " until=%s", t);
		g_free(t);
	}
	if (f->source)
		g_string_append_printf(s, " source=%s", f->source);
	if (f->suspect_only)
		g_string_append(s, " suspect");
	if (f->id)
		g_string_append_printf(s, " signature=%" G_GINT64_FORMAT, f->id);
	if (s->len == 0)
		g_string_append(s, " everything");
	g_string_erase(s, 0, 1);
	return g_string_free(s, FALSE);
}

/* new_invalidation - an invalidations row (count filled in later) */
static gint64 new_invalidation(PmDb *db, gint64 petition_id, const char *actor,
			       const char *reason, const char *conditions, GError **error)
{
	if (!db_exec(db, error, "INSERT INTO invalidations(petition_id, actor, reason, "
		     "conditions, created_at) VALUES (?, ?, ?, ?, ?)", "ittti", petition_id,
		     actor, reason, conditions, pm_now()))
		return 0;
	return db_last_id(db);
}

/* set_count - an invalidation's count */
static gboolean set_count(PmDb *db, gint64 inv_id, gint64 count, GError **error)
{
	return db_exec(db, error, "UPDATE invalidations SET count = ? WHERE id = ?", "ii", count,
		       inv_id);
}

/* petition_id_of - the id of petition slug; 0 with the one "unknown petition" error */
static gint64 petition_id_of(PmDb *db, const char *slug, GError **error)
{
	Petition *p = petition_need(db, slug, error);
	gint64 id = p ? p->id : 0;

	petition_free(p);
	return id;
}

/* fraud_invalidate - invalidate by condition, or count what would be */
gboolean fraud_invalidate(PmDb *db, const char *slug, const SignatureFilter *f,
			  const char *actor, const char *reason, gboolean dry_run,
			  gint64 *inv_id, gint64 *count, GError **error)
{
	gint64 petition_id = petition_id_of(db, slug, error);
	char *cond, *detail;
	gboolean ok;

	*inv_id = 0;
	if (petition_id == 0)
		return FALSE;
	if (dry_run)
		return signature_count_matching(db, petition_id, f, count, error);
	cond = fraud_describe(f);
	ok = (*inv_id = new_invalidation(db, petition_id, actor, reason, cond, error)) != 0 &&
	     signature_invalidate(db, petition_id, f, *inv_id, count, error) &&
	     set_count(db, *inv_id, *count, error);
	if (ok) {
		detail = g_strdup_printf("invalidation %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
					 " signatures (%s)%s%s", *inv_id, *count, cond,
					 reason ? ": " : "", reason ? reason : "");
		ok = events_record(db, "invalidate", petition_id, actor, detail, error);
		g_free(detail);
	}
	g_free(cond);
	return ok;
}

/* fraud_undo - restore one invalidation's signatures */
gboolean fraud_undo(PmDb *db, const char *slug, gint64 inv_id, const char *actor,
		    gint64 *count, GError **error)
{
	gint64 petition_id = petition_id_of(db, slug, error), pid = 0, undone = 0;
	char *detail;
	gboolean ok;

	if (petition_id == 0 || !db_int(db, error, &pid, 0, "SELECT petition_id FROM invalidations WHERE id = ?",
		    "i", inv_id) ||
	    !db_int(db, error, &undone, 0, "SELECT undone_at IS NOT NULL FROM invalidations "
		    "WHERE id = ?", "i", inv_id))
		return FALSE;
	if (pid == 0 || pid != petition_id) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "unknown invalidation %" G_GINT64_FORMAT
			    " of this petition", inv_id);
		return FALSE;
	}
	if (undone) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "invalidation %" G_GINT64_FORMAT
			    " was undone already", inv_id);
		return FALSE;
	}
	if (!signature_restore(db, inv_id, count, error) ||
	    !db_exec(db, error, "UPDATE invalidations SET undone_at = ?, undone_by = ? WHERE "
		     "id = ?", "iti", pm_now(), actor, inv_id))
		return FALSE;
	detail = g_strdup_printf("invalidation %" G_GINT64_FORMAT " undone: %" G_GINT64_FORMAT
				 " signatures restored", inv_id, *count);
	ok = events_record(db, "undo", petition_id, actor, detail, error);
	g_free(detail);
	return ok;
}

/* fraud_clear - lift the hold on suspect signatures, or reject them */
gboolean fraud_clear(PmDb *db, const char *slug, char **addresses, gboolean reject,
		     const char *actor, FraudCleared *out, GError **error)
{
	gint64 petition_id = petition_id_of(db, slug, error);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	gboolean some = addresses && addresses[0], ok = FALSE;
	SignatureFilter f = { 0 };
	char *detail = NULL;

	memset(out, 0, sizeof *out);
	f.suspect_only = TRUE;
	if (petition_id == 0)
		goto out;
	for (guint i = 0; some && addresses[i]; i++) {
		gint64 id = 0;

		if (!signature_suspect_of(db, petition_id, addresses[i], &id, error))
			goto out;
		if (id == 0) {
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s has no suspect signature on "
				    "%s", addresses[i], slug);
			goto out;
		}
		g_array_append_val(ids, id);
	}
	if (reject && (out->inv_id = new_invalidation(db, petition_id, actor, "rejected suspect",
						      some ? "suspect (by address)" : "suspect",
						      error)) == 0)
		goto out;
	for (guint i = 0; i < (some ? ids->len : 1u); i++) {
		gint64 c = 0, p = 0;

		f.id = some ? g_array_index(ids, gint64, i) : 0;
		if (reject ? !signature_invalidate(db, petition_id, &f, out->inv_id, &c, error)
			   : !signature_clear(db, petition_id, &f, &c, &p, error))
			goto out;
		if (reject)
			out->rejected += c;
		else
			out->counted += c;
		out->pending += p;
	}
	if (reject) {
		if (!set_count(db, out->inv_id, out->rejected, error))
			goto out;
		detail = g_strdup_printf("invalidation %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
					 " suspect signatures rejected", out->inv_id, out->rejected);
	} else {
		detail = g_strdup_printf("%" G_GINT64_FORMAT " suspect signatures cleared (%"
					 G_GINT64_FORMAT " counted, %" G_GINT64_FORMAT
					 " awaiting their signers)", out->counted + out->pending,
					 out->counted, out->pending);
	}
	ok = events_record(db, reject ? "reject" : "clear", petition_id, actor, detail, error);
out:
	g_free(detail);
	g_array_unref(ids);
	return ok;
}

/* fraud_suspects_of - the suspects of a petition by slug */
GPtrArray *fraud_suspects_of(PmDb *db, const char *slug, GError **error)
{
	gint64 id = petition_id_of(db, slug, error);

	return id ? signature_suspects(db, id, error) : NULL;
}

/* fraud_history_of - the history of a petition by slug */
GPtrArray *fraud_history_of(PmDb *db, const char *slug, GError **error)
{
	gint64 id = petition_id_of(db, slug, error);

	return id ? events_history(db, id, error) : NULL;
}
