/*
 * review.h - petitions started by members, as mail: the moderation notice to the
 * organizers, the decision (publish or reject) and what the creator and the sponsors are
 * told, the moderation-delay notice, and the addresses a creator is given.
 *
 * Owns: sponsor+SLUG+TOKEN and update+SLUG+TOKEN (the one place each is formed), the
 * decision of a petition in moderation (`petition moderate` and an organizer's reply to
 * review+TOKEN both come here), its event, and the notices about it (template
 * start_news to the creator and sponsors, petition_review to the organizers through
 * produce/notify). Not: who organizes (model/organizer), the states (model/petition),
 * reading replies (inbound/route), the flow's steps before moderation (inbound/route).
 * DIAGNOSTICS: EX_USAGE for a reason code not in petitions.reasons; EX_DATAERR for a
 * petition that is not in moderation; compose, outbox and database errors as they are.
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_PRODUCE_REVIEW_H
#define PM_PRODUCE_REVIEW_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/petition.h"

/* review_sponsor_address - sponsor+SLUG+TOKEN of p (shared by its creator); caller frees */
char *review_sponsor_address(const PmConfig *cfg, const PmSecret *key, const Petition *p);

/* review_update_address - update+SLUG+TOKEN of p (its creator's address for updates to
 * the signers, produce/update); caller frees */
char *review_update_address(const PmConfig *cfg, const PmSecret *key, const Petition *p);

/* review_notice_data - petition_review's data about p for organizer org (address):
 * petition, creator, target, sponsors, reasons, moderation age; caller unrefs */
JsonObject *review_notice_data(PmDb *db, const PmConfig *cfg, const Petition *p,
			       const char *org);

/* review_tell - queue template start_news to p's creator and confirmed sponsors with what
 * (a boolean member of the data: "sponsoring", "moderation", "published", "rejected",
 * "delayed", "milestone"), extra members of data (borrowed, may be NULL) added to each.
 * *told (may be NULL) gets how many. The caller holds the transaction. */
gboolean review_tell(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		     const char *what, gboolean sponsors_too, JsonObject *extra, guint *told,
		     GError **error);

/* review_enter - p has just entered moderation: every organizer gets petition_review with
 * a personal review+TOKEN Reply-To, the creator and sponsors are told, an event is recorded.
 * The caller holds the transaction. */
gboolean review_enter(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		      GError **error);

/*
 * review_decide - publish (approve) or reject (with reason, a configured code) petition p
 * in moderation, decided by by (an organizer's address, or cli:USER): the state, an
 * event, and the outcome told to the creator and the sponsors (the creator of a published
 * one gets its sign address and page). The caller holds the transaction.
 */
gboolean review_decide(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		       gboolean approve, const char *reason, const char *by, GError **error);

/* review_decide_slug - review_decide of petition slug (EX_NOUSER as petition_need), in its
 * own transaction */
gboolean review_decide_slug(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    const char *slug, gboolean approve, const char *reason,
			    const char *by, GError **error);

/* review_delay_task - the scheduler task: the creator of each petition waiting in
 * moderation longer than petitions.backlog_days is told once that it is delayed */
gboolean review_delay_task(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   GError **error);

#endif
