/*
 * scheduler.c - the run loop: producer tasks, then the sender, then finishing newsletters
 * whose copies all went out, then sleep until the next message is due (at most
 * POLL_MAX_S, so mail queued by `receive` goes out promptly).
 */
#include "produce/delivery_send.h"
#include "produce/newsletter_render.h"
#include "model/delivery.h"
#include "base/log.h"
#include "produce/milestone.h"
#include "produce/review.h"
#include "model/newsletter.h"
#include "model/outbox.h"
#include "base/pm.h"
#include "produce/probe.h"
#include "produce/trending.h"
#include "run/scheduler.h"
#include "run/sender.h"

#define POLL_MAX_S 2

/* purge_task - stored bodies of finished messages are dropped once the bounce window
 * (bounces.window_days) is over: a late report names the outbox row, not the body */
static gboolean purge_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error)
{
	int n = 0;

	if (!db_begin(db, error))
		return FALSE;
	if (!outbox_purge_bodies(db, pm_now() - (gint64)cfg->bounce_window_days * 86400, &n,
				 error) || !db_commit(db, error)) {
		db_rollback(db);
		return FALSE;
	}
	if (n > 0)
		log_info("purged the stored bodies of %d sent messages", n);
	return TRUE;
}

/*
 * The producers, run in this order on every pass. Modules add theirs here, e.g.
 *   { "newsletters", newsletter_expand_due },
 *   { "deliveries", delivery_queue_due },
 */
const SchedulerTask scheduler_tasks[] = {
	{ "newsletters", newsletter_task },
	{ "milestones", milestone_task },
	{ "trending", trending_task },
	{ "moderation-delays", review_delay_task },
	{ "deliveries", delivery_queue_due },
	{ "probes", probe_task },
	{ "purge", purge_task },
	{ NULL, NULL }
};

/* scheduler_run_tasks - each task once; failures are logged, not fatal */
void scheduler_run_tasks(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			 const SchedulerTask *tasks)
{
	for (const SchedulerTask *t = tasks ? tasks : scheduler_tasks; t->run; t++) {
		GError *e = NULL;

		if (!t->run(db, cfg, key, &e)) {
			db_rollback(db);
			log_err("task %s: %s", t->name, e ? e->message : "failed");
			g_clear_error(&e);
		}
	}
}

/* nap - sleep until due (unix time) or POLL_MAX_S, waking early for a signal */
static void nap(PmDb *db, const SchedulerOpts *o)
{
	gint64 due = 0, now = pm_now();
	gint64 until_us = g_get_monotonic_time() + POLL_MAX_S * G_USEC_PER_SEC;

	if (outbox_next_due(db, &due, NULL) && due > 0 && due - now < POLL_MAX_S)
		until_us = g_get_monotonic_time() + MAX(0, due - now) * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < until_us && !*o->stop && !(o->reload && *o->reload))
		g_usleep(50 * 1000);
}

/* scheduler_run - the loop */
gboolean scheduler_run(PmDb *db, const PmConfig *cfg, const PmSecret *key,
		       const SchedulerOpts *o, GError **error)
{
	PmConfig *loaded = NULL;       /* a configuration reloaded by SIGHUP; ours */
	const PmConfig *cur = cfg;
	Sender *sender = sender_new(db, cur, key, NULL, error);
	gboolean ok = TRUE;

	if (sender == NULL)
		return FALSE;
	while (!*o->stop) {
		SenderStats st = { 0 };
		GError *e = NULL;

		scheduler_run_tasks(db, cur, key, o->tasks);
		/* the default tasks expand newsletters a slice at a time: the sender asks for
		 * the next slice while it sends the last one */
		if (o->tasks == NULL)
			sender_set_refill(sender, newsletter_refill, db);
		if (!sender_pass(sender, o->stop, &st, &e)) {
			if (o->once) {
				g_propagate_error(error, e);
				ok = FALSE;
				break;
			}
			log_err("send: %s", e->message);
			g_clear_error(&e);
		}
		if (st.sent || st.deferred || st.failed)
			log_info("pass: %u sent, %u deferred, %u failed", st.sent, st.deferred,
				 st.failed);
		/* a newsletter whose last copies went out in this pass is sent now: the
		 * commands that show it (newsletter status, stats) only read */
		if (o->tasks == NULL && !newsletter_finish(db, pm_now(), &e)) {
			log_err("newsletters: %s", e->message);
			g_clear_error(&e);
		}
		if (o->once)
			break;
		nap(db, o);
		if (o->reload && *o->reload) {
			PmConfig *fresh;

			*o->reload = 0;
			fresh = config_load(cur->path, &e);
			if (fresh == NULL) {
				log_err("reload: %s; keeping the running configuration", e->message);
				g_clear_error(&e);
				continue;
			}
			sender = sender_free(sender);
			sender = sender_new(db, fresh, key, NULL, &e);
			if (sender == NULL) {
				log_err("reload: %s; keeping the running configuration", e->message);
				g_clear_error(&e);
				config_free(fresh);
				sender = sender_new(db, cur, key, NULL, error);
				if (sender == NULL) {
					ok = FALSE;
					break;
				}
				continue;
			}
			config_free(loaded);
			loaded = fresh;
			cur = loaded;
			log_info("configuration reloaded from %s", cur->path);
		}
	}
	sender_free(sender);
	config_free(loaded);
	return ok;
}
