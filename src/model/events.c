/*
 * events.c - the events table.
 *
 * DIAGNOSTICS: database errors as db.c maps them.
 */
#include "model/events.h"

/* events_add - record one anonymous event */
gboolean events_add(PmDb *db, const char *kind, gint64 ref_id, gint64 now, GError **error)
{
	return db_exec(db, error, "INSERT INTO events(kind, ref_id, created_at) VALUES (?, "
		       "nullif(?, 0), ?)", "tii", kind, ref_id, now);
}

/* events_count - how many events of kind about ref_id (0: any) */
gboolean events_count(PmDb *db, const char *kind, gint64 ref_id, gint64 *count,
		      GError **error)
{
	return db_int(db, error, count, 0, "SELECT count(*) FROM events WHERE kind = ?1 AND "
		      "(?2 = 0 OR ref_id = ?2)", "ti", kind, ref_id);
}
