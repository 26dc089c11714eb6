/* test_csvio.c - CSV reading (line numbers, quoting, UTF-8), imports, exports, dates;
 * milestone steps and the progress text */
#include <sysexits.h>
#include <unistd.h>
#include "model/csvio.h"
#include "harness.h"
#include "fixture.h"
#include "model/list.h"
#include "model/member.h"
#include "model/member_forget.h"
#include "produce/milestone.h"
#include "model/petition.h"
#include "model/signature.h"
#include "base/progress.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;
static PmSecret *key;

static void setup(void)
{
	cfg = fixture_config();
	db = fixture_db("c.db");
	key = secret_new_from_bytes((const guint8 *)"0123456789abcdef0123456789abcdef", 32);
}

typedef struct {
	GString *log;
	int rows;
} Seen;

static gboolean collect(const CsvioRow *row, gpointer user, GError **error)
{
	Seen *s = user;

	s->rows++;
	g_string_append_printf(s->log, "%" G_GINT64_FORMAT ":%d:%s:%s|", row->line, row->n,
			       row->n > 1 ? row->fields[1] : "", row->bad ? "bad" : "ok");
	return TRUE;
}

static char *write_tmp(const char *name, const char *text, gssize len)
{
	char *path = g_build_filename(harness_tmpdir(), name, NULL);

	g_file_set_contents(path, text, len, NULL);
	return path;
}

TEST(reader)
{
	char *path = write_tmp("r.csv", "a,b\n1,\"two\nlines\"\n\n3,\"x,y\"\r\n4,\"q\"\"q\"\n5,\xff\n6,z", -1);
	Seen s = { g_string_new(NULL), 0 };
	GError *e = NULL;

	OK(csvio_read(path, collect, &s, NULL), "read succeeds");
	INT_EQ(s.rows, 6, "blank line skipped, last line without newline read");
	STR_EQ(s.log->str, "1:2:b:ok|2:2:two\nlines:ok|5:2:x,y:ok|6:2:q\"q:ok|7:2:\xff:bad|8:2:z:ok|",
	       "line numbers count embedded newlines; quotes and commas; bad UTF-8 flagged");
	g_string_free(s.log, TRUE);
	g_free(path);
	OK(!csvio_read("/nonexistent/x.csv", collect, &s, &e), "missing file fails");
	INT_EQ(e ? e->code : 0, EX_NOINPUT, "as EX_NOINPUT");
	g_clear_error(&e);
}

TEST(columns)
{
	char *f[] = { "\xEF\xBB\xBF" "Email", " NAME ", "other", NULL };
	CsvioRow h = { f, 3, 1, NULL };
	static const char *const names[] = { "email", "name", "postcode", NULL };
	int idx[3];

	csvio_columns(&h, names, idx);
	INT_EQ(idx[0], 0, "email found despite BOM and case");
	INT_EQ(idx[1], 1, "name found despite spaces");
	INT_EQ(idx[2], -1, "missing column is -1");
}

TEST(writer)
{
	char *path = g_build_filename(harness_tmpdir(), "w.csv", NULL);
	FILE *f = fopen(path, "w");
	const char *row[] = { "plain", "a,b", "say \"hi\"", NULL, "two\nlines" };
	char *text = NULL;

	csvio_write_row(f, row, 5);
	fclose(f);
	g_file_get_contents(path, &text, NULL, NULL);
	STR_EQ(text, "\"plain\",\"a,b\",\"say \"\"hi\"\"\",\"\",\"two\nlines\"\n", "quoted row");
	g_free(text);
	g_free(path);
}

