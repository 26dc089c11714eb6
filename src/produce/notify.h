/*
 * notify.h - telling the organizers: the only place a notice to them is composed and
 * queued (moderation requests, milestones, delivery replies and failures), and where mail
 * for people (replies to the From address, postmaster@, abuse@, owner addresses) is
 * forwarded: the organizers' mailbox (notify_mailbox).
 *
 * Owns: one copy per organizer (model/organizer.h says who), Auto-Submitted:
 * auto-generated and no daily cap (outbox kind notice), queued in the caller's
 * transaction, with an optional hook for what differs per organizer (a personal Reply-To
 * token, the organizer's own data).
 * Not: who organizes (organizer), what a notice says (its template and the caller's data).
 * DIAGNOSTICS: compose and outbox errors as they are; a hook's error stops the notice.
 * THREADS: like outbox_enqueue: one database connection per thread.
 */
#ifndef PM_NOTIFY_H
#define PM_NOTIFY_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* One organizer's copy: to is set by notify; a hook may fill in the rest. */
typedef struct {
	const char *to;         /* the organizer's address as configured (borrowed) */
	gint64 member_id;       /* the outbox row's member_id, or 0 */
	char *to_name;          /* display name, or NULL; notify frees it */
	char *reply_to;         /* Reply-To of this copy (else the notice's); notify frees it */
	JsonNode *data;         /* template data of this copy (else the notice's); notify unrefs it */
} NotifyCopy;

/* NotifyEach - fill in copy for copy->to; FALSE with error stops the notice */
typedef gboolean (*NotifyEach)(NotifyCopy *copy, gpointer user, GError **error);

/*
 * NotifyDecides - a notice each organizer decides by replying to it (the user of
 * notify_decides): every copy gets a KEYWORD+TOKEN Reply-To naming its organizer (a token
 * of purpose for object), so that only their reply decides, and data with that
 * reply_address and "organizer" (their address) set.
 */
typedef struct {
	PmDb *db;
	const PmConfig *cfg;
	const PmSecret *key;
	TokenPurpose purpose;
	gint64 object;
	const char *keyword;
	JsonObject *data;       /* every copy's data but those two (borrowed) */
} NotifyDecides;

/* notify_decides - a NotifyEach (user: a NotifyDecides): copy's organizer as a member,
 * its Reply-To and data. FALSE with error. */
gboolean notify_decides(NotifyCopy *copy, gpointer user, GError **error);

/* A notice to the organizers. */
typedef struct {
	const char *template_name;
	JsonNode *data;         /* template data of every copy (borrowed), or NULL */
	const char *list;       /* the list it is about (its organizers), or NULL: everything */
	gint64 ref_id;          /* the outbox row's ref_id (petition, delivery...), or 0 */
	const char *reply_to;   /* Reply-To of every copy, or NULL */
	NotifyEach each;        /* per-organizer hook, or NULL */
	gpointer user;          /* for each */
} Notice;

/*
 * notify_organizers - compose n for every organizer and queue each copy (kind notice).
 * The caller holds the transaction. *told (may be NULL) gets how many were queued.
 */
gboolean notify_organizers(PmDb *db, const PmConfig *cfg, const Notice *n, guint *told,
			   GError **error);

/*
 * notify_mailbox - forward a message for people to cfg->organizers_mailbox: template
 * template_name with data (borrowed), Reply-To reply_to (the sender, or NULL), the
 * original attached as message/rfc822; an outbox notice (Auto-Submitted: auto-generated,
 * so it never loops back) queued in the caller's transaction. *sent FALSE (and TRUE
 * returned) when no organizers_mailbox is configured: the caller keeps the original.
 */
gboolean notify_mailbox(PmDb *db, const PmConfig *cfg, const char *template_name,
			JsonNode *data, const char *reply_to, GBytes *original, gboolean *sent,
			GError **error);

#endif
