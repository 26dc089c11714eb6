/*
 * update.c - a creator's updates to the signers, as mail (update.h).
 */
#include <string.h>
#include <sysexits.h>
#include "base/log.h"
#include "base/pm.h"
#include "mail/address.h"
#include "model/events.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "produce/notify.h"
#include "produce/review.h"
#include "produce/update.h"

/* update_json - an update as template data */
JsonObject *update_json(const PetitionUpdate *u)
{
	JsonObject *o = json_object_new();

	json_object_set_int_member(o, "id", u->id);
	json_object_set_string_member(o, "subject", u->subject);
	json_object_set_string_member(o, "body", u->body);
	json_object_set_string_member(o, "status", petition_update_status_name(u->status));
	if (u->reason)
		json_object_set_string_member(o, "reason", u->reason);
	return o;
}

/* update_notice_data - what an organizer sees about u */
JsonObject *update_notice_data(PmDb *db, const PmConfig *cfg, const Petition *p,
			       const PetitionUpdate *u, const char *org)
{
	JsonObject *d = json_object_new();
	Member *creator = u->member_id ? member_get(db, u->member_id, NULL) : NULL;
	gint64 signers = 0;

	/* the audience it would reach now: the counted signers who want its updates */
	newsletter_signers(db, p->id, &signers, NULL);
	json_object_set_member(d, "petition", petition_to_json(db, cfg, p));
	json_object_set_object_member(d, "update", update_json(u));
	json_object_set_string_member(d, "creator", creator && creator->email ?
				      member_address(creator) : "(forgotten)");
	json_object_set_int_member(d, "signers", signers);
	json_object_set_string_member(d, "organizer", org);
	member_free(creator);
	return d;
}

/* detail - "update N" (or "update N: text") for the history; never the creator's words,
 * which forgetting the creator erases from petition_updates only; caller frees */
static char *detail(const PetitionUpdate *u, const char *text)
{
	return text ? g_strdup_printf("update %" G_GINT64_FORMAT ": %s", u->id, text)
		    : g_strdup_printf("update %" G_GINT64_FORMAT, u->id);
}

/* update_received - the organizers asked, the creator told */
gboolean update_received(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
			 const PetitionUpdate *u, GError **error)
{
	NotifyDecides nd = { db, cfg, key, TOKEN_UPDATE_REVIEW, u->id, "decide", NULL };
	Notice n = { "update_review", NULL, NULL, p->id, NULL, notify_decides, &nd };
	JsonObject *extra = json_object_new();
	char *what = detail(u, NULL);
	guint told = 0;
	gboolean ok;

	json_object_set_object_member(extra, "update", update_json(u));
	ok = events_record(db, "update-received", p->id, "creator", what, error);
	if (ok) {
		nd.data = update_notice_data(db, cfg, p, u, "");
		ok = notify_organizers(db, cfg, &n, &told, error);
		json_object_unref(nd.data);
	}
	ok = ok && review_tell(db, cfg, key, p, "update_received", FALSE, extra, NULL, error);
	if (ok)
		log_info("petition %s: update %" G_GINT64_FORMAT " pending, %u organizers asked",
			 p->slug, u->id, told);
	json_object_unref(extra);
	g_free(what);
	return ok;
}

/* update_sendable - p is open (published, not closed, withdrawn or past its closing date) */
gboolean update_sendable(const Petition *p, GError **error)
{
	if (petition_is_open(p))
		return TRUE;
	g_set_error(error, PM_ERROR, EX_DATAERR, "petition %s is %s: an update goes only to the "
		    "signers of an open petition", p->slug,
		    petition_status_name(petition_status_now(p)));
	return FALSE;
}

/* update_decide - approve (a newsletter to the signers) or reject, record, tell */
gboolean update_decide(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
		       gboolean approve, const char *reason, const char *by, gint64 *newsletter,
		       GError **error)
{
	PetitionUpdate *u = NULL, *now = NULL;
	Petition *p = NULL;
	gboolean moved = FALSE, ok = FALSE;
	gint64 nid = 0;
	char *why = NULL, *what = NULL;
	JsonObject *extra = NULL;

	if (newsletter)
		*newsletter = 0;
	if (!approve && reason)
		why = g_strstrip(pm_clean_text(reason));
	if (!approve && (why == NULL || *why == '\0')) {
		g_set_error(error, PM_ERROR, EX_USAGE, "a rejection needs a reason");
		goto out;
	}
	if ((u = petition_update_need(db, id, error)) == NULL ||
	    (p = petition_need_id(db, u->petition_id, error)) == NULL ||
	    (approve && !update_sendable(p, error)) ||
	    !petition_update_decide(db, id, approve, why, by, pm_now(), &moved, error))
		goto out;
	if (!moved) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "update %" G_GINT64_FORMAT " is %s "
			    "already", id, petition_update_status_name(u->status));
		goto out;
	}
	if (approve && ((nid = newsletter_create_update(db, p->id, u->subject, u->body, by,
							error)) == 0 ||
			!petition_update_set_newsletter(db, id, nid, error)))
		goto out;
	if ((now = petition_update_need(db, id, error)) == NULL)
		goto out;
	what = detail(now, approve ? NULL : why);
	extra = json_object_new();
	json_object_set_object_member(extra, "update", update_json(now));
	if (why)
		json_object_set_string_member(extra, "reason", why);
	ok = events_record(db, approve ? "update-approved" : "update-rejected", p->id, by, what,
			   error) &&
	     review_tell(db, cfg, key, p, approve ? "update_approved" : "update_rejected", FALSE,
			 extra, NULL, error);
	if (ok) {
		log_info("petition %s: update %" G_GINT64_FORMAT " %s by %s", p->slug, id,
			 approve ? "approved" : "rejected", by);
		if (newsletter)
			*newsletter = nid;
	}
out:
	if (extra)
		json_object_unref(extra);
	g_free(what);
	g_free(why);
	petition_update_free(now);
	petition_update_free(u);
	petition_free(p);
	return ok;
}

/* update_decide_id - one transaction */
gboolean update_decide_id(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			  gboolean approve, const char *reason, const char *by,
			  gint64 *newsletter, GError **error)
{
	if (!db_begin(db, error))
		return FALSE;
	if (update_decide(db, cfg, key, id, approve, reason, by, newsletter, error) &&
	    db_commit(db, error))
		return TRUE;
	db_rollback(db);
	return FALSE;
}
