/*
 * lmtp.c - the LMTP server: GThreadedSocketService on a private main context.
 *
 * DIAGNOSTICS: a session that fails to open the database answers 421 4.3.0 and closes;
 * every per-recipient failure is the pipeline's status mapped to an LMTP reply.
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sysexits.h>
#include "base/db.h"
#include "inbound/exitcode.h"
#include "inbound/inbound.h"
#include "mail/address.h"
#include "inbound/lmtp.h"
#include "base/log.h"
#include "base/pm.h"
#include "model/schema.h"

#define LMTP_WORKERS 4
#define LMTP_LINE_MAX 4096      /* a command line; longer ones are refused */
#define LMTP_TIMEOUT 300        /* seconds of silence before a session is dropped */

struct PmLmtp {
	const PmConfig *cfg;
	const PmSecret *key;
	char *addr;
	char *unix_path;        /* to unlink at stop, or NULL */
	GSocketAddress *sockaddr;
	GMainContext *ctx;
	GMainLoop *loop;
	GThread *thread;
	GMutex lock;
	GCond ready;
	gboolean started;
	GError *start_error;
};

/* ==== One session ==== */

typedef struct {
	PmLmtp *srv;
	PmDb *db;
	GDataInputStream *in;
	GOutputStream *out;
	char *sender;           /* NULL before MAIL; "" for the null sender */
	GPtrArray *rcpts;       /* char* */
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

/* session_reset - forget the envelope */
static void session_reset(Session *s)
{
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

/* deliver - run the message for every recipient and answer each, in one write */
static gboolean deliver(Session *s, GBytes *raw, gboolean too_big)
{
	GString *r = g_string_new(NULL);
	gboolean ok;

	for (guint i = 0; i < s->rcpts->len; i++) {
		const char *rcpt = g_ptr_array_index(s->rcpts, i);
		GError *e = NULL;
		int status;

		if (too_big) {
			g_string_append_printf(r, "552 5.3.4 <%s> message too large\r\n", rcpt);
			continue;
		}
		inbound_process(s->db, s->srv->cfg, s->srv->key, raw, s->sender, rcpt, NULL, &e);
		status = inbound_exit_status(e);
		switch (status) {
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
	}
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

/* on_run - serve one connection (a worker thread of the service) */
static gboolean on_run(GThreadedSocketService *svc, GSocketConnection *conn,
		       GObject *source, gpointer user)
{
	PmLmtp *srv = user;
	Session s = { 0 };
	GError *e = NULL;
	char *banner;

	s.srv = srv;
	s.rcpts = g_ptr_array_new_with_free_func(g_free);
	s.out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	g_socket_set_timeout(g_socket_connection_get_socket(conn), LMTP_TIMEOUT);
	s.db = db_open(srv->cfg->database, schema_peermail(), FALSE, &e);
	if (s.db == NULL) {
		char *r = g_strdup_printf("421 4.3.0 %s\r\n", e->message);

		reply(&s, r);
		g_free(r);
		g_clear_error(&e);
		g_ptr_array_unref(s.rcpts);
		return TRUE;
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
	g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
	g_object_unref(s.in);
	session_reset(&s);
	g_ptr_array_unref(s.rcpts);
	db_close(s.db);
	return TRUE;
}

/* ==== The listener thread ==== */

/* listener - own main context: bind, report, serve until the loop quits */
static gpointer listener(gpointer data)
{
	PmLmtp *l = data;
	GSocketService *svc;
	GError *e = NULL;
	gboolean ok;

	g_main_context_push_thread_default(l->ctx);
	svc = g_threaded_socket_service_new(LMTP_WORKERS);
	g_signal_connect(svc, "run", G_CALLBACK(on_run), l);
	ok = g_socket_listener_add_address(G_SOCKET_LISTENER(svc), l->sockaddr,
					   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
					   NULL, NULL, &e);
	g_mutex_lock(&l->lock);
	l->started = TRUE;
	if (!ok)
		g_set_error(&l->start_error, PM_ERROR, EX_UNAVAILABLE, "lmtp: cannot listen on %s: %s",
			    l->addr, e->message);
	g_cond_signal(&l->ready);
	g_mutex_unlock(&l->lock);
	g_clear_error(&e);
	if (ok) {
		g_socket_service_start(svc);
		g_main_loop_run(l->loop);
		g_socket_service_stop(svc);
		g_socket_listener_close(G_SOCKET_LISTENER(svc));
	}
	g_object_unref(svc);     /* waits for the sessions in progress */
	g_main_context_pop_thread_default(l->ctx);
	return NULL;
}

/* parse_addr - "host:port", "[v6]:port" or "unix:/path" */
static GSocketAddress *parse_addr(const char *addr, char **unix_path, GError **error)
{
	const char *colon;
	guint64 port;
	char *host;
	GSocketAddress *sa;

	if (g_str_has_prefix(addr, "unix:")) {
		*unix_path = g_strdup(addr + 5);
		return g_unix_socket_address_new(addr + 5);
	}
	colon = strrchr(addr, ':');
	if (colon == NULL || !g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
		goto bad;
	host = *addr == '[' && colon > addr && colon[-1] == ']'
		? g_strndup(addr + 1, (gsize)(colon - addr - 2)) : g_strndup(addr, (gsize)(colon - addr));
	sa = g_inet_socket_address_new_from_string(host, (guint)port);
	g_free(host);
	if (sa)
		return sa;
bad:
	g_set_error(error, PM_ERROR, EX_USAGE,
		    "--lmtp %s: want HOST:PORT (an IP address) or unix:/path", addr);
	return NULL;
}

/* lmtp_start - bind in the listener thread and wait for the outcome */
PmLmtp *lmtp_start(const PmConfig *cfg, const PmSecret *key, const char *addr, GError **error)
{
	PmLmtp *l = g_new0(PmLmtp, 1);

	l->cfg = cfg;
	l->key = key;
	l->addr = g_strdup(addr);
	l->sockaddr = parse_addr(addr, &l->unix_path, error);
	if (l->sockaddr == NULL) {
		g_free(l->addr);
		g_free(l);
		return NULL;
	}
	if (l->unix_path)
		g_unlink(l->unix_path);     /* a stale socket from an earlier run */
	l->ctx = g_main_context_new();
	l->loop = g_main_loop_new(l->ctx, FALSE);
	g_mutex_init(&l->lock);
	g_cond_init(&l->ready);
	l->thread = g_thread_new("lmtp", listener, l);
	g_mutex_lock(&l->lock);
	while (!l->started)
		g_cond_wait(&l->ready, &l->lock);
	g_mutex_unlock(&l->lock);
	if (l->start_error) {
		g_propagate_error(error, l->start_error);
		l->start_error = NULL;
		return lmtp_stop(l);
	}
	log_info("lmtp: listening on %s", addr);
	return l;
}

/* quit_loop - runs in the listener's context */
static gboolean quit_loop(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

/* lmtp_stop - quit the loop, join the thread, free */
PmLmtp *lmtp_stop(PmLmtp *l)
{
	if (l == NULL)
		return NULL;
	GSource *quit = g_idle_source_new();

	/* a source, not g_main_context_invoke: it runs only once the loop does, so a stop
	 * right after the start cannot be lost */
	g_source_set_callback(quit, quit_loop, l->loop, NULL);
	g_source_attach(quit, l->ctx);
	g_source_unref(quit);
	g_thread_join(l->thread);
	if (l->unix_path)
		g_unlink(l->unix_path);
	g_main_loop_unref(l->loop);
	g_main_context_unref(l->ctx);
	g_mutex_clear(&l->lock);
	g_cond_clear(&l->ready);
	g_clear_error(&l->start_error);
	g_object_unref(l->sockaddr);
	g_free(l->unix_path);
	g_free(l->addr);
	g_free(l);
	return NULL;
}
