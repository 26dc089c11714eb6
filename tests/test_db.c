/* test_db.c - open, migrate, bind, transactions and the schema check */
#include <sysexits.h>
#include "base/db.h"
#include "harness.h"
#include "base/pm.h"
#include "model/schema.h"

TEST(open_and_migrate)
{
	char *path = g_build_filename(harness_tmpdir(), "var", "t.db", NULL);
	GError *e = NULL;
	PmDb *db = db_open(path, schema_peermail(), FALSE, &e);
	gint64 n = -1;
	sqlite3_stmt *st;

	OK(db == NULL && e && e->code == EX_CONFIG, "missing database refused without create");
	OK(e && strstr(e->message, "peermail init"), "the error says to run init");
	g_clear_error(&e);
	db = db_open(path, schema_peermail(), TRUE, &e);
	OK(db != NULL, "created");
	INT_EQ(db_version(db), DB_SCHEMA_VERSION, "migrated to the current version");
	OK(db_int(db, NULL, &n, -1, "PRAGMA foreign_keys", NULL), "pragma query");
	INT_EQ(n, 1, "foreign keys on");

	OK(db_begin(db, NULL), "begin");
	OK(db_exec(db, NULL, "INSERT INTO members(email, name, created_at, updated_at) "
		   "VALUES (?, ?, ?, ?)", "ttii", "a@x.test", "Robert'); DROP TABLE members;--",
		   (gint64)1, (gint64)1), "insert with bound values");
	OK(db_commit(db, NULL), "commit");
	st = db_query(db, NULL, "SELECT name FROM members WHERE email = ?", "t", "a@x.test");
	OK(st && db_step(db, st, NULL), "row found");
	STR_EQ((const char *)sqlite3_column_text(st, 0), "Robert'); DROP TABLE members;--",
	       "hostile text stored as data");
	db_done(st);
	OK(!db_exec(db, &e, "INSERT INTO members(email, created_at, updated_at) VALUES (?,1,1)",
		    "t", "a@x.test"), "unique violation fails");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "constraint violation is EX_DATAERR");
	g_clear_error(&e);

	OK(db_begin(db, NULL), "begin for rollback");
	db_exec(db, NULL, "DELETE FROM members", NULL);
	db_rollback(db);
	OK(db_int(db, NULL, &n, -1, "SELECT count(*) FROM members", NULL), "count");
	INT_EQ(n, 1, "rollback undid the delete");

	db_exec(db, NULL, "PRAGMA user_version = 0", NULL);
	db_close(db);
	db = db_open(path, schema_peermail(), FALSE, &e);
	OK(db == NULL && e && e->code == EX_CONFIG, "out-of-date schema refused");
	OK(e && strstr(e->message, "peermail init"), "refusal says to run init");
	g_clear_error(&e);
	g_free(path);
}

TEST(busy_is_tempfail)
{
	char *path = g_build_filename(harness_tmpdir(), "busy.db", NULL);
	PmDb *a = db_open(path, schema_peermail(), TRUE, NULL);
	PmDb *b = db_open(path, schema_peermail(), TRUE, NULL);
	GError *e = NULL;

	sqlite3_busy_timeout(db_handle(b), 50);
	OK(db_begin(a, NULL), "first writer");
	OK(!db_begin(b, &e), "second writer waits then fails");
	INT_EQ(e ? e->code : 0, EX_TEMPFAIL, "busy is EX_TEMPFAIL");
	g_clear_error(&e);
	db_rollback(a);
	db_close(a);
	db_close(b);
	g_free(path);
}

/* text_row - a row's first column as a string */
static gpointer text_row(sqlite3_stmt *st)
{
	return db_col_text(st, 0);
}

TEST(rows)
{
	char *path = g_build_filename(harness_tmpdir(), "rows.db", NULL);
	PmDb *db = db_open(path, schema_peermail(), TRUE, NULL);
	GError *e = NULL;
	GPtrArray *a;

	a = db_rows(db, db_query(db, &e, "SELECT 'a' UNION ALL SELECT 'b' UNION ALL SELECT NULL",
				 NULL), text_row, g_free, &e);
	OK(a && a->len == 3 && e == NULL, "every row collected");
	STR_EQ(a ? a->pdata[1] : NULL, "b", "in order");
	OK(a && a->pdata[2] == NULL, "NULL stays NULL");
	g_clear_pointer(&a, g_ptr_array_unref);
	a = db_rows(db, db_query(db, &e, "SELECT no_such_column FROM members", NULL), text_row,
		    g_free, &e);
	OK(a == NULL && e != NULL, "a query that cannot be prepared: NULL with its error");
	g_clear_error(&e);
	/* a failure while stepping (integer overflow on the second row) */
	a = db_rows(db, db_query(db, &e, "SELECT abs(x) FROM (SELECT 1 AS x UNION ALL SELECT "
				 "-9223372036854775807 - 1)", NULL), text_row, g_free, &e);
	OK(a == NULL && e != NULL, "a failure while stepping: NULL with its error");
	g_clear_error(&e);
	db_close(db);
	g_free(path);
}

int main(void)
{
	RUN(open_and_migrate);
	RUN(rows);
	RUN(busy_is_tempfail);
	return harness_done();
}
