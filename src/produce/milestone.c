/*
 * milestone.c - milestone steps and claiming them once.
 */
#include <string.h>
#include "base/log.h"
#include "produce/milestone.h"
#include "produce/notify.h"
#include "model/petition.h"
#include "base/pm.h"

/* milestone_step - the k-th step */
gint64 milestone_step(gint64 goal, int k)
{
	if (goal <= 0 || k < 1)
		return 0;
	if (k <= 4)
		return (goal * k + 3) / 4;
	return goal * (k - 3);
}

/* milestone_next - first step above count */
gint64 milestone_next(gint64 goal, gint64 count)
{
	int k;

	if (goal <= 0)
		return 0;
	if (count >= goal)
		return goal * (count / goal + 1);
	for (k = 1; milestone_step(goal, k) <= count; k++)
		;
	return milestone_step(goal, k);
}

/* milestone_crossed - highest step in (before, after] */
gint64 milestone_crossed(gint64 goal, gint64 before, gint64 after)
{
	gint64 m;

	if (goal <= 0 || after <= before)
		return 0;
	if (after >= goal) {
		/* past the goal the steps are its multiples */
		m = after / goal * goal;
		return m > before ? m : 0;
	}
	for (int k = 4; k >= 1; k--) {
		m = milestone_step(goal, k);
		if (m <= after)
			return m > before ? m : 0;
	}
	return 0;
}

/* milestone_claim - record a newly crossed step once */
gboolean milestone_claim(PmDb *db, gint64 petition_id, gint64 *milestone, gint64 *confirmed,
			 GError **error)
{
	Petition *p = petition_get(db, petition_id, error);
	gint64 pending, m;
	gboolean ok = FALSE;

	*milestone = 0;
	if (p == NULL)
		return error == NULL || *error == NULL;
	if (!petition_counts(db, petition_id, confirmed, &pending, error))
		goto out;
	m = milestone_crossed(p->goal, p->milestone, *confirmed);
	ok = TRUE;
	if (m > 0) {
		ok = db_exec(db, error, "UPDATE petitions SET milestone = ? WHERE id = ? AND "
			     "milestone = ?", "iii", m, petition_id, p->milestone);
		if (ok && db_changes(db) == 1)
			*milestone = m;
	}
out:
	petition_free(p);
	return ok;
}

/* announce - one petition: claim and notify in one transaction */
static gboolean announce(PmDb *db, const PmConfig *cfg, gint64 pid, GError **error)
{
	gint64 m = 0, confirmed = 0;
	Petition *p;
	JsonObject *o;
	JsonNode *data;
	Notice n = { "milestone", NULL, NULL, pid, NULL, NULL, NULL };
	guint told = 0;
	gboolean ok;

	if (!db_begin(db, error))
		return FALSE;
	if (!milestone_claim(db, pid, &m, &confirmed, error)) {
		db_rollback(db);
		return FALSE;
	}
	if (m == 0) {
		db_rollback(db);
		return TRUE;
	}
	if ((p = petition_get(db, pid, error)) == NULL) {
		db_rollback(db);
		return FALSE;
	}
	o = json_object_new();
	data = json_node_init_object(json_node_alloc(), o);
	json_object_set_member(o, "petition", petition_to_json(db, cfg, p));
	json_object_set_int_member(o, "milestone", m);
	n.data = data;
	ok = notify_organizers(db, cfg, &n, &told, error);
	json_node_unref(data);
	json_object_unref(o);
	if (ok && db_commit(db, error))
		log_info("petition %s: milestone %" G_GINT64_FORMAT " reached (%" G_GINT64_FORMAT
			 " signatures), %u organizers told", p->slug, m, confirmed, told);
	else {
		ok = FALSE;
		db_rollback(db);
	}
	petition_free(p);
	return ok;
}

/* milestone_task - announce newly crossed milestones */
gboolean milestone_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *st;
	GError *e = NULL;
	gboolean ok = TRUE;

	/* only petitions whose confirmed count has passed the next step */
	st = db_query(db, &e, "SELECT p.id, p.goal, p.milestone, (SELECT count(*) FROM signatures s "
		      "WHERE s.petition_id = p.id AND s.status = 'confirmed') FROM petitions p "
		      "WHERE p.goal > 0", NULL);
	while (st && db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);

		if (milestone_crossed(sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
				      sqlite3_column_int64(st, 3)) > 0)
			g_array_append_val(ids, id);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_free(ids, TRUE);
		return FALSE;
	}
	for (guint i = 0; ok && i < ids->len; i++)
		ok = announce(db, cfg, g_array_index(ids, gint64, i), error);
	g_array_free(ids, TRUE);
	return ok;
}
