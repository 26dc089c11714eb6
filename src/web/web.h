/*
 * web.h - the public HTTP face: petition pages and RFC 8058 one-click unsubscribe.
 *
 * Owns: the HTTP listener (GNU libmicrohttpd), its hard limits (connections, per-IP
 * connections, header memory, body size, the idle timeout and the same time as a hard
 * deadline for a request to arrive, however slowly it trickles), the 1 s cache of the
 * rendered petition pages and their JSON, strict request parsing (methods,
 * paths, body), the security headers on every answer, and the pages: `/` (open
 * petitions), `/p/SLUG` (count, progress, SVG chart, districts and their targets,
 * approved stories, deliveries, ways to sign, a postcode box), `/p/SLUG.json`,
 * `/p/SLUG/count.json`, `/u/TOKEN` (GET: a button; POST List-Unsubscribe=One-Click:
 * unsubscribe at once, 200, never a redirect, no cookies), `/style.css`.
 * Not: what a subscription or a district is (model), tokens (base/token).
 *
 * Every value written into a page is HTML-escaped; nothing about a member (name, address)
 * is ever shown: counts, districts, targets and approved stories' texts only.
 *
 * DIAGNOSTICS: each request that changes state is logged (without its token).
 * THREADS: the daemon serves from a small thread pool; each worker thread opens its own
 * database connection on first use. A watchdog thread shuts down the sockets of requests
 * past the deadline; the page cache and the sign-attempt table have their own mutexes. The configuration and secret are borrowed
 * read-only and must outlive the server.
 */
#ifndef PM_WEB_H
#define PM_WEB_H

#include <glib.h>
#include "base/config.h"
#include "base/token.h"

typedef struct PmWeb PmWeb;

/* Hard limits (0 takes the default) and TLS (both files, or neither: plain HTTP). */
typedef struct {
	unsigned connections;   /* total connections (default 512) */
	unsigned per_ip;        /* connections per client address (default 32; listening
				 * on loopback, behind the proxy: connections) */
	unsigned timeout;       /* idle seconds before a connection is cut, and the most a
				   request may take to arrive (default 10) */
	unsigned threads;       /* worker threads (default 4) */
	const char *tls_cert;   /* PEM certificate chain file; NULL: no TLS */
	const char *tls_key;    /* PEM private key file */
} WebLimits;

/*
 * web_start - listen on addr ("127.0.0.1:8080", "[::1]:8080"; a bare port binds
 * 127.0.0.1) and serve until web_stop; limits may be NULL. NULL with error: EX_USAGE for
 * a bad address or only one TLS file, EX_NOINPUT for an unreadable one, EX_UNAVAILABLE
 * when it cannot listen (or the certificate and key do not load).
 */
PmWeb *web_start(const PmConfig *cfg, const PmSecret *key, const char *addr,
		 const WebLimits *limits, GError **error);

/* web_port - the port actually bound (useful with port 0) */
unsigned web_port(const PmWeb *w);

/* web_stop - stop listening, finish requests in progress, free; returns NULL */
PmWeb *web_stop(PmWeb *w);

#endif
