/* test_domain.c - members, lists, petitions, signatures and stories in SQL (districts:
 * test_district.c) */
#include <sysexits.h>
#include "harness.h"
#include "fixture.h"
#include "base/db.h"
#include "base/pm.h"
#include "model/list.h"
#include "model/member.h"
#include "model/member_add.h"
#include "model/member_forget.h"
#include "model/petition.h"
#include "model/signature.h"
#include "model/story.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;

static void setup(void)
{
	cfg = fixture_config();
	cfg->gmail_dots = TRUE;
	cfg->start_keyword = g_strdup("start");
	db = fixture_db("d.db");
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
	gint64 id = list_create(db, cfg, "News", "Campaign news", "announce", NULL);
	List *l = list_find(db, cfg, "NEWS", NULL);
	gint64 m = member_upsert(db, cfg, "e@x.test", NULL, NULL, NULL, FALSE, NULL);
	gint64 act, pend, uns, bnc;
	SubscriptionStatus st;

	OK(id > 0 && l && l->id == id, "list created and found case-insensitively");
	OK(list_create(db, cfg, "news", NULL, NULL, &e) == 0 && e && e->code == EX_DATAERR,
	   "duplicate list refused");
	g_clear_error(&e);
	/* every name that mail would not deliver to the list */
	for (const char *const *r = (const char *const[]){ "help", "sign", "update", "decide",
	     "unfollow", "review", "sponsor", "postmaster", "abuse", "owner", "mailer-daemon",
	     "team", "start", "language", NULL }; *r; r++) {
		char *what = g_strdup_printf("'%s' refused as a list name", *r);

		OK(list_create(db, cfg, *r, NULL, NULL, &e) == 0, what);
		g_clear_error(&e);
		g_free(what);
	}
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
	OK(story_moderate(db, id, STORY_STATUS_APPROVED, NULL, NULL), "approved");
	n = story_list_json(db, 0, 10, NULL);
	INT_EQ(json_array_get_length(json_node_get_array(n)), 1, "approved story listed");
	STR_EQ(json_object_get_string_member(json_array_get_object_element(json_node_get_array(n), 0), "author"),
	       "Hana", "author is the first name only");
	json_node_unref(n);
	OK(!story_moderate(db, 9999, STORY_STATUS_APPROVED, NULL, &e) && e && e->code == EX_NOUSER,
	   "unknown story");
	g_clear_error(&e);
}

/* the one "absent" error per type: *_need */
TEST(lookups)
{
	GError *e = NULL;
	Member *m;
	Petition *p;
	List *l;

	OK(member_need(db, cfg, "nobody@x.test", &e) == NULL, "member_need: absent is NULL");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	STR_EQ(e ? e->message : NULL, "unknown member nobody@x.test", "with the one message");
	g_clear_error(&e);
	OK(member_need_id(db, 99999, &e) == NULL && e && e->code == EX_NOUSER, "member_need_id");
	STR_EQ(e ? e->message : NULL, "no member 99999", "its message");
	g_clear_error(&e);
	OK(petition_need(db, "nosuch", &e) == NULL && e && e->code == EX_NOUSER, "petition_need");
	STR_EQ(e ? e->message : NULL, "unknown petition 'nosuch'", "its message");
	g_clear_error(&e);
	OK(petition_need_id(db, 99999, &e) == NULL && e && e->code == EX_NOUSER, "petition_need_id");
	STR_EQ(e ? e->message : NULL, "no petition 99999", "its message");
	g_clear_error(&e);
	OK(list_need(db, cfg, "nosuch", &e) == NULL && e && e->code == EX_NOUSER, "list_need");
	STR_EQ(e ? e->message : NULL, "unknown list 'nosuch'", "its message");
	g_clear_error(&e);
	OK(list_need_view(db, cfg, "nosuch", &e) == NULL && e && e->code == EX_NOUSER,
	   "list_need_view: the same error");
	g_clear_error(&e);
	/* found: no error */
	m = member_need(db, cfg, "Ann.Lee@Gmail.com", &e);
	OK(m && e == NULL, "member_need finds by address");
	member_free(m);
	p = petition_need(db, "PARK", &e);
	OK(p && e == NULL, "petition_need finds by slug");
	petition_free(p);
	l = list_need(db, cfg, "news", &e);
	OK(l && e == NULL, "list_need finds by name");
	list_free(l);
}

