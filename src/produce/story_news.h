/*
 * story_news.h - telling people that a story was moderated: its author when it was
 * approved (template "story_approved", outbox kind response), and the organizers either
 * way (template "story_moderated" through produce/notify, saying who decided), so nobody
 * moderates a story twice and no author waits in silence.
 *
 * Owns: these two messages and their data.
 * Not: the stored state (model/story), who the organizers are (model/organizer).
 * DIAGNOSTICS: EX_NOUSER for an unknown story; compose and outbox errors as they are.
 * THREADS: one database connection per thread, like outbox_enqueue.
 */
#ifndef PM_STORY_NEWS_H
#define PM_STORY_NEWS_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "model/story.h"

/*
 * story_news_moderate - set story id to status (story_moderate) on behalf of `by` (an
 * organizer's address, or NULL: the command line) and queue the author's note (approved
 * only; not for a forgotten author) and the organizers' notice. The caller holds the
 * transaction. *queued (may be NULL) gets how many messages were queued.
 */
gboolean story_news_moderate(PmDb *db, const PmConfig *cfg, gint64 id, StoryStatus status,
			      const char *by, guint *queued, GError **error);

#endif
