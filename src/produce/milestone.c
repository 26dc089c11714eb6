/*
 * milestone.c - milestone steps and claiming them once.
 */
#include <string.h>
#include "base/log.h"
#include "produce/milestone.h"
#include "produce/notify.h"
#include "produce/review.h"
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
	gboolean ok = FALSE, claimed = FALSE;

	*milestone = 0;
	if (p == NULL)
		return error == NULL || *error == NULL;
	if (!petition_counts(db, petition_id, confirmed, &pending, error))
		goto out;
	m = milestone_crossed(p->goal, p->milestone, *confirmed);
	ok = TRUE;
	if (m > 0) {
		ok = petition_claim_milestone(db, petition_id, p->milestone, m, &claimed, error);
		if (ok && claimed)
			*milestone = m;
	}
out:
	petition_free(p);
	return ok;
}

/* announce - one petition: claim and notify in one transaction (the organizers, and the
 * creator of a petition started by mail) */
static gboolean announce(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 pid,
			 GError **error)
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
	ok = notify_organizers(db, cfg, &n, &told, error) &&
	     (p->creator_id == 0 ||
	      review_tell(db, cfg, key, p, "milestone", FALSE, o, NULL, error));
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
	GArray *all = petition_progress_list(db, error);
	gboolean ok = TRUE;

	if (all == NULL)
		return FALSE;
	/* only petitions whose confirmed count has passed the next step */
	for (guint i = 0; ok && i < all->len; i++) {
		const PetitionProgress *p = &g_array_index(all, PetitionProgress, i);

		if (milestone_crossed(p->goal, p->milestone, p->confirmed) > 0)
			ok = announce(db, cfg, key, p->id, error);
	}
	g_array_unref(all);
	return ok;
}
