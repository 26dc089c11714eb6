/*
 * stats.c - aggregate counts as JSON.
 */
#include <stdio.h>
#include <string.h>
#include "model/member.h"
#include "model/newsletter.h"
#include "base/pm.h"
#include "model/stats.h"

/* set_int - an integer member of the object being built */
static void set_int(JsonBuilder *b, const char *k, gint64 v)
{
	json_builder_set_member_name(b, k);
	json_builder_add_int_value(b, v);
}

/* set_str - a string member, or null */
static void set_str(JsonBuilder *b, const char *k, const char *v)
{
	json_builder_set_member_name(b, k);
	if (v)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

/* finish - the built root when ok (else NULL); frees the builder */
static JsonNode *finish(JsonBuilder *b, gboolean ok)
{
	JsonNode *n = ok ? json_builder_get_root(b) : NULL;

	g_object_unref(b);
	return n;
}

/* counts_object - an object member name -> count from a two-column query */
static gboolean counts_object(PmDb *db, JsonBuilder *b, const char *name, sqlite3_stmt *st,
			      GError **error)
{
	GError *e = NULL;

	if (st == NULL)
		return FALSE;
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	while (db_step(db, st, &e)) {
		json_builder_set_member_name(b, (const char *)sqlite3_column_text(st, 0));
		json_builder_add_int_value(b, sqlite3_column_int64(st, 1));
	}
	db_done(st);
	json_builder_end_object(b);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* list_into - a list and its members by state, as an object in b */
static gboolean list_into(PmDb *db, JsonBuilder *b, const List *l, GError **error)
{
	gint64 act, pend, uns, bnc;

	if (!list_counts(db, l->id, &act, &pend, &uns, &bnc, error))
		return FALSE;
	json_builder_begin_object(b);
	set_str(b, "name", l->name);
	set_str(b, "title", l->title);
	set_str(b, "mode", l->mode);
	json_builder_set_member_name(b, "members");
	json_builder_begin_object(b);
	set_int(b, "active", act);
	set_int(b, "pending", pend);
	set_int(b, "unsubscribed", uns);
	set_int(b, "bouncing", bnc);
	json_builder_end_object(b);
	json_builder_end_object(b);
	return TRUE;
}

/* stats_list_json - one list */
JsonNode *stats_list_json(PmDb *db, const List *l, GError **error)
{
	JsonBuilder *b = json_builder_new();

	return finish(b, list_into(db, b, l, error));
}

/* petition_into - a petition and its counts, as an object in b */
static gboolean petition_into(PmDb *db, JsonBuilder *b, const Petition *p, gboolean by_day,
			      GError **error)
{
	gint64 conf, pend;
	gboolean ok;

	if (!petition_counts(db, p->id, &conf, &pend, error))
		return FALSE;
	json_builder_begin_object(b);
	set_str(b, "slug", p->slug);
	set_str(b, "title", p->title);
	set_str(b, "status", petition_status_name(p->status));
	set_int(b, "goal", p->goal);
	json_builder_set_member_name(b, "closes_at");
	if (p->closes_at) {
		char *t = pm_time_iso(p->closes_at);
		json_builder_add_string_value(b, t);
		g_free(t);
	} else {
		json_builder_add_null_value(b);
	}
	set_int(b, "milestone", p->milestone);
	json_builder_set_member_name(b, "signatures");
	json_builder_begin_object(b);
	set_int(b, "confirmed", conf);
	set_int(b, "pending", pend);
	json_builder_end_object(b);
	ok = counts_object(db, b, "by_district", db_query(db, error,
		"SELECT coalesce(m.district, s.district, 'unknown'), count(*) FROM signatures s "
		"LEFT JOIN members m ON m.id = s.member_id WHERE s.petition_id = ? AND "
		"s.status = 'confirmed' GROUP BY 1 ORDER BY 1", "i", p->id), error);
	if (ok && by_day)
		ok = counts_object(db, b, "by_day", db_query(db, error,
			"SELECT date(coalesce(confirmed_at, created_at), 'unixepoch'), count(*) "
			"FROM signatures WHERE petition_id = ? AND status = 'confirmed' "
			"GROUP BY 1 ORDER BY 1", "i", p->id), error);
	json_builder_end_object(b);
	return ok;
}

/* stats_petition_json - one petition */
JsonNode *stats_petition_json(PmDb *db, const Petition *p, gboolean by_day, GError **error)
{
	JsonBuilder *b = json_builder_new();

	return finish(b, petition_into(db, b, p, by_day, error));
}

/* ids_of - ids from a one-column query */
static GArray *ids_of(PmDb *db, sqlite3_stmt *st, GError **error)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	GError *e = NULL;

	if (st == NULL) {
		g_array_free(ids, TRUE);
		return NULL;
	}
	while (db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_free(ids, TRUE);
		return NULL;
	}
	return ids;
}

/* stats_json - everything */
JsonNode *stats_json(PmDb *db, GError **error)
{
	JsonBuilder *b = json_builder_new();
	GArray *ids;
	gint64 total = 0;
	gboolean ok = TRUE;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "members");
	json_builder_begin_object(b);
	for (MemberStatus i = MEMBER_STATUS_ACTIVE; ok && i <= MEMBER_STATUS_FORGOTTEN; i++) {
		gint64 n = 0;

		ok = db_int(db, error, &n, 0, "SELECT count(*) FROM members WHERE status = ?", "t",
			    member_status_name(i));
		set_int(b, member_status_name(i), n);
		total += n;
	}
	set_int(b, "total", total);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "lists");
	json_builder_begin_array(b);
	ids = ok ? ids_of(db, db_query(db, error, "SELECT id FROM lists ORDER BY name", NULL),
			  error) : NULL;
	ok = ids != NULL;
	for (guint i = 0; ok && i < ids->len; i++) {
		List *l = list_get(db, g_array_index(ids, gint64, i), error);

		ok = l && list_into(db, b, l, error);
		list_free(l);
	}
	if (ids)
		g_array_free(ids, TRUE);
	json_builder_end_array(b);

	json_builder_set_member_name(b, "petitions");
	json_builder_begin_array(b);
	ids = ok ? ids_of(db, db_query(db, error, "SELECT id FROM petitions ORDER BY id", NULL),
			  error) : NULL;
	ok = ids != NULL;
	for (guint i = 0; ok && i < ids->len; i++) {
		Petition *p = petition_get(db, g_array_index(ids, gint64, i), error);

		ok = p && petition_into(db, b, p, TRUE, error);
		petition_free(p);
	}
	if (ids)
		g_array_free(ids, TRUE);
	json_builder_end_array(b);

	json_builder_set_member_name(b, "newsletters");
	if (ok) {
		JsonNode *nl = newsletter_list_json(db, error);

		ok = nl != NULL;
		if (ok) {
			JsonNode *arr = json_object_dup_member(json_node_get_object(nl),
							       "newsletters");
			json_builder_add_value(b, arr);
			json_node_unref(nl);
		} else {
			json_builder_add_null_value(b);
		}
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_end_object(b);
	return finish(b, ok);
}

/* stats_print - a node on stdout */
void stats_print(JsonNode *node, gboolean pretty)
{
	JsonGenerator *g = json_generator_new();
	char *text;

	json_generator_set_pretty(g, pretty);
	json_generator_set_root(g, node);
	text = json_generator_to_data(g, NULL);
	printf("%s\n", text);
	fflush(stdout);
	g_free(text);
	g_object_unref(g);
	json_node_unref(node);
}
