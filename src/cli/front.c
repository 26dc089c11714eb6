/*
 * front.c - the `peermail` program itself: a small front that a mail server can start
 * once per message, and that runs the whole program (peermail-full) for everything else.
 *
 * Owns: the fast path of `peermail receive` while the daemon runs: load the configuration
 * (config_load, the one reader), take the envelope (inbound/envelope.h), read the message
 * within the size limit, hand it to the daemon over lmtp.socket (inbound/handoff.h) and
 * exit with the daemon's verdict (inbound/exitcode.h), exactly as the whole program's
 * receive does. It links GLib and libconfuse only (statically when the static libraries
 * are there, see the Makefile), so it starts in well under a millisecond; the whole
 * program, with GMime, SQLite, GIO, json-glib and their 25 shared libraries, needs about
 * 2.5 ms before main, which was the pipe client's floor.
 * Everything else is the whole program's, with the same arguments: every other command,
 * --help, --version, an option the fast path does not know, a configuration that does
 * not load, no daemon, a daemon that went away before its verdict. A message already
 * read is then its standard input again (a memfd, read from the start).
 * Not: what any command does, nor the command table (commands.c: the whole program's).
 *
 * Finding peermail-full: beside this program (the build tree), then
 * ../libexec/peermail/peermail-full from its folder (an installed tree, wherever it was
 * copied), then PEERMAIL_LIBEXECDIR/peermail-full (the folder compiled in).
 *
 * DIAGNOSTICS: as the whole program's receive: "peermail: REASON" on stderr and the MTA's
 * exit status (0, 65, 67, else 75). When peermail-full cannot be run: 75 for receive (the
 * MTA retries), 69 otherwise.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/config.h"
#include "base/log.h"
#include "base/pm.h"
#include "inbound/envelope.h"
#include "inbound/exitcode.h"
#include "inbound/handoff.h"

#ifndef PEERMAIL_LIBEXECDIR
#define PEERMAIL_LIBEXECDIR "/usr/local/libexec/peermail"
#endif
#define FULL_NAME "peermail-full"

/* full_path - where peermail-full is (see the header); caller frees */
static char *full_path(void)
{
	char *self = g_file_read_link("/proc/self/exe", NULL);
	char *dir = self ? g_path_get_dirname(self) : NULL;
	char *cand[3] = {
		dir ? g_build_filename(dir, FULL_NAME, NULL) : NULL,
		dir ? g_build_filename(dir, "..", "libexec", "peermail", FULL_NAME, NULL) : NULL,
		g_build_filename(PEERMAIL_LIBEXECDIR, FULL_NAME, NULL),
	};
	char *found = NULL;

	for (int i = 0; i < 3; i++) {
		if (found == NULL && cand[i] && access(cand[i], X_OK) == 0)
			found = g_steal_pointer(&cand[i]);
		g_free(cand[i]);
	}
	g_free(dir);
	g_free(self);
	return found;
}

/* run_full - exec peermail-full with argv (stdin first replaced by raw when given);
 * returns only on failure, with the exit status to use */
static int run_full(char **argv, GBytes *raw, gboolean receive)
{
	char *full = full_path();

	if (raw) {
		/* the message was read: give it back as standard input, from the start */
		gsize len;
		const char *p = g_bytes_get_data(raw, &len);
		int fd = memfd_create("peermail-message", 0);

		if (fd < 0)
			goto fail;
		while (len > 0) {
			ssize_t n = write(fd, p, len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				goto fail;
			p += n;
			len -= (gsize)n;
		}
		if (lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, STDIN_FILENO) < 0)
			goto fail;
		close(fd);
	}
	if (full)
		execv(full, argv);
fail:
	fprintf(stderr, "peermail: cannot run %s: %s\n", full ? full : FULL_NAME,
		full ? g_strerror(errno) : "not found beside peermail nor in "
		PEERMAIL_LIBEXECDIR);
	g_free(full);
	return receive ? EX_TEMPFAIL : EX_UNAVAILABLE;
}

