/*
 * cmd_outbox.c - `peermail outbox [--json]` (counts per status) and `peermail outbox
 * flush` (deferred messages become due now, like postqueue -f).
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "model/outbox.h"

/* cmd_outbox - counts as text or one JSON object */
gboolean cmd_outbox(CmdCtx *c, GError **error)
{
	OutboxCounts n;

	if (!outbox_counts(c->db, &n, error))
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_int(b, "queued", n.queued);
		json_put_int(b, "sending", n.sending);
		json_put_int(b, "sent", n.sent);
		json_put_int(b, "deferred", n.deferred);
		json_put_int(b, "failed", n.failed);
		json_builder_end_object(b);
		cli_json(c, b);
	} else {
		g_string_append_printf(c->out, "queued %" G_GINT64_FORMAT "\nsending %"
				       G_GINT64_FORMAT "\nsent %" G_GINT64_FORMAT "\ndeferred %"
				       G_GINT64_FORMAT "\nfailed %" G_GINT64_FORMAT "\ncancelled %"
				       G_GINT64_FORMAT "\n", n.queued, n.sending, n.sent,
				       n.deferred, n.failed, n.cancelled);
	}
	return TRUE;
}

/* cmd_outbox_flush - `outbox flush` */
gboolean cmd_outbox_flush(CmdCtx *c, GError **error)
{
	int n = 0;

	if (!outbox_flush(c->db, &n, error))
		return FALSE;
	g_string_append_printf(c->out, "%d deferred message(s) due now\n", n);
	return TRUE;
}
