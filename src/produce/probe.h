/*
 * probe.h - bounce probes: with bounces.probe, a member past the bounce threshold is not
 * disabled at once; bounce_score records that a probe is owed ('probe-due' bounce rows)
 * and this module queues it. Only a bounced probe disables (bounce_score does that).
 *
 * Owns: turning owed probes into outbox rows of kind probe. Not: scores (bounce_score).
 *
 * THREADS: any thread with its own PmDb (the scheduler calls it from the main thread).
 */
#ifndef PM_PROBE_H
#define PM_PROBE_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* probe_task - scheduler task: queue one probe for each member who owes one */
gboolean probe_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error);

#endif
