/*
 * list.c - the lists and subscriptions tables.
 */
#include <string.h>
#include <sysexits.h>
#include "mail/address.h"
#include "model/list.h"
#include "model/member.h"
#include "base/pm.h"

static const char *const subscription_names[] = {
	[SUBSCRIPTION_STATUS_PENDING] = "pending", [SUBSCRIPTION_STATUS_ACTIVE] = "active",
	[SUBSCRIPTION_STATUS_UNSUBSCRIBED] = "unsubscribed",
	[SUBSCRIPTION_STATUS_BOUNCING] = "bouncing",
};

/* subscription_status_name - the status as stored */
const char *subscription_status_name(SubscriptionStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(subscription_names) ?
	       subscription_names[status] : NULL;
}

/* subscription_status_parse - the status stored as s */
gboolean subscription_status_parse(const char *s, SubscriptionStatus *status)
{
	int i = pm_name_index(subscription_names, G_N_ELEMENTS(subscription_names), s);

	if (i < 0)
		return FALSE;
	*status = (SubscriptionStatus)i;
	return TRUE;
}

static List *list_one(PmDb *db, sqlite3_stmt *st, GError **error)
{
	List *l = NULL;

	if (st && db_step(db, st, error)) {
		l = g_new0(List, 1);
		l->id = sqlite3_column_int64(st, 0);
		l->name = db_col_text(st, 1);
		l->title = db_col_text(st, 2);
		l->mode = db_col_text(st, 3);
	}
	db_done(st);
	return l;
}

/* list_get - by id */
List *list_get(PmDb *db, gint64 id, GError **error)
{
	return list_one(db, db_query(db, error, "SELECT id, name, title, mode FROM lists "
				     "WHERE id = ?", "i", id), error);
}

/* list_by_name - the row named name, or NULL (no error) */
static List *list_by_name(PmDb *db, const char *name, GError **error)
{
	return list_one(db, db_query(db, error, "SELECT id, name, title, mode FROM lists "
				     "WHERE name = ?", "t", name), error);
}

/* list_new - a List as list_create stores it: name lower-cased, title defaulting to the
 * name, mode to announce; id 0 */
static List *list_new(const char *name, const char *title, const char *mode)
{
	List *l = g_new0(List, 1);

	l->name = g_ascii_strdown(name, -1);
	l->title = g_strdup(title && *title ? title : l->name);
	l->mode = g_strdup(mode ? mode : "announce");
	return l;
}

/* row_or_conf - the row named name into *l, or else (*l NULL) its configuration into
 * *lc (NULL: none, or no cfg); FALSE with error */
static gboolean row_or_conf(PmDb *db, const PmConfig *cfg, const char *name, List **l,
			    const PmListConf **lc, GError **error)
{
	GError *e = NULL;

	*lc = NULL;
	*l = list_by_name(db, name, &e);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (*l == NULL && cfg)
		*lc = config_list(cfg, name);
	return TRUE;
}

/* list_find - by name, creating a configured list on first use */
List *list_find(PmDb *db, const PmConfig *cfg, const char *name, GError **error)
{
	List *l;
	const PmListConf *lc;

	if (!row_or_conf(db, cfg, name, &l, &lc, error))
		return NULL;
	if (lc == NULL)
		return l;
	if (list_create(db, cfg, lc->name, lc->title, lc->mode, error) == 0)
		return NULL;
	return list_find(db, NULL, name, error);
}

/* absent - the one "no such list" error */
static void absent(GError **error, const char *name)
{
	g_set_error(error, PM_ERROR, EX_NOUSER, "unknown list '%s'", name ? name : "");
}

/* list_need - find, absent is an error */
List *list_need(PmDb *db, const PmConfig *cfg, const char *name, GError **error)
{
	GError *e = NULL;
	List *l = list_find(db, cfg, name, &e);

	if (e)
		g_propagate_error(error, e);
	else if (l == NULL)
		absent(error, name);
	return l;
}

/* list_need_view - the row, or the configured list as it would be created */
List *list_need_view(PmDb *db, const PmConfig *cfg, const char *name, GError **error)
{
	List *l;
	const PmListConf *lc;

	if (!row_or_conf(db, cfg, name, &l, &lc, error))
		return NULL;
	if (lc)
		l = list_new(lc->name, lc->title, lc->mode);
	if (l == NULL)
		absent(error, name);
	return l;
}

/* list_cmp - by name, as the column's NOCASE collation orders them */
static gint list_cmp(gconstpointer a, gconstpointer b)
{
	const List *x = *(List *const *)a, *y = *(List *const *)b;

	return g_ascii_strcasecmp(x->name, y->name);
}

