/*
 * main.c - peermail's entry point: global options, command dispatch, exit codes.
 *
 * Only main decides the exit status: a command returns FALSE with a PM_ERROR whose code
 * is a sysexits.h value. `receive` (an MTA waits on it) has already recoded its error with
 * the one MTA mapping, inbound/exitcode.h.
 */
#include <malloc.h>
#include <gmime/gmime.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "base/log.h"
#include "base/pm.h"

static const CmdInfo commands[] = {
	{ "init", cmd_init, "init", "create or upgrade the database; create the secret" },
	{ "check-config", cmd_check_config, "check-config",
	  "validate the configuration and print the effective settings" },
	{ "receive", cmd_receive, "receive [--sender ADDR] [--recipient ADDR]",
	  "read one message on stdin (MTA pipe) and record what it means" },
	{ "inspect", cmd_inspect, "inspect [--json] < MESSAGE",
	  "show how peermail reads a message; records nothing" },
	{ "template", cmd_template, "template render FILE [--data F.json]", "render a Mustache template" },
	{ "run", cmd_run, "run [--once] [--lmtp ADDR]", "scheduler and sender (foreground daemon; --once: one pass)" },
	{ "outbox", cmd_outbox, "outbox [--json] | outbox flush",
	  "queue counts; flush makes deferred messages due now" },
	{ "member", cmd_member, "member add|import|export|show|forget ...", "members" },
	{ "list", cmd_list, "list create|show|ls ...", "lists and their members" },
	{ "petition", cmd_petition, "petition create|open|close|show|signatures|import|ls ...",
	  "petitions and signatures" },
	{ "story", cmd_story, "story ls|approve|reject ...", "members' stories, moderated" },
	{ "newsletter", cmd_newsletter,
	  "newsletter create|preview|schedule|send|cancel|status|ls ...", "newsletters" },
	{ "stats", cmd_stats, "stats [--json]", "counts for organizers" },
	{ "target", cmd_target, "target add|edit|ls", "targets (legislators) and their petitions" },
	{ "district", cmd_district, "district import FILE.csv | district ls",
	  "postcode -> district lookup" },
	{ "deliver", cmd_deliver, "deliver SLUG [--now]",
	  "compile and queue deliveries to the targets" },
	{ "delivery", cmd_delivery, "delivery ls|config", "deliveries, replies, settings" },
	{ "dns-records", cmd_dns_records, "dns-records",
	  "the SPF, DKIM and DMARC TXT records to publish" },
	{ NULL, NULL, NULL, NULL }
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: peermail [--config FILE] COMMAND [ARGS...]\n\n"
		     "peermail runs petitions, lists, newsletters and deliveries by email.\n\n"
		     "Commands:\n");
	for (const CmdInfo *c = commands; c->name; c++)
		fprintf(out, "  %-44s %s\n", c->usage, c->summary);
	fprintf(out, "\nEvery command takes --config FILE and --help.\n"
		     "Exit codes follow sysexits.h: 64 usage, 65 data, 66 no input, 67 no user,\n"
		     "75 temporary failure, 78 configuration.\n");
}

static int exit_code(const GError *e)
{
	int code = e->domain == PM_ERROR ? e->code : EX_SOFTWARE;

	if (code <= 0 || code > 255)
		code = EX_SOFTWARE;
	return code;
}

int main(int argc, char **argv)
{
	const CmdInfo *cmd = NULL;
	GError *error = NULL;
	int i = 1, rc = 0;

	/* glibc gives the top of the heap back at every free past 128 KiB and takes it again
	 * at the next allocation: per message in the send loop, each time with page faults and
	 * a TLB shootdown across the threads (a third of the CPU of a newsletter run). Freed
	 * memory is kept up to 64 MiB instead; what is in use is unchanged. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			cli_set_config_path(argv[i + 1]);
			i += 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			cli_set_config_path(argv[i] + 9);
			i++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
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
		usage(stderr);
		return EX_USAGE;
	}
	for (const CmdInfo *c = commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			cmd = c;
	if (cmd == NULL) {
		fprintf(stderr, "peermail: unknown command '%s' (see peermail --help)\n", argv[i]);
		return EX_USAGE;
	}
	log_open(cmd->name, FALSE);
	g_mime_init();
	if (!cmd->func(argc - i, argv + i, &error)) {
		rc = error ? exit_code(error) : EX_SOFTWARE;
		fprintf(stderr, "peermail: %s\n", error ? error->message : "failed");
		g_clear_error(&error);
	}
	cli_cleanup();
	g_mime_shutdown();
	return rc;
}
