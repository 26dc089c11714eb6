/*
 * petition.c - the petitions and signatures tables.
 */
#include <string.h>
#include <sysexits.h>
#include "mail/address.h"
#include "model/petition.h"
#include "base/pm.h"

#define PETITION_COLS "id, slug, title, text, status, disclose, goal, closes_at, milestone, " \
		      "created_at"

static const char *const petition_names[] = {
	[PETITION_STATUS_DRAFT] = "draft", [PETITION_STATUS_OPEN] = "open",
	[PETITION_STATUS_CLOSED] = "closed",
};
static const char *const signature_names[] = {
	[SIGNATURE_STATUS_PENDING] = "pending", [SIGNATURE_STATUS_CONFIRMED] = "confirmed",
};
static const char *const source_names[] = {
	[SIGNATURE_SOURCE_REPLY] = "reply", [SIGNATURE_SOURCE_WRITING] = "writing",
	[SIGNATURE_SOURCE_IMPORT] = "import",
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

/* signature_status_name - the status as stored */
const char *signature_status_name(SignatureStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(signature_names) ? signature_names[status] : NULL;
}

/* signature_status_parse - the status stored as s */
gboolean signature_status_parse(const char *s, SignatureStatus *status)
{
	int i = pm_name_index(signature_names, G_N_ELEMENTS(signature_names), s);

	if (i < 0)
		return FALSE;
	*status = (SignatureStatus)i;
	return TRUE;
}

/* signature_source_name - the source as stored */
const char *signature_source_name(SignatureSource source)
{
	return (unsigned)source < G_N_ELEMENTS(source_names) ? source_names[source] : NULL;
}

/* signature_source_parse - the source stored as s */
gboolean signature_source_parse(const char *s, SignatureSource *source)
{
	int i = pm_name_index(source_names, G_N_ELEMENTS(source_names), s);

	if (i < 0)
		return FALSE;
	*source = (SignatureSource)i;
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

/* petition_create - insert an open petition */
gint64 petition_create(PmDb *db, const PmConfig *cfg, const char *slug, const char *title,
		       const char *text, gint64 goal, gint64 closes_at, GError **error)
{
	GError *e = NULL;

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
	if (!db_exec(db, &e, "INSERT INTO petitions(slug, title, text, goal, closes_at, "
		     "created_at) VALUES (?, ?, ?, ?, ?, ?)", "tttiii", slug, title,
		     text ? text : "", goal, closes_at, pm_now())) {
		if (e->code == EX_DATAERR) {
			g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' exists already",
				    slug);
			g_error_free(e);
		} else
			g_propagate_error(error, e);
		return 0;
	}
	return db_last_id(db);
}

/* petition_set_status - open or close */
gboolean petition_set_status(PmDb *db, gint64 id, PetitionStatus status, GError **error)
{
	return db_exec(db, error, "UPDATE petitions SET status = ? WHERE id = ?", "ti",
		       petition_status_name(status), id);
}

/* petition_is_open - accepting signatures now */
gboolean petition_is_open(const Petition *p)
{
	return p->status == PETITION_STATUS_OPEN && (p->closes_at == 0 || p->closes_at > pm_now());
}

/* petition_counts - confirmed and pending */
gboolean petition_counts(PmDb *db, gint64 id, gint64 *confirmed, gint64 *pending,
			 GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT sum(status = 'confirmed'), "
				    "sum(status = 'pending') FROM signatures WHERE petition_id = ?",
				    "i", id);
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

/* petition_to_json - template data */
JsonNode *petition_to_json(PmDb *db, const PmConfig *cfg, const Petition *p)
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

/* signature_add - one signature per member and petition */
gint64 signature_add(PmDb *db, gint64 petition_id, gint64 member_id, gboolean confirmed,
		     SignatureSource source, const char *comment, const char *message_id,
		     SignResult *result, GError **error)
{
	sqlite3_stmt *st;
	GError *e = NULL;
	gint64 id = 0, now = pm_now();
	SignatureStatus status = SIGNATURE_STATUS_PENDING;

	if (comment && *comment == '\0')
		comment = NULL;
	st = db_query(db, &e, "SELECT id, status FROM signatures WHERE petition_id = ? AND "
		      "member_id = ?", "ii", petition_id, member_id);
	if (st && db_step(db, st, &e)) {
		id = sqlite3_column_int64(st, 0);
		signature_status_parse((const char *)sqlite3_column_text(st, 1), &status);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return 0;
	}
	if (id == 0) {
		if (!db_exec(db, error, "INSERT INTO signatures(petition_id, member_id, status, "
			     "source, comment, message_id, created_at, confirmed_at) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0))", "iittttii", petition_id,
			     member_id,
			     signature_status_name(confirmed ? SIGNATURE_STATUS_CONFIRMED :
						   SIGNATURE_STATUS_PENDING),
			     signature_source_name(source), comment,
			     message_id, now, confirmed ? now : (gint64)0))
			return 0;
		*result = confirmed ? SIGN_NEW_CONFIRMED : SIGN_NEW_PENDING;
		return db_last_id(db);
	}
	if (confirmed && status == SIGNATURE_STATUS_PENDING) {
		if (!db_exec(db, error, "UPDATE signatures SET status = 'confirmed', "
			     "confirmed_at = ?, comment = coalesce(nullif(comment, ''), ?), "
			     "message_id = coalesce(message_id, ?) WHERE id = ?", "itti", now,
			     comment, message_id, id))
			return 0;
		*result = SIGN_CONFIRMED_NOW;
	} else {
		*result = SIGN_ALREADY;
	}
	return id;
}

/* signature_confirm - confirm a pending signature by id, for its own member only */
gboolean signature_confirm(PmDb *db, gint64 sig_id, gint64 member_id, const char *comment,
			   SignResult *result, gint64 *petition_id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT petition_id, member_id FROM signatures "
				    "WHERE id = ?", "i", sig_id);
	GError *e = NULL;
	gint64 pid = 0, mid = 0;

	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		pid = sqlite3_column_int64(st, 0);
		mid = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (pid == 0 || mid != member_id) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "no such signature to confirm");
		return FALSE;
	}
	*petition_id = pid;
	return signature_add(db, pid, member_id, TRUE, SIGNATURE_SOURCE_WRITING, comment, NULL,
			     result, error) != 0;
}

