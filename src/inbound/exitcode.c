/*
 * exitcode.c - the exit status an MTA sees (see exitcode.h): bounce only for 65 and 67,
 * retry (75) for everything else, crashes included.
 *
 * DIAGNOSTICS: inbound_exit_guard writes "peermail: internal error (signal), will retry"
 * to stderr when a fatal signal arrives.
 */
#include <signal.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/pm.h"
#include "inbound/exitcode.h"

#if defined(__SANITIZE_ADDRESS__)
#define PM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PM_SANITIZED 1
#endif
#endif

/* inbound_exit_status - 0, the bounce codes 65 and 67 as they are, else 75 */
int inbound_exit_status(const GError *error)
{
	if (error == NULL)
		return 0;
	if (error->domain == PM_ERROR &&
	    (error->code == EX_NOUSER || error->code == EX_DATAERR))
		return error->code;
	return EX_TEMPFAIL;
}

/* inbound_exit_error - *error recoded (or created) as PM_ERROR with the MTA's status */
void inbound_exit_error(GError **error)
{
	GError *e = *error;

	if (e == NULL) {
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "internal error");
		return;
	}
	if (e->domain != PM_ERROR) {
		*error = g_error_new_literal(PM_ERROR, inbound_exit_status(e), e->message);
		g_error_free(e);
		return;
	}
	e->code = inbound_exit_status(e);
}

#ifndef PM_SANITIZED
/* crash - a fatal signal: tell the MTA to retry rather than bounce (async-signal-safe) */
static void crash(int sig)
{
	static const char msg[] = "peermail: internal error (signal), will retry\n";
	ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)n;
	(void)sig;
	_exit(EX_TEMPFAIL);
}
#endif

/* inbound_exit_guard - fatal signals exit 75 (not under sanitizers, which report them) */
gboolean inbound_exit_guard(void)
{
#ifndef PM_SANITIZED
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL,
				     SIGTRAP /* g_error(): e.g. libxml2 cannot be loaded */ };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash;
	sigemptyset(&sa.sa_mask);
	for (gsize i = 0; i < G_N_ELEMENTS(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	return TRUE;
#else
	return FALSE;
#endif
}
