/*
 * cmd_newsletter.c - `peermail newsletter create|preview|schedule|send|cancel|status|ls`.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "model/csvio.h"
#include "base/log.h"
#include "model/newsletter.h"
#include "produce/newsletter_render.h"
#include "run/send_now.h"
#include "base/pm.h"
#include "model/stats.h"

/* parse_id - parse the ID argument */
static gboolean parse_id(int argc, char **argv, gint64 *id, const char *usage, GError **error)
{
	if (argc != 2 || !g_ascii_string_to_signed(argv[1], 10, 1, G_MAXINT64, id, NULL))
		return cli_usage_error(error, usage);
	return TRUE;
}

/* nl_create - `newsletter create ...` */
static gboolean nl_create(int argc, char **argv, GError **error)
{
	char *list = NULL, *subject = NULL, *body_file = NULL, *petition = NULL, *tmpl = NULL;
	char *body = NULL;
	gboolean skip_signed = FALSE;
	GOptionEntry entries[] = {
		{ "list", 0, 0, G_OPTION_ARG_STRING, &list, "the list it goes to", "NAME" },
		{ "subject", 0, 0, G_OPTION_ARG_STRING, &subject, "subject (Mustache)", "S" },
		{ "body", 0, 0, G_OPTION_ARG_FILENAME, &body, "Markdown + Mustache body", "FILE.md" },
		{ "petition", 0, 0, G_OPTION_ARG_STRING, &petition, "link a petition: each copy's Reply-To signs it", "SLUG" },
		{ "template", 0, 0, G_OPTION_ARG_STRING, &tmpl, "message template (default: newsletter)", "NAME" },
		{ "skip-signed", 0, 0, G_OPTION_ARG_NONE, &skip_signed, "leave out members who signed the petition", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	GError *e = NULL;
	gint64 id = 0;

	if (!cli_parse(&argc, &argv, NULL, "Create a newsletter (a draft); prints its id.",
		       entries, error))
		goto out;
	if (argc != 1 || list == NULL || subject == NULL || body == NULL) {
		cli_usage_error(error, "newsletter create --list NAME --subject S --body FILE.md "
				"[--petition SLUG] [--template NAME] [--skip-signed]");
		goto out;
	}
	body_file = body;
	body = NULL;
	if (!g_file_get_contents(body_file, &body, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	id = newsletter_create(db, cfg, list, subject, body, petition, tmpl, skip_signed, NULL,
			       error);
	if (id)
		printf("%" G_GINT64_FORMAT "\n", id);
out:
	g_free(list);
	g_free(subject);
	g_free(body_file);
	g_free(body);
	g_free(petition);
	g_free(tmpl);
	return id != 0;
}

/* nl_schedule - `newsletter schedule ID --at TIME` */
static gboolean nl_schedule(int argc, char **argv, GError **error)
{
	char *at = NULL;
	GOptionEntry entries[] = {
		{ "at", 0, 0, G_OPTION_ARG_STRING, &at, "when: local time 'YYYY-MM-DD HH:MM' or ISO 8601", "TIME" },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	gint64 id, when;
	gboolean ok = FALSE;

	if (!cli_parse(&argc, &argv, "ID", "Schedule a newsletter (`peermail run` sends it "
		       "when due).", entries, error))
		goto out;
	if (!parse_id(argc, argv, &id, "newsletter schedule ID --at TIME", error))
		goto out;
	if (at == NULL) {
		cli_usage_error(error, "newsletter schedule ID --at TIME");
		goto out;
	}
	if ((when = csvio_parse_time(at)) == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--at '%s' is not a time (YYYY-MM-DD HH:MM "
			    "local, or ISO 8601)", at);
		goto out;
	}
	if (when <= pm_now()) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "--at %s is in the past (use "
			    "`newsletter send` to send now)", at);
		goto out;
	}
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		goto out;
	ok = newsletter_schedule(db, id, when, error);
	if (ok) {
		char *iso = pm_time_iso(when);
		printf("newsletter %" G_GINT64_FORMAT " scheduled for %s\n", id, iso);
		g_free(iso);
	}
out:
	g_free(at);
	return ok;
}

/* The only mutable global: set by SIGTERM/SIGINT during `send --wait`. */
static volatile sig_atomic_t send_stop;

/* on_stop - SIGTERM/SIGINT during send --wait: finish what is in flight, then stop */
static void on_stop(int sig)
{
	send_stop = 1;
}

/* nl_preview - `newsletter preview ID --to ADDR` */
static gboolean nl_preview(int argc, char **argv, GError **error)
{
	char *to = NULL;
	GOptionEntry entries[] = {
		{ "to", 0, 0, G_OPTION_ARG_STRING, &to, "the address to send the copy to", "ADDR" },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;
	gint64 id, oid = 0;

	if (!cli_parse(&argc, &argv, "ID", "Queue one rendered copy to ADDR (as that member "
		       "would get it, or with sample data); `peermail run` sends it.", entries,
		       error))
		goto out;
	if (!parse_id(argc, argv, &id, "newsletter preview ID --to ADDR", error))
		goto out;
	if (to == NULL) {
		cli_usage_error(error, "newsletter preview ID --to ADDR");
		goto out;
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL ||
	    (key = cli_secret(error)) == NULL || !db_begin(db, error))
		goto out;
	oid = newsletter_preview(db, cfg, key, id, to, error);
	if (oid == 0 || !db_commit(db, error)) {
		db_rollback(db);
		oid = 0;
	} else {
		printf("preview of newsletter %" G_GINT64_FORMAT " queued to %s\n", id, to);
	}
	newsletter_cache_clear();
out:
	g_free(to);
	return oid != 0;
}

/* nl_send - `newsletter send ID [--wait]` */
static gboolean nl_send(int argc, char **argv, GError **error)
{
	gboolean wait = FALSE;
	GOptionEntry entries[] = {
		{ "wait", 0, 0, G_OPTION_ARG_NONE, &wait, "send it from this process now, with progress", NULL },
		G_OPTION_ENTRY_NULL
	};
	const PmConfig *cfg;
	PmDb *db;
	gint64 id;

	if (!cli_parse(&argc, &argv, "ID", "Send a newsletter now (the next `peermail run` pass, "
		       "or this process with --wait).", entries, error))
		return FALSE;
	if (!parse_id(argc, argv, &id, "newsletter send ID [--wait]", error))
		return FALSE;
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	{
		/* --wait on one already going out (a `run` started it) just follows it */
		Newsletter *n = newsletter_lookup(db, id, error);
		gboolean going;

		if (n == NULL)
			return FALSE;
		going = n->status == NEWSLETTER_STATUS_SENDING;
		newsletter_free(n);
		if (!(wait && going) && !newsletter_schedule(db, id, pm_now(), error))
			return FALSE;
	}
	if (!wait) {
		printf("newsletter %" G_GINT64_FORMAT " due now\n", id);
		return TRUE;
	}
	{
		const PmSecret *key = cli_secret(error);
		struct sigaction sa;
		gboolean ok;

		if (key == NULL)
			return FALSE;
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_stop;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		/* on a terminal the bar says it all: per-message log lines go to syslog only */
		if (isatty(STDERR_FILENO))
			log_set_quiet(TRUE);
		ok = newsletter_send_wait(db, cfg, key, id, &send_stop, error);
		newsletter_cache_clear();
		return ok;
	}
}

/* nl_cancel - `newsletter cancel ID` */
static gboolean nl_cancel(int argc, char **argv, GError **error)
{
	PmDb *db;
	gint64 id;
	gboolean ok;

	if (!cli_parse(&argc, &argv, "ID", "Cancel a newsletter, also mid-send: copies not yet "
		       "sent are not sent.", NULL, error))
		return FALSE;
	if (!parse_id(argc, argv, &id, "newsletter cancel ID", error))
		return FALSE;
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL || !db_begin(db, error))
		return FALSE;
	ok = newsletter_cancel(db, id, error) && db_commit(db, error);
	if (!ok)
		db_rollback(db);
	else
		printf("newsletter %" G_GINT64_FORMAT " cancelled\n", id);
	return ok;
}

/* nl_status - `newsletter status ID [--json]` */
static gboolean nl_status(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonNode *n;
	gint64 id;

	if (!cli_parse(&argc, &argv, "ID", "A newsletter's state and counts.", entries, error))
		return FALSE;
	if (!parse_id(argc, argv, &id, "newsletter status ID [--json]", error))
		return FALSE;
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	/* a newsletter whose last copies went out is sent (the next `run` would say so too) */
	if (!newsletter_finish(db, pm_now(), error) ||
	    (n = newsletter_status_json(db, id, error)) == NULL)
		return FALSE;
	if (json) {
		stats_print(n, FALSE);
	} else {
		JsonObject *o = json_node_get_object(n);
		GList *keys = json_object_get_members(o);

		for (GList *k = keys; k; k = k->next) {
			JsonNode *v = json_object_get_member(o, k->data);

			if (JSON_NODE_HOLDS_NULL(v))
				continue;
			if (json_node_get_value_type(v) == G_TYPE_STRING)
				printf("%s: %s\n", (char *)k->data, json_node_get_string(v));
			else
				printf("%s: %" G_GINT64_FORMAT "\n", (char *)k->data, json_node_get_int(v));
		}
		g_list_free(keys);
		json_node_unref(n);
	}
	return TRUE;
}

/* nl_ls - `newsletter ls [--json]` */
static gboolean nl_ls(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	PmDb *db;
	JsonNode *n;

	if (!cli_parse(&argc, &argv, NULL, "The newsletters, newest first.", entries, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "newsletter ls [--json]");
	if (cli_config(error) == NULL || (db = cli_db(error)) == NULL)
		return FALSE;
	if (!newsletter_finish(db, pm_now(), error) || (n = newsletter_list_json(db, error)) == NULL)
		return FALSE;
	if (json) {
		stats_print(n, FALSE);
	} else {
		JsonArray *a = json_object_get_array_member(json_node_get_object(n), "newsletters");

		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonObject *o = json_array_get_object_element(a, i);

			printf("%4" G_GINT64_FORMAT "  %-9s %-12s %6" G_GINT64_FORMAT " sent  %s\n",
			       json_object_get_int_member(o, "id"),
			       json_object_get_string_member(o, "status"),
			       json_object_get_string_member(o, "list"),
			       json_object_get_int_member(o, "sent"),
			       json_object_get_string_member(o, "subject"));
		}
		json_node_unref(n);
	}
	return TRUE;
}

static const CmdInfo newsletter_cmds[] = {
	{ "create", nl_create, "create --list L --subject S --body FILE.md [--petition SLUG]",
	  "create a newsletter; prints its id" },
	{ "preview", nl_preview, "preview ID --to ADDR", "queue one rendered copy to ADDR" },
	{ "schedule", nl_schedule, "schedule ID --at TIME", "send at TIME" },
	{ "send", nl_send, "send ID [--wait]", "send now" },
	{ "cancel", nl_cancel, "cancel ID", "cancel, also mid-send" },
	{ "status", nl_status, "status ID [--json]", "state and counts" },
	{ "ls", nl_ls, "ls [--json]", "the newsletters" },
	{ NULL, NULL, NULL, NULL }
};

/* cmd_newsletter - `peermail newsletter ...` */
gboolean cmd_newsletter(int argc, char **argv, GError **error)
{
	return cli_dispatch(newsletter_cmds, "newsletter", argc, argv, error);
}
