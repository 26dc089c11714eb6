/*
 * delivery.c - the SQL side of deliveries: targets, per-petition delivery settings, the
 * streamed CSV, the compiler that splits a petition's new signatures into one share per
 * target, and what delivery_send.c asks about deliveries (due schedules, failures, replies).
 *
 * The compiler steps once through the signatures in id order (a cached statement, one
 * row at a time) and appends each row to the CSV writer of every target it belongs to;
 * a writer that grows past the gzip threshold continues as a gzip stream. Nothing holds
 * signatures as objects, so memory is bounded by the writers, not by the petition.
 *
 * DIAGNOSTICS: EX_DATAERR for a bad address or field list, EX_NOUSER for an unknown
 * petition; database errors as db.c maps them.
 */
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <zlib.h>
#include "mail/address.h"
#include "model/csvio.h"
#include "model/delivery.h"
#include "base/pm.h"
#include "base/plural.h"
#include "model/story.h"

static const char *const status_names[] = {
	[DELIVERY_STATUS_QUEUED] = "queued", [DELIVERY_STATUS_SENT] = "sent",
	[DELIVERY_STATUS_FAILED] = "failed",
};

/* delivery_status_name - the status as stored */
const char *delivery_status_name(DeliveryStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* delivery_status_parse - the status stored as s */
gboolean delivery_status_parse(const char *s, DeliveryStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (DeliveryStatus)i;
	return TRUE;
}

/* ==== Targets ==== */

/* target_free - destroy a target */
Target *target_free(Target *t)
{
	if (t) {
		g_free(t->name);
		g_free(t->email);
		g_free(t->title);
		g_free(t->district);
		g_strfreev(t->petitions);
		g_free(t);
	}
	return NULL;
}

/* Titles a name may already start with: the word, and the title it abbreviates (NULL: it
 * is a title of its own). Compared without case, as a whole word. */
static const char *const known_titles[][2] = {
	{ "Councillor", NULL }, { "Councilor", NULL }, { "Cllr", "Councillor" },
	{ "Cllr.", "Councillor" }, { "Mayor", NULL }, { "Dr", NULL }, { "Dr.", NULL },
	{ "MP", NULL }, { "Senator", NULL }, { "Sen.", "Senator" }, { "Sen", "Senator" },
	{ "Representative", NULL }, { "Rep.", "Representative" }, { "Rep", "Representative" },
	{ "Mr", NULL }, { "Mr.", NULL }, { "Mrs", NULL }, { "Mrs.", NULL }, { "Ms", NULL },
	{ "Ms.", NULL }, { "Prof.", NULL }, { "Professor", NULL },
};

/* starts_with_word - the length of word when s starts with it (any case) and a space or
 * the end follows; else 0 */
static gsize starts_with_word(const char *s, const char *word)
{
	gsize n = strlen(word);

	if (n == 0 || g_ascii_strncasecmp(s, word, n) != 0)
		return 0;
	return s[n] == ' ' || s[n] == '\0' ? n : 0;
}

/* target_salutation - title and name, without a title twice */
char *target_salutation(const char *title, const char *name)
{
	const char *nm = name ? name : "";

	while (*nm == ' ')
		nm++;
	if (title == NULL || *title == '\0' || starts_with_word(nm, title))
		return g_strdup(nm);
	for (gsize i = 0; i < G_N_ELEMENTS(known_titles); i++) {
		gsize n = starts_with_word(nm, known_titles[i][0]);
		const char *full = known_titles[i][1];

		if (n == 0)
			continue;
		/* "Cllr Nora North" with the title Councillor: "Councillor Nora North" */
		if (full && g_ascii_strcasecmp(full, title) == 0)
			return g_strconcat(title, nm + n, NULL);
		return g_strdup(nm);
	}
	return g_strconcat(title, " ", nm, NULL);
}

/* target_add - upsert by address, attach to petitions */
gint64 target_add(PmDb *db, const PmConfig *cfg, const char *name, const char *email,
		  const char *title, const char *district, char **slugs, GError **error)
{
	char *addr = pm_clean_text(email), *n = pm_clean_name(name);
	char *t = pm_clean_text(title), *d = pm_clean_text(district);
	gint64 id = 0;
	GError *e = NULL;
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(gint64));

	if (addr == NULL || !address_is_valid(addr)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s",
			    email ? email : "(none)");
		goto out;
	}
	if (n == NULL) {
		g_set_error(error, PM_ERROR, EX_USAGE, "a target needs a name");
		goto out;
	}
	{
		char *low = g_ascii_strdown(addr, -1);
		g_free(addr);
		addr = low;
	}
	/* the petitions first: an unknown one changes nothing */
	for (int i = 0; slugs && slugs[i]; i++) {
		Petition *p = petition_need(db, slugs[i], error);

		if (p == NULL)
			goto out;
		g_array_append_val(pids, p->id);
		petition_free(p);
	}
	if (!db_int(db, &e, &id, 0, "SELECT id FROM targets WHERE email = ?", "t", addr)) {
		g_propagate_error(error, e);
		goto out;
	}
	if (id == 0) {
		if (!db_exec(db, error, "INSERT INTO targets(name, email, title, district, "
			     "created_at) VALUES (?, ?, ?, ?, ?)", "tttti", n, addr, t, d,
			     pm_now()))
			goto out;
		id = db_last_id(db);
	} else if (!db_exec(db, error, "UPDATE targets SET name = ?2, title = coalesce(?3, "
			    "title), district = coalesce(?4, district) WHERE id = ?1", "ittt", id,
			    n, t, d)) {
		id = 0;
		goto out;
	}
	for (guint i = 0; i < pids->len; i++)
		if (!db_exec(db, error, "INSERT OR IGNORE INTO petition_targets(petition_id, "
			     "target_id) VALUES (?, ?)", "ii", g_array_index(pids, gint64, i), id)) {
			id = 0;
			goto out;
		}
