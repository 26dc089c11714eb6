/*
 * db.c - SQLite connection, migrations and the prepared-statement cache.
 *
 * DIAGNOSTICS: busy, full, I/O and memory errors are EX_TEMPFAIL (the MTA retries);
 * an out-of-date schema is EX_CONFIG with advice to run `peermail init`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <string.h>
#include <sysexits.h>
#include "base/db.h"
#include "base/pm.h"

struct PmDb {
	sqlite3 *h;
	const DbSchema *schema; /* borrowed */
	GHashTable *stmts;      /* SqlKey -> sqlite3_stmt* */
	int depth;              /* db_begin nesting: 1 the transaction, more its savepoints */
};

/* access_hint - for a database this user cannot write (created by root, say), who needs
 * what; "" otherwise; caller frees */
static char *access_hint(int rc)
{
	int prim = rc & 0xff;

	if (prim != SQLITE_READONLY && prim != SQLITE_CANTOPEN && prim != SQLITE_PERM)
		return g_strdup("");
	return g_strdup_printf(" (the user running peermail, %s, needs write access to the "
			       "database, its folder and the secret: run every peermail command, "
			       "the MTA's pipe and the daemon as one user)", g_get_user_name());
}

/* db_set_error - map an SQLite result code to a PM_ERROR */
void db_set_error(PmDb *db, GError **error, int rc, const char *what)
{
	int prim = rc & 0xff;
	int code;
	char *hint;

	switch (prim) {
	case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_FULL: case SQLITE_IOERR:
	case SQLITE_NOMEM: case SQLITE_CANTOPEN: case SQLITE_PROTOCOL:
		code = EX_TEMPFAIL;
		break;
	case SQLITE_CONSTRAINT:
		code = EX_DATAERR;
		break;
	default:
		code = EX_SOFTWARE;
	}
	hint = access_hint(rc);
	g_set_error(error, PM_ERROR, code, "database: %s: %s%s", what,
		    db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc), hint);
	g_free(hint);
}

/* A cache key: the caller's pointer (hashed: SQL is nearly always a literal, so hashing
 * the address is cheap) and a copy of the text (compared: a reused buffer holding other
 * SQL misses and is prepared anew). */
typedef struct {
	const void *ptr;
	char *text;
} SqlKey;

static guint sql_hash(gconstpointer p)
{
	return g_direct_hash(((const SqlKey *)p)->ptr);
}

static gboolean sql_equal(gconstpointer a, gconstpointer b)
{
	const SqlKey *x = a, *y = b;

	return x->ptr == y->ptr && strcmp(x->text, y->text) == 0;
}

static void sql_key_free(gpointer p)
{
	SqlKey *k = p;

	g_free(k->text);
	g_free(k);
}

static void stmt_finalize(gpointer p)
{
	sqlite3_finalize(p);
}

