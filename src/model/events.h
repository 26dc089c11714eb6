/*
 * events.h - anonymous counters: what happened and when, with no person attached, kept
 * after a member is forgotten.
 *
 * Owns: the events table. Not: reports over it (none reads it yet).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_EVENTS_H
#define PM_EVENTS_H

#include <glib.h>
#include "base/db.h"

/* events_add - one event of kind ("forgotten", ...) about ref_id (0: none) at now. The
 * caller holds the transaction. */
gboolean events_add(PmDb *db, const char *kind, gint64 ref_id, gint64 now, GError **error);

/* events_count - how many events of kind about ref_id (0: any) into *count */
gboolean events_count(PmDb *db, const char *kind, gint64 ref_id, gint64 *count,
		      GError **error);

#endif
