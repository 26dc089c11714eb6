/*
 * story.c - the stories table.
 */
#include <string.h>
#include <sysexits.h>
#include "model/member.h"
#include "model/petition.h"
#include "base/pm.h"
#include "model/story.h"

static const char *const status_names[] = {
	[STORY_STATUS_PENDING] = "pending", [STORY_STATUS_APPROVED] = "approved",
	[STORY_STATUS_REJECTED] = "rejected",
};

/* story_status_name - the status as stored */
const char *story_status_name(StoryStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* story_status_parse - the status stored as s */
gboolean story_status_parse(const char *s, StoryStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (StoryStatus)i;
	return TRUE;
}

/* story_add - insert a pending story */
gint64 story_add(PmDb *db, gint64 petition_id, gint64 member_id, const char *subject,
		 const char *text, gint64 inbound_id, GError **error)
{
	if (!db_exec(db, error, "INSERT INTO stories(petition_id, member_id, subject, text, "
		     "inbound_id, created_at) VALUES (nullif(?, 0), nullif(?, 0), ?, ?, "
		     "nullif(?, 0), ?)", "iittii", petition_id, member_id, subject,
		     text ? text : "", inbound_id, pm_now()))
		return 0;
	return db_last_id(db);
}

/* story_owner - a story's petition and author */
gboolean story_owner(PmDb *db, gint64 id, gint64 *petition_id, gint64 *member_id,
		     GError **error)
{
	GError *e = NULL;
	sqlite3_stmt *st = db_query(db, error, "SELECT coalesce(petition_id, 0), "
				    "coalesce(member_id, 0) FROM stories WHERE id = ?", "i", id);
	gboolean found;

	if (st == NULL)
		return FALSE;
	found = db_step(db, st, &e);
	if (found) {
		*petition_id = sqlite3_column_int64(st, 0);
		*member_id = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (!found)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no story %" G_GINT64_FORMAT, id);
	return found;
}

/* story_moderate - approve or reject */
gboolean story_moderate(PmDb *db, gint64 id, StoryStatus status, gboolean *changed,
			GError **error)
{
	gint64 n = 0;

	if (changed)
		*changed = FALSE;
	if (status != STORY_STATUS_APPROVED && status != STORY_STATUS_REJECTED) {
		g_set_error(error, PM_ERROR, EX_USAGE, "a story is approved or rejected");
		return FALSE;
	}
	if (!db_exec(db, error, "UPDATE stories SET status = ?1, moderated_at = ?2 WHERE id = ?3 "
		     "AND status != ?1", "tii", story_status_name(status), pm_now(), id))
		return FALSE;
	if (db_changes(db) > 0) {
		if (changed)
			*changed = TRUE;
		return TRUE;
	}
	if (!db_int(db, error, &n, 0, "SELECT count(*) FROM stories WHERE id = ?", "i", id))
		return FALSE;
	if (n == 0) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "no story %" G_GINT64_FORMAT, id);
		return FALSE;
	}
	return TRUE;
}

/* story_forget_member - withdraw and empty the member's stories */
gboolean story_forget_member(PmDb *db, gint64 member_id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE stories SET text = '', subject = NULL, status = "
		       "'rejected', moderated_at = coalesce(moderated_at, ?2) WHERE member_id = ?1",
		       "ii", member_id, now);
}

/* story_list_json - approved stories for templates */
JsonNode *story_list_json(PmDb *db, gint64 petition_id, int limit, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
		"SELECT m.name, s.text, p.slug FROM stories s LEFT JOIN members m ON m.id = "
		"s.member_id LEFT JOIN petitions p ON p.id = s.petition_id WHERE s.status = "
		"'approved' AND (?1 = 0 OR s.petition_id = ?1) ORDER BY s.id DESC LIMIT ?2",
		"ii", petition_id, (gint64)(limit > 0 ? limit : -1));
	JsonBuilder *b;
	JsonNode *n;
	GError *e = NULL;

	if (st == NULL)
		return NULL;
	b = json_builder_new();
	json_builder_begin_array(b);
	while (db_step(db, st, &e)) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *first = member_first_name(name);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "author");
		/* only the first name: stories are published to other members and targets */
		json_builder_add_string_value(b, first && *first ? first : "A supporter");
		json_builder_set_member_name(b, "text");
		json_builder_add_string_value(b, (const char *)sqlite3_column_text(st, 1));
		json_builder_set_member_name(b, "petition");
		json_builder_add_string_value(b, (const char *)sqlite3_column_text(st, 2));
		json_builder_end_object(b);
		g_free(first);
	}
	db_done(st);
	json_builder_end_array(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	if (e) {
		g_propagate_error(error, e);
		json_node_unref(n);
		return NULL;
	}
	return n;
}

/* row_free - a StoryRow */
static void row_free(gpointer p)
{
	StoryRow *r = p;

	g_free(r->petition);
	g_free(r->author);
	g_free(r->email);
	g_free(r->subject);
	g_free(r->text);
	g_free(r);
}

/* story_row - one row of story_ls's query */
static gpointer story_row(sqlite3_stmt *st)
{
	StoryRow *r = g_new0(StoryRow, 1);

	r->id = sqlite3_column_int64(st, 0);
	r->petition = db_col_text(st, 1);
	r->author = db_col_text(st, 2);
	r->email = db_col_text(st, 3);
	story_status_parse((const char *)sqlite3_column_text(st, 4), &r->status);
	r->subject = db_col_text(st, 5);
	r->text = db_col_text(st, 6);
	r->created_at = sqlite3_column_int64(st, 7);
	return r;
}

/* story_ls - the organizers' view of stories */
GPtrArray *story_ls(PmDb *db, const char *petition, const char *status, GError **error)
{
	StoryStatus want = STORY_STATUS_PENDING;
	Petition *p = NULL;
	sqlite3_stmt *st;

	if (status && !story_status_parse(status, &want)) {
		g_set_error(error, PM_ERROR, EX_USAGE, "a story's status is pending, approved or "
			    "rejected");
		return NULL;
	}
	if (petition && (p = petition_need(db, petition, error)) == NULL)
		return NULL;
	st = db_query(db, error,
		"SELECT s.id, p.slug, m.name, coalesce(m.address, m.email), s.status, s.subject, s.text, s.created_at "
		"FROM stories s LEFT JOIN members m ON m.id = s.member_id LEFT JOIN petitions p "
		"ON p.id = s.petition_id WHERE (?1 = 0 OR s.petition_id = ?1) AND (?2 IS NULL OR "
		"s.status = ?2) ORDER BY s.id", "it", p ? p->id : (gint64)0,
		status ? story_status_name(want) : NULL);
	petition_free(p);
	return db_rows(db, st, story_row, row_free, error);
}
