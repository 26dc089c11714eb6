/*
 * cmd_target.c - `peermail target add|edit|ls`: the people deliveries go to.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "model/delivery.h"

/* cmd_target_add - `target add NAME --email ADDR [--district D] [--title T] ...` */
gboolean cmd_target_add(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	gint64 id = target_add(c->db, c->cfg, c->argv[0], o->email, o->title, o->district,
			       o->petitions, error);

	if (id)
		g_string_append_printf(c->out, "target %" G_GINT64_FORMAT "\n", id);
	return id != 0;
}

/* cmd_target_edit - `target edit ID [--email ADDR] [--name N] [--title T] [--district D]` */
gboolean cmd_target_edit(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error) ||
	    !target_update(c->db, id, o->name, o->email, o->title, o->district, error))
		return FALSE;
	g_string_append_printf(c->out, "target %" G_GINT64_FORMAT "\n", id);
	return TRUE;
}

/* cmd_target_ls - `target ls [--json]` */
gboolean cmd_target_ls(CmdCtx *c, GError **error)
{
	GPtrArray *targets = target_list(c->db, error);

	if (targets == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "targets");
		for (guint i = 0; i < targets->len; i++) {
			const Target *t = targets->pdata[i];

			json_put_object(b, NULL);
			json_put_int(b, "id", t->id);
			json_put_str(b, "name", t->name);
			json_put_str(b, "email", t->email);
			json_put_str(b, "title", t->title);
			json_put_str(b, "district", t->district);
			json_put_strv(b, "petitions", (const char *const *)t->petitions);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < targets->len; i++) {
		const Target *t = targets->pdata[i];
		char *slugs = g_strjoinv(",", t->petitions);

		g_string_append_printf(c->out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", t->id,
				       t->name, t->email,
				       t->district && *t->district ? t->district : "(all districts)",
				       *slugs ? slugs : "-");
		g_free(slugs);
	}
	g_ptr_array_unref(targets);
	return TRUE;
}
