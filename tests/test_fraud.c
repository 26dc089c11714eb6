/* test_fraud.c - model/fraud: the one signing-limit rule (its per-domain count an index
 * range), the one trending measure, invalidation and its undoing, clearing suspects; the
 * signatures' state machine (model/signature.h's table), path by path; and migration 4
 * keeping what it rebuilds (signatures, their delivery holes) */
#include <string.h>
#include <sysexits.h>
#include "harness.h"
#include "fixture.h"
#include "base/pm.h"
#include "model/events.h"
#include "model/fraud.h"
#include "model/member.h"
#include "model/petition.h"
#include "model/schema.h"
#include "model/signature.h"

static PmConfig *cfg;
static PmDb *db;
static gint64 p1, p2, p3;

static void setup(void)
{
	cfg = fixture_config();
	cfg->fraud.window = 3600;
	cfg->fraud.per_address = 2;
	cfg->fraud.per_domain = 3;
	cfg->fraud.per_petition = 6;
	cfg->fraud.trend_share = 0.5;
	cfg->fraud.trend_min = 3;
	cfg->fraud.trend_window = 3600;
	db = fixture_db("f.db");
	p1 = petition_create(db, cfg, "one", "One", "", 0, 0, NULL);
	p2 = petition_create(db, cfg, "two", "Two", "", 0, 0, NULL);
	p3 = petition_create(db, cfg, "three", "Three", "", 0, 0, NULL);
}

/* sign - addr signs petition pid from source (pending); the signature's id */
static gint64 sign(gint64 pid, const char *addr, SignatureSource source)
{
	SignResult r;
	gint64 m = member_upsert(db, cfg, addr, NULL, NULL, NULL, FALSE, NULL);

	return signature_add(db, pid, m, FALSE, source, NULL, NULL, &r, NULL);
}

/* limit_of - the limit a new signature by addr on pid is over */
static FraudLimit limit_of(gint64 pid, const char *addr)
{
	FraudLimit l = FRAUD_LIMIT_NONE;

	OK(fraud_sign_limited(db, cfg, pid, addr, &l, NULL), "fraud_sign_limited succeeds");
	return l;
}

TEST(limits)
{
	INT_EQ(limit_of(p1, "a@x.test"), FRAUD_LIMIT_NONE, "a first signature is within the limits");
	sign(p1, "a@x.test", SIGNATURE_SOURCE_WRITING);
	sign(p2, "a@x.test", SIGNATURE_SOURCE_WEB);
	INT_EQ(limit_of(p3, "a@x.test"), FRAUD_LIMIT_ADDRESS,
	       "per address: a third by writing or web, across petitions, is over (limit 2)");
	sign(p3, "z@elsewhere.test", SIGNATURE_SOURCE_REPLY);
	sign(p3, "z2@elsewhere.test", SIGNATURE_SOURCE_REPLY);
	INT_EQ(limit_of(p3, "z3@elsewhere.test"), FRAUD_LIMIT_NONE,
	       "replies to a personal address are not signing by writing");
	sign(p1, "b@x.test", SIGNATURE_SOURCE_WRITING);
	sign(p1, "c@X.test", SIGNATURE_SOURCE_WRITING);
	INT_EQ(limit_of(p1, "d@x.test"), FRAUD_LIMIT_DOMAIN, "per domain on a petition (limit 3)");
	INT_EQ(limit_of(p2, "d@x.test"), FRAUD_LIMIT_NONE, "another petition has its own domain count");
	sign(p1, "e@y.test", SIGNATURE_SOURCE_WRITING);
	sign(p1, "f@z.test", SIGNATURE_SOURCE_WRITING);
	sign(p1, "g@w.test", SIGNATURE_SOURCE_WRITING);
	INT_EQ(limit_of(p1, "h@v.test"), FRAUD_LIMIT_PETITION, "per petition (limit 6)");
	/* the window: signatures older than it do not count */
	db_exec(db, NULL, "UPDATE signatures SET created_at = created_at - 7200", NULL);
	INT_EQ(limit_of(p1, "h@v.test"), FRAUD_LIMIT_NONE, "signatures before the window do not count");
	cfg->fraud.per_petition = 0;
	cfg->fraud.per_domain = 0;
	cfg->fraud.per_address = 0;
	sign(p1, "i@x.test", SIGNATURE_SOURCE_WRITING);
	sign(p1, "j@x.test", SIGNATURE_SOURCE_WRITING);
	sign(p1, "k@x.test", SIGNATURE_SOURCE_WRITING);
	INT_EQ(limit_of(p1, "l@x.test"), FRAUD_LIMIT_NONE, "0: no limit");
	STR_EQ(fraud_limit_name(FRAUD_LIMIT_DOMAIN), "domain", "limit names");
}

