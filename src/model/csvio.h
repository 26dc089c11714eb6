/*
 * csvio.h - CSV in and out, on libcsv: reading records with their line numbers, writing
 * quoted fields, and peermail's CSV formats (members, signatures).
 *
 * Owns: parsing (quoted fields, embedded newlines and commas, CRLF or LF, UTF-8 checked per
 * record), the header-row column mapping, and the batched imports of members and signatures
 * (one transaction per CSVIO_BATCH rows). Not: what a member or a signature is (member,
 * signature: the imports write through them, never a table directly) nor printing (the
 * commands print the summary and the problems).
 *
 * Output: every field quoted (RFC 4180, libcsv's csv_fwrite), LF line ends.
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_CSVIO_H
#define PM_CSVIO_H

#include <stdio.h>
#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* rows per transaction in the imports */
#define CSVIO_BATCH 5000

/* One record as read. fields are NUL-terminated (borrowed for the callback's duration). */
typedef struct {
	char **fields;
	int n;
	gint64 line;          /* line of the file the record starts on (1-based) */
	const char *bad;      /* NULL, or why the record cannot be used ("invalid UTF-8") */
} CsvioRow;

/* A record callback; FALSE with error stops the reading. */
typedef gboolean (*CsvioRowFn)(const CsvioRow *row, gpointer user, GError **error);

/*
 * csvio_read - parse path ("-": stdin) record by record, calling fn for each, blank lines
 * skipped. EX_NOINPUT when the file cannot be opened; fn's error otherwise.
 */
gboolean csvio_read(const char *path, CsvioRowFn fn, gpointer user, GError **error);

/*
 * csvio_columns - map a header record onto names (NULL-terminated): idx[i] is the column of
 * names[i] or -1. Matching ignores case and surrounding spaces (and a UTF-8 BOM).
 */
void csvio_columns(const CsvioRow *header, const char *const *names, int *idx);

/* csvio_cell - one quoted cell appended to out (NULL: empty). A value starting with = + - @
 * TAB or CR gets a leading ' so that a spreadsheet shows it instead of running it as a
 * formula (CSV injection); every CSV peermail writes goes through here. */
void csvio_cell(GString *out, const char *value);

/* csvio_write_row - one record of n fields (csvio_cell each), LF, to out */
void csvio_write_row(FILE *out, const char *const *fields, int n);

/* What an import did. problems: "line N: why" strings (the struct owns them). */
typedef struct {
	gint64 imported;      /* new members (or new signatures) */
	gint64 updated;       /* existing ones updated */
	gint64 skipped;       /* bad rows */
	GPtrArray *problems;
} CsvioStats;

/* csvio_stats_clear - free the problems and zero the counts */
void csvio_stats_clear(CsvioStats *st);

/*
 * csvio_import_members - members from path (header row naming email, name, postcode,
 * district in any order; other columns ignored). Existing members (same normalized
 * address) are updated, never duplicated. list_id > 0 also subscribes each one (active:
 * the organizer's import is the consent record; unsubscribed or bouncing subscriptions
 * and members are left as they are). Bad rows are counted and described, the rest
 * imported; so are addresses of people who asked to be forgotten (member_suppressed, key
 * is the secret). EX_DATAERR when the header has no email column.
 */
gboolean csvio_import_members(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			      const char *path, gint64 list_id, CsvioStats *st, GError **error);

/*
 * csvio_import_signatures - confirmed signatures (source 'import') for petition_id from
 * path: columns email, name, postcode, district, comment, signed_at (ISO 8601 or
 * YYYY-MM-DD; empty: now). A row with an email creates or completes the member; a row with
 * only a name is a signature without a member (paper), counted once per name and district.
 * imported counts new signatures, updated ones that existed (a pending one is confirmed).
 * Rows of people who asked to be forgotten are skipped and described.
 */
gboolean csvio_import_signatures(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 gint64 petition_id, const char *path, CsvioStats *st,
				 GError **error);

/* csvio_export_members - members (of list_id, or all when 0) as CSV on out, forgotten ones
 * left out: email,name,postcode,district,status and, of a list, subscription */
gboolean csvio_export_members(PmDb *db, gint64 list_id, FILE *out, GError **error);

/* csvio_export_signatures - the petition's signatures as CSV on out:
 * email,name,postcode,district,status,source,comment,signed_at */
gboolean csvio_export_signatures(PmDb *db, gint64 petition_id, FILE *out, GError **error);

/* ==== By name, for the command line: an unknown list or petition is EX_NOUSER ==== */

/* csvio_import_members_to - csvio_import_members subscribing to list (a name; NULL:
 * none) */
gboolean csvio_import_members_to(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 const char *path, const char *list, CsvioStats *st,
				 GError **error);

/* csvio_export_members_of - csvio_export_members of list (a name; NULL: everyone) */
gboolean csvio_export_members_of(PmDb *db, const PmConfig *cfg, const char *list, FILE *out,
				 GError **error);

/* csvio_import_signatures_to - csvio_import_signatures for petition slug */
gboolean csvio_import_signatures_to(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				    const char *slug, const char *path, CsvioStats *st,
				    GError **error);

/* csvio_export_signatures_of - csvio_export_signatures of petition slug */
gboolean csvio_export_signatures_of(PmDb *db, const char *slug, FILE *out, GError **error);

/* csvio_parse_time - ISO 8601 (with or without zone: local time) or YYYY-MM-DD (local
 * midnight) to unix time; 0 when it is neither */
gint64 csvio_parse_time(const char *s);

#endif
