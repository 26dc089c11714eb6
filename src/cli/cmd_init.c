/*
 * cmd_init.c - `peermail init` and `peermail check-config`.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "base/pm.h"
#include "model/schema.h"

/* cmd_init - create or upgrade the database and create the secret */
gboolean cmd_init(int argc, char **argv, GError **error)
{
	const PmConfig *cfg;
	PmDb *db;
	PmSecret *secret;
	int before;

	if (!cli_parse(&argc, &argv, NULL,
		       "Create the database (or upgrade its schema) and the HMAC secret file.",
		       NULL, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "init");
	if ((cfg = cli_config(error)) == NULL)
		return FALSE;
	secret = secret_load(cfg->secret_file, TRUE, error);
	if (secret == NULL)
		return FALSE;
	secret_free(secret);
	before = g_file_test(cfg->database, G_FILE_TEST_EXISTS);
	db = db_open(cfg->database, schema_peermail(), TRUE, error);
	if (db == NULL)
		return FALSE;
	printf("database %s: schema version %d%s\n", cfg->database, db_version(db),
	       before ? "" : " (created)");
	printf("secret %s: present\n", cfg->secret_file);
	db_close(db);
	return TRUE;
}

/* cmd_check_config - validate and print the effective settings, secrets left out */
gboolean cmd_check_config(int argc, char **argv, GError **error)
{
	const PmConfig *cfg;
	char *dump;

	if (!cli_parse(&argc, &argv, NULL,
		       "Validate the configuration and print the effective settings.", NULL, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "check-config");
	if ((cfg = cli_config(error)) == NULL)
		return FALSE;
	dump = config_dump(cfg);
	fputs(dump, stdout);
	g_free(dump);
	return TRUE;
}
