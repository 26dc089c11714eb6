/*
 * cmd_template.c - `peermail template render FILE [--data FILE.json] [--partials DIR]`.
 *
 * Lets an organizer check a template: renders FILE with the JSON data and prints the
 * result exactly (no newline added). {{x}} is HTML-escaped when FILE ends in .html.
 * Partials come from --partials DIR, or FILE's own folder. With a configuration, the names
 * compose_message adds (domain, from, help_address...) are added under the data too;
 * without one (none named, no default file) the command still works; a configuration that
 * exists but is broken is an error (78), as for every command.
 *
 * DIAGNOSTICS: 64 usage, 66 missing FILE, data file or partials folder, 65 bad JSON or
 * template syntax (with FILE:LINE).
 */
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "mail/compose.h"
#include "base/pm.h"
#include "mail/template.h"

/* load_data - the JSON in path, or an empty object for NULL; caller unrefs */
static JsonNode *load_data(const char *path, GError **error)
{
	JsonParser *p;
	JsonNode *root = NULL;
	GError *e = NULL;

	if (path == NULL)
		return json_node_init_object(json_node_alloc(), json_object_new());
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "cannot read data file %s", path);
		return NULL;
	}
	p = json_parser_new();
	if (json_parser_load_from_file(p, path, &e)) {
		root = json_node_copy(json_parser_get_root(p));
	} else {
		/* json-glib messages carry LINE:COLUMN; prefix the file */
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s:%s", path, e->message);
		g_error_free(e);
	}
	g_object_unref(p);
	if (root == NULL && error && *error == NULL)
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s: empty data", path);
	return root;
}

/* render - the `template render` subcommand */
static gboolean render(int argc, char **argv, GError **error)
{
	char *data_file = NULL, *partials = NULL, *text = NULL, *out = NULL, *dir = NULL;
	GOptionEntry entries[] = {
		{ "data", 0, 0, G_OPTION_ARG_FILENAME, &data_file, "template data (JSON object)",
		  "FILE.json" },
		{ "partials", 0, 0, G_OPTION_ARG_FILENAME, &partials,
		  "folder of NAME.mustache partials (default: FILE's folder)", "DIR" },
		G_OPTION_ENTRY_NULL
	};
	JsonNode *data = NULL;
	const PmConfig *cfg = NULL;
	GError *e = NULL;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "FILE",
		       "Render a Mustache template with JSON data and print the result. {{x}} is "
		       "HTML-escaped when FILE ends in .html.", entries, error))
		goto out;
	if (argc != 2) {
		cli_usage_error(error, "template render FILE [--data FILE.json] [--partials DIR]");
		goto out;
	}
	if (!g_file_get_contents(argv[1], &text, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "cannot read template %s: %s", argv[1],
			    e->message);
		g_error_free(e);
		goto out;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s: not valid UTF-8", argv[1]);
		goto out;
	}
	dir = partials ? g_strdup(partials) : g_path_get_dirname(argv[1]);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "partials folder %s does not exist", dir);
		goto out;
	}
	if ((data = load_data(data_file, error)) == NULL)
		goto out;
	if (!cli_config_optional(&cfg, error))
		goto out;
	{
		JsonNode *ctx[2] = { cfg ? compose_defaults(cfg) : NULL, data };
		Template *t = template_parse(text, &e);

		if (t)
			out = template_expand(t, ctx[0] ? ctx : ctx + 1, ctx[0] ? 2 : 1,
					      g_str_has_suffix(argv[1], ".html"),
					      template_partials_dir, dir, &e);
		template_unref(t);
		if (ctx[0])
			json_node_unref(ctx[0]);
	}
	if (out == NULL) {
		/* "line N: ..." becomes "FILE:N: ..." */
		int line = 0, used = 0;

		if (sscanf(e->message, "line %d: %n", &line, &used) == 1 && used > 0)
			g_set_error(error, PM_ERROR, EX_DATAERR, "%s:%d: %s", argv[1], line,
				    e->message + used);
		else
			g_set_error(error, PM_ERROR, EX_DATAERR, "%s: %s", argv[1], e->message);
		g_error_free(e);
		goto out;
	}
	fputs(out, stdout);
	ok = fflush(stdout) == 0;
	if (!ok)
		g_set_error(error, PM_ERROR, EX_IOERR, "cannot write the output");
out:
	if (data)
		json_node_unref(data);
	g_free(out);
	g_free(dir);
	g_free(text);
	g_free(partials);
	g_free(data_file);
	return ok;
}

static const CmdInfo template_cmds[] = {
	{ "render", render, "render FILE [--data FILE.json] [--partials DIR]",
	  "render a Mustache template and print it" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_template - `peermail template SUBCOMMAND` */
gboolean cmd_template(int argc, char **argv, GError **error)
{
	return cli_dispatch(template_cmds, "template", argc, argv, error);
}