TEST(held)
{
	SignResult r;
	gint64 m = member_upsert(db, cfg, "held@h.test", NULL, NULL, NULL, FALSE, NULL), pid = 0;
	gint64 id = signature_add_held(db, p2, m, SIGNATURE_SOURCE_WRITING, NULL, NULL, &r, NULL);
	SignatureStatus st = SIGNATURE_STATUS_PENDING;
	gboolean awaits = FALSE;

	INT_EQ(r, SIGN_NEW_PENDING, "a held signature is new (its signer is asked as usual)");
	signature_lookup(db, id, &pid, &m, &st, NULL);
	INT_EQ(st, SIGNATURE_STATUS_SUSPECT, "recorded suspect");
	signature_awaits_confirmation(db, id, &awaits, NULL);
	OK(awaits, "awaiting its signer");
	OK(signature_confirm(db, id, m, "yes", &r, &pid, NULL), "its signer confirms");
	INT_EQ(r, SIGN_CONFIRMED_NOW, "told as any signer is");
	signature_lookup(db, id, &pid, &m, &st, NULL);
	INT_EQ(st, SIGNATURE_STATUS_SUSPECT, "still suspect until cleared");
	signature_awaits_confirmation(db, id, &awaits, NULL);
	OK(!awaits, "no longer awaiting its signer");
}

TEST(trend)
{
	FraudTrend t;
	gint64 p4 = petition_create(db, cfg, "four", "Four", "", 0, 0, NULL);

	sign(p4, "t1@bulk.test", SIGNATURE_SOURCE_WRITING);
	sign(p4, "t2@bulk.test", SIGNATURE_SOURCE_WRITING);
	OK(fraud_trend(db, cfg, p4, &t, NULL) && !t.trending, "two signatures: below trend_min");
	sign(p4, "t3@bulk.test", SIGNATURE_SOURCE_WRITING);
	sign(p4, "t4@other.test", SIGNATURE_SOURCE_IMPORT);
	OK(fraud_trend(db, cfg, p4, &t, NULL) && t.trending, "3 of 4 from one new domain: trending");
	STR_EQ(t.by, "domain", "by domain");
	STR_EQ(t.key, "bulk.test", "which domain");
	INT_EQ(t.count, 3, "its count");
	INT_EQ(t.total, 4, "of all new ones");
	fraud_trend_clear(&t);
	/* a domain that is usually over half of everything is not unusual at 75% */
	db_exec(db, NULL, "UPDATE signatures SET created_at = created_at - 86400 WHERE "
		"petition_id != ?", "i", p4);
	for (int i = 0; i < 20; i++) {
		char *a = g_strdup_printf("u%d@bulk.test", i);
		gint64 id = sign(p1, a, SIGNATURE_SOURCE_REPLY);

		signature_set_date(db, id, pm_now() - 86400, NULL);
		g_free(a);
	}
	OK(fraud_trend(db, cfg, p4, &t, NULL), "fraud_trend succeeds");
	OK(!t.trending || strcmp(t.by, "domain") != 0,
	   "a domain at 75% that is usually over half of all signatures is not unusual");
	fraud_trend_clear(&t);
}

