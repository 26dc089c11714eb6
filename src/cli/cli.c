/*
 * cli.c - running a row of the command table: parsing, help, usage errors, the synopsis,
 * and the per-process configuration, database and secret.
 *
 * The configuration is loaded once in the main thread before any other thread starts;
 * afterwards it is read-only (see conventions: no other mutable globals).
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/json.h"
#include "base/pm.h"
#include "inbound/exitcode.h"
#include "model/schema.h"
#include "produce/newsletter_render.h"

static char *config_path;       /* from --config, before or after the command */
static PmConfig *config;
static PmDb *db;
static PmSecret *secret;

/* The synopsis (docs/cli.md): the column where summaries start, the widest usage line. */
#define SYNOPSIS_COLUMN 48
#define SYNOPSIS_WIDTH 92
#define HELP_COLUMN 40          /* where a description starts in `help` and a group's list */
#define HELP_WIDTH 80

/* ==== The configuration, database and secret ==== */

/* cli_set_config_path - remember --config */
void cli_set_config_path(const char *path)
{
	g_free(config_path);
	config_path = g_strdup(path);
}

/* cli_config - load once */
const PmConfig *cli_config(GError **error)
{
	if (config == NULL)
		config = config_load(config_path, error);
	return config;
}

/* cli_config_optional - the configuration, or none when none was named or exists */
gboolean cli_config_optional(const PmConfig **out, GError **error)
{
	const char *env = g_getenv("PEERMAIL_CONFIG");
	char *path = config_path ? g_strdup(config_path) : config_default_path();
	gboolean absent = config_path == NULL && !(env && *env) && access(path, F_OK) != 0;

	g_free(path);
	*out = absent ? NULL : cli_config(error);
	return absent || *out != NULL;
}

/* cli_owner_ok - FALSE (78) for root on a database another user owns: the files root would
 * make beside it (-wal, -shm, the Maildir, lmtp.socket) lock that user, the MTA's pipe
 * and the daemon, out of their own database */
gboolean cli_owner_ok(const char *path, GError **error)
{
	struct stat st;
	struct passwd *pw;

	if (geteuid() != 0 || stat(path, &st) != 0 || st.st_uid == 0)
		return TRUE;
	pw = getpwuid(st.st_uid);
	g_set_error(error, PM_ERROR, EX_CONFIG, "%s belongs to %s: run peermail as that user "
		    "(runuser -u %s -- peermail ...), as the MTA's pipe and the daemon do: what "
		    "root made beside it would lock them out", path, pw ? pw->pw_name : "another user",
		    pw ? pw->pw_name : "USER");
	return FALSE;
}

/* cli_db - open once */
PmDb *cli_db(GError **error)
{
	if (db == NULL && cli_config(error) != NULL && cli_owner_ok(config->database, error))
		db = db_open(config->database, schema_peermail(), FALSE, error);
	return db;
}

/* cli_secret - load once */
const PmSecret *cli_secret(GError **error)
{
	if (secret == NULL && cli_config(error) != NULL)
		secret = secret_load(config->secret_file, FALSE, error);
	return secret;
}

/* cli_cleanup - close everything */
void cli_cleanup(void)
{
	newsletter_cache_clear();
	db = db_close(db);
	secret = secret_free(secret);
	config = config_free(config);
	g_free(config_path);
	config_path = NULL;
}

/* cli_json - one line of JSON into the output */
void cli_json(CmdCtx *c, JsonBuilder *b)
{
	char *text = json_text(b, FALSE);

	g_string_append_printf(c->out, "%s\n", text);
	g_free(text);
	g_object_unref(b);
}

