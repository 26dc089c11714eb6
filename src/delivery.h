/*
 * delivery.h - compiled petitions mailed to their targets (legislators), each target
 * receiving the signers of its own district (or all, for a target without a district),
 * with a cover letter and a CSV attachment.
 *
 * Owns: the targets, petition_targets, districts, deliveries and delivery_replies tables;
 * compiling a delivery (what it covers, so nothing is sent twice or skipped), the CSV,
 * and delivery schedules (on close, at milestones, every N days).
 */
#ifndef PM_DELIVERY_H
#define PM_DELIVERY_H

#include <glib.h>
#include "config.h"
#include "db.h"

/*
 * delivery_record_reply - a target answered delivery_id (mail to reply+TOKEN): record it
 * and forward it to the organizers. The caller holds the transaction.
 */
gboolean delivery_record_reply(PmDb *db, const PmConfig *cfg, gint64 delivery_id,
			       const char *sender, const char *subject, const char *text,
			       gint64 inbound_id, GError **error);

#endif
