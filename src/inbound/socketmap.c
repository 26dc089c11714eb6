/*
 * socketmap.c - the socketmap server for Postfix's recipient validation (socketmap.h).
 *
 * DIAGNOSTICS: a malformed request closes its connection (Postfix reconnects); a
 * database that cannot be opened answers TEMP to every request of the connection.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sysexits.h>
#include "base/db.h"
#include "base/log.h"
#include "base/pm.h"
#include "inbound/exitcode.h"
#include "inbound/inbound.h"
#include "inbound/lmtp.h"
#include "inbound/socketmap.h"
#include "model/schema.h"

#define SOCKETMAP_MAX 10000     /* a request longer than this is refused (Postfix: 100000) */

struct PmSocketmap {
	const PmConfig *cfg;
	const PmSecret *key;
	char *unix_path;
	GSocket *listen;
	GCancellable *cancel;
	GThread *acceptor;
	GMutex lock;
	GCond idle;
	GHashTable *conns;      /* GSocket* in progress */
};

/* read_netstring - the next "LEN:DATA," from in; caller frees; NULL at the end or on a
 * malformed one */
static char *read_netstring(GDataInputStream *in)
{
	guint64 len = 0;
	int digits = 0;
	char *data;
	gsize got;
	GError *e = NULL;

	for (;;) {
		guchar c = g_data_input_stream_read_byte(in, NULL, &e);

		if (e) {
			g_error_free(e);
			return NULL;
		}
		if (c == ':' && digits > 0)
			break;
		if (!g_ascii_isdigit(c) || ++digits > 6)
			return NULL;
		len = len * 10 + (guint64)(c - '0');
	}
	if (len > SOCKETMAP_MAX)
		return NULL;
	data = g_malloc(len + 1);
	if (!g_input_stream_read_all(G_INPUT_STREAM(in), data, len, &got, NULL, NULL) ||
	    got != len || g_data_input_stream_read_byte(in, NULL, NULL) != ',') {
		g_free(data);
		return NULL;
	}
	data[len] = '\0';
	return data;
}

/* answer - the reply for one request "NAME KEY" (without the netstring framing) */
static char *answer(PmSocketmap *m, PmDb *db, const char *req)
{
	const char *key = strchr(req, ' ');
	const char *at;
	char *low, *text;
	Route route = { 0 };
	GError *e = NULL;

	if (key == NULL)
		return g_strdup("PERM request without a key");
	key++;
	at = strrchr(key, '@');
	/* only full addresses of the campaign domain: the rest is not ours to judge */
	if (at == NULL || at == key || g_ascii_strcasecmp(at + 1, m->cfg->domain) != 0)
		return g_strdup("NOTFOUND ");
	if (db == NULL)
		return g_strdup("TEMP the peermail database cannot be opened");
	low = g_ascii_strdown(key, -1);
	if (inbound_recipient_check(db, m->cfg, m->key, low, &route, &e)) {
		text = g_strdup("OK DUNNO");
	} else if (inbound_exit_status(e) == EX_NOUSER) {
		/* the reason is one line; control characters could not come from a key */
		text = g_strdup_printf("OK 550 5.1.1 %s", e->message);
	} else {
		text = g_strdup_printf("TEMP %s", e->message);
	}
	g_clear_error(&e);
	route_clear(&route);
	g_free(low);
	return text;
}

/* conn - answer one Postfix connection's requests in order (its own thread) */
static gpointer conn(gpointer data)
{
	GSocketConnection *c = data;
	GSocket *sock = g_socket_connection_get_socket(c);
	PmSocketmap *m = g_object_get_data(G_OBJECT(c), "pm-socketmap");
	GDataInputStream *in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(c)));
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(c));
	GError *e = NULL;
	PmDb *db = db_open(m->cfg->database, schema_peermail(), FALSE, &e);
	char *req;

	if (db == NULL) {
		log_warn("socketmap: %s", e->message);
		g_clear_error(&e);
	}
	while ((req = read_netstring(in)) != NULL) {
		char *reply = answer(m, db, req);
		char *framed = g_strdup_printf("%zu:%s,", strlen(reply), reply);
		gboolean ok = g_output_stream_write_all(out, framed, strlen(framed), NULL, NULL,
							NULL);

		g_free(framed);
		g_free(reply);
		g_free(req);
		if (!ok)
			break;
	}
	db_close(db);
	g_object_unref(in);
	g_mutex_lock(&m->lock);
	g_hash_table_remove(m->conns, sock);
	g_cond_broadcast(&m->idle);
	g_mutex_unlock(&m->lock);
	g_io_stream_close(G_IO_STREAM(c), NULL, NULL);
	g_object_unref(c);
	return NULL;
}