TEST(invalidate)
{
	gint64 p5 = petition_create(db, cfg, "five", "Five", "", 0, 0, NULL), inv = 0, n = 0;
	SignatureFilter f = { 0 };
	FraudCleared c;
	GError *e = NULL;
	GPtrArray *h;

	sign(p5, "v1@bad.test", SIGNATURE_SOURCE_WRITING);
	sign(p5, "v2@bad.test", SIGNATURE_SOURCE_WEB);
	sign(p5, "v3@good.test", SIGNATURE_SOURCE_WRITING);
	f.domain = "BAD.test";
	OK(fraud_invalidate(db, "five", &f, "cli:t", NULL, TRUE, &inv, &n, NULL), "dry run");
	INT_EQ(n, 2, "previews two");
	INT_EQ(inv, 0, "no invalidation in a dry run");
	f.domain = NULL;
	f.source = "web";
	OK(fraud_invalidate(db, "five", &f, "cli:t", "bots", FALSE, &inv, &n, NULL), "invalidate by source");
	INT_EQ(n, 1, "one web signature");
	OK(inv > 0, "an invalidation id");
	f.source = "mail";
	OK(fraud_invalidate(db, "five", &f, "cli:t", NULL, TRUE, &inv, &n, NULL) && n == 2,
	   "source mail: the two written ones (the invalid one never matches again)");
	OK(fraud_undo(db, "five", 1, "cli:t", &n, NULL) && n == 1, "undo restores one");
	OK(!fraud_undo(db, "five", 1, "cli:t", &n, &e), "a second undo fails");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);
	OK(!fraud_undo(db, "nosuch", 1, "cli:t", &n, &e), "an unknown petition");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	g_clear_error(&e);
	{
		char *only[] = { "v3@good.test", NULL };

		OK(!fraud_clear(db, "five", only, FALSE, "cli:t", &c, &e), "no suspect to clear");
		INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
		g_clear_error(&e);
	}
	h = fraud_history_of(db, "five", NULL);
	OK(h && h->len == 2, "history: the invalidation and the undo (a dry run is none)");
	if (h && h->len == 2) {
		const Event *ev = h->pdata[0];

		STR_EQ(ev->kind, "invalidate", "first the invalidation");
		STR_EQ(ev->actor, "cli:t", "by whom");
		STR_EQ(ev->detail, "invalidation 1: 1 signatures (source=web): bots", "what and why");
	}
	if (h)
		g_ptr_array_unref(h);
}

/* the per-petition count (up to 1,000 rows) reads only the covering partial index */
TEST(petition_index)
{
	GError *e = NULL;
	char *plan = fraud_explain_petition(db, &e);

	OK(plan != NULL, "the plan of the per-petition count");
	OK(plan && strstr(plan, "USING COVERING INDEX signatures_counted (petition_id=? AND "
			  "created_at>?)") != NULL,
	   "per-petition count: a range of the covering index signatures_counted");
	printf("# plan of the per-petition count: %s", plan ? plan : "(none)\n");
	g_free(plan);
	g_clear_error(&e);
}

/* the per-domain count is a range of the domain index, never a scan of the window */
TEST(domain_index)
{
	GError *e = NULL;
	char *plan = fraud_explain_domain(db, &e);
	gint64 p6 = petition_create(db, cfg, "six", "Six", "", 0, 0, NULL), n = 0;

	OK(plan != NULL, "the plan of the per-domain count");
	{
		OK(plan && strstr(plan, "USING INDEX signatures_domain (petition_id=? AND domain=? "
				  "AND created_at>?)") != NULL,
		   "per-domain count: a range of signatures_domain (petition, domain, time)");
		OK(plan && strstr(plan, "SCAN s") == NULL && strstr(plan, "SCAN signatures") == NULL,
		   "no scan of the signatures (only of the LIMIT's subquery)");
		char **lines = g_strsplit(plan ? plan : "", "\n", -1);

		printf("# plan of the per-domain count:\n");
		for (char **l = lines; *l; l++)
			if (**l)
				printf("#   %s\n", *l);
		g_strfreev(lines);
	}
	g_free(plan);
	g_clear_error(&e);
	/* the kept domain follows the member's address, and forgetting clears it */
	sign(p6, "Rare@Rare.Example", SIGNATURE_SOURCE_WRITING);
	db_int(db, NULL, &n, 0, "SELECT count(*) FROM signatures WHERE petition_id = ? AND "
	       "domain = 'rare.example'", "i", p6);
	INT_EQ(n, 1, "a signature keeps its signer's domain, in lower case");
	cfg->fraud.per_domain = 1;
	INT_EQ(limit_of(p6, "other@rare.example"), FRAUD_LIMIT_DOMAIN,
	       "the per-domain limit counts it (limit 1)");
	INT_EQ(limit_of(p6, "other@RARE.example"), FRAUD_LIMIT_DOMAIN, "in any case");
	INT_EQ(limit_of(p6, "other@else.example"), FRAUD_LIMIT_NONE, "not another domain");
	cfg->fraud.per_domain = 0;
	{
		gint64 m = member_upsert(db, cfg, "rare@rare.example", NULL, NULL, NULL, FALSE, NULL);

		OK(signature_forget_member(db, m, NULL), "forgetting the signer");
		db_int(db, NULL, &n, 0, "SELECT count(*) FROM signatures WHERE petition_id = ? AND "
		       "domain IS NOT NULL", "i", p6);
		INT_EQ(n, 0, "clears the kept domain");
	}
}

