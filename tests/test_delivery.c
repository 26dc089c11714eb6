/* test_delivery.c - targets, the CSV writer and the delivery compiler (districts:
 * test_district.c) */
#include <csv.h>
#include <gmime/gmime.h>
#include <sysexits.h>
#include <zlib.h>
#include "produce/delivery_send.h"
#include "mail/address.h"
#include "model/delivery.h"
#include "model/district_import.h"
#include "harness.h"
#include "testmsg.h"
#include "model/outbox.h"
#include "model/member.h"
#include "model/petition.h"
#include "model/signature.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;
static PmSecret *key;

static const char *const districts[] = { "North", "South", "East", "West", "Central" };
static const char *const prefixes[] = { "N1", "S1", "E1", "W1", "C1" };

static void setup(void)
{
	char *conf = g_build_filename(harness_tmpdir(), "peermail.conf", NULL);
	const char *top = g_getenv("PEERMAIL_TOP");
	char *templates = g_build_filename(top ? top : ".", "templates", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ndatabase = \"d.db\"\n"
				     "templates = \"%s\"\nfrom = \"Team <team@act.test>\"\n"
				     "organizers = { \"org@example.net\" }\nsyslog = false\n",
				     templates);
	GError *e = NULL;

	g_file_set_contents(conf, text, -1, NULL);
	cfg = config_load(conf, &e);
	if (cfg == NULL)
		g_error("config: %s", e->message);
	db = db_open(cfg->database, schema_peermail(), TRUE, NULL);
	key = secret_new_from_bytes((const guint8 *)"0123456789abcdef0123456789abcdef", 32);
	g_free(conf);
	g_free(templates);
	g_free(text);
}

static void teardown(void)
{
	db_close(db);
	config_free(cfg);
	secret_free(key);
}

/* ---- a CSV reader for the checks (libcsv) ---- */

typedef struct {
	GPtrArray *rows;    /* GPtrArray* of char* */
	GPtrArray *cur;
} Parsed;

static void p_field(void *s, size_t len, void *user)
{
	Parsed *p = user;

	if (p->cur == NULL)
		p->cur = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(p->cur, g_strndup(s ? s : "", s ? len : 0));
}

static void p_row(int c, void *user)
{
	Parsed *p = user;

	g_ptr_array_add(p->rows, p->cur ? p->cur : g_ptr_array_new_with_free_func(g_free));
	p->cur = NULL;
}

/* parse_csv - rows of cells; the array frees them */
static GPtrArray *parse_csv(GBytes *bytes)
{
	struct csv_parser cp;
	Parsed p = { g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref), NULL };
	gsize n;
	const char *d = g_bytes_get_data(bytes, &n);

	csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL);
	csv_parse(&cp, d, n, p_field, p_row, &p);
	csv_fini(&cp, p_field, p_row, &p);
	csv_free(&cp);
	return p.rows;
}

static const char *cell(GPtrArray *rows, guint r, guint c)
{
	GPtrArray *row = rows->pdata[r];

	return c < row->len ? row->pdata[c] : NULL;
}

/* gunzip - inflate a gzip member; caller frees */
static GBytes *gunzip(GBytes *gz)
{
	z_stream z = { 0 };
	GByteArray *out = g_byte_array_new();
	guint8 buf[65536];
	gsize n;
	int rc;

	z.next_in = (Bytef *)g_bytes_get_data(gz, &n);
	z.avail_in = (uInt)n;
	inflateInit2(&z, 15 + 16);
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		rc = inflate(&z, Z_NO_FLUSH);
		g_byte_array_append(out, buf, sizeof buf - z.avail_out);
	} while (rc == Z_OK);
	inflateEnd(&z);
	return g_byte_array_free_to_bytes(out);
}

/* ---- the capture sink: keeps each target's CSV and data ---- */

typedef struct {
	GHashTable *csv;    /* target email -> GBytes (plain CSV) */
	GHashTable *data;   /* target email -> JsonNode */
	int calls;
} Capture;

static void capture_init(Capture *c)
{
	c->csv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				       (GDestroyNotify)g_bytes_unref);
	c->data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					(GDestroyNotify)json_node_unref);
	c->calls = 0;
}

