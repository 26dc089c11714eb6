/*
 * review.c - petitions started by members, as mail (review.h).
 */
#include <string.h>
#include <sysexits.h>
#include "base/log.h"
#include "base/pm.h"
#include "mail/address.h"
#include "mail/compose.h"
#include "model/events.h"
#include "model/member.h"
#include "model/outbox.h"
#include "model/signature.h"
#include "produce/notify.h"
#include "produce/review.h"

/* creator_address - keyword+SLUG+TOKEN of purpose for p's creator (never expires) */
static char *creator_address(const PmConfig *cfg, const PmSecret *key, const Petition *p,
			     const char *keyword, TokenPurpose purpose)
{
	Token t = { purpose, p->id, p->creator_id, 0 };
	char *text = token_encode(key, &t);
	char *addr = address_make(cfg, keyword, p->slug, text);

	g_free(text);
	return addr;
}

/* review_sponsor_address - the shared sponsor address */
char *review_sponsor_address(const PmConfig *cfg, const PmSecret *key, const Petition *p)
{
	return creator_address(cfg, key, p, "sponsor", TOKEN_SPONSOR);
}

/* review_update_address - the creator's update address */
char *review_update_address(const PmConfig *cfg, const PmSecret *key, const Petition *p)
{
	return creator_address(cfg, key, p, "update", TOKEN_UPDATE);
}

/* sponsor_count - confirmed sponsors of p; -1 on error */
static gint64 sponsor_count(PmDb *db, const Petition *p, GError **error)
{
	GArray *ids = signature_sponsors(db, p->id, error);
	gint64 n = ids ? (gint64)ids->len : -1;

	if (ids)
		g_array_unref(ids);
	return n;
}

/* review_notice_data - what an organizer sees about p */
JsonObject *review_notice_data(PmDb *db, const PmConfig *cfg, const Petition *p,
			       const char *org)
{
	JsonObject *d = json_object_new();
	JsonArray *reasons = json_array_new();
	Member *creator = p->creator_id ? member_get(db, p->creator_id, NULL) : NULL;
	gint64 waiting = p->moderation_at ? (pm_now() - p->moderation_at) / 86400 : 0;

	json_object_set_member(d, "petition", petition_to_json(db, cfg, p));
	if (p->target)
		json_object_set_string_member(d, "addressed_to", p->target);
	json_object_set_string_member(d, "creator", creator && creator->email ? creator->email
				      : "(forgotten)");
	json_object_set_int_member(d, "sponsors", sponsor_count(db, p, NULL));
	json_object_set_int_member(d, "waiting_days", waiting);
	for (int i = 0; cfg->start_reasons[i]; i++)
		json_array_add_string_element(reasons, cfg->start_reasons[i]);
	json_object_set_array_member(d, "reasons", reasons);
	json_object_set_string_member(d, "organizer", org);
	member_free(creator);
	return d;
}

