/*
 * suppression.c - the suppressions table.
 *
 * DIAGNOSTICS: database errors as db.c maps them.
 */
#include "model/suppression.h"

/* suppression_digest - the stored form of a normalized address; caller frees */
static char *suppression_digest(const PmSecret *key, const char *norm)
{
	char *data = g_strconcat("peermail-suppression-v1:", norm, NULL);
	char *d = token_hmac_hex(key, data, -1);

	g_free(data);
	return d;
}

/* suppression_add - one suppressed address */
gboolean suppression_add(PmDb *db, const PmSecret *key, const char *norm, const char *reason,
			 gint64 now, GError **error)
{
	char *digest = suppression_digest(key, norm);
	gboolean ok = db_exec(db, error, "INSERT OR IGNORE INTO suppressions(digest, reason, "
			      "created_at) VALUES (?, ?, ?)", "tti", digest, reason, now);

	g_free(digest);
	return ok;
}

/* suppression_listed - is this address suppressed */
gboolean suppression_listed(PmDb *db, const PmSecret *key, const char *norm, gboolean *out,
			    GError **error)
{
	char *digest = suppression_digest(key, norm);
	gint64 n = 0;
	gboolean ok = db_int(db, error, &n, 0, "SELECT EXISTS (SELECT 1 FROM suppressions WHERE "
			     "digest = ?)", "t", digest);

	*out = ok && n != 0;
	g_free(digest);
	return ok;
}

/* suppression_any - is anyone suppressed */
gboolean suppression_any(PmDb *db, gboolean *out, GError **error)
{
	gint64 n = 0;
	gboolean ok = db_int(db, error, &n, 0, "SELECT EXISTS (SELECT 1 FROM suppressions)", "");

	*out = ok && n != 0;
	return ok;
}
