/*
 * member.c - the members table and the district lookup.
 */
#include <string.h>
#include <sysexits.h>
#include "address.h"
#include "member.h"
#include "pm.h"

#define MEMBER_COLS "id, email, name, postcode, district, status, bounce_score, created_at"

static Member *member_from_row(sqlite3_stmt *st)
{
	Member *m = g_new0(Member, 1);

	m->id = sqlite3_column_int64(st, 0);
	m->email = db_col_text(st, 1);
	m->name = db_col_text(st, 2);
	m->postcode = db_col_text(st, 3);
	m->district = db_col_text(st, 4);
	m->status = db_col_text(st, 5);
	m->bounce_score = sqlite3_column_double(st, 6);
	m->created_at = sqlite3_column_int64(st, 7);
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

/* member_free - destroy */
Member *member_free(Member *m)
{
	if (m) {
		g_free(m->email);
		g_free(m->name);
		g_free(m->postcode);
		g_free(m->district);
		g_free(m->status);
		g_free(m);
	}
	return NULL;
}

/* postcode_normalize - comparable postcode */
char *postcode_normalize(const char *postcode)
{
	GString *s;

	if (postcode == NULL)
		return NULL;
	s = g_string_new(NULL);
	for (const char *p = postcode; *p; p++)
		if (!g_ascii_isspace(*p) && (unsigned char)*p >= 0x20)
			g_string_append_c(s, g_ascii_toupper(*p));
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* district_for_postcode - longest prefix match in districts */
char *district_for_postcode(PmDb *db, const char *postcode, GError **error)
{
	char *pc = postcode_normalize(postcode);
	sqlite3_stmt *st;
	char *d = NULL;

	if (pc == NULL)
		return NULL;
	st = db_query(db, error,
		      "SELECT district FROM districts WHERE prefix <= ?1 AND "
		      "substr(?1, 1, length(prefix)) = prefix ORDER BY length(prefix) DESC LIMIT 1",
		      "t", pc);
	if (st && db_step(db, st, error))
		d = db_col_text(st, 0);
	db_done(st);
	g_free(pc);
	return d;
}

static char *clean(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = g_strstrip(g_strdup(s));
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (!g_utf8_validate(c, -1, NULL)) {
		char *v = g_utf8_make_valid(c, -1);
		g_free(c);
		c = v;
	}
	return c;
}

/* member_upsert - create or update by address */
gint64 member_upsert(PmDb *db, const PmConfig *cfg, const char *email, const char *name,
		     const char *postcode, const char *district, gboolean overwrite,
		     GError **error)
{
	char *norm = address_normalize(cfg, email);
	char *n = clean(name), *pc = clean(postcode), *d = clean(district);
	gint64 id = 0, now = pm_now();
	Member *m;
	GError *e = NULL;

	if (norm == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s",
			    email ? email : "(none)");
		goto out;
	}
	if (n && *n == '\0')
		g_clear_pointer(&n, g_free);
	if (pc && *pc == '\0')
		g_clear_pointer(&pc, g_free);
	if (d && *d == '\0')
		g_clear_pointer(&d, g_free);
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
		if (db_exec(db, error, "INSERT INTO members(email, name, postcode, district, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", "ttttii",
			    norm, n, pc, d, now, now))
			id = db_last_id(db);
		goto out;
	}
	id = m->id;
	if (!db_exec(db, error,
		     "UPDATE members SET name = CASE WHEN ?2 IS NOT NULL AND (?5 OR name IS NULL "
		     "OR name = '') THEN ?2 ELSE name END, postcode = CASE WHEN ?3 IS NOT NULL AND "
		     "(?5 OR postcode IS NULL) THEN ?3 ELSE postcode END, district = CASE WHEN ?4 "
		     "IS NOT NULL AND (?5 OR district IS NULL) THEN ?4 ELSE district END, "
		     "updated_at = ?6 WHERE id = ?1", "itttii", id, n, pc, d,
		     (gint64)(overwrite ? 1 : 0), now))
		id = 0;
	member_free(m);
out:
	g_free(norm);
	g_free(n);
	g_free(pc);
	g_free(d);
	return id;
}

/* member_set_status - change a member's status */
gboolean member_set_status(PmDb *db, gint64 id, const char *status, GError **error)
{
	return db_exec(db, error, "UPDATE members SET status = ?, updated_at = ? WHERE id = ?",
		       "tii", status, pm_now(), id);
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
	json_builder_add_string_value(b, m->email ? m->email : "");
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, m->name ? m->name : "");
	json_builder_set_member_name(b, "first_name");
	json_builder_add_string_value(b, first);
	json_builder_set_member_name(b, "postcode");
	json_builder_add_string_value(b, m->postcode ? m->postcode : "");
	json_builder_set_member_name(b, "district");
	json_builder_add_string_value(b, m->district ? m->district : "");
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	g_free(first);
	return n;
}