out:
	g_array_free(pids, TRUE);
	g_free(addr);
	g_free(n);
	g_free(t);
	g_free(d);
	return id;
}

/* target_update - edit a target, keeping its deliveries */
gboolean target_update(PmDb *db, gint64 id, const char *name, const char *email,
		       const char *title, const char *district, GError **error)
{
	char *addr = pm_clean_text(email), *n = pm_clean_name(name);
	gboolean ok = FALSE;
	GError *e = NULL;

	if (email && (addr == NULL || !address_is_valid(addr))) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s", email);
		goto out;
	}
	if (addr) {
		char *low = g_ascii_strdown(addr, -1);
		g_free(addr);
		addr = low;
	}
	if (!db_exec(db, &e, "UPDATE targets SET name = coalesce(?2, name), email = "
		     "coalesce(?3, email), title = CASE WHEN ?4 IS NULL THEN title ELSE "
		     "nullif(?4, '') END, district = CASE WHEN ?5 IS NULL THEN district ELSE "
		     "nullif(trim(?5), '') END WHERE id = ?1", "itttt", id, n, addr, title,
		     district)) {
		if (e->code == EX_DATAERR)
			g_prefix_error(&e, "%s is another target's address: ", addr);
		g_propagate_error(error, e);
		goto out;
	}
	if (db_changes(db) == 0) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "no target %" G_GINT64_FORMAT, id);
		goto out;
	}
	ok = TRUE;
out:
	g_free(addr);
	g_free(n);
	return ok;
}

/* add_str - a string member, "" for NULL */
static void add_str(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, value ? value : "");
}

/* add_int - an integer member */
static void add_int(JsonBuilder *b, const char *name, gint64 value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, value);
}

/* finish_json - the builder's root, or NULL (and the error) when e is set */
static JsonNode *finish_json(JsonBuilder *b, GError *e, GError **error)
{
	JsonNode *n = json_builder_get_root(b);

	g_object_unref(b);
	if (e) {
		g_propagate_error(error, e);
		json_node_unref(n);
		return NULL;
	}
	return n;
}

/* target_destroy - target_free for GDestroyNotify */
static void target_destroy(gpointer t)
{
	target_free(t);
}

/* target_row - one target: id, name, email, title, district[, its petitions' slugs] */
static gpointer target_row(sqlite3_stmt *st)
{
	Target *t = g_new0(Target, 1);

	t->id = sqlite3_column_int64(st, 0);
	t->name = db_col_text(st, 1);
	t->email = db_col_text(st, 2);
	t->title = db_col_text(st, 3);
	t->district = pm_clean_text((const char *)sqlite3_column_text(st, 4));
	if (sqlite3_column_count(st) > 5) {
		const char *slugs = (const char *)sqlite3_column_text(st, 5);

		t->petitions = g_strsplit(slugs ? slugs : "", ",", -1);
		if (t->petitions[0] && *t->petitions[0] == '\0' && t->petitions[1] == NULL)
			g_clear_pointer(&t->petitions[0], g_free);
	}
	return t;
}

/* target_list - every target with the petitions it receives */
GPtrArray *target_list(PmDb *db, GError **error)
{
	return db_rows(db, db_query(db, error,
		"SELECT t.id, t.name, t.email, t.title, t.district, "
		"(SELECT group_concat(p.slug, ',') FROM petition_targets pt JOIN petitions p ON "
		"p.id = pt.petition_id WHERE pt.target_id = t.id) FROM targets t ORDER BY t.id",
		NULL), target_row, target_destroy, error);
}

/* target_list_for - targets of one petition */
GPtrArray *target_list_for(PmDb *db, gint64 petition_id, GError **error)
{
	return db_rows(db, db_query(db, error,
		"SELECT t.id, t.name, t.email, t.title, t.district FROM targets t JOIN "
		"petition_targets pt ON pt.target_id = t.id WHERE pt.petition_id = ? ORDER BY t.id",
		"i", petition_id), target_row, target_destroy, error);
}

/* ==== Settings ==== */

static const char *const field_names[] = { "name", "postcode", "district", "comment",
					   "signed_at", "email" };

/* field_index - position in DELIVERY_FIELDS, or -1 */
static int field_index(const char *f)
{
	for (int i = 0; i < (int)G_N_ELEMENTS(field_names); i++)
		if (strcmp(field_names[i], f) == 0)
			return i;
	return -1;
}