static void capture_clear(Capture *c)
{
	g_hash_table_destroy(c->csv);
	g_hash_table_destroy(c->data);
}

static gboolean capture_sink(PmDb *d, const DeliveryPart *part, gint64 *outbox_id,
			     gpointer user, GError **error)
{
	Capture *c = user;

	c->calls++;
	g_hash_table_insert(c->csv, g_strdup(part->target->email),
			    part->gzipped ? gunzip(part->csv) : g_bytes_ref(part->csv));
	g_hash_table_insert(c->data, g_strdup(part->target->email), json_node_copy(part->data));
	*outbox_id = 0;
	return TRUE;
}

#define SETEMAIL(e) do { char *t_ = g_strdup_printf("mp-%s@parl.test", e); g_free(e); \
			      e = t_; } while (0)

static int compile(gint64 pid, Capture *c)
{
	GError *e = NULL;
	int queued = -1;

	db_begin(db, NULL);
	if (!delivery_compile(db, cfg, pid, "manual", capture_sink, c, &queued, &e)) {
		printf("# compile: %s\n", e->message);
		g_error_free(e);
		db_rollback(db);
		return -1;
	}
	db_commit(db, NULL);
	return queued;
}

/* sql_names - sorted names of confirmed signers of pid in district (NULL: all), id range */
static char *sql_names(gint64 pid, const char *district, gint64 from, gint64 upto)
{
	sqlite3_stmt *st = db_query(db, NULL, "SELECT m.name FROM signatures s JOIN members m ON "
				    "m.id = s.member_id WHERE s.petition_id = ?1 AND s.status = "
				    "'confirmed' AND (?2 IS NULL OR m.district = ?2) AND s.id > ?3 "
				    "AND s.id <= ?4 ORDER BY m.name", "itii", pid, district, from, upto);
	GString *s = g_string_new(NULL);

	while (db_step(db, st, NULL))
		g_string_append_printf(s, "%s\n", sqlite3_column_text(st, 0));
	db_done(st);
	return g_string_free(s, FALSE);
}

