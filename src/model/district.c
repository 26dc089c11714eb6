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

/* district_table_free - destroy */
DistrictTable *district_table_free(DistrictTable *t)
{
	if (t) {
		g_ptr_array_unref(t->prefixes);
		g_ptr_array_unref(t->members);
		g_free(t);
	}
	return NULL;
}

/* prefix_free - a DistrictPrefix */
static void prefix_free(gpointer p)
{
	DistrictPrefix *x = p;

	g_free(x->prefix);
	g_free(x->district);
	g_free(x);
}

/* count_free - a DistrictCount */
static void count_free(gpointer p)
{
	DistrictCount *x = p;

	g_free(x->district);
	g_free(x);
}

/* prefix_row - one row of the districts table */
static gpointer prefix_row(sqlite3_stmt *st)
{
	DistrictPrefix *x = g_new0(DistrictPrefix, 1);

	x->prefix = db_col_text(st, 0);
	x->district = db_col_text(st, 1);
	return x;
}

/* count_row - one district with its number of members */
static gpointer count_row(sqlite3_stmt *st)
{
	DistrictCount *x = g_new0(DistrictCount, 1);

	x->district = db_col_text(st, 0);
	x->members = sqlite3_column_int64(st, 1);
	return x;
}

/* district_table - the lookup table and members per district */
DistrictTable *district_table(PmDb *db, GError **error)
{
	DistrictTable *t = g_new0(DistrictTable, 1);

	t->prefixes = g_ptr_array_new_with_free_func(prefix_free);
	t->members = g_ptr_array_new_with_free_func(count_free);
	if (!db_rows_into(db, db_query(db, error, "SELECT prefix, district FROM districts ORDER "
				       "BY district, prefix", NULL), t->prefixes, prefix_row,
			  error) ||
	    !db_rows_into(db, db_query(db, error, "SELECT district, count(*) FROM members WHERE "
				       "district IS NOT NULL AND district != '' AND status != "
				       "'forgotten' GROUP BY district ORDER BY district", NULL),
			  t->members, count_row, error))
		return district_table_free(t);
	return t;
}
