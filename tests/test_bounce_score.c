/* test_bounce_score.c - bounce scores, disabling, probes and complaints on a temporary database */
#include <string.h>
#include "model/bounce_score.h"
#include "mail/bounce.h"
#include "harness.h"
#include "base/pm.h"
#include "model/schema.h"

#define DAY 86400

static PmDb *db;
static PmConfig cfg;
static gint64 news_id, local_id;

/* add_member - a new active member subscribed (active) to both lists; returns its id */
static gint64 add_member(const char *email)
{
	gint64 id;

	db_exec(db, NULL, "INSERT INTO members (email, created_at, updated_at) VALUES (?, 1, 1)",
		"t", email);
	id = db_last_id(db);
	db_exec(db, NULL, "INSERT INTO subscriptions (list_id, member_id, status, created_at, updated_at) "
		"VALUES (?, ?, 'active', 1, 1)", "ii", news_id, id);
	db_exec(db, NULL, "INSERT INTO subscriptions (list_id, member_id, status, created_at, updated_at) "
		"VALUES (?, ?, 'active', 1, 1)", "ii", local_id, id);
	return id;
}

/* text_of - one text value from a query with one integer parameter; caller frees */
static char *text_of(const char *sql, gint64 id)
{
	sqlite3_stmt *st = db_query(db, NULL, sql, "i", id);
	char *s = NULL;

	if (st && db_step(db, st, NULL))
		s = db_col_text(st, 0);
	db_done(st);
	return s;
}

/* count_of - one integer from a query with one integer parameter (-1 on error) */
static gint64 count_of(const char *sql, gint64 id)
{
	gint64 n = -1;

	db_int(db, NULL, &n, -1, sql, "i", id);
	return n;
}

/* status_is - TRUE if member id has status want */
static gboolean status_is(gint64 id, const char *want)
{
	char *s = text_of("SELECT status FROM members WHERE id = ?", id);
	gboolean eq = s && strcmp(s, want) == 0;

	g_free(s);
	return eq;
}

/* record - bounce_record_at inside its own transaction, as the caller would */
static gboolean record(gint64 member, gint64 outbox, gboolean permanent, gint64 at)
{
	GError *e = NULL;
	gboolean ok = db_begin(db, &e) &&
		bounce_record_at(db, &cfg, member, outbox, "x@example.org",
				 permanent ? "5.1.1" : "4.2.2", permanent, "550 no such user", at, &e) &&
		db_commit(db, &e);

	if (!ok) {
		printf("# %s\n", e ? e->message : "?");
		db_rollback(db);
	}
	g_clear_error(&e);
	return ok;
}

#define SUBS_WITH(id, st) count_of("SELECT count(*) FROM subscriptions WHERE member_id = ? " \
				   "AND status = '" st "'", id)

TEST(permanent_bounces_disable)
{
	gint64 m = add_member("perm@example.org"), now = pm_now();
	double score = -1;
	gboolean ok = TRUE;

	for (int i = 0; i < 4; i++)
		ok = record(m, 0, TRUE, now - 3600 * (4 - i)) && ok;
	OK(ok, "four permanent bounces recorded");
	OK(status_is(m, "active"), "still active at score 4 (threshold 5)");
	OK(bounce_score(db, &cfg, m, now, &score, NULL) && score == 4.0, "score is 4.0");
	OK(record(m, 0, TRUE, now), "fifth permanent bounce");
	OK(status_is(m, "bouncing"), "member is bouncing at score 5");
	INT_EQ(SUBS_WITH(m, "bouncing"), 2, "both subscriptions are bouncing");
	INT_EQ(SUBS_WITH(m, "active"), 0, "no active subscription left");
	INT_EQ(count_of("SELECT count(*) FROM bounces WHERE member_id = ? AND kind = 'bounce'", m), 5,
	       "five rows in bounces");
	{
		char *s = text_of("SELECT printf('%.2f', bounce_score) FROM members WHERE id = ?", m);

		STR_EQ(s, "5.00", "members.bounce_score caches the score");
		g_free(s);
	}
	INT_EQ(count_of("SELECT bounce_at FROM members WHERE id = ?", m), now, "bounce_at is the last bounce");
}

