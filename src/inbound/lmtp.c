/*
 * lmtp.c - the LMTP server: an acceptor thread and one thread per session (see lmtp.h).
 *
 * DIAGNOSTICS: a session that fails to open the database answers 421 4.3.0 and closes;
 * every per-recipient failure is the pipeline's status mapped to an LMTP reply.
 */
#include <gio/gio.h>
#include <string.h>
#include <sysexits.h>
#include "base/db.h"
#include "inbound/exitcode.h"
#include "inbound/inbound.h"
#include "mail/address.h"
#include "inbound/listener.h"
#include "inbound/lmtp.h"
#include "base/log.h"
#include "base/pm.h"
#include "model/schema.h"

#define LMTP_LINE_MAX 4096      /* a command line; longer ones are refused */
#define LMTP_BATCH_MAX 256      /* messages in one committer transaction at most */

/* One recipient's message, prepared by its session, applied by the committer. */
typedef struct {
	InboundPlan *plan;              /* the session's: read-only for the committer */
	GError *error;                  /* NULL: recorded (or ignored) and durable */
	gboolean done;
} Job;

struct PmLmtp {
	const PmConfig *cfg;
	const PmSecret *key;
	PmListener *listener;   /* the sessions: a thread each (listener.h) */
	GMutex lock;            /* guards the jobs' done flags, idle_dbs and the checkpointer */
	GAsyncQueue *jobs;      /* Job*, to the committer; the server itself means stop */
	GThread *committer;
	GCond done_cond;        /* broadcast after each batch */
	GPtrArray *idle_dbs;    /* PmDb* of ended sessions, for the next ones (guarded) */
	GThread *checkpointer;
	GCond ckpt_cond;        /* signalled every LMTP_CKPT_EVERY messages, and at stop */
	guint since_ckpt;       /* messages committed since the last checkpoint (guarded) */
	gboolean stopping;      /* the checkpointer ends (guarded) */
	gint in_flight;         /* sessions between MAIL FROM and handing over (atomic) */
};

/* A batch waits up to this long for the sessions in the middle of a transaction (between
 * MAIL FROM and handing their message over) before it commits: one fsync then answers
 * them too, instead of each paying the next. A session alone never waits. */
#define LMTP_GATHER_US 1000

/* The committer never checkpoints the WAL in its commits (that copied about 1,000 pages
 * into the database file and synced it while every session waited); a thread of its own
 * does, PASSIVE (never blocking the committer), after this many messages. */
#define LMTP_CKPT_EVERY 100

#define LMTP_IDLE_DBS 8         /* database connections kept for new sessions */

/* idle_db_free - close a kept database connection */
static void idle_db_free(gpointer db)
{
	db_close(db);
}

/* ==== The committer ==== */

/* fail_batch - replace the success of every job in batch (from index from) by error */
static void fail_batch(GPtrArray *batch, guint from, const GError *error)
{
	for (guint i = from; i < batch->len; i++) {
		Job *j = g_ptr_array_index(batch, i);

		if (j->error == NULL)
			j->error = g_error_new_literal(PM_ERROR, EX_TEMPFAIL, error->message);
	}
}

/* run_batch - every job of batch in one transaction (each its own savepoint: a refused
 * message undoes only itself), one durable commit (synchronous=FULL), then wake them */
static void run_batch(PmLmtp *l, PmDb **dbp, GPtrArray *batch)
{
	GError *e = NULL;

	if (*dbp == NULL) {
		*dbp = db_open(l->cfg->database, schema_peermail(), FALSE, &e);
		if (*dbp && (!db_sync_full(*dbp, &e) || !db_memory_journal(*dbp, &e)))
			*dbp = db_close(*dbp);
		if (*dbp)
			db_autocheckpoint(*dbp, 0);     /* the checkpointer's work */
	}
	if (*dbp == NULL || !db_begin(*dbp, &e)) {
		fail_batch(batch, 0, e);
	} else {
		for (guint i = 0; i < batch->len; i++) {
			Job *j = g_ptr_array_index(batch, i);

			inbound_apply(*dbp, l->cfg, l->key, j->plan, NULL, &j->error);
			if (!db_in_transaction(*dbp)) {
				/* SQLite rolled the whole batch back (disk full, I/O error):
				 * nothing of it is recorded, so every message is retried */
				GError *lost = g_error_new_literal(PM_ERROR, EX_TEMPFAIL,
					"the database rolled the transaction back; try again");

				fail_batch(batch, 0, lost);
				g_error_free(lost);
				break;
			}
		}
		if (db_in_transaction(*dbp) && !db_commit(*dbp, &e)) {
			db_rollback(*dbp);
			fail_batch(batch, 0, e);
		}
	}
	if (e) {
		log_warn("lmtp: %u message(s) not recorded: %s", batch->len, e->message);
		g_error_free(e);
		if (*dbp)
			*dbp = db_close(*dbp);  /* reopened for the next batch */
	}
	g_mutex_lock(&l->lock);
	for (guint i = 0; i < batch->len; i++)
		((Job *)g_ptr_array_index(batch, i))->done = TRUE;
	g_cond_broadcast(&l->done_cond);
	if ((l->since_ckpt += batch->len) >= LMTP_CKPT_EVERY)
		g_cond_signal(&l->ckpt_cond);
	g_mutex_unlock(&l->lock);
}

