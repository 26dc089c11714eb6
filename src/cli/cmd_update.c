/*
 * cmd_update.c - `petition update ls|approve|reject`: a creator's updates to the signers
 * (produce/update, docs/petitions.md).
 */
#include "base/json.h"
#include "base/pm.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "model/petition_update.h"
#include "produce/update.h"

/* update_row_json - one update for `petition update ls --json` */
static void update_row_json(JsonBuilder *b, gconstpointer row)
{
	const PetitionUpdate *u = row;

	json_put_int(b, "id", u->id);
	json_put_str(b, "status", petition_update_status_name(u->status));
	json_put_str(b, "subject", u->subject);
	json_put_str(b, "body", u->body);
	json_put_str(b, "reason", u->reason);
	json_put_str(b, "decided_by", u->decided_by);
	json_put_time(b, "decided_at", u->decided_at);
	json_put_int(b, "newsletter", u->newsletter_id);
	json_put_time(b, "created_at", u->created_at);
}

/* update_row_text - one update as a line */
static void update_row_text(GString *out, gconstpointer row)
{
	const PetitionUpdate *u = row;
	char *t = pm_time_iso(u->created_at);

	g_string_append_printf(out, "%" G_GINT64_FORMAT " %-8s %s %s", u->id,
			       petition_update_status_name(u->status), t, u->subject);
	if (u->decided_by)
		g_string_append_printf(out, " (by %s%s%s)", u->decided_by, u->reason ? ": " : "",
				       u->reason ? u->reason : "");
	if (u->newsletter_id)
		g_string_append_printf(out, " newsletter %" G_GINT64_FORMAT, u->newsletter_id);
	g_string_append_c(out, '\n');
	g_free(t);
}

/* cmd_petition_update_ls - `petition update ls SLUG [--json]` */
gboolean cmd_petition_update_ls(CmdCtx *c, GError **error)
{
	GPtrArray *all = petition_update_of(c->db, c->argv[0], error);

	if (all == NULL)
		return FALSE;
	cli_rows(c, all, "updates", update_row_json, update_row_text, NULL);
	g_ptr_array_unref(all);
	return TRUE;
}

/* decide - `petition update approve|reject ID` */
static gboolean decide(CmdCtx *c, gboolean approve, GError **error)
{
	gint64 id, nid = 0;
	char *who;
	gboolean ok;

	if (!cli_arg_id(c, 0, &id, error))
		return FALSE;
	who = cli_actor();
	ok = update_decide_id(c->db, c->cfg, c->key, id, approve, c->o->reason, who, &nid, error);
	g_free(who);
	if (!ok)
		return FALSE;
	if (approve)
		g_string_append_printf(c->out, "update %" G_GINT64_FORMAT " approved: newsletter %"
				       G_GINT64_FORMAT " to the signers, sent by the next run\n",
				       id, nid);
	else
		g_string_append_printf(c->out, "update %" G_GINT64_FORMAT " rejected\n", id);
	return TRUE;
}

/* cmd_petition_update_approve - `petition update approve ID` */
gboolean cmd_petition_update_approve(CmdCtx *c, GError **error)
{
	return decide(c, TRUE, error);
}

/* cmd_petition_update_reject - `petition update reject ID --reason TEXT` */
gboolean cmd_petition_update_reject(CmdCtx *c, GError **error)
{
	return decide(c, FALSE, error);
}