static gint cmp_ptr(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* csv_names - sorted first column of a CSV's data rows */
static char *csv_names(GBytes *b, int col)
{
	GPtrArray *rows = parse_csv(b);
	GPtrArray *names = g_ptr_array_new();
	GString *s = g_string_new(NULL);

	for (guint i = 1; i < rows->len; i++)
		g_ptr_array_add(names, (gpointer)cell(rows, i, col));
	g_ptr_array_sort(names, cmp_ptr);
	for (guint i = 0; i < names->len; i++)
		g_string_append_printf(s, "%s\n", (char *)names->pdata[i]);
	g_ptr_array_unref(names);
	g_ptr_array_unref(rows);
	return g_string_free(s, FALSE);
}

TEST(csv_writer_gzip)
{
	const char *v[6] = { "Ann, \"the\" Lee", "N1 2AB", "North", "=cmd|' /C calc'!A0",
			     "2026-11-26T06:00:00Z", "ann@x.test" };
	DeliveryCsv *plain = delivery_csv_new("name,comment,district", 0);
	DeliveryCsv *small = delivery_csv_new("name,comment,district", 1000);
	GBytes *a, *b, *c;
	gboolean gz1, gz2;
	gint64 raw1, raw2;
	GPtrArray *rows;

	for (int i = 0; i < 500; i++) {
		delivery_csv_add(plain, v);
		delivery_csv_add(small, v);
	}
	a = delivery_csv_finish(plain, &gz1, &raw1);
	b = delivery_csv_finish(small, &gz2, &raw2);
	OK(!gz1, "below the threshold the CSV is plain");
	OK(gz2, "past the threshold the CSV is gzip'd");
	INT_EQ(raw2, raw1, "the raw size is counted either way");
	INT_EQ(g_bytes_get_size(a), raw1, "plain bytes are the raw size");
	OK(g_bytes_get_size(b) < g_bytes_get_size(a) / 5, "gzip is much smaller");
	c = gunzip(b);
	OK(g_bytes_equal(a, c), "gunzip gives back exactly the plain CSV");
	rows = parse_csv(a);
	INT_EQ(rows->len, 501, "header and 500 rows");
	STR_EQ(cell(rows, 0, 0), "name", "header in the organizer's order (1)");
	STR_EQ(cell(rows, 0, 1), "comment", "header in the organizer's order (2)");
	STR_EQ(cell(rows, 1, 0), "Ann, \"the\" Lee", "a cell survives quoting");
	STR_EQ(cell(rows, 1, 1), "'=cmd|' /C calc'!A0", "formula defused");
	INT_EQ(((GPtrArray *)rows->pdata[1])->len, 3, "only disclosed fields");
	g_ptr_array_unref(rows);
	g_bytes_unref(a);
	g_bytes_unref(b);
	g_bytes_unref(c);
}

TEST(settings)
{
	GError *e = NULL;
	char *n = delivery_disclose_normalize(" Name, comment,name ,signed_at", NULL);

	STR_EQ(n, "name,comment,signed_at", "fields lower-cased, trimmed, deduplicated");
	g_free(n);
	OK(delivery_disclose_normalize("name,phone", &e) == NULL, "unknown field refused");
	INT_EQ(e ? e->code : 0, EX_USAGE, "as a usage error");
	g_clear_error(&e);
	OK(delivery_disclose_normalize(" , ", &e) == NULL, "an empty list is refused");
	g_clear_error(&e);
}

TEST(targets)
{
	GError *e = NULL;
	char *slugs[] = { "roads", NULL }, *none[] = { "nope", NULL };
	gint64 id, id2;

	petition_create(db, cfg, "roads", "Fix the roads", "Please", 1000, 0, NULL);
	id = target_add(db, cfg, "Jo North", "Jo@Parl.test", "MP", "North", slugs, &e);
	OK(id > 0, "target added");
	id2 = target_add(db, cfg, "Jo North-West", "jo@parl.test", NULL, NULL, NULL, NULL);
	INT_EQ(id2, id, "the same address updates the target");
	OK(target_add(db, cfg, "X", "not an address", NULL, NULL, NULL, &e) == 0, "bad address refused");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);
	OK(target_add(db, cfg, "X", "x@parl.test", NULL, NULL, none, &e) == 0, "unknown petition refused");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	g_clear_error(&e);
	{
		GPtrArray *a = target_list(db, NULL);
		const Target *t = a && a->len ? a->pdata[0] : NULL;

		INT_EQ(a ? a->len : 0, 1, "one target listed");
		STR_EQ(t ? t->email : NULL, "jo@parl.test", "address lower-cased");
		STR_EQ(t ? t->district : NULL, "North", "district kept on update");
		STR_EQ(t ? t->title : NULL, "MP", "title kept on update");
		STR_EQ(t && t->petitions ? t->petitions[0] : NULL, "roads", "petition attached");
		if (a)
			g_ptr_array_unref(a);
	}
	db_exec(db, NULL, "DELETE FROM petition_targets", NULL);
	db_exec(db, NULL, "DELETE FROM targets", NULL);

	db_exec(db, NULL, "DELETE FROM members", NULL);
}

/* sign_many - n members in round-robin districts (every 7th without one), signed */
static void sign_many(gint64 pid, int start, int n, gboolean confirm_all)
{
	db_begin(db, NULL);
	for (int i = start; i < start + n; i++) {
		char *email = g_strdup_printf("m%05d@x.test", i);
		char *name = g_strdup_printf("Member %05d", i);
		char *pc = i % 7 == 0 ? g_strdup("ZZ9 9ZZ") :
			   g_strdup_printf("%s %dAB", prefixes[i % 5], i % 10);
		char *comment = i % 50 == 0 ? g_strdup("=HYPERLINK(\"http://evil\")") :
				i % 3 == 0 ? g_strdup_printf("Comment, \"%d\"", i) : NULL;
		gint64 mid = member_upsert(db, cfg, email, name, pc, NULL, FALSE, NULL);
		SignResult r;

		signature_add(db, pid, mid, confirm_all || i % 11 != 0, SIGNATURE_SOURCE_REPLY,
			      comment, NULL, &r, NULL);
		g_free(email);
		g_free(name);
		g_free(pc);
		g_free(comment);
	}
	db_commit(db, NULL);
}

