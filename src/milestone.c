/*
 * milestone.c - milestone steps and claiming them once.
 */
#include "milestone.h"
#include "petition.h"
#include "pm.h"

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
