/*
 * db.h - the SQLite database: opening, migrations, prepared statements, transactions.
 *
 * Owns: the connection settings (WAL, busy timeout, foreign keys), applying a schema's
 * migrations keyed by PRAGMA user_version, and a cache of prepared statements. Not: any
 * table: the schema is the caller's (model/schema.h), and the SQL for a table lives in
 * the model module that owns the table; every value is a bound parameter.
 *
 * SQL passed to db_exec/db_query/db_int should be a string literal: prepared statements
 * are cached by the string's address (and checked against its text), so SQL built at run
 * time would be prepared again on every call.
 * Binding: db_exec/db_query take a type string, one letter a parameter:
 *   'i' gint64, 't' const char * (NULL binds NULL), 'b' const void *, gsize (blob),
 *   'd' double, 'n' NULL (no argument).
 * Errors: SQLITE_BUSY/LOCKED/FULL/IOERR/NOMEM are EX_TEMPFAIL, the rest EX_SOFTWARE.
 *
 * THREADS: one database connection per thread, never shared. A PmDb and its statement
 * cache belong to one thread at a time; every thread that needs the database (the
 * scheduler, each LMTP session, the LMTP committer) has its own. A PmDb may pass to
 * another thread once the first is done with it (the LMTP server hands the connection of
 * an ended session to the next one), never be used by two at once. SQLite is built threadsafe; WAL lets readers
 * run beside the one writer, and busy_timeout makes writers wait for each other.
 */
#ifndef PM_DB_H
#define PM_DB_H

#include <glib.h>
#include <sqlite3.h>

typedef struct PmDb PmDb;

/*
 * A schema as db_open applies it: migrations[N-1] brings user_version from N-1 to N, so
 * the version of an up-to-date database is count. Borrowed for as long as the PmDb lives.
 */
typedef struct {
	const char *const *migrations;
	int count;
} DbSchema;

/*
 * db_open - open the database at path for schema. create TRUE (peermail init) creates it
 * or applies the migrations it lacks; FALSE refuses a missing or out-of-date database with
 * an EX_CONFIG error telling the user to run `peermail init`.
 */
PmDb *db_open(const char *path, const DbSchema *schema, gboolean create, GError **error);

/* db_close - finalize the statements and close; returns NULL */
PmDb *db_close(PmDb *db);

/* db_handle - the raw connection, for the rare direct use */
sqlite3 *db_handle(PmDb *db);

/* db_sync_full - PRAGMA synchronous=FULL: a commit is on disk when it returns (for a
 * process whose caller deletes its own copy of the data on success: the MTA) */
gboolean db_sync_full(PmDb *db, GError **error);

/* db_memory_journal - PRAGMA temp_store=MEMORY: the statement journal of a savepoint
 * (what undoes one message of a batch) is kept in memory, not in a temporary file
 * created, written and unlinked for each transaction (the LMTP committer's batches) */
gboolean db_memory_journal(PmDb *db, GError **error);

/* db_wal_sync - fdatasync the write-ahead log of db: every transaction this process (or
 * any other) committed before the call is on disk when it returns TRUE. With
 * synchronous=NORMAL it lets several connections share one sync (group commit).
 * EX_TEMPFAIL when the sync fails. Thread-safe. */
gboolean db_wal_sync(PmDb *db, GError **error);

/* db_autocheckpoint - checkpoint the WAL after a commit of this connection once it holds
 * pages pages (SQLite's default 1000; 0: never, some other connection checkpoints with
 * db_checkpoint: the LMTP server keeps checkpoints out of its commits) */
void db_autocheckpoint(PmDb *db, int pages);

/* db_checkpoint - copy what the WAL holds into the database file as far as no reader
 * needs it (PASSIVE: never waits for the writer, which goes on appending); FALSE with
 * error only on an I/O error (a busy database is no failure: the next one catches up) */
gboolean db_checkpoint(PmDb *db, GError **error);

/* db_version - the schema version of the open database */
int db_version(PmDb *db);

