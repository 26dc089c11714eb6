/*
 * newsletter_render.h - newsletter copies at send time (the outbox renderer for kind
 * newsletter), previews, and the scheduler task that expands what is due.
 *
 * Owns: building one member's copy. Not: newsletters' rows (model/newsletter.h), the
 * send loop (run/).
 *
 * THREADS: main thread only (it keeps a per-newsletter cache), except newsletter_build,
 * which any thread may call on a prepared copy.
 */
#ifndef PM_NEWSLETTER_RENDER_H
#define PM_NEWSLETTER_RENDER_H

#include <signal.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/member.h"
#include "model/outbox.h"



/*
 * newsletter_render - the outbox renderer for kind newsletter (OutboxRenderFn): member
 * row->member_id's copy of newsletter row->ref_id. A copy that must not go out any more
 * (cancelled, member or subscription no longer active) is marked cancelled and NULL
 * returned with an EX_NOUSER error. Main thread only.
 */
GBytes *newsletter_render(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			  const OutboxRow *row, GError **error);

/*
 * newsletter_prepare, newsletter_build, newsletter_prepared_free - newsletter_render in two
 * steps (OutboxPrepareFn, OutboxBuildFn): prepare does the checks and skips in the main
 * thread and snapshots the member and the newsletter's shared parts (reference-counted);
 * build makes the message in any thread, without the database. cfg and key must outlive
 * the prepared copy.
 */
gpointer newsletter_prepare(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    const OutboxRow *row, GError **error);
GBytes *newsletter_build(gpointer prepared, GError **error);
void newsletter_prepared_free(gpointer prepared);

/* newsletter_render_for - the copy member would get (no status checks); caller unrefs */
GBytes *newsletter_render_for(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			      const Member *member, GError **error);

/* newsletter_cache_clear - free the per-newsletter cache of the renderer */
void newsletter_cache_clear(void);

/*
 * newsletter_preview - queue one rendered copy of newsletter id to `to` (kind preview,
 * sent by the next `run`). A member gets their own copy (personal tokens); anyone else a
 * copy with sample member data (name "Sample Member") and the plain sign+SLUG and LIST+unsubscribe addresses.
 * Returns the outbox id or 0. The caller holds the transaction.
 */
gint64 newsletter_preview(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			  const char *to, GError **error);

/* newsletter_task - the scheduler task (SchedulerTaskFn): newsletter_expand of what is due,
 * NEWSLETTER_SLICE copies at a time; the sender asks for the rest through
 * newsletter_refill as it sends, so that expanding a large list overlaps with sending */
#define NEWSLETTER_SLICE 2000
gboolean newsletter_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error);

/* newsletter_refill - a SenderRefillFn (user: the PmDb): the next slice of expansion */
gboolean newsletter_refill(gpointer db, gint64 *added, GError **error);

#endif
