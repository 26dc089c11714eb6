/* test_district.c - the postcode -> district rule (district.c, its one home) and what
 * follows from it: members' districts on upsert, the district import and its rederive */
#include <sysexits.h>
#include "harness.h"
#include "fixture.h"
#include "model/district.h"
#include "model/district_import.h"
#include "model/member.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;

static void setup(void)
{
	cfg = fixture_config();
	db = fixture_db("d.db");
}

/* lookup - district_for_postcode of pc, "(none)" for NULL; a static buffer */
static const char *lookup(const char *pc)
{
	static char buf[64];
	GError *e = NULL;
	char *d = district_for_postcode(db, pc, &e);

	if (e)
		g_snprintf(buf, sizeof buf, "error: %s", e->message);
	else
		g_snprintf(buf, sizeof buf, "%s", d ? d : "(none)");
	g_clear_error(&e);
	g_free(d);
	return buf;
}

TEST(normal_form)
{
	char *n = postcode_normalize(" ab1\t2cd ");

	STR_EQ(n, "AB12CD", "upper case, spaces and tabs gone");
	g_free(n);
	n = postcode_normalize("n1\r\n9zz");
	STR_EQ(n, "N19ZZ", "line ends and control characters gone");
	g_free(n);
	OK(postcode_normalize(" \t ") == NULL, "nothing left: NULL");
	OK(postcode_normalize(NULL) == NULL, "NULL stays NULL");
}

TEST(longest_prefix)
{
	OK(district_set(db, "AB1", "North", NULL) && district_set(db, "AB12", "North-East", NULL) &&
	   district_set(db, "AB12CD", "Street", NULL) && district_set(db, "AA", "Before", NULL) &&
	   district_set(db, "B", "Bee", NULL), "prefixes stored");
	STR_EQ(lookup("AB1 9ZZ"), "North", "a prefix matches");
	STR_EQ(lookup("ab12 3xy"), "North-East", "the longest matching prefix wins");
	STR_EQ(lookup("AB12 CD"), "Street", "a whole postcode is a prefix of itself");
	STR_EQ(lookup("ab1"), "North", "the postcode equal to a prefix");
	STR_EQ(lookup("AB"), "(none)", "a postcode shorter than every prefix matches none");
	STR_EQ(lookup("AC1 1AA"), "(none)", "a prefix sorting before is no prefix");
	STR_EQ(lookup("ZZ9"), "(none)", "no prefix: no district");
	STR_EQ(lookup("b2 1aa"), "Bee", "a one-letter prefix");
	STR_EQ(lookup(""), "(none)", "an empty postcode has none");
	OK(district_for_postcode(db, NULL, NULL) == NULL, "no postcode, no district");
	OK(district_set(db, "AB1", "Northern", NULL), "a prefix set again");
	STR_EQ(lookup("AB1 9ZZ"), "Northern", "replaces its district");
	district_set(db, "AB1", "North", NULL);
}

TEST(members)
{
	gint64 a = member_upsert(db, cfg, "c@x.test", "C", "AB1 9ZZ", NULL, FALSE, NULL);
	gint64 changed = -1;
	Member *m = member_get(db, a, NULL);

	/* moved from test_domain.c */
	STR_EQ(m->district, "North", "district from postcode prefix");
	member_free(m);
	a = member_upsert(db, cfg, "d@x.test", "D", "ab12 3xy", NULL, FALSE, NULL);
	m = member_get(db, a, NULL);
	STR_EQ(m->district, "North-East", "longest prefix wins");
	member_free(m);
	a = member_upsert(db, cfg, "e@x.test", "E", "ab1 2cd", "Mine", FALSE, NULL);
	m = member_get(db, a, NULL);
	STR_EQ(m->district, "Mine", "a given district is kept");
	member_free(m);

	/* members' districts derived again by the same rule */
	district_set(db, "AB19", "North-North", NULL);
	OK(member_districts_rederive(db, FALSE, &changed, NULL), "rederive the missing ones");
	INT_EQ(changed, 0, "nobody lacks a district");
	OK(member_districts_rederive(db, TRUE, &changed, NULL), "rederive all");
	INT_EQ(changed, 2, "the longer prefix and the given district change");
	m = member_find(db, cfg, "c@x.test", NULL);
	STR_EQ(m->district, "North-North", "the new longest prefix wins on rederive");
	member_free(m);
	m = member_find(db, cfg, "e@x.test", NULL);
	STR_EQ(m->district, "Street", "rederive replaces a given district");
	member_free(m);
	db_exec(db, NULL, "DELETE FROM members", NULL);
	db_exec(db, NULL, "DELETE FROM districts", NULL);
}

TEST(import)
{
	GError *e = NULL;
	char *path = harness_data("deliveries/districts.csv");
	char *bad = harness_data("deliveries/districts-bad.csv");
	gint64 rows = 0, mem = 0;
	Member *m;

	/* moved from test_delivery.c */
	/* members before the table exists, then import */
	member_upsert(db, cfg, "pre@x.test", "Pre", "n1 2ab", NULL, FALSE, NULL);
	member_upsert(db, cfg, "own@x.test", "Own", "s1 2ab", "Elsewhere", FALSE, NULL);
	OK(district_import(db, path, FALSE, &rows, &mem, &e), "district import");
	if (e)
		printf("# %s\n", e->message);
	g_clear_error(&e);
	INT_EQ(rows, 6, "six prefixes");
	INT_EQ(mem, 1, "one member without a district got one");
	m = member_find(db, cfg, "pre@x.test", NULL);
	STR_EQ(m->district, "North", "derived from the postcode");
	member_free(m);
	m = member_find(db, cfg, "own@x.test", NULL);
	STR_EQ(m->district, "Elsewhere", "a set district is kept without --rederive");
	member_free(m);
	member_upsert(db, cfg, "long@x.test", "Long", "N1 9ZZ", NULL, FALSE, NULL);
	m = member_find(db, cfg, "long@x.test", NULL);
	STR_EQ(m->district, "Central", "longest prefix wins for new members");
	member_free(m);
	OK(district_import(db, path, TRUE, &rows, &mem, NULL), "import again with rederive");
	INT_EQ(mem, 1, "rederive changes only what differs");
	m = member_find(db, cfg, "own@x.test", NULL);
	STR_EQ(m->district, "South", "rederive recomputes from the postcode");
	member_free(m);
	OK(!district_import(db, bad, FALSE, &rows, &mem, &e), "a row without a prefix is refused");
	OK(e && strstr(e->message, "record 3"), "the error names the record");
	g_clear_error(&e);
	OK(!district_import(db, "/nonexistent.csv", FALSE, &rows, &mem, &e), "missing file");
	INT_EQ(e ? e->code : 0, EX_NOINPUT, "as EX_NOINPUT");
	g_clear_error(&e);
	g_free(path);
	g_free(bad);
}

int main(void)
{
	setup();
	RUN(normal_form);
	RUN(longest_prefix);
	RUN(members);
	RUN(import);
	db_close(db);
	return harness_done();
}
