/*
 * cmd_district.c - `peermail district import|ls`: the postcode -> district lookup that
 * routes signatures to the targets of their district.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "model/district.h"
#include "model/district_import.h"

/* cmd_district_import - `district import FILE.csv [--rederive]` */
gboolean cmd_district_import(CmdCtx *c, GError **error)
{
	gint64 rows = 0, members = 0;

	if (!district_import(c->db, c->argv[0], c->o->rederive, &rows, &members, error))
		return FALSE;
	g_string_append_printf(c->out, "%" G_GINT64_FORMAT " prefixes imported, %"
			       G_GINT64_FORMAT " members' districts set\n", rows, members);
	return TRUE;
}

/* cmd_district_ls - `district ls [--json]` */
gboolean cmd_district_ls(CmdCtx *c, GError **error)
{
	DistrictTable *t = district_table(c->db, error);

	if (t == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "districts");
		for (guint i = 0; i < t->prefixes->len; i++) {
			const DistrictPrefix *x = t->prefixes->pdata[i];

			json_put_object(b, NULL);
			json_put_str(b, "prefix", x->prefix);
			json_put_str(b, "district", x->district);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_put_object(b, "members");
		for (guint i = 0; i < t->members->len; i++) {
			const DistrictCount *x = t->members->pdata[i];

			json_put_int(b, x->district, x->members);
		}
		json_builder_end_object(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < t->prefixes->len; i++) {
		const DistrictPrefix *x = t->prefixes->pdata[i];

		g_string_append_printf(c->out, "%s\t%s\n", x->prefix, x->district);
	}
	district_table_free(t);
	return TRUE;
}
