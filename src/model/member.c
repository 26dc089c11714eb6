/*
 * member.c - the members table.
 *
 * DIAGNOSTICS: EX_DATAERR for an address that is none, EX_NOUSER for an unknown member;
 * database errors as db.c maps them.
 */
#include <string.h>
#include <sysexits.h>
#include "mail/address.h"
#include "model/district.h"
#include "model/member.h"
#include "model/suppression.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pm.h"

#define MEMBER_COLS "id, email, name, postcode, district, status, bounce_score, created_at, lang, " \
		    "coalesce(address, email)"

static const char *const status_names[] = {
	[MEMBER_STATUS_ACTIVE] = "active", [MEMBER_STATUS_BOUNCING] = "bouncing",
	[MEMBER_STATUS_UNSUBSCRIBED] = "unsubscribed", [MEMBER_STATUS_FORGOTTEN] = "forgotten",
};

/* member_status_name - the status as stored */
const char *member_status_name(MemberStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* member_status_parse - the status stored as s */
gboolean member_status_parse(const char *s, MemberStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (MemberStatus)i;
	return TRUE;
}

static Member *member_from_row(sqlite3_stmt *st)
{
	Member *m = g_new0(Member, 1);

	m->id = sqlite3_column_int64(st, 0);
	m->email = db_col_text(st, 1);
	m->name = db_col_text(st, 2);
	m->postcode = db_col_text(st, 3);
	m->district = db_col_text(st, 4);
	member_status_parse((const char *)sqlite3_column_text(st, 5), &m->status);
	m->bounce_score = sqlite3_column_double(st, 6);
	m->created_at = sqlite3_column_int64(st, 7);
	m->lang = db_col_text(st, 8);
	m->address = db_col_text(st, 9);
	return m;
}

static Member *member_query_one(PmDb *db, sqlite3_stmt *st, GError **error)
{
	Member *m = NULL;

	if (st == NULL)
		return NULL;
	if (db_step(db, st, error))
		m = member_from_row(st);
	db_done(st);
	return m;
}

/* member_address - the address as given, else the key */
const char *member_address(const Member *m)
{
	return m->address ? m->address : m->email;
}

/* member_get - by id */
Member *member_get(PmDb *db, gint64 id, GError **error)
{
	return member_query_one(db, db_query(db, error, "SELECT " MEMBER_COLS
					     " FROM members WHERE id = ?", "i", id), error);
}

/* member_find - by normalized address */
Member *member_find(PmDb *db, const PmConfig *cfg, const char *email, GError **error)
{
	char *norm = address_normalize(cfg, email);
	Member *m;

	if (norm == NULL)
		return NULL;
	m = member_query_one(db, db_query(db, error, "SELECT " MEMBER_COLS
					  " FROM members WHERE email = ?", "t", norm), error);
	g_free(norm);
	return m;
}

/* member_add_bare - a new member with no name, postcode or district, in one statement */
Member *member_add_bare(PmDb *db, const PmConfig *cfg, const char *email, const char *lang,
			GError **error)
{
	char *norm = address_normalize(cfg, email), *given, *ln;
	gint64 now = pm_now();
	GError *e = NULL;
	Member *m;

	if (norm == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s",
			    email ? email : "(none)");
		return NULL;
	}
	given = address_given(email);
	ln = lang_normalize(lang);
	m = member_query_one(db, db_query(db, &e, "INSERT INTO members(email, address, lang, "
					  "created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
					  "RETURNING " MEMBER_COLS, "tttii", norm, given, ln,
					  now, now), &e);
	if (m == NULL && e == NULL)
		g_set_error(&e, PM_ERROR, EX_SOFTWARE, "database: no member made for %s", norm);
	if (e)
		g_propagate_error(error, e);
	g_free(norm);
	g_free(given);
	g_free(ln);
	return m;
}

/* member_need - find, absent is an error */
Member *member_need(PmDb *db, const PmConfig *cfg, const char *email, GError **error)
{
	GError *e = NULL;
	Member *m = member_find(db, cfg, email, &e);

	if (e)
		g_propagate_error(error, e);
	else if (m == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "unknown member %s", email ? email : "");
	return m;
}

