/*
 * cmd_list.c - `peermail list create|show|ls`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "base/json.h"
#include "model/list.h"
#include "model/stats.h"

/* cmd_list_create - `list create NAME [--title T] [--mode M]` */
gboolean cmd_list_create(CmdCtx *c, GError **error)
{
	gint64 id = list_create(c->db, c->cfg, c->argv[0], c->o->title, c->o->mode, error);

	if (id)
		g_string_append_printf(c->out, "list %" G_GINT64_FORMAT "\n", id);
	return id != 0;
}

/* cmd_list_show - `list show NAME [--json]` */
gboolean cmd_list_show(CmdCtx *c, GError **error)
{
	ListStats *s = stats_list_need(c->db, c->cfg, c->argv[0], error);

	if (s == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		print_list_stats(b, NULL, s);
		cli_json(c, b);
	} else {
		g_string_append_printf(c->out, "name: %s\ntitle: %s\nmode: %s\nactive: %"
				       G_GINT64_FORMAT "\npending: %" G_GINT64_FORMAT
				       "\nunsubscribed: %" G_GINT64_FORMAT "\nbouncing: %"
				       G_GINT64_FORMAT "\n", s->list->name, s->list->title,
				       s->list->mode, s->active, s->pending, s->unsubscribed,
				       s->bouncing);
	}
	stats_list_free(s);
	return TRUE;
}

/* cmd_list_ls - `list ls [--json]` */
gboolean cmd_list_ls(CmdCtx *c, GError **error)
{
	GPtrArray *lists = stats_lists(c->db, c->cfg, error);

	if (lists == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "lists");
		for (guint i = 0; i < lists->len; i++)
			print_list_stats(b, NULL, lists->pdata[i]);
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < lists->len; i++) {
		const ListStats *s = lists->pdata[i];

		g_string_append_printf(c->out, "%-20s %-10s %8" G_GINT64_FORMAT " active  %s\n",
				       s->list->name, s->list->mode, s->active, s->list->title);
	}
	g_ptr_array_unref(lists);
	return TRUE;
}
