/*
 * cmd_stats.c - `peermail stats`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "model/newsletter.h"
#include "base/pm.h"
#include "model/stats.h"

/* cmd_stats - counts for organizers */
gboolean cmd_stats(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "one line of JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, NULL, "Members by status, lists, petitions (by day and "
		       "district) and newsletters (sent, failed, bounced, unsubscribes within 7 "
		       "days of receiving it).", entries, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "stats [--json]");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if (!newsletter_finish(db, pm_now(), error) || (n = stats_json(db, error)) == NULL)
		return FALSE;
	stats_print(n, !json);
	return TRUE;
}
