/*
 * cmd_member.c - `peermail member add|import|export|show|forget`.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "model/csvio.h"
#include "model/list.h"
#include "model/member.h"
#include "model/member_forget.h"
#include "base/pm.h"
#include "model/stats.h"

/* print a JSON node (consumed) as one line */
/* need_list - the list named name, or an EX_NOUSER error */
static List *need_list(PmDb *db, const PmConfig *cfg, const char *name, GError **error)
{
	GError *e = NULL;
	List *l = list_find(db, cfg, name, &e);

	if (e)
		g_propagate_error(error, e);
	else if (l == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no list '%s' (peermail list create %s)",
			    name, name);
	return l;
}

/* need_member - the member with address email, or an EX_NOUSER error */
static Member *need_member(PmDb *db, const PmConfig *cfg, const char *email, GError **error)
{
	GError *e = NULL;
	Member *m = member_find(db, cfg, email, &e);

	if (e)
		g_propagate_error(error, e);
	else if (m == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no member %s", email);
	return m;
}

/* subscribe - subscribe member to l as an organizer's add: new or pending become active */
static gboolean subscribe(PmDb *db, const List *l, gint64 member, const char *email,
			  GError **error)
{
	GError *e = NULL;
	SubscriptionStatus s = subscription_status(db, l->id, member, &e);
	gboolean ok = e == NULL;

	if (ok && (s == SUBSCRIPTION_STATUS_NONE || s == SUBSCRIPTION_STATUS_PENDING))
		ok = subscription_set(db, l->id, member, SUBSCRIPTION_STATUS_ACTIVE, &e);
	else if (ok && s != SUBSCRIPTION_STATUS_ACTIVE)
		fprintf(stderr, "peermail: %s is %s on %s: left so (resubscribing needs their "
			"own confirmation by mail)\n", email, subscription_status_name(s), l->name);
	if (e)
		g_propagate_error(error, e);
	return ok;
}

/* member_add - `member add EMAIL ...` */
static gboolean member_add(int argc, char **argv, GError **error)
{
	char *name = NULL, *postcode = NULL, *district = NULL, **lists = NULL;
	GOptionEntry entries[] = {
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "display name", "N" },
		{ "postcode", 0, 0, G_OPTION_ARG_STRING, &postcode, "postcode", "P" },
		{ "district", 0, 0, G_OPTION_ARG_STRING, &district, "district (else from the postcode)", "D" },
		{ "list", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lists, "subscribe to list (repeatable)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	gint64 id = 0;
	gboolean created = FALSE, suppressed = FALSE, ok = FALSE;

	if (!cli_parse(&argc, &argv, "EMAIL", "Add a member, or update one, and subscribe them "
		       "to lists (the organizer's add is the consent record).", entries, error))
		goto out;
	if (argc != 2) {
		cli_usage_error(error, "member add EMAIL [--name N] [--postcode P] [--district D] "
				"[--list NAME]...");
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (key = cli_secret(error)) == NULL ||
	    (db = cli_db(error)) == NULL)
		goto out;
	if (!db_begin(db, error))
		goto out;
	if (!member_suppressed(db, cfg, key, argv[1], &suppressed, error)) {
		db_rollback(db);
		goto out;
	}
	if (suppressed) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s asked to be forgotten: not added again "
			    "(they can still sign or subscribe by mail themselves)", argv[1]);
		db_rollback(db);
		goto out;
	}
	id = member_upsert_ex(db, cfg, argv[1], name, postcode, district, TRUE, &created, error);
	ok = id != 0;
	for (int i = 0; ok && lists && lists[i]; i++) {
		List *l = need_list(db, cfg, lists[i], error);

		ok = l && subscribe(db, l, id, argv[1], error);
		list_free(l);
	}
	if (ok)
		ok = db_commit(db, error);
	if (!ok)
		db_rollback(db);
	else
		printf("%s member %" G_GINT64_FORMAT "\n", created ? "added" : "updated", id);
out:
	g_free(name);
	g_free(postcode);
	g_free(district);
	g_strfreev(lists);
	return ok;
}

