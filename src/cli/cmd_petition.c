/*
 * cmd_petition.c - `peermail petition create|open|close|show|signatures|import|ls|moderate`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "base/json.h"
#include "base/pm.h"
#include "model/csvio.h"
#include "model/petition.h"
#include "model/stats.h"
#include "produce/review.h"

/* cmd_petition_create - `petition create SLUG --title T --text FILE [--goal N] ...` */
gboolean cmd_petition_create(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	gint64 closes_at = 0, id;
	char *text = NULL;
	GError *e = NULL;

	if (o->closes && (closes_at = csvio_parse_time(o->closes)) == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--closes '%s' is not a date (YYYY-MM-DD or "
			    "ISO 8601)", o->closes);
		return FALSE;
	}
	if (!petition_closes_check(closes_at, error))
		return FALSE;
	if (!g_file_get_contents(o->text, &text, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		return FALSE;
	}
	id = petition_create(c->db, c->cfg, c->argv[0], o->title, text, o->goal, closes_at,
			     error);
	if (id)
		g_string_append_printf(c->out, "petition %" G_GINT64_FORMAT "\n", id);
	g_free(text);
	return id != 0;
}

/* set_status - `petition open|close SLUG` */
static gboolean set_status(CmdCtx *c, PetitionStatus status, GError **error)
{
	Petition *p = petition_set_status_of(c->db, c->argv[0], status, error);

	if (p == NULL)
		return FALSE;
	g_string_append_printf(c->out, "petition %s %s\n", p->slug,
			       petition_status_name(status));
	petition_free(p);
	return TRUE;
}

/* cmd_petition_open - `petition open SLUG` */
gboolean cmd_petition_open(CmdCtx *c, GError **error)
{
	return set_status(c, PETITION_STATUS_OPEN, error);
}

/* cmd_petition_close - `petition close SLUG` */
gboolean cmd_petition_close(CmdCtx *c, GError **error)
{
	return set_status(c, PETITION_STATUS_CLOSED, error);
}

/* cmd_petition_show - `petition show SLUG [--json]` */
gboolean cmd_petition_show(CmdCtx *c, GError **error)
{
	PetitionStats *s = stats_petition_need(c->db, c->argv[0], FALSE, error);
	const Petition *p;

	if (s == NULL)
		return FALSE;
	p = s->petition;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		print_petition_stats(b, NULL, s);
		cli_json(c, b);
	} else {
		g_string_append_printf(c->out, "slug: %s\ntitle: %s\nstatus: %s\ngoal: %"
				       G_GINT64_FORMAT "\nconfirmed: %" G_GINT64_FORMAT
				       "\npending: %" G_GINT64_FORMAT "\ndeclined: %" G_GINT64_FORMAT
				       "\nwithdrawn: %" G_GINT64_FORMAT "\n", p->slug, p->title,
				       petition_status_name(petition_status_now(p)), p->goal, s->confirmed,
				       s->pending, s->declined, s->withdrawn);
		if (p->reason)
			g_string_append_printf(c->out, "reason: %s\n", p->reason);
		for (guint i = 0; i < s->by_district->len; i++) {
			const StatsCount *d = s->by_district->pdata[i];

			g_string_append_printf(c->out, "district %s: %" G_GINT64_FORMAT "\n",
					       d->name, d->count);
		}
	}
	stats_petition_free(s);
	return TRUE;
}

/* cmd_petition_signatures - `petition signatures SLUG [--csv]`: CSV on stdout */
gboolean cmd_petition_signatures(CmdCtx *c, GError **error)
{
	gboolean ok = csvio_export_signatures_of(c->db, c->argv[0], stdout, error);

	fflush(stdout);
	return ok;
}

/* cmd_petition_import - `petition import SLUG FILE.csv` */
gboolean cmd_petition_import(CmdCtx *c, GError **error)
{
	CsvioStats st = { 0 };
	gboolean ok = csvio_import_signatures_to(c->db, c->cfg, c->key, c->argv[0], c->argv[1],
						 &st, error);

	print_import(c->out, c->argv[1], ok, &st);
	return ok;
}

/* cmd_petition_ls - `petition ls [--status S] [--json]` */
gboolean cmd_petition_ls(CmdCtx *c, GError **error)
{
	PetitionStatus want = PETITION_STATUS_OPEN;
	GPtrArray *all;

	if (c->o->status && !petition_status_parse(c->o->status, &want)) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--status '%s' is not a petition state",
			    c->o->status);
		return FALSE;
	}
	if ((all = stats_petitions(c->db, FALSE, error)) == NULL)
		return FALSE;
	for (guint i = all->len; c->o->status && i-- > 0;) {
		const PetitionStats *s = all->pdata[i];

		if (petition_status_now(s->petition) != want)
			g_ptr_array_remove_index(all, i);
	}
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "petitions");
		for (guint i = 0; i < all->len; i++)
			print_petition_stats(b, NULL, all->pdata[i]);
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < all->len; i++) {
		const PetitionStats *s = all->pdata[i];
		const Petition *p = s->petition;

		g_string_append_printf(c->out, "%-24s %-7s %8" G_GINT64_FORMAT " / %-8"
				       G_GINT64_FORMAT " %s", p->slug,
				       petition_status_name(petition_status_now(p)), s->confirmed, p->goal,
				       p->title);
		if (p->status == PETITION_STATUS_MODERATION && p->moderation_at)
			g_string_append_printf(c->out, " (waiting %" G_GINT64_FORMAT " days)",
					       (pm_now() - p->moderation_at) / 86400);
		g_string_append_c(c->out, '\n');
	}
	g_ptr_array_unref(all);
	return TRUE;
}

/* cmd_petition_moderate - `petition moderate SLUG --approve | --reject REASON` */
gboolean cmd_petition_moderate(CmdCtx *c, GError **error)
{
	if (!c->o->approve == !c->o->reject) {
		g_set_error(error, PM_ERROR, EX_USAGE, "give --approve or --reject REASON");
		return FALSE;
	}
	char *who = cli_actor();
	gboolean ok;

	ok = review_decide_slug(c->db, c->cfg, c->key, c->argv[0], c->o->approve, c->o->reject,
				who, error);
	g_free(who);
	if (!ok)
		return FALSE;
	g_string_append_printf(c->out, "petition %s %s\n", c->argv[0],
			       c->o->approve ? "published" : "rejected");
	return TRUE;
}