/* member_need_id - get, absent is an error */
Member *member_need_id(PmDb *db, gint64 id, GError **error)
{
	GError *e = NULL;
	Member *m = member_get(db, id, &e);

	if (e)
		g_propagate_error(error, e);
	else if (m == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no member %" G_GINT64_FORMAT, id);
	return m;
}

/* member_free - destroy */
Member *member_free(Member *m)
{
	if (m) {
		g_free(m->email);
		g_free(m->address);
		g_free(m->name);
		g_free(m->postcode);
		g_free(m->district);
		g_free(m->lang);
		g_free(m);
	}
	return NULL;
}

/* member_upsert - create or update by address */
gint64 member_upsert(PmDb *db, const PmConfig *cfg, const char *email, const char *name,
		     const char *postcode, const char *district, gboolean overwrite,
		     GError **error)
{
	gboolean created;

	return member_upsert_ex(db, cfg, email, name, postcode, district, overwrite, &created,
				error);
}

/* member_upsert_ex - member_upsert telling whether the member is new */
gint64 member_upsert_ex(PmDb *db, const PmConfig *cfg, const char *email, const char *name,
			const char *postcode, const char *district, gboolean overwrite,
			gboolean *created, GError **error)
{
	char *norm = address_normalize(cfg, email), *given = address_given(email);
	char *n = pm_clean_name(name), *pc = pm_clean_text(postcode);
	char *d = pm_clean_text(district);
	gint64 id = 0, now = pm_now();
	Member *m;
	GError *e = NULL;

	*created = FALSE;
	if (norm == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s",
			    email ? email : "(none)");
		goto out;
	}
	if (d == NULL && pc != NULL) {
		d = district_for_postcode(db, pc, &e);
		if (e) {
			g_propagate_error(error, e);
			goto out;
		}
	}
	m = member_query_one(db, db_query(db, &e, "SELECT " MEMBER_COLS
					  " FROM members WHERE email = ?", "t", norm), &e);
	if (e) {
		g_propagate_error(error, e);
		goto out;
	}
	if (m == NULL) {
		if (db_exec(db, error, "INSERT INTO members(email, address, name, postcode, "
			    "district, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			    "tttttii", norm, given, n, pc, d, now, now)) {
			id = db_last_id(db);
			*created = TRUE;
		}
		goto out;
	}
	id = m->id;
	if (g_strcmp0(m->address, given) != 0)
		log_info("member %" G_GINT64_FORMAT " wrote with another spelling of their "
			 "address: the first one given is kept", id);
	if (!db_exec(db, error,
		     "UPDATE members SET name = CASE WHEN ?2 IS NOT NULL AND (?5 OR name IS NULL "
		     "OR name = '') THEN ?2 ELSE name END, postcode = CASE WHEN ?3 IS NOT NULL AND "
		     "(?5 OR postcode IS NULL) THEN ?3 ELSE postcode END, district = CASE WHEN ?4 "
		     "IS NOT NULL AND (?5 OR district IS NULL) THEN ?4 ELSE district END, "
		     "address = coalesce(address, ?7), updated_at = ?6 WHERE id = ?1", "itttiit",
		     id, n, pc, d, (gint64)(overwrite ? 1 : 0), now, given))
		id = 0;
	member_free(m);
out:
	g_free(norm);
	g_free(given);
	g_free(n);
	g_free(pc);
	g_free(d);
	return id;
}

/* member_set_lang - set (or, from mail, adopt) a member's language */
gboolean member_set_lang(PmDb *db, gint64 id, const char *lang, gboolean overwrite,
			 gboolean *changed, GError **error)
{
	char *norm = lang_normalize(lang);
	gboolean ok;

	if (changed)
		*changed = FALSE;
	if (lang && *lang && norm == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "unknown language tag %s", lang);
		return FALSE;
	}
	ok = db_exec(db, error, "UPDATE members SET lang = ?2, updated_at = ?3 WHERE id = ?1 "
		     "AND lang IS NOT ?2 AND (?4 OR lang IS NULL)", "itii", id, norm, pm_now(),
		     (gint64)(overwrite ? 1 : 0));
	if (ok && changed)
		*changed = db_changes(db) > 0;
	g_free(norm);
	return ok;
}

/* member_set_status - change a member's status */
gboolean member_set_status(PmDb *db, gint64 id, MemberStatus status, GError **error)
{
	return db_exec(db, error, "UPDATE members SET status = ?, updated_at = ? WHERE id = ?",
		       "tii", member_status_name(status), pm_now(), id);
}

/* member_first_name - first word of the name */
char *member_first_name(const char *name)
{
	const char *p, *end;

	if (name == NULL)
		return g_strdup("");
	p = name;
	while (*p == ' ' || *p == '"')
		p++;
	end = p;
	while (*end && *end != ' ' && *end != '"' && *end != ',')
		end++;
	return g_strndup(p, end - p);
}

