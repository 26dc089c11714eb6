/*
 * petition.c - the petitions table (signatures: signature.c).
 *
 * DIAGNOSTICS: EX_DATAERR for a bad or taken slug or a title or text that is not UTF-8,
 * EX_USAGE for a missing title or a negative goal, EX_NOUSER for an absent petition
 * (petition_need); database errors as db.c maps them.
 */
#include <string.h>
#include <sysexits.h>
#include "mail/address.h"
#include "model/petition.h"
#include "base/pm.h"
#include "base/plural.h"

#define PETITION_COLS "id, slug, title, text, status, disclose, goal, closes_at, milestone, " \
		      "created_at"

static const char *const petition_names[] = {
	[PETITION_STATUS_DRAFT] = "draft", [PETITION_STATUS_OPEN] = "open",
	[PETITION_STATUS_CLOSED] = "closed",
};

/* petition_status_name - the status as stored */
const char *petition_status_name(PetitionStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(petition_names) ? petition_names[status] : NULL;
}

/* petition_status_parse - the status stored as s */
gboolean petition_status_parse(const char *s, PetitionStatus *status)
{
	int i = pm_name_index(petition_names, G_N_ELEMENTS(petition_names), s);

	if (i < 0)
		return FALSE;
	*status = (PetitionStatus)i;
	return TRUE;
}

static Petition *petition_one(PmDb *db, sqlite3_stmt *st, GError **error)
{
	Petition *p = NULL;

	if (st && db_step(db, st, error)) {
		p = g_new0(Petition, 1);
		p->id = sqlite3_column_int64(st, 0);
		p->slug = db_col_text(st, 1);
		p->title = db_col_text(st, 2);
		p->text = db_col_text(st, 3);
		petition_status_parse((const char *)sqlite3_column_text(st, 4), &p->status);
		p->disclose = db_col_text(st, 5);
		p->goal = sqlite3_column_int64(st, 6);
		p->closes_at = sqlite3_column_int64(st, 7);
		p->milestone = sqlite3_column_int64(st, 8);
		p->created_at = sqlite3_column_int64(st, 9);
	}
	db_done(st);
	return p;
}

/* petition_find - by slug */
Petition *petition_find(PmDb *db, const char *slug, GError **error)
{
	return petition_one(db, db_query(db, error, "SELECT " PETITION_COLS " FROM petitions "
					 "WHERE slug = ?", "t", slug), error);
}

/* petition_get - by id */
Petition *petition_get(PmDb *db, gint64 id, GError **error)
{
	return petition_one(db, db_query(db, error, "SELECT " PETITION_COLS " FROM petitions "
					 "WHERE id = ?", "i", id), error);
}

/* petition_need - find, absent is an error */
Petition *petition_need(PmDb *db, const char *slug, GError **error)
{
	GError *e = NULL;
	Petition *p = slug ? petition_find(db, slug, &e) : NULL;

	if (e)
		g_propagate_error(error, e);
	else if (p == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "unknown petition '%s'", slug ? slug : "");
	return p;
}

