/*
 * print.h - the JSON shape of the model's structs that several commands print: a list
 * (`list show|ls`, `stats`), a petition (`petition show|ls`, `stats`), a newsletter
 * (`newsletter status|ls`, `stats`) and a bounced recipient (`inspect`, `member show`).
 *
 * Owns: those objects' key names (docs/cli.md). Not: writing JSON (base/json), what the
 * counts mean (model/stats, model/newsletter).
 *
 * THREADS: main thread only.
 */
#ifndef PM_PRINT_H
#define PM_PRINT_H

#include <json-glib/json-glib.h>
#include "model/csvio.h"
#include "model/newsletter.h"
#include "model/stats.h"

/* print_list_stats - {name, title, mode, members:{active, pending, unsubscribed,
 * bouncing}} as member key of b (NULL: an array element) */
void print_list_stats(JsonBuilder *b, const char *key, const ListStats *s);

/* print_petition_stats - {slug, title, status, goal, closes_at, milestone,
 * signatures:{confirmed, pending}, by_district:{D:N}, and by_day:{"YYYY-MM-DD":N} when
 * counted} */
void print_petition_stats(JsonBuilder *b, const char *key, const PetitionStats *s);

/* print_newsletter_report - {id, status, subject, list, petition, scheduled_at,
 * recipients, queued, sent, failed, bounced, cancelled, unsubscribes} */
void print_newsletter_report(JsonBuilder *b, const char *key, const NewsletterReport *s);

/* print_bounced - a bounced recipient's {address, status, permanent, diagnostic} as
 * members of b's open object */
void print_bounced(JsonBuilder *b, const char *address, const char *status,
		   gboolean permanent, const char *diagnostic);

/* print_import - an import's problems on stderr ("peermail: FILE: line N: why") and its
 * summary line into out when ok; clears st */
void print_import(GString *out, const char *file, gboolean ok, CsvioStats *st);

#endif
