/*
 * cmd_outbox.c - `peermail outbox [--json]` (counts per status) and `peermail outbox
 * flush` (deferred messages become due now, like postqueue -f).
 */
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "model/outbox.h"
#include "base/pm.h"

/* outbox_show - counts as text or one JSON object */
static gboolean outbox_show(gboolean json, GError **error)
{
	PmDb *db = cli_db(error);
	OutboxCounts c;

	if (db == NULL || !outbox_counts(db, &c, error))
		return FALSE;
	if (json) {
		JsonBuilder *b = json_builder_new();

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "queued");
		json_builder_add_int_value(b, c.queued);
		json_builder_set_member_name(b, "sending");
		json_builder_add_int_value(b, c.sending);
		json_builder_set_member_name(b, "sent");
		json_builder_add_int_value(b, c.sent);
		json_builder_set_member_name(b, "deferred");
		json_builder_add_int_value(b, c.deferred);
		json_builder_set_member_name(b, "failed");
		json_builder_add_int_value(b, c.failed);
		json_builder_end_object(b);
		cli_print_json(b);
	} else {
		printf("queued %" G_GINT64_FORMAT "\nsending %" G_GINT64_FORMAT "\nsent %"
		       G_GINT64_FORMAT "\ndeferred %" G_GINT64_FORMAT "\nfailed %" G_GINT64_FORMAT
		       "\ncancelled %" G_GINT64_FORMAT "\n", c.queued, c.sending, c.sent,
		       c.deferred, c.failed, c.cancelled);
	}
	return TRUE;
}

/* cmd_outbox - `outbox [--json]` or `outbox flush` */
gboolean cmd_outbox(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};

	if (!cli_parse(&argc, &argv, "[flush]",
		       "Show how many messages are queued, sending, sent, deferred and failed; "
		       "`flush` makes deferred messages due now.", entries, error))
		return FALSE;
	if (argc == 1)
		return outbox_show(json, error);
	if (argc == 2 && strcmp(argv[1], "flush") == 0) {
		PmDb *db = cli_db(error);
		int n = 0;

		if (db == NULL || !outbox_flush(db, &n, error))
			return FALSE;
		printf("%d deferred message(s) due now\n", n);
		return TRUE;
	}
	return cli_usage_error(error, "outbox [--json] | outbox flush");
}
