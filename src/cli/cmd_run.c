/*
 * cmd_run.c - `peermail run [--once]`: the scheduler and sender in the foreground
 * (systemd-friendly: logs on stderr/syslog, SIGTERM finishes what is in flight and exits
 * 0, SIGHUP reloads the configuration between passes). --once does one pass (cron, tests).
 */
#include <signal.h>
#include <string.h>
#include "cli/cmd.h"
#include "inbound/lmtp.h"
#include "base/log.h"
#include "base/pm.h"
#include "run/scheduler.h"

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

/* cmd_run - parse, install the signal handlers, run the scheduler */
gboolean cmd_run(int argc, char **argv, GError **error)
{
	gboolean once = FALSE, ok;
	char *lmtp_addr = NULL;
	PmLmtp *lmtp = NULL;
	GOptionEntry entries[] = {
		{ "once", 0, 0, G_OPTION_ARG_NONE, &once,
		  "do everything due now, then exit (cron, tests)", NULL },
		{ "lmtp", 0, 0, G_OPTION_ARG_STRING, &lmtp_addr,
		  "also receive mail by LMTP on HOST:PORT or unix:/path", "ADDR" },
		G_OPTION_ENTRY_NULL
	};
	SchedulerOpts opts = { FALSE, &run_stop, &run_reload, NULL };
	struct sigaction sa;
	const PmConfig *cfg;
	const PmSecret *key;
	PmDb *db;

	if (!cli_parse(&argc, &argv, NULL,
		       "Run the scheduler and the sender in the foreground: queue what is due "
		       "and send it. SIGTERM finishes the messages in flight and exits; SIGHUP "
		       "reloads the configuration.", entries, error))
		return FALSE;
	if (argc != 1) {
		g_free(lmtp_addr);
		return cli_usage_error(error, "run [--once] [--lmtp ADDR]");
	}
	if ((cfg = cli_config(error)) == NULL || (db = cli_db(error)) == NULL ||
	    (key = cli_secret(error)) == NULL) {
		g_free(lmtp_addr);
		return FALSE;
	}
	log_open("run", cfg->syslog);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	opts.once = once;
	/* the LMTP listener runs beside the scheduler, with its own database connections */
	if (lmtp_addr && (lmtp = lmtp_start(cfg, key, lmtp_addr, error)) == NULL) {
		g_free(lmtp_addr);
		return FALSE;
	}
	ok = scheduler_run(db, cfg, key, &opts, error);
	lmtp = lmtp_stop(lmtp);
	g_free(lmtp_addr);
	return ok;
}
