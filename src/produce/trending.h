/*
 * trending.h - the trending alert: when one sender domain or one source accounts for an
 * unusual share of a petition's new signatures (model/fraud.h's measure), the organizers
 * get one notice (template "trending", through produce/notify.h), recorded as a
 * "trending" event of the petition's history so it is not repeated within the window.
 * A scheduler task (every pass of `peermail run`), so receiving a signature costs nothing
 * more than the signing limits.
 *
 * Owns: when the alert goes out and what it carries. Not: the measure (model/fraud),
 * telling the organizers (notify), who they are (model/organizer).
 * DIAGNOSTICS: database and notify errors as they are.
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_TRENDING_H
#define PM_TRENDING_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/petition.h"

/* trending_check - measure p's new signatures, and alert once per window (*sent TRUE when
 * a notice was queued; may be NULL). The caller holds the transaction. */
gboolean trending_check(PmDb *db, const PmConfig *cfg, const Petition *p, gboolean *sent,
			GError **error);

/* trending_task - the scheduler task: trending_check each open petition with new
 * signatures in the window, one transaction each */
gboolean trending_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error);

#endif
