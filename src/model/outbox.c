/*
 * outbox.c - the outbox table and its state machine.
 *
 * Owns: every SQL statement on the outbox table: queueing (in the caller's transaction),
 * claims with an owner identity (boot id, pid, process start time) so a dead owner's rows
 * are reclaimed at once, results written in one transaction per batch, retry with
 * exponential backoff, counts and flush, the VERP return path. The renderer types are
 * declared here; the table of renderers lives in run/renderers.c. Not: talking SMTP (smtp.c), the send loop (sender.c).
 *
 * DIAGNOSTICS: database errors come back as PM_ERROR (EX_TEMPFAIL when transient).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "model/bounce_score.h"
#include "mail/address.h"
#include "model/spelling.h"
#include "mail/bounce.h"
#include "base/log.h"
#include "model/outbox.h"
#include "base/pm.h"

/* ==== Kinds ==== */

static const char *const kind_names[] = {
	[OUTBOX_RESPONSE] = "response", [OUTBOX_NEWSLETTER] = "newsletter",
	[OUTBOX_DELIVERY] = "delivery", [OUTBOX_PROBE] = "probe",
	[OUTBOX_PREVIEW] = "preview", [OUTBOX_NOTICE] = "notice",
};

/* outbox_kind_name - the kind as stored */
const char *outbox_kind_name(OutboxKind kind)
{
	if ((unsigned)kind >= G_N_ELEMENTS(kind_names))
		return "notice";
	return kind_names[kind];
}

/* outbox_kind_parse - the kind stored as s */
gboolean outbox_kind_parse(const char *s, OutboxKind *kind)
{
	int i = pm_name_index(kind_names, G_N_ELEMENTS(kind_names), s);

	if (i < 0)
		return FALSE;
	*kind = (OutboxKind)i;
	return TRUE;
}

/* kind_from_name - the kind stored as s */
static OutboxKind kind_from_name(const char *s)
{
	OutboxKind kind;

	return outbox_kind_parse(s, &kind) ? kind : OUTBOX_NOTICE;
}

/* ==== Statuses ==== */

static const char *const status_names[] = {
	[OUTBOX_STATUS_QUEUED] = "queued", [OUTBOX_STATUS_SENDING] = "sending",
	[OUTBOX_STATUS_SENT] = "sent", [OUTBOX_STATUS_DEFERRED] = "deferred",
	[OUTBOX_STATUS_FAILED] = "failed", [OUTBOX_STATUS_CANCELLED] = "cancelled",
};

/* outbox_status_name - the status as stored */
const char *outbox_status_name(OutboxStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* outbox_status_parse - the status stored as s */
gboolean outbox_status_parse(const char *s, OutboxStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (OutboxStatus)i;
	return TRUE;
}

/* ==== Queueing ==== */

/* outbox_enqueue - insert one row, due now; newsletters reach a member once */
gint64 outbox_enqueue(PmDb *db, const OutboxItem *item, GError **error)
{
	gint64 now = pm_now(), id = 0;
	gconstpointer data = NULL;
	gsize len = 0;

	if (item->recipient == NULL || *item->recipient == '\0') {
		g_set_error(error, PM_ERROR, EX_DATAERR, "outbox: no recipient");
		return 0;
	}
	if (item->message)
		data = g_bytes_get_data(item->message, &len);
	/* a newsletter copy already queued for this member (unique index outbox_once) is
	 * not queued again: the insert does nothing and the existing row is returned */
	if (!db_exec(db, error,
		     "INSERT INTO outbox(kind, ref_id, member_id, list_id, recipient, status, "
		     "next_attempt, created_at, updated_at, asked, recipient_key) "
		     "VALUES (?, nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, 'queued', ?, ?, ?, ?, ?) "
		     "ON CONFLICT DO NOTHING",
		     "tiiitiiiit", outbox_kind_name(item->kind), item->ref_id, item->member_id,
		     item->list_id, item->recipient, now, now, now, (gint64)(item->asked != 0),
		     item->recipient_key))
		return 0;
	if (db_changes(db) == 0) {
		if (!db_int(db, error, &id, 0,
			    "SELECT id FROM outbox WHERE kind = 'newsletter' AND ref_id = ? "
			    "AND member_id = ?", "ii", item->ref_id, item->member_id))
			return 0;
		if (id == 0)
			g_set_error(error, PM_ERROR, EX_SOFTWARE, "outbox: row not queued");
		return id;
	}
	id = db_last_id(db);
	/* the message lives apart: claims and results then rewrite a small row only */
	if (item->message &&
	    !db_exec(db, error, "INSERT INTO outbox_message(outbox_id, message) VALUES (?, ?)",
		     "ib", id, data ? data : (gconstpointer)"", len))
		return 0;
	return id;
}

/* outbox_message_get - the stored message of row id, or NULL (none, or error set) */
GBytes *outbox_message_get(PmDb *db, gint64 id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
				    "SELECT message FROM outbox_message WHERE outbox_id = ?", "i", id);
	GBytes *b = NULL;

	if (st && db_step(db, st, error))
		b = g_bytes_new(sqlite3_column_blob(st, 0), (gsize)sqlite3_column_bytes(st, 0));
	db_done(st);
	return b;
}

