/*
 * listener.c - listening, accepting and stopping for the LMTP and socketmap servers
 * (listener.h).
 *
 * DIAGNOSTICS: accept(2) failures (EMFILE and the like) are logged and retried after
 * 100 ms; a connection that gets no thread is closed after the busy line.
 */
#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include "base/log.h"
#include "base/pm.h"
#include "inbound/listener.h"

struct PmListener {
	PmListenerConf conf;
	char *name;
	char *what;
	char *busy;
	char *unix_path;        /* to unlink at stop, or NULL */
	dev_t unix_dev;         /* the socket file we made: another server's is left alone */
	ino_t unix_ino;
	GSocket *listen;
	GCancellable *cancel;   /* stops the accept loop */
	GThread *acceptor;
	GMutex lock;            /* guards conns */
	GCond idle;             /* signalled when a connection ends */
	GHashTable *conns;      /* GSocket* of the connections in progress */
};

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
		    "%s: want HOST:PORT (an IP address) or unix:/path", addr);
	return NULL;
}

/* listen_on - a bound, listening, blocking socket on addr; *unix_path the file to
 * unlink at the end, else NULL */
static GSocket *listen_on(const char *addr, const char *what, char **unix_path,
			  GError **error)
{
	GSocketAddress *sa;
	GSocket *sock;
	GError *e = NULL;

	*unix_path = NULL;
	if ((sa = parse_addr(addr, unix_path, error)) == NULL) {
		g_prefix_error(error, "%s ", what);
		return NULL;
	}
	if (*unix_path) {
		/* a socket someone answers on is a running daemon's: never take it over;
		 * one nobody answers on is stale, from an earlier run */
		GSocket *probe = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
					      G_SOCKET_PROTOCOL_DEFAULT, NULL);
		gboolean live = probe && g_socket_connect(probe, sa, NULL, NULL);

		g_clear_object(&probe);
		if (live) {
			g_set_error(error, PM_ERROR, EX_TEMPFAIL, "%s: another peermail "
				    "daemon listens on %s already", what, addr);
			g_clear_pointer(unix_path, g_free);
			g_object_unref(sa);
			return NULL;
		}
		g_unlink(*unix_path);
	}
	sock = g_socket_new(g_socket_address_get_family(sa), G_SOCKET_TYPE_STREAM,
			    G_SOCKET_PROTOCOL_DEFAULT, &e);
	if (sock)
		g_socket_set_listen_backlog(sock, 128);
	if (sock == NULL || !g_socket_bind(sock, sa, TRUE, &e) || !g_socket_listen(sock, &e)) {
		g_set_error(error, PM_ERROR, EX_UNAVAILABLE, "%s: cannot listen on %s: %s",
			    what, addr, e->message);
		g_error_free(e);
		g_clear_object(&sock);
		g_clear_pointer(unix_path, g_free);    /* not ours to unlink */
	}
	g_object_unref(sa);
	return sock;
}

/* serve - one connection's thread: the server's serve, then out of the set and closed */
static gpointer serve(gpointer data)
{
	GSocketConnection *conn = data;
	PmListener *l = g_object_get_data(G_OBJECT(conn), "pm-listener");

	l->conf.serve(conn, l->conf.data);
	g_mutex_lock(&l->lock);
	g_hash_table_remove(l->conns, g_socket_connection_get_socket(conn));
	g_cond_broadcast(&l->idle);
	g_mutex_unlock(&l->lock);
	g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
	g_object_unref(conn);
	return NULL;
}

/* refuse - the busy line (if any), and close */
static void refuse(PmListener *l, GSocketConnection *conn)
{
	if (l->busy)
		g_socket_send(g_socket_connection_get_socket(conn), l->busy, strlen(l->busy),
			      NULL, NULL);
	g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
	g_object_unref(conn);
}

