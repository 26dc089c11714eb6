/*
 * cmd_web.c - `peermail web [--listen ADDR]`: the public pages in the foreground until
 * SIGTERM or SIGINT (see web/web.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "base/log.h"
#include "web/web.h"

/* Set by the signal handler, read by the wait loop. */
static volatile sig_atomic_t web_stop_flag;

/* on_stop - SIGTERM/SIGINT: stop serving */
static void on_stop(int sig)
{
	web_stop_flag = 1;
}

/* cmd_web - serve until a signal */
gboolean cmd_web(CmdCtx *c, GError **error)
{
	WebLimits limits = { 0 };
	struct sigaction sa;
	sigset_t block, old;
	PmWeb *w;

	log_open("web", c->cfg->syslog);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	limits.per_ip = c->o->per_ip > 0 ? (unsigned)c->o->per_ip : 0;
	limits.connections = c->o->connections > 0 ? (unsigned)c->o->connections : 0;
	limits.timeout = c->o->timeout > 0 ? (unsigned)c->o->timeout : 0;
	limits.tls_cert = c->o->tls_cert;
	limits.tls_key = c->o->tls_key;
	/* block the signals until we wait for them, so that none is lost in between */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	w = web_start(c->cfg, c->key, c->o->listen ? c->o->listen : "127.0.0.1:8080", &limits,
		      error);
	if (w == NULL) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return FALSE;
	}
	printf("listening on port %u\n", web_port(w));
	fflush(stdout);
	while (!web_stop_flag)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	web_stop(w);
	return TRUE;
}