/* member_to_json - template data */
JsonNode *member_to_json(const Member *m)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *n;
	char *first = member_first_name(m->name);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "email");
	json_builder_add_string_value(b, member_address(m) ? member_address(m) : "");
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, m->name ? m->name : "");
	json_builder_set_member_name(b, "first_name");
	json_builder_add_string_value(b, first);
	json_builder_set_member_name(b, "postcode");
	json_builder_add_string_value(b, m->postcode ? m->postcode : "");
	json_builder_set_member_name(b, "district");
	json_builder_add_string_value(b, m->district ? m->district : "");
	json_builder_set_member_name(b, "lang");
	json_builder_add_string_value(b, m->lang ? m->lang : "");
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	g_free(first);
	return n;
}

/* member_suppressed - asked to be forgotten, and not a member again since */
gboolean member_suppressed(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *email, gboolean *out, GError **error)
{
	char *norm = address_normalize(cfg, email);
	gboolean listed = FALSE, ok;
	gint64 back = 0;

	*out = FALSE;
	if (norm == NULL)
		return TRUE;            /* not an address: the caller's own check refuses it */
	ok = suppression_listed(db, key, norm, &listed, error) &&
	     (!listed || db_int(db, error, &back, 0, "SELECT EXISTS (SELECT 1 FROM members "
				"WHERE email = ?)", "t", norm));
	*out = ok && listed && back == 0;
	g_free(norm);
	return ok;
}

/* member_erase - the member row's part of forgetting */
gboolean member_erase(PmDb *db, gint64 id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE members SET email = NULL, address = NULL, name = NULL, "
		       "postcode = NULL, lang = NULL, "
		       "status = 'forgotten', bounce_score = 0, bounce_at = NULL, updated_at = ? "
		       "WHERE id = ?", "ii", now, id);
}

/* member_set_bounce_score - cache the score and the time of the last bounce */
gboolean member_set_bounce_score(PmDb *db, gint64 id, double score, gint64 at,
				 GError **error)
{
	return db_exec(db, error, "UPDATE members SET bounce_score = ?, bounce_at = ?, "
		       "updated_at = ? WHERE id = ?", "diii", score, at, at, id);
}

/* member_mark_bouncing - an active member stops getting mail */
gboolean member_mark_bouncing(PmDb *db, gint64 id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE members SET status = 'bouncing', updated_at = ? "
		       "WHERE id = ? AND status = 'active'", "ii", now, id);
}

/* member_mark_unsubscribed - an active or bouncing member is unsubscribed */
gboolean member_mark_unsubscribed(PmDb *db, gint64 id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE members SET status = 'unsubscribed', updated_at = ? "
		       "WHERE id = ? AND status IN ('active', 'bouncing')", "ii", now, id);
}

/* One member whose district may change. */
typedef struct {
	gint64 id;
	char *postcode;
	char *district;
} Rederive;

/* rederive_clear - for the batch array */
static void rederive_clear(gpointer p)
{
	Rederive *r = p;

	g_free(r->postcode);
	g_free(r->district);
}

#define REDERIVE_BATCH 1000

/* member_districts_rederive - members' districts from their postcodes, in id batches */
gboolean member_districts_rederive(PmDb *db, gboolean all, gint64 *changed, GError **error)
{
	GArray *batch = g_array_new(FALSE, TRUE, sizeof(Rederive));
	gint64 cursor = 0, now = pm_now();
	GError *e = NULL;
	gboolean ok = TRUE;

	*changed = 0;
	g_array_set_clear_func(batch, rederive_clear);
	do {
		sqlite3_stmt *st = db_query(db, &e, "SELECT id, postcode, district FROM members "
					    "WHERE id > ?1 AND postcode IS NOT NULL AND (?2 OR "
					    "district IS NULL OR district = '') ORDER BY id LIMIT ?3",
					    "iii", cursor, (gint64)(all ? 1 : 0),
					    (gint64)REDERIVE_BATCH);

		g_array_set_size(batch, 0);
		while (st && db_step(db, st, &e)) {
			Rederive r = { sqlite3_column_int64(st, 0), db_col_text(st, 1),
				       db_col_text(st, 2) };

			g_array_append_val(batch, r);
			cursor = r.id;
		}
		db_done(st);
		/* the statement is done before the writes: no update under an open read */
		for (guint i = 0; e == NULL && i < batch->len; i++) {
			Rederive *r = &g_array_index(batch, Rederive, i);
			char *d = district_for_postcode(db, r->postcode, &e);

			if (d && g_strcmp0(d, r->district) != 0 &&
			    db_exec(db, &e, "UPDATE members SET district = ?, updated_at = ? WHERE "
				    "id = ?", "tii", d, now, r->id))
				(*changed)++;
			g_free(d);
		}
	} while (e == NULL && batch->len == REDERIVE_BATCH);
	g_array_unref(batch);
	if (e) {
		g_propagate_error(error, e);
		ok = FALSE;
	}
	return ok;
}
