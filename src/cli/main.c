/*
 * main.c - peermail's entry point: global options, command dispatch, exit codes.
 *
 * Only main decides the exit status: a command returns FALSE with a PM_ERROR whose code
 * is a sysexits.h value. `receive` (an MTA waits on it) has already recoded its error with
 * the one MTA mapping, inbound/exitcode.h (its row is CMD_MTA).
 */
#include <malloc.h>
#include <gmime/gmime.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cli.h"
#include "base/log.h"
#include "base/pm.h"

static int exit_code(const GError *e)
{
	int code = e->domain == PM_ERROR ? e->code : EX_SOFTWARE;

	if (code <= 0 || code > 255)
		code = EX_SOFTWARE;
	return code;
}

int main(int argc, char **argv)
{
	const Cmd *cmd = NULL;
	GError *error = NULL;
	char *name;
	int i = 1, words = 0, rc = 0;

	/* glibc gives the top of the heap back at every free past 128 KiB and takes it again
	 * at the next allocation: per message in the send loop, each time with page faults and
	 * a TLB shootdown across the threads (a third of the CPU of a newsletter run). Freed
	 * memory is kept up to 64 MiB instead; what is in use is unchanged. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	g_set_prgname("peermail");
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			cli_set_config_path(argv[i + 1]);
			i += 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			cli_set_config_path(argv[i] + 9);
			i++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("peermail %s\n", PEERMAIL_VERSION);
			return 0;
		} else {
			fprintf(stderr, "peermail: unknown option %s (see peermail --help)\n", argv[i]);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		cli_print_help(stderr);
		return EX_USAGE;
	}
	if ((cmd = cli_find(argc - i, argv + i, &words)) == NULL) {
		fprintf(stderr, "peermail: unknown command '%s' (see peermail --help)\n", argv[i]);
		return EX_USAGE;
	}
	/* the log knows a command by its first word */
	name = g_strndup(cmd->name, strcspn(cmd->name, " "));
	log_open(name, FALSE);
	if (!(cmd->flags & CMD_OWN_MIME))
		g_mime_init();
	if (!cli_run(cmd, words, argc - i, argv + i, &error)) {
		rc = error ? exit_code(error) : EX_SOFTWARE;
		fprintf(stderr, "peermail: %s\n", error ? error->message : "failed");
		g_clear_error(&error);
	}
	g_free(name);
	cli_cleanup();
	if (!(cmd->flags & CMD_OWN_MIME))
		g_mime_shutdown();
	return rc;
}
