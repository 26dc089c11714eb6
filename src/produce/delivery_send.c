/*
 * delivery_send.c - deliveries as mail: each compiled share becomes a cover letter
 * (template `delivery`) with the CSV attached, queued in the outbox (kind delivery,
 * ref_id the delivery) From the campaign with Reply-To reply+TOKEN; replies are recorded
 * and forwarded to the organizers (template `delivery_reply`); failures found in the
 * outbox or in permanent bounces alert them (template `delivery_failed`); and the
 * scheduler task that compiles what the schedules make due.
 *
 * Deliveries never bypass the outbox: retries, rate limits and the transport are its.
 * DIAGNOSTICS: EX_NOUSER for an unknown delivery; compose and outbox errors as they are.
 */
#include <string.h>
#include <sysexits.h>
#include "produce/delivery_send.h"
#include "mail/address.h"
#include "mail/compose.h"
#include "model/delivery.h"
#include "base/log.h"
#include "produce/milestone.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "produce/notify.h"
#include "base/pm.h"

typedef struct {
	const PmConfig *cfg;
	const PmSecret *key;
} SendCtx;

/* reply_address - reply+TOKEN@domain for a delivery; caller frees */
static char *reply_address(const PmConfig *cfg, const PmSecret *key, gint64 delivery_id)
{
	Token t = { TOKEN_DELIVERY, delivery_id, 0, 0 };
	char *tok = token_encode(key, &t);
	char *addr = address_make(cfg, "reply", NULL, tok);

	g_free(tok);
	return addr;
}

/* send_sink - compose one share's cover letter with its CSV and queue it */
static gboolean send_sink(PmDb *db, const DeliveryPart *part, gint64 *outbox_id,
			  gpointer user, GError **error)
{
	SendCtx *ctx = user;
	char *reply = reply_address(ctx->cfg, ctx->key, part->delivery_id);
	char *date = pm_time_iso(pm_now());
	char *file;
	ComposeAttachment att;
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	GBytes *msg;

	date[10] = '\0';   /* the day is enough in a file name */
	file = g_strdup_printf("signatures-%s-%s-%" G_GINT64_FORMAT ".csv%s", part->petition->slug,
			       date, part->delivery_id, part->gzipped ? ".gz" : "");
	att.filename = file;
	att.content_type = part->gzipped ? "application/gzip" : "text/csv; charset=utf-8";
	att.data = part->csv;
	o.to = part->target->email;
	o.to_name = part->target->name;
	o.reply_to = reply;
	o.attachments = &att;
	o.n_attachments = 1;
	msg = compose_message(ctx->cfg, "delivery", part->data, &o, error);
	if (msg) {
		item.kind = OUTBOX_DELIVERY;
		item.ref_id = part->delivery_id;
		item.recipient = part->target->email;
		item.message = msg;
		*outbox_id = outbox_enqueue(db, &item, error);
		g_bytes_unref(msg);
	}
	g_free(file);
	g_free(date);
	g_free(reply);
	return msg != NULL && *outbox_id > 0;
}

/* queue_in_tx - compile and queue; the caller holds the transaction */
static gboolean queue_in_tx(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    gint64 petition_id, const char *reason, int *queued, GError **error)
{
	SendCtx ctx = { cfg, key };

	return delivery_compile(db, cfg, petition_id, reason, send_sink, &ctx, queued, error) &&
	       petition_clear_delivery_request(db, petition_id, error);
}

/* delivery_queue - compile petition_id now, one transaction */
gboolean delivery_queue(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			gint64 petition_id, const char *reason, int *queued, GError **error)
{
	*queued = 0;
	if (!db_begin(db, error))
		return FALSE;
	if (!queue_in_tx(db, cfg, key, petition_id, reason, queued, error) ||
	    !db_commit(db, error)) {
		db_rollback(db);
		*queued = 0;
		return FALSE;
	}
	return TRUE;
}

/* notify - compose template for every organizer (notify.h) and queue it as a notice */
static gboolean notify(PmDb *db, const PmConfig *cfg, const char *template_name,
		       JsonNode *data, gint64 delivery_id, const char *reply_to, GError **error)
{
	Notice n = { template_name, data, NULL, delivery_id, reply_to, NULL, NULL };

	return notify_organizers(db, cfg, &n, NULL, error);
}