static gboolean exec_plain(PmDb *db, const char *sql, GError **error)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		char *hint = access_hint(rc);

		g_set_error(error, PM_ERROR,
			    (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_FULL ||
			    (rc & 0xff) == SQLITE_IOERR ? EX_TEMPFAIL : EX_SOFTWARE,
			    "database: %s%s", msg ? msg : sqlite3_errstr(rc), hint);
		g_free(hint);
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

/* db_version - PRAGMA user_version */
int db_version(PmDb *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* foreign_keys_hold - FALSE with EX_SOFTWARE when PRAGMA foreign_key_check finds a row */
static gboolean foreign_keys_hold(PmDb *db, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) {
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "database: %s", sqlite3_errmsg(db->h));
		return FALSE;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "database: a row of %s breaks a foreign key",
			    (const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "database: %s", sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

static gboolean migrate(PmDb *db, GError **error)
{
	int have = db_version(db);
	int want = db->schema->count;

	if (have > want) {
		g_set_error(error, PM_ERROR, EX_CONFIG,
			    "database schema version %d is newer than this peermail (%d)", have, want);
		return FALSE;
	}
	/* foreign keys are off while migrating (SQLite's procedure for rebuilding a table:
	 * dropping the old one must not cascade); each migration is checked before commit */
	if (have < want && !exec_plain(db, "PRAGMA foreign_keys=OFF", error))
		return FALSE;
	for (int v = have; v < want; v++) {
		char *bump = g_strdup_printf("PRAGMA user_version = %d", v + 1);
		gboolean ok = db_begin(db, error) && exec_plain(db, db->schema->migrations[v], error) &&
			      exec_plain(db, bump, error) && foreign_keys_hold(db, error) &&
			      db_commit(db, error);

		g_free(bump);
		if (!ok) {
			db_rollback(db);
			g_prefix_error(error, "migration %d: ", v + 1);
			exec_plain(db, "PRAGMA foreign_keys=ON", NULL);
			return FALSE;
		}
	}
	return exec_plain(db, "PRAGMA foreign_keys=ON", error);
}

/* slow_trace - log statements slower than the threshold (PEERMAIL_SQL_SLOW_MS) */
static int slow_trace(unsigned type, void *ctx, void *p, void *x)
{
	gint64 ns = *(sqlite3_int64 *)x;
	gint64 limit = GPOINTER_TO_SIZE(ctx);

	if (type == SQLITE_TRACE_PROFILE && ns / 1000000 >= limit) {
		char *sql = sqlite3_expanded_sql(p);

		/* expanded SQL has the bound values: only for an operator's debugging */
		g_printerr("peermail: slow SQL %.3f ms: %s\n", ns / 1e6,
			   sql ? sql : sqlite3_sql(p));
		sqlite3_free(sql);
	}
	return 0;
}

/* db_open - open with WAL, busy timeout and foreign keys; create or check the schema */
PmDb *db_open(const char *path, const DbSchema *schema, gboolean create, GError **error)
{
	PmDb *db = g_new0(PmDb, 1);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int rc;

	if (create) {
		char *dir = g_path_get_dirname(path);

		flags |= SQLITE_OPEN_CREATE;
		if (g_mkdir_with_parents(dir, 0750) != 0) {
			g_set_error(error, PM_ERROR, EX_CANTCREAT, "cannot create %s: %s", dir,
				    g_strerror(errno));
			g_free(dir);
			g_free(db);
			return NULL;
		}
		g_free(dir);
	} else if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, PM_ERROR, EX_CONFIG,
			    "no database at %s: run `peermail init` first", path);
		g_free(db);
		return NULL;
	}
	db->schema = schema;
	rc = sqlite3_open_v2(path, &db->h, flags, NULL);
	if (rc != SQLITE_OK) {
		db_set_error(db, error, rc, path);
		db_close(db);
		return NULL;
	}
	db->stmts = g_hash_table_new_full(sql_hash, sql_equal, sql_key_free, stmt_finalize);
	sqlite3_busy_timeout(db->h, 10000);
	if (g_getenv("PEERMAIL_SQL_SLOW_MS"))
		sqlite3_trace_v2(db->h, SQLITE_TRACE_PROFILE, slow_trace,
				 GSIZE_TO_POINTER(g_ascii_strtoull(g_getenv("PEERMAIL_SQL_SLOW_MS"),
								   NULL, 10)));
	sqlite3_extended_result_codes(db->h, 1);
	/* synchronous=NORMAL is durable across process crashes in WAL mode; a power loss may
	 * lose the last transactions but never corrupts. receive uses FULL (see inbound). */
	/* secure_delete: erased rows (member forget) are overwritten, not left in free space */
	if (!exec_plain(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			    "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;", error)) {
		db_close(db);
		return NULL;
	}
	if (create) {
		if (!migrate(db, error)) {
			db_close(db);
			return NULL;
		}
	} else if (db_version(db) != schema->count) {
		g_set_error(error, PM_ERROR, EX_CONFIG,
			    "database %s has schema version %d, this peermail needs %d: "
			    "run `peermail init` to upgrade", path, db_version(db), schema->count);
		db_close(db);
		return NULL;
	}
	return db;
}

/* db_close - finalize and close */
PmDb *db_close(PmDb *db)
{
	if (db == NULL)
		return NULL;
	if (db->stmts)
		g_hash_table_destroy(db->stmts);
	if (db->h)
		sqlite3_close(db->h);
	g_free(db);
	return NULL;
}

sqlite3 *db_handle(PmDb *db)
{
	return db->h;
}

/* db_sync_full - full durability for the rest of this connection */
gboolean db_sync_full(PmDb *db, GError **error)
{
	return exec_plain(db, "PRAGMA synchronous=FULL", error);
}

/* db_memory_journal - savepoint journals in memory */
gboolean db_memory_journal(PmDb *db, GError **error)
{
	return exec_plain(db, "PRAGMA temp_store=MEMORY", error);
}

/* db_wal_sync - open DATABASE-wal and fdatasync it (the same inode SQLite writes) */
gboolean db_wal_sync(PmDb *db, GError **error)
{
	const char *wal = sqlite3_filename_wal(sqlite3_db_filename(db->h, "main"));
	int fd = wal ? open(wal, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0 || fdatasync(fd) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "cannot sync the database log: %s",
			    g_strerror(err));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

/* db_autocheckpoint - sqlite3_wal_autocheckpoint on this connection */
void db_autocheckpoint(PmDb *db, int pages)
{
	sqlite3_wal_autocheckpoint(db->h, pages);
}

/* db_checkpoint - a PASSIVE checkpoint: never waits for the writer or the readers */
gboolean db_checkpoint(PmDb *db, GError **error)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		db_set_error(db, error, rc, "checkpoint");
		return FALSE;
	}
	return TRUE;
}