/* outbox_responses_today - automatic responses to the person keyed key in the last 24
 * hours that they did not ask for */
gboolean outbox_responses_today(PmDb *db, const char *key, gint64 *count,
				 GError **error)
{
	return db_int(db, error, count, 0,
		      "SELECT count(*) FROM outbox WHERE recipient_key = ? AND created_at > ? "
		      "AND kind = 'response' AND NOT asked", "ti", key, pm_now() - 86400);
}

/* outbox_return_path - bounce+TOKEN@domain for row id */
char *outbox_return_path(const PmConfig *cfg, const PmSecret *key, gint64 id)
{
	Token t = { TOKEN_BOUNCE, id, 0, 0 };
	char *tok = token_encode(key, &t);
	char *addr = address_make(cfg, "bounce", NULL, tok);

	g_free(tok);
	return addr;
}

/* ==== Owners ==== */

static char *read_first_line(const char *path)
{
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	return g_strstrip(text);
}

/* start_ticks - field 22 of /proc/PID/stat (after the parenthesized command), or NULL */
static char *start_ticks(long pid)
{
	char path[64], *stat, *p, *ticks = NULL;

	g_snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	stat = read_first_line(path);
	if (stat == NULL)
		return NULL;
	p = strrchr(stat, ')');
	if (p) {
		char **f = g_strsplit(p + 2, " ", 0);
		/* f[0] is field 3 (state); field 22 is f[19] */
		if (g_strv_length(f) > 19)
			ticks = g_strdup(f[19]);
		g_strfreev(f);
	}
	g_free(stat);
	return ticks;
}

/* outbox_owner_self - "BOOT_ID:PID:START" of this process */
char *outbox_owner_self(void)
{
	char *boot = read_first_line("/proc/sys/kernel/random/boot_id");
	char *ticks = start_ticks((long)getpid());
	char *owner = g_strdup_printf("%s:%ld:%s", boot ? boot : "noboot", (long)getpid(),
				      ticks ? ticks : "0");

	g_free(boot);
	g_free(ticks);
	return owner;
}

