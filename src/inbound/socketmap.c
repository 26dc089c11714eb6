/*
 * socketmap.c - the socketmap server for Postfix's recipient validation (socketmap.h).
 *
 * DIAGNOSTICS: a malformed request closes its connection (Postfix reconnects); a
 * database that cannot be opened answers TEMP to every request of the connection.
 */
#include <gio/gio.h>
#include <string.h>
#include <sysexits.h>
#include "base/db.h"
#include "base/log.h"
#include "base/pm.h"
#include "inbound/exitcode.h"
#include "inbound/inbound.h"
#include "inbound/listener.h"
#include "inbound/socketmap.h"
#include "model/schema.h"

#define SOCKETMAP_MAX 10000     /* a request longer than this is refused (Postfix: 100000) */

struct PmSocketmap {
	const PmConfig *cfg;
	const PmSecret *key;
	PmListener *listener;   /* a thread per Postfix connection (listener.h) */
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
static void conn(GSocketConnection *c, gpointer data)
{
	PmSocketmap *m = data;
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
}

/* socketmap_start - listen and answer */
PmSocketmap *socketmap_start(const PmConfig *cfg, const PmSecret *key, const char *addr,
			     GError **error)
{
	PmSocketmap *m = g_new0(PmSocketmap, 1);
	PmListenerConf lc = {
		.name = "socketmap", .what = "--socketmap", .max_conns = cfg->lmtp_max_sessions,
		.timeout = (guint)cfg->lmtp_timeout, .socket_mode = -1,
		.busy = NULL,           /* closed at once: Postfix retries */
		.serve = conn, .data = m,
	};

	m->cfg = cfg;
	m->key = key;
	if ((m->listener = listener_start(addr, &lc, error)) == NULL)
		return socketmap_stop(m);
	return m;
}

/* socketmap_stop - stop accepting, end the connections, free */
PmSocketmap *socketmap_stop(PmSocketmap *m)
{
	if (m == NULL)
		return NULL;
	listener_stop(m->listener);
	g_free(m);
	return NULL;
}
