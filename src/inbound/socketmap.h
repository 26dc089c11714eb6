/*
 * socketmap.h - Postfix's recipient validation, answered by peermail (`run --socketmap`).
 *
 * Owns: a socketmap server (Postfix socketmap_table(5): netstring requests "NAME KEY",
 * replies "OK VALUE", "NOTFOUND ", "TEMP REASON") meant for
 *     check_recipient_access socketmap:inet:127.0.0.1:2425:peermail
 * in smtpd_recipient_restrictions. For an address of the campaign domain it answers with
 * inbound_recipient_check, the pipeline's own rule: refused addresses get
 * "OK 550 5.1.1 REASON" (Postfix rejects the RCPT TO with that text: nothing is queued,
 * nothing bounces later), accepted ones "OK DUNNO" (no further keys are tried: the
 * address without its +extension would mean nothing), a database that cannot answer
 * "TEMP" (Postfix answers 451 4.3.0). Keys of other domains, domains alone and
 * "localpart@" keys are NOTFOUND: the map says nothing about them.
 * Not: the rule (inbound.h), listening and accepting (listener.h).
 *
 * Why a socketmap and not reject_unverified_recipient: address verification probes the
 * transport, which works only for LMTP (a pipe(8) probe never runs peermail), answers
 * 450 until the probe completes and caches answers for days (a petition created today
 * would be refused from cache); a tcp_table is the older protocol of the same idea. The
 * socketmap asks the one rule at RCPT TO time, every time.
 *
 * THREADS: an acceptor thread and one thread (with its own read-only database
 * connection) per Postfix connection, up to lmtp.max_sessions; requests on a connection
 * are answered in order. Idle connections are closed after lmtp.timeout.
 */
#ifndef PM_SOCKETMAP_H
#define PM_SOCKETMAP_H

#include <glib.h>
#include "base/config.h"
#include "base/token.h"

typedef struct PmSocketmap PmSocketmap;

/* socketmap_start - listen on addr (as lmtp_start) and answer until socketmap_stop;
 * NULL with error (EX_USAGE bad address, EX_UNAVAILABLE cannot listen) */
PmSocketmap *socketmap_start(const PmConfig *cfg, const PmSecret *key, const char *addr,
			     GError **error);

/* socketmap_stop - stop listening, end the connections, free; returns NULL */
PmSocketmap *socketmap_stop(PmSocketmap *m);

#endif
