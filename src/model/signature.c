/*
 * signature.c - the signatures table.
 *
 * DIAGNOSTICS: EX_NOUSER for a signature to confirm that is not the member's; database
 * errors as db.c maps them.
 */
#include <string.h>
#include <sysexits.h>
#include "model/district.h"
#include "model/signature.h"
#include "base/pm.h"

static const char *const signature_names[] = {
	[SIGNATURE_STATUS_PENDING] = "pending", [SIGNATURE_STATUS_CONFIRMED] = "confirmed",
	[SIGNATURE_STATUS_SUSPECT] = "suspect", [SIGNATURE_STATUS_INVALID] = "invalid",
};
static const char *const source_names[] = {
	[SIGNATURE_SOURCE_REPLY] = "reply", [SIGNATURE_SOURCE_WRITING] = "writing",
	[SIGNATURE_SOURCE_IMPORT] = "import", [SIGNATURE_SOURCE_WEB] = "web",
	[SIGNATURE_SOURCE_START] = "start", [SIGNATURE_SOURCE_SPONSOR] = "sponsor",
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

/* insert - a new signature of member_id on petition_id, unless there is one: its id, 0
 * (no error) when the member has signed it before */
static gint64 insert(PmDb *db, gint64 petition_id, gint64 member_id, SignatureStatus status,
		     SignatureSource source, const char *comment, const char *message_id,
		     gint64 now, GError **error)
{
	gint64 id = 0;

	/* the signer's domain, kept for the per-domain limit's index (schema 12) */
	db_int(db, error, &id, 0, "INSERT INTO signatures(petition_id, member_id, status, "
	       "source, comment, message_id, created_at, confirmed_at, domain) "
	       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), (SELECT "
	       "lower(substr(email, instr(email, '@') + 1)) FROM members WHERE "
	       "id = ?2)) ON CONFLICT (petition_id, member_id) DO NOTHING RETURNING id",
	       "iittttii", petition_id, member_id, signature_status_name(status),
	       signature_source_name(source), comment, message_id, now,
	       status == SIGNATURE_STATUS_CONFIRMED ? now : (gint64)0);
	return id;
}

/* add - one signature per member and petition; held: a new one is suspect. A mail that
 * only asks (not confirmed) is nearly always a first one: it tries the insert first (one
 * statement); a confirmation nearly always finds its pending signature: it looks first */
static gint64 add(PmDb *db, gint64 petition_id, gint64 member_id, gboolean confirmed,
		  gboolean held, SignatureSource source, const char *comment,
		  const char *message_id, SignResult *result, GError **error)
{
	sqlite3_stmt *st;
	GError *e = NULL;
	gint64 id = 0, now = pm_now(), confirmed_at = 0;
	SignatureStatus status = SIGNATURE_STATUS_PENDING;
	SignatureStatus s = held ? SIGNATURE_STATUS_SUSPECT :
			    confirmed ? SIGNATURE_STATUS_CONFIRMED : SIGNATURE_STATUS_PENDING;

	if (comment && *comment == '\0')
		comment = NULL;
	if (!confirmed) {
		if ((id = insert(db, petition_id, member_id, s, source, comment, message_id, now,
				 &e)) != 0) {
			*result = SIGN_NEW_PENDING;
			return id;
		}
		if (e) {
			g_propagate_error(error, e);
			return 0;
		}
	}
	st = db_query(db, &e, "SELECT id, status, coalesce(confirmed_at, 0) FROM signatures "
		      "WHERE petition_id = ? AND member_id = ?", "ii", petition_id, member_id);
	if (st && db_step(db, st, &e)) {
		id = sqlite3_column_int64(st, 0);
		signature_status_parse((const char *)sqlite3_column_text(st, 1), &status);
		confirmed_at = sqlite3_column_int64(st, 2);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return 0;
	}
	if (id == 0) {
		if ((id = insert(db, petition_id, member_id, s, source, comment, message_id, now,
				 &e)) == 0) {
			if (e == NULL)
				g_set_error(&e, PM_ERROR, EX_SOFTWARE, "database: no signature made");
			g_propagate_error(error, e);
			return 0;
		}
		*result = confirmed ? SIGN_NEW_CONFIRMED : SIGN_NEW_PENDING;
		return id;
	}
	/* held (suspect) or invalidated while awaiting its signer (the table in signature.h):
	 * the signer's confirmation is recorded, the hold or the invalidation stays (an
	 * organizer lifts it); an invalidated pending one will be restored as confirmed, an
	 * invalidated suspect one as suspect, its confirmation kept for the clearing */
	if (confirmed && confirmed_at == 0 &&
	    (status == SIGNATURE_STATUS_SUSPECT || status == SIGNATURE_STATUS_INVALID)) {
		if (!db_exec(db, error, "UPDATE signatures SET confirmed_at = ?1, held_status = "
			     "CASE WHEN held_status = 'pending' THEN 'confirmed' ELSE held_status "
			     "END, comment = CASE WHEN nullif(comment, '') IS NULL "
			     "THEN ?2 WHEN ?2 IS NULL OR ?2 = comment THEN comment "
			     "ELSE comment || char(10) || char(10) || ?2 END, "
			     "message_id = coalesce(message_id, ?3) WHERE id = ?4", "itti", now,
			     comment, message_id, id))
			return 0;
		*result = SIGN_CONFIRMED_NOW;
		return id;
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

/* signature_add - one signature per member and petition */
gint64 signature_add(PmDb *db, gint64 petition_id, gint64 member_id, gboolean confirmed,
		     SignatureSource source, const char *comment, const char *message_id,
		     SignResult *result, GError **error)
{
	return add(db, petition_id, member_id, confirmed, FALSE, source, comment, message_id,
		   result, error);
}

/* signature_add_held - a new signature over a limit is suspect */
gint64 signature_add_held(PmDb *db, gint64 petition_id, gint64 member_id,
			  SignatureSource source, const char *comment, const char *message_id,
			  SignResult *result, GError **error)
{
	return add(db, petition_id, member_id, FALSE, TRUE, source, comment, message_id,
		   result, error);
}

/* signature_awaits_confirmation - pending, or held or invalid before its signer confirmed */
gboolean signature_awaits_confirmation(PmDb *db, gint64 sig_id, gboolean *awaits,
				       GError **error)
{
	gint64 n = 0;

	if (!db_int(db, error, &n, 0, "SELECT count(*) FROM signatures WHERE id = ? AND "
		    "(status = 'pending' OR (status IN ('suspect', 'invalid') AND confirmed_at IS "
		    "NULL))", "i", sig_id))
		return FALSE;
	*awaits = n > 0;
	return TRUE;
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

/* signature_keep_postcode - a typed postcode kept with a signature awaiting its signer */
gboolean signature_keep_postcode(PmDb *db, gint64 sig_id, const char *postcode,
				 GError **error)
{
	return db_exec(db, error, "UPDATE signatures SET postcode = ?2 WHERE id = ?1 AND "
		       "member_id IS NOT NULL AND postcode IS NULL AND (status = 'pending' OR "
		       "(status IN ('suspect', 'invalid') AND confirmed_at IS NULL))", "it",
		       sig_id, postcode);
}

/* signature_kept_postcode - the postcode kept with a signature awaiting its signer */
gboolean signature_kept_postcode(PmDb *db, gint64 sig_id, char **postcode, GError **error)
{
	*postcode = NULL;
	return db_text(db, error, postcode, "SELECT postcode FROM signatures WHERE id = ? AND "
		       "member_id IS NOT NULL", "i", sig_id);
}

/* signature_take_postcode - read and clear the postcode kept with a member's signature */
gboolean signature_take_postcode(PmDb *db, gint64 sig_id, char **postcode, GError **error)
{
	return signature_kept_postcode(db, sig_id, postcode, error) &&
	       (*postcode == NULL ||
		db_exec(db, error, "UPDATE signatures SET postcode = NULL WHERE id = ?", "i",
			sig_id));
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

/* signature_add_anonymous - a memberless imported signature, once per name, postcode and
 * district */
gboolean signature_add_anonymous(PmDb *db, gint64 petition_id, const char *name,
				 const char *postcode, const char *district, const char *comment,
				 gint64 at, gboolean *created, GError **error)
{
	gint64 have = 0;
	char *derived = NULL, *clean = pm_clean_name(name);     /* the one rule for names */
	GError *e = NULL;
	gboolean ok = FALSE;

	*created = FALSE;
	name = clean;
	if (district == NULL && postcode) {
		derived = district_for_postcode(db, postcode, &e);
		if (e) {
			g_propagate_error(error, e);
			g_free(clean);
			return FALSE;
		}
		district = derived;
	}
	/* the same paper signature again; one imported before postcodes were kept (postcode
	 * NULL) is the same one too, and gets the postcode and district now */
	if (!db_int(db, error, &have, 0, "SELECT id FROM signatures WHERE petition_id = ?1 "
		    "AND member_id IS NULL AND source = 'import' AND name IS ?2 AND "
		    "((postcode IS ?3 AND district IS ?4) OR (postcode IS NULL AND "
		    "(district IS ?4 OR district IS NULL))) ORDER BY postcode IS NULL LIMIT 1",
		    "ittt", petition_id, name, postcode, district))
		goto out;
	if (have > 0) {
		ok = postcode == NULL ||
		     db_exec(db, error, "UPDATE signatures SET postcode = ?2, district = "
			     "coalesce(district, ?3) WHERE id = ?1 AND postcode IS NULL", "itt",
			     have, postcode, district);
		goto out;
	}
	if (!db_exec(db, error, "INSERT INTO signatures(petition_id, member_id, status, source, "
		     "name, postcode, district, comment, created_at, confirmed_at) VALUES (?1, NULL, "
		     "'confirmed', 'import', ?2, ?3, ?4, ?5, ?6, ?6)", "itttti",
		     petition_id, name, postcode, district, comment, at))
		goto out;
	*created = TRUE;
	ok = TRUE;
out:
	g_free(derived);
	g_free(clean);
	return ok;
}

/* signature_districts_rederive - paper signatures' districts from their postcodes */
gboolean signature_districts_rederive(PmDb *db, gint64 *changed, GError **error)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	GPtrArray *codes = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	sqlite3_stmt *st = db_query(db, &e, "SELECT id, postcode FROM signatures WHERE member_id "
				    "IS NULL AND postcode IS NOT NULL AND (district IS NULL OR "
				    "district = '')", "");

	*changed = 0;
	while (st && db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
		g_ptr_array_add(codes, db_col_text(st, 1));
	}
	db_done(st);
	/* the statement is done before the writes: no update under an open read */
	for (guint i = 0; e == NULL && i < ids->len; i++) {
		char *d = district_for_postcode(db, g_ptr_array_index(codes, i), &e);

		if (d && db_exec(db, &e, "UPDATE signatures SET district = ? WHERE id = ?", "ti", d,
				 g_array_index(ids, gint64, i)))
			(*changed)++;
		g_free(d);
	}
	g_array_unref(ids);
	g_ptr_array_unref(codes);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
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
		       "postcode = NULL, message_id = NULL, domain = NULL WHERE member_id = ?", "i", member_id);
}

/* signature_withdraw - remove the member's undelivered signature on a petition */
gboolean signature_withdraw(PmDb *db, gint64 petition_id, gint64 member_id,
			    gboolean pending_only, WithdrawResult *res, GError **error)
{
	gint64 id = 0, delivered = 0, pending = 0;

	*res = WITHDRAW_NONE;
	if (!db_int(db, error, &id, 0, "SELECT id FROM signatures WHERE petition_id = ? AND "
		    "member_id = ?", "ii", petition_id, member_id) ||
	    (id && !db_int(db, error, &pending, 0, "SELECT status = 'pending' OR (status IN "
			   "('suspect', 'invalid') AND confirmed_at IS NULL) FROM signatures "
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

/* ==== Against fraud ==== */

/* What a SignatureFilter matches: ?1 petition, ?2 domain, ?3 postcode, ?4 since, ?5 until,
 * ?6 source, ?7 suspect only, ?8 one id. The signer's domain is the signature's own column
 * (schema 12, as for the signing limit and the trending measure); the postcode is the
 * member's, compared without spaces or case, as a prefix. */
#define FILTER_SELECT \
	"SELECT s.id FROM signatures s LEFT JOIN members m ON m.id = s.member_id " \
	"WHERE s.petition_id = ?1 AND s.status != 'invalid' " \
	"AND (?2 IS NULL OR s.domain = lower(?2)) " \
	"AND (?3 IS NULL OR substr(replace(upper(m.postcode), ' ', ''), 1, " \
	"length(replace(upper(?3), ' ', ''))) = replace(upper(?3), ' ', '')) " \
	"AND (?4 = 0 OR s.created_at >= ?4) AND (?5 = 0 OR s.created_at < ?5) " \
	"AND (?6 IS NULL OR s.source = ?6 OR (?6 = 'mail' AND s.source IN ('reply', " \
	"'writing'))) AND (?7 = 0 OR s.status = 'suspect') AND (?8 = 0 OR s.id = ?8)"
#define FILTER_ARGS(f) (f)->domain, (f)->postcode, (f)->since, (f)->until, (f)->source, \
	(gint64)(f)->suspect_only, (f)->id

/* signature_count_matching - count what the filter matches */
gboolean signature_count_matching(PmDb *db, gint64 petition_id, const SignatureFilter *f,
				  gint64 *count, GError **error)
{
	return db_int(db, error, count, 0, "SELECT count(*) FROM (" FILTER_SELECT ")",
		      "ittiitii", petition_id, FILTER_ARGS(f));
}

/* signature_invalidate - mark what the filter matches invalid, keeping the status */
gboolean signature_invalidate(PmDb *db, gint64 petition_id, const SignatureFilter *f,
			      gint64 inv_id, gint64 *count, GError **error)
{
	if (!db_exec(db, error, "UPDATE signatures SET held_status = status, status = 'invalid', "
		     "invalidation_id = ?9 WHERE id IN (" FILTER_SELECT ")", "ittiitiii",
		     petition_id, FILTER_ARGS(f), inv_id))
		return FALSE;
	*count = db_changes(db);
	return TRUE;
}

/* signature_restore - undo one invalidation exactly */
gboolean signature_restore(PmDb *db, gint64 inv_id, gint64 *count, GError **error)
{
	if (!db_exec(db, error, "UPDATE signatures SET status = held_status, held_status = NULL, "
		     "invalidation_id = NULL WHERE invalidation_id = ? AND status = 'invalid'",
		     "i", inv_id))
		return FALSE;
	*count = db_changes(db);
	return TRUE;
}

/* signature_clear - suspect no longer: confirmed if its signer confirmed, else pending */
gboolean signature_clear(PmDb *db, gint64 petition_id, const SignatureFilter *f,
			 gint64 *confirmed, gint64 *pending, GError **error)
{
	SignatureFilter only = *f;

	only.suspect_only = TRUE;
	*confirmed = *pending = 0;
	if (!db_exec(db, error, "UPDATE signatures SET status = 'confirmed' WHERE "
		     "confirmed_at IS NOT NULL AND id IN (" FILTER_SELECT ")", "ittiitii",
		     petition_id, FILTER_ARGS(&only)))
		return FALSE;
	*confirmed = db_changes(db);
	if (!db_exec(db, error, "UPDATE signatures SET status = 'pending' WHERE "
		     "confirmed_at IS NULL AND id IN (" FILTER_SELECT ")", "ittiitii",
		     petition_id, FILTER_ARGS(&only)))
		return FALSE;
	*pending = db_changes(db);
	return TRUE;
}

/* signature_suspect_free - destroy */
SignatureSuspect *signature_suspect_free(SignatureSuspect *s)
{
	if (s) {
		g_free(s->email);
		g_free(s->source);
		g_free(s);
	}
	return NULL;
}

/* suspect_destroy - signature_suspect_free for a GPtrArray */
static void suspect_destroy(gpointer s)
{
	signature_suspect_free(s);
}

/* suspect_row - one row of signature_suspects (DbRowFn) */
static gpointer suspect_row(sqlite3_stmt *st)
{
	SignatureSuspect *s = g_new0(SignatureSuspect, 1);

	s->id = sqlite3_column_int64(st, 0);
	s->email = db_col_text(st, 1);
	s->source = db_col_text(st, 2);
	s->created_at = sqlite3_column_int64(st, 3);
	s->confirmed_at = sqlite3_column_int64(st, 4);
	return s;
}

/* signature_suspects - the held signatures of a petition */
GPtrArray *signature_suspects(PmDb *db, gint64 petition_id, GError **error)
{
	return db_rows(db, db_query(db, error, "SELECT s.id, m.email, s.source, s.created_at, "
				    "coalesce(s.confirmed_at, 0) FROM signatures s LEFT JOIN "
				    "members m ON m.id = s.member_id WHERE s.petition_id = ? AND "
				    "s.status = 'suspect' ORDER BY s.id", "i", petition_id),
		       suspect_row, suspect_destroy, error);
}

/* signature_suspect_of - a member's suspect signature on a petition, by address */
gboolean signature_suspect_of(PmDb *db, gint64 petition_id, const char *address, gint64 *id,
			      GError **error)
{
	return db_int(db, error, id, 0, "SELECT s.id FROM signatures s JOIN members m ON "
		      "m.id = s.member_id WHERE s.petition_id = ? AND m.email = ? AND "
		      "s.status = 'suspect'", "it", petition_id, address);
}

/* signature_sponsors - confirmed sponsors' member ids */
GArray *signature_sponsors(PmDb *db, gint64 petition_id, GError **error)
{
	return db_ids(db, error, "SELECT member_id FROM signatures WHERE petition_id = ? AND "
		      "source = 'sponsor' AND status = 'confirmed' AND member_id IS NOT NULL "
		      "ORDER BY id", "i", petition_id);
}

/* signature_stop_updates - a signer's own "no more updates about this petition" */
gboolean signature_stop_updates(PmDb *db, gint64 petition_id, gint64 member_id, gint64 now,
				gboolean *changed, GError **error)
{
	*changed = FALSE;
	if (!db_exec(db, error, "UPDATE signatures SET updates_stopped_at = ? WHERE "
		     "petition_id = ? AND member_id = ? AND updates_stopped_at IS NULL", "iii", now,
		     petition_id, member_id))
		return FALSE;
	*changed = db_changes(db) > 0;
	return TRUE;
}

/* signature_resume_updates - a signer's own "the updates about this petition again" */
gboolean signature_resume_updates(PmDb *db, gint64 petition_id, gint64 member_id,
				  gboolean *changed, GError **error)
{
	*changed = FALSE;
	if (!db_exec(db, error, "UPDATE signatures SET updates_stopped_at = NULL WHERE "
		     "petition_id = ? AND member_id = ? AND updates_stopped_at IS NOT NULL", "ii",
		     petition_id, member_id))
		return FALSE;
	*changed = db_changes(db) > 0;
	return TRUE;
}

/* signature_stop_all_updates - a member's own "stop everything": no petition's updates */
gboolean signature_stop_all_updates(PmDb *db, gint64 member_id, gint64 now, gint64 *count,
				    GError **error)
{
	*count = 0;
	if (!db_exec(db, error, "UPDATE signatures SET updates_stopped_at = ? WHERE "
		     "member_id = ? AND updates_stopped_at IS NULL", "ii", now, member_id))
		return FALSE;
	*count = db_changes(db);
	return TRUE;
}

/* signature_followed - the open petitions whose updates a member gets */
GArray *signature_followed(PmDb *db, gint64 member_id, GError **error)
{
	return db_ids(db, error, "SELECT s.petition_id FROM signatures s JOIN petitions p ON "
		      "p.id = s.petition_id WHERE s.member_id = ? AND s.status = 'confirmed' AND "
		      "s.updates_stopped_at IS NULL AND p.status = 'open' ORDER BY s.petition_id",
		      "i", member_id);
}
