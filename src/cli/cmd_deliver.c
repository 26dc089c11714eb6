/*
 * cmd_deliver.c - `peermail deliver SLUG [--now]` and `peermail delivery ls|config`:
 * compiling a petition for its targets, what was delivered (with replies), and each
 * petition's delivery settings (disclosed CSV fields, schedule).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "produce/delivery_send.h"
#include "cli/cmd.h"
#include "model/delivery.h"
#include "model/petition.h"
#include "base/pm.h"

/* find_petition - the petition named slug, or NULL with EX_NOUSER */
static Petition *find_petition(PmDb *db, const char *slug, GError **error)
{
	GError *e = NULL;
	Petition *p = petition_find(db, slug, &e);

	if (p == NULL) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "no petition '%s'", slug);
	}
	return p;
}

/* cmd_deliver - `deliver SLUG [--now] [--json]` */
gboolean cmd_deliver(int argc, char **argv, GError **error)
{
	gboolean now = FALSE, json = FALSE, ok = FALSE;
	GOptionEntry entries[] = {
		{ "now", 0, 0, G_OPTION_ARG_NONE, &now,
		  "compile and queue now (default: the next `peermail run` does)", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	Petition *p;
	gint64 targets = 0;
	int queued = 0;

	if (!cli_parse(&argc, &argv, "SLUG", "Compile the petition's new signatures for each of "
		       "its targets and queue the messages.", entries, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "deliver SLUG [--now] [--json]");
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL ||
	    (key = cli_secret(error)) == NULL || (p = find_petition(db, argv[1], error)) == NULL)
		return FALSE;
	if (!target_count_for(db, p->id, &targets, error))
		goto out;
	if (targets == 0) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' has no targets (see "
			    "`peermail target add`)", p->slug);
		goto out;
	}
	if (now) {
		if (!delivery_queue(db, cfg, key, p->id, "manual", &queued, error))
			goto out;
	} else if (!delivery_request(db, p->id, error)) {
		goto out;
	}
	if (json) {
		JsonBuilder *b = json_builder_new();

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "petition");
		json_builder_add_string_value(b, p->slug);
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, now ? "queued" : "requested");
		json_builder_set_member_name(b, "queued");
		json_builder_add_int_value(b, queued);
		json_builder_end_object(b);
		cli_print_json(b);
	} else if (now) {
		printf("%d deliver%s of %s queued%s\n", queued, queued == 1 ? "y" : "ies", p->slug,
		       queued ? "" : " (nothing new since the last delivery)");
	} else {
		printf("delivery of %s requested: the next `peermail run` compiles and sends it\n",
		       p->slug);
	}
	ok = TRUE;
out:
	petition_free(p);
	return ok;
}

/* delivery_ls_cmd - `delivery ls [--petition SLUG] [--json]` */
static gboolean delivery_ls_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	char *slug = NULL;
	GOptionEntry entries[] = {
		{ "petition", 0, 0, G_OPTION_ARG_STRING, &slug, "only this petition", "SLUG" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	Petition *p = NULL;
	JsonNode *n = NULL;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, NULL, "List deliveries with their status and replies.",
		       entries, error))
		goto out;
	if (argc != 1) {
		cli_usage_error(error, "delivery ls [--petition SLUG] [--json]");
		goto out;
	}
	if ((db = cli_db(error)) == NULL || (slug && (p = find_petition(db, slug, error)) == NULL) ||
	    (n = delivery_list_json(db, p ? p->id : 0, error)) == NULL)
		goto out;
	if (json) {
		cli_print_node(n);
	} else {
		JsonArray *a = json_object_get_array_member(json_node_get_object(n), "deliveries");

		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonObject *o = json_array_get_object_element(a, i);
			JsonObject *t = json_object_get_object_member(o, "target");

			printf("%" G_GINT64_FORMAT "\t%s\t%s <%s>\t%s\t%" G_GINT64_FORMAT
			       " signatures\t%u replies\n", json_object_get_int_member(o, "id"),
			       json_object_get_string_member(o, "petition"),
			       json_object_get_string_member(t, "name"),
			       json_object_get_string_member(t, "email"),
			       json_object_get_string_member(o, "status"),
			       json_object_get_int_member(o, "signatures"),
			       json_array_get_length(json_object_get_array_member(o, "replies")));
		}
		json_node_unref(n);
	}
	ok = TRUE;