/* ==== The state machine (the table in model/signature.h), one path per petition ==== */

static int path_n;

/* state_of - a signature's status name, confirmed_at set (1/0) and held_status, as
 * "status c=1 h=pending"; caller frees */
static char *state_of(gint64 id)
{
	sqlite3_stmt *st = db_query(db, NULL, "SELECT status, confirmed_at IS NOT NULL, "
				    "coalesce(held_status, '-') FROM signatures WHERE id = ?", "i", id);
	char *out = NULL;

	if (st && db_step(db, st, NULL))
		out = g_strdup_printf("%s c=%d h=%s", sqlite3_column_text(st, 0),
				      sqlite3_column_int(st, 1), sqlite3_column_text(st, 2));
	db_done(st);
	return out ? out : g_strdup("gone");
}

/* is_state - the signature is in state want ("status c=N h=H") */
#define IS_STATE(id, want, what) do { \
	char *s_ = state_of(id); \
	STR_EQ(s_, want, what); \
	g_free(s_); \
} while (0)

/* a_path - a new petition and member; a new signature of theirs in *sig: suspect when
 * held, else pending (confirmed: signed by a reply with a token) */
static gint64 a_path(gboolean held, gboolean confirmed, gint64 *member, gint64 *sig,
		     char **slug)
{
	char *addr = g_strdup_printf("s%d@path.test", ++path_n);
	SignResult r;
	gint64 pid;

	*slug = g_strdup_printf("path%d", path_n);
	pid = petition_create(db, cfg, *slug, "A path", "", 0, 0, NULL);
	*member = member_upsert(db, cfg, addr, NULL, NULL, NULL, FALSE, NULL);
	*sig = held ? signature_add_held(db, pid, *member, SIGNATURE_SOURCE_WRITING, NULL, NULL,
					 &r, NULL)
		    : signature_add(db, pid, *member, confirmed, SIGNATURE_SOURCE_WRITING, NULL,
				    NULL, &r, NULL);
	g_free(addr);
	return pid;
}

/* invalidate_one - invalidate signature sig of petition slug; the invalidation's id */
static gint64 invalidate_one(const char *slug, gint64 sig)
{
	SignatureFilter f = { 0 };
	gint64 inv = 0, n = 0;

	f.id = sig;
	OK(fraud_invalidate(db, slug, &f, "cli:t", NULL, FALSE, &inv, &n, NULL) && n == 1,
	   "invalidated");
	return inv;
}

/* confirm - the signer confirms sig; the result */
static SignResult confirm(gint64 sig, gint64 member)
{
	SignResult r = SIGN_ALREADY;
	gint64 pid = 0;

	OK(signature_confirm(db, sig, member, "yes", &r, &pid, NULL), "the signer's reply");
	return r;
}

/* undo - undo invalidation inv of petition slug */
static void undo(const char *slug, gint64 inv)
{
	gint64 n = 0;

	OK(fraud_undo(db, slug, inv, "cli:t", &n, NULL) && n == 1, "undone");
}