TEST(csv_cells)
{
	GString *s = g_string_new(NULL);

	csvio_cell(s, "plain");
	STR_EQ(s->str, "\"plain\"", "a cell is quoted");
	g_string_truncate(s, 0);
	csvio_cell(s, "say \"hi\", then\nleave");
	STR_EQ(s->str, "\"say \"\"hi\"\", then\nleave\"", "quotes doubled, comma and newline kept inside");
	for (const char *const *f = (const char *const[]){ "=1+2", "+44 20", "-x", "@SUM(A1)", "\tx",
							    NULL }; *f; f++) {
		char *want = g_strdup_printf("\"'%s\"", *f);

		g_string_truncate(s, 0);
		csvio_cell(s, *f);
		STR_EQ(s->str, want, "a formula-looking cell is defused with a leading '");
		g_free(want);
	}
	g_string_truncate(s, 0);
	csvio_cell(s, NULL);
	STR_EQ(s->str, "\"\"", "NULL is an empty cell");
	g_string_free(s, TRUE);
}

TEST(export_defused)
{
	char *path = g_build_filename(harness_tmpdir(), "x.csv", NULL);
	FILE *f = fopen(path, "w");
	const char *row[] = { "a@example.org", "=HYPERLINK(\"http://x\")", "-2+3" };
	char *text = NULL;

	csvio_write_row(f, row, 3);
	fclose(f);
	g_file_get_contents(path, &text, NULL, NULL);
	STR_EQ(text, "\"a@example.org\",\"'=HYPERLINK(\"\"http://x\"\")\",\"'-2+3\"\n",
	       "exported rows defuse formulas too");
	g_free(text);
	g_free(path);
}

TEST(dates)
{
	GDateTime *d = g_date_time_new_local(2026, 3, 1, 0, 0, 0);
	GDateTime *d2 = g_date_time_new_local(2026, 3, 1, 9, 30, 0);

	INT_EQ(csvio_parse_time("2026-03-01"), g_date_time_to_unix(d), "YYYY-MM-DD is local midnight");
	INT_EQ(csvio_parse_time("2026-03-01 09:30"), g_date_time_to_unix(d2), "local time with a space");
	INT_EQ(csvio_parse_time("2026-03-01T09:30:00"), g_date_time_to_unix(d2), "ISO without zone is local");
	INT_EQ(csvio_parse_time("2026-03-01T09:30:00Z"), 1772357400, "ISO with Z is UTC");
	INT_EQ(csvio_parse_time("2026-03-01T10:30:00+01:00"), 1772357400, "ISO with offset");
	INT_EQ(csvio_parse_time("tomorrow"), 0, "nonsense is 0");
	INT_EQ(csvio_parse_time("2026-13-01"), 0, "bad month is 0");
	g_date_time_unref(d);
	g_date_time_unref(d2);
}

TEST(import_members)
{
	char *path = harness_data("csv/members.csv");
	gint64 list = list_create(db, cfg, "news", "News", "announce", NULL);
	CsvioStats st = { 0 };
	GError *e = NULL;
	Member *m;
	SubscriptionStatus s;

	OK(csvio_import_members(db, cfg, key, path, list, &st, &e), "import succeeds");
	INT_EQ(st.imported, 5, "five imported");
	INT_EQ(st.updated, 0, "none updated");
	INT_EQ(st.skipped, 2, "two bad rows skipped");
	OK(st.problems && st.problems->len == 2, "two problems described");
	if (st.problems && st.problems->len == 2) {
		STR_EQ(st.problems->pdata[0], "line 6: not a valid address: 'not-an-address'",
		       "bad address named with its line");
		STR_EQ(st.problems->pdata[1], "line 8: invalid UTF-8", "bad UTF-8 named with its line");
	}
	csvio_stats_clear(&st);
	m = member_find(db, cfg, "carl@example.org", NULL);
	OK(m && m->name && g_str_has_prefix(m->name, "Carl") && strstr(m->name, "Second line"),
	   "quoted field with an embedded newline kept");
	member_free(m);
	m = member_find(db, cfg, "bob@example.org", NULL);
	STR_EQ(m ? m->name : NULL, "Bob \"The Builder\"", "doubled quotes read");
	s = m ? subscription_status(db, list, m->id, NULL) : SUBSCRIPTION_STATUS_NONE;
	STR_EQ(subscription_status_name(s), "active", "imported members subscribed");
	member_free(m);
	m = member_find(db, cfg, "dora@example.org", NULL);
	STR_EQ(m ? m->name : NULL, "Dora \xc3\x9cmlaut", "UTF-8 kept");
	member_free(m);

	/* re-import: updates, never duplicates */
	db_exec(db, NULL, "UPDATE members SET name = 'Changed' WHERE email = 'fred@example.org'", NULL);
	OK(csvio_import_members(db, cfg, key, path, list, &st, NULL), "re-import succeeds");
	INT_EQ(st.imported, 0, "nothing new on re-import");
	INT_EQ(st.updated, 5, "five updated");
	csvio_stats_clear(&st);
	m = member_find(db, cfg, "fred@example.org", NULL);
	STR_EQ(m ? m->name : NULL, "Fred", "re-import overwrites the name");
	member_free(m);
	{
		gint64 n = 0;
		db_int(db, NULL, &n, 0, "SELECT count(*) FROM members", NULL);
		INT_EQ(n, 5, "no duplicate members");
	}
	g_free(path);
	path = harness_data("csv/noemail.csv");
	OK(!csvio_import_members(db, cfg, key, path, 0, &st, &e), "a header without email fails");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);
	csvio_stats_clear(&st);
	g_free(path);
}

