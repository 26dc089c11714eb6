/*
 * schema.h - peermail's database schema: every table, as the migrations db_open applies.
 *
 * Owns: the tables' definitions and their version (PRAGMA user_version). Not: the
 * migration mechanism (base/db.h), the SQL that reads and writes each table (the table's
 * owning module, listed in docs/architecture.md "Table owners").
 *
 * THREADS: any thread (the schema is constant).
 */
#ifndef PM_SCHEMA_H
#define PM_SCHEMA_H

#include "base/db.h"

/* the number of migrations; checked against the list at compile time (schema.c) */
#define DB_SCHEMA_VERSION 13

/* schema_peermail - the migrations of peermail's schema, for db_open (static, never freed) */
const DbSchema *schema_peermail(void);

#endif
