/*
 * inbound_log.c - the inbound table.
 *
 * DIAGNOSTICS: database errors as db.c maps them (a duplicate digest: EX_DATAERR).
 */
#include <string.h>
#include "model/spelling.h"
#include "model/inbound_log.h"

/* inbound_log_add - a received message, not handled yet, unless its digest is logged */
gint64 inbound_log_add(PmDb *db, const char *message_id, const char *digest,
		       const char *sender, const char *recipient, const char *from_addr,
		       const char *subject, gint64 now, gboolean *dup, GError **error)
{
	gint64 id = 0;

	*dup = FALSE;
	if (!db_int(db, error, &id, 0, "INSERT INTO inbound(message_id, digest, sender, "
		    "recipient, from_addr, subject, kind, action, result, created_at) VALUES (?, ?, "
		    "?, ?, ?, ?, 'message', 'received', 'pending', ?) ON CONFLICT (digest) DO "
		    "NOTHING RETURNING id", "tttttti", message_id, digest, sender, recipient,
		    from_addr, subject, now))
		return 0;
	*dup = id == 0;
	return id;
}

/* inbound_log_finish - the outcome of a logged message */
gboolean inbound_log_finish(PmDb *db, gint64 id, const char *kind, const char *action,
			    const char *result, GBytes *raw, GError **error)
{
	return db_exec(db, error, "UPDATE inbound SET kind = ?, action = ?, result = ?, raw = ? "
		       "WHERE id = ?", "tttbi", kind ? kind : "message", action, result,
		       raw ? g_bytes_get_data(raw, NULL) : NULL,
		       raw ? g_bytes_get_size(raw) : (gsize)0, id);
}

/* inbound_log_forget_member - clear what identifies the member */
gboolean inbound_log_forget_member(PmDb *db, const PmConfig *cfg, gint64 member_id,
				   const char *email, const char *address, GError **error)
{
	char *ids = spelling_ids(db, cfg, email, "SELECT id, from_addr, sender FROM inbound "
				 "WHERE lower(from_addr) LIKE ?1 OR lower(sender) LIKE ?1", error);
	gboolean ok = ids && db_exec(db, error, "UPDATE inbound SET sender = NULL, "
		"from_addr = NULL, subject = NULL, raw = NULL WHERE id IN (SELECT inbound_id FROM "
		"stories WHERE member_id = ?1) OR lower(from_addr) IN (lower(?2), lower(?3)) OR "
		"lower(sender) IN (lower(?2), lower(?3)) OR id IN (SELECT value FROM json_each(?4))",
		"ittt", member_id, email, address, ids);

	g_free(ids);
	return ok;
}
