/*
 * trending.h - the trending alert: when one sender domain or one source accounts for an
 * unusual share of a petition's new signatures (model/fraud.h's measure), the organizers
 * get one notice (template "trending", through produce/notify.h), recorded as a
 * "trending" event of the petition's history so it is not repeated within the window.
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
#include "model/petition.h"

/* trending_check - after a new signature on p: measure, and alert once per window (*sent
 * TRUE when a notice was queued; may be NULL). The caller holds the transaction. */
gboolean trending_check(PmDb *db, const PmConfig *cfg, const Petition *p, gboolean *sent,
			GError **error);

#endif