/* acceptor - accept until cancelled; a thread per connection up to max_conns */
static gpointer acceptor(gpointer data)
{
	PmListener *l = data;

	for (;;) {
		GError *e = NULL;
		GSocket *sock = g_socket_accept(l->listen, l->cancel, &e);
		GSocketConnection *conn;
		GThread *t;
		gboolean full;

		if (sock == NULL) {
			if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_error_free(e);
				return NULL;
			}
			log_warn("%s: accept: %s", l->name, e->message);
			g_error_free(e);
			g_usleep(100000);   /* EMFILE and the like: do not spin */
			continue;
		}
		g_socket_set_blocking(sock, TRUE);
		g_socket_set_timeout(sock, l->conf.timeout);
		/* without this, Nagle holds each small reply back until the client's delayed
		 * ACK (40 ms a pipelined command) */
		if (l->conf.nodelay && g_socket_get_family(sock) != G_SOCKET_FAMILY_UNIX)
			g_socket_set_option(sock, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
		conn = g_socket_connection_factory_create_connection(sock);
		g_object_unref(sock);   /* the connection holds it */
		g_object_set_data(G_OBJECT(conn), "pm-listener", l);
		g_mutex_lock(&l->lock);
		full = g_hash_table_size(l->conns) >= (guint)l->conf.max_conns;
		if (!full)
			g_hash_table_add(l->conns, sock);
		g_mutex_unlock(&l->lock);
		if (full) {
			refuse(l, conn);
			continue;
		}
		if ((t = g_thread_try_new(l->name, serve, conn, &e)) == NULL) {
			log_warn("%s: no thread for a connection: %s", l->name, e->message);
			g_error_free(e);
			g_mutex_lock(&l->lock);
			g_hash_table_remove(l->conns, sock);
			g_mutex_unlock(&l->lock);
			refuse(l, conn);
			continue;
		}
		g_thread_unref(t);      /* detached: the set tracks it */
	}
}

PmListener *listener_start(const char *addr, const PmListenerConf *conf, GError **error)
{
	PmListener *l = g_new0(PmListener, 1);

	l->conf = *conf;
	l->name = g_strdup(conf->name);
	l->what = g_strdup(conf->what);
	l->busy = g_strdup(conf->busy);
	g_mutex_init(&l->lock);
	g_cond_init(&l->idle);
	l->conns = g_hash_table_new(NULL, NULL);
	l->cancel = g_cancellable_new();
	if ((l->listen = listen_on(addr, l->what, &l->unix_path, error)) == NULL) {
		listener_stop(l);
		return NULL;
	}
	if (l->unix_path) {
		struct stat st;

		if (stat(l->unix_path, &st) == 0) {
			l->unix_dev = st.st_dev;
			l->unix_ino = st.st_ino;
		}
		/* the socket was made with the daemon's umask: its mode says who may connect */
		if (conf->socket_mode >= 0 && chmod(l->unix_path, (mode_t)conf->socket_mode) != 0) {
			int err = errno;

			g_set_error(error, PM_ERROR, EX_CANTCREAT, "%s: cannot set its mode to %04o: "
				    "%s", l->unix_path, (unsigned)conf->socket_mode, g_strerror(err));
			listener_stop(l);
			return NULL;
		}
	}
	l->acceptor = g_thread_new(l->name, acceptor, l);
	log_info("%s: listening on %s", l->name, addr);
	return l;
}

void listener_stop(PmListener *l)
{
	GHashTableIter it;
	gpointer sock;

	if (l == NULL)
		return;
	g_cancellable_cancel(l->cancel);
	if (l->acceptor)
		g_thread_join(l->acceptor);
	g_mutex_lock(&l->lock);
	/* idle connections read end-of-file; a busy one finishes its work first */
	g_hash_table_iter_init(&it, l->conns);
	while (g_hash_table_iter_next(&it, &sock, NULL))
		g_socket_shutdown(sock, TRUE, FALSE, NULL);
	while (g_hash_table_size(l->conns) > 0)
		g_cond_wait(&l->idle, &l->lock);
	g_mutex_unlock(&l->lock);
	if (l->listen) {
		g_socket_close(l->listen, NULL);
		g_object_unref(l->listen);
	}
	if (l->unix_path) {
		struct stat st;

		/* a later server may have taken the path over: its socket stays */
		if (stat(l->unix_path, &st) == 0 && st.st_dev == l->unix_dev &&
		    st.st_ino == l->unix_ino)
			g_unlink(l->unix_path);
	}
	g_object_unref(l->cancel);
	g_hash_table_unref(l->conns);
	g_mutex_clear(&l->lock);
	g_cond_clear(&l->idle);
	g_free(l->unix_path);
	g_free(l->busy);
	g_free(l->what);
	g_free(l->name);
	g_free(l);
}
