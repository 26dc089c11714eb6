/*
 * spelling.c - the rows that hold any spelling of an address (see spelling.h).
 */
#include <string.h>
#include "mail/address.h"
#include "model/spelling.h"

/* spelling_ids - ids of sql's rows with a spelling of key in any address column */
char *spelling_ids(PmDb *db, const PmConfig *cfg, const char *key, const char *sql,
		   GError **error)
{
	GString *ids = g_string_new("[");
	const char *at = key && cfg ? strrchr(key, '@') : NULL;
	char **domains = at ? address_key_domains(cfg, at + 1) : NULL;
	GError *e = NULL;

	for (int i = 0; domains && domains[i] && e == NULL; i++) {
		char *like = g_strdup_printf("%%@%s", domains[i]);
		sqlite3_stmt *st = db_query(db, &e, sql, "t", like);

		while (st && db_step(db, st, &e)) {
			int cols = sqlite3_column_count(st);
			gboolean theirs = FALSE;

			for (int c = 1; c < cols && !theirs; c++)
				theirs = address_has_key(cfg,
							 (const char *)sqlite3_column_text(st, c), key);
			if (theirs)
				g_string_append_printf(ids, "%s%" G_GINT64_FORMAT,
						       ids->len > 1 ? "," : "",
						       (gint64)sqlite3_column_int64(st, 0));
		}
		db_done(st);
		g_free(like);
	}
	g_strfreev(domains);
	if (e) {
		g_propagate_error(error, e);
		g_string_free(ids, TRUE);
		return NULL;
	}
	g_string_append_c(ids, ']');
	return g_string_free(ids, FALSE);
}
