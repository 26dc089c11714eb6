/*
 * sender.c - the send loop between the outbox (SQLite, this thread only) and the
 * transports.
 *
 * Rows are claimed batch_size at a time and new claims are made while fewer than
 * batch_size messages are in flight, so memory stays bounded by two batches whatever the
 * queue holds. Results are written as soon as they come back, all that are waiting in one
 * transaction (a group commit: under load the groups grow by themselves), so a crash can
 * only repeat the messages in flight. One log line per message, a group's lines written
 * together.
 *
 * Rows rendered at send time by a split renderer (outbox.h: prepare + build) are prepared
 * here, in the main thread (all SQL, skips), and built by a pool of render threads, one per
 * CPU but one; a built message goes from the render thread straight to the SMTP threads, while
 * render failures (and, for the maildir transport, every built message) come back to the
 * main thread through a queue. A message counts as in flight from its claim until its
 * result is back, being built included, so the bound above holds. Other renderers run in
 * the main thread as before.
 *
 * Cancel means cancel: a row cancelled after its claim (newsletter cancel, member forget)
 * is looked at once more just before its message is handed over, in the SMTP thread
 * (wanted, on that thread's own read connection) or here for the Maildir; a copy the
 * server took before the cancel is recorded as sent (outbox.h outbox_cancel_ref).
 *
 * DKIM: the sender owns the signer (mail/dkim.h); the SMTP threads sign what they send,
 * the Maildir transport signs in the main thread, so every transport writes signed mail.
 */
#include <string.h>
#include <sysexits.h>
#include "base/log.h"
#include "mail/dkim.h"
#include "model/schema.h"
#include "run/maildir.h"
#include "run/renderers.h"
#include "base/pm.h"
#include "run/sender.h"
#include "run/smtp.h"


/* When the main thread has waited for results and many messages are in flight, it lets
 * this long pass after the first so that the next ones join the same group commit. */
#define GROUP_GATHER_US 1000
#define GROUP_MIN_INFLIGHT 16

struct Sender {
	PmDb *db;
	const PmConfig *cfg;
	const PmSecret *key;
	const OutboxRenderer *renderers;
	char *owner;
	SmtpPool *pool;          /* NULL for the maildir transport */
	DkimSigner *dkim;        /* NULL when no dkim section is configured */
	GThreadPool *render;     /* RenderTask*: builds prepared copies */
	GAsyncQueue *built;      /* RenderTask* back to the main thread */
	gint building;           /* atomic: tasks given to the render threads, not yet back */
	SenderRefillFn refill;   /* more rows when the queue runs low, or NULL */
	gpointer refill_user;
};

/* One prepared copy on its way through a render thread. */
typedef struct {
	const OutboxRenderer *rd;
	gpointer prepared;
	OutboxResult *result;
	char *recipient;
	char *sender;            /* envelope sender */
	GBytes *msg;             /* the built message; NULL: result says why */
} RenderTask;

/* wanted_db_close - GPrivate notify: an SMTP thread's connection closes with the thread */
static void wanted_db_close(gpointer db)
{
	db_close(db);
}

static GPrivate wanted_db = G_PRIVATE_INIT(wanted_db_close);

/* wanted - SmtpWantedFn: is row id still claimed (not cancelled since)? Runs in the SMTP
 * threads, each on its own connection; a database failure lets the message go (it was
 * claimed moments ago) and is logged */
static gboolean wanted(gint64 id, gpointer user)
{
	Sender *s = user;
	PmDb *db = g_private_get(&wanted_db);
	GError *e = NULL;
	gboolean yes = TRUE;

	if (db == NULL && (db = db_open(s->cfg->database, schema_peermail(), FALSE, &e)) != NULL)
		g_private_set(&wanted_db, db);
	if (db == NULL || !outbox_still_claimed(db, id, &yes, &e)) {
		log_warn("outbox %" G_GINT64_FORMAT ": cannot look at the row before sending: %s",
			 id, e ? e->message : "no database");
		g_clear_error(&e);
		return TRUE;
	}
	return yes;
}

