/*
 * autoreply.h - recognizing mail nobody typed: auto-replies, vacation notices, list
 * traffic, bounces by sender, and our own mail coming back (loops), per RFC 3834.
 *
 * Owns: the header and subject heuristics: the only answer to "is this an auto-reply?"
 * (bounce asks autoreply_is_reply before reading a report's free text). Not: bounce
 * parsing (bounce), nor the daily response limit (inbound/route, with outbox_responses_today).
 *
 * THREADS: any thread, on different messages (patterns compiled once).
 */
#ifndef PM_AUTOREPLY_H
#define PM_AUTOREPLY_H

#include <glib.h>
#include <gmime/gmime.h>

typedef enum {
	AUTO_NONE = 0,      /* a person wrote it, as far as we can tell */
	AUTO_NULL_SENDER,   /* empty envelope sender or MAILER-DAEMON */
	AUTO_SUBMITTED,     /* Auto-Submitted other than "no" */
	AUTO_VACATION,      /* X-Autoreply, X-Autorespond, vacation/out-of-office subjects... */
	AUTO_BULK,          /* Precedence: bulk, junk or list */
	AUTO_LIST,          /* List-Id / List-Post...: another list's traffic */
	AUTO_LOOP,          /* our own loop marker */
} AutoKind;

/*
 * autoreply_classify - why msg must not be answered or counted, or AUTO_NONE.
 * envelope_sender may be NULL (unknown) or "" (null sender).
 */
AutoKind autoreply_classify(GMimeMessage *msg, const char *envelope_sender);

/*
 * autoreply_is_reply - TRUE if msg says it is an automatic reply to a message: the vacation
 * markers of autoreply_classify (headers, out-of-office subjects, Precedence: auto_reply) or
 * Auto-Submitted: auto-replied, whatever its envelope or Return-Path (RFC 3834 replies come
 * from the null sender). FALSE for mail whose From: is a mail system (MAILER-DAEMON,
 * postmaster...), which marks its delivery reports auto-replied too.
 */
gboolean autoreply_is_reply(GMimeMessage *msg);

/* autoreply_name - "vacation", "loop", ... for logs and the inbound log */
const char *autoreply_name(AutoKind kind);

#endif
