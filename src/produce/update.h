/*
 * update.h - a creator's updates to the signers of their petition, as mail: the organizers'
 * review notice (decide+TOKEN), the decision (a reply or `petition update approve|reject`),
 * the newsletter an approved update becomes, and what the creator is told.
 *
 * Owns: decide+TOKEN (formed here), the decision of a pending update and its event, the
 * notices about it (template update_review to the organizers through produce/notify,
 * start_news to the creator through produce/review). Not: reading the creator's and the
 * organizers' mail (inbound/route), the updates' rows (model/petition_update), the
 * audience and its consent check at send time (model/newsletter, produce/newsletter_render).
 * DIAGNOSTICS: EX_USAGE for a rejection without a reason; EX_DATAERR for an update that is
 * no longer pending, or approved when its petition is not open; EX_NOUSER for an unknown update; compose, outbox and database errors
 * as they are.
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_PRODUCE_UPDATE_H
#define PM_PRODUCE_UPDATE_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/petition.h"
#include "model/petition_update.h"

/* update_json - an update as template data {id, subject, body, status, reason?}; caller unrefs */
JsonObject *update_json(const PetitionUpdate *u);

/* update_notice_data - update_review's data about u of p for organizer org (address, ""
 * for none): petition, update, creator, signers (its audience now); caller unrefs */
JsonObject *update_notice_data(PmDb *db, const PmConfig *cfg, const Petition *p,
			       const PetitionUpdate *u, const char *org);

/* update_received - u (pending, of p) has just been recorded: every organizer gets
 * update_review with a personal decide+TOKEN Reply-To, the creator an acknowledgement,
 * and an event is recorded. The caller holds the transaction. */
gboolean update_received(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
			 const PetitionUpdate *u, GError **error);

/* update_sendable - can an update of p be approved and sent: p is open (petition_is_open);
 * else FALSE with EX_DATAERR "petition SLUG is STATUS: ..." */
gboolean update_sendable(const Petition *p, GError **error);

/*
 * update_decide - approve or reject (reason required) pending update id, decided by by (an
 * organizer's address or cli:USER): its state, an event, the creator told; an approved
 * one (only while the petition is open: update_sendable) becomes a newsletter to the
 * petition's counted signers, scheduled now (the next
 * `peermail run` sends it). *newsletter (may be NULL) gets its id. The caller holds the
 * transaction.
 */
gboolean update_decide(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
		       gboolean approve, const char *reason, const char *by, gint64 *newsletter,
		       GError **error);

/* update_decide_id - update_decide in its own transaction */
gboolean update_decide_id(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			  gboolean approve, const char *reason, const char *by,
			  gint64 *newsletter, GError **error);

#endif
