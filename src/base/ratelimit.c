/*
 * ratelimit.c - bounded per-key counters in fixed windows (see ratelimit.h).
 *
 * A hash table finds a key's entry; a queue holds the entries in the order their windows
 * began (a window that restarts moves its entry to the tail), so the head is always the
 * one to evict.
 */
#include "base/ratelimit.h"

typedef struct {
	char *key;
	gint64 since;           /* the window's start */
	int count;              /* attempts in it */
	GList link;             /* in RateLimit.order; data = this entry */
} Entry;

struct RateLimit {
	GMutex lock;
	int limit;
	gint64 window;
	guint max_keys;
	GHashTable *by_key;     /* key (owned by the entry) -> Entry* */
	GQueue order;           /* Entry, oldest window first */
};

/* entry_free - destroy an entry (already out of the queue) */
static void entry_free(gpointer p)
{
	Entry *e = p;

	g_free(e->key);
	g_free(e);
}

/* ratelimit_new - an empty table */
RateLimit *ratelimit_new(int limit, gint64 window, guint max_keys)
{
	RateLimit *r = g_new0(RateLimit, 1);

	g_mutex_init(&r->lock);
	r->limit = limit;
	r->window = window;
	r->max_keys = MAX(max_keys, 1);
	r->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_free);
	g_queue_init(&r->order);
	return r;
}

/* ratelimit_hit - count one attempt; FALSE when over the limit */
gboolean ratelimit_hit(RateLimit *r, const char *key, gint64 now)
{
	Entry *e;
	gboolean ok;

	g_mutex_lock(&r->lock);
	if ((e = g_hash_table_lookup(r->by_key, key)) == NULL) {
		while (g_hash_table_size(r->by_key) >= r->max_keys) {
			Entry *old = g_queue_peek_head(&r->order);

			g_queue_unlink(&r->order, &old->link);
			g_hash_table_remove(r->by_key, old->key);
		}
		e = g_new0(Entry, 1);
		e->key = g_strdup(key);
		e->since = now;
		e->link.data = e;
		g_hash_table_insert(r->by_key, e->key, e);
		g_queue_push_tail_link(&r->order, &e->link);
	} else if (now - e->since >= r->window) {
		e->since = now;         /* a new window: now the youngest */
		e->count = 0;
		g_queue_unlink(&r->order, &e->link);
		g_queue_push_tail_link(&r->order, &e->link);
	}
	ok = ++e->count <= r->limit;
	g_mutex_unlock(&r->lock);
	return ok;
}

/* ratelimit_size - keys held */
guint ratelimit_size(RateLimit *r)
{
	guint n;

	g_mutex_lock(&r->lock);
	n = g_hash_table_size(r->by_key);
	g_mutex_unlock(&r->lock);
	return n;
}

/* ratelimit_free - destroy */
RateLimit *ratelimit_free(RateLimit *r)
{
	if (r) {
		g_queue_init(&r->order);        /* the links are freed with their entries */
		g_hash_table_unref(r->by_key);
		g_mutex_clear(&r->lock);
		g_free(r);
	}
	return NULL;
}