/* checkpointer - a PASSIVE checkpoint of the WAL every LMTP_CKPT_EVERY committed
 * messages, on a connection of its own, outside the committer's commits */
static gpointer checkpointer(gpointer data)
{
	PmLmtp *l = data;
	PmDb *db = NULL;

	g_mutex_lock(&l->lock);
	for (;;) {
		GError *e = NULL;

		while (!l->stopping && l->since_ckpt < LMTP_CKPT_EVERY)
			g_cond_wait(&l->ckpt_cond, &l->lock);
		if (l->stopping)
			break;
		l->since_ckpt = 0;
		g_mutex_unlock(&l->lock);
		if (db == NULL)
			db = db_open(l->cfg->database, schema_peermail(), FALSE, &e);
		if (db == NULL || !db_checkpoint(db, &e)) {
			log_warn("lmtp: checkpoint: %s", e->message);
			db = db_close(db);
		}
		g_clear_error(&e);
		g_mutex_lock(&l->lock);
	}
	g_mutex_unlock(&l->lock);
	db_close(db);
	return NULL;
}

/* committer - the one writer of the LMTP server: takes every job waiting, runs them as one
 * batch, and again; messages that arrive during a commit go into the next one */
static gpointer committer(gpointer data)
{
	PmLmtp *l = data;
	PmDb *db = NULL;
	GPtrArray *batch = g_ptr_array_new();
	gboolean stop = FALSE;

	while (!stop) {
		gpointer j = g_async_queue_pop(l->jobs);
		gint64 deadline = g_get_monotonic_time() + LMTP_GATHER_US;

		g_ptr_array_set_size(batch, 0);
		while (j != NULL) {
			gint64 left;

			if (j == l) {
				stop = TRUE;
				break;
			}
			g_ptr_array_add(batch, j);
			if (batch->len >= LMTP_BATCH_MAX)
				break;
			j = g_async_queue_try_pop(l->jobs);
			/* nothing more waiting: wait a little for the sessions on their way */
			if (j == NULL && g_atomic_int_get(&l->in_flight) > 0 &&
			    (left = deadline - g_get_monotonic_time()) > 0)
				j = g_async_queue_timeout_pop(l->jobs, (guint64)left);
		}
		if (batch->len > 0)
			run_batch(l, &db, batch);
	}
	g_ptr_array_unref(batch);
	db_close(db);
	return NULL;
}

/* ==== One session ==== */

typedef struct {
	PmLmtp *srv;
	PmDb *db;
	GDataInputStream *in;
	GOutputStream *out;
	char *sender;           /* NULL before MAIL; "" for the null sender */
	GPtrArray *rcpts;       /* char* */
	gboolean in_flight;     /* counted in the server's in_flight */
} Session;

/* reply - write text (one or more complete reply lines) with one write */
static gboolean reply(Session *s, const char *text)
{
	return g_output_stream_write_all(s->out, text, strlen(text), NULL, NULL, NULL);
}

/* path_arg - the address inside "FROM:<addr> params" / "TO:<addr>"; caller frees */
static char *path_arg(const char *p)
{
	const char *lt, *gt;

	while (*p == ' ')
		p++;
	lt = strchr(p, '<');
	if (lt == NULL) {
		const char *end = strchr(p, ' ');
		return end ? g_strndup(p, (gsize)(end - p)) : g_strdup(p);
	}
	gt = strchr(lt, '>');
	return gt ? g_strndup(lt + 1, (gsize)(gt - lt - 1)) : NULL;
}

