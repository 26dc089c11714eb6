/*
 * fixture.h - the model tests' common fixture: a minimal configuration for act.test and
 * a fresh database in the harness's temporary folder. Include after harness.h.
 *
 *   cfg = fixture_config(); (then the test's own settings)  db = fixture_db("x.db");
 */
#ifndef PM_FIXTURE_H
#define PM_FIXTURE_H

#include "base/config.h"
#include "base/db.h"
#include "model/schema.h"

/* fixture_config - domain act.test, delimiter "+", From: Team <team@act.test>, no lists;
 * the test keeps it (a static that lives as long as the program) */
static inline PmConfig *fixture_config(void)
{
	PmConfig *cfg = g_new0(PmConfig, 1);

	cfg->domain = g_strdup("act.test");
	cfg->delimiter = g_strdup("+");
	cfg->from = g_strdup("Team <team@act.test>");
	cfg->lists = g_ptr_array_new();
	return cfg;
}

/* fixture_db - a new database NAME with the current schema in harness_tmpdir(); caller
 * closes it */
static inline PmDb *fixture_db(const char *name)
{
	char *path = g_build_filename(harness_tmpdir(), name, NULL);
	PmDb *db = db_open(path, schema_peermail(), TRUE, NULL);

	g_free(path);
	return db;
}

#endif