out:
	petition_free(p);
	g_free(slug);
	return ok;
}

/* delivery_config_cmd - `delivery config SLUG [--disclose F] [--every N] [--on-close] ...` */
static gboolean delivery_config_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE, on_close = FALSE, no_close = FALSE, ms = FALSE, no_ms = FALSE;
	int every = -1;
	char *fields = NULL;
	GOptionEntry entries[] = {
		{ "disclose", 0, 0, G_OPTION_ARG_STRING, &fields,
		  "CSV columns for targets, from " DELIVERY_FIELDS " (email only if listed)",
		  "FIELDS" },
		{ "every", 0, 0, G_OPTION_ARG_INT, &every,
		  "deliver new signatures every N days (0: never)", "N" },
		{ "on-close", 0, 0, G_OPTION_ARG_NONE, &on_close, "deliver when it closes", NULL },
		{ "no-on-close", 0, 0, G_OPTION_ARG_NONE, &no_close, "do not", NULL },
		{ "at-milestones", 0, 0, G_OPTION_ARG_NONE, &ms,
		  "deliver when a milestone is crossed", NULL },
		{ "no-milestones", 0, 0, G_OPTION_ARG_NONE, &no_ms, "do not", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	Petition *p = NULL;
	DeliverySettings s = { 0 };
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "SLUG", "Show or set what a petition's deliveries disclose "
		       "and when they go out.", entries, error))
		goto out;
	if (argc != 2 || (on_close && no_close) || (ms && no_ms) || every < -1) {
		cli_usage_error(error, "delivery config SLUG [--disclose FIELDS] [--every DAYS] "
				"[--on-close|--no-on-close] [--at-milestones|--no-milestones] [--json]");
		goto out;
	}
	if ((db = cli_db(error)) == NULL || (p = find_petition(db, argv[1], error)) == NULL ||
	    !delivery_configure(db, p->id, fields, every, on_close ? 1 : no_close ? 0 : -1,
				ms ? 1 : no_ms ? 0 : -1, error) ||
	    !delivery_settings_get(db, p->id, &s, error))
		goto out;
	if (json) {
		JsonBuilder *b = json_builder_new();

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "petition");
		json_builder_add_string_value(b, p->slug);
		json_builder_set_member_name(b, "disclose");
		json_builder_begin_array(b);
		{
			char **v = g_strsplit(s.disclose, ",", -1);
			for (int i = 0; v[i]; i++)
				json_builder_add_string_value(b, v[i]);
			g_strfreev(v);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "every_days");
		json_builder_add_int_value(b, s.every_days);
		json_builder_set_member_name(b, "on_close");
		json_builder_add_boolean_value(b, s.on_close);
		json_builder_set_member_name(b, "at_milestones");
		json_builder_add_boolean_value(b, s.at_milestones);
		json_builder_set_member_name(b, "requested");
		json_builder_add_boolean_value(b, s.requested_at != 0);
		json_builder_end_object(b);
		cli_print_json(b);
	} else {
		printf("disclose %s\nevery_days %d\non_close %s\nat_milestones %s\n", s.disclose,
		       s.every_days, s.on_close ? "yes" : "no", s.at_milestones ? "yes" : "no");
	}
	ok = TRUE;
out:
	delivery_settings_clear(&s);
	petition_free(p);
	g_free(fields);
	return ok;
}

static const CmdInfo delivery_cmds[] = {
	{ "ls", delivery_ls_cmd, "ls [--petition SLUG] [--json]",
	  "deliveries with status and replies" },
	{ "config", delivery_config_cmd,
	  "config SLUG [--disclose FIELDS] [--every DAYS] [--on-close] [--at-milestones]",
	  "what deliveries disclose and when they go out" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_delivery - `peermail delivery SUBCOMMAND` */
gboolean cmd_delivery(int argc, char **argv, GError **error)
{
	return cli_dispatch(delivery_cmds, "delivery", argc, argv, error);
}
