/*
 * stats.h - counts for organizers: members by status, lists, petitions, newsletters.
 *
 * Owns: the read-only aggregate queries behind `peermail stats`, `list show` and
 * `petition show`. Not: changing anything.
 */
#ifndef PM_STATS_H
#define PM_STATS_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/db.h"
#include "model/list.h"
#include "model/petition.h"

/* stats_list_json - {name, title, mode, members:{active, pending, unsubscribed, bouncing}} */
JsonNode *stats_list_json(PmDb *db, const List *l, GError **error);

/*
 * stats_petition_json - {slug, title, status, goal, closes_at, milestone,
 * signatures:{confirmed, pending}, by_district:{D:N}} with by_day:{"YYYY-MM-DD":N} (UTC
 * day of confirmation) when by_day is TRUE. Counts are of confirmed signatures; a
 * signature without a district counts under "unknown".
 */
JsonNode *stats_petition_json(PmDb *db, const Petition *p, gboolean by_day, GError **error);

/*
 * stats_json - everything: {members:{active, bouncing, unsubscribed, forgotten, total},
 * lists:[stats_list_json], petitions:[stats_petition_json with by_day],
 * newsletters:[newsletter status objects, with unsubscribes]}
 */
JsonNode *stats_json(PmDb *db, GError **error);

/* stats_print - print node on stdout (one line, or indented when pretty) and unref it */
void stats_print(JsonNode *node, gboolean pretty);

#endif
