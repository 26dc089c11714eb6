/*
 * cmd_member.c - `peermail member add|import|export|show|forget`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "base/json.h"
#include "base/pm.h"
#include "model/csvio.h"
#include "model/list.h"
#include "model/member.h"
#include "model/member_add.h"
#include "model/member_forget.h"
#include "model/member_record.h"

/* cmd_member_add - `member add EMAIL [--name N] ... [--list NAME]...` */
gboolean cmd_member_add(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	GPtrArray *kept = NULL;
	gboolean created = FALSE;
	gint64 id = member_add(c->db, c->cfg, c->key, c->argv[0], o->name, o->postcode,
			       o->district, o->lang, o->lists, &created, &kept, error);

	for (guint i = 0; kept && i < kept->len; i++) {
		const MemberKept *k = kept->pdata[i];

		fprintf(stderr, "peermail: %s is %s on %s: left so (resubscribing needs their "
			"own confirmation by mail)\n", c->argv[0],
			subscription_status_name(k->status), k->list);
	}
	if (kept)
		g_ptr_array_unref(kept);
	if (id)
		g_string_append_printf(c->out, "%s member %" G_GINT64_FORMAT "\n",
				       created ? "added" : "updated", id);
	return id != 0;
}

/* cmd_member_import - `member import FILE.csv [--list NAME]` */
gboolean cmd_member_import(CmdCtx *c, GError **error)
{
	CsvioStats st = { 0 };
	gboolean ok = csvio_import_members_to(c->db, c->cfg, c->key, c->argv[0], c->o->list,
					      &st, error);

	print_import(c->out, c->argv[0], ok, &st);
	return ok;
}

/* cmd_member_export - `member export [--list NAME]`: CSV on stdout as it is read */
gboolean cmd_member_export(CmdCtx *c, GError **error)
{
	gboolean ok = csvio_export_members_of(c->db, c->cfg, c->o->list, stdout, error);

	if (fflush(stdout) != 0 && ok) {
		g_set_error(error, PM_ERROR, EX_IOERR, "writing the CSV failed");
		ok = FALSE;
	}
	return ok;
}

/* put_member - everything stored about a member as one object */
static void put_member(JsonBuilder *b, const MemberRecord *r)
{
	const Member *m = r->member;

	json_put_object(b, NULL);
	json_put_str(b, "email", member_address(m));
	json_put_str(b, "name", m->name);
	json_put_str(b, "status", member_status_name(m->status));
	json_put_str(b, "postcode", m->postcode);
	json_put_str(b, "district", m->district);
	json_put_str(b, "lang", m->lang);
	json_put_double(b, "bounce_score", m->bounce_score);
	json_put_time(b, "created_at", m->created_at);
	json_put_array(b, "lists");
	for (guint i = 0; i < r->lists->len; i++) {
		const MemberSubscription *x = r->lists->pdata[i];

		json_put_object(b, NULL);
		json_put_str(b, "name", x->list);
		json_put_str(b, "status", subscription_status_name(x->status));
		json_put_time(b, "since", x->since);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_put_array(b, "signatures");
	for (guint i = 0; i < r->signatures->len; i++) {
		const MemberSignature *x = r->signatures->pdata[i];

		json_put_object(b, NULL);
		json_put_str(b, "petition", x->petition);
		json_put_str(b, "status", signature_status_name(x->status));
		json_put_str(b, "source", signature_source_name(x->source));
		json_put_str(b, "comment", x->comment);
		json_put_time(b, "signed_at", x->signed_at);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_put_array(b, "stories");
	for (guint i = 0; i < r->stories->len; i++) {
		const MemberStory *x = r->stories->pdata[i];

		json_put_object(b, NULL);
		json_put_int(b, "id", x->id);
		json_put_str(b, "petition", x->petition);
		json_put_str(b, "status", story_status_name(x->status));
		json_put_str(b, "text", x->text);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_put_array(b, "bounces");
	for (guint i = 0; i < r->bounces->len; i++) {
		const MemberBounce *x = r->bounces->pdata[i];

		json_put_object(b, NULL);
		json_put_time(b, "at", x->at);
		print_bounced(b, x->address, x->status, x->permanent, x->diagnostic);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/* cmd_member_show - `member show EMAIL [--json]` (without --json: indented) */
gboolean cmd_member_show(CmdCtx *c, GError **error)
{
	MemberRecord *r = member_record_need(c->db, c->cfg, c->argv[0], error);
	JsonBuilder *b;

	if (r == NULL)
		return FALSE;
	b = json_builder_new();
	put_member(b, r);
	if (c->o->json)
		cli_json(c, b);
	else
		cli_text(c, b);
	member_record_free(r);
	return TRUE;
}

/* cmd_member_forget - `member forget EMAIL` */
gboolean cmd_member_forget(CmdCtx *c, GError **error)
{
	gint64 id = member_forget_address(c->db, c->cfg, c->key, c->argv[0], error);

	if (id)
		g_string_append_printf(c->out, "forgot member %" G_GINT64_FORMAT "\n", id);
	return id != 0;
}