TEST(transient_bounces_do_not)
{
	gint64 m = add_member("soft@example.org"), now = pm_now();
	double score = -1;
	gboolean ok = TRUE;

	for (int i = 0; i < 5; i++)
		ok = record(m, 0, FALSE, now - 60 * (5 - i)) && ok;
	OK(ok, "five transient bounces recorded");
	OK(status_is(m, "active"), "five transient bounces do not disable");
	OK(bounce_score(db, &cfg, m, now, &score, NULL) && score == 1.25, "each weighs 0.25");
	INT_EQ(SUBS_WITH(m, "active"), 2, "subscriptions stay active");
	for (int i = 0; i < 15; i++)
		ok = record(m, 0, FALSE, now) && ok;
	OK(ok && status_is(m, "bouncing"), "twenty transient bounces (score 5) do");
}

/* Several reports about one outbox message (a DSN and its copies, a retry's report) count
 * once toward the score: the heaviest of them. */
TEST(one_message_counts_once)
{
	gint64 m = add_member("twice@example.org"), now = pm_now(), o1, o2;
	double score = -1;
	gboolean ok = TRUE;

	db_exec(db, NULL, "INSERT INTO outbox (kind, recipient, created_at, updated_at) "
		"VALUES ('newsletter', 'twice@example.org', 1, 1)", "");
	o1 = db_last_id(db);
	db_exec(db, NULL, "INSERT INTO outbox (kind, recipient, created_at, updated_at) "
		"VALUES ('newsletter', 'twice@example.org', 1, 1)", "");
	o2 = db_last_id(db);
	for (int i = 0; i < 6; i++)
		ok = record(m, o1, TRUE, now - 60 * (6 - i)) && ok;
	OK(ok, "six reports about one message recorded");
	OK(bounce_score(db, &cfg, m, now, &score, NULL) && score == 1.0,
	   "six reports about one message score 1.0");
	OK(status_is(m, "active"), "and do not disable the member");
	OK(record(m, o2, FALSE, now) && record(m, o2, TRUE, now), "two reports about another one");
	OK(bounce_score(db, &cfg, m, now, &score, NULL) && score == 2.0,
	   "the other message adds its heaviest report once");
}

TEST(old_bounces_fall_out_of_the_window)
{
	gint64 m = add_member("old@example.org"), now = pm_now();
	double score = -1;
	gboolean ok = TRUE;

	for (int i = 0; i < 6; i++)
		ok = record(m, 0, TRUE, now - 30 * DAY + i) && ok;
	OK(ok, "six permanent bounces a month ago");
	OK(status_is(m, "bouncing"), "they disabled the member back then");
	db_exec(db, NULL, "UPDATE members SET status = 'active' WHERE id = ?", "i", m);
	db_exec(db, NULL, "UPDATE subscriptions SET status = 'active' WHERE member_id = ?", "i", m);
	OK(record(m, 0, TRUE, now), "a permanent bounce now");
	OK(bounce_score(db, &cfg, m, now, &score, NULL) && score == 1.0,
	   "only the bounce inside the 7-day window counts");
	OK(status_is(m, "active"), "so the re-activated member stays active");
	OK(record(m, 0, TRUE, now - 8 * DAY), "a bounce eight days back");
	OK(status_is(m, "active"), "does not count either");
	for (int i = 0; i < 4; i++)
		ok = record(m, 0, TRUE, now) && ok;
	OK(ok && status_is(m, "bouncing"), "four more now reach 5 (the one 8 days back is out)");
}

TEST(probe_before_disabling)
{
	gint64 m = add_member("probe@example.org"), now = pm_now(), probe_row;
	gboolean ok = TRUE;

	cfg.bounce_probe = TRUE;
	for (int i = 0; i < 6; i++)
		ok = record(m, 0, TRUE, now - 100 + i) && ok;
	OK(ok, "six permanent bounces with probes on");
	OK(status_is(m, "active"), "not disabled yet: a probe comes first");
	INT_EQ(count_of("SELECT count(*) FROM bounces WHERE member_id = ? AND kind = 'probe-due'", m), 1,
	       "one probe is due (not one per bounce)");

	db_exec(db, NULL, "INSERT INTO outbox (kind, member_id, recipient, created_at, updated_at) "
		"VALUES ('probe', ?, 'probe@example.org', ?, ?)", "iii", m, now, now);
	probe_row = db_last_id(db);
	OK(record(m, probe_row, FALSE, now), "the probe is delayed");
	OK(status_is(m, "active"), "a delay of the probe does not disable");
	OK(record(m, probe_row, TRUE, now), "the probe bounces");
	OK(status_is(m, "bouncing"), "a bounced probe disables at once");
	INT_EQ(SUBS_WITH(m, "bouncing"), 2, "and its subscriptions");
	INT_EQ(count_of("SELECT count(*) FROM bounces WHERE outbox_id = ?", probe_row), 2,
	       "the probe's bounces point at its outbox row");
	cfg.bounce_probe = FALSE;

	{
		gint64 fresh = add_member("fresh@example.org");

		db_exec(db, NULL, "INSERT INTO outbox (kind, member_id, recipient, created_at, updated_at) "
			"VALUES ('probe', ?, 'fresh@example.org', ?, ?)", "iii", fresh, now, now);
		OK(record(fresh, db_last_id(db), TRUE, now) && status_is(fresh, "bouncing"),
		   "a bounced probe disables even below the threshold");
	}
}