/* delivery_disclose_normalize - check and tidy a field list */
char *delivery_disclose_normalize(const char *fields, GError **error)
{
	char **v = g_strsplit(fields ? fields : "", ",", -1);
	GString *out = g_string_new(NULL);
	gboolean seen[G_N_ELEMENTS(field_names)] = { FALSE };

	for (int i = 0; v[i]; i++) {
		char *f = g_ascii_strdown(g_strstrip(v[i]), -1);
		int k = field_index(f);

		if (*f && k < 0) {
			g_set_error(error, PM_ERROR, EX_USAGE, "unknown field '%s' (fields: %s)", f,
				    DELIVERY_FIELDS);
			g_free(f);
			g_strfreev(v);
			g_string_free(out, TRUE);
			return NULL;
		}
		if (*f && !seen[k]) {
			seen[k] = TRUE;
			g_string_append_printf(out, "%s%s", out->len ? "," : "", f);
		}
		g_free(f);
	}
	g_strfreev(v);
	if (out->len == 0) {
		g_set_error(error, PM_ERROR, EX_USAGE, "disclose at least one field (%s)",
			    DELIVERY_FIELDS);
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* delivery_settings_get - the petition's delivery columns */
gboolean delivery_settings_get(PmDb *db, gint64 petition_id, DeliverySettings *s,
			       GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT disclose, deliver_every_days, "
				    "deliver_on_close, deliver_at_milestones, "
				    "coalesce(deliver_requested_at, 0) FROM petitions WHERE id = ?",
				    "i", petition_id);
	GError *e = NULL;
	gboolean found = FALSE;

	memset(s, 0, sizeof *s);
	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		found = TRUE;
		s->disclose = db_col_text(st, 0);
		s->every_days = sqlite3_column_int(st, 1);
		s->on_close = sqlite3_column_int(st, 2) != 0;
		s->at_milestones = sqlite3_column_int(st, 3) != 0;
		s->requested_at = sqlite3_column_int64(st, 4);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (!found) {
		/* absent: the petition's own error */
		petition_free(petition_need_id(db, petition_id, error));
		return FALSE;
	}
	return TRUE;
}

/* delivery_configure_of - change what was given, then read the settings back */
Petition *delivery_configure_of(PmDb *db, const char *slug, const char *fields,
				int every_days, int on_close, int at_milestones,
				DeliverySettings *s, GError **error)
{
	Petition *p = petition_need(db, slug, error);
	gboolean change = fields || every_days >= 0 || on_close >= 0 || at_milestones >= 0;

	memset(s, 0, sizeof *s);
	if (p && ((change && !delivery_configure(db, p->id, fields, every_days, on_close,
						 at_milestones, error)) ||
		  !delivery_settings_get(db, p->id, s, error)))
		p = petition_free(p);
	return p;
}

/* delivery_settings_clear - free the strings */
void delivery_settings_clear(DeliverySettings *s)
{
	g_clear_pointer(&s->disclose, g_free);
}

/* delivery_configure - disclose and schedule columns; -1 leaves a value alone */
gboolean delivery_configure(PmDb *db, gint64 petition_id, const char *fields, int every_days,
			    int on_close, int at_milestones, GError **error)
{
	char *norm = NULL;
	gboolean ok;

	if (fields && (norm = delivery_disclose_normalize(fields, error)) == NULL)
		return FALSE;
	ok = petition_set_delivery(db, petition_id, norm, every_days, on_close, at_milestones,
				   error);
	g_free(norm);
	return ok;
}

/* delivery_request - leave the compile to the next run */
gboolean delivery_request(PmDb *db, gint64 petition_id, GError **error)
{
	return petition_request_delivery(db, petition_id, pm_now(), error);
}

/* ==== The streamed CSV ==== */

#define ZCHUNK 65536

struct DeliveryCsv {
	int idx[G_N_ELEMENTS(field_names)];   /* disclosed fields, in the organizer's order */
	int n;
	gint64 gzip_above;
	gint64 raw;               /* uncompressed bytes written */
	GByteArray *buf;          /* plain CSV until the threshold */
	gboolean zon;             /* gzip stream started */
	z_stream z;
	GByteArray *gz;           /* compressed output */
	GString *row;             /* scratch for one row */
};

/* zwrite - deflate len bytes (flush Z_NO_FLUSH or Z_FINISH) into c->gz */
static void zwrite(DeliveryCsv *c, const guint8 *data, gsize len, int flush)
{
	guint8 out[ZCHUNK];
	int rc;

	c->z.next_in = (Bytef *)data;
	c->z.avail_in = (uInt)len;
	do {
		c->z.next_out = out;
		c->z.avail_out = sizeof out;
		rc = deflate(&c->z, flush);
		g_assert(rc != Z_STREAM_ERROR);
		g_byte_array_append(c->gz, out, sizeof out - c->z.avail_out);
	} while (c->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

/* csv_append - add bytes, switching to gzip past the threshold */
static void csv_append(DeliveryCsv *c, const char *data, gsize len)
{
	c->raw += len;
	if (c->zon) {
		zwrite(c, (const guint8 *)data, len, Z_NO_FLUSH);
		return;
	}
	g_byte_array_append(c->buf, (const guint8 *)data, len);
	if (c->gzip_above > 0 && (gint64)c->buf->len > c->gzip_above) {
		/* windowBits 15 + 16: a gzip wrapper, so the attachment is a .csv.gz file */
		if (deflateInit2(&c->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			g_error("zlib: deflateInit2 failed");   /* only on out of memory */
		c->zon = TRUE;
		c->gz = g_byte_array_sized_new(c->buf->len / 4);
		zwrite(c, c->buf->data, c->buf->len, Z_NO_FLUSH);
		g_byte_array_unref(c->buf);
		c->buf = NULL;
	}
}

/* delivery_csv_new - a writer with its header row */
DeliveryCsv *delivery_csv_new(const char *disclose, gint64 gzip_above)
{
	DeliveryCsv *c = g_new0(DeliveryCsv, 1);
	char **v = g_strsplit(disclose ? disclose : "", ",", -1);

	for (int i = 0; v[i] && c->n < (int)G_N_ELEMENTS(c->idx); i++) {
		int k = field_index(v[i]);

		if (k >= 0)
			c->idx[c->n++] = k;
	}
	g_strfreev(v);
	c->gzip_above = gzip_above;
	c->buf = g_byte_array_sized_new(4096);
	c->row = g_string_sized_new(256);
	for (int i = 0; i < c->n; i++) {
		if (i)
			g_string_append_c(c->row, ',');
		g_string_append(c->row, field_names[c->idx[i]]);
	}
	g_string_append(c->row, "\r\n");
	csv_append(c, c->row->str, c->row->len);
	return c;
}

/* delivery_csv_add - one row of the disclosed fields */
void delivery_csv_add(DeliveryCsv *c, const char *const values[6])
{
	g_string_truncate(c->row, 0);
	for (int i = 0; i < c->n; i++) {
		if (i)
			g_string_append_c(c->row, ',');
		csvio_cell(c->row, values[c->idx[i]]);
	}
	g_string_append(c->row, "\r\n");
	csv_append(c, c->row->str, c->row->len);
}

/* delivery_csv_free - discard */
DeliveryCsv *delivery_csv_free(DeliveryCsv *c)
{
	if (c) {
		if (c->zon)
			deflateEnd(&c->z);
		if (c->buf)
			g_byte_array_unref(c->buf);
		if (c->gz)
			g_byte_array_unref(c->gz);
		g_string_free(c->row, TRUE);
		g_free(c);
	}
	return NULL;
}

/* delivery_csv_finish - the bytes, plain or gzip'd */
GBytes *delivery_csv_finish(DeliveryCsv *c, gboolean *gzipped, gint64 *raw)
{
	GBytes *out;

	*raw = c->raw;
	*gzipped = c->zon;
	if (c->zon) {
		zwrite(c, NULL, 0, Z_FINISH);
		out = g_byte_array_free_to_bytes(c->gz);
		c->gz = NULL;
	} else {
		out = g_byte_array_free_to_bytes(c->buf);
		c->buf = NULL;
	}
	delivery_csv_free(c);
	return out;
}

/* ==== Compiling ==== */

#define COMMENTS_MAX 20

/* One target's share while compiling. */
typedef struct {
	const Target *t;
	gint64 from;            /* previous delivery's upto_signature */
	gint64 since;           /* previous delivery's time, 0: none */
	gint64 before;          /* signatures delivered to it before */
	DeliveryCsv *csv;
	gint64 count;
	JsonBuilder *comments;  /* up to COMMENTS_MAX disclosed comments */
	int n_comments;
} Share;

/* share_free - for the shares array */
static void share_free(gpointer p)
{
	Share *s = p;

	delivery_csv_free(s->csv);
	if (s->comments)
		g_object_unref(s->comments);
	g_free(s);
}

/* fmt_time - ISO 8601 UTC of t into buf (no allocation: runs once per row) */
static const char *fmt_time(gint64 t, char *buf, gsize size, const char *fmt)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(buf, size, fmt, &tm) == 0)
		buf[0] = '\0';
	return buf;
}

/* share_add - append a signature row to a share */
static void share_add(Share *s, const gboolean disclosed[6], const char *const v[6])
{
	s->count++;
	delivery_csv_add(s->csv, v);
	if (v[3] && *v[3] && disclosed[3] && s->n_comments < COMMENTS_MAX) {
		json_builder_begin_object(s->comments);
		add_str(s->comments, "name", disclosed[0] ? v[0] : "");
		add_str(s->comments, "district", disclosed[2] ? v[2] : "");
		add_str(s->comments, "comment", v[3]);
		add_str(s->comments, "signed_at", disclosed[4] ? v[4] : "");
		json_builder_end_object(s->comments);
		s->n_comments++;
	}
}

/* row_values - the six field values of a signature row (columns 1..6 of the queries) */
static void row_values(sqlite3_stmt *st, int col, char *date, gsize date_size,
		       const char *v[6])
{
	v[0] = (const char *)sqlite3_column_text(st, col);
	v[1] = (const char *)sqlite3_column_text(st, col + 1);
	v[2] = (const char *)sqlite3_column_text(st, col + 2);
	v[3] = (const char *)sqlite3_column_text(st, col + 3);
	v[4] = fmt_time(sqlite3_column_int64(st, col + 4), date, date_size, "%Y-%m-%dT%H:%M:%SZ");
	v[5] = (const char *)sqlite3_column_text(st, col + 5);
}

#define SIG_COLS "coalesce(m.name, s.name), m.postcode, coalesce(nullif(m.district, ''), " \
		 "s.district), s.comment, coalesce(s.confirmed_at, s.created_at), " \
		 "coalesce(m.address, m.email)"

/* compile_data - the cover-letter data of one share; a new node */
static JsonNode *compile_data(PmDb *db, const PmConfig *cfg, const Petition *p, Share *s,
			      gint64 delivery_id, const char *reason, gint64 total,
			      GError **error)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *stories = story_list_json(db, p->id, 5, error);
	char since[32];
	char *salutation;

	if (stories == NULL) {
		g_object_unref(b);
		return NULL;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "petition");
	json_builder_add_value(b, petition_to_json(db, cfg, p));
	json_builder_set_member_name(b, "target");
	json_builder_begin_object(b);
	add_str(b, "name", s->t->name);
	add_str(b, "title", s->t->title);
	salutation = target_salutation(s->t->title, s->t->name);
	add_str(b, "salutation", salutation);
	g_free(salutation);
	add_str(b, "district", s->t->district);
	add_str(b, "email", s->t->email);
	/* the template's "N of them in your district": all they have had, this one included */
	add_int(b, "signatures", s->before + s->count);
	json_builder_end_object(b);
	add_int(b, "count", s->count);
	json_builder_set_member_name(b, "count_one");
	json_builder_add_boolean_value(b, plural_is_one(cfg->language, s->count));
	add_int(b, "total", total);
	add_int(b, "district_total", s->before + s->count);
	add_str(b, "new_since", fmt_time(s->since, since, sizeof since, "%Y-%m-%d"));
	json_builder_set_member_name(b, "first");
	json_builder_add_boolean_value(b, s->since == 0);
	add_str(b, "reason", reason);
	json_builder_set_member_name(b, "stories");
	json_builder_add_value(b, stories);
	json_builder_set_member_name(b, "signatures");
	json_builder_end_array(s->comments);
	json_builder_add_value(b, json_builder_get_root(s->comments));
	json_builder_set_member_name(b, "delivery");
	json_builder_begin_object(b);
	add_int(b, "id", delivery_id);
	json_builder_end_object(b);
	json_builder_end_object(b);
	return finish_json(b, NULL, error);
}

/* share_prepare - previous range and a fresh writer for each target */
static gboolean share_prepare(PmDb *db, Share *s, const char *disclose, gint64 gzip_above,
			      gint64 petition_id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
		"SELECT coalesce(max(upto_signature), 0), coalesce(max(created_at), 0), "
		"coalesce(sum(signatures), 0) FROM deliveries WHERE petition_id = ? AND "
		"target_id = ? AND status != 'failed'", "ii", petition_id, s->t->id);
	GError *e = NULL;

	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		s->from = sqlite3_column_int64(st, 0);
		s->since = sqlite3_column_int64(st, 1);
		s->before = sqlite3_column_int64(st, 2);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	s->csv = delivery_csv_new(disclose, gzip_above);
	s->comments = json_builder_new();
	json_builder_begin_array(s->comments);
	return TRUE;
}

/* district_key - the routing key of a district (ASCII case-insensitive); caller frees */
static char *district_key(const char *d)
{
	char *k = pm_clean_text(d), *low;

	if (k == NULL)
		return NULL;
	low = g_ascii_strdown(k, -1);
	g_free(k);
	return low;
}

/* share_matches - does a signature of district d belong to share s */
static gboolean share_matches(const Share *s, const char *d)
{
	char *k;
	gboolean m;

	if (s->t->district == NULL)
		return TRUE;
	k = district_key(d);
	m = k && g_ascii_strcasecmp(k, s->t->district) == 0;
	g_free(k);
	return m;
}

/* route - stream one statement's rows into the shares; holes TRUE: column 0 is a target */
static gboolean route(PmDb *db, sqlite3_stmt *st, GPtrArray *shares, GHashTable *by_district,
		      GPtrArray *everyone, const gboolean disclosed[6], gboolean holes,
		      GError **error)
{
	GString *key = g_string_sized_new(64);
	GError *e = NULL;
	char date[32];
	const char *v[6];

	while (db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);

		row_values(st, holes ? 2 : 1, date, sizeof date, v);
		if (holes) {
			/* a late confirmation: only the share that passed over it, and only when
			 * its id range (after a failed delivery) does not cover it again */
			gint64 sig = sqlite3_column_int64(st, 1);

			for (guint i = 0; i < shares->len; i++) {
				Share *s = shares->pdata[i];

				if (s->t->id == id && sig <= s->from && share_matches(s, v[2]))
					share_add(s, disclosed, v);
			}
			continue;
		}
		for (guint i = 0; i < everyone->len; i++) {
			Share *s = everyone->pdata[i];

			if (id > s->from)
				share_add(s, disclosed, v);
		}
		if (v[2] && *v[2]) {
			GPtrArray *a;

			g_string_assign(key, v[2]);
			for (gsize i = 0; i < key->len; i++)
				key->str[i] = g_ascii_tolower(key->str[i]);
			a = g_hash_table_lookup(by_district, g_strstrip(key->str));
			for (guint i = 0; a && i < a->len; i++) {
				Share *s = a->pdata[i];

				if (id > s->from)
					share_add(s, disclosed, v);
			}
		}
	}
	db_done(st);
	g_string_free(key, TRUE);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* emit - insert the delivery of one non-empty share, move its holes, hand it to sink */
static gboolean emit(PmDb *db, const PmConfig *cfg, const Petition *p, Share *s,
		     const char *reason, gint64 upto, gint64 total, DeliverySink sink,
		     gpointer user, GError **error)
{
	DeliveryPart part = { 0 };
	gboolean gz, ok = FALSE;
	gint64 raw, id, outbox_id = 0;
	GBytes *csv = delivery_csv_finish(s->csv, &gz, &raw);

	s->csv = NULL;
	if (!db_exec(db, error, "INSERT INTO deliveries(petition_id, target_id, status, reason, "
		     "from_signature, upto_signature, signatures, total, csv_bytes, gzipped, "
		     "since_at, created_at) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, "
		     "nullif(?, 0), ?)", "iitiiiiiiii", p->id, s->t->id, reason, s->from, upto,
		     s->count, total, raw, (gint64)gz, s->since, pm_now()))
		goto out;
	id = db_last_id(db);
	/* late confirmations now carried; signatures still pending in this range wait, and
	 * so do suspect and invalid ones (carried if cleared or restored) */
	if (!db_exec(db, error, "UPDATE delivery_holes SET delivery_id = ?3 WHERE petition_id = ?1 "
		     "AND target_id = ?2 AND (delivery_id IS NULL OR delivery_id IN (SELECT id FROM "
		     "deliveries WHERE status = 'failed')) AND signature_id IN (SELECT id FROM "
		     "signatures WHERE petition_id = ?1 AND status = 'confirmed')", "iii", p->id,
		     s->t->id, id) ||
	    !db_exec(db, error, "INSERT OR IGNORE INTO delivery_holes(petition_id, target_id, "
		     "signature_id) SELECT ?1, ?2, id FROM signatures WHERE petition_id = ?1 AND "
		     "status != 'confirmed' AND id > ?3 AND id <= ?4", "iiii", p->id, s->t->id,
		     s->from, upto))
		goto out;
	part.delivery_id = id;
	part.petition = p;
	part.target = s->t;
	part.reason = reason;
	part.csv = csv;
	part.gzipped = gz;
	part.count = s->count;
	part.data = compile_data(db, cfg, p, s, id, reason, total, error);
	if (part.data == NULL)
		goto out;
	ok = sink(db, &part, &outbox_id, user, error) &&
	     db_exec(db, error, "UPDATE deliveries SET outbox_id = nullif(?, 0) WHERE id = ?",
		     "ii", outbox_id, id);
	json_node_unref(part.data);
out:
	g_bytes_unref(csv);
	return ok;
}

/* delivery_compile - one pass over the new signatures, one share per target */
gboolean delivery_compile(PmDb *db, const PmConfig *cfg, gint64 petition_id,
			  const char *reason, DeliverySink sink, gpointer user, int *queued,
			  GError **error)
{
	Petition *p = NULL;
	GPtrArray *targets = NULL, *shares = NULL, *everyone = NULL;
	GHashTable *by_district = NULL;
	DeliverySettings set = { 0 };
	gboolean disclosed[6] = { FALSE }, ok = FALSE;
	gint64 upto = 0, min_from = G_MAXINT64, total = 0, pending = 0;
	sqlite3_stmt *st;

	*queued = 0;
	if ((p = petition_need_id(db, petition_id, error)) == NULL)
		return FALSE;
	if (!delivery_settings_get(db, petition_id, &set, error) ||
	    !delivery_need_targets(db, p, error) ||
	    (targets = target_list_for(db, petition_id, error)) == NULL)
		goto out;
	{
		char **v = g_strsplit(set.disclose, ",", -1);

		for (int i = 0; v[i]; i++)
			if (field_index(v[i]) >= 0)
				disclosed[field_index(v[i])] = TRUE;
		g_strfreev(v);
	}
	if (!db_int(db, error, &upto, 0, "SELECT max(id) FROM signatures WHERE petition_id = ?",
		    "i", petition_id) ||
	    !petition_counts(db, petition_id, &total, &pending, error))
		goto out;
	shares = g_ptr_array_new_with_free_func(share_free);
	everyone = g_ptr_array_new();
	by_district = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < targets->len; i++) {
		Share *s = g_new0(Share, 1);
		char *k;

		s->t = targets->pdata[i];
		g_ptr_array_add(shares, s);
		if (!share_prepare(db, s, set.disclose, cfg->delivery_gzip_above, petition_id,
				   error))
			goto out;
		min_from = MIN(min_from, s->from);
		if ((k = district_key(s->t->district)) == NULL) {
			g_ptr_array_add(everyone, s);
		} else {
			GPtrArray *a = g_hash_table_lookup(by_district, k);

			if (a == NULL) {
				a = g_ptr_array_new();
				g_hash_table_insert(by_district, g_strdup(k), a);
			}
			g_ptr_array_add(a, s);
			g_free(k);
		}
	}
	st = db_query(db, error, "SELECT s.id, " SIG_COLS " FROM signatures s LEFT JOIN members "
		      "m ON m.id = s.member_id WHERE s.petition_id = ? AND s.status = 'confirmed' "
		      "AND s.id > ? AND s.id <= ? ORDER BY s.id", "iii", petition_id, min_from, upto);
	if (st == NULL ||
	    !route(db, st, shares, by_district, everyone, disclosed, FALSE, error))
		goto out;
	st = db_query(db, error, "SELECT h.target_id, s.id, " SIG_COLS " FROM delivery_holes h "
		      "JOIN signatures s ON s.id = h.signature_id LEFT JOIN members m ON m.id = "
		      "s.member_id WHERE h.petition_id = ? AND s.status = 'confirmed' AND "
		      "(h.delivery_id IS NULL OR h.delivery_id IN (SELECT id FROM deliveries WHERE "
		      "status = 'failed')) ORDER BY s.id", "i", petition_id);
	if (st == NULL ||
	    !route(db, st, shares, by_district, everyone, disclosed, TRUE, error))
		goto out;
	for (guint i = 0; i < shares->len; i++) {
		Share *s = shares->pdata[i];

		if (s->count == 0)
			continue;   /* nothing new for this target: no message, range unchanged */
		if (!emit(db, cfg, p, s, reason, upto, total, sink, user, error))
			goto out;
		(*queued)++;
	}
	ok = TRUE;
out:
	if (by_district)
		g_hash_table_destroy(by_district);
	if (everyone)
		g_ptr_array_unref(everyone);
	if (shares)
		g_ptr_array_unref(shares);
	if (targets)
		g_ptr_array_unref(targets);
	delivery_settings_clear(&set);
	petition_free(p);
	return ok;
}