TEST(import_signatures)
{
	char *path = harness_data("csv/signatures.csv");
	gint64 pid = petition_create(db, cfg, "park", "Park", "", 10, 0, NULL);
	CsvioStats st = { 0 };
	gint64 conf, pend, at = 0;

	OK(csvio_import_signatures(db, cfg, key, pid, path, &st, NULL), "signature import succeeds");
	INT_EQ(st.imported, 3, "three signatures");
	INT_EQ(st.skipped, 1, "the bad date skipped");
	csvio_stats_clear(&st);
	OK(csvio_import_signatures(db, cfg, key, pid, path, &st, NULL), "again");
	INT_EQ(st.imported, 0, "no new signature on re-import");
	INT_EQ(st.updated, 3, "three already there");
	csvio_stats_clear(&st);
	petition_counts(db, pid, &conf, &pend, NULL);
	INT_EQ(conf, 3, "three confirmed");
	db_int(db, NULL, &at, 0, "SELECT confirmed_at FROM signatures s JOIN members m ON "
	       "m.id = s.member_id WHERE m.email = 'new@example.org'", NULL);
	INT_EQ(at, 1795255200, "signed_at kept");
	g_free(path);
}

TEST(forgotten_not_reimported)
{
	char *path = write_tmp("f.csv", "email,name\nforget.me@example.org,Forget Me\n"
			       "keep@example.org,Keep\n", -1);
	CsvioStats st = { 0 };
	Member *m;
	gboolean sup = TRUE;
	gint64 n = -1;
	char *clear = NULL;

	OK(csvio_import_members(db, cfg, key, path, 0, &st, NULL), "import");
	csvio_stats_clear(&st);
	m = member_find(db, cfg, "forget.me@example.org", NULL);
	OK(m && db_begin(db, NULL) && member_forget(db, cfg, key, m->id, NULL) && db_commit(db, NULL),
	   "member forgotten");
	member_free(m);
	db_int(db, NULL, &n, 0, "SELECT count(*) FROM suppressions", NULL);
	INT_EQ(n, 1, "one suppression");
	db_text(db, NULL, &clear, "SELECT digest FROM suppressions WHERE digest LIKE '%example%'",
		NULL);
	OK(clear == NULL, "the address is not stored in clear");
	OK(member_suppressed(db, cfg, key, "Forget.Me@EXAMPLE.org", &sup, NULL) && sup,
	   "suppressed, whatever the case of the domain");
	OK(member_suppressed(db, cfg, key, "keep@example.org", &sup, NULL) && !sup,
	   "others are not");
	OK(csvio_import_members(db, cfg, key, path, 0, &st, NULL), "re-import");
	INT_EQ(st.updated, 1, "the other row updates");
	INT_EQ(st.imported, 0, "the forgotten one is not re-created");
	INT_EQ(st.skipped, 1, "it is skipped");
	OK(st.problems && strstr(st.problems->pdata[0], "asked to be forgotten"), "and says why");
	csvio_stats_clear(&st);
	OK(member_find(db, cfg, "forget.me@example.org", NULL) == NULL, "no member row");
	/* they come back on their own (sign or subscribe by mail): organizers may update them */
	OK(member_upsert(db, cfg, "forget.me@example.org", "Back", NULL, NULL, FALSE, NULL) > 0,
	   "back by their own mail");
	OK(member_suppressed(db, cfg, key, "forget.me@example.org", &sup, NULL) && !sup,
	   "no longer suppressed while a member");
	OK(csvio_import_members(db, cfg, key, path, 0, &st, NULL), "import again");
	INT_EQ(st.updated, 2, "both rows update");
	csvio_stats_clear(&st);
	g_free(path);
}

