/*
 * milestone.c - milestone steps and claiming them once.
 */
#include <string.h>
#include "mail/address.h"
#include "mail/compose.h"
#include "base/log.h"
#include "produce/milestone.h"
#include "model/outbox.h"
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

/* organizers - the organizers to tell: global and per list, normalized, each once */
static GPtrArray *organizers(const PmConfig *cfg)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *srcs = g_ptr_array_new();

	g_ptr_array_add(srcs, cfg->organizers);
	for (guint i = 0; cfg->lists && i < cfg->lists->len; i++)
		g_ptr_array_add(srcs, ((PmListConf *)cfg->lists->pdata[i])->organizers);
	for (guint i = 0; i < srcs->len; i++) {
		char **list = srcs->pdata[i];

		for (int j = 0; list && list[j]; j++) {
			char *a = address_normalize(cfg, list[j]);
			gboolean dup = a == NULL;

			for (guint k = 0; !dup && k < out->len; k++)
				dup = strcmp(out->pdata[k], a) == 0;
			if (dup)
				g_free(a);
			else
				g_ptr_array_add(out, a);
		}
	}
	g_ptr_array_free(srcs, TRUE);
	return out;
}

/* announce - one petition: claim and notify in one transaction */
static gboolean announce(PmDb *db, const PmConfig *cfg, gint64 pid, GPtrArray *to,
			 GError **error)
{
	gint64 m = 0, confirmed = 0;
	Petition *p;
	JsonObject *o;
	JsonNode *data;
	gboolean ok = TRUE;

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
	for (guint i = 0; ok && i < to->len; i++) {
		ComposeOpts opts = { 0 };
		GBytes *msg;

		opts.to = to->pdata[i];
		opts.auto_generated = TRUE;
		msg = compose_message(cfg, "milestone", data, &opts, error);
		if (msg) {
			OutboxItem item = { OUTBOX_NOTICE, pid, 0, 0, to->pdata[i], msg };

			ok = outbox_enqueue(db, &item, error) != 0;
			g_bytes_unref(msg);
		} else {
			ok = FALSE;
		}
	}
	json_node_unref(data);
	json_object_unref(o);
	if (ok && db_commit(db, error))
		log_info("petition %s: milestone %" G_GINT64_FORMAT " reached (%" G_GINT64_FORMAT
			 " signatures), %u organizers told", p->slug, m, confirmed, to->len);
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
	GPtrArray *to;
	gboolean ok = TRUE;

	if (all == NULL)
		return FALSE;
	to = organizers(cfg);
	/* only petitions whose confirmed count has passed the next step */
	for (guint i = 0; ok && i < all->len; i++) {
		const PetitionProgress *p = &g_array_index(all, PetitionProgress, i);

		if (milestone_crossed(p->goal, p->milestone, p->confirmed) > 0)
			ok = announce(db, cfg, p->id, to, error);
	}
	g_ptr_array_free(to, TRUE);
	g_array_unref(all);
	return ok;
}