/* opt_value - the value of --NAME VALUE or --NAME=VALUE at argv[*i] (advancing *i past
 * it), or NULL when argv[*i] is not that option */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	gsize n = strlen(name);

	if (strncmp(argv[*i], "--", 2) != 0 || strncmp(argv[*i] + 2, name, n) != 0)
		return NULL;
	if (argv[*i][n + 2] == '=')
		return argv[(*i)++] + n + 3;
	if (argv[*i][n + 2] == '\0' && *i + 1 < argc) {
		*i += 2;
		return argv[*i - 1];
	}
	return NULL;
}

/* is_receive - TRUE when the command is receive (after any global options) */
static gboolean is_receive(int argc, char **argv)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-')
		i += strcmp(argv[i], "--config") == 0 ? 2 : 1;
	return i < argc && strcmp(argv[i], "receive") == 0;
}

/* receive_args - TRUE when argv is `[--config F] receive [--sender S] [--recipient R]
 * [--config F]` (each at most once, GOption's two spellings): the fast path's only form */
static gboolean receive_args(int argc, char **argv, const char **config, const char **sender,
			     const char **recipient)
{
	int i = 1;
	const char *v;

	if (i < argc && (v = opt_value(argc, argv, &i, "config")) != NULL)
		*config = v;
	if (i >= argc || strcmp(argv[i], "receive") != 0)
		return FALSE;
	for (i++; i < argc;) {
		if ((v = opt_value(argc, argv, &i, "sender")) != NULL && *sender == NULL)
			*sender = v;
		else if (v == NULL && (v = opt_value(argc, argv, &i, "recipient")) != NULL &&
			 *recipient == NULL)
			*recipient = v;
		else if (v == NULL && (v = opt_value(argc, argv, &i, "config")) != NULL &&
			 *config == NULL)
			*config = v;
		else
			return FALSE;
	}
	return TRUE;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *sender_arg = NULL, *rcpt_arg = NULL;
	char *sender, *recipient;
	PmConfig *cfg;
	GBytes *raw;
	GError *error = NULL;
	gboolean ok = FALSE;
	HandoffResult r;
	int rc;

	if (!receive_args(argc, argv, &config, &sender_arg, &rcpt_arg))
		return run_full(argv, NULL, is_receive(argc, argv));
	if ((cfg = config_load(config, NULL)) == NULL || cfg->lmtp_socket == NULL)
		return run_full(argv, NULL, TRUE);     /* it says what is wrong; or no daemon */
	signal(SIGPIPE, SIG_IGN);
	g_set_prgname("peermail");
	inbound_exit_guard();
	log_open("receive", cfg->syslog);
	log_set_quiet(cfg->syslog);
	sender = g_strdup(sender_arg);
	recipient = g_strdup(rcpt_arg);
	inbound_envelope_from_env(cfg, &sender, &recipient);
	if (!(sender && recipient && *recipient))
		return run_full(argv, NULL, TRUE);     /* the pipeline finds the recipient */
	if ((raw = inbound_read_fd(STDIN_FILENO, cfg->max_message_size, &error)) == NULL) {
		/* what the whole program's receive says and exits with, read the same way */
		inbound_exit_error(&error);
		fprintf(stderr, "peermail: %s\n", error->message);
		rc = error->code;
		g_error_free(error);
		g_free(sender);
		g_free(recipient);
		config_free(cfg);
		return rc;
	}
	r = inbound_handoff(cfg, raw, sender, recipient, &ok, &error);
	if (r != HANDOFF_DONE)
		return run_full(argv, raw, TRUE);
	rc = 0;
	if (!ok) {
		inbound_exit_error(&error);
		fprintf(stderr, "peermail: %s\n", error->message);
		rc = error->code;
		g_error_free(error);
	}
	g_bytes_unref(raw);
	g_free(sender);
	g_free(recipient);
	config_free(cfg);
	return rc;
}