void cli_rows(CmdCtx *c, const GPtrArray *rows, const char *key, CliJsonRow json_row,
	      CliTextRow text_row, const char *empty)
{
	JsonBuilder *b;

	if (!c->o->json) {
		for (guint i = 0; i < rows->len; i++)
			text_row(c->out, rows->pdata[i]);
		if (rows->len == 0 && empty)
			g_string_append_printf(c->out, "%s\n", empty);
		return;
	}
	b = json_builder_new();
	json_put_object(b, NULL);
	json_put_array(b, key);
	for (guint i = 0; i < rows->len; i++) {
		json_put_object(b, NULL);
		json_row(b, rows->pdata[i]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	cli_json(c, b);
}

/* text_scalar - a JSON value as text for people: null is "-" */
static void text_scalar(GString *out, JsonNode *v)
{
	if (JSON_NODE_HOLDS_NULL(v)) {
		g_string_append_c(out, '-');
		return;
	}
	switch (json_node_get_value_type(v)) {
	case G_TYPE_STRING: g_string_append(out, json_node_get_string(v)); break;
	case G_TYPE_INT64:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(v));
		break;
	case G_TYPE_DOUBLE: g_string_append_printf(out, "%g", json_node_get_double(v)); break;
	case G_TYPE_BOOLEAN: g_string_append(out, json_node_get_boolean(v) ? "yes" : "no"); break;
	default: break;
	}
}

static void text_object(GString *out, JsonObject *o, int indent, gboolean item);

/* text_member - "key: value", or "key:" and the nested object or list below it */
static void text_member(GString *out, const char *key, JsonNode *v, int indent, int first)
{
	g_string_append_printf(out, "%*s%s:", first, "", key);
	if (JSON_NODE_HOLDS_OBJECT(v)) {
		JsonObject *o = json_node_get_object(v);

		if (json_object_get_size(o) == 0) {
			g_string_append(out, " -\n");
			return;
		}
		g_string_append_c(out, '\n');
		text_object(out, o, indent + 2, FALSE);
	} else if (JSON_NODE_HOLDS_ARRAY(v)) {
		JsonArray *a = json_node_get_array(v);
		guint n = json_array_get_length(a);

		if (n == 0)
			g_string_append(out, " (none)");
		g_string_append_c(out, '\n');
		for (guint i = 0; i < n; i++) {
			JsonNode *e = json_array_get_element(a, i);

			if (JSON_NODE_HOLDS_OBJECT(e)) {
				g_string_append_printf(out, "%*s- ", indent + 2, "");
				text_object(out, json_node_get_object(e), indent + 4, TRUE);
			} else {
				g_string_append_printf(out, "%*s- ", indent + 2, "");
				text_scalar(out, e);
				g_string_append_c(out, '\n');
			}
		}
	} else {
		g_string_append_c(out, ' ');
		text_scalar(out, v);
		g_string_append_c(out, '\n');
	}
}

/* text_object - every member of o at indent (item: the first line is already indented) */
static void text_object(GString *out, JsonObject *o, int indent, gboolean item)
{
	GList *keys = json_object_get_members(o);
	gboolean first = TRUE;

	for (GList *k = keys; k; k = k->next) {
		text_member(out, k->data, json_object_get_member(o, k->data), indent,
			    item && first ? 0 : indent);
		first = FALSE;
	}
	if (keys == NULL && item)
		g_string_append_c(out, '\n');
	g_list_free(keys);
}

/* cli_text - the builder's object as text for people ("key: value", nested objects and
 * lists indented below their key): what a read command prints without --json */
void cli_text(CmdCtx *c, JsonBuilder *b)
{
	JsonNode *root = json_builder_get_root(b);

	if (root && JSON_NODE_HOLDS_OBJECT(root))
		text_object(c->out, json_node_get_object(root), 0, FALSE);
	if (root)
		json_node_unref(root);
	g_object_unref(b);
}

/* ==== Reading the table ==== */

/* word_count - how many words a command name has */
static int word_count(const char *name)
{
	int n = 1;

	for (const char *p = name; *p; p++)
		n += *p == ' ';
	return n;
}

/* words_match - the first n words of argv spell name */
static gboolean words_match(const char *name, int argc, char **argv, int n)
{
	const char *p = name;

	if (argc < n)
		return FALSE;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(argv[i]);

		if (strncmp(p, argv[i], len) != 0 || (p[len] != ' ' && p[len] != '\0'))
			return FALSE;
		p += len + (p[len] == ' ');
	}
	return TRUE;
}

/* cli_find - the longest match */
const Cmd *cli_find(int argc, char **argv, int *words)
{
	const Cmd *best = NULL;
	int best_n = 0;

	for (const Cmd *c = cli_commands; c->name; c++) {
		int n = word_count(c->name);

		if (n > best_n && words_match(c->name, argc, argv, n)) {
			best = c;
			best_n = n;
		}
	}
	*words = best_n;
	return best;
}

/* is_sub - sub is a subcommand of group (one word more) */
static gboolean is_sub(const Cmd *group, const Cmd *sub)
{
	size_t n = strlen(group->name);

	return strncmp(sub->name, group->name, n) == 0 && sub->name[n] == ' ' &&
	       strchr(sub->name + n + 1, ' ') == NULL;
}