/* flight_end - this session no longer has a message on its way to the committer */
static void flight_end(Session *s)
{
	if (s->in_flight) {
		g_atomic_int_dec_and_test(&s->srv->in_flight);
		s->in_flight = FALSE;
	}
}

/* session_reset - forget the envelope */
static void session_reset(Session *s)
{
	flight_end(s);
	g_clear_pointer(&s->sender, g_free);
	g_ptr_array_set_size(s->rcpts, 0);
}

/* read_data - the message after DATA, dot-unstuffed; NULL on a lost connection.
 * *too_big is set (and the rest read and dropped) past limits.max_message_size. */
static GBytes *read_data(Session *s, gboolean *too_big)
{
	GByteArray *buf = g_byte_array_new();
	gint64 max = s->srv->cfg->max_message_size;

	*too_big = FALSE;
	for (;;) {
		gsize len;
		GError *e = NULL;
		char *line = g_data_input_stream_read_line(s->in, &len, NULL, &e);
		const char *p = line;

		if (line == NULL) {
			g_clear_error(&e);
			g_byte_array_unref(buf);
			return NULL;
		}
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 1 && line[0] == '.') {
			g_free(line);
			break;
		}
		if (line[0] == '.') {
			p++;
			len--;
		}
		if (!*too_big && (gint64)(buf->len + len + 2) > max) {
			*too_big = TRUE;
			g_byte_array_set_size(buf, 0);
		}
		if (!*too_big) {
			g_byte_array_append(buf, (const guint8 *)p, (guint)len);
			g_byte_array_append(buf, (const guint8 *)"\r\n", 2);
		}
		g_free(line);
	}
	return g_byte_array_free_to_bytes(buf);
}

/* deliver - prepare the message for every recipient here (parse, classify, checks that
 * write nothing: sessions run this in parallel), hand the plans to the committer, wait
 * until all are durable (or refused), answer each in one write, free the plans here */
static gboolean deliver(Session *s, GBytes *raw, gboolean too_big)
{
	GString *r = g_string_new(NULL);
	Job *jobs = g_new0(Job, s->rcpts->len);
	gboolean ok;

	if (!too_big) {
		for (guint i = 0; i < s->rcpts->len; i++) {
			/* checked at RCPT TO a moment ago (inbound_apply decides again) */
			jobs[i].plan = inbound_prepare_checked(s->srv->cfg, s->srv->key, raw,
							       s->sender,
							       g_ptr_array_index(s->rcpts, i),
							       &jobs[i].error);
			if (jobs[i].plan == NULL)
				jobs[i].done = TRUE;    /* refused before any write */
		}
		/* no longer on the way BEFORE the jobs are queued: the committer that pops
		 * them must not see this session still in flight and wait LMTP_GATHER_US for
		 * a message that is already in its batch (a session alone waited the whole 1 ms
		 * for about one message in ten) */
		flight_end(s);
		for (guint i = 0; i < s->rcpts->len; i++)
			if (jobs[i].plan)
				g_async_queue_push(s->srv->jobs, &jobs[i]);
		g_mutex_lock(&s->srv->lock);
		for (guint i = 0; i < s->rcpts->len; i++)
			while (!jobs[i].done)
				g_cond_wait(&s->srv->done_cond, &s->srv->lock);
		g_mutex_unlock(&s->srv->lock);
	}
	for (guint i = 0; i < s->rcpts->len; i++) {
		const char *rcpt = g_ptr_array_index(s->rcpts, i);
		GError *e = jobs[i].error;

		if (too_big) {
			g_string_append_printf(r, "552 5.3.4 <%s> message too large\r\n", rcpt);
			continue;
		}
		switch (inbound_exit_status(e)) {
		case 0:
			g_string_append_printf(r, "250 2.0.0 <%s> delivered\r\n", rcpt);
			break;
		case EX_NOUSER:
			g_string_append_printf(r, "550 5.1.1 %s\r\n", e->message);
			break;
		case EX_DATAERR:
			g_string_append_printf(r, "554 5.6.0 %s\r\n", e->message);
			break;
		default:
			{
				char *shown = address_redact(rcpt);

				log_warn("lmtp: %s: %s (will be retried)", shown, e->message);
				g_free(shown);
			}
			g_string_append_printf(r, "451 4.3.0 %s\r\n", e->message);
		}
		g_clear_error(&e);
		inbound_plan_free(jobs[i].plan);
	}
	g_free(jobs);
	ok = reply(s, r->str);
	g_string_free(r, TRUE);
	return ok;
}