/* clear - clear every suspect of petition slug; how many were counted */
static gint64 clear(const char *slug)
{
	FraudCleared c = { 0 };
	GError *e = NULL;

	if (!fraud_clear(db, slug, NULL, FALSE, "cli:t", &c, &e))
		g_clear_error(&e);
	return c.counted;
}

/* awaits - signature_awaits_confirmation */
static gboolean awaits(gint64 sig)
{
	gboolean a = FALSE;

	signature_awaits_confirmation(db, sig, &a, NULL);
	return a;
}

TEST(states)
{
	gint64 m, sig, inv, pid;
	gboolean is_signed = TRUE;
	char *slug;
	SignResult r;

	/* pending: confirm, invalidate, undo */
	pid = a_path(FALSE, FALSE, &m, &sig, &slug);
	IS_STATE(sig, "pending c=0 h=-", "pending: new by writing");
	OK(awaits(sig), "pending awaits its signer");
	INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "pending -> confirmed by its signer");
	IS_STATE(sig, "confirmed c=1 h=-", "confirmed, confirmed_at set");
	INT_EQ(confirm(sig, m), SIGN_ALREADY, "confirmed: a second confirmation is 'already'");
	inv = invalidate_one(slug, sig);
	IS_STATE(sig, "invalid c=1 h=confirmed", "confirmed -> invalid, keeping 'confirmed'");
	signature_exists(db, pid, m, &is_signed, NULL);
	OK(!is_signed, "an invalid signature does not count");
	INT_EQ(confirm(sig, m), SIGN_ALREADY, "invalid (was confirmed): confirming again changes nothing");
	undo(slug, inv);
	IS_STATE(sig, "confirmed c=1 h=-", "undo: confirmed again");
	g_free(slug);

	/* pending -> invalid -> the signer confirms -> undo: confirmed */
	a_path(FALSE, FALSE, &m, &sig, &slug);
	inv = invalidate_one(slug, sig);
	IS_STATE(sig, "invalid c=0 h=pending", "pending -> invalid");
	OK(awaits(sig), "an invalid one its signer has not confirmed still awaits them");
	INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "the signer confirms while invalid");
	IS_STATE(sig, "invalid c=1 h=confirmed", "recorded: stays invalid, will be confirmed");
	OK(!awaits(sig), "no longer awaiting");
	INT_EQ(confirm(sig, m), SIGN_ALREADY, "a second confirmation is 'already'");
	undo(slug, inv);
	IS_STATE(sig, "confirmed c=1 h=-", "undo after the confirmation: confirmed");
	g_free(slug);

	/* pending -> invalid -> undo: pending, still awaiting */
	a_path(FALSE, FALSE, &m, &sig, &slug);
	inv = invalidate_one(slug, sig);
	undo(slug, inv);
	IS_STATE(sig, "pending c=0 h=-", "undo without a confirmation: pending");
	OK(awaits(sig), "awaiting its signer");
	g_free(slug);

	/* suspect: confirm, clear */
	pid = a_path(TRUE, FALSE, &m, &sig, &slug);
	IS_STATE(sig, "suspect c=0 h=-", "suspect: new over a limit");
	r = SIGN_NEW_PENDING;
	OK(signature_add(db, pid, m, FALSE, SIGNATURE_SOURCE_WRITING, NULL, NULL, &r, NULL) == sig &&
	   r == SIGN_ALREADY, "written again: 'already'");
	IS_STATE(sig, "suspect c=0 h=-", "still suspect, unconfirmed");
	INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "the signer confirms a suspect");
	IS_STATE(sig, "suspect c=1 h=-", "stays suspect, confirmation recorded");
	INT_EQ(confirm(sig, m), SIGN_ALREADY, "again: 'already'");
	INT_EQ(clear(slug), 1, "cleared: counted");
	IS_STATE(sig, "confirmed c=1 h=-", "suspect (confirmed) -> confirmed");
	g_free(slug);

	/* suspect -> clear before its signer: pending */
	a_path(TRUE, FALSE, &m, &sig, &slug);
	INT_EQ(clear(slug), 0, "cleared: not counted");
	IS_STATE(sig, "pending c=0 h=-", "suspect (unconfirmed) -> pending");
	INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "its signer confirms");
	IS_STATE(sig, "confirmed c=1 h=-", "confirmed");
	g_free(slug);

	/* suspect -> invalid -> the signer confirms -> undo: suspect, confirmation kept */
	pid = a_path(TRUE, FALSE, &m, &sig, &slug);
	inv = invalidate_one(slug, sig);
	IS_STATE(sig, "invalid c=0 h=suspect", "suspect -> invalid");
	OK(awaits(sig), "awaits its signer");
	INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "the signer confirms while invalid");
	IS_STATE(sig, "invalid c=1 h=suspect", "the confirmation is recorded, still held");
	undo(slug, inv);
	IS_STATE(sig, "suspect c=1 h=-", "undo: suspect again (not counted), confirmation kept");
	signature_exists(db, pid, m, &is_signed, NULL);
	OK(!is_signed, "not counted");
	INT_EQ(clear(slug), 1, "cleared: counted, the confirmation was not lost");
	IS_STATE(sig, "confirmed c=1 h=-", "confirmed");
	g_free(slug);

	/* suspect -> invalid -> undo without a confirmation: suspect, awaiting */
	a_path(TRUE, FALSE, &m, &sig, &slug);
	inv = invalidate_one(slug, sig);
	undo(slug, inv);
	IS_STATE(sig, "suspect c=0 h=-", "undo: suspect, unconfirmed");
	OK(awaits(sig), "awaits its signer");
	g_free(slug);

	/* suspect (confirmed) -> invalid -> undo: suspect, confirmed */
	a_path(TRUE, FALSE, &m, &sig, &slug);
	confirm(sig, m);
	inv = invalidate_one(slug, sig);
	IS_STATE(sig, "invalid c=1 h=suspect", "a confirmed suspect -> invalid");
	INT_EQ(confirm(sig, m), SIGN_ALREADY, "confirming again changes nothing");
	undo(slug, inv);
	IS_STATE(sig, "suspect c=1 h=-", "undo: suspect, still confirmed");
	g_free(slug);

	/* clear after invalidate: the invalid one stays invalid; undone, it is suspect */
	a_path(TRUE, FALSE, &m, &sig, &slug);
	confirm(sig, m);
	inv = invalidate_one(slug, sig);
	INT_EQ(clear(slug), 0, "clearing after the invalidation counts nothing");
	IS_STATE(sig, "invalid c=1 h=suspect", "the invalid one stays invalid, held suspect");
	undo(slug, inv);
	IS_STATE(sig, "suspect c=1 h=-", "undone: suspect, to be cleared (never counted on its own)");
	INT_EQ(clear(slug), 1, "cleared now: counted");
	g_free(slug);

	/* rejecting a suspect is an invalidation too, undone to suspect */
	a_path(TRUE, FALSE, &m, &sig, &slug);
	{
		FraudCleared c = { 0 };

		OK(fraud_clear(db, slug, NULL, TRUE, "cli:t", &c, NULL) && c.rejected == 1,
		   "a suspect rejected");
		IS_STATE(sig, "invalid c=0 h=suspect", "rejected: invalid, held suspect");
		INT_EQ(confirm(sig, m), SIGN_CONFIRMED_NOW, "its signer confirms");
		undo(slug, c.inv_id);
		IS_STATE(sig, "suspect c=1 h=-", "the rejection undone: suspect, confirmed");
	}
	g_free(slug);

	/* withdrawing: an unconfirmed invalid one goes, a confirmed one not yet delivered too */
	pid = a_path(TRUE, FALSE, &m, &sig, &slug);
	invalidate_one(slug, sig);
	{
		WithdrawResult w = WITHDRAW_NONE;

		OK(signature_withdraw(db, pid, m, FALSE, &w, NULL) && w == WITHDRAW_PENDING,
		   "an unconfirmed invalid one is withdrawn as pending");
		IS_STATE(sig, "gone", "removed");
	}
	g_free(slug);
}

