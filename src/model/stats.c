/*
 * stats.c - aggregate counts, read only.
 */
#include <string.h>
#include "model/member.h"
#include "base/pm.h"
#include "model/stats.h"
#include "model/events.h"

/* count_free - a StatsCount */
static void count_free(gpointer p)
{
	StatsCount *c = p;

	g_free(c->name);
	g_free(c);
}

/* count_row - one name -> count row */
static gpointer count_row(sqlite3_stmt *st)
{
	StatsCount *c = g_new0(StatsCount, 1);

	c->name = db_col_text(st, 0);
	c->count = sqlite3_column_int64(st, 1);
	return c;
}

/* counts_of - name -> count rows of a two-column query; NULL with error */
static GPtrArray *counts_of(PmDb *db, sqlite3_stmt *st, GError **error)
{
	return db_rows(db, st, count_row, count_free, error);
}

/* ==== Lists ==== */

/* stats_list_free - destroy */
ListStats *stats_list_free(ListStats *s)
{
	if (s) {
		list_free(s->list);
		g_free(s);
	}
	return NULL;
}

/* list_stats - counts for l (taken over); NULL with error (l freed) */
static ListStats *list_stats(PmDb *db, List *l, GError **error)
{
	ListStats *s = g_new0(ListStats, 1);

	s->list = l;
	/* a configured list not created yet has no subscriptions */
	if (l->id && !list_counts(db, l->id, &s->active, &s->pending, &s->unsubscribed,
				  &s->bouncing, error))
		return stats_list_free(s);
	return s;
}

/* stats_list_need - one list */
ListStats *stats_list_need(PmDb *db, const PmConfig *cfg, const char *name, GError **error)
{
	List *l = list_need_view(db, cfg, name, error);

	return l ? list_stats(db, l, error) : NULL;
}

/* list_stats_destroy - stats_list_free for GDestroyNotify */
static void list_stats_destroy(gpointer s)
{
	stats_list_free(s);
}

/* stats_lists - every list */
GPtrArray *stats_lists(PmDb *db, const PmConfig *cfg, GError **error)
{
	GPtrArray *lists = list_all_view(db, cfg, error), *out;

	if (lists == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func(list_stats_destroy);
	for (guint i = 0; i < lists->len; i++) {
		/* the stats take the list over */
		ListStats *s = list_stats(db, g_steal_pointer(&lists->pdata[i]), error);

		if (s == NULL) {
			g_ptr_array_unref(out);
			out = NULL;
			break;
		}
		g_ptr_array_add(out, s);
	}
	g_ptr_array_unref(lists);
	return out;
}

/* ==== Petitions ==== */

/* stats_petition_free - destroy */
PetitionStats *stats_petition_free(PetitionStats *s)
{
	if (s) {
		petition_free(s->petition);
		if (s->by_district)
			g_ptr_array_unref(s->by_district);
		if (s->by_day)
			g_ptr_array_unref(s->by_day);
		g_free(s);
	}
	return NULL;
}

/* petition_stats - counts for p (taken over); NULL with error (p freed) */
static PetitionStats *petition_stats(PmDb *db, Petition *p, gboolean by_day, GError **error)
{
	PetitionStats *s = g_new0(PetitionStats, 1);

	s->petition = p;
	if (!petition_counts(db, p->id, &s->confirmed, &s->pending, error) ||
	    !events_count(db, "reply-declined", p->id, &s->declined, error) ||
	    !events_count(db, "signature-withdrawn", p->id, &s->withdrawn, error) ||
	    (s->by_district = counts_of(db, db_query(db, error,
		"SELECT coalesce(m.district, s.district, 'unknown'), count(*) FROM signatures s "
		"LEFT JOIN members m ON m.id = s.member_id WHERE s.petition_id = ? AND "
		"s.status = 'confirmed' GROUP BY 1 ORDER BY 1", "i", p->id), error)) == NULL ||
	    (by_day && (s->by_day = counts_of(db, db_query(db, error,
		"SELECT date(coalesce(confirmed_at, created_at), 'unixepoch'), count(*) "
		"FROM signatures WHERE petition_id = ? AND status = 'confirmed' "
		"GROUP BY 1 ORDER BY 1", "i", p->id), error)) == NULL))
		return stats_petition_free(s);
	return s;
}

/* stats_petition_need - one petition */
PetitionStats *stats_petition_need(PmDb *db, const char *slug, gboolean by_day,
				   GError **error)
{
	Petition *p = petition_need(db, slug, error);

	return p ? petition_stats(db, p, by_day, error) : NULL;
}

/* petition_stats_destroy - stats_petition_free for GDestroyNotify */
static void petition_stats_destroy(gpointer s)
{
	stats_petition_free(s);
}

/* stats_petitions - every petition */
GPtrArray *stats_petitions(PmDb *db, gboolean by_day, GError **error)
{
	GArray *ids = petition_list_ids(db, error);
	GPtrArray *out;
	gboolean ok = TRUE;

	if (ids == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func(petition_stats_destroy);
	for (guint i = 0; ok && i < ids->len; i++) {
		Petition *p = petition_need_id(db, g_array_index(ids, gint64, i), error);
		PetitionStats *s = p ? petition_stats(db, p, by_day, error) : NULL;

		if (s)
			g_ptr_array_add(out, s);
		ok = s != NULL;
	}
	g_array_unref(ids);
	if (!ok) {
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

/* ==== Everything ==== */

/* stats_free - destroy */
Stats *stats_free(Stats *s)
{
	if (s) {
		if (s->lists)
			g_ptr_array_unref(s->lists);
		if (s->petitions)
			g_ptr_array_unref(s->petitions);
		if (s->newsletters)
			g_ptr_array_unref(s->newsletters);
		g_free(s);
	}
	return NULL;
}

/* stats_get - everything */
Stats *stats_get(PmDb *db, const PmConfig *cfg, GError **error)
{
	static const MemberStatus statuses[] = { MEMBER_STATUS_ACTIVE, MEMBER_STATUS_BOUNCING,
						 MEMBER_STATUS_UNSUBSCRIBED,
						 MEMBER_STATUS_FORGOTTEN };
	Stats *s = g_new0(Stats, 1);
	gint64 *counts[] = { &s->active, &s->bouncing, &s->unsubscribed, &s->forgotten };

	for (guint i = 0; i < G_N_ELEMENTS(statuses); i++) {
		if (!db_int(db, error, counts[i], 0, "SELECT count(*) FROM members WHERE status = ?",
			    "t", member_status_name(statuses[i])))
			return stats_free(s);
		s->total += *counts[i];
	}
	if ((s->lists = stats_lists(db, cfg, error)) == NULL ||
	    (s->petitions = stats_petitions(db, TRUE, error)) == NULL ||
	    (s->newsletters = newsletter_report_all(db, error)) == NULL)
		return stats_free(s);
	return s;
}
