/*
 * csvio.c - CSV reading and writing on libcsv, and the member and signature imports.
 *
 * The reader feeds libcsv one input line at a time, so a record's starting line is the
 * current line minus the newlines inside its fields (quoted fields may span lines).
 *
 * DIAGNOSTICS: a file that cannot be opened is EX_NOINPUT; a header without an email
 * column is EX_DATAERR; bad rows are counted and described in CsvioStats.problems.
 */
#include <csv.h>
#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include "model/csvio.h"
#include "model/list.h"
#include "model/member.h"
#include "model/petition.h"
#include "model/signature.h"
#include "model/suppression.h"
#include "base/lang.h"
#include "base/pm.h"

/* ==== Reading ==== */

typedef struct {
	GPtrArray *fields;      /* char*, owned */
	gint64 line;            /* current input line */
	gint64 nl_in_fields;    /* newlines inside this record's fields */
	gboolean bad_utf8;
	CsvioRowFn fn;
	gpointer user;
	GError *error;          /* first callback error: stops the parse */
} Reader;

/* on_field - libcsv field callback: keep the field, count its newlines, check UTF-8 */
static void on_field(void *data, size_t len, void *user)
{
	Reader *r = user;
	const char *s = data ? data : "";

	if (r->error)
		return;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			r->nl_in_fields++;
	/* g_utf8_validate_len also refuses embedded NULs */
	if (!g_utf8_validate_len(s, len, NULL))
		r->bad_utf8 = TRUE;
	g_ptr_array_add(r->fields, g_strndup(s, len));
}

/* on_record - libcsv record callback: hand the record and its starting line to the caller */
static void on_record(int c, void *user)
{
	Reader *r = user;
	CsvioRow row;

	if (r->error == NULL) {
		g_ptr_array_add(r->fields, NULL);
		row.fields = (char **)r->fields->pdata;
		row.n = (int)r->fields->len - 1;
		row.line = r->line - r->nl_in_fields;
		row.bad = r->bad_utf8 ? "invalid UTF-8" : NULL;
		r->fn(&row, r->user, &r->error);
	}
	g_ptr_array_set_size(r->fields, 0);
	r->nl_in_fields = 0;
	r->bad_utf8 = FALSE;
}

/* csvio_read - parse a file record by record */
gboolean csvio_read(const char *path, CsvioRowFn fn, gpointer user, GError **error)
{
	struct csv_parser p;
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	Reader r = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	gboolean ok = TRUE;

	if (in == NULL) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "cannot open %s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	csv_init(&p, CSV_APPEND_NULL);
	r.fields = g_ptr_array_new_with_free_func(g_free);
	r.fn = fn;
	r.user = user;
	while (r.error == NULL && (n = getline(&line, &cap, in)) > 0) {
		r.line++;
		if (csv_parse(&p, line, (size_t)n, on_field, on_record, &r) != (size_t)n &&
		    r.error == NULL) {
			g_set_error(&r.error, PM_ERROR, EX_DATAERR, "%s:%" G_GINT64_FORMAT ": %s",
				    path, r.line, csv_strerror(csv_error(&p)));
		}
	}
	if (r.error == NULL && ferror(in))
		g_set_error(&r.error, PM_ERROR, EX_IOERR, "reading %s: %s", path,
			    g_strerror(errno));
	if (r.error == NULL)
		csv_fini(&p, on_field, on_record, &r);
	if (r.error) {
		g_propagate_error(error, r.error);
		ok = FALSE;
	}
	csv_free(&p);
	g_ptr_array_free(r.fields, TRUE);
	free(line);
	if (in != stdin)
		fclose(in);
	return ok;
}