/* render_task_free - destroy a task (result included unless stolen) */
static void render_task_free(RenderTask *t)
{
	if (t->prepared)
		t->rd->free_prepared(t->prepared);
	if (t->result)
		outbox_result_free(t->result);
	if (t->msg)
		g_bytes_unref(t->msg);
	g_free(t->recipient);
	g_free(t->sender);
	g_free(t);
}

/* render_worker - build one prepared copy; to the SMTP threads, or back to the main thread */
static void render_worker(gpointer data, gpointer user)
{
	RenderTask *t = data;
	Sender *s = user;
	GError *e = NULL;

	t->msg = t->rd->build(t->prepared, &e);
	t->rd->free_prepared(t->prepared);
	t->prepared = NULL;
	if (t->msg == NULL) {
		char *text = g_strdup_printf("render: %s", e ? e->message : "failed");

		outbox_result_set(t->result, OUTBOX_OUT_FAILED, 0, NULL, text);
		g_free(text);
		g_clear_error(&e);
	} else if (s->pool) {
		smtp_pool_submit(s->pool, smtp_job_new(t->result, t->recipient, t->sender, t->msg));
		t->result = NULL;
		render_task_free(t);
		g_atomic_int_dec_and_test(&s->building);
		return;
	}
	g_async_queue_push(s->built, t);
}

/* sender_new - reclaim dead claims, start the transport */
Sender *sender_new(PmDb *db, const PmConfig *cfg, const PmSecret *key,
		   const OutboxRenderer *renderers, GError **error)
{
	Sender *s = g_new0(Sender, 1);

	s->db = db;
	s->cfg = cfg;
	s->key = key;
	s->renderers = renderers;
	s->owner = outbox_owner_self();
	if (!outbox_reclaim(db, NULL, error))
		return sender_free(s);
	{
		GError *e = NULL;

		/* a broken key stops the sender: mail is never sent unsigned by mistake */
		if ((s->dkim = dkim_signer_new(cfg, &e)) == NULL && e) {
			g_propagate_error(error, e);
			return sender_free(s);
		}
	}
	s->built = g_async_queue_new();
	/* one CPU is left to the main thread and the SMTP threads (and, often, the MTA next
	 * to us): on 2 CPUs one render thread sent 5% more than two (bench_newsletter.sh) */
	s->render = g_thread_pool_new(render_worker, s, (gint)MAX(1, g_get_num_processors() - 1),
				      FALSE, error);
	if (s->render == NULL)
		return sender_free(s);
	if (strcmp(cfg->transport, "smtp") == 0) {
		s->pool = smtp_pool_new(cfg, s->dkim, error);
		if (s->pool == NULL)
			return sender_free(s);
		smtp_pool_set_wanted(s->pool, wanted, s);
		for (guint i = 0; i < cfg->smtp->len; i++) {
			const PmSmtpHost *h = g_ptr_array_index(cfg->smtp, i);
			gint64 n = 0;

			if (h->rate_per_hour <= 0)
				continue;
			if (!outbox_sent_last_hour(db, h->name, pm_now(), &n, error))
				return sender_free(s);
			smtp_pool_note_sent(s->pool, i, n);
		}
	}
	return s;
}

void sender_set_refill(Sender *s, SenderRefillFn fn, gpointer user)
{
	s->refill = fn;
	s->refill_user = user;
}

/* refill - the refill hook once; how many rows it queued (0 on failure, logged) */
static gint64 refill(Sender *s)
{
	GError *e = NULL;
	gint64 added = 0;

	if (s->refill == NULL)
		return 0;
	if (!s->refill(s->refill_user, &added, &e)) {
		db_rollback(s->db);
		log_err("outbox: refill: %s", e ? e->message : "failed");
		g_clear_error(&e);
		return 0;
	}
	return added;
}

