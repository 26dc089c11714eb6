/* test_domain.c - members, lists, petitions, signatures and stories in SQL (districts:
 * test_district.c) */
#include <sysexits.h>
#include "harness.h"
#include "model/list.h"
#include "model/member.h"
#include "model/petition.h"
#include "model/signature.h"
#include "model/story.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;

static void setup(void)
{
	char *path = g_build_filename(harness_tmpdir(), "d.db", NULL);

	cfg = g_new0(PmConfig, 1);
	cfg->domain = g_strdup("act.test");
	cfg->delimiter = g_strdup("+");
	cfg->from = g_strdup("Team <team@act.test>");
	cfg->gmail_dots = TRUE;
	cfg->lists = g_ptr_array_new();
	db = db_open(path, schema_peermail(), TRUE, NULL);
	g_free(path);
}

TEST(members)
{
	GError *e = NULL;
	gint64 a = member_upsert(db, cfg, "Ann.Lee@Gmail.com", "Ann Lee", "ab1 2cd", NULL, FALSE, NULL);
	gint64 b = member_upsert(db, cfg, "annlee@gmail.com", "Someone Else", NULL, NULL, FALSE, NULL);
	Member *m;

	OK(a > 0, "member created");
	INT_EQ(b, a, "same person after normalization is the same member");
	m = member_get(db, a, NULL);
	STR_EQ(m->name, "Ann Lee", "existing name kept without overwrite");
	STR_EQ(m->postcode, "ab1 2cd", "postcode stored");
	member_free(m);
	OK(member_upsert(db, cfg, "bad address", NULL, NULL, NULL, FALSE, &e) == 0, "bad address refused");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);
	{
		char *f = member_first_name("\"Ann Lee\"");
		STR_EQ(f, "Ann", "first name");
		g_free(f);
	}
}

TEST(lists)
{
	GError *e = NULL;
	gint64 id = list_create(db, "News", "Campaign news", "announce", NULL);
	List *l = list_find(db, cfg, "NEWS", NULL);
	gint64 m = member_upsert(db, cfg, "e@x.test", NULL, NULL, NULL, FALSE, NULL);
	gint64 act, pend, uns, bnc;
	SubscriptionStatus st;

	OK(id > 0 && l && l->id == id, "list created and found case-insensitively");
	OK(list_create(db, "news", NULL, NULL, &e) == 0 && e && e->code == EX_DATAERR,
	   "duplicate list refused");
	g_clear_error(&e);
	OK(list_create(db, "help", NULL, NULL, &e) == 0, "reserved name refused");
	g_clear_error(&e);
	OK(subscription_set(db, id, m, SUBSCRIPTION_STATUS_PENDING, NULL), "pending");
	st = subscription_status(db, id, m, NULL);
	STR_EQ(subscription_status_name(st), "pending", "status read back");
	OK(subscription_set(db, id, m, SUBSCRIPTION_STATUS_ACTIVE, NULL), "activated");
	list_counts(db, id, &act, &pend, &uns, &bnc, NULL);
	INT_EQ(act, 1, "one active");
	INT_EQ(pend, 0, "none pending");
	list_free(l);
}

TEST(signatures)
{
	gint64 pid = petition_create(db, cfg, "park", "Save the park", "Text", 10, 0, NULL);
	gint64 m = member_upsert(db, cfg, "f@x.test", "F", NULL, NULL, FALSE, NULL);
	gint64 m2 = member_upsert(db, cfg, "g@x.test", "G", NULL, NULL, FALSE, NULL);
	SignResult r;
	gint64 s1, s2, conf, pend, p2 = 0;
	GError *e = NULL;
	Petition *p;

	OK(pid > 0, "petition created");
	OK(petition_create(db, cfg, "Bad Slug", "x", NULL, 0, 0, &e) == 0, "bad slug refused");
	g_clear_error(&e);
	s1 = signature_add(db, pid, m, FALSE, SIGNATURE_SOURCE_WRITING, "", NULL, &r, NULL);
	INT_EQ(r, SIGN_NEW_PENDING, "pending signature");
	s2 = signature_add(db, pid, m, FALSE, SIGNATURE_SOURCE_WRITING, NULL, NULL, &r, NULL);
	INT_EQ(s2, s1, "same signature");
	INT_EQ(r, SIGN_ALREADY, "already there");
	OK(!signature_confirm(db, s1, m2, "x", &r, &p2, &e), "another member cannot confirm");
	g_clear_error(&e);
	OK(signature_confirm(db, s1, m, "I care", &r, &p2, NULL), "own confirmation");
	INT_EQ(r, SIGN_CONFIRMED_NOW, "confirmed now");
	INT_EQ(p2, pid, "petition reported");
	signature_add(db, pid, m, TRUE, SIGNATURE_SOURCE_REPLY, "again", NULL, &r, NULL);
	INT_EQ(r, SIGN_ALREADY, "a second confirmed signature counts once");
	signature_add(db, pid, m2, TRUE, SIGNATURE_SOURCE_REPLY, "yes", NULL, &r, NULL);
	INT_EQ(r, SIGN_NEW_CONFIRMED, "confirmed by reply");
	petition_counts(db, pid, &conf, &pend, NULL);
	INT_EQ(conf, 2, "two confirmed");
	INT_EQ(pend, 0, "none pending");
	{
		gboolean first = FALSE;
		signature_note_already(db, s1, &first, NULL);
		OK(first, "first already-note");
		signature_note_already(db, s1, &first, NULL);
		OK(!first, "second already-note suppressed");
	}
	p = petition_find(db, "PARK", NULL);
	OK(p && petition_is_open(p), "found and open");
	petition_free(p);
}

TEST(stories)
{
	gint64 m = member_upsert(db, cfg, "h@x.test", "Hana Smith", NULL, NULL, FALSE, NULL);
	gint64 id = story_add(db, 0, m, "My story", "It matters.", 0, NULL);
	JsonNode *n;
	GError *e = NULL;

	OK(id > 0, "story added");
	n = story_list_json(db, 0, 10, NULL);
	INT_EQ(json_array_get_length(json_node_get_array(n)), 0, "pending story not listed");
	json_node_unref(n);
	OK(story_moderate(db, id, STORY_STATUS_APPROVED, NULL), "approved");
	n = story_list_json(db, 0, 10, NULL);
	INT_EQ(json_array_get_length(json_node_get_array(n)), 1, "approved story listed");
	STR_EQ(json_object_get_string_member(json_array_get_object_element(json_node_get_array(n), 0), "author"),
	       "Hana", "author is the first name only");
	json_node_unref(n);
	OK(!story_moderate(db, 9999, STORY_STATUS_APPROVED, &e) && e && e->code == EX_NOUSER,
	   "unknown story");
	g_clear_error(&e);
}

int main(void)
{
	setup();
	RUN(members);
	RUN(lists);
	RUN(signatures);
	RUN(stories);
	db_close(db);
	g_ptr_array_unref(cfg->lists);
	g_free(cfg->domain);
	g_free(cfg->delimiter);
	g_free(cfg->from);
	g_free(cfg);
	return harness_done();
}