/* csvio_columns - header names to column indexes */
void csvio_columns(const CsvioRow *header, const char *const *names, int *idx)
{
	for (int i = 0; names[i]; i++) {
		idx[i] = -1;
		for (int c = 0; c < header->n; c++) {
			char *h = g_strstrip(g_strdup(header->fields[c]));
			const char *name = h;

			if (c == 0 && g_str_has_prefix(name, "\xEF\xBB\xBF"))
				name += 3;
			if (g_ascii_strcasecmp(name, names[i]) == 0) {
				g_free(h);
				idx[i] = c;
				break;
			}
			g_free(h);
		}
	}
}

/* ==== Writing ==== */

void csvio_cell(GString *out, const char *value)
{
	gsize len = value ? strlen(value) : 0, old = out->len, n;
	char *tmp = NULL;
	const char *src = value ? value : "";

	if (len > 0 && strchr("=+-@\t\r", value[0]) != NULL) {
		tmp = g_strconcat("'", value, NULL);
		src = tmp;
		len++;
	}
	g_string_set_size(out, old + 2 * len + 2);
	n = csv_write2(out->str + old, 2 * len + 2, src, len, '"');
	g_string_set_size(out, old + n);
	g_free(tmp);
}

void csvio_write_row(FILE *out, const char *const *fields, int n)
{
	GString *row = g_string_sized_new(128);

	for (int i = 0; i < n; i++) {
		if (i > 0)
			g_string_append_c(row, ',');
		csvio_cell(row, fields[i]);
	}
	g_string_append_c(row, '\n');
	fwrite(row->str, 1, row->len, out);
	g_string_free(row, TRUE);
}

/* csvio_stats_clear - free what the stats hold */
void csvio_stats_clear(CsvioStats *st)
{
	if (st->problems)
		g_ptr_array_free(st->problems, TRUE);
	memset(st, 0, sizeof *st);
}

/* problem - count a bad row and describe it with its line */
static void problem(CsvioStats *st, gint64 line, const char *why)
{
	if (st->problems == NULL)
		st->problems = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(st->problems, g_strdup_printf("line %" G_GINT64_FORMAT ": %s", line, why));
	st->skipped++;
}