/* has_subs - the group has subcommands */
static gboolean has_subs(const Cmd *group)
{
	for (const Cmd *c = cli_commands; c->name; c++)
		if (is_sub(group, c))
			return TRUE;
	return FALSE;
}

/* ArgSpec - what cmd->args allows */
typedef struct {
	int min, max;         /* max -1: any number */
	char *words;          /* the positional part, for usage lines ("" for none) */
	char *input;          /* "< MESSAGE" or NULL */
} ArgSpec;

/* arg_spec - read cmd->args; free with arg_spec_clear */
static void arg_spec(const Cmd *cmd, ArgSpec *s)
{
	char **v = g_strsplit(cmd->args ? cmd->args : "", " ", -1);
	GString *w = g_string_new(NULL);
	int i;

	s->min = s->max = 0;
	s->input = NULL;
	for (i = 0; v[i]; i++) {
		if (*v[i] == '\0')
			continue;
		if (*v[i] == '<') {
			char *rest = g_strjoinv(" ", v + i);

			s->input = rest;
			break;
		}
		g_string_append_printf(w, "%s%s", w->len ? " " : "", v[i]);
		if (g_str_has_suffix(v[i], "...") || g_str_has_suffix(v[i], "...]"))
			s->max = -1;
		else if (s->max >= 0)
			s->max++;
		if (*v[i] != '[')
			s->min++;
	}
	s->words = g_string_free(w, FALSE);
	g_strfreev(v);
}

/* arg_spec_clear - free the strings */
static void arg_spec_clear(ArgSpec *s)
{
	g_free(s->words);
	g_free(s->input);
}

