/*
 * cli.h - the command table and what runs it: parsing, help, usage errors, the synopsis,
 * and opening what a command needs (configuration, database, secret, a transaction).
 *
 * Each command is declared once, as a row of cli_commands (commands.c): its words, its
 * positional arguments, its options, what it needs and its texts. From that row come
 * the option parser, `peermail --help`, `peermail CMD --help`, the "usage: ..." of a
 * usage error (EX_USAGE) and the synopsis in docs/cli.md (`peermail help --synopsis`).
 * A command's run function (cmd_*.c) gets the parsed arguments and what it needs ready,
 * calls one function of the lower layers and prints.
 *
 * Owns: --config and the order of lookups for the config file, the table's format, usage
 * errors. Not: what any command does (cmd_*.c), the exit status (main; an MTA's:
 * inbound/exitcode.h, for CMD_MTA rows).
 * THREADS: main thread only (the configuration is loaded before any thread starts).
 */
#ifndef PM_CLI_H
#define PM_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* Every option any command takes, one field each; a row of the table says which of them
 * its command takes. Strings and string arrays are freed after the command. */
typedef struct {
	gboolean json, help, synopsis;
	gboolean once, now, wait, csv, rederive, skip_signed, approve;
	gboolean on_close, no_on_close, at_milestones, no_milestones;
	char *sender, *recipient, *lmtp, *socketmap, *http, *listen, *tls_cert, *tls_key;
	char *data, *partials;
	char *name, *email, *postcode, *district, *title, *mode, *status;
	char *list, *petition, *subject, *body, *template_name, *to, *at, *closes, *text;
	char *disclose, *reject;
	char *lang;
	char *domain, *since, *until, *source, *reason;   /* petition invalidate */
	gboolean dry_run, all, reject_suspects;           /* petition invalidate, clear */
	gint64 undo;                                       /* petition invalidate --undo ID */
	char **lists, **petitions;   /* repeatable --list, --petition */
	gint64 goal;
	int every;
	int per_ip, connections, timeout;   /* web limits */
} CmdOpts;

/* What a command needs before it runs, and how it is shown. */
typedef enum {
	CMD_CONFIG = 1 << 0,          /* the configuration: missing or broken is EX_CONFIG */
	CMD_CONFIG_OPTIONAL = 1 << 1, /* the configuration if there is one (broken: EX_CONFIG) */
	CMD_DB = 1 << 2,              /* the database (implies the configuration) */
	CMD_SECRET = 1 << 3,          /* the HMAC secret (implies the configuration) */
	CMD_TXN = 1 << 4,             /* one transaction around the run, committed on success */
	CMD_JSON = 1 << 5,            /* takes --json */
	CMD_SECTION = 1 << 6,         /* starts a paragraph in the synopsis */
	CMD_MTA = 1 << 7,             /* an MTA waits on it: the crash guard from the start and
				       * every failure, the table's own included, recoded by
				       * inbound/exitcode.h (65 and 67 bounce, all else 75) */
	CMD_OWN_MIME = 1 << 8         /* main does not initialise GMime: the command does when
				       * it needs it (receive handing off to the daemon never) */
} CmdFlags;

/* CmdOpt flags */
#define OPT_REQUIRED 1        /* must be given (shown without brackets) */
#define OPT_OR_PREVIOUS 2     /* an alternative to the option before: [--a|--b] */

typedef struct {
	const char *name;     /* long name without "--"; NULL ends a list */
	GOptionArg arg;       /* G_OPTION_ARG_NONE, _STRING, _FILENAME, _STRING_ARRAY, _INT, _INT64 */
	size_t offset;        /* of its field in CmdOpts */
	const char *value;    /* the value's name in help ("ADDR"); NULL for a flag */
	const char *help;
	int flags;            /* OPT_* */
	int initial;          /* an int option's value when it is not given */
} CmdOpt;

struct Cmd;

/* CmdCtx - what a run function gets */
typedef struct {
	const struct Cmd *cmd;
	int argc;             /* positional arguments, as many as cmd->args allows */
	char **argv;
	const CmdOpts *o;
	const PmConfig *cfg;  /* with CMD_CONFIG (CMD_CONFIG_OPTIONAL: may be NULL) */
	PmDb *db;             /* with CMD_DB */
	const PmSecret *key;  /* with CMD_SECRET */
	GString *out;         /* printed on stdout when the command succeeded (after the commit) */
} CmdCtx;