/* signature_note_already - mark that the 'already signed' note went out */
gboolean signature_note_already(PmDb *db, gint64 sig_id, gboolean *first, GError **error)
{
	if (!db_exec(db, error, "UPDATE signatures SET already_noted = 1 WHERE id = ? AND "
		     "already_noted = 0", "i", sig_id))
		return FALSE;
	*first = db_changes(db) > 0;
	return TRUE;
}

/* signature_lookup - one signature's petition, member and status */
gboolean signature_lookup(PmDb *db, gint64 sig_id, gint64 *petition_id, gint64 *member_id,
			  SignatureStatus *status, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT petition_id, coalesce(member_id, 0), "
				    "status FROM signatures WHERE id = ?", "i", sig_id);
	GError *e = NULL;
	gboolean found = FALSE;

	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		*petition_id = sqlite3_column_int64(st, 0);
		*member_id = sqlite3_column_int64(st, 1);
		found = signature_status_parse((const char *)sqlite3_column_text(st, 2), status);
	}
	db_done(st);
	if (e)
		g_propagate_error(error, e);
	return found;
}

/* signature_add_anonymous - a memberless imported signature, once per name and district */
gboolean signature_add_anonymous(PmDb *db, gint64 petition_id, const char *name,
				 const char *district, const char *comment, gint64 at,
				 gboolean *created, GError **error)
{
	gint64 have = 0;

	*created = FALSE;
	if (!db_int(db, error, &have, 0, "SELECT count(*) FROM signatures WHERE petition_id = ? "
		    "AND member_id IS NULL AND source = 'import' AND name IS ? AND district IS ?",
		    "itt", petition_id, name, district))
		return FALSE;
	if (have > 0)
		return TRUE;
	if (!db_exec(db, error, "INSERT INTO signatures(petition_id, member_id, status, source, "
		     "name, district, comment, created_at, confirmed_at) VALUES (?1, NULL, "
		     "'confirmed', 'import', ?2, ?3, ?4, ?5, ?5)", "ittti",
		     petition_id, name, district, comment, at))
		return FALSE;
	*created = TRUE;
	return TRUE;
}

/* signature_exists - has the member a confirmed signature? */
gboolean signature_exists(PmDb *db, gint64 petition_id, gint64 member_id, gboolean *is_signed,
			  GError **error)
{
	gint64 n = 0;

	if (!db_int(db, error, &n, 0, "SELECT count(*) FROM signatures WHERE petition_id = ? AND "
		    "member_id = ? AND status = 'confirmed'", "ii", petition_id, member_id))
		return FALSE;
	*is_signed = n > 0;
	return TRUE;
}