/* outbox_owner_alive - same boot, pid running, same start time */
gboolean outbox_owner_alive(const char *owner)
{
	char **f = owner ? g_strsplit(owner, ":", 3) : NULL;
	gboolean alive = FALSE;

	if (f && g_strv_length(f) == 3) {
		char *boot = read_first_line("/proc/sys/kernel/random/boot_id");
		long pid = strtol(f[1], NULL, 10);

		if (boot && strcmp(boot, f[0]) == 0 && pid > 0 &&
		    (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
			char *ticks = start_ticks(pid);
			alive = ticks && strcmp(ticks, f[2]) == 0;
			g_free(ticks);
		}
		g_free(boot);
	}
	g_strfreev(f);
	return alive;
}

/* outbox_reclaim - give dead owners' claims back to the queue, due now */
gboolean outbox_reclaim(PmDb *db, int *count, GError **error)
{
	GPtrArray *dead = g_ptr_array_new_with_free_func(g_free);
	GError *e = NULL;
	sqlite3_stmt *st;
	gboolean ok = TRUE;
	gint64 now = pm_now();
	int n = 0;

	st = db_query(db, error, "SELECT DISTINCT claimed_by FROM outbox WHERE status = 'sending'",
		      NULL);
	if (st == NULL) {
		g_ptr_array_unref(dead);
		return FALSE;
	}
	while (db_step(db, st, &e)) {
		const char *owner = (const char *)sqlite3_column_text(st, 0);

		if (owner == NULL || !outbox_owner_alive(owner))
			g_ptr_array_add(dead, g_strdup(owner ? owner : ""));
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_ptr_array_unref(dead);
		return FALSE;
	}
	if (dead->len && !db_begin(db, error)) {
		g_ptr_array_unref(dead);
		return FALSE;
	}
	for (guint i = 0; ok && i < dead->len; i++) {
		ok = db_exec(db, error,
			     "UPDATE outbox SET status = CASE WHEN attempts = 0 THEN 'queued' "
			     "ELSE 'deferred' END, next_attempt = ?, claimed_by = NULL, updated_at = ? "
			     "WHERE status = 'sending' AND coalesce(claimed_by, '') = ?",
			     "iit", now, now, (const char *)g_ptr_array_index(dead, i));
		n += ok ? db_changes(db) : 0;
	}
	if (dead->len) {
		if (ok)
			ok = db_commit(db, error);
		if (!ok)
			db_rollback(db);
	}
	if (ok && n > 0)
		log_warn("outbox: reclaimed %d message(s) left in flight by a stopped sender", n);
	if (count)
		*count = ok ? n : 0;
	g_ptr_array_unref(dead);
	return ok;
}

/* outbox_release_owner - rows still 'sending' for owner go back to the queue, due now */
gboolean outbox_release_owner(PmDb *db, const char *owner, int *count, GError **error)
{
	gint64 now = pm_now();

	if (!db_exec(db, error,
		     "UPDATE outbox SET status = CASE WHEN attempts = 0 THEN 'queued' "
		     "ELSE 'deferred' END, next_attempt = ?, claimed_by = NULL, updated_at = ? "
		     "WHERE status = 'sending' AND claimed_by = ?", "iit", now, now, owner))
		return FALSE;
	if (count)
		*count = db_changes(db);
	return TRUE;
}

/* ==== Claims ==== */

/* outbox_row_free - destroy */
OutboxRow *outbox_row_free(OutboxRow *row)
{
	if (row) {
		g_free(row->recipient);
		g_free(row->sender);
		if (row->message)
			g_bytes_unref(row->message);
		g_free(row);
	}
	return NULL;
}

/* row_free_cb - GDestroyNotify for OutboxRow */
static void row_free_cb(gpointer p)
{
	outbox_row_free(p);
}

/* attach_messages - the stored messages of rows (one query for a dense id range) */
static gboolean attach_messages(PmDb *db, GPtrArray *rows, GError **error)
{
	GHashTable *by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	gint64 lo = G_MAXINT64, hi = 0;
	GError *e = NULL;
	gboolean ok = TRUE;

	for (guint i = 0; i < rows->len; i++) {
		OutboxRow *r = g_ptr_array_index(rows, i);

		g_hash_table_insert(by_id, &r->id, r);
		lo = MIN(lo, r->id);
		hi = MAX(hi, r->id);
	}
	if (rows->len && hi - lo < 4 * (gint64)rows->len + 64) {
		sqlite3_stmt *st = db_query(db, error,
					    "SELECT outbox_id, message FROM outbox_message "
					    "WHERE outbox_id BETWEEN ? AND ?", "ii", lo, hi);

		ok = st != NULL;
		while (ok && db_step(db, st, &e)) {
			gint64 id = sqlite3_column_int64(st, 0);
			OutboxRow *r = g_hash_table_lookup(by_id, &id);

			if (r)
				r->message = g_bytes_new(sqlite3_column_blob(st, 1),
							 (gsize)sqlite3_column_bytes(st, 1));
		}
		db_done(st);
	} else {
		/* scattered ids (retries): look each one up by its key */
		for (guint i = 0; ok && i < rows->len; i++) {
			OutboxRow *r = g_ptr_array_index(rows, i);

			r->message = outbox_message_get(db, r->id, &e);
			ok = e == NULL;
		}
	}
	g_hash_table_destroy(by_id);
	if (e) {
		g_propagate_error(error, e);
		ok = FALSE;
	}
	return ok;
}

/* outbox_claim - mark due rows 'sending' for owner and return them with their messages */
GPtrArray *outbox_claim(PmDb *db, const char *owner, int limit, gint64 now, GError **error)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free_cb);
	GError *e = NULL;
	sqlite3_stmt *st;

	if (!db_begin(db, error)) {
		g_ptr_array_unref(rows);
		return NULL;
	}
	/* No ORDER BY: the (status, next_attempt) index yields due rows in order and the
	 * LIMIT stops the scan; sorting would visit every due row on each claim. */
	st = db_query(db, error,
		      "UPDATE outbox SET status = 'sending', claimed_by = ?, updated_at = ? "
		      "WHERE id IN (SELECT id FROM outbox WHERE status IN ('queued', 'deferred') "
		      "AND next_attempt <= ? LIMIT ?) "
		      "RETURNING id, kind, ref_id, member_id, list_id, recipient, sender, "
		      "attempts, created_at", "tiii", owner, now, now, (gint64)limit);
	if (st == NULL) {
		db_rollback(db);
		g_ptr_array_unref(rows);
		return NULL;
	}
	while (db_step(db, st, &e)) {
		OutboxRow *r = g_new0(OutboxRow, 1);

		r->id = sqlite3_column_int64(st, 0);
		r->kind = kind_from_name((const char *)sqlite3_column_text(st, 1));
		r->ref_id = sqlite3_column_int64(st, 2);
		r->member_id = sqlite3_column_int64(st, 3);
		r->list_id = sqlite3_column_int64(st, 4);
		r->recipient = db_col_text(st, 5);
		r->sender = db_col_text(st, 6);
		r->attempts = sqlite3_column_int(st, 7);
		r->created_at = sqlite3_column_int64(st, 8);
		g_ptr_array_add(rows, r);
	}
	db_done(st);
	if (e || !attach_messages(db, rows, &e) || !db_commit(db, &e)) {
		db_rollback(db);
		g_propagate_error(error, e);
		g_ptr_array_unref(rows);
		return NULL;
	}
	return rows;
}