/* command - one command line; FALSE ends the session */
static gboolean command(Session *s, char *line)
{
	const PmConfig *cfg = s->srv->cfg;

	if (g_ascii_strncasecmp(line, "LHLO", 4) == 0) {
		char *r = g_strdup_printf("250-%s\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n"
					  "250-8BITMIME\r\n250 SIZE %" G_GINT64_FORMAT "\r\n",
					  cfg->domain, cfg->max_message_size);
		gboolean ok = reply(s, r);

		g_free(r);
		session_reset(s);
		return ok;
	}
	if (g_ascii_strncasecmp(line, "MAIL FROM:", 10) == 0) {
		if (s->sender)
			return reply(s, "503 5.5.1 nested MAIL command\r\n");
		s->sender = path_arg(line + 10);
		if (s->sender == NULL)
			return reply(s, "501 5.5.4 syntax: MAIL FROM:<address>\r\n");
		/* a message on its way: a batch waits a little for it (LMTP_GATHER_US) */
		g_atomic_int_inc(&s->srv->in_flight);
		s->in_flight = TRUE;
		return reply(s, "250 2.1.0 ok\r\n");
	}
	if (g_ascii_strncasecmp(line, "RCPT TO:", 8) == 0) {
		char *rcpt = path_arg(line + 8);

		if (s->sender == NULL) {
			g_free(rcpt);
			return reply(s, "503 5.5.1 need MAIL first\r\n");
		}
		if (rcpt == NULL || *rcpt == '\0') {
			g_free(rcpt);
			return reply(s, "501 5.5.4 syntax: RCPT TO:<address>\r\n");
		}
		{
			/* the pipeline's own check, before DATA: nothing accepted that bounces */
			char *low = g_ascii_strdown(rcpt, -1);
			Route route = { 0 };
			GError *e = NULL;
			gboolean known = inbound_recipient_check(s->db, cfg, s->srv->key, low, &route,
								 &e);

			route_clear(&route);
			g_free(low);
			if (!known) {
				/* the one-line reason; a database that cannot answer: try later */
				char *r = inbound_exit_status(e) == EX_NOUSER
					? g_strdup_printf("550 5.1.1 %s\r\n", e->message)
					: g_strdup_printf("451 4.3.0 %s\r\n", e->message);
				gboolean ok = reply(s, r);

				g_free(r);
				g_error_free(e);
				g_free(rcpt);
				return ok;
			}
		}
		g_ptr_array_add(s->rcpts, rcpt);
		return reply(s, "250 2.1.5 ok\r\n");
	}
	if (g_ascii_strcasecmp(line, "DATA") == 0) {
		GBytes *raw;
		gboolean too_big, ok;

		if (s->sender == NULL || s->rcpts->len == 0)
			return reply(s, "503 5.5.1 need MAIL and RCPT first\r\n");
		if (!reply(s, "354 go ahead, end with <CRLF>.<CRLF>\r\n"))
			return FALSE;
		if ((raw = read_data(s, &too_big)) == NULL)
			return FALSE;
		ok = deliver(s, raw, too_big);
		g_bytes_unref(raw);
		session_reset(s);
		return ok;
	}
	if (g_ascii_strcasecmp(line, "RSET") == 0) {
		session_reset(s);
		return reply(s, "250 2.0.0 ok\r\n");
	}
	if (g_ascii_strcasecmp(line, "NOOP") == 0)
		return reply(s, "250 2.0.0 ok\r\n");
	if (g_ascii_strcasecmp(line, "QUIT") == 0) {
		reply(s, "221 2.0.0 bye\r\n");
		return FALSE;
	}
	if (g_ascii_strncasecmp(line, "HELO", 4) == 0 || g_ascii_strncasecmp(line, "EHLO", 4) == 0)
		return reply(s, "500 5.5.1 this is LMTP: use LHLO\r\n");
	return reply(s, "500 5.5.2 command not recognized\r\n");
}

