/*
 * log.h - logging to syslog (LOG_MAIL) and stderr.
 *
 * Owns: where log lines go. Not: what is secret. Callers never pass a secret or a whole
 * token; address_redact() (address.h) shortens tokens in addresses for correlation.
 *
 * THREADS: any thread; each line goes out in one write. log_open and log_set_quiet are
 * main-thread only, before any thread starts.
 */
#ifndef PM_LOG_H
#define PM_LOG_H

#include <glib.h>

/* log_open - start logging as "peermail/IDENT"; use_syslog FALSE keeps stderr only */
void log_open(const char *ident, gboolean use_syslog);

/* log_set_quiet - TRUE: info lines go to syslog only, not stderr */
void log_set_quiet(gboolean quiet);

void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_err(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* log_info_many - info lines (char*, borrowed) at once: stderr gets them in one write,
 * syslog one record each; for the sender's line per message */
void log_info_many(GPtrArray *lines);

#endif
