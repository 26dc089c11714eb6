/*
 * suppression.h - the addresses of people who asked to be forgotten, kept only as HMACs.
 *
 * Owns: the suppressions table and the stored form of an address in it (HMAC-SHA256 under
 * the secret, never the address in clear). Not: what a suppression stops (the imports and
 * `member add` ask member_suppressed), forgetting itself (member_forget).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_SUPPRESSION_H
#define PM_SUPPRESSION_H

#include <glib.h>
#include "base/db.h"
#include "base/token.h"

/* suppression_add - suppress the normalized address norm under key for reason (a second
 * add changes nothing). The caller holds the transaction. */
gboolean suppression_add(PmDb *db, const PmSecret *key, const char *norm, const char *reason,
			 gint64 now, GError **error);

/* suppression_listed - TRUE in *out when the normalized address norm is suppressed */
gboolean suppression_listed(PmDb *db, const PmSecret *key, const char *norm, gboolean *out,
			    GError **error);

/* suppression_any - TRUE in *out when anyone at all is suppressed (lets an import skip
 * the per-address check) */
gboolean suppression_any(PmDb *db, gboolean *out, GError **error);

#endif