/* csvio_parse_time - organizer-written dates */
gint64 csvio_parse_time(const char *s)
{
	GTimeZone *tz;
	GDateTime *dt;
	char *t;
	gint64 out = 0;
	gsize n;

	if (s == NULL)
		return 0;
	t = g_strstrip(g_strdup(s));
	n = strlen(t);
	if (n == 10 && t[4] == '-' && t[7] == '-') {
		char *full = g_strconcat(t, "T00:00:00", NULL);
		g_free(t);
		t = full;
	} else if (n > 10 && t[10] == ' ') {
		t[10] = 'T';
	}
	/* "YYYY-MM-DDTHH:MM" without seconds: GLib wants them */
	if (strlen(t) == 16 && t[13] == ':') {
		char *full = g_strconcat(t, ":00", NULL);
		g_free(t);
		t = full;
	}
	tz = g_time_zone_new_local();
	dt = g_date_time_new_from_iso8601(t, tz);
	if (dt) {
		out = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	g_time_zone_unref(tz);
	g_free(t);
	return out;
}

/* ==== Imports ==== */

enum { C_EMAIL, C_NAME, C_POSTCODE, C_DISTRICT, C_COMMENT, C_SIGNED_AT, C_LANG, C_LANGUAGE,
       C_N };
static const char *const column_names[] = { "email", "name", "postcode", "district",
					    "comment", "signed_at", "lang", "language", NULL };

typedef struct {
	PmDb *db;
	const PmConfig *cfg;
	const PmSecret *key;
	CsvioStats *st;
	gboolean suppressions;  /* someone was forgotten: check each new address */
	gint64 list_id;
	gint64 petition_id;     /* signature import when > 0 */
	gboolean header_seen;
	int col[C_N];
	int in_batch;           /* rows in the open transaction */
} Import;

static const char *field(const CsvioRow *row, const Import *im, int c)
{
	int i = im->col[c];

	if (i < 0 || i >= row->n)
		return NULL;
	return *row->fields[i] ? row->fields[i] : NULL;
}

/* batch_step - open a transaction at a batch start, commit every CSVIO_BATCH rows */
static gboolean batch_step(Import *im, GError **error)
{
	if (im->in_batch == 0 && !db_begin(im->db, error))
		return FALSE;
	if (++im->in_batch >= CSVIO_BATCH) {
		im->in_batch = 0;
		return db_commit(im->db, error);
	}
	return TRUE;
}

/* import_member - a member row: upsert, maybe subscribe; FALSE only for database failures */
static gboolean import_member(Import *im, const CsvioRow *row, gint64 *member_id,
			      gboolean *created, GError **error)
{
	GError *e = NULL;
	const char *email = field(row, im, C_EMAIL);
	const char *lang = field(row, im, C_LANG) ? field(row, im, C_LANG) :
			   field(row, im, C_LANGUAGE);
	char *norm = lang_normalize(lang);
	gboolean suppressed = FALSE;

	g_free(norm);
	if (lang && norm == NULL) {
		char *why = g_strdup_printf("unknown language tag '%s'", lang);

		problem(im->st, row->line, why);
		g_free(why);
		*member_id = 0;
		return TRUE;
	}
	if (im->suppressions &&
	    !member_suppressed(im->db, im->cfg, im->key, email, &suppressed, error))
		return FALSE;
	if (suppressed) {
		char *why = g_strdup_printf("%s asked to be forgotten: not imported", email);

		problem(im->st, row->line, why);
		g_free(why);
		*member_id = 0;
		return TRUE;
	}
	*member_id = member_upsert_ex(im->db, im->cfg, email, field(row, im, C_NAME),
				      field(row, im, C_POSTCODE), field(row, im, C_DISTRICT),
				      im->petition_id == 0, created, &e);
	if (*member_id == 0) {
		if (e && e->code == EX_DATAERR) {
			char *why = g_strdup_printf("not a valid address: '%s'", email ? email : "");
			problem(im->st, row->line, why);
			g_free(why);
			g_error_free(e);
			return TRUE;
		}
		g_propagate_error(error, e);
		return FALSE;
	}
	/* a member list sets the language; a signature import only fills in a missing one */
	if (lang && !member_set_lang(im->db, *member_id, lang, im->petition_id == 0, NULL, error))
		return FALSE;
	if (im->list_id > 0) {
		SubscriptionStatus s = subscription_status(im->db, im->list_id, *member_id, &e);
		gboolean ok = TRUE;

		if (e == NULL &&
		    (s == SUBSCRIPTION_STATUS_NONE || s == SUBSCRIPTION_STATUS_PENDING))
			ok = subscription_set(im->db, im->list_id, *member_id,
					      SUBSCRIPTION_STATUS_ACTIVE, &e);
		if (!ok || e) {
			g_propagate_error(error, e);
			return FALSE;
		}
	}
	return TRUE;
}

/* import_signature - a signature row: the member (none for paper), the signature */
static gboolean import_signature(Import *im, const CsvioRow *row, GError **error)
{
	const char *email = field(row, im, C_EMAIL), *name = field(row, im, C_NAME);
	const char *when = field(row, im, C_SIGNED_AT);
	gint64 at = when ? csvio_parse_time(when) : pm_now();
	gint64 mid = 0, sid;
	gboolean created;
	SignResult res;

	if (when && at == 0) {
		char *why = g_strdup_printf("signed_at '%s' is not a date", when);
		problem(im->st, row->line, why);
		g_free(why);
		return TRUE;
	}
	if (email == NULL && name == NULL) {
		problem(im->st, row->line, "neither email nor name");
		return TRUE;
	}
	if (email) {
		gint64 before = im->st->skipped;

		if (!import_member(im, row, &mid, &created, error))
			return FALSE;
		if (im->st->skipped > before)
			return TRUE;
		sid = signature_add(im->db, im->petition_id, mid, TRUE, SIGNATURE_SOURCE_IMPORT,
				    field(row, im, C_COMMENT), NULL, &res, error);
		if (sid == 0)
			return FALSE;
		if (res == SIGN_NEW_CONFIRMED) {
			im->st->imported++;
			return signature_set_date(im->db, sid, at, error);
		}
		im->st->updated++;
		return TRUE;
	}
	if (!signature_add_anonymous(im->db, im->petition_id, name, field(row, im, C_POSTCODE),
				     field(row, im, C_DISTRICT),
				     field(row, im, C_COMMENT), at, &created, error))
		return FALSE;
	if (created)
		im->st->imported++;
	else
		im->st->updated++;
	return TRUE;
}

/* row_empty - a row of empty fields (",,,,") is a blank line */
static gboolean row_empty(const CsvioRow *row)
{
	for (int i = 0; i < row->n; i++)
		for (const char *c = row->fields[i]; *c; c++)
			if (!g_ascii_isspace(*c))
				return FALSE;
	return TRUE;
}

/* import_row - one CSV record of an import: the header, a bad row, or a member or signature */
static gboolean import_row(const CsvioRow *row, gpointer user, GError **error)
{
	Import *im = user;
	gint64 mid;
	gboolean created;

	if (!im->header_seen) {
		im->header_seen = TRUE;
		csvio_columns(row, column_names, im->col);
		if (im->col[C_EMAIL] < 0 && (im->petition_id == 0 || im->col[C_NAME] < 0)) {
			g_set_error(error, PM_ERROR, EX_DATAERR,
				    "line %" G_GINT64_FORMAT ": the header row names no email column "
				    "(columns: email,name,postcode,district)", row->line);
			return FALSE;
		}
		return TRUE;
	}
	if (row->bad) {
		problem(im->st, row->line, row->bad);
		return TRUE;
	}
	if (row_empty(row))
		return TRUE;
	if (!batch_step(im, error))
		return FALSE;
	if (im->petition_id > 0)
		return import_signature(im, row, error);
	if (field(row, im, C_EMAIL) == NULL) {
		problem(im->st, row->line, "no email");
		return TRUE;
	}
	{
		gint64 before = im->st->skipped;

		if (!import_member(im, row, &mid, &created, error))
			return FALSE;
		if (im->st->skipped > before)
			return TRUE;
		if (created)
			im->st->imported++;
		else
			im->st->updated++;
	}
	return TRUE;
}

/* run_import - read the whole file, committing the last batch */
static gboolean run_import(Import *im, const char *path, GError **error)
{
	if (!csvio_read(path, import_row, im, error)) {
		db_rollback(im->db);
		return FALSE;
	}
	if (im->in_batch > 0 && !db_commit(im->db, error)) {
		db_rollback(im->db);
		return FALSE;
	}
	if (!im->header_seen) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s is empty: a header row is needed "
			    "(email,name,postcode,district)", path);
		return FALSE;
	}
	return TRUE;
}

