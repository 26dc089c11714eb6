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
		      "created_at, creator_id, target, moderation_at, delay_told_at, reason, " \
		      "moderated_by, moderated_at"

static const char *const petition_names[] = {
	[PETITION_STATUS_DRAFT] = "draft", [PETITION_STATUS_OPEN] = "open",
	[PETITION_STATUS_CLOSED] = "closed", [PETITION_STATUS_STARTED] = "started",
	[PETITION_STATUS_SPONSORING] = "sponsoring", [PETITION_STATUS_MODERATION] = "moderation",
	[PETITION_STATUS_REJECTED] = "rejected", [PETITION_STATUS_WITHDRAWN] = "withdrawn",
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
		p->creator_id = sqlite3_column_int64(st, 10);
		p->target = db_col_text(st, 11);
		p->moderation_at = sqlite3_column_int64(st, 12);
		p->delay_told_at = sqlite3_column_int64(st, 13);
		p->reason = db_col_text(st, 14);
		p->moderated_by = db_col_text(st, 15);
		p->moderated_at = sqlite3_column_int64(st, 16);
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
		g_free(p->target);
		g_free(p->reason);
		g_free(p->moderated_by);
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
	Petition *p = petition_need_id(db, id, error);
	gboolean ok;

	if (p == NULL)
		return FALSE;
	if (p->status != PETITION_STATUS_DRAFT && !petition_is_published(p)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' is %s: a petition started "
			    "by mail opens through moderation (petition moderate)", p->slug,
			    petition_status_name(p->status));
		petition_free(p);
		return FALSE;
	}
	petition_free(p);
	ok = db_exec(db, error, "UPDATE petitions SET status = ? WHERE id = ?", "ti",
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

/* petition_is_published - open or closed */
gboolean petition_is_published(const Petition *p)
{
	return p->status == PETITION_STATUS_OPEN || p->status == PETITION_STATUS_CLOSED;
}

/* petition_is_starting - on its way to moderation or in it */
gboolean petition_is_starting(const Petition *p)
{
	return p->status == PETITION_STATUS_STARTED || p->status == PETITION_STATUS_SPONSORING ||
	       p->status == PETITION_STATUS_MODERATION;
}

/* slug_from_title - lower-case ASCII letters and digits of title, other runs as one '-',
 * at most 32 characters cut at a '-'; "petition" when nothing is left. Caller frees. */
static char *slug_from_title(const char *title)
{
	char *ascii = g_str_to_ascii(title, "C");
	GString *s = g_string_new(NULL);

	for (const char *p = ascii; *p; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(s, g_ascii_tolower(*p));
		else if (s->len && s->str[s->len - 1] != '-')
			g_string_append_c(s, '-');
	}
	if (s->len > 32) {
		char *cut = g_strrstr_len(s->str, 33, "-");

		g_string_truncate(s, cut && cut > s->str + 8 ? (gsize)(cut - s->str) : 32);
	}
	while (s->len && s->str[s->len - 1] == '-')
		g_string_truncate(s, s->len - 1);
	if (s->len == 0)
		g_string_assign(s, "petition");
	g_free(ascii);
	return g_string_free(s, FALSE);
}

/* petition_start - a started petition with a slug of its own */
gint64 petition_start(PmDb *db, const PmConfig *cfg, gint64 creator, const char *title,
		      const char *text, const char *target, gint64 goal, GError **error)
{
	char *base, *slug = NULL;
	gint64 id = 0;

	if (!g_utf8_validate(title, -1, NULL) || !g_utf8_validate(text, -1, NULL) ||
	    (target && !g_utf8_validate(target, -1, NULL))) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "the title and text must be UTF-8");
		return 0;
	}
	base = slug_from_title(title);
	for (int n = 1; n < 1000 && id == 0; n++) {
		GError *e = NULL;
		Petition *taken;

		g_free(slug);
		slug = n == 1 ? g_strdup(base) : g_strdup_printf("%s-%d", base, n);
		if ((taken = petition_find(db, slug, &e)) != NULL || e) {
			petition_free(taken);
			if (e) {
				g_propagate_error(error, e);
				break;
			}
			continue;
		}
		if ((id = petition_create(db, cfg, slug, title, text, goal, 0, error)) == 0)
			break;
		if (!db_exec(db, error, "UPDATE petitions SET status = 'started', creator_id = ?, "
			     "target = ? WHERE id = ?", "iti", creator, target, id))
			id = 0;
	}
	g_free(slug);
	g_free(base);
	return id;
}

/* petition_open_starts - the creator's starts not yet decided nor lapsed */
gboolean petition_open_starts(PmDb *db, gint64 creator, gint64 since, gint64 *count,
			      GError **error)
{
	return db_int(db, error, count, 0, "SELECT count(*) FROM petitions WHERE creator_id = ? "
		      "AND (status IN ('sponsoring','moderation') OR (status = 'started' AND "
		      "created_at >= ?))", "ii", creator, since);
}

/* fts_query - title's words of four letters or more as an FTS5 OR query of quoted terms
 * into q; their number (0: no query) */
