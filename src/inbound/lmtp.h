/*
 * lmtp.h - an LMTP server (RFC 2033) feeding each message through the inbound pipeline.
 *
 * Owns: the listener (TCP host:port or unix:/path), the LMTP dialogue, and turning each
 * recipient's pipeline status into its reply: 250 recorded or ignored, 550 5.1.1 unknown
 * (67), 554 5.6.0 unparseable (65), 451 4.3.0 transient (75), 552 5.3.4 over the size
 * limit. Each reply is written with one write. Not: what a message means (inbound).
 *
 * THREADS: the listener runs its own GMainContext in a thread; each connection is served
 * by a worker thread with its own database connection. The configuration and secret are
 * borrowed read-only and must outlive the server.
 */
#ifndef PM_LMTP_H
#define PM_LMTP_H

#include <glib.h>
#include "base/config.h"
#include "base/token.h"

typedef struct PmLmtp PmLmtp;

/*
 * lmtp_start - listen on addr ("127.0.0.1:2424", "[::1]:2424", "unix:/path") and serve
 * until lmtp_stop. Returns NULL with error (EX_USAGE for a bad address, EX_UNAVAILABLE
 * when it cannot listen).
 */
PmLmtp *lmtp_start(const PmConfig *cfg, const PmSecret *key, const char *addr, GError **error);

/* lmtp_stop - stop listening, finish the sessions in progress, free; returns NULL */
PmLmtp *lmtp_stop(PmLmtp *l);

#endif
