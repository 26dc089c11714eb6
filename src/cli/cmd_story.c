/*
 * cmd_story.c - `peermail story ls|approve|reject`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "model/story.h"
#include "produce/story_news.h"

/* cmd_story_ls - `story ls [--petition SLUG] [--status S] [--json]` */
gboolean cmd_story_ls(CmdCtx *c, GError **error)
{
	GPtrArray *rows = story_ls(c->db, c->o->petition, c->o->status, error);

	if (rows == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "stories");
		for (guint i = 0; i < rows->len; i++) {
			const StoryRow *r = rows->pdata[i];

			json_put_object(b, NULL);
			json_put_int(b, "id", r->id);
			json_put_str(b, "petition", r->petition);
			json_put_str(b, "author", r->author);
			json_put_str(b, "email", r->email);
			json_put_str(b, "status", story_status_name(r->status));
			json_put_str(b, "subject", r->subject);
			json_put_str(b, "text", r->text);
			json_put_time(b, "created_at", r->created_at);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < rows->len; i++) {
		const StoryRow *r = rows->pdata[i];

		g_string_append_printf(c->out, "#%" G_GINT64_FORMAT " [%s] %s by %s:\n  %s\n",
				       r->id, story_status_name(r->status),
				       r->petition ? r->petition : "-",
				       r->author ? r->author : "(anonymous)", r->text);
	}
	g_ptr_array_unref(rows);
	return TRUE;
}

/* moderate - `story approve|reject ID` */
static gboolean moderate(CmdCtx *c, StoryStatus status, GError **error)
{
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error) ||
	    !story_news_moderate(c->db, c->cfg, id, status, NULL, NULL, error))
		return FALSE;
	g_string_append_printf(c->out, "story %" G_GINT64_FORMAT " %s\n", id,
			       story_status_name(status));
	return TRUE;
}

/* cmd_story_approve - `story approve ID` */
gboolean cmd_story_approve(CmdCtx *c, GError **error)
{
	return moderate(c, STORY_STATUS_APPROVED, error);
}

/* cmd_story_reject - `story reject ID` */
gboolean cmd_story_reject(CmdCtx *c, GError **error)
{
	return moderate(c, STORY_STATUS_REJECTED, error);
}
