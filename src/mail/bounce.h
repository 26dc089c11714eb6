/*
 * bounce.h - reading bounces: RFC 3464 DSNs, RFC 5965 feedback reports, and the common
 * non-standard formats (Postfix, Exim, Sendmail, qmail, Exchange/Office 365, Gmail, Yahoo,
 * GroupWise, AOL, free text).
 *
 * Owns: finding the failed recipients, their status (5.x.x permanent, 4.x.x transient)
 * and the remote reply. Not: what a bounce does to a member (the bounce score lives in
 * bounce_score.c / inbound), nor VERP token decoding (outbox/token).
 *
 * THREADS: any thread, on different messages (patterns compiled once).
 */
#ifndef PM_BOUNCE_H
#define PM_BOUNCE_H

#include <glib.h>
#include <gmime/gmime.h>

typedef enum {
	BOUNCE_NOT = 0,     /* not a bounce */
	BOUNCE_DSN,         /* a delivery failure or delay report */
	BOUNCE_FEEDBACK     /* an abuse/complaint report (ARF) */
} BounceKind;

typedef struct {
	char *address;      /* the failed recipient, lower-cased */
	char *status;       /* "5.1.1", "4.2.2", or NULL when unknown */
	gboolean permanent;
	char *diagnostic;   /* the remote reply, one line, or NULL */
} BounceRecipient;

typedef struct {
	BounceKind kind;
	GPtrArray *recipients;   /* BounceRecipient* */
	char *feedback_type;     /* "abuse", ... for BOUNCE_FEEDBACK */
	char *original_message_id;
	char *original_return_path; /* BOUNCE_FEEDBACK: the Return-Path of the reported
				     * message (peermail's VERP address), or NULL */
	char *rule;              /* which reader and pattern decided, for inspect; NULL when none */
	char *status;            /* no recipient named: the status the text gives (its class
				  * agreeing with its words), else NULL; then permanent says how */
	gboolean permanent;
} BounceReport;

/* bounce_parse - read msg; always returns a report (kind BOUNCE_NOT when not a bounce); free with bounce_report_free */
BounceReport *bounce_parse(GMimeMessage *msg);

/* bounce_report_free - destroy; returns NULL */
BounceReport *bounce_report_free(BounceReport *r);

#endif
