/*
 * cmd_deliver.c - `peermail deliver SLUG [--now]` and `peermail delivery ls|config`:
 * compiling a petition for its targets, what was delivered (with replies), and each
 * petition's delivery settings (disclosed CSV fields, schedule).
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "model/delivery.h"
#include "model/petition.h"
#include "produce/delivery_send.h"

/* cmd_deliver - `deliver SLUG [--now] [--json]` */
gboolean cmd_deliver(CmdCtx *c, GError **error)
{
	gboolean now = c->o->now;
	int queued = 0;
	Petition *p = delivery_deliver(c->db, c->cfg, c->key, c->argv[0], now, &queued, error);

	if (p == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_str(b, "petition", p->slug);
		json_put_str(b, "status", now ? "queued" : "requested");
		json_put_int(b, "queued", queued);
		json_builder_end_object(b);
		cli_json(c, b);
	} else if (now) {
		g_string_append_printf(c->out, "%d deliver%s of %s queued%s\n", queued,
				       queued == 1 ? "y" : "ies", p->slug,
				       queued ? "" : " (nothing new since the last delivery)");
	} else {
		g_string_append_printf(c->out, "delivery of %s requested: the next `peermail run` "
				       "compiles and sends it\n", p->slug);
	}
	petition_free(p);
	return TRUE;
}

/* put_delivery - one delivery as an array element */
static void put_delivery(JsonBuilder *b, const DeliveryRow *r)
{
	json_put_object(b, NULL);
	json_put_int(b, "id", r->id);
	json_put_str(b, "petition", r->petition);
	json_put_object(b, "target");
	json_put_str(b, "name", r->target.name);
	json_put_str(b, "email", r->target.email);
	json_put_str(b, "title", r->target.title);
	json_put_str(b, "district", r->target.district);
	json_builder_end_object(b);
	json_put_str(b, "status", delivery_status_name(r->status));
	json_put_str(b, "reason", r->reason);
	json_put_int(b, "from_signature", r->from_signature);
	json_put_int(b, "upto_signature", r->upto_signature);
	json_put_int(b, "signatures", r->signatures);
	json_put_int(b, "total", r->total);
	json_put_int(b, "csv_bytes", r->csv_bytes);
	json_put_bool(b, "gzipped", r->gzipped);
	json_put_time(b, "created_at", r->created_at);
	json_put_time(b, "sent_at", r->sent_at);
	json_put_str(b, "failure", r->failure);
	json_put_object(b, "outbox");
	json_put_str(b, "status", r->outbox_status);
	json_put_int(b, "smtp_code", r->smtp_code);
	json_put_str(b, "smtp_text", r->smtp_text);
	json_builder_end_object(b);
	json_put_array(b, "replies");
	for (guint i = 0; i < r->replies->len; i++) {
		const DeliveryReply *x = r->replies->pdata[i];

		json_put_object(b, NULL);
		json_put_str(b, "sender", x->sender);
		json_put_str(b, "subject", x->subject);
		json_put_str(b, "text", x->text);
		json_put_time(b, "created_at", x->created_at);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/* cmd_delivery_ls - `delivery ls [--petition SLUG] [--json]` */
gboolean cmd_delivery_ls(CmdCtx *c, GError **error)
{
	GPtrArray *rows = delivery_list(c->db, c->o->petition, error);

	if (rows == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "deliveries");
		for (guint i = 0; i < rows->len; i++)
			put_delivery(b, rows->pdata[i]);
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < rows->len; i++) {
		const DeliveryRow *r = rows->pdata[i];

		g_string_append_printf(c->out, "%" G_GINT64_FORMAT "\t%s\t%s <%s>\t%s\t%"
				       G_GINT64_FORMAT " signatures\t%u replies\n", r->id,
				       r->petition, r->target.name, r->target.email,
				       delivery_status_name(r->status), r->signatures,
				       r->replies->len);
	}
	g_ptr_array_unref(rows);
	return TRUE;
}

/* cmd_delivery_config - `delivery config SLUG [--disclose F] [--every N] [--on-close] ...` */
gboolean cmd_delivery_config(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	DeliverySettings s = { 0 };
	Petition *p;

	if ((o->on_close && o->no_on_close) || (o->at_milestones && o->no_milestones) ||
	    o->every < -1)
		return cli_usage_error(c->cmd, error);
	p = delivery_configure_of(c->db, c->argv[0], o->disclose, o->every,
				  o->on_close ? 1 : o->no_on_close ? 0 : -1,
				  o->at_milestones ? 1 : o->no_milestones ? 0 : -1, &s, error);
	if (p == NULL)
		return FALSE;
	if (o->json) {
		JsonBuilder *b = json_builder_new();
		char **v = g_strsplit(s.disclose, ",", -1);

		json_put_object(b, NULL);
		json_put_str(b, "petition", p->slug);
		json_put_strv(b, "disclose", (const char *const *)v);
		json_put_int(b, "every_days", s.every_days);
		json_put_bool(b, "on_close", s.on_close);
		json_put_bool(b, "at_milestones", s.at_milestones);
		json_put_bool(b, "requested", s.requested_at != 0);
		json_builder_end_object(b);
		cli_json(c, b);
		g_strfreev(v);
	} else {
		g_string_append_printf(c->out, "disclose %s\nevery_days %d\non_close %s\n"
				       "at_milestones %s\n", s.disclose, s.every_days,
				       s.on_close ? "yes" : "no", s.at_milestones ? "yes" : "no");
	}
	delivery_settings_clear(&s);
	petition_free(p);
	return TRUE;
}
