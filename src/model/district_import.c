/*
 * district_import.c - loading a postcode prefix -> district CSV (libcsv) in one
 * transaction: the rows through district_set, then the members' districts through
 * member_districts_rederive and the paper signatures' through signature_districts_rederive,
 * all under district.c's one rule.
 *
 * DIAGNOSTICS: EX_NOINPUT for a missing file, EX_DATAERR for a malformed one (naming the
 * record); database errors as db.c maps them.
 */
#include <csv.h>
#include <string.h>
#include <sysexits.h>
#include "model/district.h"
#include "model/district_import.h"
#include "model/member.h"
#include "model/signature.h"
#include "base/pm.h"

typedef struct {
	PmDb *db;
	GPtrArray *fields;      /* the current record's fields (char*) */
	int record;             /* records seen, the header included */
	int col_prefix, col_district;
	gint64 rows;
	GError *error;          /* the first error; later records are skipped */
} DistrictImport;

/* district_field - libcsv field callback: collect */
static void district_field(void *s, size_t len, void *user)
{
	DistrictImport *im = user;

	g_ptr_array_add(im->fields, g_strndup(s ? s : "", s ? len : 0));
}

/* district_record - libcsv record callback: the header, or one prefix -> district row */
static void district_record(int c, void *user)
{
	DistrictImport *im = user;
	GPtrArray *f = im->fields;

	im->record++;
	if (im->error)
		goto out;
	if (im->record == 1) {
		for (guint i = 0; i < f->len; i++) {
			char *h = g_ascii_strdown(g_strstrip((char *)f->pdata[i]), -1);

			if (strcmp(h, "postcode_prefix") == 0 || strcmp(h, "prefix") == 0 ||
			    (strcmp(h, "postcode") == 0 && im->col_prefix < 0))
				im->col_prefix = (int)i;
			else if (strcmp(h, "district") == 0)
				im->col_district = (int)i;
			g_free(h);
		}
		if (im->col_prefix < 0 || im->col_district < 0)
			g_set_error(&im->error, PM_ERROR, EX_DATAERR, "record 1: the header needs "
				    "columns postcode_prefix (or postcode) and district");
		goto out;
	}
	if (f->len == 1 && *g_strstrip((char *)f->pdata[0]) == '\0')
		goto out;   /* a blank line */
	if ((int)f->len <= MAX(im->col_prefix, im->col_district)) {
		g_set_error(&im->error, PM_ERROR, EX_DATAERR, "record %d: %u fields, the header "
			    "has more", im->record, f->len);
		goto out;
	} else {
		char *prefix = postcode_normalize(f->pdata[im->col_prefix]);
		char *district = pm_clean_text(f->pdata[im->col_district]);

		if (prefix == NULL || district == NULL)
			g_set_error(&im->error, PM_ERROR, EX_DATAERR, "record %d: empty %s",
				    im->record, prefix ? "district" : "postcode prefix");
		else if (district_set(im->db, prefix, district, &im->error))
			im->rows++;
		g_free(prefix);
		g_free(district);
	}
out:
	(void)c;
	g_ptr_array_set_size(f, 0);
}

/* district_import - load a prefix -> district CSV and fill members' districts */
gboolean district_import(PmDb *db, const char *path, gboolean rederive, gint64 *rows,
			 gint64 *members, GError **error)
{
	struct csv_parser p;
	DistrictImport im = { db, NULL, 0, -1, -1, 0, NULL };
	char *text = NULL;
	gsize len = 0, off = 0;
	GError *e = NULL;
	gboolean ok = FALSE;
	gint64 paper = 0;

	*rows = *members = 0;
	if (!g_file_get_contents(path, &text, &len, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
		g_error_free(e);
		return FALSE;
	}
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off = 3;   /* a spreadsheet's byte order mark */
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		g_free(text);
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "out of memory");
		return FALSE;
	}
	im.fields = g_ptr_array_new_with_free_func(g_free);
	if (!db_begin(db, error))
		goto out;
	if (csv_parse(&p, text + off, len - off, district_field, district_record, &im) !=
	    len - off && im.error == NULL)
		g_set_error(&im.error, PM_ERROR, EX_DATAERR, "record %d: %s", im.record + 1,
			    csv_strerror(csv_error(&p)));
	csv_fini(&p, district_field, district_record, &im);
	if (im.error == NULL && im.record == 0)
		g_set_error(&im.error, PM_ERROR, EX_DATAERR, "empty file");
	if (im.error) {
		g_prefix_error(&im.error, "%s: ", path);
		g_propagate_error(error, im.error);
		db_rollback(db);
		goto out;
	}
	if (!member_districts_rederive(db, rederive, members, error) ||
	    !signature_districts_rederive(db, &paper, error)) {
		db_rollback(db);
		goto out;
	}
	*rows = im.rows;
	ok = db_commit(db, error);
	if (!ok)
		db_rollback(db);
out:
	csv_free(&p);
	g_ptr_array_unref(im.fields);
	g_free(text);
	return ok;
}
