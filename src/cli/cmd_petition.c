/*
 * cmd_petition.c - `peermail petition create|open|close|show|signatures|import|ls`.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "model/csvio.h"
#include "model/petition.h"
#include "base/pm.h"
#include "model/stats.h"

/* need_petition - the petition slug, or an EX_NOUSER error */
static Petition *need_petition(PmDb *db, const char *slug, GError **error)
{
	GError *e = NULL;
	Petition *p = petition_find(db, slug, &e);

	if (e)
		g_propagate_error(error, e);
	else if (p == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no petition '%s'", slug);
	return p;
}

/* petition_create_cmd - `petition create SLUG ...` */
static gboolean petition_create_cmd(int argc, char **argv, GError **error)
{
	char *title = NULL, *text_file = NULL, *closes = NULL, *text = NULL;
	gint64 goal = 0, closes_at = 0, id = 0;
	GOptionEntry entries[] = {
		{ "title", 0, 0, G_OPTION_ARG_STRING, &title, "title", "T" },
		{ "text", 0, 0, G_OPTION_ARG_FILENAME, &text_file, "file holding the petition's text", "FILE" },
		{ "goal", 0, 0, G_OPTION_ARG_INT64, &goal, "signatures wanted (milestones at 25/50/75/100% and each multiple)", "N" },
		{ "closes", 0, 0, G_OPTION_ARG_STRING, &closes, "closing date (YYYY-MM-DD or ISO 8601, local time unless a zone is given)", "DATE" },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	GError *e = NULL;

	if (!cli_parse(&argc, &argv, "SLUG", "Create an open petition (signed by mail to "
		       "sign+SLUG@domain).", entries, error))
		goto out;
	if (argc != 2 || title == NULL || text_file == NULL) {
		cli_usage_error(error, "petition create SLUG --title T --text FILE [--goal N] "
				"[--closes DATE]");
		goto out;
	}
	if (closes && (closes_at = csvio_parse_time(closes)) == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--closes '%s' is not a date (YYYY-MM-DD or "
			    "ISO 8601)", closes);
		goto out;
	}
	if (!g_file_get_contents(text_file, &text, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		goto out;
	}
	if (!g_utf8_validate(text, -1, NULL) || !g_utf8_validate(title, -1, NULL)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "the title and text must be UTF-8");
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	id = petition_create(db, cfg, argv[1], title, g_strstrip(text), goal, closes_at, error);
	if (id)
		printf("petition %" G_GINT64_FORMAT "\n", id);
out:
	g_free(title);
	g_free(text_file);
	g_free(closes);
	g_free(text);
	return id != 0;
}

/* petition_state_cmd - `petition open|close SLUG` */
static gboolean petition_state_cmd(int argc, char **argv, PetitionStatus status,
				   GError **error)
{
	PmDb *db;
	Petition *p;
	gboolean ok;

	if (!cli_parse(&argc, &argv, "SLUG", status == PETITION_STATUS_OPEN ?
		       "Open a petition for signatures." : "Close a petition: new signatures are "
		       "refused with a polite reply.", NULL, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, status == PETITION_STATUS_OPEN ?
				       "petition open SLUG" : "petition close SLUG");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if ((p = need_petition(db, argv[1], error)) == NULL)
		return FALSE;
	ok = petition_set_status(db, p->id, status, error);
	/* reopening after the closing date: the date no longer applies */
	if (ok && status == PETITION_STATUS_OPEN && p->closes_at && p->closes_at <= pm_now())
		ok = petition_clear_closing(db, p->id, error);
	if (ok)
		printf("petition %s %s\n", p->slug, petition_status_name(status));
	petition_free(p);
	return ok;
}

/* petition_open_cmd - `petition open SLUG` */
static gboolean petition_open_cmd(int argc, char **argv, GError **error)
{
	return petition_state_cmd(argc, argv, PETITION_STATUS_OPEN, error);
}

/* petition_close_cmd - `petition close SLUG` */
static gboolean petition_close_cmd(int argc, char **argv, GError **error)
{
	return petition_state_cmd(argc, argv, PETITION_STATUS_CLOSED, error);
}

/* petition_show_cmd - `petition show SLUG [--json]` */
static gboolean petition_show_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	Petition *p;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, "SLUG", "A petition and its signature counts.", entries, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "petition show SLUG [--json]");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if ((p = need_petition(db, argv[1], error)) == NULL)
		return FALSE;
	n = stats_petition_json(db, p, !json, error);
	if (n && json) {
		stats_print(n, FALSE);
	} else if (n) {
		JsonObject *o = json_node_get_object(n);
		JsonObject *s = json_object_get_object_member(o, "signatures");
		JsonObject *d = json_object_get_object_member(o, "by_district");
		GList *keys = json_object_get_members(d);

		printf("slug: %s\ntitle: %s\nstatus: %s\ngoal: %" G_GINT64_FORMAT "\nconfirmed: %"
		       G_GINT64_FORMAT "\npending: %" G_GINT64_FORMAT "\n", p->slug, p->title,
		       petition_status_name(p->status), p->goal,
		       json_object_get_int_member(s, "confirmed"),
		       json_object_get_int_member(s, "pending"));
		for (GList *k = keys; k; k = k->next)
			printf("district %s: %" G_GINT64_FORMAT "\n", (char *)k->data,
			       json_object_get_int_member(d, k->data));
		g_list_free(keys);
		json_node_unref(n);
	}
	petition_free(p);
	return n != NULL;
}

/* petition_signatures_cmd - `petition signatures SLUG [--csv]` */
static gboolean petition_signatures_cmd(int argc, char **argv, GError **error)
{
	gboolean csv = FALSE;
	GOptionEntry entries[] = {
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV (the default; kept for scripts)", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	Petition *p;
	gboolean ok;

	if (!cli_parse(&argc, &argv, "SLUG", "A petition's signatures as CSV: email, name, "
		       "postcode, district, status, source, comment, signed_at.", entries, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "petition signatures SLUG [--csv]");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if ((p = need_petition(db, argv[1], error)) == NULL)
		return FALSE;
	ok = csvio_export_signatures(db, p->id, stdout, error);
	fflush(stdout);
	petition_free(p);
	return ok;
}

/* petition_import_cmd - `petition import SLUG FILE.csv` */
static gboolean petition_import_cmd(int argc, char **argv, GError **error)
{
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	Petition *p;
	CsvioStats st = { 0 };
	gboolean ok;

	if (!cli_parse(&argc, &argv, "SLUG FILE.csv", "Import signatures gathered elsewhere "
		       "(confirmed, source 'import'): columns email, name, postcode, district, "
		       "comment, signed_at.", NULL, error))
		return FALSE;
	if (argc != 3)
		return cli_usage_error(error, "petition import SLUG FILE.csv");
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if ((key = cli_secret(error)) == NULL || (p = need_petition(db, argv[1], error)) == NULL)
		return FALSE;
	ok = csvio_import_signatures(db, cfg, key, p->id, argv[2], &st, error);
	for (guint i = 0; st.problems && i < st.problems->len; i++)
		fprintf(stderr, "peermail: %s: %s\n", argv[2], (char *)st.problems->pdata[i]);
	if (ok)
		printf("imported %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT ", skipped %"
		       G_GINT64_FORMAT " (bad rows)\n", st.imported, st.updated, st.skipped);
	csvio_stats_clear(&st);
	petition_free(p);
	return ok;
}

/* petition_ls_cmd - `petition ls [--json]` */
static gboolean petition_ls_cmd(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonBuilder *b;
	GArray *ids;
	gboolean ok = TRUE;

	if (!cli_parse(&argc, &argv, NULL, "The petitions and their counts.", entries, error) ||
	    (argc != 1 && !cli_usage_error(error, "petition ls [--json]")) ||
	    cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	ids = petition_list_ids(db, error);
	ok = ids != NULL;
	if (ids == NULL)
		ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "petitions");
	json_builder_begin_array(b);
	for (guint i = 0; ok && i < ids->len; i++) {
		Petition *p = petition_get(db, g_array_index(ids, gint64, i), error);
		JsonNode *n = p ? stats_petition_json(db, p, FALSE, error) : NULL;

		ok = n != NULL;
		if (ok && !json) {
			JsonObject *s = json_object_get_object_member(json_node_get_object(n),
								      "signatures");
			printf("%-24s %-7s %8" G_GINT64_FORMAT " / %-8" G_GINT64_FORMAT " %s\n",
			       p->slug, petition_status_name(p->status),
			       json_object_get_int_member(s, "confirmed"),
			       p->goal, p->title);
		}
		if (n)
			json_builder_add_value(b, n);
		petition_free(p);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	if (ok && json)
		cli_print_json(b);
	else
		g_object_unref(b);
	g_array_free(ids, TRUE);
	return ok;
}

static const CmdInfo petition_cmds[] = {
	{ "create", petition_create_cmd, "create SLUG --title T --text FILE [--goal N] [--closes DATE]",
	  "create a petition" },
	{ "open", petition_open_cmd, "open SLUG", "accept signatures" },
	{ "close", petition_close_cmd, "close SLUG", "refuse new signatures" },
	{ "show", petition_show_cmd, "show SLUG [--json]", "counts, by district" },
	{ "signatures", petition_signatures_cmd, "signatures SLUG [--csv]", "signatures as CSV" },
	{ "import", petition_import_cmd, "import SLUG FILE.csv", "import signatures from CSV" },
	{ "ls", petition_ls_cmd, "ls [--json]", "the petitions" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_petition - `peermail petition ...` */
gboolean cmd_petition(int argc, char **argv, GError **error)
{
	return cli_dispatch(petition_cmds, "petition", argc, argv, error);
}
