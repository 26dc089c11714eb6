/*
 * delivery_send.h - deliveries as mail: cover letters into the outbox, targets' replies,
 * failure alerts, and the scheduler task that compiles what is due.
 *
 * Owns: turning compiled deliveries (model/delivery.h) into queued messages.
 *
 * THREADS: any thread with its own PmDb (the scheduler calls it from the main thread).
 */
#ifndef PM_DELIVERY_SEND_H
#define PM_DELIVERY_SEND_H

#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/petition.h"

/*
 * delivery_deliver - `deliver SLUG`: petition slug (EX_NOUSER as petition_need), which
 * needs targets (EX_DATAERR, delivery_need_targets), compiled and queued at once when now
 * (delivery_queue, reason "manual"; *queued gets the count), else requested for the next
 * `peermail run` (*queued 0). Returns the petition (caller frees) or NULL.
 */
Petition *delivery_deliver(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *slug, gboolean now, int *queued, GError **error);

/*
 * delivery_queue - compile petition_id now and queue one message per target's share in
 * the outbox (kind delivery, ref_id the delivery; From the campaign; Reply-To
 * reply+TOKEN), in one transaction. Clears a pending request. *queued gets the count.
 */
gboolean delivery_queue(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			gint64 petition_id, const char *reason, int *queued, GError **error);

/*
 * delivery_record_reply - a target answered delivery_id (mail to reply+TOKEN): record it
 * and forward it to the organizers. The caller holds the transaction.
 */
gboolean delivery_record_reply(PmDb *db, const PmConfig *cfg, gint64 delivery_id,
			       const char *sender, const char *subject, const char *text,
			       gint64 inbound_id, GError **error);

/*
 * delivery_sync - follow the outbox: deliveries whose message was sent become sent; those
 * whose row failed (5xx, expired) or whose address bounced permanently become failed and
 * the organizers get a delivery_failed notice (once). *failed gets how many failed now.
 */
gboolean delivery_sync(PmDb *db, const PmConfig *cfg, int *failed, GError **error);

/*
 * delivery_run_due - the scheduler task: compile what is due at now (requested by
 * `deliver`, closed petitions set to deliver on close, crossed milestones, every N days
 * since the last delivery), then delivery_sync. *queued gets the messages queued.
 */
gboolean delivery_run_due(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 now,
			  int *queued, GError **error);

/* delivery_queue_due - delivery_run_due at the current time, as a scheduler task */
gboolean delivery_queue_due(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    GError **error);

#endif