/* acceptor - accept until cancelled; a thread per connection up to lmtp.max_sessions */
static gpointer acceptor(gpointer data)
{
	PmSocketmap *m = data;

	for (;;) {
		GError *e = NULL;
		GSocket *sock = g_socket_accept(m->listen, m->cancel, &e);
		GSocketConnection *c;
		GThread *t;
		gboolean full;

		if (sock == NULL) {
			if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_error_free(e);
				return NULL;
			}
			log_warn("socketmap: accept: %s", e->message);
			g_error_free(e);
			g_usleep(100000);
			continue;
		}
		g_socket_set_blocking(sock, TRUE);
		g_socket_set_timeout(sock, (guint)m->cfg->lmtp_timeout);
		c = g_socket_connection_factory_create_connection(sock);
		g_object_set_data(G_OBJECT(c), "pm-socketmap", m);
		g_mutex_lock(&m->lock);
		full = g_hash_table_size(m->conns) >= (guint)m->cfg->lmtp_max_sessions;
		if (!full)
			g_hash_table_add(m->conns, sock);
		g_mutex_unlock(&m->lock);
		g_object_unref(sock);
		if (full || (t = g_thread_try_new("socketmap", conn, c, &e)) == NULL) {
			if (!full) {
				log_warn("socketmap: no thread for a connection: %s", e->message);
				g_error_free(e);
				g_mutex_lock(&m->lock);
				g_hash_table_remove(m->conns, g_socket_connection_get_socket(c));
				g_mutex_unlock(&m->lock);
			}
			g_io_stream_close(G_IO_STREAM(c), NULL, NULL);   /* Postfix retries */
			g_object_unref(c);
			continue;
		}
		g_thread_unref(t);
	}
}

/* socketmap_start - listen and start the acceptor */
PmSocketmap *socketmap_start(const PmConfig *cfg, const PmSecret *key, const char *addr,
			     GError **error)
{
	PmSocketmap *m = g_new0(PmSocketmap, 1);

	m->cfg = cfg;
	m->key = key;
	g_mutex_init(&m->lock);
	g_cond_init(&m->idle);
	m->conns = g_hash_table_new(NULL, NULL);
	m->cancel = g_cancellable_new();
	if ((m->listen = lmtp_listen(addr, "--socketmap", &m->unix_path, error)) == NULL)
		return socketmap_stop(m);
	m->acceptor = g_thread_new("socketmap", acceptor, m);
	log_info("socketmap: listening on %s", addr);
	return m;
}

/* socketmap_stop - stop accepting, end the connections, free */
PmSocketmap *socketmap_stop(PmSocketmap *m)
{
	GHashTableIter it;
	gpointer sock;

	if (m == NULL)
		return NULL;
	g_cancellable_cancel(m->cancel);
	if (m->acceptor)
		g_thread_join(m->acceptor);
	g_mutex_lock(&m->lock);
	g_hash_table_iter_init(&it, m->conns);
	while (g_hash_table_iter_next(&it, &sock, NULL))
		g_socket_shutdown(sock, TRUE, FALSE, NULL);
	while (g_hash_table_size(m->conns) > 0)
		g_cond_wait(&m->idle, &m->lock);
	g_mutex_unlock(&m->lock);
	if (m->listen) {
		g_socket_close(m->listen, NULL);
		g_object_unref(m->listen);
	}
	if (m->unix_path)
		g_unlink(m->unix_path);
	g_object_unref(m->cancel);
	g_hash_table_unref(m->conns);
	g_mutex_clear(&m->lock);
	g_cond_clear(&m->idle);
	g_free(m->unix_path);
	g_free(m);
	return NULL;
}