/* sender_free - stop the render and SMTP threads */
Sender *sender_free(Sender *s)
{
	if (s) {
		RenderTask *t;

		if (s->render)
			g_thread_pool_free(s->render, FALSE, TRUE);
		if (s->built) {
			while ((t = g_async_queue_try_pop(s->built)) != NULL)
				render_task_free(t);
			g_async_queue_unref(s->built);
		}
		smtp_pool_free(s->pool);
		dkim_signer_free(s->dkim);
		g_free(s->owner);
		g_free(s);
	}
	return NULL;
}

/* log_line - the one line per message, or NULL (released: no line) */
static char *log_line(const OutboxResult *r)
{
	char *when, *line;

	if (r->outcome == OUTBOX_OUT_RELEASED)
		return NULL;
	if (r->lost || r->final_status != OUTBOX_STATUS_DEFERRED)
		return g_strdup_printf("outbox %" G_GINT64_FORMAT ": to=<%s> relay=%s status=%s "
				       "(%d %s %s)", r->id, r->recipient,
				       r->relay ? r->relay : "none",
				       r->lost ? "lost" : outbox_status_name(r->final_status),
				       r->code,
				       r->status ? r->status : "-", r->text ? r->text : "");
	when = pm_time_iso(r->next_attempt);
	line = g_strdup_printf("outbox %" G_GINT64_FORMAT ": to=<%s> relay=%s status=deferred "
			       "(%d %s %s) next=%s", r->id, r->recipient,
			       r->relay ? r->relay : "none", r->code, r->status ? r->status : "-",
			       r->text ? r->text : "", when);
	g_free(when);
	return line;
}

/* record - write the collected results in one transaction, then log them */
static gboolean record(Sender *s, GPtrArray *results, SenderStats *st, GError **error)
{
	GPtrArray *lines;

	if (results->len == 0)
		return TRUE;
	if (!outbox_record(s->db, s->cfg, s->owner, results, pm_now(), error))
		return FALSE;
	lines = g_ptr_array_new_full(results->len, g_free);
	for (guint i = 0; i < results->len; i++) {
		OutboxResult *r = g_ptr_array_index(results, i);
		char *line = log_line(r);

		if (line)
			g_ptr_array_add(lines, line);
		if (r->outcome == OUTBOX_OUT_RELEASED)
			st->released++;
		else if (r->lost || r->final_status == OUTBOX_STATUS_CANCELLED)
			continue;       /* nothing was written: not counted */
		else if (r->final_status == OUTBOX_STATUS_SENT)
			st->sent++;
		else if (r->final_status == OUTBOX_STATUS_DEFERRED)
			st->deferred++;
		else if (r->final_status == OUTBOX_STATUS_FAILED)
			st->failed++;
	}
	log_info_many(lines);   /* the group's lines in one write */
	g_ptr_array_unref(lines);
	g_ptr_array_set_size(results, 0);
	return TRUE;
}

/* message_of - the row's stored message, or the renderer's; NULL fails the result */
static GBytes *message_of(Sender *s, const OutboxRow *row, OutboxResult *r)
{
	OutboxRenderFn render;
	GError *e = NULL;
	GBytes *msg;
	char *t;

	if (row->message)
		return g_bytes_ref(row->message);
	render = renderer_find(s->renderers, row->kind);
	if (render == NULL) {
		t = g_strdup_printf("render: no renderer for %s messages",
				    outbox_kind_name(row->kind));
		outbox_result_set(r, OUTBOX_OUT_FAILED, 0, NULL, t);
		g_free(t);
		return NULL;
	}
	msg = render(s->db, s->cfg, s->key, row, &e);
	if (msg == NULL) {
		t = g_strdup_printf("render: %s", e ? e->message : "failed");
		outbox_result_set(r, OUTBOX_OUT_FAILED, 0, NULL, t);
		g_free(t);
		g_clear_error(&e);
	}
	return msg;
}

