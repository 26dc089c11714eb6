/*
 * district_import.h - `district import`: a file of postcode prefixes and their districts
 * into the lookup table, and members' districts derived again from it, as one change.
 *
 * Owns: reading the prefixes file (CSV, header row) and the import's transaction.
 * Not: any table: the rows go through district.h, members' districts through member.h
 * (this module sits above both, so that neither has to know the other's writes).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_DISTRICT_IMPORT_H
#define PM_DISTRICT_IMPORT_H

#include <glib.h>
#include "base/db.h"

/*
 * district_import - read FILE.csv (header row; columns postcode_prefix or postcode, and
 * district) into the lookup table, replacing rows with the same prefix. Then members
 * with a postcode and no district get one; rederive TRUE recomputes every member whose
 * postcode matches a prefix. One transaction. *rows and *members get the counts.
 * EX_NOINPUT for a missing file, EX_DATAERR for a malformed one (naming the line).
 */
gboolean district_import(PmDb *db, const char *path, gboolean rederive, gint64 *rows,
			 gint64 *members, GError **error);

#endif
