/*
 * probe.c - queue the bounce probes bounce_score decided are owed.
 *
 * A probe is owed by an active member with a 'probe-due' bounce row and no probe queued
 * since that row. The probe goes through the outbox like any message, with the VERP
 * return path, so its bounce comes back to bounce+TOKEN and names the probe row.
 */
#include "mail/compose.h"
#include "base/log.h"
#include "model/bounce_score.h"
#include "model/member.h"
#include "model/outbox.h"
#include "base/pm.h"
#include "produce/probe.h"

/* probe_task - one transaction for all owed probes of this pass */
gboolean probe_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error)
{
	GArray *ids;
	GError *e = NULL;
	gboolean ok = TRUE;
	guint queued = 0;

	if (!cfg->bounce_probe)
		return TRUE;
	if ((ids = bounce_probes_owed(db, error)) == NULL)
		return FALSE;
	if (ids->len == 0) {
		g_array_unref(ids);
		return TRUE;
	}
	if (!db_begin(db, error)) {
		g_array_unref(ids);
		return FALSE;
	}
	for (guint i = 0; ok && i < ids->len; i++) {
		Member *m = member_get(db, g_array_index(ids, gint64, i), &e);
		JsonObject *o;
		JsonNode *data;
		ComposeOpts opts = { 0 };
		GBytes *msg;

		if (m == NULL) {
			ok = e == NULL;
			continue;
		}
		data = json_node_new(JSON_NODE_OBJECT);
		o = json_object_new();
		json_object_set_member(o, "member", member_to_json(m));
		json_node_take_object(data, o);
		opts.to = member_address(m);
		opts.to_name = m->name;
		opts.lang = m->lang;
		opts.auto_generated = TRUE;
		msg = compose_message(cfg, "probe", data, &opts, &e);
		if (msg) {
			OutboxItem item = { OUTBOX_PROBE, 0, m->id, 0, member_address(m), msg, FALSE };

			ok = outbox_enqueue(db, &item, &e) != 0;
			queued += ok;
			g_bytes_unref(msg);
		} else {
			ok = FALSE;
		}
		json_node_unref(data);
		member_free(m);
	}
	if (ok && db_commit(db, &e)) {
		log_info("probes: %u queued", queued);
	} else {
		db_rollback(db);
		g_propagate_error(error, e);
		ok = FALSE;
	}
	g_array_unref(ids);
	return ok;
}
