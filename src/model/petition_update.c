/*
 * petition_update.c - the petition_updates table (petition_update.h).
 */
#include <sysexits.h>
#include "base/pm.h"
#include "mail/template.h"
#include "model/petition.h"
#include "model/petition_update.h"

#define PU_COLS "id, petition_id, coalesce(member_id, 0), subject, body, status, reason, " \
		"decided_by, coalesce(decided_at, 0), coalesce(newsletter_id, 0), created_at"

static const char *const status_names[] = {
	[PETITION_UPDATE_PENDING] = "pending", [PETITION_UPDATE_APPROVED] = "approved",
	[PETITION_UPDATE_REJECTED] = "rejected",
};

/* petition_update_status_name - the status as stored */
const char *petition_update_status_name(PetitionUpdateStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* petition_update_status_parse - the status stored as s */
gboolean petition_update_status_parse(const char *s, PetitionUpdateStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (PetitionUpdateStatus)i;
	return TRUE;
}

/* petition_update_add - a pending update */
gint64 petition_update_add(PmDb *db, gint64 petition_id, gint64 member_id,
			   const char *subject, const char *body, GError **error)
{
	if (!g_utf8_validate(subject, -1, NULL) || !g_utf8_validate(body, -1, NULL)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "the subject and body must be UTF-8");
		return 0;
	}
	/* it becomes a newsletter's Mustache source: a syntax error is refused now */
	if (!template_check(subject, "subject", error) || !template_check(body, "body", error))
		return 0;
	if (!db_exec(db, error, "INSERT INTO petition_updates(petition_id, member_id, subject, "
		     "body, created_at) VALUES (?, nullif(?, 0), ?, ?, ?)", "iitti", petition_id,
		     member_id, subject, body, pm_now()))
		return 0;
	return db_last_id(db);
}

/* row_read - the PU_COLS of st's current row */
static PetitionUpdate *row_read(sqlite3_stmt *st)
{
	PetitionUpdate *u = g_new0(PetitionUpdate, 1);

	u->id = sqlite3_column_int64(st, 0);
	u->petition_id = sqlite3_column_int64(st, 1);
	u->member_id = sqlite3_column_int64(st, 2);
	u->subject = db_col_text(st, 3);
	u->body = db_col_text(st, 4);
	petition_update_status_parse((const char *)sqlite3_column_text(st, 5), &u->status);
	u->reason = db_col_text(st, 6);
	u->decided_by = db_col_text(st, 7);
	u->decided_at = sqlite3_column_int64(st, 8);
	u->newsletter_id = sqlite3_column_int64(st, 9);
	u->created_at = sqlite3_column_int64(st, 10);
	return u;
}

/* petition_update_get - by id */
PetitionUpdate *petition_update_get(PmDb *db, gint64 id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT " PU_COLS " FROM petition_updates "
				    "WHERE id = ?", "i", id);
	PetitionUpdate *u = NULL;

	if (st && db_step(db, st, error))
		u = row_read(st);
	db_done(st);
	return u;
}

/* petition_update_need - get, absent is an error */
PetitionUpdate *petition_update_need(PmDb *db, gint64 id, GError **error)
{
	GError *e = NULL;
	PetitionUpdate *u = petition_update_get(db, id, &e);

	if (e)
		g_propagate_error(error, e);
	else if (u == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no petition update %" G_GINT64_FORMAT, id);
	return u;
}

/* petition_update_free - destroy */
PetitionUpdate *petition_update_free(PetitionUpdate *u)
{
	if (u) {
		g_free(u->subject);
		g_free(u->body);
		g_free(u->reason);
		g_free(u->decided_by);
		g_free(u);
	}
	return NULL;
}

/* update_destroy - GDestroyNotify */
static void update_destroy(gpointer u)
{
	petition_update_free(u);
}

/* petition_update_list - a petition's updates, oldest first */
GPtrArray *petition_update_list(PmDb *db, gint64 petition_id, GError **error)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(update_destroy);
	sqlite3_stmt *st = db_query(db, error, "SELECT " PU_COLS " FROM petition_updates "
				    "WHERE petition_id = ? ORDER BY id", "i", petition_id);
	GError *e = NULL;

	if (st == NULL)
		return g_ptr_array_unref(all), NULL;
	while (db_step(db, st, &e))
		g_ptr_array_add(all, row_read(st));
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_ptr_array_unref(all);
		return NULL;
	}
	return all;
}

/* petition_update_of - by the petition's slug */
GPtrArray *petition_update_of(PmDb *db, const char *slug, GError **error)
{
	Petition *p = petition_need(db, slug, error);
	GPtrArray *all = p ? petition_update_list(db, p->id, error) : NULL;

	petition_free(p);
	return all;
}

/* petition_update_pending - pending updates of a petition */
gboolean petition_update_pending(PmDb *db, gint64 petition_id, gint64 *n, GError **error)
{
	return db_int(db, error, n, 0, "SELECT count(*) FROM petition_updates WHERE "
		      "petition_id = ? AND status = 'pending'", "i", petition_id);
}

/* petition_update_decide - pending -> approved/rejected, conditionally */
gboolean petition_update_decide(PmDb *db, gint64 id, gboolean approve, const char *reason,
				const char *by, gint64 now, gboolean *moved, GError **error)
{
	*moved = FALSE;
	if (!db_exec(db, error, "UPDATE petition_updates SET status = ?, reason = ?, "
		     "decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'", "tttii",
		     approve ? "approved" : "rejected", approve ? NULL : reason, by, now, id))
		return FALSE;
	*moved = db_changes(db) > 0;
	return TRUE;
}

/* petition_update_set_newsletter - link the newsletter */
gboolean petition_update_set_newsletter(PmDb *db, gint64 id, gint64 newsletter_id,
					GError **error)
{
	return db_exec(db, error, "UPDATE petition_updates SET newsletter_id = ? WHERE id = ?",
		       "ii", newsletter_id, id);
}

/* petition_update_forget_member - empty a forgotten member's updates */
gboolean petition_update_forget_member(PmDb *db, gint64 member_id, gint64 now,
				       GError **error)
{
	return db_exec(db, error, "UPDATE petition_updates SET subject = '', body = '', "
		       "reason = CASE status WHEN 'pending' THEN 'forgotten' ELSE reason END, "
		       "decided_by = coalesce(decided_by, 'peermail'), "
		       "decided_at = coalesce(decided_at, ?2), "
		       "status = CASE status WHEN 'pending' THEN 'rejected' ELSE status END "
		       "WHERE member_id = ?1", "ii", member_id, now);
}