/* notice_data - {petition, target, delivery} of a delivery; NULL (error set) if unknown */
static JsonBuilder *notice_data(PmDb *db, const PmConfig *cfg, gint64 delivery_id,
				GError **error)
{
	static const char *const names[] = { "name", "email", "title", "district" };
	GError *e = NULL;
	DeliveryInfo *d = delivery_info_get(db, delivery_id, &e);
	JsonBuilder *b;
	Petition *p;
	char *at;

	if (d == NULL) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "no delivery %" G_GINT64_FORMAT,
				    delivery_id);
		return NULL;
	}
	at = pm_time_iso(d->created_at);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "target");
	json_builder_begin_object(b);
	{
		const char *const values[] = { d->target.name, d->target.email, d->target.title,
					       d->target.district };

		for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
			json_builder_set_member_name(b, names[i]);
			json_builder_add_string_value(b, values[i] ? values[i] : "");
		}
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "delivery");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, delivery_id);
	json_builder_set_member_name(b, "signatures");
	json_builder_add_int_value(b, d->signatures);
	json_builder_set_member_name(b, "reason");
	json_builder_add_string_value(b, d->reason);
	json_builder_set_member_name(b, "created_at");
	json_builder_add_string_value(b, at);
	json_builder_end_object(b);
	g_free(at);
	p = petition_get(db, d->petition_id, &e);
	if (p) {
		json_builder_set_member_name(b, "petition");
		json_builder_add_value(b, petition_to_json(db, cfg, p));
		petition_free(p);
	}
	delivery_info_free(d);
	if (e) {
		g_propagate_error(error, e);
		g_object_unref(b);
		return NULL;
	}
	return b;
}

/* delivery_record_reply - keep a target's answer and pass it on to the organizers */
gboolean delivery_record_reply(PmDb *db, const PmConfig *cfg, gint64 delivery_id,
			       const char *sender, const char *subject, const char *text,
			       gint64 inbound_id, GError **error)
{
	JsonBuilder *b = notice_data(db, cfg, delivery_id, error);
	JsonNode *data;
	gboolean ok;

	if (b == NULL)
		return FALSE;
	if (!delivery_reply_add(db, delivery_id, sender, subject, text, inbound_id, error)) {
		g_object_unref(b);
		return FALSE;
	}
	json_builder_set_member_name(b, "reply");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "sender");
	json_builder_add_string_value(b, sender ? sender : "");
	json_builder_set_member_name(b, "subject");
	json_builder_add_string_value(b, subject ? subject : "");
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text ? text : "");
	json_builder_end_object(b);
	json_builder_end_object(b);
	data = json_builder_get_root(b);
	g_object_unref(b);
	/* Reply-To the target, so an organizer's answer goes straight back to them */
	ok = notify(db, cfg, "delivery_reply", data, delivery_id,
		    sender && address_is_valid(sender) ? sender : NULL, error);
	json_node_unref(data);
	return ok;
}

/* how long after a delivery a permanent bounce still marks it failed */
#define BOUNCE_DAYS 30

/* failure_why - what the organizers are told went wrong; caller frees */
static char *failure_why(const DeliveryFailure *f)
{
	if (f->bounce && *f->bounce)
		return g_strdup_printf("bounced: %s", f->bounce);
	if (f->smtp_code > 0)
		return g_strdup_printf("%d %s %s", f->smtp_code, f->smtp_status ? f->smtp_status : "",
				       f->smtp_text ? f->smtp_text : "");
	return g_strdup_printf("%s: %s", f->outbox_status,
			       f->smtp_text ? f->smtp_text : "no reply");
}

/* alert_failed - mark one delivery failed and tell the organizers, one transaction */
static gboolean alert_failed(PmDb *db, const PmConfig *cfg, const DeliveryFailure *f,
			     GError **error)
{
	JsonBuilder *b;
	JsonNode *data;
	char *why;
	gboolean ok;

	if (!db_begin(db, error))
		return FALSE;
	b = notice_data(db, cfg, f->id, error);
	if (b == NULL) {
		db_rollback(db);
		return FALSE;
	}
	why = failure_why(f);
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, why);
	json_builder_end_object(b);
	data = json_builder_get_root(b);
	g_object_unref(b);
	ok = delivery_mark_failed(db, f->id, why, pm_now(), error) &&
	     notify(db, cfg, "delivery_failed", data, f->id, NULL, error) && db_commit(db, error);
	json_node_unref(data);
	if (!ok)
		db_rollback(db);
	else
		log_warn("delivery %" G_GINT64_FORMAT " failed: %s", f->id, why);
	g_free(why);
	return ok;
}

