/*
 * print.c - JSON objects for lists, petitions, newsletters and bounced recipients.
 */
#include <stdio.h>
#include "base/json.h"
#include "cli/print.h"

/* print_list_stats - a list and its members by state */
void print_list_stats(JsonBuilder *b, const char *key, const ListStats *s)
{
	json_put_object(b, key);
	json_put_str(b, "name", s->list->name);
	json_put_str(b, "title", s->list->title);
	json_put_str(b, "mode", s->list->mode);
	json_put_object(b, "members");
	json_put_int(b, "active", s->active);
	json_put_int(b, "pending", s->pending);
	json_put_int(b, "unsubscribed", s->unsubscribed);
	json_put_int(b, "bouncing", s->bouncing);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

/* counts - name -> count pairs as an object member */
static void counts(JsonBuilder *b, const char *key, const GPtrArray *a)
{
	json_put_object(b, key);
	for (guint i = 0; i < a->len; i++) {
		const StatsCount *c = a->pdata[i];

		json_put_int(b, c->name ? c->name : "", c->count);
	}
	json_builder_end_object(b);
}

/* print_petition_stats - a petition and its counts */
void print_petition_stats(JsonBuilder *b, const char *key, const PetitionStats *s)
{
	const Petition *p = s->petition;

	json_put_object(b, key);
	json_put_str(b, "slug", p->slug);
	json_put_str(b, "title", p->title);
	json_put_str(b, "status", petition_status_name(petition_status_now(p)));
	json_put_int(b, "goal", p->goal);
	json_put_time(b, "closes_at", p->closes_at);
	json_put_int(b, "milestone", p->milestone);
	if (p->moderation_at)   /* started by mail: in moderation since (the queue's age) */
		json_put_time(b, "moderation_at", p->moderation_at);
	if (p->reason)
		json_put_str(b, "reason", p->reason);
	json_put_object(b, "signatures");
	json_put_int(b, "confirmed", s->confirmed);
	json_put_int(b, "pending", s->pending);
	json_put_int(b, "declined", s->declined);
	json_put_int(b, "withdrawn", s->withdrawn);
	json_builder_end_object(b);
	counts(b, "by_district", s->by_district);
	if (s->by_day)
		counts(b, "by_day", s->by_day);
	json_builder_end_object(b);
}

/* print_newsletter_report - a newsletter's state and counts */
void print_newsletter_report(JsonBuilder *b, const char *key, const NewsletterReport *s)
{
	const Newsletter *n = s->newsletter;

	json_put_object(b, key);
	json_put_int(b, "id", n->id);
	json_put_str(b, "status", newsletter_status_name(n->status));
	json_put_str(b, "subject", n->subject);
	json_put_str(b, "list", s->list);
	json_put_str(b, "audience", newsletter_audience_name(n->audience));
	json_put_str(b, "petition", s->petition);
	json_put_time(b, "scheduled_at", n->scheduled_at);
	json_put_int(b, "recipients", s->recipients);
	json_put_int(b, "queued", s->counts.queued);
	json_put_int(b, "sent", s->counts.sent);
	json_put_int(b, "failed", s->counts.failed);
	json_put_int(b, "bounced", s->counts.bounced);
	json_put_int(b, "cancelled", s->counts.cancelled);
	json_put_int(b, "unsubscribes", s->counts.unsubscribes);
	json_builder_end_object(b);
}

/* print_bounced - a bounced recipient's delivery status */
void print_bounced(JsonBuilder *b, const char *address, const char *status,
		   gboolean permanent, const char *diagnostic)
{
	json_put_str(b, "address", address);
	json_put_str(b, "status", status);
	json_put_bool(b, "permanent", permanent);
	json_put_str(b, "diagnostic", diagnostic);
}

/* print_import - an import's problems and summary */
void print_import(GString *out, const char *file, gboolean ok, CsvioStats *st)
{
	for (guint i = 0; st->problems && i < st->problems->len; i++)
		fprintf(stderr, "peermail: %s: %s\n", file, (char *)st->problems->pdata[i]);
	if (ok)
		g_string_append_printf(out, "imported %" G_GINT64_FORMAT ", updated %"
				       G_GINT64_FORMAT ", skipped %" G_GINT64_FORMAT
				       " (bad rows)\n", st->imported, st->updated, st->skipped);
	csvio_stats_clear(st);
}