/* ==== Results ==== */

/* outbox_result_new - a result carrying what bookkeeping needs from row */
OutboxResult *outbox_result_new(const OutboxRow *row)
{
	OutboxResult *r = g_new0(OutboxResult, 1);

	r->id = row->id;
	r->member_id = row->member_id;
	r->recipient = g_strdup(row->recipient);
	r->attempts = row->attempts;
	r->created_at = row->created_at;
	r->outcome = OUTBOX_OUT_DEFERRED;
	return r;
}

/* outbox_result_free - destroy */
OutboxResult *outbox_result_free(OutboxResult *r)
{
	if (r) {
		g_free(r->status);
		g_free(r->text);
		g_free(r->relay);
		g_free(r->recipient);
		g_free(r);
	}
	return NULL;
}

/* outbox_result_set - outcome and reply, copied */
void outbox_result_set(OutboxResult *r, OutboxOutcome outcome, int code, const char *status,
		       const char *text)
{
	r->outcome = outcome;
	r->code = code;
	g_free(r->status);
	r->status = g_strdup(status);
	g_free(r->text);
	r->text = text ? g_strstrip(g_strdup(text)) : NULL;
}

/* outbox_next_attempt - exponential backoff bounded by max_age */
gint64 outbox_next_attempt(const PmConfig *cfg, int attempts, gint64 created, gint64 now)
{
	gint64 deadline = created + cfg->retry_max_age;
	gint64 delay = cfg->retry_initial;

	if (now >= deadline)
		return 0;
	for (int i = 1; i < attempts && delay < cfg->retry_max_age; i++)
		delay *= 2;
	return MIN(now + delay, deadline);
}