TEST(compile_by_district)
{
	gint64 pid = petition_create(db, cfg, "clean-air", "Clean air", "Now.", 5000, 0, NULL);
	char *slugs[] = { "clean-air", NULL };
	Capture c;
	gint64 upto1 = 0, n = 0;
	GError *e = NULL;
	int q;

	for (int i = 0; i < 5; i++) {
		char *email = g_strdup_printf("mp-%s@parl.test", districts[i]);
		char *name = g_strdup_printf("MP for %s", districts[i]);

		target_add(db, cfg, name, email, "MP", districts[i], slugs, NULL);
		g_free(email);
		g_free(name);
	}
	target_add(db, cfg, "The Minister", "minister@gov.test", "Minister", NULL, slugs, NULL);
	{
		gint64 rows, mem;
		char *path = harness_data("deliveries/districts.csv");
		district_import(db, path, FALSE, &rows, &mem, NULL);
		g_free(path);
	}
	sign_many(pid, 1, 3000, FALSE);

	capture_init(&c);
	q = compile(pid, &c);
	INT_EQ(q, 6, "six targets, six messages");
	db_int(db, NULL, &upto1, 0, "SELECT max(id) FROM signatures", NULL);
	for (int i = 0; i < 5; i++) {
		char *email = g_ascii_strdown(districts[i], -1);
		GBytes *b;

		SETEMAIL(email);
		b = g_hash_table_lookup(c.csv, email);
		char *got = b ? csv_names(b, 0) : g_strdup("");
		char *want = sql_names(pid, districts[i], 0, upto1);
		char *what = g_strdup_printf("%s gets exactly its district's confirmed signers",
					     districts[i]);

		OK(strlen(want) > 100, "the district has signers");
		STR_EQ(got, want, what);
		g_free(what);
		g_free(got);
		g_free(want);
		g_free(email);
	}
	{
		GBytes *b = g_hash_table_lookup(c.csv, "minister@gov.test");
		char *got = csv_names(b, 0), *want = sql_names(pid, NULL, 0, upto1);
		GPtrArray *rows = parse_csv(b);
		gboolean defused = FALSE, no_email = TRUE;
		JsonObject *d = json_node_get_object(g_hash_table_lookup(c.data, "minister@gov.test"));

		STR_EQ(got, want, "the target without a district gets every confirmed signer");
		STR_EQ(cell(rows, 0, 0), "name", "default columns: name");
		STR_EQ(cell(rows, 0, 1), "district", "default columns: district");
		STR_EQ(cell(rows, 0, 2), "comment", "default columns: comment");
		STR_EQ(cell(rows, 0, 3), "signed_at", "default columns: signed_at");
		INT_EQ(((GPtrArray *)rows->pdata[0])->len, 4, "no email or postcode by default");
		for (guint i = 1; i < rows->len; i++) {
			if (g_strcmp0(cell(rows, i, 2), "'=HYPERLINK(\"http://evil\")") == 0)
				defused = TRUE;
			if (strchr(cell(rows, i, 0), '@') || strchr(cell(rows, i, 2), '@'))
				no_email = FALSE;
		}
		OK(defused, "a formula comment arrives defused");
		OK(no_email, "no address anywhere in the CSV");
		INT_EQ(json_object_get_int_member(d, "count"), rows->len - 1, "count = rows");
		petition_counts(db, pid, &n, &upto1, NULL);
		INT_EQ(json_object_get_int_member(d, "total"), n, "total = all confirmed");
		STR_EQ(json_object_get_string_member(d, "new_since"), "", "first delivery: no since");
		STR_EQ(json_object_get_string_member(json_object_get_object_member(d, "target"),
						     "name"), "The Minister", "target in the data");
		OK(json_array_get_length(json_object_get_array_member(d, "signatures")) == 20,
		   "twenty comments for the cover letter");
		g_ptr_array_unref(rows);
		g_free(got);
		g_free(want);
	}
	capture_clear(&c);

	/* nothing new: nothing sent */
	capture_init(&c);
	INT_EQ(compile(pid, &c), 0, "a second delivery with nothing new queues nothing");
	INT_EQ(c.calls, 0, "and the sink is not called");
	capture_clear(&c);

	/* new signers and late confirmations: only those */
	sign_many(pid, 3001, 200, TRUE);
	db_exec(db, NULL, "UPDATE signatures SET status = 'confirmed', confirmed_at = 1 WHERE id IN "
		"(SELECT id FROM signatures WHERE status = 'pending' ORDER BY id LIMIT 5)", NULL);
	capture_init(&c);
	q = compile(pid, &c);
	INT_EQ(q, 6, "the next delivery reaches every target again");
	{
		GBytes *b = g_hash_table_lookup(c.csv, "minister@gov.test");
		GPtrArray *rows = parse_csv(b);
		JsonObject *d = json_node_get_object(g_hash_table_lookup(c.data, "minister@gov.test"));

		INT_EQ(rows->len - 1, 205, "200 new signers and 5 late confirmations, nothing else");
		OK(strlen(json_object_get_string_member(d, "new_since")) == 10, "new_since is a date");
		g_ptr_array_unref(rows);
	}
	capture_clear(&c);
	{
		/* across deliveries every confirmed signature reached each share exactly once */
		gint64 dup = -1, all = -1, conf = -1;

		db_int(db, NULL, &all, -1, "SELECT sum(signatures) FROM deliveries d JOIN targets t ON "
		       "t.id = d.target_id WHERE t.district IS NULL AND d.petition_id = ?", "i", pid);
		db_int(db, NULL, &conf, -1, "SELECT count(*) FROM signatures WHERE petition_id = ? AND "
		       "status = 'confirmed'", "i", pid);
		INT_EQ(all, conf, "the all-districts target got every confirmed signature once");
		db_int(db, NULL, &dup, -1, "SELECT sum(signatures) FROM deliveries d JOIN targets t ON "
		       "t.id = d.target_id WHERE t.district IS NOT NULL AND d.petition_id = ?", "i", pid);
		db_int(db, NULL, &conf, -1, "SELECT count(*) FROM signatures s JOIN members m ON m.id = "
		       "s.member_id WHERE s.petition_id = ? AND s.status = 'confirmed' AND m.district IS "
		       "NOT NULL", "i", pid);
		INT_EQ(dup, conf, "district targets together got every districted signature once");
	}

	/* privacy: the organizer opts in to addresses and out of comments */
	OK(delivery_configure(db, pid, "name,email,postcode", -1, -1, -1, &e), "disclose set");
	sign_many(pid, 3201, 10, TRUE);
	capture_init(&c);
	compile(pid, &c);
	{
		GBytes *b = g_hash_table_lookup(c.csv, "minister@gov.test");
		GPtrArray *rows = parse_csv(b);

		STR_EQ(cell(rows, 0, 1), "email", "email only when disclosed");
		INT_EQ(((GPtrArray *)rows->pdata[0])->len, 3, "exactly the disclosed columns");
		OK(g_str_has_suffix(cell(rows, 1, 1), "@x.test"), "addresses present");
		OK(cell(rows, 1, 2)[0] != '\0', "postcode present");
		INT_EQ(rows->len - 1, 10, "ten more");
		g_ptr_array_unref(rows);
	}
	capture_clear(&c);
	{
		DeliverySettings s;

		OK(delivery_configure(db, pid, NULL, 7, 1, 0, NULL), "schedule set");
		delivery_settings_get(db, pid, &s, NULL);
		INT_EQ(s.every_days, 7, "every 7 days");
		OK(s.on_close && !s.at_milestones, "on close, not at milestones");
		STR_EQ(s.disclose, "name,email,postcode", "disclose unchanged");
		delivery_settings_clear(&s);
	}
	{
		/* `delivery config SLUG` with nothing to change only reads */
		DeliverySettings s;
		int before = sqlite3_total_changes(db_handle(db));
		Petition *p = delivery_configure_of(db, "clean-air", NULL, -1, -1, -1, &s, NULL);

		OK(p != NULL, "delivery_configure_of finds the petition");
		INT_EQ(sqlite3_total_changes(db_handle(db)) - before, 0, "nothing given: nothing written");
		INT_EQ(s.every_days, 7, "the settings read back");
		delivery_settings_clear(&s);
		petition_free(p);
		p = delivery_configure_of(db, "clean-air", NULL, 3, -1, -1, &s, NULL);
		INT_EQ(s.every_days, 3, "something given: changed and read back");
		delivery_settings_clear(&s);
		petition_free(p);
		delivery_configure(db, pid, NULL, 7, -1, -1, NULL);
		OK(delivery_configure_of(db, "nosuch", NULL, -1, -1, -1, &s, &e) == NULL && e &&
		   e->code == EX_NOUSER, "an unknown petition is EX_NOUSER");
		g_clear_error(&e);
	}
	{
		GPtrArray *a = delivery_list(db, "clean-air", &e);
		const DeliveryRow *r = a && a->len ? a->pdata[0] : NULL;

		INT_EQ(a ? a->len : 0, 18, "eighteen deliveries listed");
		STR_EQ(r ? delivery_status_name(r->status) : NULL, "queued", "status queued");
		INT_EQ(r ? r->replies->len : 1, 0, "no replies");
		if (a)
			g_ptr_array_unref(a);
	}
	db_exec(db, NULL, "UPDATE petitions SET disclose = 'name' WHERE id = ?", "i", pid);
	db_exec(db, NULL, "DELETE FROM petition_targets", NULL);
	capture_init(&c);
	db_begin(db, NULL);
	OK(!delivery_compile(db, cfg, pid, "manual", capture_sink, &c, &q, &e), "no targets: refused");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	db_rollback(db);
	g_clear_error(&e);
	{
		/* the one rule: a delivery needs a target (deliver, compile) */
		Petition *p = petition_get(db, pid, NULL);

		OK(!delivery_need_targets(db, p, &e), "delivery_need_targets: none");
		INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
		OK(e && strstr(e->message, "has no targets"), "saying so");
		g_clear_error(&e);
		OK(delivery_deliver(db, cfg, key, "clean-air", FALSE, &q, &e) == NULL && e &&
		   e->code == EX_DATAERR, "deliver without targets: refused");
		g_clear_error(&e);
		OK(delivery_deliver(db, cfg, key, "nosuch", FALSE, &q, &e) == NULL && e &&
		   e->code == EX_NOUSER, "deliver an unknown petition: EX_NOUSER");
		g_clear_error(&e);
		petition_free(p);
	}
	capture_clear(&c);
}