/* delivery_need_targets - a delivery needs someone to go to */
gboolean delivery_need_targets(PmDb *db, const Petition *p, GError **error)
{
	gint64 targets = 0;

	if (!db_int(db, error, &targets, 0, "SELECT count(*) FROM petition_targets WHERE "
		    "petition_id = ?", "i", p->id))
		return FALSE;
	if (targets == 0) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "petition '%s' has no targets (see "
			    "`peermail target add`)", p->slug);
		return FALSE;
	}
	return TRUE;
}

/* ==== Listing ==== */

/* reply_free - a DeliveryReply */
static void reply_free(gpointer p)
{
	DeliveryReply *r = p;

	g_free(r->sender);
	g_free(r->subject);
	g_free(r->text);
	g_free(r);
}

/* row_free - a DeliveryRow */
static void row_free(gpointer p)
{
	DeliveryRow *r = p;

	g_free(r->petition);
	g_free(r->target.name);
	g_free(r->target.email);
	g_free(r->target.title);
	g_free(r->target.district);
	g_free(r->reason);
	g_free(r->failure);
	g_free(r->outbox_status);
	g_free(r->smtp_text);
	if (r->replies)
		g_ptr_array_unref(r->replies);
	g_free(r);
}

/* reply_row - one reply of read_replies' query */
static gpointer reply_row(sqlite3_stmt *st)
{
	DeliveryReply *r = g_new0(DeliveryReply, 1);

	r->sender = db_col_text(st, 0);
	r->subject = db_col_text(st, 1);
	r->text = db_col_text(st, 2);
	r->created_at = sqlite3_column_int64(st, 3);
	return r;
}

