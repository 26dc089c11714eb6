/*
 * cmd_target.c - `peermail target add|edit|ls`: the people deliveries go to.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "model/delivery.h"
#include "base/pm.h"

/* target_add_cmd - `target add NAME --email ADDR [--district D] [--title T] [--petition S]...` */
static gboolean target_add_cmd(int argc, char **argv, GError **error)
{
	static const char usage[] = "target add NAME --email ADDR [--district D] [--title T] "
				    "[--petition SLUG]...";
	char *email = NULL, *district = NULL, *title = NULL, **slugs = NULL;
	GOptionEntry entries[] = {
		{ "email", 0, 0, G_OPTION_ARG_STRING, &email, "the target's address", "ADDR" },
		{ "district", 0, 0, G_OPTION_ARG_STRING, &district,
		  "their district (none: they receive every signature)", "D" },
		{ "title", 0, 0, G_OPTION_ARG_STRING, &title, "e.g. MP, Councillor", "T" },
		{ "petition", 0, 0, G_OPTION_ARG_STRING_ARRAY, &slugs,
		  "deliver this petition to them (repeatable)", "SLUG" },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	gint64 id = 0;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "NAME", "Add a target (or update the one with this "
		       "address) and attach it to petitions.", entries, error))
		goto out;
	if (argc != 2 || email == NULL) {
		cli_usage_error(error, usage);
		goto out;
	}
	if ((db = cli_db(error)) == NULL || !db_begin(db, error))
		goto out;
	id = target_add(db, cli_config(NULL), argv[1], email, title, district, slugs, error);
	if (id == 0 || !db_commit(db, error)) {
		db_rollback(db);
		goto out;
	}
	printf("target %" G_GINT64_FORMAT "\n", id);
	ok = TRUE;
out:
	g_free(email);
	g_free(district);
	g_free(title);
	g_strfreev(slugs);
	return ok;
}

/* target_edit_cmd - `target edit ID [--email ADDR] [--name N] [--title T] [--district D]` */
static gboolean target_edit_cmd(int argc, char **argv, GError **error)
{
	static const char usage[] = "target edit ID [--email ADDR] [--name N] [--title T] "
				    "[--district D]";
	char *email = NULL, *name = NULL, *title = NULL, *district = NULL, *end = NULL;
	GOptionEntry entries[] = {
		{ "email", 0, 0, G_OPTION_ARG_STRING, &email, "a corrected address", "ADDR" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "their name", "N" },
		{ "title", 0, 0, G_OPTION_ARG_STRING, &title, "their title (\"\": none)", "T" },
		{ "district", 0, 0, G_OPTION_ARG_STRING, &district,
		  "their district (\"\": every signature)", "D" },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	gint64 id;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "ID", "Change a target in place; its deliveries are kept, "
		       "so after a failure the next delivery reaches the corrected address.",
		       entries, error))
		goto out;
	if (argc != 2 || (id = g_ascii_strtoll(argv[1], &end, 10)) <= 0 || *end) {
		cli_usage_error(error, usage);
		goto out;
	}
	if ((db = cli_db(error)) == NULL || !db_begin(db, error))
		goto out;
	if (!target_update(db, id, name, email, title, district, error) ||
	    !db_commit(db, error)) {
		db_rollback(db);
		goto out;
	}
	printf("target %" G_GINT64_FORMAT "\n", id);
	ok = TRUE;
out:
	g_free(email);
	g_free(name);
	g_free(title);
	g_free(district);
	return ok;
}

/* target_ls_cmd - `target ls [--json]` */
static gboolean target_ls_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonNode *n;
	JsonArray *a;

	if (!cli_parse(&argc, &argv, NULL, "List the targets and their petitions.", entries,
		       error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "target ls [--json]");
	if ((db = cli_db(error)) == NULL || (n = target_list_json(db, error)) == NULL)
		return FALSE;
	if (json) {
		cli_print_node(n);
		return TRUE;
	}
	a = json_object_get_array_member(json_node_get_object(n), "targets");
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		JsonArray *p = json_object_get_array_member(o, "petitions");
		const char *d = json_object_get_string_member(o, "district");
		GString *slugs = g_string_new(NULL);

		for (guint j = 0; j < json_array_get_length(p); j++)
			g_string_append_printf(slugs, "%s%s", j ? "," : "",
					       json_array_get_string_element(p, j));
		printf("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", json_object_get_int_member(o, "id"),
		       json_object_get_string_member(o, "name"),
		       json_object_get_string_member(o, "email"), *d ? d : "(all districts)",
		       slugs->len ? slugs->str : "-");
		g_string_free(slugs, TRUE);
	}
	json_node_unref(n);
	return TRUE;
}

static const CmdInfo target_cmds[] = {
	{ "add", target_add_cmd, "add NAME --email ADDR [--district D] [--title T] [--petition SLUG]...",
	  "add or update a target" },
	{ "edit", target_edit_cmd, "edit ID [--email ADDR] [--name N] [--title T] [--district D]",
	  "change a target, keeping its deliveries" },
	{ "ls", target_ls_cmd, "ls [--json]", "list targets" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_target - `peermail target SUBCOMMAND` */
gboolean cmd_target(int argc, char **argv, GError **error)
{
	return cli_dispatch(target_cmds, "target", argc, argv, error);
}
