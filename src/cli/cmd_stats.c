/*
 * cmd_stats.c - `peermail stats`: everything in one JSON object with --json, as text for
 * people without it.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "base/json.h"
#include "model/stats.h"

/* cmd_stats - counts for organizers; reads only */
gboolean cmd_stats(CmdCtx *c, GError **error)
{
	Stats *s = stats_get(c->db, c->cfg, error);
	JsonBuilder *b;

	if (s == NULL)
		return FALSE;
	b = json_builder_new();
	json_put_object(b, NULL);
	json_put_object(b, "members");
	json_put_int(b, "active", s->active);
	json_put_int(b, "bouncing", s->bouncing);
	json_put_int(b, "unsubscribed", s->unsubscribed);
	json_put_int(b, "forgotten", s->forgotten);
	json_put_int(b, "total", s->total);
	json_builder_end_object(b);
	json_put_array(b, "lists");
	for (guint i = 0; i < s->lists->len; i++)
		print_list_stats(b, NULL, s->lists->pdata[i]);
	json_builder_end_array(b);
	json_put_array(b, "petitions");
	for (guint i = 0; i < s->petitions->len; i++)
		print_petition_stats(b, NULL, s->petitions->pdata[i]);
	json_builder_end_array(b);
	json_put_array(b, "newsletters");
	for (guint i = 0; i < s->newsletters->len; i++)
		print_newsletter_report(b, NULL, s->newsletters->pdata[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);
	if (c->o->json)
		cli_json(c, b);
	else
		cli_text(c, b);
	stats_free(s);
	return TRUE;
}