/* any_suppressed - whether imports must check addresses against the suppressions */
static gboolean any_suppressed(Import *im, GError **error)
{
	return suppression_any(im->db, &im->suppressions, error);
}

/* csvio_import_members - batched member import */
gboolean csvio_import_members(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			      const char *path, gint64 list_id, CsvioStats *st, GError **error)
{
	Import im = { .db = db, .cfg = cfg, .key = key, .st = st, .list_id = list_id };

	return any_suppressed(&im, error) && run_import(&im, path, error);
}

/* csvio_import_signatures - batched signature import */
gboolean csvio_import_signatures(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 gint64 petition_id, const char *path, CsvioStats *st,
				 GError **error)
{
	Import im = { .db = db, .cfg = cfg, .key = key, .st = st, .petition_id = petition_id };

	return any_suppressed(&im, error) && run_import(&im, path, error);
}

/* ==== Exports ==== */

static gboolean export_query(PmDb *db, sqlite3_stmt *st, const char *const *header, int n,
			     FILE *out, GError **error)
{
	GError *e = NULL;
	const char *f[16];

	if (st == NULL)
		return FALSE;
	csvio_write_row(out, header, n);
	while (db_step(db, st, &e)) {
		for (int i = 0; i < n; i++)
			f[i] = (const char *)sqlite3_column_text(st, i);
		csvio_write_row(out, f, n);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* csvio_export_members - members as CSV */
gboolean csvio_export_members(PmDb *db, gint64 list_id, FILE *out, GError **error)
{
	static const char *const header[] = { "email", "name", "postcode", "district", "status",
					      "subscription" };

	if (list_id > 0)
		return export_query(db, db_query(db, error,
			"SELECT coalesce(m.address, m.email), m.name, m.postcode, m.district, "
			"m.status, s.status "
			"FROM subscriptions s JOIN members m ON m.id = s.member_id "
			"WHERE s.list_id = ? AND m.email IS NOT NULL ORDER BY m.id", "i", list_id),
			header, 6, out, error);
	/* without a list there is no subscription column (it would always be empty) */
	return export_query(db, db_query(db, error,
		"SELECT coalesce(address, email), name, postcode, district, status FROM members "
		"WHERE email IS NOT NULL ORDER BY id", NULL), header, 5, out, error);
}

/* csvio_export_signatures - signatures as CSV (invalidated ones left out) */
gboolean csvio_export_signatures(PmDb *db, gint64 petition_id, FILE *out, GError **error)
{
	static const char *const header[] = { "email", "name", "postcode", "district", "status",
					      "source", "comment", "signed_at" };

	return export_query(db, db_query(db, error,
		"SELECT coalesce(m.address, m.email), coalesce(m.name, s.name), "
		"CASE WHEN s.member_id IS NULL THEN s.postcode ELSE m.postcode END, "
		"coalesce(m.district, s.district), s.status, s.source, s.comment, "
		"strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(s.confirmed_at, s.created_at), 'unixepoch') "
		"FROM signatures s LEFT JOIN members m ON m.id = s.member_id "
		"WHERE s.petition_id = ? AND s.status != 'invalid' ORDER BY s.id", "i", petition_id),
		header, 8, out, error);
}

/* ==== By name ==== */

/* csvio_import_members_to - import, subscribing to a named list */
gboolean csvio_import_members_to(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 const char *path, const char *list, CsvioStats *st,
				 GError **error)
{
	List *l = list ? list_need(db, cfg, list, error) : NULL;
	gboolean ok = (list == NULL || l != NULL) &&
		      csvio_import_members(db, cfg, key, path, l ? l->id : 0, st, error);

	list_free(l);
	return ok;
}

/* csvio_export_members_of - export a named list's members */
gboolean csvio_export_members_of(PmDb *db, const PmConfig *cfg, const char *list, FILE *out,
				 GError **error)
{
	List *l = list ? list_need(db, cfg, list, error) : NULL;
	gboolean ok = (list == NULL || l != NULL) &&
		      csvio_export_members(db, l ? l->id : 0, out, error);

	list_free(l);
	return ok;
}

/* csvio_import_signatures_to - import into a petition named by slug */
gboolean csvio_import_signatures_to(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				    const char *slug, const char *path, CsvioStats *st,
				    GError **error)
{
	Petition *p = petition_need(db, slug, error);
	gboolean ok = p && csvio_import_signatures(db, cfg, key, p->id, path, st, error);

	petition_free(p);
	return ok;
}

/* csvio_export_signatures_of - export a petition named by slug */
gboolean csvio_export_signatures_of(PmDb *db, const char *slug, FILE *out, GError **error)
{
	Petition *p = petition_need(db, slug, error);
	gboolean ok = p && csvio_export_signatures(db, p->id, out, error);

	petition_free(p);
	return ok;
}
