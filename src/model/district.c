/*
 * district.c - the districts table and the postcode -> district rule.
 *
 * The lookup asks the table for each prefix of the normalized postcode, longest first (one
 * statement: a primary-key probe per length, so it costs the same with ten prefixes or
 * ten thousand), the empty prefix included, as a table row could hold one.
 *
 * DIAGNOSTICS: database errors as db.c maps them.
 */
#include "model/district.h"

/* postcode_normalize - the comparable form of a postcode */
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

/* district_for_postcode - the longest prefix match */
char *district_for_postcode(PmDb *db, const char *postcode, GError **error)
{
	char *pc = postcode_normalize(postcode);
	char *d = NULL;

	if (pc == NULL)
		return NULL;
	db_text(db, error, &d,
		"WITH RECURSIVE len(k) AS (SELECT length(?1) UNION ALL SELECT k - 1 FROM len "
		"WHERE k > 0) SELECT d.district FROM len JOIN districts d ON d.prefix = "
		"substr(?1, 1, len.k) ORDER BY len.k DESC LIMIT 1", "t", pc);
	g_free(pc);
	return d;
}

/* district_set - one prefix -> district row */
gboolean district_set(PmDb *db, const char *prefix, const char *district, GError **error)
{
	return db_exec(db, error, "INSERT OR REPLACE INTO districts(prefix, district) VALUES (?, ?)",
		       "tt", prefix, district);
}

/* add_str - a string member, "" for NULL */
static void add_str(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, value ? value : "");
}

/* district_list_json - the lookup table and members per district */
JsonNode *district_list_json(PmDb *db, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT prefix, district FROM districts ORDER BY "
				    "district, prefix", NULL);
	JsonBuilder *b;
	JsonNode *n;
	GError *e = NULL;

	if (st == NULL)
		return NULL;
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "districts");
	json_builder_begin_array(b);
	while (db_step(db, st, &e)) {
		json_builder_begin_object(b);
		add_str(b, "prefix", (const char *)sqlite3_column_text(st, 0));
		add_str(b, "district", (const char *)sqlite3_column_text(st, 1));
		json_builder_end_object(b);
	}
	db_done(st);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "members");
	json_builder_begin_object(b);
	if (e == NULL) {
		st = db_query(db, &e, "SELECT district, count(*) FROM members WHERE district IS NOT "
			      "NULL AND district != '' AND status != 'forgotten' GROUP BY district "
			      "ORDER BY district", NULL);
		while (st && db_step(db, st, &e)) {
			json_builder_set_member_name(b, (const char *)sqlite3_column_text(st, 0));
			json_builder_add_int_value(b, sqlite3_column_int64(st, 1));
		}
		db_done(st);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	if (e) {
		g_propagate_error(error, e);
		json_node_unref(n);
		return NULL;
	}
	return n;
}