/* migration 4 from a version-3 database: rows and delivery holes survive the rebuild; the
 * later migrations fill in what they add */
TEST(migration)
{
	char *path = g_build_filename(harness_tmpdir(), "m.db", NULL);
	DbSchema v3 = { schema_peermail()->migrations, 3 };
	PmDb *old = db_open(path, &v3, TRUE, NULL);
	gint64 n = 0;

	OK(old != NULL, "a version-3 database");
	db_exec(old, NULL, "INSERT INTO petitions(id, slug, title, created_at) VALUES (1, 's', 'S', 0)", NULL);
	db_exec(old, NULL, "INSERT INTO members(id, email, created_at, updated_at) VALUES (1, 'a@b.test', 0, 0)", NULL);
	db_exec(old, NULL, "INSERT INTO targets(id, name, email, created_at) VALUES (1, 'T', 't@t.test', 0)", NULL);
	db_exec(old, NULL, "INSERT INTO signatures(id, petition_id, member_id, status, source, comment, created_at) VALUES (7, 1, 1, 'pending', 'writing', 'hi', 5)", NULL);
	db_exec(old, NULL, "INSERT INTO delivery_holes(petition_id, target_id, signature_id) VALUES (1, 1, 7)", NULL);
	db_close(old);
	old = db_open(path, schema_peermail(), TRUE, NULL);
	OK(old != NULL, "migrates to the current version");
	INT_EQ(db_version(old), DB_SCHEMA_VERSION, "at the current version");
	db_int(old, NULL, &n, 0, "SELECT count(*) FROM signatures WHERE id = 7 AND status = 'pending' AND comment = 'hi' AND created_at = 5", NULL);
	INT_EQ(n, 1, "the signature kept, as it was");
	db_int(old, NULL, &n, 0, "SELECT count(*) FROM delivery_holes WHERE signature_id = 7", NULL);
	INT_EQ(n, 1, "its delivery hole kept");
	db_int(old, NULL, &n, 0, "SELECT count(*) FROM signatures WHERE id = 7 AND domain = 'b.test'", NULL);
	INT_EQ(n, 1, "migration 11 gives it its signer's domain");
	OK(db_exec(old, NULL, "UPDATE signatures SET status = 'suspect' WHERE id = 7", NULL), "suspect is allowed");
	OK(!db_exec(old, NULL, "UPDATE signatures SET status = 'maybe' WHERE id = 7", NULL), "other states are not");
	db_int(old, NULL, &n, 0, "PRAGMA foreign_key_check", NULL);
	INT_EQ(n, 0, "no dangling foreign key");
	db_close(old);
	g_free(path);
}

