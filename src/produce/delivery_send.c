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
	       db_exec(db, error, "UPDATE petitions SET deliver_requested_at = NULL WHERE id = ?",
		       "i", petition_id);
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
	sqlite3_stmt *st = db_query(db, error,
		"SELECT d.petition_id, t.name, t.email, t.title, t.district, d.signatures, "
		"d.reason, d.created_at FROM deliveries d JOIN targets t ON t.id = d.target_id "
		"WHERE d.id = ?", "i", delivery_id);
	JsonBuilder *b = NULL;
	GError *e = NULL;
	Petition *p;

	if (st == NULL)
		return NULL;
	if (db_step(db, st, &e)) {
		char *at = pm_time_iso(sqlite3_column_int64(st, 7));

		b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "target");
		json_builder_begin_object(b);
		for (int i = 1; i <= 4; i++) {
			static const char *const names[] = { NULL, "name", "email", "title",
							      "district" };
			const char *v = (const char *)sqlite3_column_text(st, i);

			json_builder_set_member_name(b, names[i]);
			json_builder_add_string_value(b, v ? v : "");
		}
		json_builder_end_object(b);
		json_builder_set_member_name(b, "delivery");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, delivery_id);
		json_builder_set_member_name(b, "signatures");
		json_builder_add_int_value(b, sqlite3_column_int64(st, 5));
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b, (const char *)sqlite3_column_text(st, 6));
		json_builder_set_member_name(b, "created_at");
		json_builder_add_string_value(b, at);
		json_builder_end_object(b);
		g_free(at);
		p = petition_get(db, sqlite3_column_int64(st, 0), &e);
		if (p) {
			json_builder_set_member_name(b, "petition");
			json_builder_add_value(b, petition_to_json(db, cfg, p));
			petition_free(p);
		}
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		if (b)
			g_object_unref(b);
		return NULL;
	}
	if (b == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no delivery %" G_GINT64_FORMAT, delivery_id);
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
	if (!db_exec(db, error, "INSERT INTO delivery_replies(delivery_id, sender, subject, text, "
		     "inbound_id, created_at) VALUES (?, ?, ?, ?, nullif(?, 0), ?)", "itttii",
		     delivery_id, sender, subject, text, inbound_id, pm_now())) {
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

typedef struct {
	gint64 id;
	char *why;
} Failure;

/* failure_clear - for the failures array */
static void failure_clear(gpointer p)
{
	g_free(((Failure *)p)->why);
}

/* alert_failed - mark one delivery failed and tell the organizers, one transaction */
static gboolean alert_failed(PmDb *db, const PmConfig *cfg, const Failure *f, GError **error)
{
	JsonBuilder *b;
	JsonNode *data;
	gboolean ok;

	if (!db_begin(db, error))
		return FALSE;
	b = notice_data(db, cfg, f->id, error);
	if (b == NULL) {
		db_rollback(db);
		return FALSE;
	}
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, f->why);
	json_builder_end_object(b);
	data = json_builder_get_root(b);
	g_object_unref(b);
	ok = db_exec(db, error, "UPDATE deliveries SET status = 'failed', failure = ?, "
		     "alerted_at = ? WHERE id = ? AND alerted_at IS NULL", "tii", f->why, pm_now(),
		     f->id) &&
	     notify(db, cfg, "delivery_failed", data, f->id, NULL, error) && db_commit(db, error);
	json_node_unref(data);
	if (!ok)
		db_rollback(db);
	else
		log_warn("delivery %" G_GINT64_FORMAT " failed: %s", f->id, f->why);
	return ok;
}

/* delivery_sync - sent and failed deliveries from the outbox and the bounces */
gboolean delivery_sync(PmDb *db, const PmConfig *cfg, int *failed, GError **error)
{
	GArray *fails;
	sqlite3_stmt *st;
	GError *e = NULL;
	gboolean ok = TRUE;

	*failed = 0;
	/* only queued deliveries are looked at (an index), each by its outbox row id */
	if (!db_exec(db, error, "UPDATE deliveries SET status = 'sent', sent_at = (SELECT "
		     "coalesce(o.sent_at, o.updated_at) FROM outbox o WHERE o.id = "
		     "deliveries.outbox_id) WHERE status = 'queued' AND (SELECT o.status FROM "
		     "outbox o WHERE o.id = deliveries.outbox_id) = 'sent'", NULL))
		return FALSE;
	/* failed rows, and permanent bounces that arrive after a 2xx (DSNs come within
	 * days: deliveries of the last BOUNCE_DAYS). Targets are not members, so their
	 * bounces have no member_id: the bounces_member index finds them. */
	st = db_query(db, error,
		"SELECT d.id, o.status, o.smtp_code, o.smtp_status, o.smtp_text, (SELECT "
		"trim(coalesce(b.status, '') || ' ' || coalesce(b.diagnostic, '')) FROM bounces b "
		"WHERE b.member_id IS NULL AND b.outbox_id = o.id AND b.permanent = 1 AND b.kind = "
		"'bounce' ORDER BY b.id DESC LIMIT 1) AS bounced FROM deliveries d JOIN outbox o ON "
		"o.id = d.outbox_id WHERE d.status IN ('queued', 'sent') AND d.alerted_at IS NULL "
		"AND d.created_at > ? AND (o.status IN ('failed', 'cancelled') OR bounced IS NOT "
		"NULL) ORDER BY d.id", "i", pm_now() - BOUNCE_DAYS * 86400);
	if (st == NULL)
		return FALSE;
	fails = g_array_new(FALSE, TRUE, sizeof(Failure));
	g_array_set_clear_func(fails, failure_clear);
	while (db_step(db, st, &e)) {
		const char *bounce = (const char *)sqlite3_column_text(st, 5);
		Failure f;

		f.id = sqlite3_column_int64(st, 0);
		if (bounce && *bounce)
			f.why = g_strdup_printf("bounced: %s", bounce);
		else if (sqlite3_column_int(st, 2) > 0)
			f.why = g_strdup_printf("%d %s %s", sqlite3_column_int(st, 2),
						sqlite3_column_text(st, 3) ? (const char *)
						sqlite3_column_text(st, 3) : "",
						sqlite3_column_text(st, 4) ? (const char *)
						sqlite3_column_text(st, 4) : "");
		else
			f.why = g_strdup_printf("%s: %s", sqlite3_column_text(st, 1),
						sqlite3_column_text(st, 4) ? (const char *)
						sqlite3_column_text(st, 4) : "no reply");
		g_array_append_val(fails, f);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(fails);
		return FALSE;
	}
	for (guint i = 0; ok && i < fails->len; i++) {
		ok = alert_failed(db, cfg, &g_array_index(fails, Failure, i), error);
		if (ok)
			(*failed)++;
	}
	g_array_unref(fails);
	return ok;
}

typedef struct {
	gint64 id;
	gint64 goal;
	gboolean requested, closed, on_close, milestones;
	gint64 delivered_milestone, every_days, last;
} Due;

/* due_reason - why petition d is due now, or NULL; *milestone gets a crossed one */
static const char *due_reason(PmDb *db, const Due *d, gint64 now, gint64 *milestone,
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
	sqlite3_stmt *st = db_query(db, error,
		"SELECT p.id, p.goal, p.deliver_requested_at IS NOT NULL, (p.status = 'closed' OR "
		"(p.closes_at > 0 AND p.closes_at <= ?1)) AND p.delivered_close = 0, "
		"p.deliver_on_close, p.deliver_at_milestones, p.delivered_milestone, "
		"p.deliver_every_days, max(coalesce(p.deliver_periodic_at, 0), coalesce((SELECT "
		"max(created_at) FROM deliveries d WHERE d.petition_id = p.id), p.created_at)) "
		"FROM petitions p WHERE EXISTS (SELECT 1 FROM petition_targets pt WHERE "
		"pt.petition_id = p.id) AND (p.deliver_requested_at IS NOT NULL OR "
		"p.deliver_on_close OR p.deliver_at_milestones OR p.deliver_every_days > 0) "
		"ORDER BY p.id", "i", now);
	GArray *due;
	GError *e = NULL;
	gboolean ok = TRUE;
	int failed = 0;

	*queued = 0;
	if (st == NULL)
		return FALSE;
	due = g_array_new(FALSE, TRUE, sizeof(Due));
	while (db_step(db, st, &e)) {
		Due d;

		d.id = sqlite3_column_int64(st, 0);
		d.goal = sqlite3_column_int64(st, 1);
		d.requested = sqlite3_column_int(st, 2) != 0;
		d.closed = sqlite3_column_int(st, 3) != 0;
		d.on_close = sqlite3_column_int(st, 4) != 0;
		d.milestones = sqlite3_column_int(st, 5) != 0;
		d.delivered_milestone = sqlite3_column_int64(st, 6);
		d.every_days = sqlite3_column_int64(st, 7);
		d.last = sqlite3_column_int64(st, 8);
		g_array_append_val(due, d);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(due);
		return FALSE;
	}
	for (guint i = 0; ok && i < due->len; i++) {
		Due *d = &g_array_index(due, Due, i);
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
		      db_exec(db, error, "UPDATE petitions SET delivered_close = delivered_close OR "
			      "?2, delivered_milestone = max(delivered_milestone, ?3), "
			      "deliver_periodic_at = CASE WHEN deliver_every_days > 0 THEN ?4 ELSE "
			      "deliver_periodic_at END WHERE id = ?1", "iiii", d->id,
			      (gint64)(d->closed && d->on_close), milestone, now));
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
