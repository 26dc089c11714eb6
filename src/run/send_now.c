/*
 * send_now.c - `newsletter send`: one newsletter sent from this process, slice by slice.
 */
#include <stdio.h>
#include <unistd.h>
#include "base/pm.h"
#include "base/progress.h"
#include "model/newsletter.h"
#include "model/outbox.h"
#include "run/send_now.h"
#include "run/sender.h"

/* newsletter_send_wait - expand and send newsletter id from this process, with progress */
gboolean newsletter_send_wait(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			      const volatile sig_atomic_t *stop, GError **error)
{
	Sender *s = sender_new(db, cfg, key, NULL, error);
	Progress *p;
	Newsletter *n = NULL;
	NewsletterCounts c;
	gboolean ok = TRUE;
	gint64 audience = 0;
	char *what = g_strdup_printf("newsletter %" G_GINT64_FORMAT, id);

	if (s == NULL) {
		g_free(what);
		return FALSE;
	}
	newsletter_audience(db, id, &audience, NULL);
	p = progress_new(stderr, what, audience, isatty(STDERR_FILENO));
	while (ok && !*stop) {
		gint64 added = 0;

		/* a slice at a time, so the progress moves while a large list is sent */
		ok = newsletter_expand(db, pm_now(), 500, 500, &added, error) &&
		     sender_pass(s, stop, NULL, error) &&
		     newsletter_finish(db, pm_now(), error) &&
		     newsletter_counts(db, id, &c, error);
		if (!ok)
			break;
		newsletter_free(n);
		if ((n = newsletter_need(db, id, error)) == NULL) {
			ok = FALSE;
			break;
		}
		if (n->expanded_at)
			progress_set_total(p, c.recipients);
		progress_update(p, c.sent + c.failed + c.cancelled);
		if (n->status != NEWSLETTER_STATUS_SENDING &&
		    n->status != NEWSLETTER_STATUS_SCHEDULED)
			break;
		/* deferred copies wait for their retry time: leave them to `peermail run` */
		if (n->expanded_at && added == 0 && c.queued > 0) {
			gint64 due = 0;

			if (outbox_next_due(db, &due, NULL) && due > pm_now())
				break;
		}
	}
	p = progress_finish(p);
	if (ok && n)
		printf("newsletter %" G_GINT64_FORMAT " %s: %" G_GINT64_FORMAT " sent, %"
		       G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT " waiting for a retry\n", id,
		       newsletter_status_name(n->status), c.sent, c.failed, c.queued);
	newsletter_free(n);
	sender_free(s);
	g_free(what);
	return ok;
}

/* newsletter_send - due now; with wait, sent from here */
gboolean newsletter_send(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			 gboolean wait, const volatile sig_atomic_t *stop, GError **error)
{
	Newsletter *n = newsletter_need(db, id, error);
	gboolean going;

	if (n == NULL)
		return FALSE;
	going = n->status == NEWSLETTER_STATUS_SENDING;
	newsletter_free(n);
	/* --wait on one already going out just follows it */
	if (!(wait && going) && !newsletter_schedule(db, id, pm_now(), error))
		return FALSE;
	return !wait || newsletter_send_wait(db, cfg, key, id, stop, error);
}