/* read_replies - the replies of one delivery */
static GPtrArray *read_replies(PmDb *db, gint64 id, GError **error)
{
	return db_rows(db, db_query(db, error, "SELECT sender, subject, text, created_at FROM "
				    "delivery_replies WHERE delivery_id = ? ORDER BY id", "i", id),
		       reply_row, reply_free, error);
}

/* delivery_list - deliveries with their status, outbox result and replies */
GPtrArray *delivery_list(PmDb *db, const char *petition, GError **error)
{
	Petition *p = NULL;
	sqlite3_stmt *st;
	GPtrArray *rows;
	GError *e = NULL;

	if (petition && (p = petition_need(db, petition, error)) == NULL)
		return NULL;
	st = db_query(db, error,
		/* a queued delivery whose message went out is sent, even before the next
		 * run's delivery_sync records it */
		"SELECT d.id, p.slug, t.name, t.email, t.title, t.district, CASE WHEN d.status = "
		"'queued' AND o.status = 'sent' THEN 'sent' ELSE d.status END, d.reason, "
		"d.from_signature, d.upto_signature, d.signatures, d.total, d.csv_bytes, "
		"d.gzipped, d.created_at, coalesce(d.sent_at, CASE WHEN o.status = 'sent' THEN "
		"coalesce(o.sent_at, o.updated_at) END), d.failure, o.status, o.smtp_code, "
		"o.smtp_text FROM deliveries d JOIN petitions p ON p.id = d.petition_id JOIN "
		"targets t ON t.id = d.target_id LEFT JOIN outbox o ON o.id = d.outbox_id "
		"WHERE ?1 = 0 OR d.petition_id = ?1 ORDER BY d.id", "i", p ? p->id : (gint64)0);
	petition_free(p);
	if (st == NULL)
		return NULL;
	rows = g_ptr_array_new_with_free_func(row_free);
	while (e == NULL && db_step(db, st, &e)) {
		DeliveryRow *r = g_new0(DeliveryRow, 1);

		r->id = sqlite3_column_int64(st, 0);
		r->petition = db_col_text(st, 1);
		r->target.name = db_col_text(st, 2);
		r->target.email = db_col_text(st, 3);
		r->target.title = db_col_text(st, 4);
		r->target.district = db_col_text(st, 5);
		delivery_status_parse((const char *)sqlite3_column_text(st, 6), &r->status);
		r->reason = db_col_text(st, 7);
		r->from_signature = sqlite3_column_int64(st, 8);
		r->upto_signature = sqlite3_column_int64(st, 9);
		r->signatures = sqlite3_column_int64(st, 10);
		r->total = sqlite3_column_int64(st, 11);
		r->csv_bytes = sqlite3_column_int64(st, 12);
		r->gzipped = sqlite3_column_int(st, 13) != 0;
		r->created_at = sqlite3_column_int64(st, 14);
		r->sent_at = sqlite3_column_int64(st, 15);
		r->failure = db_col_text(st, 16);
		r->outbox_status = db_col_text(st, 17);
		r->smtp_code = sqlite3_column_int64(st, 18);
		r->smtp_text = db_col_text(st, 19);
		g_ptr_array_add(rows, r);
		r->replies = read_replies(db, r->id, &e);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_ptr_array_unref(rows);
		return NULL;
	}
	return rows;
}