/* petition_need_id - get, absent is an error */
Petition *petition_need_id(PmDb *db, gint64 id, GError **error)
{
	GError *e = NULL;
	Petition *p = petition_get(db, id, &e);

	if (e)
		g_propagate_error(error, e);
	else if (p == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no petition %" G_GINT64_FORMAT, id);
	return p;
}

/* petition_free - destroy */
Petition *petition_free(Petition *p)
{
	if (p) {
		g_free(p->slug);
		g_free(p->title);
		g_free(p->text);
		g_free(p->disclose);
		g_free(p);
	}
	return NULL;
}

/* petition_slug_valid - safe in a local part, never the delimiter */
gboolean petition_slug_valid(const PmConfig *cfg, const char *slug)
{
	gsize n = slug ? strlen(slug) : 0;

	if (n == 0 || n > 40)
		return FALSE;
	for (const char *p = slug; *p; p++)
		if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-' || *p == '_'))
			return FALSE;
	if (cfg && strchr(slug, cfg->delimiter[0]))
		return FALSE;
	return TRUE;
}

/* petition_closes_check - a closing date a new petition may be given: none, or in the future */
gboolean petition_closes_check(gint64 closes_at, GError **error)
{
	char *when;

	if (closes_at == 0 || closes_at > pm_now())
		return TRUE;
	when = pm_time_iso(closes_at);
	g_set_error(error, PM_ERROR, EX_USAGE, "the closing date %s is in the past", when);
	g_free(when);
	return FALSE;
}

/* petition_create - insert an open petition */
gint64 petition_create(PmDb *db, const PmConfig *cfg, const char *slug, const char *title,
		       const char *text, gint64 goal, gint64 closes_at, GError **error)
{
	GError *e = NULL;
	char *body;
	gint64 id = 0;

	if ((title && !g_utf8_validate(title, -1, NULL)) ||
	    (text && !g_utf8_validate(text, -1, NULL))) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "the title and text must be UTF-8");
		return 0;
	}
	if (!petition_slug_valid(cfg, slug)) {
		g_set_error(error, PM_ERROR, EX_DATAERR,
			    "'%s' is not a usable slug (lower-case letters, digits, - and _, "
			    "at most 40)", slug ? slug : "");
		return 0;
	}
	if (title == NULL || *title == '\0') {
		g_set_error(error, PM_ERROR, EX_USAGE, "a petition needs a title");
		return 0;
	}
	if (goal < 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "the goal cannot be negative");
		return 0;
	}
	body = g_strstrip(g_strdup(text ? text : ""));
	if (db_exec(db, &e, "INSERT INTO petitions(slug, title, text, goal, closes_at, "
		    "created_at) VALUES (?, ?, ?, ?, ?, ?)", "tttiii", slug, title,
		    body, goal, closes_at, pm_now())) {
		id = db_last_id(db);
	} else if (e->code == EX_DATAERR) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' exists already", slug);
		g_error_free(e);
	} else {
		g_propagate_error(error, e);
	}
	g_free(body);
	return id;
}

/* petition_clear_closing - petition id no longer closes by date */
static gboolean petition_clear_closing(PmDb *db, gint64 id, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET closes_at = NULL WHERE id = ?", "i", id);
}

/* petition_set_status - open or close */
gboolean petition_set_status(PmDb *db, gint64 id, PetitionStatus status, GError **error)
{
	Petition *p;
	gboolean ok = db_exec(db, error, "UPDATE petitions SET status = ? WHERE id = ?", "ti",
			      petition_status_name(status), id);

	if (!ok || status != PETITION_STATUS_OPEN)
		return ok;
	if ((p = petition_need_id(db, id, error)) == NULL)
		return FALSE;
	/* reopening after the closing date: the date no longer applies */
	if (p->closes_at && p->closes_at <= pm_now())
		ok = petition_clear_closing(db, p->id, error);
	petition_free(p);
	return ok;
}

/* petition_set_status_of - by slug */
Petition *petition_set_status_of(PmDb *db, const char *slug, PetitionStatus status,
				 GError **error)
{
	Petition *p = petition_need(db, slug, error);

	if (p && !petition_set_status(db, p->id, status, error))
		p = petition_free(p);
	return p;
}

/* petition_is_open - accepting signatures now */
gboolean petition_is_open(const Petition *p)
{
	return p->status == PETITION_STATUS_OPEN && (p->closes_at == 0 || p->closes_at > pm_now());
}

/* petition_status_now - the status as it stands now: open past its closing date is closed */
PetitionStatus petition_status_now(const Petition *p)
{
	if (p->status == PETITION_STATUS_OPEN && !petition_is_open(p))
		return PETITION_STATUS_CLOSED;
	return p->status;
}

/* petition_counts - confirmed and pending, as SQLite's triggers keep them (schema 4) */
gboolean petition_counts(PmDb *db, gint64 id, gint64 *confirmed, gint64 *pending,
			 GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT confirmed, pending FROM petition_counts "
				    "WHERE petition_id = ?", "i", id);
	GError *e = NULL;

	*confirmed = *pending = 0;
	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		*confirmed = sqlite3_column_int64(st, 0);
		*pending = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* petition_to_json - template data in the default language */
JsonNode *petition_to_json(PmDb *db, const PmConfig *cfg, const Petition *p)
{
	return petition_to_json_in(db, cfg, p, NULL);
}