static int fts_query(const char *title, GString *q)
{
	char *lower = g_utf8_strdown(title, -1);
	int n = 0;
	const char *p = lower;

	while (*p) {
		const char *w = p;
		glong len = 0;

		while (*p && !g_unichar_isalnum(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		for (w = p; *p && g_unichar_isalnum(g_utf8_get_char(p)); p = g_utf8_next_char(p))
			len++;
		if (len >= 4) {
			g_string_append_printf(q, "%s\"%.*s\"", n ? " OR " : "", (int)(p - w), w);
			n++;
		}
	}
	g_free(lower);
	return n;
}

/* highlighted - how many different words FTS5's highlight() marked with \x01..\x02 */
static int highlighted(const char *marked)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = marked;
	int n;

	while (p && (p = strchr(p, '\x01')) != NULL) {
		const char *end = strchr(p, '\x02');

		if (end == NULL)
			break;
		g_hash_table_add(seen, g_utf8_strdown(p + 1, end - p - 1));
		p = end + 1;
	}
	n = (int)g_hash_table_size(seen);
	g_hash_table_unref(seen);
	return n;
}

/* petition_unref - petition_free for a GPtrArray */
static void petition_unref(gpointer p)
{
	petition_free(p);
}

/* petition_similar - FTS5 candidates sharing enough words */
GPtrArray *petition_similar(PmDb *db, const char *title, gint64 except, int limit,
			    GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(petition_unref);
	GString *q = g_string_new(NULL);
	int words = fts_query(title ? title : "", q), need = words >= 2 ? 2 : 1;
	sqlite3_stmt *st;
	GError *e = NULL;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));

	if (words == 0) {
		g_string_free(q, TRUE);
		g_array_unref(ids);
		return out;
	}
	st = db_query(db, error, "SELECT t.rowid, highlight(petition_titles, 0, char(1), char(2)) "
		      "FROM petition_titles t JOIN petitions p ON p.id = t.rowid WHERE "
		      "petition_titles MATCH ? AND p.id != ? AND p.status NOT IN ('rejected', "
		      "'withdrawn', 'started') ORDER BY bm25(petition_titles) LIMIT 50", "ti",
		      q->str, except);
	g_string_free(q, TRUE);
	if (st == NULL) {
		g_array_unref(ids);
		g_ptr_array_unref(out);
		return NULL;
	}
	while (db_step(db, st, &e))
		if (highlighted((const char *)sqlite3_column_text(st, 1)) >= need &&
		    (int)ids->len < limit) {
			gint64 id = sqlite3_column_int64(st, 0);

			g_array_append_val(ids, id);
		}
	db_done(st);
	for (guint i = 0; e == NULL && i < ids->len; i++) {
		Petition *p = petition_get(db, g_array_index(ids, gint64, i), &e);

		if (p)
			g_ptr_array_add(out, p);
	}
	g_array_unref(ids);
	if (e) {
		g_propagate_error(error, e);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

/* petition_advance - a conditional change of status with what moderation records */
gboolean petition_advance(PmDb *db, gint64 id, PetitionStatus from, PetitionStatus to,
			  const char *by, const char *reason, gboolean *moved, GError **error)
{
	gint64 now = pm_now();
	gboolean ok;

	*moved = FALSE;
	if (to == PETITION_STATUS_MODERATION)
		ok = db_exec(db, error, "UPDATE petitions SET status = ?, moderation_at = ? WHERE "
			     "id = ? AND status = ?", "tiit", petition_status_name(to), now, id,
			     petition_status_name(from));
	else if (from == PETITION_STATUS_MODERATION)
		ok = db_exec(db, error, "UPDATE petitions SET status = ?, moderated_by = ?, "
			     "moderated_at = ?, reason = ? WHERE id = ? AND status = ?", "ttitit",
			     petition_status_name(to), by, now, reason, id,
			     petition_status_name(from));
	else
		ok = db_exec(db, error, "UPDATE petitions SET status = ? WHERE id = ? AND "
			     "status = ?", "tit", petition_status_name(to), id,
			     petition_status_name(from));
	*moved = ok && db_changes(db) == 1;
	return ok;
}

/* petition_moderation_late - waiting since before, creator not told yet */
GArray *petition_moderation_late(PmDb *db, gint64 before, GError **error)
{
	return db_ids(db, error, "SELECT id FROM petitions WHERE status = 'moderation' AND "
		      "moderation_at <= ? AND delay_told_at IS NULL ORDER BY id", "i", before);
}

/* petition_claim_delay_notice - the delay notice, once */
gboolean petition_claim_delay_notice(PmDb *db, gint64 id, gint64 now, gboolean *claimed,
				     GError **error)
{
	*claimed = FALSE;
	if (!db_exec(db, error, "UPDATE petitions SET delay_told_at = ? WHERE id = ? AND "
		     "delay_told_at IS NULL", "ii", now, id))
		return FALSE;
	*claimed = db_changes(db) == 1;
	return TRUE;
}

/* read_counts - the row's two integers into out (gint64[2]; DbReadFn) */
static void read_counts(sqlite3_stmt *st, gpointer out)
{
	((gint64 *)out)[0] = sqlite3_column_int64(st, 0);
	((gint64 *)out)[1] = sqlite3_column_int64(st, 1);
}

/* petition_counts - confirmed and pending, as SQLite's triggers keep them (schema 4) */
gboolean petition_counts(PmDb *db, gint64 id, gint64 *confirmed, gint64 *pending,
			 GError **error)
{
	gint64 both[2] = { 0, 0 };
	gboolean ok = db_row(db, db_query(db, error, "SELECT confirmed, pending FROM "
					  "petition_counts WHERE petition_id = ?", "i", id),
			     read_counts, both, error);

	*confirmed = both[0];
	*pending = both[1];
	return ok;
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
