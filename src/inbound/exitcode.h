/*
 * exitcode.h - the exit status an MTA sees: the one mapping from peermail's errors to what
 * `peermail receive` exits with and what the LMTP server answers.
 *
 * Owns: which failures make the MTA bounce the message (EX_NOUSER 67: unknown address,
 * list, petition or token; EX_DATAERR 65: not a message, or over the limits) and that every
 * other failure makes it retry (EX_TEMPFAIL 75): a broken or missing configuration, the
 * database, a usage error in the pipe command, internal errors, errors of other domains,
 * crashes and g_error() aborts (a3ee8c5: libxml2 that cannot be loaded).
 * Not: which code a failure gets (message.c, inbound.c and the routes set them), nor the
 * exit status of the other commands (main).
 * THREADS: inbound_exit_status may be called from any thread; inbound_exit_guard only from
 * main, before any thread starts.
 */
#ifndef PM_INBOUND_EXITCODE_H
#define PM_INBOUND_EXITCODE_H

#include <glib.h>

/* inbound_exit_status - the sysexits value an MTA should see for error (NULL: 0) */
int inbound_exit_status(const GError *error);

/*
 * inbound_exit_error - for a failed `receive`: make *error a PM_ERROR whose code is
 * inbound_exit_status() of it, keeping its message; a failure without an error becomes
 * EX_TEMPFAIL "internal error". error must not be NULL.
 */
void inbound_exit_error(GError **error);

/*
 * inbound_exit_guard - from now on a fatal signal (SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
 * SIGILL, and SIGTRAP, which g_error() raises) ends the process with the status of an
 * internal error (75) and a one-line reason on stderr. Returns FALSE, installing nothing,
 * when built with AddressSanitizer (it reports those signals itself).
 */
gboolean inbound_exit_guard(void);

#endif
