/*
 * log.c - syslog (LOG_MAIL) and stderr logging.
 *
 * The only mutable state is set once by log_open() in main, before any thread starts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include "base/log.h"

static gboolean log_syslog;
static gboolean log_quiet;

/* log_open - choose destinations */
void log_open(const char *ident, gboolean use_syslog)
{
	static char name[64];

	g_snprintf(name, sizeof(name), "peermail/%s", ident);
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(name, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* log_set_quiet - keep info lines off stderr */
void log_set_quiet(gboolean quiet)
{
	log_quiet = quiet;
}

static void log_emit(int prio, const char *fmt, va_list ap)
{
	char *line = g_strdup_vprintf(fmt, ap);

	if (log_syslog)
		syslog(prio, "%s", line);
	if (prio != LOG_INFO || !log_quiet)
		fprintf(stderr, "peermail: %s\n", line);
	g_free(line);
}

void log_info_many(GPtrArray *lines)
{
	GString *out;

	if (lines->len == 0)
		return;
	if (log_syslog)
		for (guint i = 0; i < lines->len; i++)
			syslog(LOG_INFO, "%s", (const char *)g_ptr_array_index(lines, i));
	if (log_quiet)
		return;
	out = g_string_sized_new(lines->len * 100);
	for (guint i = 0; i < lines->len; i++) {
		g_string_append_len(out, "peermail: ", 10);
		g_string_append(out, g_ptr_array_index(lines, i));
		g_string_append_c(out, '\n');
	}
	fwrite(out->str, 1, out->len, stderr);
	g_string_free(out, TRUE);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_ERR, fmt, ap);
	va_end(ap);
}
