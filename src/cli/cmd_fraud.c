/*
 * cmd_fraud.c - `peermail petition suspects|clear|invalidate|history`: the organizers'
 * tools against fraud (model/fraud.h). The actor recorded is cli:USER.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "base/json.h"
#include "base/pm.h"
#include "mail/address.h"
#include "model/csvio.h"
#include "model/events.h"
#include "model/fraud.h"

/* cli_actor - who acts from the command line: cli:USER; caller frees */
char *cli_actor(void)
{
	return g_strdup_printf("cli:%s", g_get_user_name());
}

/* time_opt - an option's time into *t (0 when not given); FALSE with a usage error */
static gboolean time_opt(const char *name, const char *value, gint64 *t, GError **error)
{
	*t = 0;
	if (value && (*t = csvio_parse_time(value)) == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--%s '%s' is not a time (YYYY-MM-DD or "
			    "ISO 8601)", name, value);
		return FALSE;
	}
	return TRUE;
}

/* suspect_json - one suspect signature for `petition suspects --json` */
static void suspect_json(JsonBuilder *b, gconstpointer row)
{
	const SignatureSuspect *s = row;

	json_put_int(b, "id", s->id);
	json_put_str(b, "email", s->email);
	json_put_str(b, "source", s->source);
	json_put_time(b, "created_at", s->created_at);
	json_put_time(b, "confirmed_at", s->confirmed_at);
}

/* suspect_text - one suspect signature as a line */
static void suspect_text(GString *out, gconstpointer row)
{
	const SignatureSuspect *s = row;
	char *t = pm_time_iso(s->created_at);

	g_string_append_printf(out, "%-6" G_GINT64_FORMAT " %-32s %-8s %s %s\n", s->id,
			       s->email ? s->email : "(forgotten)", s->source, t,
			       s->confirmed_at ? "confirmed" : "unconfirmed");
	g_free(t);
}

/* cmd_petition_suspects - `petition suspects SLUG [--json]` */
gboolean cmd_petition_suspects(CmdCtx *c, GError **error)
{
	GPtrArray *all = fraud_suspects_of(c->db, c->argv[0], error);

	if (all == NULL)
		return FALSE;
	cli_rows(c, all, "suspects", suspect_json, suspect_text, "no suspect signatures");
	g_ptr_array_unref(all);
	return TRUE;
}

/* cmd_petition_clear - `petition clear SLUG [--all | ADDRESS...] [--reject]` */
gboolean cmd_petition_clear(CmdCtx *c, GError **error)
{
	char **addrs = g_new0(char *, c->argc);
	char *who = cli_actor();
	FraudCleared r;
	gboolean ok = FALSE;

	if ((c->argc > 1) == c->o->all) {
		g_set_error(error, PM_ERROR, EX_USAGE, "give --all or the signers' addresses "
			    "(not both)");
		goto out;
	}
	for (int i = 1; i < c->argc; i++)
		if ((addrs[i - 1] = address_normalize(c->cfg, c->argv[i])) == NULL) {
			g_set_error(error, PM_ERROR, EX_USAGE, "'%s' is not an address",
				    c->argv[i]);
			goto out;
		}
	if (!fraud_clear(c->db, c->argv[0], addrs, c->o->reject_suspects, who, &r, error))
		goto out;
	if (c->o->reject_suspects)
		g_string_append_printf(c->out, "invalidation %" G_GINT64_FORMAT ": %"
				       G_GINT64_FORMAT " suspect signatures rejected\n", r.inv_id,
				       r.rejected);
	else
		g_string_append_printf(c->out, "cleared %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
				       " counted, %" G_GINT64_FORMAT " awaiting confirmation\n",
				       r.counted + r.pending, r.counted, r.pending);
	ok = TRUE;
out:
	g_strfreev(addrs);
	g_free(who);
	return ok;
}

/* cmd_petition_invalidate - `petition invalidate SLUG [conditions] [--dry-run] [--undo ID]` */
gboolean cmd_petition_invalidate(CmdCtx *c, GError **error)
{
	static const char *const sources[] = { "web", "mail", "import", NULL };
	const CmdOpts *o = c->o;
	SignatureFilter f = { 0 };
	gint64 inv = 0, n = 0;
	char *who = cli_actor();
	gboolean ok = FALSE;

	if (o->undo) {
		if (o->domain || o->postcode || o->since || o->until || o->source || o->dry_run) {
			g_set_error(error, PM_ERROR, EX_USAGE, "--undo takes no conditions");
			goto out;
		}
		if (fraud_undo(c->db, c->argv[0], o->undo, who, &n, error)) {
			g_string_append_printf(c->out, "invalidation %" G_GINT64_FORMAT " undone: %"
					       G_GINT64_FORMAT " signatures restored\n", o->undo, n);
			ok = TRUE;
		}
		goto out;
	}
	if (!o->domain && !o->postcode && !o->since && !o->until && !o->source) {
		/* every signature at once is never a slip of the keyboard */
		g_set_error(error, PM_ERROR, EX_USAGE, "give at least one condition (--domain, "
			    "--postcode, --since, --until, --source) or --undo ID");
		goto out;
	}
	if (o->source && !g_strv_contains(sources, o->source)) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--source '%s' is not web, mail or import",
			    o->source);
		goto out;
	}
	if (!time_opt("since", o->since, &f.since, error) ||
	    !time_opt("until", o->until, &f.until, error))
		goto out;
	f.domain = o->domain;
	f.postcode = o->postcode;
	f.source = o->source;
	if (!fraud_invalidate(c->db, c->argv[0], &f, who, o->reason, o->dry_run, &inv, &n, error))
		goto out;
	if (o->dry_run)
		g_string_append_printf(c->out, "would invalidate %" G_GINT64_FORMAT
				       " signatures\n", n);
	else
		g_string_append_printf(c->out, "invalidation %" G_GINT64_FORMAT ": %"
				       G_GINT64_FORMAT " signatures invalid\n", inv, n);
	ok = TRUE;
out:
	g_free(who);
	return ok;
}

/* event_json - one event for `petition history --json` */
static void event_json(JsonBuilder *b, gconstpointer row)
{
	const Event *e = row;

	json_put_int(b, "id", e->id);
	json_put_str(b, "kind", e->kind);
	json_put_str(b, "actor", e->actor);
	json_put_str(b, "detail", e->detail);
	json_put_time(b, "at", e->at);
}

/* event_text - one event as a line */
static void event_text(GString *out, gconstpointer row)
{
	const Event *e = row;
	char *t = pm_time_iso(e->at);

	g_string_append_printf(out, "%s %-10s %-24s %s\n", t, e->kind, e->actor,
			       e->detail ? e->detail : "");
	g_free(t);
}

/* cmd_petition_history - `petition history SLUG [--json]` */
gboolean cmd_petition_history(CmdCtx *c, GError **error)
{
	GPtrArray *all = fraud_history_of(c->db, c->argv[0], error);

	if (all == NULL)
		return FALSE;
	cli_rows(c, all, "events", event_json, event_text, NULL);
	g_ptr_array_unref(all);
	return TRUE;
}