/* db_begin - BEGIN IMMEDIATE, or a savepoint inside an open transaction (both prepared
 * once, from the statement cache) */
gboolean db_begin(PmDb *db, GError **error)
{
	if (sqlite3_get_autocommit(db->h))
		db->depth = 0;      /* SQLite ended the transaction on its own */
	if (!(db->depth > 0 ? db_exec(db, error, "SAVEPOINT pm_nested", NULL)
			    : db_exec(db, error, "BEGIN IMMEDIATE", NULL)))
		return FALSE;
	db->depth++;
	return TRUE;
}

/* db_commit - COMMIT, or release the innermost savepoint */
gboolean db_commit(PmDb *db, GError **error)
{
	if (!(db->depth > 1 ? db_exec(db, error, "RELEASE pm_nested", NULL)
			    : db_exec(db, error, "COMMIT", NULL)))
		return FALSE;
	if (db->depth > 0)
		db->depth--;
	return TRUE;
}

/* db_rollback - roll back the innermost level (a savepoint, else the transaction) */
void db_rollback(PmDb *db)
{
	if (db->depth > 1 && !sqlite3_get_autocommit(db->h)) {
		sqlite3_exec(db->h, "ROLLBACK TO pm_nested", NULL, NULL, NULL);
		sqlite3_exec(db->h, "RELEASE pm_nested", NULL, NULL, NULL);
		db->depth--;
		return;
	}
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->depth = 0;
}

/* db_in_transaction - TRUE while a transaction is open (SQLite may end one on an error) */
gboolean db_in_transaction(PmDb *db)
{
	return !sqlite3_get_autocommit(db->h);
}

static sqlite3_stmt *prepare_bind(PmDb *db, GError **error, const char *sql,
				  const char *types, va_list ap)
{
	SqlKey probe = { sql, (char *)sql };
	sqlite3_stmt *st = g_hash_table_lookup(db->stmts, &probe);
	int rc, i = 1;

	if (st == NULL) {
		rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK) {
			db_set_error(db, error, rc, "prepare");
			return NULL;
		}
		SqlKey *k = g_new(SqlKey, 1);

		k->ptr = sql;
		k->text = g_strdup(sql);
		g_hash_table_replace(db->stmts, k, st);
	} else {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	for (const char *t = types ? types : ""; *t; t++, i++) {
		switch (*t) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, gint64));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			gsize n = va_arg(ap, gsize);
			rc = p ? sqlite3_bind_blob64(st, i, p, n, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		}
		case 'd':
			rc = sqlite3_bind_double(st, i, va_arg(ap, double));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:
			g_error("db: bad type letter '%c' for %s", *t, sql);
		}
		if (rc != SQLITE_OK) {
			db_set_error(db, error, rc, "bind");
			return NULL;
		}
	}
	return st;
}

