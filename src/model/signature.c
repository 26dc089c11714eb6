/*
 * signature.c - the signatures table.
 *
 * DIAGNOSTICS: EX_NOUSER for a signature to confirm that is not the member's; database
 * errors as db.c maps them.
 */
#include <string.h>
#include <sysexits.h>
#include "model/signature.h"
#include "base/pm.h"

static const char *const signature_names[] = {
	[SIGNATURE_STATUS_PENDING] = "pending", [SIGNATURE_STATUS_CONFIRMED] = "confirmed",
};
static const char *const source_names[] = {
	[SIGNATURE_SOURCE_REPLY] = "reply", [SIGNATURE_SOURCE_WRITING] = "writing",
	[SIGNATURE_SOURCE_IMPORT] = "import", [SIGNATURE_SOURCE_START] = "start",
	[SIGNATURE_SOURCE_SPONSOR] = "sponsor",
};

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
		/* the confirmation's text joins the first message's: both are the comment */
		if (!db_exec(db, error, "UPDATE signatures SET status = 'confirmed', "
			     "confirmed_at = ?1, comment = CASE WHEN nullif(comment, '') IS NULL "
			     "THEN ?2 WHEN ?2 IS NULL OR ?2 = comment THEN comment "
			     "ELSE comment || char(10) || char(10) || ?2 END, "
			     "message_id = coalesce(message_id, ?3) WHERE id = ?4", "itti", now,
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

/* signature_set_date - an imported signature's own date */
gboolean signature_set_date(PmDb *db, gint64 sig_id, gint64 at, GError **error)
{
	return db_exec(db, error, "UPDATE signatures SET created_at = ?1, confirmed_at = ?1 "
		       "WHERE id = ?2", "ii", at, sig_id);
}

/* signature_forget_member - what the member wrote goes; the signature stays */
gboolean signature_forget_member(PmDb *db, gint64 member_id, GError **error)
{
	return db_exec(db, error, "UPDATE signatures SET comment = NULL, name = NULL, "
		       "message_id = NULL WHERE member_id = ?", "i", member_id);
}

/* signature_withdraw - remove the member's undelivered signature on a petition */
gboolean signature_withdraw(PmDb *db, gint64 petition_id, gint64 member_id,
			    gboolean pending_only, WithdrawResult *res, GError **error)
{
	gint64 id = 0, delivered = 0, pending = 0;

	*res = WITHDRAW_NONE;
	if (!db_int(db, error, &id, 0, "SELECT id FROM signatures WHERE petition_id = ? AND "
		    "member_id = ?", "ii", petition_id, member_id) ||
	    (id && !db_int(db, error, &pending, 0, "SELECT status = 'pending' FROM signatures "
			   "WHERE id = ?", "i", id)))
		return FALSE;
	if (id == 0 || (pending_only && !pending))
		return TRUE;
	if (pending) {
		*res = WITHDRAW_PENDING;
		return db_exec(db, error, "DELETE FROM signatures WHERE id = ?", "i", id);
	}
	/* carried by a delivery's range (queued or sent), and not left in it as a hole */
	if (!db_int(db, error, &delivered, 0, "SELECT count(*) FROM deliveries d WHERE "
		    "d.petition_id = ?1 AND d.status != 'failed' AND ?2 > d.from_signature AND "
		    "?2 <= d.upto_signature AND NOT EXISTS (SELECT 1 FROM delivery_holes h "
		    "WHERE h.signature_id = ?2 AND h.delivery_id IS NULL) OR d.id IN (SELECT "
		    "h.delivery_id FROM delivery_holes h WHERE h.signature_id = ?2)", "ii",
		    petition_id, id))
		return FALSE;
	if (delivered > 0) {
		*res = WITHDRAW_DELIVERED;
		return TRUE;
	}
	if (!db_exec(db, error, "DELETE FROM signatures WHERE id = ?", "i", id))
		return FALSE;
	*res = WITHDRAW_DONE;
	return TRUE;
}

/* signature_sponsors - confirmed sponsors' member ids */
GArray *signature_sponsors(PmDb *db, gint64 petition_id, GError **error)
{
	return db_ids(db, error, "SELECT member_id FROM signatures WHERE petition_id = ? AND "
		      "source = 'sponsor' AND status = 'confirmed' AND member_id IS NOT NULL "
		      "ORDER BY id", "i", petition_id);
}