/* petition_to_json_in - template data for a reader of lang (its plural forms) */
JsonNode *petition_to_json_in(PmDb *db, const PmConfig *cfg, const Petition *p,
			      const char *lang)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *n;
	gint64 confirmed = 0, pending = 0;
	char *sign = address_make(cfg, "sign", p->slug, NULL);

	petition_counts(db, p->id, &confirmed, &pending, NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "slug");
	json_builder_add_string_value(b, p->slug);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, p->title);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, p->text);
	json_builder_set_member_name(b, "goal");
	json_builder_add_int_value(b, p->goal);
	json_builder_set_member_name(b, "signatures");
	json_builder_add_int_value(b, confirmed);
	/* the plural form of the count for the words around it (1 person has / 2 people have) */
	json_builder_set_member_name(b, "signatures_one");
	json_builder_add_boolean_value(b, plural_is_one(lang ? lang : cfg->language, confirmed));
	json_builder_set_member_name(b, "sign_address");
	json_builder_add_string_value(b, sign);
	json_builder_set_member_name(b, "url");
	if (cfg->base_url) {
		char *url = g_strdup_printf("%s/p/%s", cfg->base_url, p->slug);
		json_builder_add_string_value(b, url);
		g_free(url);
	} else {
		char *url = g_strdup_printf("mailto:%s", sign);
		json_builder_add_string_value(b, url);
		g_free(url);
	}
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	g_free(sign);
	return n;
}

/* petition_list_ids - every petition's id, oldest first */
GArray *petition_list_ids(PmDb *db, GError **error)
{
	return db_ids(db, error, "SELECT id FROM petitions ORDER BY id", NULL);
}

/* petition_progress_list - petitions with a goal and their confirmed counts */
GArray *petition_progress_list(PmDb *db, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT p.id, p.goal, p.milestone, (SELECT "
				    "count(*) FROM signatures s WHERE s.petition_id = p.id AND "
				    "s.status = 'confirmed') FROM petitions p WHERE p.goal > 0", NULL);
	GArray *a;
	GError *e = NULL;

	if (st == NULL)
		return NULL;
	a = g_array_new(FALSE, FALSE, sizeof(PetitionProgress));
	while (db_step(db, st, &e)) {
		PetitionProgress p = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				       sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3) };

		g_array_append_val(a, p);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(a);
		return NULL;
	}
	return a;
}

/* petition_claim_milestone - move the announced milestone from -> to, once */
gboolean petition_claim_milestone(PmDb *db, gint64 id, gint64 from, gint64 to,
				  gboolean *claimed, GError **error)
{
	*claimed = FALSE;
	if (!db_exec(db, error, "UPDATE petitions SET milestone = ? WHERE id = ? AND "
		     "milestone = ?", "iii", to, id, from))
		return FALSE;
	*claimed = db_changes(db) == 1;
	return TRUE;
}

/* petition_set_delivery - the delivery columns; NULL or < 0 leaves a value alone */
gboolean petition_set_delivery(PmDb *db, gint64 id, const char *disclose, int every_days,
			       int on_close, int at_milestones, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET disclose = coalesce(?2, disclose), "
		       "deliver_every_days = CASE WHEN ?3 < 0 THEN deliver_every_days ELSE ?3 END, "
		       "deliver_on_close = CASE WHEN ?4 < 0 THEN deliver_on_close ELSE ?4 END, "
		       "deliver_at_milestones = CASE WHEN ?5 < 0 THEN deliver_at_milestones ELSE ?5 "
		       "END WHERE id = ?1", "itiii", id, disclose, (gint64)every_days,
		       (gint64)on_close, (gint64)at_milestones);
}

/* petition_request_delivery - a delivery for the next run, unless one is requested */
gboolean petition_request_delivery(PmDb *db, gint64 id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET deliver_requested_at = "
		       "coalesce(deliver_requested_at, ?) WHERE id = ?", "ii", now, id);
}

/* petition_clear_delivery_request - the requested delivery was made */
gboolean petition_clear_delivery_request(PmDb *db, gint64 id, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET deliver_requested_at = NULL WHERE id = ?",
		       "i", id);
}

/* petition_mark_delivered - move each schedule's mark past the delivery just made */
gboolean petition_mark_delivered(PmDb *db, gint64 id, gboolean closed, gint64 milestone,
				 gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET delivered_close = delivered_close OR "
		       "?2, delivered_milestone = max(delivered_milestone, ?3), "
		       "deliver_periodic_at = CASE WHEN deliver_every_days > 0 THEN ?4 ELSE "
		       "deliver_periodic_at END WHERE id = ?1", "iiii", id, (gint64)(closed ? 1 : 0),
		       milestone, now);
}
