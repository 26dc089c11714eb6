/*
 * listener.h - a server's listening half: one address, a thread per connection.
 *
 * Owns: the listener address syntax ("HOST:PORT", "[v6]:PORT", "unix:/path"), binding
 * (a stale unix socket is replaced, one a running daemon answers on is not: EX_TEMPFAIL),
 * a unix socket's mode, the acceptor thread, the set of connections in progress with its
 * limit (past it, the busy line and close), each connection's socket timeout, and stopping:
 * no more accepts, the connections' reading side shut (an idle one reads end-of-file, a
 * busy one finishes what it is doing), a wait for them all, and the removal of the socket
 * file this listener made (not one a later server put in its place). Used by the LMTP
 * server (lmtp.c) and the socketmap server (socketmap.c). Not: what is said on a
 * connection.
 *
 * THREADS: one acceptor thread blocks in accept(2) on a socket of its own, without any
 * main context (GLib's GThreadedSocketService resumed accepting through the global default
 * context, which nobody ran: it stopped for good after 4 sessions). Each accepted
 * connection gets a detached thread running serve; the listener closes the connection
 * when serve returns.
 */
#ifndef PM_LISTENER_H
#define PM_LISTENER_H

#include <gio/gio.h>

typedef struct PmListener PmListener;

/* PmServe - serve one connection, in its own thread; the listener closes it afterwards */
typedef void (*PmServe)(GSocketConnection *conn, gpointer data);

typedef struct {
	const char *name;        /* names it in logs and thread names ("lmtp") */
	const char *what;        /* names it in errors: the option that asked for it ("--lmtp") */
	int max_conns;           /* connections at once */
	guint timeout;           /* seconds a connection may stay silent */
	int socket_mode;         /* a unix socket's mode after bind, or -1: as the umask made it */
	const char *busy;        /* the line a connection past max_conns gets, or NULL: none */
	gboolean nodelay;        /* TCP_NODELAY: replies are small separate writes */
	PmServe serve;
	gpointer data;           /* serve's */
} PmListenerConf;

/*
 * listener_start - listen on addr and serve each connection with conf->serve until
 * listener_stop (conf is copied; its strings and data must outlive the listener). NULL with
 * error: EX_USAGE for a bad address, EX_TEMPFAIL for a unix socket a daemon answers on,
 * EX_UNAVAILABLE when it cannot listen, EX_CANTCREAT when the mode cannot be set.
 */
PmListener *listener_start(const char *addr, const PmListenerConf *conf, GError **error);

/* listener_stop - stop accepting, end the connections (see above), free; NULL is fine */
void listener_stop(PmListener *l);

#endif