/* db_begin - BEGIN IMMEDIATE (takes the write lock now, waits up to the busy timeout).
 * Inside an open transaction it nests as a savepoint: db_commit releases it and
 * db_rollback undoes only it (the LMTP committer runs many messages in one transaction,
 * each message's pipeline in a savepoint of its own). */
gboolean db_begin(PmDb *db, GError **error);
gboolean db_commit(PmDb *db, GError **error);
/* db_rollback - roll back the innermost open level, if any; never fails */
void db_rollback(PmDb *db);
/* db_in_transaction - TRUE while a transaction is open (an I/O error, disk full or
 * out of memory can make SQLite roll the whole transaction back on its own) */
gboolean db_in_transaction(PmDb *db);

/*
 * db_exec - run one statement to completion (INSERT/UPDATE/DELETE). Returns FALSE with
 * error on failure. Constraint violations are EX_DATAERR.
 */
gboolean db_exec(PmDb *db, GError **error, const char *sql, const char *types, ...);

/*
 * db_query - prepare (cached) and bind a statement and return it ready for db_step();
 * NULL with error on failure. The statement belongs to the cache: call db_done() when
 * finished with it (before the same SQL is used again).
 */
sqlite3_stmt *db_query(PmDb *db, GError **error, const char *sql, const char *types, ...);

/* db_step - TRUE while there is a row; on failure FALSE with *error set (check it) */
gboolean db_step(PmDb *db, sqlite3_stmt *st, GError **error);

/* db_done - reset and clear a statement from db_query; returns NULL */
sqlite3_stmt *db_done(sqlite3_stmt *st);

/* DbReadFn - read the current row of st into out */
typedef void (*DbReadFn)(sqlite3_stmt *st, gpointer out);

/* db_row - step st (from db_query; NULL passes its error through) once and, when it gives
 * a row, read it into out by read; st is done afterwards. FALSE with error on failure */
gboolean db_row(PmDb *db, sqlite3_stmt *st, DbReadFn read, gpointer out, GError **error);

/* db_int - run a query returning one integer (def when no row or NULL); FALSE on error */
gboolean db_int(PmDb *db, GError **error, gint64 *out, gint64 def, const char *sql,
		const char *types, ...);

/* db_double - run a query returning one number (def when no row or NULL); FALSE on error */
gboolean db_double(PmDb *db, GError **error, double *out, double def, const char *sql,
		   const char *types, ...);

/* db_text - run a query returning one text value into *out (caller frees; NULL when no
 * row or NULL); FALSE on error */
gboolean db_text(PmDb *db, GError **error, char **out, const char *sql, const char *types,
		 ...);

/* db_ids - run a query and return its first column, row by row, as a GArray of gint64
 * (caller unrefs; empty when no row); NULL with error on failure */
GArray *db_ids(PmDb *db, GError **error, const char *sql, const char *types, ...);

/* DbRowFn - one row of a statement made into a new element (never NULL) */
typedef gpointer (*DbRowFn)(sqlite3_stmt *st);

/* db_rows_into - every row of st (from db_query; NULL passes its error through) made
 * into an element by row and appended to into; st is done afterwards. FALSE with error
 * on failure (the rows read so far stay in into) */
gboolean db_rows_into(PmDb *db, sqlite3_stmt *st, GPtrArray *into, DbRowFn row,
		      GError **error);

/* db_rows - db_rows_into a new array that frees its elements with free_fn (caller
 * unrefs); NULL with error on failure */
GPtrArray *db_rows(PmDb *db, sqlite3_stmt *st, DbRowFn row, GDestroyNotify free_fn,
		   GError **error);

/* db_last_id - rowid of the last insert on this connection */
gint64 db_last_id(PmDb *db);

/* db_changes - rows changed by the last statement */
int db_changes(PmDb *db);

/* db_col_text - column text copied (NULL stays NULL); caller frees */
char *db_col_text(sqlite3_stmt *st, int col);

/* db_set_error - turn an SQLite result code into a PM_ERROR */
void db_set_error(PmDb *db, GError **error, int rc, const char *what);

#endif
