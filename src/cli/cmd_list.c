/*
 * cmd_list.c - `peermail list create|show|ls`.
 */
#include <stdio.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "model/list.h"
#include "base/pm.h"
#include "model/stats.h"

/* list_create_cmd - `list create NAME ...` */
static gboolean list_create_cmd(int argc, char **argv, GError **error)
{
	char *title = NULL, *mode = NULL;
	GOptionEntry entries[] = {
		{ "title", 0, 0, G_OPTION_ARG_STRING, &title, "title shown to members", "T" },
		{ "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "announce (default) or discussion", "MODE" },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	gint64 id = 0;

	if (!cli_parse(&argc, &argv, "NAME", "Create a list (its address is NAME@domain).",
		       entries, error))
		goto out;
	if (argc != 2) {
		cli_usage_error(error, "list create NAME [--title T] [--mode announce|discussion]");
		goto out;
	}
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	if (!list_name_valid(cli_config(NULL), argv[1])) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "'%s' is not a usable list name (letters, "
			    "digits, - _ . only; not a reserved word or the From mailbox)", argv[1]);
		goto out;
	}
	id = list_create(db, argv[1], title, mode, error);
	if (id)
		printf("list %" G_GINT64_FORMAT "\n", id);
out:
	g_free(title);
	g_free(mode);
	return id != 0;
}

/* list_show_cmd - `list show NAME [--json]` */
static gboolean list_show_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	GError *e = NULL;
	List *l;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, "NAME", "A list and its members by state.", entries, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "list show NAME [--json]");
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	l = list_find(db, cfg, argv[1], &e);
	if (l == NULL) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "no list '%s'", argv[1]);
		return FALSE;
	}
	n = stats_list_json(db, l, error);
	if (n && json) {
		stats_print(n, FALSE);
	} else if (n) {
		JsonObject *m = json_object_get_object_member(json_node_get_object(n), "members");

		printf("name: %s\ntitle: %s\nmode: %s\nactive: %" G_GINT64_FORMAT "\npending: %"
		       G_GINT64_FORMAT "\nunsubscribed: %" G_GINT64_FORMAT "\nbouncing: %"
		       G_GINT64_FORMAT "\n", l->name, l->title, l->mode,
		       json_object_get_int_member(m, "active"), json_object_get_int_member(m, "pending"),
		       json_object_get_int_member(m, "unsubscribed"),
		       json_object_get_int_member(m, "bouncing"));
		json_node_unref(n);
	}
	list_free(l);
	return n != NULL;
}

/* list_destroy - GDestroyNotify for List* */
static void list_destroy(gpointer l)
{
	list_free(l);
}

/* list_ls_cmd - `list ls [--json]` */
static gboolean list_ls_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	JsonBuilder *b;
	GPtrArray *lists;
	gboolean ok = TRUE;

	if (!cli_parse(&argc, &argv, NULL, "The lists, with their members by state.", entries,
		       error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "list ls [--json]");
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	/* configured lists exist in the database once looked up */
	for (guint i = 0; i < cfg->lists->len; i++)
		list_free(list_find(db, cfg, ((PmListConf *)cfg->lists->pdata[i])->name, NULL));
	if ((lists = list_all(db, error)) == NULL) {
		lists = g_ptr_array_new_with_free_func(list_destroy);
		ok = FALSE;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "lists");
	json_builder_begin_array(b);
	for (guint i = 0; ok && i < lists->len; i++) {
		List *l = lists->pdata[i];
		JsonNode *n = l ? stats_list_json(db, l, error) : NULL;

		if (n == NULL) {
			ok = FALSE;
			break;
		}
		if (!json) {
			JsonObject *m = json_object_get_object_member(json_node_get_object(n),
								      "members");
			printf("%-20s %-10s %8" G_GINT64_FORMAT " active  %s\n", l->name, l->mode,
			       json_object_get_int_member(m, "active"), l->title);
		}
		json_builder_add_value(b, n);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	if (ok && json)
		cli_print_json(b);
	else
		g_object_unref(b);
	g_ptr_array_free(lists, TRUE);
	return ok;
}

static const CmdInfo list_cmds[] = {
	{ "create", list_create_cmd, "create NAME [--title T] [--mode M]", "create a list" },
	{ "show", list_show_cmd, "show NAME [--json]", "a list and its members by state" },
	{ "ls", list_ls_cmd, "ls [--json]", "the lists" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_list - `peermail list ...` */
gboolean cmd_list(int argc, char **argv, GError **error)
{
	return cli_dispatch(list_cmds, "list", argc, argv, error);
}