/* list_destroy - list_free for GDestroyNotify */
static void list_destroy(gpointer l)
{
	list_free(l);
}

/* list_all_view - the rows and the configured lists not created yet, by name */
GPtrArray *list_all_view(PmDb *db, const PmConfig *cfg, GError **error)
{
	GPtrArray *a = list_all(db, error);
	GHashTable *seen;

	if (a == NULL)
		return NULL;
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < a->len; i++)
		g_hash_table_add(seen, g_ascii_strdown(((List *)a->pdata[i])->name, -1));
	for (guint i = 0; cfg && i < cfg->lists->len; i++) {
		const PmListConf *lc = cfg->lists->pdata[i];
		List *l = list_new(lc->name, lc->title, lc->mode);

		if (g_hash_table_contains(seen, l->name)) {
			list_free(l);
			continue;
		}
		g_hash_table_add(seen, g_strdup(l->name));
		g_ptr_array_add(a, l);
	}
	g_ptr_array_sort(a, list_cmp);
	g_hash_table_destroy(seen);
	return a;
}

/* list_free - destroy */
List *list_free(List *l)
{
	if (l) {
		g_free(l->name);
		g_free(l->title);
		g_free(l->mode);
		g_free(l);
	}
	return NULL;
}

/* list_name_valid - usable as a local part and reaching the list (address_names_list) */
gboolean list_name_valid(const PmConfig *cfg, const char *name)
{
	if (name == NULL || *name == '\0' || strlen(name) > 40)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	return address_names_list(cfg, name);
}

/* list_create - insert a list */
gint64 list_create(PmDb *db, const PmConfig *cfg, const char *name, const char *title,
		   const char *mode, GError **error)
{
	List *l;
	gint64 id = 0;
	GError *e = NULL;

	if (!list_name_valid(cfg, name)) {
		g_set_error(error, PM_ERROR, EX_DATAERR,
			    "'%s' is not a usable list name (letters, digits, - _ . only; "
			    "not a keyword, an address for people or the From mailbox)",
			    name ? name : "");
		return 0;
	}
	if (mode && strcmp(mode, "discussion") == 0) {
		/* refused until discussion lists exist: members' posts would be refused */
		g_set_error(error, PM_ERROR, EX_USAGE, "discussion lists are not supported yet "
			    "(only organizers can post to a list): use --mode announce");
		return 0;
	}
	if (mode && strcmp(mode, "announce") != 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "mode must be announce");
		return 0;
	}
	l = list_new(name, title, mode);
	if (db_exec(db, &e, "INSERT INTO lists(name, title, mode, created_at) VALUES (?, ?, ?, ?)",
		    "ttti", l->name, l->title, l->mode, pm_now()))
		id = db_last_id(db);
	else if (e->code == EX_DATAERR) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "list '%s' exists already", l->name);
		g_error_free(e);
	} else
		g_propagate_error(error, e);
	list_free(l);
	return id;
}

/* subscription_status - current state or NONE */
SubscriptionStatus subscription_status(PmDb *db, gint64 list_id, gint64 member_id,
				       GError **error)
{
	SubscriptionStatus status = SUBSCRIPTION_STATUS_NONE;
	char *s = NULL;

	db_text(db, error, &s, "SELECT status FROM subscriptions WHERE list_id = ? AND "
		"member_id = ?", "ii", list_id, member_id);
	if (s && !subscription_status_parse(s, &status))
		status = SUBSCRIPTION_STATUS_NONE;
	g_free(s);
	return status;
}

/* subscription_set - upsert */
gboolean subscription_set(PmDb *db, gint64 list_id, gint64 member_id,
			  SubscriptionStatus status, GError **error)
{
	gint64 now = pm_now();

	return db_exec(db, error,
		       "INSERT INTO subscriptions(list_id, member_id, status, created_at, updated_at, "
		       "status_changed) VALUES (?1, ?2, ?3, ?4, ?4, ?4) "
		       "ON CONFLICT(list_id, member_id) DO UPDATE SET status = excluded.status, "
		       "updated_at = excluded.updated_at, status_changed = CASE WHEN status = "
		       "excluded.status THEN coalesce(status_changed, updated_at) "
		       "ELSE excluded.updated_at END",
		       "iiti", list_id, member_id, subscription_status_name(status), now);
}

/* subscription_mark_bouncing - the member's active subscriptions pause */
gboolean subscription_mark_bouncing(PmDb *db, gint64 member_id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE subscriptions SET status = 'bouncing', updated_at = ?1, "
		       "status_changed = ?1 "
		       "WHERE member_id = ? AND status = 'active'", "ii", now, member_id);
}

