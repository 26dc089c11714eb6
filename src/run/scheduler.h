/*
 * scheduler.h - the `run` loop: each pass runs the producer tasks (which expand due
 * newsletters, deliveries... into the outbox), then sends what is due.
 *
 * Owns: the task table, the pass loop, sleeping until the next due message, SIGTERM
 * (finish what is in flight, exit 0) and SIGHUP (reload the configuration between
 * passes). Not: what a task produces (its module), sending (sender).
 *
 * THREADS: main thread only; it owns the database connection the sender uses.
 */
#ifndef PM_SCHEDULER_H
#define PM_SCHEDULER_H

#include <glib.h>
#include <signal.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/*
 * A producer task: called once per pass in the main thread; queues what is due with
 * outbox_enqueue in its own transactions. FALSE with error is logged and the pass goes on.
 */
typedef gboolean (*SchedulerTaskFn)(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				    GError **error);

typedef struct {
	const char *name;      /* for logs: "newsletters", "deliveries" */
	SchedulerTaskFn run;
} SchedulerTask;

/*
 * scheduler_tasks - the registered producers, a static table in scheduler.c that modules
 * add one line to; ends with { NULL, NULL }.
 */
extern const SchedulerTask scheduler_tasks[];

/* scheduler_run_tasks - run every task of tasks (NULL: scheduler_tasks) once */
void scheduler_run_tasks(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			 const SchedulerTask *tasks);

typedef struct {
	gboolean once;                          /* one pass, then return */
	const volatile sig_atomic_t *stop;      /* set by SIGTERM/SIGINT */
	volatile sig_atomic_t *reload;          /* set by SIGHUP; cleared when handled */
	const SchedulerTask *tasks;             /* NULL: scheduler_tasks */
} SchedulerOpts;

/*
 * scheduler_run - passes until *stop (or one with once). cfg is borrowed; a SIGHUP loads
 * cfg->path again and, when valid, uses it from the next pass on (an invalid file is
 * logged and the old configuration kept). Returns FALSE with error when sending cannot
 * start or, with once, when the pass failed.
 */
gboolean scheduler_run(PmDb *db, const PmConfig *cfg, const PmSecret *key,
		       const SchedulerOpts *opts, GError **error);

#endif