/* configured lists: readers see them without creating them; writers create them */
TEST(configured_lists)
{
	PmListConf lc = { "Cfg", "Configured", "announce", NULL };
	GPtrArray *all;
	gint64 rows = -1;
	List *l;
	gboolean found = FALSE;

	g_ptr_array_add(cfg->lists, &lc);
	l = list_need_view(db, cfg, "cfg", NULL);
	OK(l && l->id == 0, "a configured list not created yet has id 0");
	STR_EQ(l ? l->name : NULL, "cfg", "named as list_create would (lower case)");
	STR_EQ(l ? l->title : NULL, "Configured", "with its title");
	STR_EQ(l ? l->mode : NULL, "announce", "and mode");
	list_free(l);
	all = list_all_view(db, cfg, NULL);
	for (guint i = 0; all && i < all->len; i++)
		found |= strcmp(((List *)all->pdata[i])->name, "cfg") == 0;
	OK(found, "list_all_view includes it");
	OK(all && all->len >= 2 &&
	   g_ascii_strcasecmp(((List *)all->pdata[0])->name, ((List *)all->pdata[1])->name) < 0,
	   "by name");
	if (all)
		g_ptr_array_unref(all);
	db_int(db, NULL, &rows, 0, "SELECT count(*) FROM lists WHERE name = 'cfg'", NULL);
	INT_EQ(rows, 0, "readers write nothing");
	l = list_need(db, cfg, "cfg", NULL);
	OK(l && l->id > 0, "list_need (a writer) creates it");
	list_free(l);
	g_ptr_array_remove(cfg->lists, &lc);
}

/* list_create with the configuration: not the From mailbox */
TEST(list_rules)
{
	GError *e = NULL;
	gint64 list = list_create(db, cfg, "org", NULL, NULL, NULL);
	gint64 m = member_upsert(db, cfg, "sub@x.test", NULL, NULL, NULL, FALSE, NULL);
	SubscriptionStatus kept = SUBSCRIPTION_STATUS_NONE;

	OK(list_create(db, cfg, "team", NULL, NULL, &e) == 0, "the From mailbox is not a list");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	OK(e && strstr(e->message, "From mailbox"), "saying why");
	g_clear_error(&e);
	OK(list_create(db, cfg, "bad name", NULL, NULL, &e) == 0, "a bad name with cfg");
	g_clear_error(&e);
	/* the organizer's add: new or pending become active, the rest is left */
	OK(subscription_add_by_organizer(db, list, m, &kept, NULL) &&
	   kept == SUBSCRIPTION_STATUS_NONE, "new: added");
	STR_EQ(subscription_status_name(subscription_status(db, list, m, NULL)), "active",
	       "active");
	subscription_set(db, list, m, SUBSCRIPTION_STATUS_PENDING, NULL);
	OK(subscription_add_by_organizer(db, list, m, &kept, NULL) &&
	   kept == SUBSCRIPTION_STATUS_NONE, "pending: added");
	STR_EQ(subscription_status_name(subscription_status(db, list, m, NULL)), "active",
	       "pending becomes active");
	subscription_set(db, list, m, SUBSCRIPTION_STATUS_UNSUBSCRIBED, NULL);
	OK(subscription_add_by_organizer(db, list, m, &kept, NULL), "unsubscribed: no error");
	STR_EQ(subscription_status_name(kept), "unsubscribed", "reported as kept");
	STR_EQ(subscription_status_name(subscription_status(db, list, m, NULL)), "unsubscribed",
	       "and left unsubscribed");
}

