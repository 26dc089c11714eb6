/*
 * ratelimit.h - counters per key (a client address) in fixed windows, in a table of
 * bounded size.
 *
 * Owns: counting attempts per key within a window and refusing those over the limit; the
 * table's bound: when it is full, a new key evicts the key whose window began longest ago
 * (its window is the closest to expiring anyway), so a flood of distinct keys costs at
 * most `max_keys` entries of memory and only forgets the oldest counts early.
 * Not: what is limited (web/web.c: sign attempts per client address), persistence: the
 * table lives in memory and a restart forgets it.
 *
 * THREADS: any thread; one mutex per table.
 */
#ifndef PM_RATELIMIT_H
#define PM_RATELIMIT_H

#include <glib.h>

typedef struct RateLimit RateLimit;

/* ratelimit_new - at most limit attempts per key per window seconds, for at most
 * max_keys keys at once (at least 1) */
RateLimit *ratelimit_new(int limit, gint64 window, guint max_keys);

/* ratelimit_hit - count one attempt of key at time now (seconds); FALSE when over the
 * limit in the key's current window */
gboolean ratelimit_hit(RateLimit *r, const char *key, gint64 now);

/* ratelimit_size - the number of keys held */
guint ratelimit_size(RateLimit *r);

/* ratelimit_free - destroy; returns NULL */
RateLimit *ratelimit_free(RateLimit *r);

#endif