/* stored_message - the message of outbox row id, parsed */
static GMimeMessage *stored_message(gint64 id)
{
	GBytes *b = outbox_message_get(db, id, NULL);
	GMimeMessage *m = testmsg_parse_bytes(b);

	if (b)
		g_bytes_unref(b);
	return m;
}

/* attachment - the first attachment of m (borrowed) or NULL */
static GMimePart *attachment(GMimeMessage *m)
{
	GMimeObject *body = g_mime_message_get_mime_part(m);

	if (!GMIME_IS_MULTIPART(body))
		return NULL;
	for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(body)); i++) {
		GMimeObject *o = g_mime_multipart_get_part(GMIME_MULTIPART(body), i);

		if (GMIME_IS_PART(o) && g_mime_part_get_filename(GMIME_PART(o)))
			return GMIME_PART(o);
	}
	return NULL;
}

/* part_bytes - the decoded content of a part; caller frees */
static GBytes *part_bytes(GMimePart *p)
{
	GMimeStream *s = g_mime_stream_mem_new();
	GByteArray *a;
	GBytes *b;

	g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(p), s);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	b = g_bytes_new(a->data, a->len);
	g_object_unref(s);
	return b;
}

TEST(mail_side)
{
	gint64 pid = petition_create(db, cfg, "mail", "Mail test", "Text.", 0, 0, NULL);
	char *slugs[] = { "mail", NULL };
	GError *e = NULL;
	gint64 d1 = 0, o1 = 0, n = 0;
	int queued = 0, failed = 0;
	GMimeMessage *m;

	target_add(db, cfg, "MP North", "mp@parl.test", "MP", "North", slugs, NULL);
	target_add(db, cfg, "Minister", "min@gov.test", NULL, NULL, slugs, NULL);
	sign_many(pid, 5001, 40, TRUE);
	OK(delivery_queue(db, cfg, key, pid, "manual", &queued, &e), "delivery_queue");
	if (e)
		printf("# %s\n", e->message);
	g_clear_error(&e);
	INT_EQ(queued, 2, "two messages queued");
	db_int(db, NULL, &d1, 0, "SELECT d.id FROM deliveries d JOIN targets t ON t.id = "
	       "d.target_id WHERE d.petition_id = ? AND t.email = 'mp@parl.test'", "i", pid);
	db_int(db, NULL, &o1, 0, "SELECT id FROM outbox WHERE kind = 'delivery' AND ref_id = ? AND "
	       "recipient = 'mp@parl.test'", "i", d1);
	OK(o1 > 0, "an outbox row of kind delivery with ref_id the delivery");
	db_int(db, NULL, &n, 0, "SELECT outbox_id FROM deliveries WHERE id = ?", "i", d1);
	INT_EQ(n, o1, "the delivery remembers its outbox row");
	m = stored_message(o1);
	OK(m != NULL, "the message is stored with the row");
	if (m) {
		InternetAddressList *rt = g_mime_message_get_reply_to(m);
		const char *addr = rt && internet_address_list_length(rt) ?
			internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(
				internet_address_list_get_address(rt, 0))) : "";
		Route r;
		Token t = { 0 };
		GMimePart *att = attachment(m);

		address_route(cfg, addr, &r);
		STR_EQ(r.keyword, "reply", "Reply-To is reply+TOKEN");
		OK(r.token && token_decode(key, r.token, TOKEN_DELIVERY, &t, NULL) && t.object == d1,
		   "its token names the delivery");
		route_clear(&r);
		OK(strstr(g_mime_message_get_subject(m), "Mail test") != NULL, "subject from the template");
		OK(att && g_str_has_prefix(g_mime_part_get_filename(att), "signatures-mail-"),
		   "the CSV is attached");
		OK(att && g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(att)),
						      "text", "csv"), "as text/csv");
		g_object_unref(m);
	}

	/* a target replies */
	db_begin(db, NULL);
	OK(delivery_record_reply(db, cfg, d1, "mp@parl.test", "Re: Mail test", "I will vote for it.",
				 0, &e), "reply recorded");
	db_commit(db, NULL);
	g_clear_error(&e);
	db_int(db, NULL, &n, 0, "SELECT count(*) FROM delivery_replies WHERE delivery_id = ? AND "
	       "text = 'I will vote for it.'", "i", d1);
	INT_EQ(n, 1, "one reply row");
	db_int(db, NULL, &n, 0, "SELECT max(id) FROM outbox WHERE kind = 'notice' AND ref_id = ? AND "
	       "recipient = 'org@example.net'", "i", d1);
	OK(n > 0, "forwarded to the organizer");
	m = stored_message(n);
	if (m) {
		InternetAddressList *rt = g_mime_message_get_reply_to(m);
		char *s = internet_address_list_to_string(rt, NULL, FALSE);

		OK(strstr(g_mime_message_get_subject(m), "Reply from MP North") != NULL,
		   "the forward says who replied");
		STR_EQ(s, "mp@parl.test", "the organizer's answer goes to the target");
		g_free(s);
		g_object_unref(m);
	}
	{
		GPtrArray *a = delivery_list(db, "mail", NULL);
		const DeliveryRow *d = a && a->len ? a->pdata[0] : NULL;
		const DeliveryReply *r = d && d->replies->len ? d->replies->pdata[0] : NULL;

		INT_EQ(d ? d->replies->len : 0, 1, "delivery ls shows the reply");
		STR_EQ(r ? r->text : NULL, "I will vote for it.", "with its text");
		if (a)
			g_ptr_array_unref(a);
	}
	db_begin(db, NULL);
	OK(!delivery_record_reply(db, cfg, 999999, "x@y.test", "s", "t", 0, &e), "unknown delivery");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	db_rollback(db);
	g_clear_error(&e);

	/* sent, then a permanent bounce arrives: failed, organizers alerted once */
	db_exec(db, NULL, "UPDATE outbox SET status = 'sent', sent_at = 5 WHERE kind = 'delivery'", NULL);
	OK(delivery_sync(db, cfg, &failed, NULL), "sync");
	db_int(db, NULL, &n, 0, "SELECT count(*) FROM deliveries WHERE petition_id = ? AND status = "
	       "'sent'", "i", pid);
	INT_EQ(n, 2, "sent outbox rows make sent deliveries");
	db_exec(db, NULL, "INSERT INTO bounces(outbox_id, address, status, permanent, diagnostic, "
		"created_at) VALUES (?, 'mp@parl.test', '5.1.1', 1, 'user unknown', 1)", "i", o1);
	OK(delivery_sync(db, cfg, &failed, NULL), "sync after the bounce");
	INT_EQ(failed, 1, "one delivery failed");
	{
		sqlite3_stmt *st = db_query(db, NULL, "SELECT status, failure FROM deliveries WHERE "
					    "id = ?", "i", d1);
		db_step(db, st, NULL);
		STR_EQ((const char *)sqlite3_column_text(st, 0), "failed", "marked failed");
		STR_EQ((const char *)sqlite3_column_text(st, 1), "bounced: 5.1.1 user unknown",
		       "with the bounce's reason");
		db_done(st);
	}
	db_int(db, NULL, &n, 0, "SELECT max(id) FROM outbox WHERE kind = 'notice' AND ref_id = ?",
	       "i", d1);
	m = stored_message(n);
	OK(m && strstr(g_mime_message_get_subject(m), "Delivery failed") != NULL,
	   "the organizers get delivery_failed");
	if (m)
		g_object_unref(m);
	OK(delivery_sync(db, cfg, &failed, NULL), "sync again");
	INT_EQ(failed, 0, "no second alert");

	/* a large CSV goes out gzip'd */
	cfg->delivery_gzip_above = 200;
	sign_many(pid, 5101, 40, TRUE);
	OK(delivery_queue(db, cfg, key, pid, "manual", &queued, NULL), "queue past the threshold");
	db_int(db, NULL, &n, 0, "SELECT max(id) FROM outbox WHERE kind = 'delivery' AND "
	       "recipient = 'min@gov.test'", NULL);
	m = stored_message(n);
	if (m) {
		GMimePart *att = attachment(m);
		GBytes *gz = att ? part_bytes(att) : NULL;
		GBytes *plain = gz ? gunzip(gz) : NULL;
		GPtrArray *rows = plain ? parse_csv(plain) : NULL;

		OK(att && g_str_has_suffix(g_mime_part_get_filename(att), ".csv.gz"), "named .csv.gz");
		OK(att && g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(att)),
						      "application", "gzip"), "as application/gzip");
		INT_EQ(rows ? rows->len : 0, 41, "it unpacks to the header and the 40 new signers");
		if (rows)
			g_ptr_array_unref(rows);
		if (plain)
			g_bytes_unref(plain);
		if (gz)
			g_bytes_unref(gz);
		g_object_unref(m);
	}
	cfg->delivery_gzip_above = 5 * 1024 * 1024;
}

