/*
 * stats.h - counts for organizers: members by status, lists, petitions, newsletters.
 *
 * Owns: the read-only aggregate queries behind `peermail stats`, `list show|ls` and
 * `petition show|ls`, returned as C structs (the cli writes them as text or JSON).
 * Not: changing anything (every function here only reads), what a newsletter's counts
 * mean (newsletter).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_STATS_H
#define PM_STATS_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "model/list.h"
#include "model/newsletter.h"
#include "model/petition.h"

/* One row of a breakdown: a name (district, day) and a count. */
typedef struct {
	char *name;
	gint64 count;
} StatsCount;

/* A list and its members by state. */
typedef struct {
	List *list;
	gint64 active, pending, unsubscribed, bouncing;
} ListStats;

/* A petition and its signatures. Counts in the breakdowns are of confirmed signatures. */
typedef struct {
	Petition *petition;
	gint64 confirmed, pending;
	gint64 declined;         /* replies read as a refusal (never signatures, never delivered) */
	gint64 withdrawn;        /* signatures their signers withdrew before delivery */
	GPtrArray *by_district;  /* StatsCount*, by name; "unknown" for no district */
	GPtrArray *by_day;       /* StatsCount* "YYYY-MM-DD" (UTC day of confirmation), by day;
				  * NULL unless asked for */
} PetitionStats;

/* Everything `peermail stats` shows. */
typedef struct {
	gint64 active, bouncing, unsubscribed, forgotten, total;   /* members by status */
	GPtrArray *lists;        /* ListStats*, by name, configured ones included */
	GPtrArray *petitions;    /* PetitionStats* with by_day, oldest first */
	GPtrArray *newsletters;  /* NewsletterReport*, newest first */
} Stats;

/* stats_list_need - the list named name and its counts; a configured list not in the
 * database yet has none (EX_NOUSER as list_need). Free with stats_list_free. */
ListStats *stats_list_need(PmDb *db, const PmConfig *cfg, const char *name, GError **error);

/* stats_lists - every list (ListStats*, the array frees them), by name, with the
 * configured ones not in the database yet (cfg NULL: the database's only) */
GPtrArray *stats_lists(PmDb *db, const PmConfig *cfg, GError **error);

/* stats_list_free - destroy; returns NULL */
ListStats *stats_list_free(ListStats *s);

/* stats_petition_need - petition slug and its counts, with by_day when asked (EX_NOUSER as
 * petition_need). Free with stats_petition_free. */
PetitionStats *stats_petition_need(PmDb *db, const char *slug, gboolean by_day,
				   GError **error);

/* stats_petitions - every petition (PetitionStats*, the array frees them), oldest first */
GPtrArray *stats_petitions(PmDb *db, gboolean by_day, GError **error);

/* stats_petition_free - destroy; returns NULL */
PetitionStats *stats_petition_free(PetitionStats *s);

/* stats_get - everything (lists as stats_lists with cfg); free with stats_free */
Stats *stats_get(PmDb *db, const PmConfig *cfg, GError **error);

/* stats_free - destroy; returns NULL */
Stats *stats_free(Stats *s);

#endif