/* member_import - `member import FILE.csv [--list NAME]` */
static gboolean member_import(int argc, char **argv, GError **error)
{
	char *list = NULL;
	GOptionEntry entries[] = {
		{ "list", 0, 0, G_OPTION_ARG_STRING, &list, "subscribe everyone to list", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	List *l = NULL;
	CsvioStats st = { 0 };
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "FILE.csv", "Import members from CSV (header row: email, "
		       "name, postcode, district in any order). Re-importing updates.", entries,
		       error))
		goto out;
	if (argc != 2) {
		cli_usage_error(error, "member import FILE.csv [--list NAME]");
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	if (list && (l = need_list(db, cfg, list, error)) == NULL)
		goto out;
	if ((key = cli_secret(error)) == NULL)
		goto out;
	ok = csvio_import_members(db, cfg, key, argv[1], l ? l->id : 0, &st, error);
	for (guint i = 0; st.problems && i < st.problems->len; i++)
		fprintf(stderr, "peermail: %s: %s\n", argv[1], (char *)st.problems->pdata[i]);
	if (ok)
		printf("imported %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT ", skipped %"
		       G_GINT64_FORMAT " (bad rows)\n", st.imported, st.updated, st.skipped);
out:
	csvio_stats_clear(&st);
	list_free(l);
	g_free(list);
	return ok;
}

/* member_export - `member export [--list NAME]` */
static gboolean member_export(int argc, char **argv, GError **error)
{
	char *list = NULL;
	GOptionEntry entries[] = {
		{ "list", 0, 0, G_OPTION_ARG_STRING, &list, "only this list's members", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	List *l = NULL;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, NULL, "Members as CSV on stdout.", entries, error))
		goto out;
	if (argc != 1) {
		cli_usage_error(error, "member export [--list NAME]");
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	if (list && (l = need_list(db, cfg, list, error)) == NULL)
		goto out;
	ok = csvio_export_members(db, l ? l->id : 0, stdout, error);
	if (fflush(stdout) != 0 && ok) {
		g_set_error(error, PM_ERROR, EX_IOERR, "writing the CSV failed");
		ok = FALSE;
	}
out:
	list_free(l);
	g_free(list);
	return ok;
}

/* member_show - `member show EMAIL [--json]` */
static gboolean member_show(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	Member *m;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, "EMAIL", "Everything stored about a member.", entries, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "member show EMAIL [--json]");
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if ((m = need_member(db, cfg, argv[1], error)) == NULL)
		return FALSE;
	n = member_dump_json(db, m, error);
	member_free(m);
	if (n == NULL)
		return FALSE;
	stats_print(n, !json);
	return TRUE;
}

/* member_forget_cmd - `member forget EMAIL` */
static gboolean member_forget_cmd(int argc, char **argv, GError **error)
{
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	Member *m;
	gboolean ok;

	if (!cli_parse(&argc, &argv, "EMAIL", "Erase a member's personal data (GDPR), keeping "
		       "anonymous counts; no further mail goes to them.", NULL, error))
		return FALSE;
	if (argc != 2)
		return cli_usage_error(error, "member forget EMAIL");
	if ((cfg = cli_config(error)) == NULL || (key = cli_secret(error)) == NULL ||
	    (db = cli_db(error)) == NULL)
		return FALSE;
	if (!db_begin(db, error))
		return FALSE;
	if ((m = need_member(db, cfg, argv[1], error)) == NULL) {
		db_rollback(db);
		return FALSE;
	}
	ok = member_forget(db, key, m->id, error) && db_commit(db, error);
	if (!ok)
		db_rollback(db);
	else
		printf("forgot member %" G_GINT64_FORMAT "\n", m->id);
	member_free(m);
	return ok;
}

static const CmdInfo member_cmds[] = {
	{ "add", member_add, "add EMAIL [--name N] [--list NAME]...", "add or update a member" },
	{ "import", member_import, "import FILE.csv [--list NAME]", "import members from CSV" },
	{ "export", member_export, "export [--list NAME]", "members as CSV on stdout" },
	{ "show", member_show, "show EMAIL [--json]", "everything stored about a member" },
	{ "forget", member_forget_cmd, "forget EMAIL", "erase a member's personal data" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_member - `peermail member ...` */
gboolean cmd_member(int argc, char **argv, GError **error)
{
	return cli_dispatch(member_cmds, "member", argc, argv, error);
}