/* db_query - a cached, bound statement ready to step */
sqlite3_stmt *db_query(PmDb *db, GError **error, const char *sql, const char *types, ...)
{
	va_list ap;
	sqlite3_stmt *st;

	va_start(ap, types);
	st = prepare_bind(db, error, sql, types, ap);
	va_end(ap);
	return st;
}

/* db_step - next row */
gboolean db_step(PmDb *db, sqlite3_stmt *st, GError **error)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return TRUE;
	if (rc != SQLITE_DONE)
		db_set_error(db, error, rc, "step");
	return FALSE;
}

/* db_done - reset a statement for reuse */
sqlite3_stmt *db_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return NULL;
}

/* db_exec - run a statement to completion */
gboolean db_exec(PmDb *db, GError **error, const char *sql, const char *types, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int rc;

	va_start(ap, types);
	st = prepare_bind(db, error, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return FALSE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		db_set_error(db, error, rc, "exec");
		sqlite3_reset(st);
		return FALSE;
	}
	sqlite3_reset(st);
	return TRUE;
}

/* db_row - one row of st, read by read */
gboolean db_row(PmDb *db, sqlite3_stmt *st, DbReadFn read, gpointer out, GError **error)
{
	GError *e = NULL;

	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e))
		read(st, out);
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* read_int - column 0 into *(gint64 *)out unless NULL (DbReadFn) */
static void read_int(sqlite3_stmt *st, gpointer out)
{
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		*(gint64 *)out = sqlite3_column_int64(st, 0);
}

/* read_double - column 0 into *(double *)out unless NULL (DbReadFn) */
static void read_double(sqlite3_stmt *st, gpointer out)
{
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		*(double *)out = sqlite3_column_double(st, 0);
}

/* read_text - column 0 copied into *(char **)out (DbReadFn) */
static void read_text(sqlite3_stmt *st, gpointer out)
{
	*(char **)out = db_col_text(st, 0);
}

/* db_int - one integer from a query */
gboolean db_int(PmDb *db, GError **error, gint64 *out, gint64 def, const char *sql,
		const char *types, ...)
{
	va_list ap;
	gboolean ok;

	*out = def;
	va_start(ap, types);
	ok = db_row(db, prepare_bind(db, error, sql, types, ap), read_int, out, error);
	va_end(ap);
	return ok;
}

/* db_double - one number from a query */
gboolean db_double(PmDb *db, GError **error, double *out, double def, const char *sql,
		   const char *types, ...)
{
	va_list ap;
	gboolean ok;

	*out = def;
	va_start(ap, types);
	ok = db_row(db, prepare_bind(db, error, sql, types, ap), read_double, out, error);
	va_end(ap);
	return ok;
}

/* db_text - one text value from a query */
gboolean db_text(PmDb *db, GError **error, char **out, const char *sql, const char *types,
		 ...)
{
	va_list ap;
	gboolean ok;

	*out = NULL;
	va_start(ap, types);
	ok = db_row(db, prepare_bind(db, error, sql, types, ap), read_text, out, error);
	va_end(ap);
	return ok;
}

/* db_ids - the first column of every row */
GArray *db_ids(PmDb *db, GError **error, const char *sql, const char *types, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	GArray *ids;
	GError *e = NULL;

	va_start(ap, types);
	st = prepare_bind(db, error, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return NULL;
	ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	while (db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(ids);
		return NULL;
	}
	return ids;
}

gboolean db_rows_into(PmDb *db, sqlite3_stmt *st, GPtrArray *into, DbRowFn row,
		      GError **error)
{
	GError *e = NULL;

	if (st == NULL)
		return FALSE;
	while (db_step(db, st, &e))
		g_ptr_array_add(into, row(st));
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

GPtrArray *db_rows(PmDb *db, sqlite3_stmt *st, DbRowFn row, GDestroyNotify free_fn,
		   GError **error)
{
	GPtrArray *a;

	if (st == NULL)
		return NULL;
	a = g_ptr_array_new_with_free_func(free_fn);
	if (!db_rows_into(db, st, a, row, error)) {
		g_ptr_array_unref(a);
		return NULL;
	}
	return a;
}

gint64 db_last_id(PmDb *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int db_changes(PmDb *db)
{
	return sqlite3_changes(db->h);
}

/* db_col_text - copy a text column */
char *db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? g_strdup((const char *)s) : NULL;
}