/* tell_one - start_news to member mid about p (data: extra's members, what TRUE) */
static gboolean tell_one(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
			 gint64 mid, const char *what, JsonObject *extra, gboolean *sent,
			 GError **error)
{
	GError *e = NULL;
	Member *m = member_get(db, mid, &e);
	JsonObject *d;
	JsonNode *node;
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	GBytes *msg;
	gboolean creator = mid == p->creator_id, ok;

	*sent = FALSE;
	if (m == NULL || m->email == NULL || m->status != MEMBER_STATUS_ACTIVE) {
		/* forgotten, unsubscribed from everything or bouncing: nothing to tell */
		if (m && m->email)
			log_info("petition %s: member %" G_GINT64_FORMAT " is %s, not told (%s)",
				 p->slug, mid, member_status_name(m->status), what);
		member_free(m);
		if (e)
			g_propagate_error(error, e);
		return e == NULL;
	}
	d = json_object_new();
	node = json_node_init_object(json_node_alloc(), d);
	json_object_set_member(d, "member", member_to_json(m));
	json_object_set_member(d, "petition", petition_to_json(db, cfg, p));
	json_object_set_boolean_member(d, what, TRUE);
	json_object_set_boolean_member(d, "creator", creator);
	if (extra) {
		GList *names = json_object_get_members(extra);

		for (GList *l = names; l; l = l->next)
			json_object_set_member(d, l->data,
					       json_node_copy(json_object_get_member(extra,
										     l->data)));
		g_list_free(names);
	}
	if (creator && strcmp(what, "sponsoring") == 0) {
		char *sponsor = review_sponsor_address(cfg, key, p);

		json_object_set_string_member(d, "sponsor_address", sponsor);
		json_object_set_int_member(d, "sponsors_needed", cfg->start_sponsors);
		g_free(sponsor);
	}
	if (creator && strcmp(what, "published") == 0) {
		char *update = review_update_address(cfg, key, p);

		json_object_set_string_member(d, "update_address", update);
		g_free(update);
	}
	o.to = member_address(m);
	o.to_name = m->name;
	o.lang = m->lang;       /* the member's language, as every response */
	o.auto_generated = TRUE;
	msg = compose_message(cfg, "start_news", node, &o, error);
	ok = msg != NULL;
	if (ok) {
		item.kind = OUTBOX_RESPONSE;
		item.ref_id = p->id;
		item.member_id = m->id;
		item.recipient = member_address(m);     /* the address as given */
		item.recipient_key = m->email;
		item.message = msg;
		ok = outbox_enqueue(db, &item, error) != 0;
		g_bytes_unref(msg);
		*sent = ok;
	}
	json_node_unref(node);
	json_object_unref(d);
	member_free(m);
	return ok;
}

/* review_tell - the creator, then (sponsors_too) each confirmed sponsor */
gboolean review_tell(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		     const char *what, gboolean sponsors_too, JsonObject *extra, guint *told,
		     GError **error)
{
	GArray *sponsors = NULL;
	gboolean ok = TRUE, sent = FALSE;
	guint n = 0;

	if (p->creator_id && (ok = tell_one(db, cfg, key, p, p->creator_id, what, extra, &sent,
					    error)) && sent)
		n++;
	if (ok && sponsors_too && (sponsors = signature_sponsors(db, p->id, error)) == NULL)
		ok = FALSE;
	for (guint i = 0; ok && sponsors && i < sponsors->len; i++) {
		gint64 mid = g_array_index(sponsors, gint64, i);

		if (mid != p->creator_id &&
		    (ok = tell_one(db, cfg, key, p, mid, what, extra, &sent, error)) && sent)
			n++;
	}
	if (sponsors)
		g_array_unref(sponsors);
	if (told)
		*told = n;
	return ok;
}

/* review_enter - the organizers asked, the creator and sponsors told */
gboolean review_enter(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		      GError **error)
{
	NotifyDecides nd = { db, cfg, key, TOKEN_REVIEW, p->id, "review", NULL };
	Notice n = { "petition_review", NULL, NULL, p->id, NULL, notify_decides, &nd };
	guint told = 0;

	char *detail = g_strdup_printf("%" G_GINT64_FORMAT " sponsors", sponsor_count(db, p, NULL));
	gboolean ok = events_record(db, "petition-moderation", p->id, "peermail", detail, error);

	g_free(detail);
	if (ok) {
		nd.data = review_notice_data(db, cfg, p, "");
		ok = notify_organizers(db, cfg, &n, &told, error);
		json_object_unref(nd.data);
	}
	if (!ok)
		return FALSE;
	log_info("petition %s: in moderation, %u organizers asked", p->slug, told);
	return review_tell(db, cfg, key, p, "moderation", TRUE, NULL, NULL, error);
}

/* reason_known - TRUE when reason is one of the configured codes */
static gboolean reason_known(const PmConfig *cfg, const char *reason)
{
	for (int i = 0; reason && cfg->start_reasons[i]; i++)
		if (g_ascii_strcasecmp(cfg->start_reasons[i], reason) == 0)
			return TRUE;
	return FALSE;
}

