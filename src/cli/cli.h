/*
 * cli.h - what every command handler shares: option parsing with the common options,
 * opening the configuration, database and secret, and printing JSON.
 *
 * Owns: --config, the order of lookups for the config file, GOptionContext usage errors
 * (EX_USAGE). Not: what any command does (cmd_*.c).
 */
#ifndef PM_CLI_H
#define PM_CLI_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* A command: argv[0] is the command name; returns FALSE with error (code = exit status). */
typedef gboolean (*CmdFunc)(int argc, char **argv, GError **error);

typedef struct {
	const char *name;
	CmdFunc func;
	const char *usage;    /* "NAME [OPTIONS]" line for `peermail --help` */
	const char *summary;
} CmdInfo;

/*
 * cli_parse - parse argv with entries plus --config. params is the "ARGS" text shown by
 * --help, summary the description. Leaves positional arguments in argc and argv (argv[0]
 * kept). Unknown options and bad values are EX_USAGE errors.
 */
gboolean cli_parse(int *argc, char ***argv, const char *params, const char *summary,
		   const GOptionEntry *entries, GError **error);

/* cli_usage_error - set an EX_USAGE error "usage: peermail USAGE"; returns FALSE */
gboolean cli_usage_error(GError **error, const char *usage);

/* cli_set_config_path - remember a --config given before the command name */
void cli_set_config_path(const char *path);

/* cli_config - load the configuration (once per process); borrowed */
const PmConfig *cli_config(GError **error);

/* cli_config_optional - the configuration when there is one: TRUE with *out NULL when none
 * was named (--config, $PEERMAIL_CONFIG) and no default file exists; FALSE with error when
 * one exists or was named but cannot be loaded */
gboolean cli_config_optional(const PmConfig **out, GError **error);

/* cli_db - open the database of the loaded configuration (checks the schema); borrowed */
PmDb *cli_db(GError **error);

/* cli_secret - load the secret; borrowed */
const PmSecret *cli_secret(GError **error);

/* cli_cleanup - close what cli_* opened */
void cli_cleanup(void);

/* cli_print_json - print the builder's root as one line on stdout and unref it */
void cli_print_json(JsonBuilder *b);

/* cli_print_node - print node as one line of JSON on stdout and unref it */
void cli_print_node(JsonNode *node);

/* cli_dispatch - find argv[1] in table (a NULL-named entry ends it) and run it */
gboolean cli_dispatch(const CmdInfo *table, const char *group, int argc, char **argv,
		      GError **error);

#endif