/* the trending measure and the invalidation by domain read the signature's own domain
 * (schema 12), as the signing limit does, not its member's address: shown by a signature
 * whose column says another domain than its member's address */
TEST(domain_column)
{
	FraudTrend t;
	SignatureFilter f = { 0 };
	gint64 p7 = petition_create(db, cfg, "seven", "Seven", "", 0, 0, NULL), n = 0;

	OK(p7 != 0, "a petition");
	for (int i = 0; i < 4; i++) {
		char *a = g_strdup_printf("c%d@column.test", i);

		sign(p7, a, SIGNATURE_SOURCE_WRITING);
		g_free(a);
	}
	db_exec(db, NULL, "UPDATE signatures SET domain = 'moved.test' WHERE petition_id = ?",
		"i", p7);
	OK(fraud_trend(db, cfg, p7, &t, NULL) && t.trending, "trending");
	STR_EQ(t.by, "domain", "by domain");
	STR_EQ(t.key, "moved.test", "the domain is the signatures' column");
	fraud_trend_clear(&t);
	f.domain = "moved.test";
	OK(signature_count_matching(db, p7, &f, &n, NULL), "counting by domain");
	INT_EQ(n, 4, "the invalidation's domain is the signatures' column");
	f.domain = "column.test";
	OK(signature_count_matching(db, p7, &f, &n, NULL), "counting by the members' domain");
	INT_EQ(n, 0, "matches nothing: members are not joined for it");
}

int main(void)
{
	setup();
	RUN(limits);
	RUN(held);
	RUN(trend);
	RUN(invalidate);
	RUN(states);
	RUN(petition_index);
	RUN(domain_index);
	RUN(domain_column);
	RUN(migration);
	db_close(db);
	return harness_done();
}