/* review_decide - publish or reject, record, tell */
gboolean review_decide(PmDb *db, const PmConfig *cfg, const PmSecret *key, const Petition *p,
		       gboolean approve, const char *reason, const char *by, GError **error)
{
	gboolean moved = FALSE, ok;
	char *code = reason ? g_ascii_strdown(reason, -1) : NULL;
	Petition *now;
	JsonObject *extra;

	if (!approve && !reason_known(cfg, code)) {
		char *all = g_strjoinv(", ", cfg->start_reasons);

		g_set_error(error, PM_ERROR, EX_USAGE, "'%s' is not a reason (petitions.reasons: "
			    "%s)", reason ? reason : "", all);
		g_free(all);
		g_free(code);
		return FALSE;
	}
	if (!petition_advance(db, p->id, PETITION_STATUS_MODERATION, approve ?
			      PETITION_STATUS_OPEN : PETITION_STATUS_REJECTED, by, approve ? NULL
			      : code, &moved, error)) {
		g_free(code);
		return FALSE;
	}
	if (!moved) {
		Petition *cur = petition_get(db, p->id, NULL);

		g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' is not in moderation "
			    "(it is %s)", p->slug, petition_status_name(cur ? cur->status
									: p->status));
		petition_free(cur);
		g_free(code);
		return FALSE;
	}
	if ((now = petition_need_id(db, p->id, error)) == NULL) {
		g_free(code);
		return FALSE;
	}
	extra = json_object_new();
	if (code)
		json_object_set_string_member(extra, "reason", code);
	ok = events_record(db, approve ? "petition-published" : "petition-rejected", p->id, by,
			   code, error) &&
	     review_tell(db, cfg, key, now, approve ? "published" : "rejected", TRUE, extra, NULL,
			 error);
	if (ok)
		log_info("petition %s %s by %s%s%s", p->slug, approve ? "published" : "rejected",
			 by, code ? ": " : "", code ? code : "");
	json_object_unref(extra);
	petition_free(now);
	g_free(code);
	return ok;
}

/* review_decide_slug - by slug, one transaction */
gboolean review_decide_slug(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    const char *slug, gboolean approve, const char *reason,
			    const char *by, GError **error)
{
	Petition *p;
	gboolean ok;

	if (!db_begin(db, error))
		return FALSE;
	p = petition_need(db, slug, error);
	ok = p && review_decide(db, cfg, key, p, approve, reason, by, error) &&
	     db_commit(db, error);
	if (!ok)
		db_rollback(db);
	petition_free(p);
	return ok;
}

/* delay_one - tell p's creator of the delay once, in one transaction */
static gboolean delay_one(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			  GError **error)
{
	gboolean claimed = FALSE, ok;
	Petition *p;
	JsonObject *extra;

	if (!db_begin(db, error))
		return FALSE;
	if (!petition_claim_delay_notice(db, id, pm_now(), &claimed, error) ||
	    (p = petition_need_id(db, id, error)) == NULL) {
		db_rollback(db);
		return FALSE;
	}
	extra = json_object_new();
	json_object_set_int_member(extra, "backlog_days", cfg->start_backlog_days);
	ok = !claimed || (review_tell(db, cfg, key, p, "delayed", FALSE, extra, NULL, error) &&
			  events_record(db, "petition-delay-told", id, "peermail",
					"the creator is told moderation is delayed", error));
	json_object_unref(extra);
	if (ok && db_commit(db, error)) {
		if (claimed)
			log_info("petition %s: creator told moderation is delayed", p->slug);
	} else {
		ok = FALSE;
		db_rollback(db);
	}
	petition_free(p);
	return ok;
}

/* review_delay_task - creators of petitions waiting too long, once each */
gboolean review_delay_task(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   GError **error)
{
	GArray *late = petition_moderation_late(db, pm_now() -
						(gint64)cfg->start_backlog_days * 86400, error);
	gboolean ok = late != NULL;

	for (guint i = 0; ok && i < late->len; i++)
		ok = delay_one(db, cfg, key, g_array_index(late, gint64, i), error);
	if (late)
		g_array_unref(late);
	return ok;
}
