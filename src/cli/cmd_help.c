/*
 * cmd_help.c - `peermail help [COMMAND...] [--synopsis]`: the table's texts.
 */
#include <stdio.h>
#include <sysexits.h>
#include "cli/cmd.h"
#include "base/pm.h"

/* cmd_help - every command, one command's help, or the synopsis of docs/cli.md */
gboolean cmd_help(CmdCtx *c, GError **error)
{
	const Cmd *cmd;
	int words = 0;

	if (c->o->synopsis) {
		cli_print_synopsis(stdout);
		return TRUE;
	}
	if (c->argc == 0) {
		cli_print_help(stdout);
		return TRUE;
	}
	cmd = cli_find(c->argc, c->argv, &words);
	if (cmd == NULL || words != c->argc) {
		g_set_error(error, PM_ERROR, EX_USAGE, "help: unknown command '%s' (see peermail "
			    "--help)", c->argv[words]);
		return FALSE;
	}
	cli_print_cmd_help(cmd, stdout);
	return TRUE;
}