/* to_maildir - deliver one message through the maildir transport and fill r */
static void to_maildir(Sender *s, OutboxResult *r, const char *rp, const char *recipient,
		       GBytes *msg)
{
	GError *e = NULL;
	GBytes *signed_msg = NULL;
	gboolean claimed = TRUE;

	r->relay = g_strdup("maildir");
	if (!outbox_still_claimed(s->db, r->id, &claimed, &e))
		outbox_result_set(r, OUTBOX_OUT_DEFERRED, 0, NULL, e->message);
	else if (!claimed)
		outbox_result_set(r, OUTBOX_OUT_CANCELLED, 0, NULL, "cancelled before sending");
	else if (s->dkim && (signed_msg = dkim_signer_sign(s->dkim, msg, &e)) == NULL)
		outbox_result_set(r, OUTBOX_OUT_DEFERRED, 0, NULL, e->message);
	else if (maildir_deliver(s->cfg->maildir, rp, recipient, signed_msg ? signed_msg : msg,
				 &e))
		outbox_result_set(r, OUTBOX_OUT_SENT, 0, NULL, "written to the maildir");
	else
		outbox_result_set(r, OUTBOX_OUT_DEFERRED, 0, NULL, e->message);
	if (signed_msg)
		g_bytes_unref(signed_msg);
	g_clear_error(&e);
}

/* prepare_row - prepare a row of a split renderer and hand it to the render threads;
 * TRUE when it went there (it is in flight), FALSE when r failed (render error, skip) */
static gboolean prepare_row(Sender *s, const OutboxRenderer *rd, const OutboxRow *row,
			    OutboxResult *r)
{
	GError *e = NULL;
	gpointer prepared = rd->prepare(s->db, s->cfg, s->key, row, &e);
	RenderTask *t;

	if (prepared == NULL) {
		char *text = g_strdup_printf("render: %s", e ? e->message : "failed");

		outbox_result_set(r, OUTBOX_OUT_FAILED, 0, NULL, text);
		g_free(text);
		g_clear_error(&e);
		return FALSE;
	}
	t = g_new0(RenderTask, 1);
	t->rd = rd;
	t->prepared = prepared;
	t->result = r;
	t->recipient = g_strdup(row->recipient);
	t->sender = row->sender ? g_strdup(row->sender)
				: outbox_return_path(s->cfg, s->key, row->id);
	g_atomic_int_inc(&s->building);
	g_thread_pool_push(s->render, t, NULL);
	return TRUE;
}

/* dispatch - one claimed row to its transport or the render threads; returns TRUE when it
 * is in flight (its result comes back later) */
static gboolean dispatch(Sender *s, const OutboxRow *row, GPtrArray *results)
{
	OutboxResult *r = outbox_result_new(row);
	const OutboxRenderer *rd;
	GBytes *msg;
	char *rp;

	if (row->message == NULL && (rd = renderer_entry(s->renderers, row->kind)) &&
	    rd->prepare && rd->build && rd->free_prepared) {
		if (prepare_row(s, rd, row, r))
			return TRUE;
		g_ptr_array_add(results, r);
		return FALSE;
	}
	msg = message_of(s, row, r);
	if (msg == NULL) {
		g_ptr_array_add(results, r);
		return FALSE;
	}
	rp = row->sender ? g_strdup(row->sender) : outbox_return_path(s->cfg, s->key, row->id);
	if (s->pool) {
		smtp_pool_submit(s->pool, smtp_job_new(r, row->recipient, rp, msg));
	} else {
		to_maildir(s, r, rp, row->recipient, msg);
		g_ptr_array_add(results, r);
	}
	g_free(rp);
	g_bytes_unref(msg);
	return s->pool != NULL;
}

/* collect_built - tasks back from the render threads (failures; with the maildir transport
 * every built message, delivered now) into results; waits up to timeout_us for the first
 * (0: not at all); returns how many came back */
