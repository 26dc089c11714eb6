/*
 * events.c - the events table.
 *
 * DIAGNOSTICS: database errors as db.c maps them.
 */
#include "model/events.h"
#include "base/pm.h"

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

/* events_record - one event of a petition's history, with who and what */
gboolean events_record(PmDb *db, const char *kind, gint64 petition_id, const char *actor,
		       const char *detail, GError **error)
{
	return db_exec(db, error, "INSERT INTO events(kind, ref_id, actor, detail, created_at) "
		       "VALUES (?, ?, ?, ?, ?)", "titti", kind, petition_id, actor, detail,
		       pm_now());
}

/* event_free - destroy */
Event *event_free(Event *e)
{
	if (e) {
		g_free(e->kind);
		g_free(e->actor);
		g_free(e->detail);
		g_free(e);
	}
	return NULL;
}

/* event_destroy - event_free for a GPtrArray */
static void event_destroy(gpointer e)
{
	event_free(e);
}

/* event_row - one event of a history query */
static gpointer event_row(sqlite3_stmt *st)
{
	Event *ev = g_new0(Event, 1);

	ev->id = sqlite3_column_int64(st, 0);
	ev->kind = db_col_text(st, 1);
	ev->actor = db_col_text(st, 2);
	ev->detail = db_col_text(st, 3);
	ev->at = sqlite3_column_int64(st, 4);
	return ev;
}

/* events_history - the events with an actor about a petition: its history */
GPtrArray *events_history(PmDb *db, gint64 petition_id, GError **error)
{
	return db_rows(db, db_query(db, error, "SELECT id, kind, actor, detail, created_at FROM "
				    "events WHERE ref_id = ? AND actor IS NOT NULL ORDER BY id",
				    "i", petition_id), event_row, event_destroy, error);
}

/* events_recent - has the petition an event of kind since then? */
gboolean events_recent(PmDb *db, const char *kind, gint64 petition_id, gint64 since,
		       gboolean *found, GError **error)
{
	gint64 n = 0;

	if (!db_int(db, error, &n, 0, "SELECT count(*) FROM events WHERE ref_id = ? AND "
		    "kind = ? AND actor IS NOT NULL AND created_at >= ?", "iti", petition_id, kind,
		    since))
		return FALSE;
	*found = n > 0;
	return TRUE;
}