/* opt_text - "--name VALUE" */
static char *opt_text(const CmdOpt *o)
{
	return g_strdup_printf("--%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
}

/* usage_line - "member add EMAIL [--name N] ... [--json] < MESSAGE"; caller frees */
static char *usage_line(const Cmd *cmd)
{
	GString *u = g_string_new(cmd->name);
	ArgSpec s;

	arg_spec(cmd, &s);
	if (*s.words)
		g_string_append_printf(u, " %s", s.words);
	for (const CmdOpt *o = cmd->opts; o && o->name; o++) {
		char *t = opt_text(o);
		gboolean alt_next = o[1].name && (o[1].flags & OPT_OR_PREVIOUS);

		if (o->flags & OPT_OR_PREVIOUS)
			g_string_append_printf(u, "|%s", t);
		else if (o->flags & OPT_REQUIRED)
			g_string_append_printf(u, " %s", t);
		else
			g_string_append_printf(u, " [%s", t);
		if (!(o->flags & OPT_REQUIRED) && !alt_next)
			g_string_append(u, o->arg == G_OPTION_ARG_STRING_ARRAY ? "]..." : "]");
		g_free(t);
	}
	if (cmd->flags & CMD_JSON)
		g_string_append(u, " [--json]");
	if (s.input)
		g_string_append_printf(u, " %s", s.input);
	arg_spec_clear(&s);
	return g_string_free(u, FALSE);
}

/* group_line - "member add|import|export ..." for a group's row in `peermail --help` */
static char *group_line(const Cmd *group)
{
	GString *u = g_string_new(NULL);
	size_t n = strlen(group->name);

	if (group->run) {
		char *own = usage_line(group);

		g_string_append_printf(u, "%s | %s", own, group->name);
		g_free(own);
	} else {
		g_string_append(u, group->name);
	}
	for (const Cmd *c = cli_commands, *first = NULL; c->name; c++) {
		if (!is_sub(group, c))
			continue;
		g_string_append_printf(u, "%s%s", first ? "|" : " ", c->name + n + 1);
		if (first == NULL)
			first = c;
	}
	if (group->run == NULL)
		g_string_append(u, " ...");
	return g_string_free(u, FALSE);
}

/* cli_usage_error - EX_USAGE with the command's usage line */
gboolean cli_usage_error(const Cmd *cmd, GError **error)
{
	char *u = usage_line(cmd);

	g_set_error(error, PM_ERROR, EX_USAGE, "usage: peermail %s", u);
	g_free(u);
	return FALSE;
}

/* ==== Help ==== */

/* fill - append text to w, which is at column col, folded before a word (brackets kept
 * whole; a word too long for any line, a group's list of subcommands, after a '|') so
 * that no line passes width where a word allows; a continuation line starts with indent
 * spaces. Returns the column after it. */
static size_t fill(GString *w, const char *text, size_t col, size_t indent, size_t width)
{
	gboolean first = TRUE;
	int depth = 0;
	const char *word = text;

	for (const char *p = text;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if (*p == '\0' || (*p == ' ' && depth == 0)) {
			size_t n = p - word, k;

			if (!first && col + 1 + n > width &&
			    (col + 1 + (k = strcspn(word, "| ")) + 1 > width || n + indent <= width)) {
				g_string_append_printf(w, "\n%*s", (int)indent, "");
				col = indent;
			} else if (!first) {
				g_string_append_c(w, ' ');
				col++;
			}
			while (col + n > width && n + indent > width &&
			       (k = strcspn(word, "|")) + 1 < n && col + k + 1 <= width) {
				/* as much of the list as fits, then the rest on the next line */
				size_t fit = 0;

				while (fit + k + 1 < n && col + fit + k + 1 <= width) {
					fit += k + 1;
					k = strcspn(word + fit, "|");
				}
				g_string_append_len(w, word, fit);
				g_string_append_printf(w, "\n%*s", (int)indent, "");
				word += fit;
				n -= fit;
				col = indent;
			}
			g_string_append_len(w, word, n);
			col += n;
			first = FALSE;
			word = p + 1;
		}
		if (*p == '\0')
			break;
	}
	return col;
}

/* wrap - line folded so that no line is longer than SYNOPSIS_WIDTH; continuation lines
 * indented under the command; caller frees */
static char *wrap(const char *line)
{
	GString *w = g_string_new(NULL);

	fill(w, line, 0, 9, SYNOPSIS_WIDTH);
	return g_string_free(w, FALSE);
}

/* help_entry - one command of a list: its usage and, at HELP_COLUMN, its description,
 * within HELP_WIDTH; a usage that reaches the column puts the description on the next
 * line, indented to it */
static void help_entry(FILE *out, const char *usage, const char *summary)
{
	GString *w = g_string_new("  ");
	size_t col = fill(w, usage, 2, 6, HELP_WIDTH);

	if (col + 1 < HELP_COLUMN && strchr(w->str, '\n') == NULL)
		g_string_append_printf(w, "%*s", (int)(HELP_COLUMN - col), "");
	else
		g_string_append_printf(w, "\n%*s", HELP_COLUMN, "");
	fill(w, summary, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
	fprintf(out, "%s\n", w->str);
	g_string_free(w, TRUE);
}

/* cli_print_help - every top-level command */
void cli_print_help(FILE *out)
{
	fprintf(out, "Usage: peermail [--config FILE] COMMAND [ARGS...]\n\n"
		     "peermail runs petitions, lists, newsletters and deliveries by email.\n\n"
		     "Commands:\n");
	for (const Cmd *c = cli_commands; c->name; c++) {
		char *u;

		if (strchr(c->name, ' '))
			continue;
		u = has_subs(c) ? group_line(c) : usage_line(c);
		help_entry(out, u, c->summary);
		g_free(u);
	}
	fprintf(out, "\nEvery command takes --config FILE and --help.\n"
		     "Exit codes follow sysexits.h: 64 usage, 65 data, 66 no input, 67 no user,\n"
		     "75 temporary failure, 78 configuration.\n");
}

/* print_subs - a group's subcommands, one per line */
static void print_subs(const Cmd *group, FILE *out)
{
	for (const Cmd *c = cli_commands; c->name; c++) {
		char *u, *line;

		if (!is_sub(group, c))
			continue;
		u = usage_line(c);
		line = g_strdup_printf("peermail %s", u);
		help_entry(out, line, c->summary);
		g_free(line);
		g_free(u);
	}
}

/* cli_print_cmd_help - `peermail CMD --help` */
void cli_print_cmd_help(const Cmd *cmd, FILE *out)
{
	char *u;

	if (cmd->run == NULL) {
		fprintf(out, "Usage:\n");
		print_subs(cmd, out);
		return;
	}
	u = usage_line(cmd);

	fprintf(out, "Usage: peermail %s\n\n%s\n", u, cmd->about ? cmd->about : cmd->summary);
	g_free(u);
	if (has_subs(cmd)) {
		fprintf(out, "\nSubcommands:\n");
		print_subs(cmd, out);
	}
	fprintf(out, "\nOptions:\n");
	for (const CmdOpt *o = cmd->opts; o && o->name; o++) {
		char *t = opt_text(o);

		fprintf(out, "  %-24s %s\n", t, o->help);
		g_free(t);
	}
	if (cmd->flags & CMD_JSON)
		fprintf(out, "  %-24s %s\n", "--json", "print one JSON object");
	fprintf(out, "  %-24s %s\n", "--config FILE", "configuration file (default: "
		"$PEERMAIL_CONFIG, ./conf/peermail.conf, " PEERMAIL_SYSCONFDIR
		"/peermail/peermail.conf)");
	fprintf(out, "  %-24s %s\n", "-h, --help", "show this help");
}

/* cli_print_synopsis - `peermail help --synopsis` */
void cli_print_synopsis(FILE *out)
{
	for (const Cmd *c = cli_commands; c->name; c++) {
		char *u, *line;

		if (c->run == NULL)
			continue;
		if ((c->flags & CMD_SECTION) && c != cli_commands)
			fputc('\n', out);
		u = usage_line(c);
		line = g_strdup_printf("peermail %s", u);
		if (strlen(line) < SYNOPSIS_COLUMN - 1) {
			fprintf(out, "%-*s%s\n", SYNOPSIS_COLUMN, line, c->summary);
		} else {
			char *w = wrap(line);

			fprintf(out, "%s\n      %s\n", w, c->summary);
			g_free(w);
		}
		if (c->doc) {
			char **v = g_strsplit(c->doc, "\n", -1);

			for (int i = 0; v[i]; i++)
				fprintf(out, "      %s\n", v[i]);
			g_strfreev(v);
		}
		g_free(line);
		g_free(u);
	}
}

/* group_usage - a group named without (or with an unknown) subcommand */
static gboolean group_usage(const Cmd *group, int argc, char **argv, GError **error)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		cli_print_cmd_help(group, stdout);
		return TRUE;
	}
	fprintf(stderr, "Usage:\n");
	print_subs(group, stderr);
	if (argc < 1)
		g_set_error(error, PM_ERROR, EX_USAGE, "%s: which command?", group->name);
	else
		g_set_error(error, PM_ERROR, EX_USAGE, "%s: unknown command '%s'", group->name,
			    argv[0]);
	return FALSE;
}

