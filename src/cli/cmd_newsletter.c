/*
 * cmd_newsletter.c - `peermail newsletter create|translate|preview|schedule|send|cancel|status|ls`.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "base/json.h"
#include "base/log.h"
#include "base/pm.h"
#include "model/csvio.h"
#include "model/newsletter.h"
#include "produce/newsletter_render.h"
#include "run/send_now.h"

/* cmd_newsletter_create - `newsletter create --list NAME --subject S --body FILE.md ...` */
gboolean cmd_newsletter_create(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	char *body = NULL;
	GError *e = NULL;
	gint64 id;

	if (!g_file_get_contents(o->body, &body, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		return FALSE;
	}
	id = newsletter_create(c->db, c->cfg, o->list, o->subject, body, o->petition,
			       o->template_name, o->skip_signed, NULL, error);
	if (id)
		g_string_append_printf(c->out, "%" G_GINT64_FORMAT "\n", id);
	g_free(body);
	return id != 0;
}

/* cmd_newsletter_translate - `newsletter translate ID --lang LANG --subject S --body FILE.md` */
gboolean cmd_newsletter_translate(CmdCtx *c, GError **error)
{
	const CmdOpts *o = c->o;
	char *body = NULL;
	GError *e = NULL;
	gint64 id;
	gboolean ok;

	if (!cli_arg_id(c, 0, &id, error))
		return FALSE;
	if (!g_file_get_contents(o->body, &body, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		return FALSE;
	}
	ok = newsletter_translate(c->db, id, o->lang, o->subject, body, error);
	if (ok)
		g_string_append_printf(c->out, "newsletter %" G_GINT64_FORMAT ": %s version set\n",
				       id, o->lang);
	g_free(body);
	return ok;
}

/* cmd_newsletter_schedule - `newsletter schedule ID --at TIME` */
gboolean cmd_newsletter_schedule(CmdCtx *c, GError **error)
{
	gint64 id, when;
	char *iso;

	if (!cli_arg_id(c, 0, &id, error))
		return FALSE;
	if ((when = csvio_parse_time(c->o->at)) == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--at '%s' is not a time (YYYY-MM-DD HH:MM "
			    "local, or ISO 8601)", c->o->at);
		return FALSE;
	}
	if (!newsletter_schedule_later(c->db, id, when, error))
		return FALSE;
	iso = pm_time_iso(when);
	g_string_append_printf(c->out, "newsletter %" G_GINT64_FORMAT " scheduled for %s\n", id,
			       iso);
	g_free(iso);
	return TRUE;
}

/* The only mutable global: set by SIGTERM/SIGINT during `send --wait`. */
static volatile sig_atomic_t send_stop;

/* on_stop - SIGTERM/SIGINT during send --wait: finish what is in flight, then stop */
static void on_stop(int sig)
{
	send_stop = 1;
}

/* cmd_newsletter_preview - `newsletter preview ID --to ADDR` */
gboolean cmd_newsletter_preview(CmdCtx *c, GError **error)
{
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error) ||
	    newsletter_preview(c->db, c->cfg, c->key, id, c->o->to, error) == 0)
		return FALSE;
	g_string_append_printf(c->out, "preview of newsletter %" G_GINT64_FORMAT " queued to %s\n",
			       id, c->o->to);
	return TRUE;
}

/* cmd_newsletter_send - `newsletter send ID [--wait]` */
gboolean cmd_newsletter_send(CmdCtx *c, GError **error)
{
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error))
		return FALSE;
	if (c->o->wait) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_stop;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		/* on a terminal the bar says it all: per-message log lines go to syslog only */
		if (isatty(STDERR_FILENO))
			log_set_quiet(TRUE);
	}
	if (!newsletter_send(c->db, c->cfg, c->key, id, c->o->wait, &send_stop, error))
		return FALSE;
	if (!c->o->wait)
		g_string_append_printf(c->out, "newsletter %" G_GINT64_FORMAT " due now\n", id);
	return TRUE;
}

/* cmd_newsletter_cancel - `newsletter cancel ID` */
gboolean cmd_newsletter_cancel(CmdCtx *c, GError **error)
{
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error) || !newsletter_cancel(c->db, id, error))
		return FALSE;
	g_string_append_printf(c->out, "newsletter %" G_GINT64_FORMAT " cancelled\n", id);
	return TRUE;
}

/* status_text - "key: value" lines, in the JSON's order, absent values left out */
static void status_text(GString *out, const NewsletterReport *s)
{
	const Newsletter *n = s->newsletter;

	g_string_append_printf(out, "id: %" G_GINT64_FORMAT "\nstatus: %s\nsubject: %s\n", n->id,
			       newsletter_status_name(n->status), n->subject);
	if (s->list)
		g_string_append_printf(out, "list: %s\n", s->list);
	if (n->audience != NEWSLETTER_AUDIENCE_LIST)    /* a petition's update */
		g_string_append_printf(out, "audience: %s\n", newsletter_audience_name(n->audience));
	if (s->petition)
		g_string_append_printf(out, "petition: %s\n", s->petition);
	if (n->scheduled_at) {
		char *iso = pm_time_iso(n->scheduled_at);

		g_string_append_printf(out, "scheduled_at: %s\n", iso);
		g_free(iso);
	}
	g_string_append_printf(out, "recipients: %" G_GINT64_FORMAT "\nqueued: %" G_GINT64_FORMAT
			       "\nsent: %" G_GINT64_FORMAT "\nfailed: %" G_GINT64_FORMAT
			       "\nbounced: %" G_GINT64_FORMAT "\ncancelled: %" G_GINT64_FORMAT
			       "\nunsubscribes: %" G_GINT64_FORMAT "\n", s->recipients,
			       s->counts.queued, s->counts.sent, s->counts.failed,
			       s->counts.bounced, s->counts.cancelled, s->counts.unsubscribes);
}

/* cmd_newsletter_status - `newsletter status ID [--json]`; reads only */
gboolean cmd_newsletter_status(CmdCtx *c, GError **error)
{
	NewsletterReport *s;
	gint64 id;

	if (!cli_arg_id(c, 0, &id, error) ||
	    (s = newsletter_report_need(c->db, id, error)) == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		print_newsletter_report(b, NULL, s);
		cli_json(c, b);
	} else {
		status_text(c->out, s);
	}
	newsletter_report_free(s);
	return TRUE;
}

/* cmd_newsletter_ls - `newsletter ls [--json]`; reads only */
gboolean cmd_newsletter_ls(CmdCtx *c, GError **error)
{
	GPtrArray *all = newsletter_report_all(c->db, error);

	if (all == NULL)
		return FALSE;
	if (c->o->json) {
		JsonBuilder *b = json_builder_new();

		json_put_object(b, NULL);
		json_put_array(b, "newsletters");
		for (guint i = 0; i < all->len; i++)
			print_newsletter_report(b, NULL, all->pdata[i]);
		json_builder_end_array(b);
		json_builder_end_object(b);
		cli_json(c, b);
	}
	for (guint i = 0; !c->o->json && i < all->len; i++) {
		const NewsletterReport *s = all->pdata[i];

		g_string_append_printf(c->out, "%4" G_GINT64_FORMAT "  %-9s %-12s %6" G_GINT64_FORMAT
				       " sent  %s\n", s->newsletter->id,
				       newsletter_status_name(s->newsletter->status),
				       s->list ? s->list : "", s->counts.sent,
				       s->newsletter->subject);
	}
	g_ptr_array_unref(all);
	return TRUE;
}