/* ==== Following deliveries (delivery_send.c) ==== */

/* delivery_info_free - destroy */
DeliveryInfo *delivery_info_free(DeliveryInfo *d)
{
	if (d) {
		g_free(d->target.name);
		g_free(d->target.email);
		g_free(d->target.title);
		g_free(d->target.district);
		g_free(d->reason);
		g_free(d);
	}
	return NULL;
}

/* delivery_info_get - one delivery and its target */
DeliveryInfo *delivery_info_get(PmDb *db, gint64 id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
		"SELECT d.petition_id, t.id, t.name, t.email, t.title, t.district, d.signatures, "
		"d.reason, d.created_at FROM deliveries d JOIN targets t ON t.id = d.target_id "
		"WHERE d.id = ?", "i", id);
	DeliveryInfo *d = NULL;

	if (st && db_step(db, st, error)) {
		d = g_new0(DeliveryInfo, 1);
		d->id = id;
		d->petition_id = sqlite3_column_int64(st, 0);
		d->target.id = sqlite3_column_int64(st, 1);
		d->target.name = db_col_text(st, 2);
		d->target.email = db_col_text(st, 3);
		d->target.title = db_col_text(st, 4);
		d->target.district = db_col_text(st, 5);
		d->signatures = sqlite3_column_int64(st, 6);
		d->reason = db_col_text(st, 7);
		d->created_at = sqlite3_column_int64(st, 8);
	}
	db_done(st);
	return d;
}