/* cli_arg_id - a positive integer argument */
gboolean cli_arg_id(CmdCtx *c, int i, gint64 *id, GError **error)
{
	if (i >= c->argc || !g_ascii_string_to_signed(c->argv[i], 10, 1, G_MAXINT64, id, NULL))
		return cli_usage_error(c->cmd, error);
	return TRUE;
}

/* ==== Running a row ==== */

/* field - the CmdOpts field of option o */
static gpointer field(CmdOpts *opts, const CmdOpt *o)
{
	return (char *)opts + o->offset;
}

/* opts_clear - free the strings the parser stored */
static void opts_clear(const Cmd *cmd, CmdOpts *opts)
{
	for (const CmdOpt *o = cmd->opts; o && o->name; o++) {
		if (o->arg == G_OPTION_ARG_STRING || o->arg == G_OPTION_ARG_FILENAME)
			g_free(*(char **)field(opts, o));
		else if (o->arg == G_OPTION_ARG_STRING_ARRAY)
			g_strfreev(*(char ***)field(opts, o));
	}
}

/* parse - the options of cmd out of argv[0..argc) (argv[0] names the program); leaves the
 * positional arguments in *argc, *argv */
static gboolean parse(const Cmd *cmd, CmdOpts *opts, int *argc, char ***argv, GError **error)
{
	char *cfg = NULL;
	GArray *entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	GOptionEntry e = { "config", 0, 0, G_OPTION_ARG_FILENAME, &cfg, "configuration file",
			   "FILE" };
	GOptionContext *ctx = g_option_context_new(NULL);
	GError *err = NULL;
	gboolean ok;

	g_array_append_val(entries, e);
	e = (GOptionEntry){ "help", 'h', 0, G_OPTION_ARG_NONE, &opts->help, "help", NULL };
	g_array_append_val(entries, e);
	for (const CmdOpt *o = cmd->opts; o && o->name; o++) {
		e = (GOptionEntry){ o->name, 0, 0, o->arg, field(opts, o), o->help, o->value };
		if (o->arg == G_OPTION_ARG_INT)
			*(int *)field(opts, o) = o->initial;
		g_array_append_val(entries, e);
	}
	if (cmd->flags & CMD_JSON) {
		e = (GOptionEntry){ "json", 0, 0, G_OPTION_ARG_NONE, &opts->json, "JSON", NULL };
		g_array_append_val(entries, e);
	}
	g_option_context_set_help_enabled(ctx, FALSE);
	g_option_context_add_main_entries(ctx, (GOptionEntry *)(void *)entries->data, NULL);
	g_option_context_set_strict_posix(ctx, FALSE);
	ok = g_option_context_parse(ctx, argc, argv, &err);
	if (!ok) {
		g_set_error(error, PM_ERROR, EX_USAGE, "%s (see `peermail %s --help`)",
			    err->message, cmd->name);
		g_error_free(err);
	} else if (cfg) {
		cli_set_config_path(cfg);
	}
	g_free(cfg);
	g_option_context_free(ctx);
	g_array_free(entries, TRUE);
	return ok;
}

