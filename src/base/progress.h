/*
 * progress.h - progress of a long send: a bar with rate and time left on a terminal, plain
 * log lines otherwise (cron, pipes, systemd).
 *
 * Owns: drawing and pacing the output (a terminal redraws at most 10 times a second; a
 * log line is written every 10% or 30 seconds). Not: what is counted.
 *
 * THREADS: one Progress belongs to the thread that draws it.
 */
#ifndef PM_PROGRESS_H
#define PM_PROGRESS_H

#include <stdio.h>
#include <glib.h>

typedef struct Progress Progress;

/* progress_new - report on out (borrowed) about total items; tty chooses the bar. Free with
 * progress_finish. */
Progress *progress_new(FILE *out, const char *what, gint64 total, gboolean tty);

/* progress_set_total - the total changed (more recipients expanded) */
void progress_set_total(Progress *p, gint64 total);

/* progress_update - done items so far; draws when it is time to */
void progress_update(Progress *p, gint64 done);

/* progress_finish - the final line; frees p and returns NULL */
Progress *progress_finish(Progress *p);

/*
 * progress_format - one status text: "[#####.....]  500/1000  50%  120/s  0:04 left"
 * (bar of width characters; 0: no bar) for done of total after elapsed seconds. Caller frees.
 */
char *progress_format(gint64 done, gint64 total, double elapsed, int width);

#endif
