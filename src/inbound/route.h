/*
 * route.h - inside the inbound pipeline: what each kind of address does.
 *
 * Owns: the handlers for sign, confirm, story, moderation, list commands, list posts,
 * broadcast confirmations, bounces and delivery replies, and the responses they queue.
 * Called by inbound.c with the transaction open and the inbound row inserted; a handler
 * returns FALSE with a PM_ERROR and inbound.c rolls everything back.
 *
 * THREADS: any thread, each with its own PmDb and InboundCtx.
 */
#ifndef PM_INBOUND_ROUTE_H
#define PM_INBOUND_ROUTE_H

#include "mail/address.h"
#include "inbound/message.h"

typedef struct {
	PmDb *db;
	const PmConfig *cfg;
	const PmSecret *key;
	InboundMessage *m;
	const char *recipient;  /* envelope recipient, lower-cased */
	const char *sender;     /* envelope sender; NULL unknown, "" null sender */
	Route route;
	gint64 inbound_id;      /* the row recording this message */
	/* set by the handlers (action and result: static strings) */
	InboundKind kind;
	const char *action;
	const char *result;
	gboolean keep_raw;      /* store the original message in inbound.raw */
	int responses;          /* responses queued */
	gint64 token_member;    /* the member a verified token of this message names, or 0 */
} InboundCtx;

/*
 * inbound_route_check - the recipient check that needs the database, with nothing
 * written and no message needed (c->m may be NULL; db, cfg, key, recipient and route
 * set): FALSE with EX_NOUSER and the one-line reason for an unknown petition or list, an
 * altered, foreign or expired token, or a sign token whose petition or member is gone;
 * EX_TEMPFAIL when the database cannot answer. The handlers refuse the same addresses
 * with the same helpers; LMTP asks this at RCPT TO, the pipeline before its transaction.
 */
gboolean inbound_route_check(InboundCtx *c, GError **error);

/*
 * inbound_route_prepare - compute now, from m, what the handler of route will read from
 * it (the bounce report and auto-reply facts for bounce+ and owner mail; the visible
 * reply text and, when the phrase files of cfg load, its intent reading and language for
 * the rest), each kept in m, so that inbound_route then reads no GMime object and parses
 * nothing. Only what that handler needs: `receive` pays for nothing more than before.
 */
void inbound_route_prepare(const Route *route, InboundMessage *m, const PmConfig *cfg);

/* inbound_route - do what c->route means; FALSE with error (EX_NOUSER, ...) to roll back */
gboolean inbound_route(InboundCtx *c, GError **error);

/*
 * inbound_web_mark - the X-Peermail-Source value the web face puts on the message it
 * makes from a sign form: "web " and an HMAC of its Message-ID under the secret, so mail
 * from outside cannot claim to come from the web form; caller frees. inbound_is_web
 * checks it.
 */
char *inbound_web_mark(const PmSecret *key, const char *message_id);
gboolean inbound_is_web(const PmSecret *key, const char *mark, const char *message_id);


#endif
