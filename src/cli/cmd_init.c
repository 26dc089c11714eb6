/*
 * cmd_init.c - `peermail init` and `peermail check-config`.
 */
#include <stdio.h>
#include "base/log.h"
#include "cli/cmd.h"
#include "base/pm.h"
#include "model/schema.h"

/* cmd_init - create or upgrade the database and create the secret */
gboolean cmd_init(CmdCtx *c, GError **error)
{
	gboolean had_secret = g_file_test(c->cfg->secret_file, G_FILE_TEST_EXISTS);
	gboolean existed = g_file_test(c->cfg->database, G_FILE_TEST_EXISTS);
	PmSecret *secret;
	PmDb *db;

	/* root making the secret beside another user's database would lock that user out */
	if (!cli_owner_ok(c->cfg->database, error))
		return FALSE;
	if ((secret = secret_load(c->cfg->secret_file, TRUE, error)) == NULL)
		return FALSE;
	secret_free(secret);
	if ((db = db_open(c->cfg->database, schema_peermail(), TRUE, error)) == NULL)
		return FALSE;
	g_string_append_printf(c->out, "database %s: schema version %d%s\nsecret %s: %s\n",
			       c->cfg->database, db_version(db), existed ? "" : " (created)",
			       c->cfg->secret_file, had_secret ? "present" : "created");
	db_close(db);
	return TRUE;
}

/* cmd_check_config - the effective settings, secrets left out, and what production still
 * needs (one "missing:" line per setting) */
gboolean cmd_check_config(CmdCtx *c, GError **error)
{
	char *dump = config_dump(c->cfg);
	GPtrArray *missing = config_missing(c->cfg), *warnings;

	if (c->cfg->organizers_mailbox == NULL)
		log_warn("warning: organizers_mailbox is not set: mail for people (replies to "
			 "the From address, postmaster@, abuse@, owner addresses) is only kept in "
			 "the inbound log, never forwarded");
	warnings = config_warnings(c->cfg);
	for (guint i = 0; i < warnings->len; i++)
		log_warn("warning: %s", (char *)warnings->pdata[i]);
	g_ptr_array_unref(warnings);
	g_string_append(c->out, dump);
	if (missing->len == 0)
		g_string_append(c->out, "# ready for production: domain, from, organizers, "
				"transport, secret and base_url are set\n");
	else
		g_string_append_printf(c->out, "# not ready for production: %u setting%s to fill "
				       "in\n", missing->len, missing->len == 1 ? "" : "s");
	for (guint i = 0; i < missing->len; i++)
		g_string_append_printf(c->out, "missing: %s\n", (char *)missing->pdata[i]);
	g_ptr_array_unref(missing);
	g_free(dump);
	return TRUE;
}