/* petition rules: reopening drops a passed closing date; UTF-8 and trimmed text */
TEST(petition_rules)
{
	gint64 now = pm_now();
	gint64 past = petition_create(db, cfg, "late", "Late", "x", 0, now - 100, NULL);
	gint64 future = petition_create(db, cfg, "soon", "Soon", "x", 0, now + 86400, NULL);
	gint64 id;
	GError *e = NULL;
	Petition *p;

	OK(petition_closes_check(0, NULL), "no closing date may be given");
	OK(petition_closes_check(now + 86400, NULL), "a closing date to come may be given");
	OK(!petition_closes_check(now - 100, &e) && e && e->code == EX_USAGE,
	   "a closing date in the past is refused (EX_USAGE)");
	g_clear_error(&e);
	OK(petition_set_status(db, past, PETITION_STATUS_CLOSED, NULL), "close");
	p = petition_get(db, past, NULL);
	INT_EQ(p ? p->closes_at : 0, now - 100, "closing keeps the date");
	petition_free(p);
	OK(petition_set_status(db, past, PETITION_STATUS_OPEN, NULL), "reopen");
	p = petition_get(db, past, NULL);
	INT_EQ(p ? p->closes_at : -1, 0, "reopening after the closing date drops the date");
	OK(p && petition_is_open(p), "so it is open");
	petition_free(p);
	petition_set_status(db, future, PETITION_STATUS_CLOSED, NULL);
	petition_set_status(db, future, PETITION_STATUS_OPEN, NULL);
	p = petition_get(db, future, NULL);
	INT_EQ(p ? p->closes_at : 0, now + 86400, "a closing date still to come is kept");
	petition_free(p);
	p = petition_set_status_of(db, "LATE", PETITION_STATUS_CLOSED, NULL);
	STR_EQ(p ? p->slug : NULL, "late", "petition_set_status_of finds by slug");
	petition_free(p);
	OK(petition_set_status_of(db, "nosuch", PETITION_STATUS_OPEN, &e) == NULL && e &&
	   e->code == EX_NOUSER, "an unknown slug is EX_NOUSER");
	g_clear_error(&e);
	OK(petition_create(db, cfg, "latin1", "Caf\xe9", "x", 0, 0, &e) == 0, "a title not UTF-8");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "is EX_DATAERR");
	g_clear_error(&e);
	OK(petition_create(db, cfg, "latin2", "Cafe", "caf\xe9", 0, 0, &e) == 0 && e &&
	   e->code == EX_DATAERR, "a text not UTF-8 too");
	g_clear_error(&e);
	id = petition_create(db, cfg, "trim", "Trim", "\n  The text.  \n\n", 0, 0, NULL);
	p = petition_get(db, id, NULL);
	STR_EQ(p ? p->text : NULL, "The text.", "the text is kept without surrounding space");
	petition_free(p);
}

/* petitions started by mail: slugs from titles, the similar-title check (FTS5), the
 * states' transitions */