/* record_one - one result's row update (and bounce), inside outbox_record's transaction */
static gboolean record_one(PmDb *db, const PmConfig *cfg, const char *owner, OutboxResult *r,
			   gint64 now, GError **error)
{
	int attempts = r->attempts + 1;
	OutboxStatus status;
	gint64 next = 0, sent_at = 0;
	char *text = NULL;
	gboolean ok;

	switch (r->outcome) {
	case OUTBOX_OUT_CANCELLED:
		/* cancelled while claimed and never handed over: the row says so already */
		r->final_status = OUTBOX_STATUS_CANCELLED;
		return db_exec(db, error, "UPDATE outbox SET claimed_by = NULL WHERE id = ? AND "
			       "claimed_by = ?", "it", r->id, owner);
	case OUTBOX_OUT_SENT:
		status = OUTBOX_STATUS_SENT;
		sent_at = now;
		break;
	case OUTBOX_OUT_DEFERRED:
		next = outbox_next_attempt(cfg, attempts, r->created_at, now);
		status = next ? OUTBOX_STATUS_DEFERRED : OUTBOX_STATUS_FAILED;
		if (!next)
			text = g_strdup_printf("gave up after %d attempts: %s", attempts,
					       r->text ? r->text : "");
		break;
	case OUTBOX_OUT_FAILED:
		status = OUTBOX_STATUS_FAILED;
		break;
	case OUTBOX_OUT_RELEASED:
	default:
		attempts = r->attempts;
		status = attempts == 0 ? OUTBOX_STATUS_QUEUED : OUTBOX_STATUS_DEFERRED;
		next = MAX(now, r->not_before);
		ok = db_exec(db, error,
			     "UPDATE outbox SET status = ?, next_attempt = ?, claimed_by = NULL, "
			     "updated_at = ? WHERE id = ? AND status = 'sending' AND claimed_by = ?",
			     "tiiit", outbox_status_name(status), next, now, r->id, owner);
		r->final_status = status;
		r->next_attempt = next;
		return ok;
	}
	if (text) {
		g_free(r->text);
		r->text = text;
	}
	ok = db_exec(db, error,
		     "UPDATE outbox SET status = ?, attempts = ?, next_attempt = ?, claimed_by = NULL, "
		     "smtp_code = nullif(?, 0), smtp_status = ?, smtp_text = ?, relay = ?, "
		     "updated_at = ?, sent_at = nullif(?, 0) "
		     "WHERE id = ? AND status = 'sending' AND claimed_by = ?",
		     "tiiitttiiit", outbox_status_name(status), (gint64)attempts, next,
		     (gint64)r->code, r->status,
		     r->text, r->relay, now, sent_at, r->id, owner);
	if (!ok)
		return FALSE;
	r->final_status = status;
	r->lost = db_changes(db) == 0;
	r->next_attempt = next;
	if (r->lost) {
		/* cancelled while in flight: one the server took is counted as sent (it went
		 * out), any other stays cancelled */
		ok = r->outcome == OUTBOX_OUT_SENT
		     ? db_exec(db, error, "UPDATE outbox SET status = 'sent', attempts = ?, "
			       "claimed_by = NULL, smtp_code = nullif(?, 0), smtp_status = ?, "
			       "relay = ?, sent_at = ?, updated_at = ? WHERE id = ? AND "
			       "status = 'cancelled' AND claimed_by = ?", "iittiiit",
			       (gint64)attempts, (gint64)r->code, r->status, r->relay, now, now,
			       r->id, owner)
		     : db_exec(db, error, "UPDATE outbox SET claimed_by = NULL WHERE id = ? AND "
			       "status = 'cancelled' AND claimed_by = ?", "it", r->id, owner);
		if (!ok)
			return FALSE;
		if (db_changes(db)) {
			r->lost = FALSE;
			r->final_status = r->outcome == OUTBOX_OUT_SENT ? OUTBOX_STATUS_SENT
								       : OUTBOX_STATUS_CANCELLED;
		}
		return TRUE;
	}
	/* A recipient's 5xx counts toward its bounce score, in the same transaction. */
	if (db_changes(db) && r->outcome == OUTBOX_OUT_FAILED && r->recipient_reply &&
	    r->code >= 500 && r->code < 600) {
		ok = bounce_record(db, cfg, r->member_id, r->id, r->recipient, r->status, TRUE,
				   r->text, error);
	}
	return ok;
}

