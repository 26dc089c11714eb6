/*
 * cmd_run.c - `peermail run [--once]`: the scheduler and sender in the foreground
 * (systemd-friendly: logs on stderr/syslog, SIGTERM finishes what is in flight and exits
 * 0, SIGHUP reloads the configuration between passes). --once does one pass (cron, tests).
 * Unless --once, it also serves LMTP on lmtp.socket, where `receive` hands messages over.
 */
#include <signal.h>
#include <string.h>
#include "cli/cmd.h"
#include "inbound/lmtp.h"
#include "inbound/socketmap.h"
#include "base/log.h"
#include "base/pm.h"
#include "run/scheduler.h"
#include "web/web.h"

/* The only mutable globals: set by the signal handlers, read by the loops. */
static volatile sig_atomic_t run_stop;
static volatile sig_atomic_t run_reload;

/* on_stop - SIGTERM/SIGINT: finish what is in flight, then exit */
static void on_stop(int sig)
{
	run_stop = 1;
}

/* on_hup - SIGHUP: reload the configuration between passes */
static void on_hup(int sig)
{
	run_reload = 1;
}

/* cmd_run - install the signal handlers, run the scheduler */
gboolean cmd_run(CmdCtx *c, GError **error)
{
	SchedulerOpts opts = { c->o->once, &run_stop, &run_reload, NULL };
	struct sigaction sa;
	PmLmtp *lmtp = NULL, *local = NULL;
	PmSocketmap *map = NULL;
	PmWeb *web = NULL;
	gboolean ok;

	log_open("run", c->cfg->syslog);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the LMTP listener runs beside the scheduler, with its own database connections */
	if (c->o->lmtp && (lmtp = lmtp_start(c->cfg, c->key, c->o->lmtp, error)) == NULL)
		return FALSE;
	/* the local socket `receive` hands messages to; without it receive works alone */
	if (!c->o->once && c->cfg->lmtp_socket) {
		char *addr = g_strconcat("unix:", c->cfg->lmtp_socket, NULL);
		GError *e = NULL;

		if (g_strcmp0(addr, c->o->lmtp) != 0 &&
		    (local = lmtp_start(c->cfg, c->key, addr, &e)) == NULL) {
			log_warn("%s (receive will process messages itself)", e->message);
			g_error_free(e);
		}
		g_free(addr);
	}
	if (c->o->socketmap &&
	    (map = socketmap_start(c->cfg, c->key, c->o->socketmap, error)) == NULL) {
		lmtp_stop(local);
		lmtp_stop(lmtp);
		return FALSE;
	}
	if (c->o->http && (web = web_start(c->cfg, c->key, c->o->http, NULL, error)) == NULL) {
		socketmap_stop(map);
		lmtp_stop(local);
		lmtp_stop(lmtp);
		return FALSE;
	}
	ok = scheduler_run(c->db, c->cfg, c->key, &opts, error);
	web_stop(web);
	socketmap_stop(map);
	lmtp_stop(local);
	lmtp_stop(lmtp);
	return ok;
}