/* delivery_reply_add - keep a target's answer */
gboolean delivery_reply_add(PmDb *db, gint64 delivery_id, const char *sender,
			    const char *subject, const char *text, gint64 inbound_id,
			    GError **error)
{
	return db_exec(db, error, "INSERT INTO delivery_replies(delivery_id, sender, subject, "
		       "text, inbound_id, created_at) VALUES (?, ?, ?, ?, nullif(?, 0), ?)",
		       "itttii", delivery_id, sender, subject, text, inbound_id, pm_now());
}

/* delivery_sync_sent - queued deliveries whose message went out are sent */
gboolean delivery_sync_sent(PmDb *db, GError **error)
{
	/* only queued deliveries are looked at (an index), each by its outbox row id */
	return db_exec(db, error, "UPDATE deliveries SET status = 'sent', sent_at = (SELECT "
		       "coalesce(o.sent_at, o.updated_at) FROM outbox o WHERE o.id = "
		       "deliveries.outbox_id) WHERE status = 'queued' AND (SELECT o.status FROM "
		       "outbox o WHERE o.id = deliveries.outbox_id) = 'sent'", NULL);
}

/* delivery_failure_clear - for the failures array */
static void delivery_failure_clear(gpointer p)
{
	DeliveryFailure *f = p;

	g_free(f->outbox_status);
	g_free(f->smtp_status);
	g_free(f->smtp_text);
	g_free(f->bounce);
}

