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
#include "cli/cmd.h"
#include "mail/compose.h"

/* cmd_template_render - `template render FILE [--data FILE.json] [--partials DIR]` */
gboolean cmd_template_render(CmdCtx *c, GError **error)
{
	char *out = compose_render_file(c->cfg, c->argv[0], c->o->data, c->o->partials, error);

	if (out == NULL)
		return FALSE;
	/* exactly the result: no newline added */
	g_string_append(c->out, out);
	g_free(out);
	return TRUE;
}