/* session - serve one connection (its own thread), then leave the session set */
static void session(GSocketConnection *conn, gpointer data)
{
	PmLmtp *srv = data;
	Session s = { 0 };
	GError *e = NULL;
	char *banner;

	s.srv = srv;
	s.rcpts = g_ptr_array_new_with_free_func(g_free);
	s.out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	/* a connection of an ended session if there is one: the pipe client opens a
	 * session per message, and opening the database costs more than its message */
	g_mutex_lock(&srv->lock);
	if (!g_file_test(srv->cfg->database, G_FILE_TEST_IS_REGULAR))
		g_ptr_array_set_size(srv->idle_dbs, 0);   /* gone or replaced: open anew */
	else if (srv->idle_dbs->len > 0)
		s.db = g_ptr_array_steal_index(srv->idle_dbs, srv->idle_dbs->len - 1);
	g_mutex_unlock(&srv->lock);
	if (s.db == NULL)
		s.db = db_open(srv->cfg->database, schema_peermail(), FALSE, &e);
	if (s.db == NULL) {
		char *r = g_strdup_printf("421 4.3.0 %s\r\n", e->message);

		reply(&s, r);
		g_free(r);
		g_clear_error(&e);
		goto done;
	}
	s.in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(conn)));
	g_data_input_stream_set_newline_type(s.in, G_DATA_STREAM_NEWLINE_TYPE_LF);
	banner = g_strdup_printf("220 %s LMTP peermail ready\r\n", srv->cfg->domain);
	if (reply(&s, banner)) {
		for (;;) {
			gsize len;
			char *line = g_data_input_stream_read_line(s.in, &len, NULL, NULL);
			gboolean go;

			if (line == NULL)
				break;
			if (len > 0 && line[len - 1] == '\r')
				line[--len] = '\0';
			go = len > LMTP_LINE_MAX ? reply(&s, "500 5.5.2 line too long\r\n")
						 : command(&s, line);
			g_free(line);
			if (!go)
				break;
		}
	}
	g_free(banner);
	g_object_unref(s.in);
	session_reset(&s);
done:
	g_ptr_array_unref(s.rcpts);
	g_mutex_lock(&srv->lock);
	if (s.db && srv->idle_dbs->len < LMTP_IDLE_DBS)
		g_ptr_array_add(srv->idle_dbs, g_steal_pointer(&s.db));
	g_mutex_unlock(&srv->lock);
	db_close(s.db);
}

/* lmtp_start - the committer and checkpointer, then the listener */
PmLmtp *lmtp_start(const PmConfig *cfg, const PmSecret *key, const char *addr, GError **error)
{
	PmLmtp *l = g_new0(PmLmtp, 1);
	PmListenerConf lc = {
		.name = "lmtp", .what = "--lmtp", .max_conns = cfg->lmtp_max_sessions,
		.timeout = (guint)cfg->lmtp_timeout,
		/* who may hand mail in (lmtp.socket_mode, 0660: `receive` as the daemon's
		 * user or group) */
		.socket_mode = cfg->lmtp_socket_mode,
		.busy = "421 4.3.2 too many sessions, try again later\r\n",
		.nodelay = TRUE, .serve = session, .data = l,
	};

	l->cfg = cfg;
	l->key = key;
	g_mutex_init(&l->lock);
	g_cond_init(&l->done_cond);
	g_cond_init(&l->ckpt_cond);
	l->jobs = g_async_queue_new();
	l->idle_dbs = g_ptr_array_new_with_free_func(idle_db_free);
	l->committer = g_thread_new("lmtp-commit", committer, l);
	l->checkpointer = g_thread_new("lmtp-checkpoint", checkpointer, l);
	if ((l->listener = listener_start(addr, &lc, error)) == NULL)
		return lmtp_stop(l);
	return l;
}

/* lmtp_stop - stop accepting, end the sessions after their current command, free */
PmLmtp *lmtp_stop(PmLmtp *l)
{
	if (l == NULL)
		return NULL;
	/* idle sessions read end-of-file; one in DATA finishes its message first */
	listener_stop(l->listener);
	if (l->committer) {
		g_async_queue_push(l->jobs, l);     /* after every session's last job */
		g_thread_join(l->committer);
	}
	if (l->checkpointer) {
		g_mutex_lock(&l->lock);
		l->stopping = TRUE;
		g_cond_signal(&l->ckpt_cond);
		g_mutex_unlock(&l->lock);
		g_thread_join(l->checkpointer);
	}
	g_mutex_clear(&l->lock);
	g_cond_clear(&l->done_cond);
	g_cond_clear(&l->ckpt_cond);
	g_async_queue_unref(l->jobs);
	g_ptr_array_unref(l->idle_dbs);
	g_free(l);
	return NULL;
}
