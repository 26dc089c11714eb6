/*
 * cli.c - common option parsing and the per-process configuration, database and secret.
 *
 * The configuration is loaded once in the main thread before any other thread starts;
 * afterwards it is read-only (see conventions: no other mutable globals).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/pm.h"
#include "model/schema.h"

static char *config_path;       /* from --config, before or after the command */
static PmConfig *config;
static PmDb *db;
static PmSecret *secret;

void cli_set_config_path(const char *path)
{
	g_free(config_path);
	config_path = g_strdup(path);
}

/* cli_parse - GOptionContext with --config added */
gboolean cli_parse(int *argc, char ***argv, const char *params, const char *summary,
		   const GOptionEntry *entries, GError **error)
{
	char *cfg = NULL;
	GOptionEntry common[] = {
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &cfg,
		  "configuration file (default: $PEERMAIL_CONFIG, ./conf/peermail.conf, "
		  PEERMAIL_SYSCONFDIR "/peermail/peermail.conf)", "FILE" },
		G_OPTION_ENTRY_NULL
	};
	char *title = g_strdup_printf("%s%s%s", (*argv)[0], params ? " " : "", params ? params : "");
	GOptionContext *ctx = g_option_context_new(title);
	GError *e = NULL;
	gboolean ok;

	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, common, NULL);
	if (entries)
		g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_strict_posix(ctx, FALSE);
	ok = g_option_context_parse(ctx, argc, argv, &e);
	if (!ok) {
		g_set_error(error, PM_ERROR, EX_USAGE, "%s (see `peermail %s --help`)", e->message,
			    (*argv)[0]);
		g_error_free(e);
	} else if (cfg) {
		cli_set_config_path(cfg);
	}
	g_free(cfg);
	g_free(title);
	g_option_context_free(ctx);
	return ok;
}

gboolean cli_usage_error(GError **error, const char *usage)
{
	g_set_error(error, PM_ERROR, EX_USAGE, "usage: peermail %s", usage);
	return FALSE;
}

const PmConfig *cli_config(GError **error)
{
	if (config == NULL)
		config = config_load(config_path, error);
	return config;
}

gboolean cli_config_optional(const PmConfig **out, GError **error)
{
	const char *env = g_getenv("PEERMAIL_CONFIG");
	char *path = config_path ? g_strdup(config_path) : config_default_path();
	gboolean absent = config_path == NULL && !(env && *env) && access(path, F_OK) != 0;

	g_free(path);
	*out = absent ? NULL : cli_config(error);
	return absent || *out != NULL;
}

PmDb *cli_db(GError **error)
{
	if (db == NULL && cli_config(error) != NULL)
		db = db_open(config->database, schema_peermail(), FALSE, error);
	return db;
}

const PmSecret *cli_secret(GError **error)
{
	if (secret == NULL && cli_config(error) != NULL)
		secret = secret_load(config->secret_file, FALSE, error);
	return secret;
}

void cli_cleanup(void)
{
	db = db_close(db);
	secret = secret_free(secret);
	config = config_free(config);
	g_free(config_path);
	config_path = NULL;
}

/* cli_print_json - one JSON object on one line */
void cli_print_json(JsonBuilder *b)
{
	JsonNode *root = json_builder_get_root(b);
	JsonGenerator *gen = json_generator_new();
	char *text;

	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	printf("%s\n", text);
	fflush(stdout);
	g_free(text);
	g_object_unref(gen);
	json_node_unref(root);
	g_object_unref(b);
}

/* cli_dispatch - run a subcommand of group from table */
gboolean cli_dispatch(const CmdInfo *table, const char *group, int argc, char **argv,
		      GError **error)
{
	GString *help;

	if (argc >= 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
		for (const CmdInfo *c = table; c->name; c++) {
			if (strcmp(c->name, argv[1]) == 0) {
				char *name = g_strdup_printf("%s %s", group, c->name);
				char *saved = argv[1];
				gboolean ok;

				argv[1] = name;
				ok = c->func(argc - 1, argv + 1, error);
				argv[1] = saved;
				g_free(name);
				return ok;
			}
		}
	}
	help = g_string_new(NULL);
	for (const CmdInfo *c = table; c->name; c++)
		g_string_append_printf(help, "  peermail %s %-34s %s\n", group, c->usage, c->summary);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage:\n%s", help->str);
		g_string_free(help, TRUE);
		return TRUE;
	}
	fprintf(stderr, "Usage:\n%s", help->str);
	g_string_free(help, TRUE);
	if (argc < 2)
		g_set_error(error, PM_ERROR, EX_USAGE, "%s: which command?", group);
	else
		g_set_error(error, PM_ERROR, EX_USAGE, "%s: unknown command '%s'", group, argv[1]);
	return FALSE;
}

/* cli_print_node - print node as one line of JSON on stdout and unref it */
void cli_print_node(JsonNode *node)
{
	JsonGenerator *gen = json_generator_new();
	char *text;

	json_generator_set_root(gen, node);
	text = json_generator_to_data(gen, NULL);
	printf("%s\n", text);
	fflush(stdout);
	g_free(text);
	g_object_unref(gen);
	json_node_unref(node);
}
