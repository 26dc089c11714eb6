/*
 * milestone.h - petition milestones: the signature counts at which organizers are told.
 *
 * The steps derive from the goal, no configuration: 25%, 50%, 75% and 100% of the goal
 * (rounded up), then every multiple of it (2x, 3x, ...). A petition without a goal has no
 * milestones. petitions.milestone holds the highest step already announced, so each step
 * is announced once; a count that jumps past several steps (an import) announces the
 * highest one only.
 *
 * Owns: the steps, and the scheduler task that mails organizers (template "milestone",
 * and the creator of a petition started by mail: produce/review.h, start_news,
 * outbox kind notice). Other modules (deliveries at milestones) keep their own record of
 * the count they last acted on and ask milestone_crossed(goal, that count, the count now).
 *
 * THREADS: any thread with its own PmDb (the scheduler calls it from the main thread).
 */
#ifndef PM_MILESTONE_H
#define PM_MILESTONE_H

#include <glib.h>
#include "base/db.h"

/* milestone_step - the k-th step (k >= 1) for goal: ceil(goal*k/4) for k <= 4, then
 * goal*(k-3); 0 when goal <= 0 */
gint64 milestone_step(gint64 goal, int k);

/* milestone_crossed - the highest step m with before < m <= after, or 0 when no step lies
 * in between (or goal <= 0) */
gint64 milestone_crossed(gint64 goal, gint64 before, gint64 after);

/* milestone_next - the first step above count (0 when goal <= 0) */
gint64 milestone_next(gint64 goal, gint64 count);

/*
 * milestone_claim - if petition_id's confirmed count has crossed a step above its
 * petitions.milestone, record the new step with a conditional UPDATE (only one of two
 * concurrent callers wins) and return it in *milestone (0: nothing to announce) with the
 * count in *confirmed. The caller holds the transaction and queues the notice in it.
 */
gboolean milestone_claim(PmDb *db, gint64 petition_id, gint64 *milestone, gint64 *confirmed,
			 GError **error);

#include "base/config.h"
#include "base/token.h"

/*
 * milestone_task - the scheduler task (SchedulerTaskFn): for every petition with a goal,
 * claim a newly crossed step and, in the same transaction, queue a notice (template
 * "milestone", data {petition, milestone}, outbox kind notice, ref_id the petition) to each
 * organizer (the global ones and every list's, once each).
 */
gboolean milestone_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error);

#endif