TEST(milestones)
{
	INT_EQ(milestone_step(10, 1), 3, "25% of 10 rounds up");
	INT_EQ(milestone_step(10, 4), 10, "100%");
	INT_EQ(milestone_step(10, 5), 20, "then multiples");
	INT_EQ(milestone_crossed(10, 0, 2), 0, "below the first step");
	INT_EQ(milestone_crossed(10, 0, 3), 3, "first step");
	INT_EQ(milestone_crossed(10, 3, 4), 0, "no new step");
	INT_EQ(milestone_crossed(10, 3, 9), 8, "highest step crossed");
	INT_EQ(milestone_crossed(10, 8, 35), 30, "multiples of the goal");
	INT_EQ(milestone_crossed(10, 30, 35), 0, "announced already");
	INT_EQ(milestone_crossed(0, 0, 100), 0, "no goal, no milestones");
	INT_EQ(milestone_next(10, 10), 20, "next after the goal");
	INT_EQ(milestone_next(4, 0), 1, "next for a small goal");
	{
		gint64 m = 0, c = 0;
		gint64 pid = petition_create(db, cfg, "mile", "M", "", 4, 0, NULL);

		for (int i = 0; i < 2; i++) {
			char *a = g_strdup_printf("m%d@example.org", i);
			gint64 mid = member_upsert(db, cfg, a, NULL, NULL, NULL, FALSE, NULL);
			SignResult r;
			signature_add(db, pid, mid, TRUE, SIGNATURE_SOURCE_REPLY, NULL, NULL, &r,
				      NULL);
			g_free(a);
		}
		OK(milestone_claim(db, pid, &m, &c, NULL), "claim");
		INT_EQ(m, 2, "50% claimed");
		OK(milestone_claim(db, pid, &m, &c, NULL), "claim again");
		INT_EQ(m, 0, "announced once");
	}
}

TEST(progress)
{
	char *s = progress_format(50, 100, 10.0, 10);

	STR_EQ(s, "[#####.....]  50/100   50%  5/s  0:10 left", "bar, rate and time left");
	g_free(s);
	s = progress_format(100, 100, 125.0, 0);
	STR_EQ(s, "100/100  100%  1/s  done in 2:05", "finished, no bar");
	g_free(s);
}

int main(void)
{
	setup();
	RUN(reader);
	RUN(columns);
	RUN(writer);
	RUN(csv_cells);
	RUN(export_defused);
	RUN(dates);
	RUN(import_members);
	RUN(import_signatures);
	RUN(forgotten_not_reimported);
	RUN(milestones);
	RUN(progress);
	db_close(db);
	secret_free(key);
	g_ptr_array_unref(cfg->lists);
	g_free(cfg->domain);
	g_free(cfg->delimiter);
	g_free(cfg->from);
	g_free(cfg);
	return harness_done();
}