/* CmdRun - a command's run function: FALSE with error (code = exit status) */
typedef gboolean (*CmdRun)(CmdCtx *c, GError **error);

typedef struct Cmd {
	const char *name;     /* its words: "init", "member add"; a group's own row ("member")
			       * has no run unless the group word alone is a command too */
	const char *args;     /* positional arguments: "SLUG FILE.csv"; "[X]" optional,
			       * "X..." any number; a trailing "< MESSAGE" reads stdin */
	CmdRun run;
	int flags;            /* CmdFlags */
	const CmdOpt *opts;   /* NULL: none */
	const char *summary;  /* one line, for lists and the synopsis */
	const char *about;    /* `CMD --help`: what it does (NULL: the summary) */
	const char *doc;      /* lines under its synopsis line in docs/cli.md (JSON shapes) */
} Cmd;

/* The table (commands.c): ends with a NULL name. */
extern const Cmd cli_commands[];

/* cli_find - the row for the longest run of words at argv[0..] (*words gets how many);
 * NULL when the first word is no command */
const Cmd *cli_find(int argc, char **argv, int *words);

/* cli_run - run cmd: argv[0..words) are its words, the rest its arguments */
gboolean cli_run(const Cmd *cmd, int words, int argc, char **argv, GError **error);

/* cli_usage_error - an EX_USAGE error "usage: peermail USAGE" for cmd; returns FALSE */
gboolean cli_usage_error(const Cmd *cmd, GError **error);

/* cli_arg_id - positional argument i as a positive id; else the usage error, FALSE */
gboolean cli_arg_id(CmdCtx *c, int i, gint64 *id, GError **error);

/* cli_print_cmd_help - `peermail CMD --help` (a group: its subcommands), on out */
void cli_print_cmd_help(const Cmd *cmd, FILE *out);

/* cli_print_help - `peermail --help`: every command, on out */
void cli_print_help(FILE *out);

/* cli_print_synopsis - the command list of docs/cli.md, on out */
void cli_print_synopsis(FILE *out);

/* cli_set_config_path - remember a --config given before the command name */
void cli_set_config_path(const char *path);

/* cli_config - load the configuration (once per process); borrowed */
const PmConfig *cli_config(GError **error);

/* cli_config_optional - the configuration when there is one: TRUE with *out NULL when none
 * was named (--config, $PEERMAIL_CONFIG) and no default file exists; FALSE with error when
 * one exists or was named but cannot be loaded */
gboolean cli_config_optional(const PmConfig **out, GError **error);

/* cli_owner_ok - FALSE (78, naming the owner) when root would use a database (path) that
 * another user owns: the MTA's pipe and the daemon run as that user */
gboolean cli_owner_ok(const char *path, GError **error);

/* cli_db - open the database of the loaded configuration (checks the schema); borrowed */
PmDb *cli_db(GError **error);

/* cli_secret - load the secret; borrowed */
const PmSecret *cli_secret(GError **error);

/* cli_cleanup - close what cli_* opened */
void cli_cleanup(void);

/* cli_json - the builder's document as one line of c->out; unrefs b */
void cli_json(CmdCtx *c, JsonBuilder *b);

/* CliJsonRow - one row's members into the open object; CliTextRow - one row as a line */
typedef void (*CliJsonRow)(JsonBuilder *b, gconstpointer row);
typedef void (*CliTextRow)(GString *out, gconstpointer row);

/*
 * cli_rows - a command's rows: with --json one line {"key": [{json_row}...]}, else one
 * text_row line each, or the line empty (may be NULL) when there is none. The one "list
 * as JSON or text" loop of the list commands.
 */
void cli_rows(CmdCtx *c, const GPtrArray *rows, const char *key, CliJsonRow json_row,
	      CliTextRow text_row, const char *empty);

/* cli_text - the builder's object as text for people into c->out ("key: value", nested
 * objects and lists indented below their key; null is "-"): a read command without --json;
 * unrefs b */
void cli_text(CmdCtx *c, JsonBuilder *b);

#endif
