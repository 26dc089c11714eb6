/*
 * sender.h - the send loop: claim due outbox rows, render the ones built at send time
 * (split renderers in a pool of render threads), dispatch them to the SMTP threads (or the
 * maildir transport) and record the results.
 *
 * Owns: the flow between the database (main thread only) and the transports, the render
 * threads, how many messages are in flight (at most two claim batches, whatever the
 * queue's size, being built included), and batching the results into few transactions.
 * Not: SQL (outbox), SMTP (smtp).
 *
 * THREADS: a Sender is driven from the main thread; it runs its own render and SMTP
 * threads inside and joins them in sender_free.
 */
#ifndef PM_SENDER_H
#define PM_SENDER_H

#include <glib.h>
#include <signal.h>
#include "base/config.h"
#include "base/db.h"
#include "model/outbox.h"
#include "base/token.h"

typedef struct Sender Sender;

typedef struct {
	guint sent, deferred, failed, released;
} SenderStats;

/*
 * sender_new - a sender for cfg->transport. db, cfg and key are borrowed and must outlive
 * it; renderers NULL means renderers_default (run/renderers.h). Reclaims rows left in flight by senders that
 * died, and starts the render threads (one per CPU but one, at least one) and the SMTP threads.
 */
Sender *sender_new(PmDb *db, const PmConfig *cfg, const PmSecret *key,
		   const OutboxRenderer *renderers, GError **error);

/*
 * sender_pass - send everything due now; returns when nothing due is left and every
 * result is recorded. When *stop becomes non-zero (SIGTERM) no new message starts, the
 * ones in flight finish, and the rest stay queued. stats may be NULL.
 */
gboolean sender_pass(Sender *s, const volatile sig_atomic_t *stop, SenderStats *stats,
		     GError **error);

/*
 * SenderRefillFn - queue more outbox rows (e.g. the next slice of a newsletter's
 * expansion) into *added; FALSE with error on failure (logged, the pass goes on).
 * sender_set_refill - call fn whenever a claim finds fewer due rows than it asked for, so
 * that producing rows overlaps with sending those already in flight; the pass ends only
 * when a claim finds none and fn adds none.
 */
typedef gboolean (*SenderRefillFn)(gpointer user, gint64 *added, GError **error);
void sender_set_refill(Sender *s, SenderRefillFn fn, gpointer user);

/* sender_free - stop the render and SMTP threads; returns NULL */
Sender *sender_free(Sender *s);

#endif