/* required_missing - a required option was not given */
static gboolean required_missing(const Cmd *cmd, CmdOpts *opts)
{
	for (const CmdOpt *o = cmd->opts; o && o->name; o++)
		if ((o->flags & OPT_REQUIRED) && *(gpointer *)field(opts, o) == NULL)
			return TRUE;
	return FALSE;
}

/* open_needs - what cmd's flags ask for, into c */
static gboolean open_needs(CmdCtx *c, GError **error)
{
	int f = c->cmd->flags;

	if (f & (CMD_CONFIG | CMD_DB | CMD_SECRET)) {
		if ((c->cfg = cli_config(error)) == NULL)
			return FALSE;
	} else if ((f & CMD_CONFIG_OPTIONAL) && !cli_config_optional(&c->cfg, error)) {
		return FALSE;
	}
	if ((f & CMD_DB) && (c->db = cli_db(error)) == NULL)
		return FALSE;
	if ((f & CMD_SECRET) && (c->key = cli_secret(error)) == NULL)
		return FALSE;
	return TRUE;
}

/* cli_run - parse, check, open, run, commit, print */
gboolean cli_run(const Cmd *cmd, int words, int argc, char **argv, GError **error)
{
	CmdOpts opts = { 0 };
	CmdCtx c = { 0 };
	ArgSpec s;
	char **pargv;
	int pargc = argc - words + 1;
	gboolean ok = FALSE;

	if (cmd->run == NULL)
		return group_usage(cmd, argc - words, argv + words, error);
	if (cmd->flags & CMD_MTA)
		inbound_exit_guard();
	/* the parser sees "peermail CMD ARGS..." (argv[0] is the program) */
	pargv = g_new0(char *, pargc + 1);
	pargv[0] = (char *)cmd->name;
	for (int i = words; i < argc; i++)
		pargv[i - words + 1] = argv[i];
	c.cmd = cmd;
	c.o = &opts;
	c.out = g_string_new(NULL);
	arg_spec(cmd, &s);
	if (!parse(cmd, &opts, &pargc, &pargv, error))
		goto out;
	if (opts.help) {
		cli_print_cmd_help(cmd, stdout);
		ok = TRUE;
		goto out;
	}
	c.argc = pargc - 1;
	c.argv = pargv + 1;
	if (c.argc < s.min || (s.max >= 0 && c.argc > s.max) || required_missing(cmd, &opts)) {
		cli_usage_error(cmd, error);
		goto out;
	}
	if (!open_needs(&c, error))
		goto out;
	if ((cmd->flags & CMD_TXN) && !db_begin(c.db, error))
		goto out;
	ok = cmd->run(&c, error);
	if (cmd->flags & CMD_TXN) {
		if (ok)
			ok = db_commit(c.db, error);
		if (!ok)
			db_rollback(c.db);
	}
	if (ok && c.out->len && (fputs(c.out->str, stdout) < 0 || fflush(stdout) != 0)) {
		g_set_error(error, PM_ERROR, EX_IOERR, "cannot write the output");
		ok = FALSE;
	}
out:
	if (!ok && (cmd->flags & CMD_MTA))
		inbound_exit_error(error);
	arg_spec_clear(&s);
	opts_clear(cmd, &opts);
	g_string_free(c.out, TRUE);
	g_free(pargv);
	return ok;
}