/* delivery_failures - deliveries since since whose message failed or bounced */
GArray *delivery_failures(PmDb *db, gint64 since, GError **error)
{
	/* failed rows, and permanent bounces that arrive after a 2xx. Targets are not
	 * members, so their bounces have no member_id: the bounces_member index finds them. */
	sqlite3_stmt *st = db_query(db, error,
		"SELECT d.id, o.status, o.smtp_code, o.smtp_status, o.smtp_text, (SELECT "
		"trim(coalesce(b.status, '') || ' ' || coalesce(b.diagnostic, '')) FROM bounces b "
		"WHERE b.member_id IS NULL AND b.outbox_id = o.id AND b.permanent = 1 AND b.kind = "
		"'bounce' ORDER BY b.id DESC LIMIT 1) AS bounced FROM deliveries d JOIN outbox o ON "
		"o.id = d.outbox_id WHERE d.status IN ('queued', 'sent') AND d.alerted_at IS NULL "
		"AND d.created_at > ? AND (o.status IN ('failed', 'cancelled') OR bounced IS NOT "
		"NULL) ORDER BY d.id", "i", since);
	GArray *a;
	GError *e = NULL;

	if (st == NULL)
		return NULL;
	a = g_array_new(FALSE, TRUE, sizeof(DeliveryFailure));
	g_array_set_clear_func(a, delivery_failure_clear);
	while (db_step(db, st, &e)) {
		DeliveryFailure f;

		f.id = sqlite3_column_int64(st, 0);
		f.outbox_status = db_col_text(st, 1);
		f.smtp_code = sqlite3_column_int(st, 2);
		f.smtp_status = db_col_text(st, 3);
		f.smtp_text = db_col_text(st, 4);
		f.bounce = db_col_text(st, 5);
		g_array_append_val(a, f);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(a);
		return NULL;
	}
	return a;
}

/* delivery_mark_failed - a failed delivery, unless its organizers were told already */
gboolean delivery_mark_failed(PmDb *db, gint64 id, const char *why, gint64 now,
			      GError **error)
{
	return db_exec(db, error, "UPDATE deliveries SET status = 'failed', failure = ?, "
		       "alerted_at = ? WHERE id = ? AND alerted_at IS NULL", "tii", why, now, id);
}

/* delivery_due_list - the petitions a schedule may make due */
GArray *delivery_due_list(PmDb *db, gint64 now, GError **error)
{
	sqlite3_stmt *st = db_query(db, error,
		"SELECT p.id, p.goal, p.deliver_requested_at IS NOT NULL, (p.status = 'closed' OR "
		"(p.closes_at > 0 AND p.closes_at <= ?1)) AND p.delivered_close = 0, "
		"p.deliver_on_close, p.deliver_at_milestones, p.delivered_milestone, "
		"p.deliver_every_days, max(coalesce(p.deliver_periodic_at, 0), coalesce((SELECT "
		"max(created_at) FROM deliveries d WHERE d.petition_id = p.id), p.created_at)) "
		"FROM petitions p WHERE EXISTS (SELECT 1 FROM petition_targets pt WHERE "
		"pt.petition_id = p.id) AND (p.deliver_requested_at IS NOT NULL OR "
		"p.deliver_on_close OR p.deliver_at_milestones OR p.deliver_every_days > 0) "
		"ORDER BY p.id", "i", now);
	GArray *due;
	GError *e = NULL;

	if (st == NULL)
		return NULL;
	due = g_array_new(FALSE, TRUE, sizeof(DeliveryDue));
	while (db_step(db, st, &e)) {
		DeliveryDue d;

		d.id = sqlite3_column_int64(st, 0);
		d.goal = sqlite3_column_int64(st, 1);
		d.requested = sqlite3_column_int(st, 2) != 0;
		d.closed = sqlite3_column_int(st, 3) != 0;
		d.on_close = sqlite3_column_int(st, 4) != 0;
		d.milestones = sqlite3_column_int(st, 5) != 0;
		d.delivered_milestone = sqlite3_column_int64(st, 6);
		d.every_days = sqlite3_column_int64(st, 7);
		d.last = sqlite3_column_int64(st, 8);
		g_array_append_val(due, d);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_unref(due);
		return NULL;
	}
	return due;
}
