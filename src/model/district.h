/*
 * district.h - districts: the postcode -> district lookup that routes signatures to the
 * targets of their district.
 *
 * Owns: the districts table (a postcode or prefix -> a district name) and the only
 * postcode -> district rule: postcodes compare in one normal form (upper case, no spaces
 * or control characters) and the longest matching prefix wins. Not: members' district
 * column (member.h writes it, asking this module), reading the prefixes file
 * (district_import.h), which signatures a target gets (delivery.h).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_DISTRICT_H
#define PM_DISTRICT_H

#include <glib.h>
#include "base/db.h"

/* postcode_normalize - upper-case, spaces and control characters removed; NULL when
 * nothing is left (or postcode is NULL); caller frees */
char *postcode_normalize(const char *postcode);

/*
 * district_for_postcode - the district of the longest prefix of postcode (normalized here)
 * in the table, or NULL (no error) when none matches or postcode is empty; caller frees.
 */
char *district_for_postcode(PmDb *db, const char *postcode, GError **error);

/* district_set - add prefix (already normalized) -> district, replacing the row with the
 * same prefix. The caller holds the transaction. */
gboolean district_set(PmDb *db, const char *prefix, const char *district, GError **error);

/* One row of the lookup table. */
typedef struct {
	char *prefix;
	char *district;
} DistrictPrefix;

/* How many members a district has. */
typedef struct {
	char *district;
	gint64 members;
} DistrictCount;

/* The lookup table and the members per district (`district ls`). */
typedef struct {
	GPtrArray *prefixes;   /* DistrictPrefix*, by district then prefix */
	GPtrArray *members;    /* DistrictCount*, by district; forgotten members left out */
} DistrictTable;

/* district_table - read it; free with district_table_free */
DistrictTable *district_table(PmDb *db, GError **error);

/* district_table_free - destroy; returns NULL */
DistrictTable *district_table_free(DistrictTable *t);

#endif
