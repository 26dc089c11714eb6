/*
 * progress.c - a terminal progress bar or paced log lines.
 */
#include "base/progress.h"

struct Progress {
	FILE *out;
	char *what;
	gint64 total, done;
	gboolean tty;
	gint64 start;           /* monotonic microseconds */
	gint64 last_draw;
	gint64 drawn;           /* done at the last line written (not a tty) */
	int last_decile;
};

/* progress_new - start reporting */
Progress *progress_new(FILE *out, const char *what, gint64 total, gboolean tty)
{
	Progress *p = g_new0(Progress, 1);

	p->out = out;
	p->what = g_strdup(what ? what : "");
	p->total = total;
	p->tty = tty;
	p->start = p->last_draw = g_get_monotonic_time();
	return p;
}

/* progress_set_total - a new total */
void progress_set_total(Progress *p, gint64 total)
{
	p->total = total;
}

/* format_duration - append M:SS or H:MM:SS */
static void format_duration(GString *s, double secs)
{
	gint64 t = (gint64)(secs + 0.5);

	if (t >= 3600)
		g_string_append_printf(s, "%" G_GINT64_FORMAT ":%02d:%02d", t / 3600,
				       (int)(t / 60 % 60), (int)(t % 60));
	else
		g_string_append_printf(s, "%d:%02d", (int)(t / 60), (int)(t % 60));
}

/* progress_format - the status text */
char *progress_format(gint64 done, gint64 total, double elapsed, int width)
{
	GString *s = g_string_new(NULL);
	double frac = total > 0 ? (double)done / (double)total : 0.0;
	double rate = elapsed > 0 ? (double)done / elapsed : 0.0;

	if (frac > 1.0)
		frac = 1.0;
	if (width > 0) {
		int fill = (int)(frac * width + 0.5);

		g_string_append_c(s, '[');
		for (int i = 0; i < width; i++)
			g_string_append_c(s, i < fill ? '#' : '.');
		g_string_append(s, "]  ");
	}
	g_string_append_printf(s, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "  %3d%%  %.0f/s  ",
			       done, total, (int)(frac * 100), rate);
	if (done >= total && total > 0) {
		g_string_append(s, "done in ");
		format_duration(s, elapsed);
	} else if (rate > 0) {
		format_duration(s, (double)(total - done) / rate);
		g_string_append(s, " left");
	} else {
		g_string_append(s, "--:-- left");
	}
	return g_string_free(s, FALSE);
}

/* draw - write the status: redraw the bar line on a terminal, else a log line */
static void draw(Progress *p, gboolean final)
{
	double elapsed = (double)(g_get_monotonic_time() - p->start) / G_USEC_PER_SEC;
	char *text = progress_format(p->done, p->total, elapsed, p->tty ? 30 : 0);

	if (p->tty)
		fprintf(p->out, "\r%s %s\033[K%s", p->what, text, final ? "\n" : "");
	else
		fprintf(p->out, "%s: %s\n", p->what, text);
	p->drawn = p->done;
	fflush(p->out);
	g_free(text);
}

/* progress_update - record and maybe draw */
void progress_update(Progress *p, gint64 done)
{
	gint64 now = g_get_monotonic_time();
	int decile = p->total > 0 ? (int)(done * 10 / p->total) : 0;

	p->done = done;
	if (p->tty) {
		if (now - p->last_draw >= G_USEC_PER_SEC / 10) {
			p->last_draw = now;
			draw(p, FALSE);
		}
	} else if (decile > p->last_decile || now - p->last_draw >= 30 * G_USEC_PER_SEC) {
		p->last_decile = decile;
		p->last_draw = now;
		draw(p, FALSE);
	}
}

/* progress_finish - last line and free */
Progress *progress_finish(Progress *p)
{
	if (p) {
		/* a log line saying the same thing again is noise; the bar needs its newline */
		if (p->tty || p->drawn != p->done || p->done == 0)
			draw(p, TRUE);
		g_free(p->what);
		g_free(p);
	}
	return NULL;
}