/* delivery_sync - sent and failed deliveries from the outbox and the bounces */
gboolean delivery_sync(PmDb *db, const PmConfig *cfg, int *failed, GError **error)
{
	GArray *fails;
	gboolean ok = TRUE;

	*failed = 0;
	if (!delivery_sync_sent(db, error))
		return FALSE;
	/* DSNs come within days: permanent bounces count for deliveries of the last
	 * BOUNCE_DAYS */
	fails = delivery_failures(db, pm_now() - BOUNCE_DAYS * 86400, error);
	if (fails == NULL)
		return FALSE;
	for (guint i = 0; ok && i < fails->len; i++) {
		ok = alert_failed(db, cfg, &g_array_index(fails, DeliveryFailure, i), error);
		if (ok)
			(*failed)++;
	}
	g_array_unref(fails);
	return ok;
}

/* due_reason - why petition d is due now, or NULL; *milestone gets a crossed one */
static const char *due_reason(PmDb *db, const DeliveryDue *d, gint64 now, gint64 *milestone,
			      GError **error)
{
	gint64 confirmed = 0, pending = 0;

	*milestone = 0;
	if (d->milestones) {
		if (!petition_counts(db, d->id, &confirmed, &pending, error))
			return NULL;
		/* the steps are the campaign's (milestone.h); ours is the last delivered at */
		*milestone = milestone_crossed(d->goal, d->delivered_milestone, confirmed);
	}
	if (d->requested)
		return "manual";
	if (d->closed && d->on_close)
		return "close";
	if (*milestone > 0)
		return "milestone";
	if (d->every_days > 0 && d->last + d->every_days * 86400 <= now)
		return "periodic";
	return NULL;
}

/* delivery_run_due - the scheduler's deliveries pass */
gboolean delivery_run_due(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 now,
			  int *queued, GError **error)
{
	GArray *due;
	GError *e = NULL;
	gboolean ok = TRUE;
	int failed = 0;

	*queued = 0;
	if ((due = delivery_due_list(db, now, error)) == NULL)
		return FALSE;
	for (guint i = 0; ok && i < due->len; i++) {
		DeliveryDue *d = &g_array_index(due, DeliveryDue, i);
		gint64 milestone = 0;
		const char *reason;
		int n = 0;

		if (!db_begin(db, error)) {
			ok = FALSE;
			break;
		}
		reason = due_reason(db, d, now, &milestone, &e);
		if (e) {
			g_propagate_error(error, e);
			db_rollback(db);
			ok = FALSE;
			break;
		}
		/* one compile covers every reason that is due; each reason's mark moves */
		ok = reason == NULL ||
		     (queue_in_tx(db, cfg, key, d->id, reason, &n, error) &&
		      petition_mark_delivered(db, d->id, d->closed && d->on_close, milestone, now,
					      error));
		if (ok && !db_commit(db, error))
			ok = FALSE;
		if (!ok)
			db_rollback(db);
		else if (reason)
			log_info("deliveries: petition %" G_GINT64_FORMAT " (%s): %d queued", d->id,
				 reason, n);
		*queued += n;
	}
	g_array_unref(due);
	return ok && delivery_sync(db, cfg, &failed, error);
}

/* delivery_queue_due - delivery_run_due as a scheduler task */
gboolean delivery_queue_due(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    GError **error)
{
	int queued = 0;

	return delivery_run_due(db, cfg, key, pm_now(), &queued, error);
}

/* delivery_deliver - now or at the next run */
Petition *delivery_deliver(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *slug, gboolean now, int *queued, GError **error)
{
	Petition *p = petition_need(db, slug, error);

	*queued = 0;
	if (p == NULL)
		return NULL;
	if (!delivery_need_targets(db, p, error) ||
	    !(now ? delivery_queue(db, cfg, key, p->id, "manual", queued, error) :
		    delivery_request(db, p->id, error)))
		p = petition_free(p);
	return p;
}