TEST(petition_starts)
{
	gint64 who = member_upsert(db, cfg, "starter@example.org", NULL, NULL, NULL, FALSE, NULL);
	gint64 a, b, c, open = -1;
	gboolean moved = TRUE;
	GPtrArray *sim;
	Petition *p;

	petition_create(db, cfg, "trees", "Plant more trees in the old town", "x", 0, 0, NULL);
	a = petition_start(db, cfg, who, "Save the Café at Müller's corner!", "x", NULL, 0,
			   NULL);
	b = petition_start(db, cfg, who, "Save the Café at Müller's corner!", "x", "the mayor",
			   10, NULL);
	p = petition_get(db, a, NULL);
	STR_EQ(p ? p->slug : NULL, "save-the-cafe-at-muller-s-corner", "a slug from the title");
	INT_EQ(p ? (int)p->status : -1, (int)PETITION_STATUS_STARTED, "started");
	INT_EQ(p ? p->creator_id : 0, who, "its creator kept");
	petition_free(p);
	p = petition_get(db, b, NULL);
	STR_EQ(p ? p->slug : NULL, "save-the-cafe-at-muller-s-corner-2", "a taken slug gets -2");
	STR_EQ(p ? p->target : NULL, "the mayor", "the target kept");
	petition_free(p);
	OK(petition_open_starts(db, who, 0, &open, NULL) && open == 2, "two open starts");
	OK(petition_open_starts(db, who, pm_now() + 1, &open, NULL) && open == 0,
	   "unconfirmed starts older than since have lapsed");
	c = petition_start(db, cfg, who, "!!!", "x", NULL, 0, NULL);
	p = petition_get(db, c, NULL);
	STR_EQ(p ? p->slug : NULL, "petition", "a title without letters: 'petition'");
	petition_free(p);

	OK(petition_advance(db, a, PETITION_STATUS_STARTED, PETITION_STATUS_SPONSORING, NULL,
			    NULL, &moved, NULL) && moved, "started -> sponsoring");
	OK(petition_advance(db, a, PETITION_STATUS_STARTED, PETITION_STATUS_SPONSORING, NULL,
			    NULL, &moved, NULL) && !moved, "only from the state it is in");
	sim = petition_similar(db, "More trees for the town", 0, 5, NULL);
	INT_EQ(sim ? sim->len : 0, 1, "two shared words (stemmed: trees/town) make a title similar");
	if (sim)
		g_ptr_array_unref(sim);
	sim = petition_similar(db, "Trees for the river", 0, 5, NULL);
	INT_EQ(sim ? sim->len : 9, 0, "one shared word of several does not");
	if (sim)
		g_ptr_array_unref(sim);
	sim = petition_similar(db, "Saving cafes", 0, 5, NULL);
	INT_EQ(sim ? sim->len : 0, 1, "a sponsoring petition is compared (stemming: saving/save)");
	if (sim)
		g_ptr_array_unref(sim);
	sim = petition_similar(db, "Muller corner", a, 5, NULL);
	INT_EQ(sim ? sim->len : 9, 0, "the petition itself and unconfirmed starts are left out");
	if (sim)
		g_ptr_array_unref(sim);
	sim = petition_similar(db, "a b \" OR *", 0, 5, NULL);
	OK(sim && sim->len == 0, "short words and FTS5 syntax are no query");
	if (sim)
		g_ptr_array_unref(sim);
	OK(!petition_set_status(db, a, PETITION_STATUS_OPEN, NULL), "a start does not open by "
	   "petition_set_status");
}

/* migration 9 rebuilds petitions with foreign keys off: nothing that refers to a petition
 * is lost, and its title is indexed */
TEST(petitions_migrated)
{
	char *path = g_build_filename(harness_tmpdir(), "v3.db", NULL);
	DbSchema v3 = { schema_peermail()->migrations, 8 };   /* the version before migration 9 */
	PmDb *old = db_open(path, &v3, TRUE, NULL);
	gint64 n = -1;
	GError *e = NULL;

	OK(old != NULL, "a version 8 database");
	OK(db_exec(old, NULL, "INSERT INTO petitions(slug, title, status, created_at) VALUES "
		   "('old', 'An old petition about trees', 'closed', 1)", NULL) &&
	   db_exec(old, NULL, "INSERT INTO members(email, created_at, updated_at) VALUES "
		   "('m@example.org', 1, 1)", NULL) &&
	   db_exec(old, NULL, "INSERT INTO signatures(petition_id, member_id, status, created_at) "
		   "VALUES (1, 1, 'confirmed', 1)", NULL), "with a petition and a signature");
	db_close(old);
	old = db_open(path, schema_peermail(), TRUE, &e);
	OK(old != NULL, e ? e->message : "migrated to the current version");
	g_clear_error(&e);
	OK(old && db_int(old, NULL, &n, -1, "SELECT count(*) FROM signatures", NULL) && n == 1,
	   "the signature is kept (no cascade)");
	OK(old && db_int(old, NULL, &n, -1, "SELECT count(*) FROM petition_titles WHERE "
			 "petition_titles MATCH 'tree'", NULL) && n == 1, "the title is indexed");
	OK(old && db_int(old, NULL, &n, -1, "SELECT count(*) FROM pragma_foreign_keys", NULL) &&
	   db_int(old, NULL, &n, -1, "PRAGMA foreign_keys", NULL) && n == 1,
	   "foreign keys are on again");
	if (old)
		db_close(old);
	g_free(path);
}