/* subscription_unsubscribe_all - the member leaves every list */
gboolean subscription_unsubscribe_all(PmDb *db, gint64 member_id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE subscriptions SET status = 'unsubscribed', updated_at = ?1, "
		       "status_changed = ?1 "
		       "WHERE member_id = ? AND status <> 'unsubscribed'", "ii", now, member_id);
}

/* subscription_forget_member - every subscription of the member, unsubscribed now */
gboolean subscription_forget_member(PmDb *db, gint64 member_id, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE subscriptions SET status = 'unsubscribed', updated_at = ?1, "
		       "status_changed = ?1 "
		       "WHERE member_id = ?", "ii", now, member_id);
}

/* subscription_count_active - active subscriptions of a list */
gboolean subscription_count_active(PmDb *db, gint64 list_id, gint64 *count, GError **error)
{
	return db_int(db, error, count, 0, "SELECT count(*) FROM subscriptions WHERE list_id = ? "
		      "AND status = 'active'", "i", list_id);
}

/* list_row - one list of list_all's query */
static gpointer list_row(sqlite3_stmt *st)
{
	List *l = g_new0(List, 1);

	l->id = sqlite3_column_int64(st, 0);
	l->name = db_col_text(st, 1);
	l->title = db_col_text(st, 2);
	l->mode = db_col_text(st, 3);
	return l;
}

/* list_all - every list by name */
GPtrArray *list_all(PmDb *db, GError **error)
{
	return db_rows(db, db_query(db, error, "SELECT id, name, title, mode FROM lists ORDER BY "
				    "name", NULL), list_row, list_destroy, error);
}

/* subscription_add_by_organizer - new or pending become active; others are kept */
gboolean subscription_add_by_organizer(PmDb *db, gint64 list_id, gint64 member_id,
				       SubscriptionStatus *kept, GError **error)
{
	GError *e = NULL;
	SubscriptionStatus s = subscription_status(db, list_id, member_id, &e);
	gboolean ok = e == NULL;

	*kept = SUBSCRIPTION_STATUS_NONE;
	if (ok && (s == SUBSCRIPTION_STATUS_NONE || s == SUBSCRIPTION_STATUS_PENDING))
		ok = subscription_set(db, list_id, member_id, SUBSCRIPTION_STATUS_ACTIVE, &e);
	else if (ok && s != SUBSCRIPTION_STATUS_ACTIVE)
		*kept = s;
	if (e)
		g_propagate_error(error, e);
	return ok;
}

/* list_counts - members by subscription state */
gboolean list_counts(PmDb *db, gint64 list_id, gint64 *active, gint64 *pending,
		     gint64 *unsubscribed, gint64 *bouncing, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
		"SELECT s.status, m.status, count(*) FROM subscriptions s JOIN members m "
		"ON m.id = s.member_id WHERE s.list_id = ? GROUP BY 1, 2", "i", list_id);
	GError *e = NULL;

	*active = *pending = *unsubscribed = *bouncing = 0;
	if (st == NULL)
		return FALSE;
	while (db_step(db, st, &e)) {
		SubscriptionStatus s = SUBSCRIPTION_STATUS_NONE;
		MemberStatus ms = MEMBER_STATUS_ACTIVE;
		gint64 n = sqlite3_column_int64(st, 2);

		subscription_status_parse((const char *)sqlite3_column_text(st, 0), &s);
		member_status_parse((const char *)sqlite3_column_text(st, 1), &ms);
		if (s == SUBSCRIPTION_STATUS_BOUNCING || ms == MEMBER_STATUS_BOUNCING)
			*bouncing += n;
		else if (s == SUBSCRIPTION_STATUS_UNSUBSCRIBED ||
			 ms == MEMBER_STATUS_UNSUBSCRIBED || ms == MEMBER_STATUS_FORGOTTEN)
			*unsubscribed += n;
		else if (s == SUBSCRIPTION_STATUS_PENDING)
			*pending += n;
		else
			*active += n;
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* list_to_json - template data */
JsonNode *list_to_json(const PmConfig *cfg, const List *l, gint64 members)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *n;
	char *addr = address_make(cfg, l->name, NULL, NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, l->name);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, l->title);
	json_builder_set_member_name(b, "address");
	json_builder_add_string_value(b, addr);
	json_builder_set_member_name(b, "members");
	json_builder_add_int_value(b, members);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	g_free(addr);
	return n;
}
