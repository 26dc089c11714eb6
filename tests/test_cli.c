/* test_cli.c - the command table: well formed, and found by its words */
#include <string.h>
#include "harness.h"
#include "cli/cli.h"

/* group_of - the row of name's first word, or NULL */
static const Cmd *group_of(const char *name)
{
	size_t n = strcspn(name, " ");

	for (const Cmd *c = cli_commands; c->name; c++)
		if (strlen(c->name) == n && strncmp(c->name, name, n) == 0)
			return c;
	return NULL;
}

TEST(table)
{
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	char *bad = NULL;

	for (const Cmd *c = cli_commands; c->name && bad == NULL; c++) {
		GHashTable *opts = g_hash_table_new(g_str_hash, g_str_equal);

		if (!g_hash_table_add(names, (gpointer)c->name))
			bad = g_strdup_printf("%s: declared twice", c->name);
		else if (c->summary == NULL || *c->summary == '\0')
			bad = g_strdup_printf("%s: no summary", c->name);
		else if ((c->flags & CMD_TXN) && !(c->flags & CMD_DB))
			bad = g_strdup_printf("%s: a transaction without the database", c->name);
		else if (c->run == NULL && (c->opts || c->flags))
			bad = g_strdup_printf("%s: a group row with options or needs", c->name);
		else if (strchr(c->name, ' ') && group_of(c->name) == NULL)
			bad = g_strdup_printf("%s: no row for its group", c->name);
		for (const CmdOpt *o = c->opts; o && o->name && bad == NULL; o++) {
			if (!g_hash_table_add(opts, (gpointer)o->name) || strcmp(o->name, "json") == 0 ||
			    strcmp(o->name, "config") == 0 || strcmp(o->name, "help") == 0)
				bad = g_strdup_printf("%s: option --%s twice or reserved", c->name,
						      o->name);
			else if ((o->flags & OPT_OR_PREVIOUS) && o == c->opts)
				bad = g_strdup_printf("%s: --%s is an alternative to nothing", c->name,
						      o->name);
			else if ((o->flags & OPT_REQUIRED) && o->arg != G_OPTION_ARG_STRING &&
				 o->arg != G_OPTION_ARG_FILENAME)
				bad = g_strdup_printf("%s: --%s required but not a string", c->name,
						      o->name);
			else if ((o->arg == G_OPTION_ARG_NONE) != (o->value == NULL))
				bad = g_strdup_printf("%s: --%s: a value name iff it takes a value",
						      c->name, o->name);
			else if (o->help == NULL)
				bad = g_strdup_printf("%s: --%s has no help", c->name, o->name);
		}
		g_hash_table_destroy(opts);
	}
	STR_EQ(bad, NULL, "every row is well formed");
	g_free(bad);
	OK(g_hash_table_size(names) > 40, "and there are rows");
	g_hash_table_destroy(names);
}

TEST(find)
{
	char *a[] = { "member", "add", "x@y.test", NULL };
	char *b[] = { "outbox", "flush", NULL };
	char *c[] = { "outbox", "--json", NULL };
	char *d[] = { "frobnicate", NULL };
	char *e[] = { "member", "frob", NULL };
	int words = -1;
	const Cmd *cmd;

	cmd = cli_find(3, a, &words);
	STR_EQ(cmd ? cmd->name : NULL, "member add", "member add EMAIL");
	INT_EQ(words, 2, "two words");
	cmd = cli_find(2, b, &words);
	STR_EQ(cmd ? cmd->name : NULL, "outbox flush", "a subcommand of a command");
	cmd = cli_find(2, c, &words);
	STR_EQ(cmd ? cmd->name : NULL, "outbox", "the command itself, with an option");
	INT_EQ(words, 1, "one word");
	OK(cli_find(1, d, &words) == NULL, "no such command");
	cmd = cli_find(2, e, &words);
	OK(cmd && cmd->run == NULL && strcmp(cmd->name, "member") == 0,
	   "an unknown subcommand finds the group");
}

int main(void)
{
	RUN(table);
	RUN(find);
	return harness_done();
}
