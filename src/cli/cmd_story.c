/*
 * cmd_story.c - `peermail story ls|approve|reject`.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "model/petition.h"
#include "base/pm.h"
#include "model/stats.h"
#include "model/story.h"

/* story_ls - `story ls ...` */
static gboolean story_ls(int argc, char **argv, GError **error)
{
	char *slug = NULL, *status = NULL;
	StoryStatus st;
	gboolean json = FALSE, ok = FALSE;
	GOptionEntry entries[] = {
		{ "petition", 0, 0, G_OPTION_ARG_STRING, &slug, "only this petition's", "SLUG" },
		{ "status", 0, 0, G_OPTION_ARG_STRING, &status, "pending, approved or rejected", "S" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	Petition *p = NULL;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, NULL, "Stories, for moderation.", entries, error))
		goto out;
	if (argc != 1) {
		cli_usage_error(error, "story ls [--petition SLUG] [--status S] [--json]");
		goto out;
	}
	if (status && !story_status_parse(status, &st)) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--status is pending, approved or rejected");
		goto out;
	}
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	if (slug) {
		GError *e = NULL;

		if ((p = petition_find(db, slug, &e)) == NULL) {
			if (e)
				g_propagate_error(error, e);
			else
				g_set_error(error, PM_ERROR, EX_NOUSER, "no petition '%s'", slug);
			goto out;
		}
	}
	n = story_ls_json(db, p ? p->id : 0, status ? &st : NULL, error);
	if (n == NULL)
		goto out;
	ok = TRUE;
	if (json) {
		stats_print(n, FALSE);
	} else {
		JsonArray *a = json_object_get_array_member(json_node_get_object(n), "stories");

		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonObject *s = json_array_get_object_element(a, i);
			const char *author = json_object_get_string_member(s, "author");

			printf("#%" G_GINT64_FORMAT " [%s] %s by %s:\n  %s\n",
			       json_object_get_int_member(s, "id"),
			       json_object_get_string_member(s, "status"),
			       json_object_get_string_member(s, "petition") ?
			       json_object_get_string_member(s, "petition") : "-",
			       author ? author : "(anonymous)",
			       json_object_get_string_member(s, "text"));
		}
		json_node_unref(n);
	}
out:
	petition_free(p);
	g_free(slug);
	g_free(status);
	return ok;
}

/* story_moderate_cmd - `story approve|reject ID` */
static gboolean story_moderate_cmd(int argc, char **argv, StoryStatus status, GError **error)
{
	PmDb *db;
	gint64 id;

	if (!cli_parse(&argc, &argv, "ID", status == STORY_STATUS_APPROVED ?
		       "Approve a story: newsletters and deliveries may use it." :
		       "Reject a story.", NULL, error))
		return FALSE;
	if (argc != 2 || !g_ascii_string_to_signed(argv[1], 10, 1, G_MAXINT64, &id, NULL))
		return cli_usage_error(error, status == STORY_STATUS_APPROVED ? "story approve ID" :
				       "story reject ID");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if (!story_moderate(db, id, status, error))
		return FALSE;
	printf("story %" G_GINT64_FORMAT " %s\n", id, story_status_name(status));
	return TRUE;
}

/* story_approve - `story approve ID` */
static gboolean story_approve(int argc, char **argv, GError **error)
{
	return story_moderate_cmd(argc, argv, STORY_STATUS_APPROVED, error);
}

/* story_reject - `story reject ID` */
static gboolean story_reject(int argc, char **argv, GError **error)
{
	return story_moderate_cmd(argc, argv, STORY_STATUS_REJECTED, error);
}

static const CmdInfo story_cmds[] = {
	{ "ls", story_ls, "ls [--petition SLUG] [--status S] [--json]", "stories, for moderation" },
	{ "approve", story_approve, "approve ID", "approve a story" },
	{ "reject", story_reject, "reject ID", "reject a story" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_story - `peermail story ...` */
gboolean cmd_story(int argc, char **argv, GError **error)
{
	return cli_dispatch(story_cmds, "story", argc, argv, error);
}
