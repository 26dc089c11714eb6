/*
 * cmd_receive.c - `peermail receive`: one message on stdin from an MTA pipe.
 *
 * Only the envelope lives here; the table parses the arguments and loads the
 * configuration, the pipeline is inbound's, and so is the exit status the MTA acts on
 * (inbound/exitcode.h: 65 and 67 bounce, everything else, crashes and usage errors
 * included, is 75 so that the message is retried, never bounced by accident; the row's
 * CMD_MTA applies it to every failure, the table's own included).
 */
#include <stdio.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "inbound/handoff.h"
#include "inbound/inbound.h"
#include "base/log.h"
#include "base/pm.h"

/* cmd_receive - read one message on stdin and run it through the pipeline */
gboolean cmd_receive(CmdCtx *c, GError **error)
{
	const PmConfig *cfg = c->cfg;
	const PmSecret *key;
	PmDb *db;
	char *sender = g_strdup(c->o->sender), *recipient = g_strdup(c->o->recipient);
	GBytes *raw = NULL;
	InboundOutcome out = { 0 };
	gboolean ok = FALSE;

	/* with syslog, stderr keeps only the one-line reason the MTA puts in its bounce */
	log_open("receive", cfg->syslog);
	log_set_quiet(cfg->syslog);
	inbound_envelope_from_env(cfg, &sender, &recipient);
	/* the message first: an over-size one is refused before anything is opened */
	if ((raw = inbound_read_fd(STDIN_FILENO, cfg->max_message_size, error)) == NULL)
		goto done;
	/* the thin client: the running daemon decides, already warm (no GMime, no SQLite,
	 * no templates here); without a daemon, or one that died mid-transfer, process here
	 * (idempotency makes a message it committed before dying a duplicate) */
	if (sender && recipient && *recipient &&
	    inbound_handoff(cfg, raw, sender, recipient, &ok, error) == HANDOFF_DONE)
		goto done;
	g_mime_init();          /* never shut down: the process ends with the message */
	if ((key = cli_secret(error)) == NULL || (db = cli_db(error)) == NULL)
		goto done;
	/* WAL on close: SQLite's default. The last connection to close checkpoints and removes
	 * the WAL; while `peermail run` (or another receive) has the database open, the WAL
	 * stays and the usual auto-checkpoints keep it short. Leaving it behind on every exit
	 * (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE) was worse: the next process, first to open,
	 * rebuilds the WAL index by reading the whole WAL, which then never restarts, so each
	 * receive read and checkpointed an ever longer WAL (45 ms per message after 1,000). */
	/* The MTA deletes its copy once we exit 0: the commit must be on disk by then. */
	db_sync_full(db, NULL);
	ok = inbound_process(db, cfg, key, raw, sender, recipient, &out, error);
	inbound_outcome_clear(&out);
done:
	if (raw)
		g_bytes_unref(raw);
	g_free(sender);
	g_free(recipient);
	return ok;
}