TEST(complaint_unsubscribes)
{
	gint64 m = add_member("angry@example.org");
	GError *e = NULL;
	char *addr;

	OK(db_begin(db, &e) && bounce_complaint(db, &cfg, m, 0, "abuse", &e) && db_commit(db, &e),
	   "complaint recorded");
	g_clear_error(&e);
	OK(status_is(m, "unsubscribed"), "member unsubscribed");
	INT_EQ(SUBS_WITH(m, "unsubscribed"), 2, "from every list at once");
	INT_EQ(count_of("SELECT count(*) FROM bounces WHERE member_id = ? AND kind = 'complaint'", m), 1,
	       "a complaint row");
	addr = text_of("SELECT address FROM bounces WHERE member_id = ? AND kind = 'complaint'", m);
	STR_EQ(addr, "angry@example.org", "with the member's address");
	g_free(addr);

	m = add_member("notspam@example.org");
	OK(db_begin(db, NULL) && bounce_complaint(db, &cfg, m, 0, "not-spam", NULL) && db_commit(db, NULL),
	   "not-spam report recorded");
	OK(status_is(m, "active"), "a not-spam report does not unsubscribe");
}

TEST(unknown_and_inactive_members)
{
	gint64 before = count_of("SELECT count(*) FROM bounces WHERE member_id IS NULL AND id > ?", 0);
	gint64 m = add_member("gone@example.org"), now = pm_now();
	gboolean ok = TRUE;

	OK(record(0, 0, TRUE, now), "a bounce for no known member");
	OK(record(999999, 424242, TRUE, now), "a bounce for a member and outbox row that don't exist");
	INT_EQ(count_of("SELECT count(*) FROM bounces WHERE member_id IS NULL AND id > ?", 0) - before, 2,
	       "both recorded without a member");
	db_exec(db, NULL, "UPDATE members SET status = 'unsubscribed' WHERE id = ?", "i", m);
	for (int i = 0; i < 6; i++)
		ok = record(m, 0, TRUE, now) && ok;
	OK(ok && status_is(m, "unsubscribed"), "bounces do not turn an unsubscribed member into bouncing");
}

int main(void)
{
	char *path = g_build_filename(harness_tmpdir(), "score.db", NULL);
	GError *e = NULL;

	db = db_open(path, schema_peermail(), TRUE, &e);
	OK(db != NULL, "temporary database created");
	if (db == NULL) {
		printf("# %s\n", e ? e->message : "?");
		g_clear_error(&e);
		g_free(path);
		return harness_done();
	}
	db_exec(db, NULL, "INSERT INTO lists (name, title, created_at) VALUES ('news', 'News', 1)", NULL);
	news_id = db_last_id(db);
	db_exec(db, NULL, "INSERT INTO lists (name, title, created_at) VALUES ('local', 'Local', 1)", NULL);
	local_id = db_last_id(db);
	cfg.bounce_disable_score = 5;
	cfg.bounce_window_days = 7;
	cfg.bounce_probe = FALSE;

	RUN(permanent_bounces_disable);
	RUN(transient_bounces_do_not);
	RUN(one_message_counts_once);
	RUN(old_bounces_fall_out_of_the_window);
	RUN(probe_before_disabling);
	RUN(complaint_unsubscribes);
	RUN(unknown_and_inactive_members);
	db_close(db);
	g_free(path);
	return harness_done();
}
