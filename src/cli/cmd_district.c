/*
 * cmd_district.c - `peermail district import|ls`: the postcode -> district lookup that
 * routes signatures to the targets of their district.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "model/district.h"
#include "model/district_import.h"
#include "base/pm.h"

/* district_import_cmd - `district import FILE.csv [--rederive]` */
static gboolean district_import_cmd(int argc, char **argv, GError **error)
{
	gboolean rederive = FALSE;
	GOptionEntry entries[] = {
		{ "rederive", 0, 0, G_OPTION_ARG_NONE, &rederive,
		  "recompute every member's district from the postcode (default: only members "
		  "without one)", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	gint64 rows = 0, members = 0;

	if (!cli_parse(&argc, &argv, "FILE.csv", "Import postcode prefixes and their districts "
		       "(header row; columns postcode_prefix or postcode, and district).", entries,
		       error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "district import FILE.csv [--rederive]");
	if ((db = cli_db(error)) == NULL ||
	    !district_import(db, argv[1], rederive, &rows, &members, error))
		return FALSE;
	printf("%" G_GINT64_FORMAT " prefixes imported, %" G_GINT64_FORMAT " members' districts "
	       "set\n", rows, members);
	return TRUE;
}

/* district_ls_cmd - `district ls [--json]` */
static gboolean district_ls_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonNode *n;
	JsonArray *a;

	if (!cli_parse(&argc, &argv, NULL, "List the postcode prefixes and members per district.",
		       entries, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "district ls [--json]");
	if ((db = cli_db(error)) == NULL || (n = district_list_json(db, error)) == NULL)
		return FALSE;
	if (json) {
		cli_print_node(n);
		return TRUE;
	}
	a = json_object_get_array_member(json_node_get_object(n), "districts");
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);

		printf("%s\t%s\n", json_object_get_string_member(o, "prefix"),
		       json_object_get_string_member(o, "district"));
	}
	json_node_unref(n);
	return TRUE;
}

static const CmdInfo district_cmds[] = {
	{ "import", district_import_cmd, "import FILE.csv [--rederive]",
	  "load postcode prefixes -> districts" },
	{ "ls", district_ls_cmd, "ls [--json]", "list the lookup table" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_district - `peermail district SUBCOMMAND` */
gboolean cmd_district(int argc, char **argv, GError **error)
{
	return cli_dispatch(district_cmds, "district", argc, argv, error);
}
