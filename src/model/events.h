/*
 * events.h - what happened and when: anonymous counters, with no person attached, kept
 * after a member is forgotten; and a petition's history: moderation, invalidations,
 * clearings, alerts, each with who did it (an organizer's address, cli:USER for the
 * command line, "peermail" for peermail itself) and a line of detail.
 *
 * Owns: the events table. Not: what the events are about (their modules decide and call
 * events_record in their transaction).
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

/*
 * events_record - one event of the history of petition_id: kind ("invalidate",
 * "moderate", ...), by actor (never NULL; not a signer's address), with a line of detail
 * (NULL: none), now. The caller holds the transaction of the change it records.
 */
gboolean events_record(PmDb *db, const char *kind, gint64 petition_id, const char *actor,
		       const char *detail, GError **error);

/* One event of a petition's history. */
typedef struct {
	gint64 id;
	char *kind;
	char *actor;
	char *detail;           /* NULL: none */
	gint64 at;
} Event;

/* event_free - destroy; returns NULL */
Event *event_free(Event *e);

/* events_history - the recorded events of petition_id, oldest first (the array frees
 * them); NULL with error */
GPtrArray *events_history(PmDb *db, gint64 petition_id, GError **error);

/* events_recent - TRUE in *found when petition_id has an event of kind at or after since */
gboolean events_recent(PmDb *db, const char *kind, gint64 petition_id, gint64 since,
		       gboolean *found, GError **error);

#endif
