/*
 * trending.c - one notice to the organizers when a petition's new signatures trend.
 */
#include "produce/trending.h"
#include "produce/notify.h"
#include "model/events.h"
#include "model/fraud.h"
#include "base/log.h"
#include "base/pm.h"

/* trending_check - measure; alert once per window */
gboolean trending_check(PmDb *db, const PmConfig *cfg, const Petition *p, gboolean *sent,
			GError **error)
{
	FraudTrend t;
	gboolean recent = FALSE, ok;
	JsonObject *o;
	JsonNode *data;
	Notice n = { "trending", NULL, NULL, p->id, NULL, NULL, NULL };
	char *detail, *since;
	guint told = 0;

	if (sent)
		*sent = FALSE;
	if (!events_recent(db, "trending", p->id, pm_now() - cfg->fraud.trend_window, &recent,
			   error))
		return FALSE;
	if (recent)
		return TRUE;   /* told already in this window */
	if (!fraud_trend(db, cfg, p->id, &t, error))
		return FALSE;
	if (!t.trending)
		return TRUE;
	o = json_object_new();
	data = json_node_init_object(json_node_alloc(), o);
	json_object_set_member(o, "petition", petition_to_json(db, cfg, p));
	json_object_set_string_member(o, "by", t.by);
	json_object_set_string_member(o, "key", t.key);
	json_object_set_boolean_member(o, "by_domain", g_str_equal(t.by, "domain"));
	json_object_set_int_member(o, "count", t.count);
	json_object_set_int_member(o, "total", t.total);
	json_object_set_int_member(o, "percent", (gint64)(100.0 * t.count / t.total + 0.5));
	json_object_set_int_member(o, "usual_percent", (gint64)(100.0 * t.usual + 0.5));
	json_object_set_int_member(o, "minutes", cfg->fraud.trend_window / 60);
	since = pm_time_iso(pm_now() - cfg->fraud.trend_window);
	json_object_set_string_member(o, "since", since);
	g_free(since);
	n.data = data;
	detail = g_strdup_printf("%s %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " new "
				 "signatures in %d minutes (usually %.0f%%)", t.by, t.key, t.count,
				 t.total, cfg->fraud.trend_window / 60, 100.0 * t.usual);
	ok = notify_organizers(db, cfg, &n, &told, error) &&
	     events_record(db, "trending", p->id, "peermail", detail, error);
	if (ok) {
		log_info("petition %s trending: %s; %u organizers told", p->slug, detail, told);
		if (sent)
			*sent = TRUE;
	}
	g_free(detail);
	json_node_unref(data);
	json_object_unref(o);
	fraud_trend_clear(&t);
	return ok;
}

/* check_one - one petition in its own transaction */
static gboolean check_one(PmDb *db, const PmConfig *cfg, gint64 id, GError **error)
{
	Petition *p;
	gboolean ok;

	if (!db_begin(db, error))
		return FALSE;
	if ((p = petition_get(db, id, error)) == NULL) {
		db_rollback(db);
		return error == NULL || *error == NULL;   /* gone since: nothing to do */
	}
	ok = trending_check(db, cfg, p, NULL, error) && db_commit(db, error);
	if (!ok)
		db_rollback(db);
	petition_free(p);
	return ok;
}

/* trending_task - every petition with new signatures in the window */
gboolean trending_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error)
{
	GArray *ids = fraud_recent_petitions(db, cfg, error);
	gboolean ok = ids != NULL;

	for (guint i = 0; ok && i < ids->len; i++)
		ok = check_one(db, cfg, g_array_index(ids, gint64, i), error);
	if (ids)
		g_array_unref(ids);
	return ok;
}