TEST(salutation)
{
	static const char *const cases[][3] = {
		{ "Councillor", "Nora North", "Councillor Nora North" },
		{ "Councillor", "Cllr Nora North", "Councillor Nora North" },
		{ "Councillor", "Councillor Nora North", "Councillor Nora North" },
		{ "Councillor", "councillor Nora North", "councillor Nora North" },
		{ "Councillor", "Dr Nora North", "Dr Nora North" },
		{ "Mayor", "Mayor Ada Lane", "Mayor Ada Lane" },
		{ "Senator", "Sen. Bo Kim", "Senator Bo Kim" },
		{ "Representative", "Rep. Cy Ode", "Representative Cy Ode" },
		{ "Councillor", "MP Dee Fox", "MP Dee Fox" },
		{ "Mayor", "Drew Carey", "Mayor Drew Carey" },
		{ NULL, "Nora North", "Nora North" },
		{ "", "Nora North", "Nora North" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = target_salutation(cases[i][0], cases[i][1]);
		char *what = g_strdup_printf("salutation %s + %s", cases[i][0] ? cases[i][0] : "(none)",
					     cases[i][1]);

		STR_EQ(got, cases[i][2], what);
		g_free(got);
		g_free(what);
	}
}

int main(void)
{
	g_mime_init();
	setup();
	RUN(salutation);
	RUN(csv_writer_gzip);
	RUN(settings);
	RUN(targets);
	RUN(compile_by_district);
	RUN(mail_side);
	teardown();
	g_mime_shutdown();
	return harness_done();
}