static gint64 collect_built(Sender *s, GPtrArray *results, gint64 timeout_us)
{
	RenderTask *t = timeout_us > 0 ? g_async_queue_timeout_pop(s->built, (guint64)timeout_us)
				       : g_async_queue_try_pop(s->built);
	gint64 n = 0;

	for (; t; t = g_async_queue_try_pop(s->built), n++) {
		g_atomic_int_dec_and_test(&s->building);
		if (t->msg)
			to_maildir(s, t->result, t->sender, t->recipient, t->msg);
		g_ptr_array_add(results, t->result);
		t->result = NULL;
		render_task_free(t);
	}
	return n;
}

/* result_free_cb - GDestroyNotify for OutboxResult */
static void result_free_cb(gpointer p)
{
	outbox_result_free(p);
}

/* sender_pass - claim, dispatch, collect, record until nothing is due */
gboolean sender_pass(Sender *s, const volatile sig_atomic_t *stop, SenderStats *stats,
		     GError **error)
{
	GPtrArray *results = g_ptr_array_new_with_free_func(result_free_cb);
	SenderStats local = { 0 };
	SenderStats *st = stats ? stats : &local;
	GError *claim_error = NULL, *record_error = NULL;
	gboolean exhausted = FALSE, stopped = FALSE;
	gint64 inflight = 0;
	int batch = MAX(1, s->cfg->batch_size);
	int stale = 0;

	/* Between passes nothing of ours is in flight: a claim still open is one whose result
	 * could not be written last time. */
	if (outbox_release_owner(s->db, s->owner, &stale, NULL) && stale > 0)
		log_warn("outbox: %d message(s) of an earlier pass were not recorded; queued again",
			 stale);
	for (;;) {
		gboolean stopping = stop && *stop;

		if (!exhausted && !stopping && inflight < batch) {
			GPtrArray *rows = outbox_claim(s->db, s->owner, batch, pm_now(), &claim_error);
			guint got = rows ? rows->len : 0;

			for (guint i = 0; i < got; i++)
				inflight += dispatch(s, g_ptr_array_index(rows, i), results);
			/* running low: produce more while the threads send what is in flight */
			if (rows == NULL || (got < (guint)batch && refill(s) == 0 && got == 0))
				exhausted = TRUE;
			if (rows)
				g_ptr_array_unref(rows);
		}
		if (stopping && s->pool && !stopped) {
			smtp_pool_stop_feeding(s->pool);
			stopped = TRUE;
		}
		if (inflight > 0) {
			/* wait only when there is nothing else to do: on the SMTP threads, or on
			 * the render threads when only they have work (maildir, render errors) */
			gboolean idle = exhausted || stopping || inflight >= batch;
			gboolean building = g_atomic_int_get(&s->building) > 0;
			gint64 wait = idle ? 50 * 1000 : 0;

			if (s->pool) {
				SmtpJob *j = smtp_pool_pop(s->pool, building && wait ? 2 * 1000 : wait);

				/* woken by one result with many in flight: let a group gather
				 * (one wake-up and one commit for several results) */
				if (j && wait && inflight > GROUP_MIN_INFLIGHT)
					g_usleep(GROUP_GATHER_US);
				while (j) {
					g_ptr_array_add(results, smtp_job_steal_result(j));
					smtp_job_free(j);
					inflight--;
					j = smtp_pool_pop(s->pool, 0);
				}
				wait = 0;
			}
			if (building)
				inflight -= collect_built(s, results, wait);
		}
		/* Group commit: everything that has come back is written now, in one
		 * transaction; while it is written the threads produce the next group. */
		if (results->len) {
			g_clear_error(&record_error);
			if (!record(s, results, st, &record_error))
				log_err("outbox: cannot record results (will retry): %s",
					record_error->message);
		}
		if (inflight == 0 && (exhausted || stopping) && results->len == 0)
			break;
		if (inflight == 0 && (exhausted || stopping) && record_error) {
			g_usleep(100 * 1000);
			if (!record(s, results, st, NULL))
				break;
		}
	}
	g_ptr_array_unref(results);
	if (claim_error || record_error) {
		g_propagate_error(error, claim_error ? claim_error : record_error);
		if (claim_error)
			g_clear_error(&record_error);
		return FALSE;
	}
	return TRUE;
}