/* outbox_record - all results in one transaction */
gboolean outbox_record(PmDb *db, const PmConfig *cfg, const char *owner, GPtrArray *results,
		       gint64 now, GError **error)
{
	if (results->len == 0)
		return TRUE;
	if (!db_begin(db, error))
		return FALSE;
	for (guint i = 0; i < results->len; i++) {
		if (!record_one(db, cfg, owner, g_ptr_array_index(results, i), now, error)) {
			db_rollback(db);
			return FALSE;
		}
	}
	if (!db_commit(db, error)) {
		db_rollback(db);
		return FALSE;
	}
	return TRUE;
}

/* ==== Counts and flush ==== */

/* outbox_counts - rows per status */
gboolean outbox_counts(PmDb *db, OutboxCounts *out, GError **error)
{
	GError *e = NULL;
	sqlite3_stmt *st = db_query(db, error,
				    "SELECT status, count(*) FROM outbox GROUP BY status", NULL);

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return FALSE;
	while (db_step(db, st, &e)) {
		OutboxStatus s;
		gint64 n = sqlite3_column_int64(st, 1);

		if (!outbox_status_parse((const char *)sqlite3_column_text(st, 0), &s))
			continue;
		switch (s) {
		case OUTBOX_STATUS_QUEUED: out->queued = n; break;
		case OUTBOX_STATUS_SENDING: out->sending = n; break;
		case OUTBOX_STATUS_SENT: out->sent = n; break;
		case OUTBOX_STATUS_DEFERRED: out->deferred = n; break;
		case OUTBOX_STATUS_FAILED: out->failed = n; break;
		case OUTBOX_STATUS_CANCELLED: out->cancelled = n; break;
		}
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* outbox_flush - deferred rows become due now */
gboolean outbox_flush(PmDb *db, int *count, GError **error)
{
	gint64 now = pm_now();

	if (!db_begin(db, error))
		return FALSE;
	if (!db_exec(db, error,
		     "UPDATE outbox SET next_attempt = ?, updated_at = ? "
		     "WHERE status = 'deferred' AND next_attempt > ?", "iii", now, now, now)) {
		db_rollback(db);
		return FALSE;
	}
	if (count)
		*count = db_changes(db);
	if (!db_commit(db, error)) {
		db_rollback(db);
		return FALSE;
	}
	return TRUE;
}

/* outbox_next_due - earliest next attempt of a waiting row */
gboolean outbox_next_due(PmDb *db, gint64 *when, GError **error)
{
	gint64 a = 0, b = 0;

	if (!db_int(db, error, &a, 0, "SELECT min(next_attempt) FROM outbox WHERE status = 'queued'",
		    NULL) ||
	    !db_int(db, error, &b, 0,
		    "SELECT min(next_attempt) FROM outbox WHERE status = 'deferred'", NULL))
		return FALSE;
	*when = a && b ? MIN(a, b) : a ? a : b;
	return TRUE;
}

/* outbox_sent_last_hour - sent through relay since now - 3600 */
gboolean outbox_sent_last_hour(PmDb *db, const char *relay, gint64 now, gint64 *count,
			       GError **error)
{
	return db_int(db, error, count, 0,
		      "SELECT count(*) FROM outbox WHERE status = 'sent' AND relay = ? "
		      "AND sent_at > ?", "ti", relay, now - 3600);
}

/* ==== Asked by other modules ==== */

/* outbox_member_id - the member a row was queued for */
gboolean outbox_member_id(PmDb *db, gint64 id, gint64 *member_id, GError **error)
{
	return db_int(db, error, member_id, 0, "SELECT coalesce(member_id, 0) FROM outbox WHERE "
		      "id = ?", "i", id);
}

/* outbox_cancel_ref - cancel the rows of kind for ref_id not yet handed over */
gboolean outbox_cancel_ref(PmDb *db, OutboxKind kind, gint64 ref_id, gint64 now,
			   GError **error)
{
	/* claimed rows keep claimed_by: their sender checks again before handing one over
	 * (outbox_still_claimed) and records one that went out all the same (record_one) */
	return db_exec(db, error, "UPDATE outbox SET status = 'cancelled', updated_at = ? "
		       "WHERE kind = ? AND ref_id = ? AND status IN ('queued', 'deferred', "
		       "'sending')", "iti", now, outbox_kind_name(kind), ref_id);
}

/* outbox_still_claimed - is row id still 'sending' (not cancelled since its claim) */
gboolean outbox_still_claimed(PmDb *db, gint64 id, gboolean *yes, GError **error)
{
	gint64 n = 0;
	gboolean ok = db_int(db, error, &n, 0, "SELECT count(*) FROM outbox WHERE id = ? AND "
			     "status = 'sending'", "i", id);

	*yes = n > 0;
	return ok;
}

/* outbox_cancel_claimed - a claimed row that must not go out after all */
gboolean outbox_cancel_claimed(PmDb *db, gint64 id, const char *why, gint64 now,
			       GError **error)
{
	return db_exec(db, error, "UPDATE outbox SET status = 'cancelled', claimed_by = NULL, "
		       "smtp_text = ?, updated_at = ? WHERE id = ? AND status = 'sending'", "tii",
		       why, now, id);
}

/* outbox_forget_member - no more mail to the member, and no address of theirs kept */
gboolean outbox_forget_member(PmDb *db, const PmConfig *cfg, gint64 member_id,
			      const char *email, const char *address, gint64 now, GError **error)
{
#define THEIRS "(member_id = ?1 OR recipient_key = ?2 OR " \
	       "lower(recipient) IN (lower(?2), lower(?3)) OR " \
	       "id IN (SELECT value FROM json_each(?4)))"
	char *ids = spelling_ids(db, cfg, email, "SELECT id, recipient FROM outbox WHERE "
				 "member_id IS NULL AND lower(recipient) LIKE ?1", error);
	gboolean ok;

	/* claimed rows too: the sender checks the row again before handing it over */
	ok = ids &&
	     db_exec(db, error, "UPDATE outbox SET status = 'cancelled', updated_at = ?5 "
		     "WHERE " THEIRS " AND status IN ('queued', 'deferred', 'sending')", "ittti",
		     member_id, email, address, ids, now) &&
	     db_exec(db, error, "DELETE FROM outbox_message WHERE outbox_id IN (SELECT id FROM "
		     "outbox WHERE " THEIRS ")", "ittt", member_id, email, address, ids) &&
	     /* notices to organizers that name the person (a creator's update, a story,
	      * forwarded mail) and have not gone yet are not sent: the person asked to be
	      * forgotten first */
	     db_exec(db, error, "UPDATE outbox SET status = 'cancelled', updated_at = ?3 WHERE "
		     "kind = 'notice' AND status IN ('queued', 'deferred', 'sending') AND id IN "
		     "(SELECT outbox_id FROM outbox_message WHERE (length(?1) > 0 AND instr(lower("
		     "CAST(message AS TEXT)), lower(?1)) > 0) OR (length(?2) > 0 AND instr(lower("
		     "CAST(message AS TEXT)), lower(?2)) > 0))", "tti", email ? email : "",
		     address ? address : "", now);
	if (ok && db_changes(db) > 0)
		log_info("forget: %d notice%s to the organizers naming the person not sent",
			 db_changes(db), db_changes(db) == 1 ? "" : "s");
	ok = ok &&
	     /* finished delivery letters quote signers (names, comments), finished notices
	      * quote the people they are about: none is kept */
	     db_exec(db, error, "DELETE FROM outbox_message WHERE outbox_id IN (SELECT id FROM "
		     "outbox WHERE kind IN ('delivery', 'notice') AND status IN ('sent', 'failed', "
		     "'cancelled'))", "") &&
	     db_exec(db, error, "UPDATE outbox SET recipient = 'forgotten', recipient_key = NULL, smtp_text = NULL "
		     "WHERE " THEIRS, "ittt", member_id, email, address, ids);
#undef THEIRS
	g_free(ids);
	return ok;
}

/* outbox_purge_bodies - drop the stored messages of rows finished before before */
gboolean outbox_purge_bodies(PmDb *db, gint64 before, int *count, GError **error)
{
	gboolean ok = db_exec(db, error, "DELETE FROM outbox_message WHERE EXISTS (SELECT 1 FROM "
			      "outbox o WHERE o.id = outbox_message.outbox_id AND o.status IN "
			      "('sent', 'failed', 'cancelled') AND o.updated_at < ?)", "i", before);

	*count = ok ? db_changes(db) : 0;
	return ok;
}
