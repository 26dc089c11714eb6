/*
 * newsletter.h - newsletters: a Markdown + Mustache body sent to a list, one personalized
 * copy per member, scheduled, throttled and resumable.
 *
 * Owns: the newsletters table and its states (draft, scheduled, sending, sent, cancelled),
 * expanding a due newsletter into the outbox in batches exactly once (the cursor), and
 * rendering one member's copy at send time (an outbox renderer).
 * Not: sending (outbox/sender), the template language (template), MIME (compose).
 */
#ifndef PM_NEWSLETTER_H
#define PM_NEWSLETTER_H

#include <glib.h>
#include "config.h"
#include "db.h"

/*
 * newsletter_create - a draft for list (name), optionally linked to petition (slug;
 * NULL: none). template NULL is "newsletter". skip_signed leaves out members who signed
 * the linked petition. created_by is the organizer's address when mailed in, else NULL.
 * Returns the id, or 0 with error (EX_NOUSER for an unknown list or petition).
 */
gint64 newsletter_create(PmDb *db, const PmConfig *cfg, const char *list, const char *subject,
			 const char *body_markdown, const char *petition, const char *template_name,
			 gboolean skip_signed, const char *created_by, GError **error);

/* newsletter_schedule - send at unix time at (now or later); only a draft or scheduled one */
gboolean newsletter_schedule(PmDb *db, gint64 id, gint64 at, GError **error);

/* newsletter_cancel - stop it: queued copies not yet sent are cancelled */
gboolean newsletter_cancel(PmDb *db, gint64 id, GError **error);

/* newsletter_audience - how many members it would reach now */
gboolean newsletter_audience(PmDb *db, gint64 id, gint64 *count, GError **error);

#endif
