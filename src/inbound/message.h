/*
 * message.h - one incoming message as peermail reads it: read within the size limit,
 * parsed with GMime within bounds, its envelope, and what kind of message it is.
 *
 * Owns: InboundMessage, reading (limits.max_message_size), the bounded GMime parse,
 * classification (bounce, feedback, auto-reply, message) by asking autoreply and bounce,
 * the visible reply text (computed once through replytext), and the envelope from a local
 * delivery agent's environment or the headers. Records nothing: the database is
 * inbound.c's and the routes'.
 * THREADS: an InboundMessage belongs to one thread (GMime objects are not thread-safe);
 * the functions may run in several threads on different messages.
 */
#ifndef PM_INBOUND_MESSAGE_H
#define PM_INBOUND_MESSAGE_H

#include <glib.h>
#include <gmime/gmime.h>
#include "base/config.h"
#include "mail/autoreply.h"
#include "mail/bounce.h"
#include "inbound/envelope.h"
#include "mail/intent.h"

/* Work bounds per message (GMime parses recursively; see GMime issue 165). */
#define INBOUND_MAX_DEPTH 32        /* multipart nesting */
#define INBOUND_MAX_PARTS 1000      /* MIME parts in all */
#define INBOUND_MAX_HEADER 65536    /* octets of one header value kept */

/* What a message is, stored as its name (inbound_kind_name) in inbound.kind */
typedef enum {
	INBOUND_KIND_MESSAGE,
	INBOUND_KIND_AUTOREPLY,
	INBOUND_KIND_BOUNCE,
	INBOUND_KIND_FEEDBACK
} InboundKind;

/* inbound_kind_name - "message", "autoreply", "bounce" or "feedback": stored and printed */
const char *inbound_kind_name(InboundKind kind);

/* inbound_kind_parse - the kind named s into *kind; FALSE for an unknown name */
gboolean inbound_kind_parse(const char *s, InboundKind *kind);

/* A parsed message and what it is. Build with inbound_parse, free with inbound_message_free. */
typedef struct {
	GMimeMessage *msg;
	GBytes *raw;            /* the message as received (a reference) */
	char *from_addr;        /* first From: mailbox as written (not normalized), or NULL */
	char *from_name;        /* its display name, controls folded to spaces, or NULL */
	char *given_name;       /* a name the person typed on the web's /c/TOKEN page, handed
				 * in directly (inbound_process_named), never through a header;
				 * cleaned (pm_clean_name), or NULL */
	char *given_postcode;   /* the postcode typed on the web sign form, handed in directly
				 * (inbound_process_form), kept with the pending signature until
				 * its signer confirms (route.c adopt_postcode), or NULL */
	char *message_id;       /* without angle brackets, or NULL */
	char *subject;          /* decoded, controls folded to spaces, or NULL */
	AutoKind autokind;      /* autoreply_classify() */
	BounceReport *bounce;   /* bounce_parse(), filled by inbound_classify (NULL before) */
	char *reply_text;       /* replytext_visible(), filled by inbound_reply_text */
	/* read at parse time or computed once by their functions below, so that what
	 * inbound_route_prepare computed in advance needs no GMime object afterwards: */
	char *web_source;       /* X-Peermail-Source as written, or NULL */
	char *message_id_raw;   /* Message-ID as GMime gives it (not cleaned), or NULL */
	int autokind_headers;   /* autoreply_classify without the envelope sender; -1: not yet */
	int auto_reply;         /* autoreply_is_reply(); -1: not yet */
	gboolean intent_read;   /* the reading of the reply text (inbound_intent) */
	IntentReading intent;
	gboolean language_read; /* its language (inbound_language) */
	char *language;
} InboundMessage;

/*
 * inbound_parse - parse raw with GMime (a reference to raw is kept) and read From,
 * Message-ID, Subject and the auto-reply class. envelope_sender: NULL unknown, "" null
 * sender. EX_DATAERR when it is not a message or is nested beyond the bounds.
 */
InboundMessage *inbound_parse(GBytes *raw, const char *envelope_sender, GError **error);

/* inbound_classify - run bounce_parse once (idempotent); returns the borrowed report */
BounceReport *inbound_classify(InboundMessage *m);

/* inbound_reply_text - the visible reply text, computed once; borrowed */
const char *inbound_reply_text(InboundMessage *m);

/* inbound_kind - bounce, feedback, autoreply or message (classifies first) */
InboundKind inbound_kind(InboundMessage *m);

/* inbound_intent - intent_read of the visible reply by ph (the process's shared set),
 * computed once; borrowed */
const IntentReading *inbound_intent(InboundMessage *m, const IntentPhrases *ph);

/* inbound_language - intent_language of the visible reply by ph, computed once;
 * borrowed, NULL when not recognised with confidence */
const char *inbound_language(InboundMessage *m, const IntentPhrases *ph);

/* Each function below computes its value once and keeps it, as inbound_classify and
 * inbound_reply_text do: once computed, it reads no GMime object again (the LMTP
 * committer applies what a session prepared, see route.h inbound_route_prepare). */

/* inbound_web_source - X-Peermail-Source as written (NULL: none); borrowed */
const char *inbound_web_source(InboundMessage *m);

/* inbound_message_id_raw - the Message-ID as GMime reads it (not cleaned); borrowed */
const char *inbound_message_id_raw(InboundMessage *m);

/* inbound_autokind_headers - autoreply_classify without the envelope sender, once */
AutoKind inbound_autokind_headers(InboundMessage *m);

/* inbound_auto_reply - autoreply_is_reply of the message, once */
gboolean inbound_auto_reply(InboundMessage *m);

/* inbound_message_free - destroy; returns NULL */
InboundMessage *inbound_message_free(InboundMessage *m);

/* inbound_recipient_from_headers - Delivered-To, else X-Original-To, or NULL; caller frees */
char *inbound_recipient_from_headers(InboundMessage *m);

#endif
