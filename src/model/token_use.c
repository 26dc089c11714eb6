/*
 * token_use.c - the token_uses table.
 *
 * DIAGNOSTICS: database errors as db.c maps them.
 */
#include "model/token_use.h"

/* token_use_claim - one use of a one-time token */
gboolean token_use_claim(PmDb *db, const PmSecret *key, TokenPurpose purpose, const char *text,
			 gint64 now, gboolean *first, GError **error)
{
	char *lower = g_ascii_strdown(text, -1);
	char *data = g_strdup_printf("peermail-token-use-v1:%d:%s", (int)purpose, lower);
	char *digest = token_hmac_hex(key, data, -1);
	gboolean ok = db_exec(db, error, "INSERT OR IGNORE INTO token_uses(digest, purpose, "
			      "used_at) VALUES (?, ?, ?)", "tii", digest, (gint64)purpose, now);

	*first = ok && db_changes(db) > 0;
	g_free(digest);
	g_free(data);
	g_free(lower);
	return ok;
}
