/*
 * send_now.h - `newsletter send`: expand and send one newsletter from this process, with
 * a progress display, instead of waiting for `peermail run`.
 *
 * Owns: the loop that alternates expansion and sender passes for one newsletter.
 * THREADS: main thread only (it owns a Sender).
 */
#ifndef PM_SEND_NOW_H
#define PM_SEND_NOW_H

#include <signal.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/*
 * newsletter_send_wait - expand and send newsletter id (already due) from this process,
 * slice by slice, drawing progress on stderr (a bar on a terminal, log lines otherwise),
 * until it is sent, cancelled, or only deferred copies remain (left to `peermail run`),
 * or *stop. Prints a summary line on stdout.
 */
gboolean newsletter_send_wait(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			      const volatile sig_atomic_t *stop, GError **error);

/*
 * newsletter_send - `newsletter send ID [--wait]`: make newsletter id due now
 * (newsletter_schedule; EX_NOUSER for an unknown id, EX_DATAERR for one sent or
 * cancelled), then with wait send it from this process (newsletter_send_wait). With wait,
 * one already going out (a `run` started it) is not rescheduled: this process follows it.
 */
gboolean newsletter_send(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			 gboolean wait, const volatile sig_atomic_t *stop, GError **error);

#endif