/* member_add: the organizer's add, suppressions and kept subscriptions */
TEST(organizer_add)
{
	char *path = g_build_filename(harness_tmpdir(), "secret", NULL);
	PmSecret *key = secret_load(path, TRUE, NULL);
	char *lists[] = { "news", NULL }, *none[] = { "nosuch", NULL };
	GPtrArray *kept = NULL;
	gboolean created = FALSE;
	GError *e = NULL;
	gint64 id, again;
	List *news = list_find(db, cfg, "news", NULL);

	id = member_add(db, cfg, key, "new@x.test", "New", NULL, NULL, NULL, lists, &created, &kept,
			&e);
	OK(id > 0 && created && e == NULL, "added");
	INT_EQ(kept ? kept->len : 1, 0, "subscribed, nothing kept");
	g_ptr_array_unref(kept);
	again = member_add(db, cfg, key, "NEW@x.test", "Renamed", NULL, NULL, NULL, NULL, &created,
			   NULL, NULL);
	OK(again == id && !created, "the same address updates");
	subscription_set(db, news->id, id, SUBSCRIPTION_STATUS_UNSUBSCRIBED, NULL);
	member_add(db, cfg, key, "new@x.test", NULL, NULL, NULL, NULL, lists, &created, &kept, NULL);
	INT_EQ(kept ? kept->len : 0, 1, "an unsubscribed list is kept");
	STR_EQ(kept && kept->len ?
	       subscription_status_name(((MemberKept *)kept->pdata[0])->status) : NULL,
	       "unsubscribed", "with its status");
	g_ptr_array_unref(kept);
	OK(member_add(db, cfg, key, "new@x.test", NULL, NULL, NULL, NULL, none, &created, NULL, &e) == 0,
	   "an unknown list");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "is EX_NOUSER");
	g_clear_error(&e);
	OK(member_forget_address(db, cfg, key, "new@x.test", NULL) == id, "forgotten");
	OK(member_add(db, cfg, key, "new@x.test", NULL, NULL, NULL, NULL, NULL, &created, NULL, &e) == 0,
	   "someone forgotten is not added again");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);
	OK(member_forget_address(db, cfg, key, "never@x.test", &e) == 0 && e &&
	   e->code == EX_NOUSER, "forgetting an unknown address is EX_NOUSER");
	g_clear_error(&e);
	list_free(news);
	secret_free(key);
	g_free(path);
}

/* story_ls: the organizers' listing and its filters */
TEST(story_listing)
{
	GError *e = NULL;
	GPtrArray *rows;

	OK(story_ls(db, NULL, "maybe", &e) == NULL && e && e->code == EX_USAGE,
	   "an unknown status is EX_USAGE");
	g_clear_error(&e);
	OK(story_ls(db, "nosuch", NULL, &e) == NULL && e && e->code == EX_NOUSER,
	   "an unknown petition is EX_NOUSER");
	g_clear_error(&e);
	rows = story_ls(db, NULL, "approved", NULL);
	INT_EQ(rows ? rows->len : 0, 1, "the approved story");
	STR_EQ(rows && rows->len ? ((StoryRow *)rows->pdata[0])->author : NULL, "Hana Smith",
	       "with its author's name");
	if (rows)
		g_ptr_array_unref(rows);
	{
		StoryStatus st;

		OK(story_status_parse("pending", &st) && !story_status_parse("maybe", &st) &&
		   !story_status_parse(NULL, &st), "story_status_parse");
	}
}

int main(void)
{
	setup();
	RUN(members);
	RUN(lists);
	RUN(signatures);
	RUN(stories);
	RUN(lookups);
	RUN(configured_lists);
	RUN(list_rules);
	RUN(petition_rules);
	RUN(petition_starts);
	RUN(petitions_migrated);
	RUN(organizer_add);
	RUN(story_listing);
	db_close(db);
	g_ptr_array_unref(cfg->lists);
	g_free(cfg->domain);
	g_free(cfg->delimiter);
	g_free(cfg->from);
	g_free(cfg->start_keyword);
	g_free(cfg);
	return harness_done();
}
