/* test_outbox.c - the outbox state machine, claims and owners, backoff, the renderer
 * registry through the sender, newsletter copies built by the render threads, and the
 * maildir transport */
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <signal.h>
#include <sysexits.h>
#include <unistd.h>
#include "produce/newsletter_render.h"
#include "mail/compose.h"
#include "base/config.h"
#include "base/db.h"
#include "harness.h"
#include "model/list.h"
#include "run/maildir.h"
#include "run/renderers.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "model/outbox.h"
#include "base/pm.h"
#include "run/sender.h"
#include "run/smtp.h"
#include "base/token.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;
static PmSecret *key;

static void setup(const char *extra)
{
	const char *dir = harness_tmpdir();
	char *conf = g_build_filename(dir, "peermail.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ndatabase = \"t.db\"\n"
				     "maildir = \"sent\"\nsyslog = false\n%s\n", extra);
	char *dbpath;

	g_file_set_contents(conf, text, -1, NULL);
	cfg = config_load(conf, NULL);
	dbpath = g_build_filename(dir, "t.db", NULL);
	g_unlink(dbpath);
	db = db_open(dbpath, schema_peermail(), TRUE, NULL);
	key = secret_new_from_bytes((const guint8 *)"0123456789abcdef0123", 20);
	for (gint64 i = 1; i <= 5; i++) {
		char *email = g_strdup_printf("m%" G_GINT64_FORMAT "@example.net", i);
		db_exec(db, NULL, "INSERT INTO members(id, email, created_at, updated_at) "
			"VALUES (?, ?, 0, 0)", "it", i, email);
		g_free(email);
	}
	g_free(dbpath);
	g_free(conf);
	g_free(text);
}

static void teardown(void)
{
	db = db_close(db);
	cfg = config_free(cfg);
	key = secret_free(key);
}

static gint64 queue_one(OutboxKind kind, gint64 ref, gint64 member, const char *to,
			const char *msg)
{
	GBytes *b = msg ? g_bytes_new(msg, strlen(msg)) : NULL;
	OutboxItem it = { .kind = kind, .ref_id = ref, .member_id = member, .recipient = to,
			  .message = b };
	gint64 id = outbox_enqueue(db, &it, NULL);

	if (b)
		g_bytes_unref(b);
	return id;
}

static gint64 count(const char *sql, gint64 id)
{
	gint64 n = -1;

	db_int(db, NULL, &n, -1, sql, "i", id);
	return n;
}

static char *status_of(gint64 id)
{
	sqlite3_stmt *st = db_query(db, NULL, "SELECT status FROM outbox WHERE id = ?", "i", id);
	char *s = st && db_step(db, st, NULL) ? db_col_text(st, 0) : NULL;

	db_done(st);
	return s;
}

static void result_free(gpointer p)
{
	outbox_result_free(p);
}

#define STATUS_IS(id, want, what) do { char *s_ = status_of(id); STR_EQ(s_, want, what); \
	g_free(s_); } while (0)

TEST(enqueue_and_return_path)
{
	GError *e = NULL;
	gint64 a, b, c;
	GBytes *m;
	Token t;
	char *rp, *tok;

	setup("");
	OK(db_begin(db, NULL), "begin");
	a = queue_one(OUTBOX_RESPONSE, 0, 0, "a@example.net", "To: a@example.net\r\n\r\nhi\r\n");
	b = queue_one(OUTBOX_NEWSLETTER, 9, 5, "b@example.net", NULL);
	c = queue_one(OUTBOX_NEWSLETTER, 9, 5, "b@example.net", NULL);
	OK(db_commit(db, NULL), "commit");
	OK(a > 0 && b > a, "rows queued");
	INT_EQ(c, b, "a newsletter reaches a member once: the existing row's id");
	STATUS_IS(a, "queued", "new rows are queued");
	m = outbox_message_get(db, a, &e);
	OK(m && g_bytes_get_size(m) == strlen("To: a@example.net\r\n\r\nhi\r\n"), "stored message read back");
	if (m)
		g_bytes_unref(m);
	OK(outbox_message_get(db, b, &e) == NULL && e == NULL, "a row rendered at send time has none");
	{
		OutboxItem bad = { .kind = OUTBOX_NOTICE, .recipient = "" };

		OK(outbox_enqueue(db, &bad, &e) == 0 && e && e->code == EX_DATAERR,
		   "an empty recipient is refused");
		g_clear_error(&e);
	}
	rp = outbox_return_path(cfg, key, a);
	OK(g_str_has_prefix(rp, "bounce+") && g_str_has_suffix(rp, "@act.test"), "bounce+TOKEN@domain");
	tok = g_strndup(rp + 7, strchr(rp, '@') - rp - 7);
	OK(token_decode(key, tok, TOKEN_BOUNCE, &t, NULL), "the token verifies as a bounce token");
	INT_EQ(t.object, a, "and names the outbox row");
	g_free(tok);
	g_free(rp);
	STR_EQ(outbox_kind_name(OUTBOX_DELIVERY), "delivery", "kind names as stored");
	teardown();
}

/* forgetting someone: notices to organizers that quote them keep nothing of them */
TEST(forget_notices)
{
	gint64 about, other, sent;
	GBytes *m;

	setup("");
	OK(db_begin(db, NULL), "begin");
	about = queue_one(OUTBOX_NOTICE, 0, 0, "org@example.net",
			  "To: org@example.net\r\n\r\nZed.Doe@Example.org wrote an update\r\n");
	other = queue_one(OUTBOX_NOTICE, 0, 0, "org@example.net",
			  "To: org@example.net\r\n\r\nsomeone else wrote\r\n");
	sent = queue_one(OUTBOX_NOTICE, 0, 0, "org@example.net",
			 "To: org@example.net\r\n\r\nyesterday's notice\r\n");
	db_exec(db, NULL, "UPDATE outbox SET status = 'sent' WHERE id = ?", "i", sent);
	OK(outbox_forget_member(db, cfg, 0, "zed.doe@example.org", "Zed.Doe@Example.org",
				pm_now(), NULL), "forget Zed");
	OK(db_commit(db, NULL), "commit");
	STATUS_IS(about, "cancelled", "a waiting notice that names them does not go");
	STATUS_IS(other, "queued", "one that does not name them still goes");
	m = outbox_message_get(db, other, NULL);
	OK(m != NULL, "with its message");
	if (m)
		g_bytes_unref(m);
	OK(outbox_message_get(db, about, NULL) == NULL, "the cancelled one keeps no message");
	OK(outbox_message_get(db, sent, NULL) == NULL, "a sent notice keeps no message");
	OK(outbox_forget_member(db, cfg, 0, "x@example.org", "", pm_now(), NULL),
	   "forgetting with no given address");
	STATUS_IS(other, "queued", "does not match every notice");
	teardown();
}

TEST(claim_record_backoff)
{
	char *owner = outbox_owner_self();
	GPtrArray *rows, *results;
	gint64 now = pm_now(), ids[6];
	OutboxCounts c;
	int n = -1;

	setup("queue { retry_initial = 100 max_age = 1000 batch_size = 3 }");
	for (int i = 0; i < 6; i++) {
		char *to = g_strdup_printf("u%d@example.net", i);
		ids[i] = queue_one(OUTBOX_NOTICE, 0, 0, to, "To: x\r\n\r\nbody\r\n");
		g_free(to);
	}
	now = pm_now();   /* after queueing: rows are due from their enqueue time */
	db_exec(db, NULL, "UPDATE outbox SET next_attempt = ? WHERE id = ?", "ii", now + 500, ids[5]);
	rows = outbox_claim(db, owner, 3, now, NULL);
	INT_EQ(rows ? rows->len : 0, 3, "claims at most the limit");
	OK(rows && rows->len && ((OutboxRow *)rows->pdata[0])->message != NULL,
	   "claimed rows carry their message");
	STATUS_IS(ids[0], "sending", "claimed rows are 'sending'");
	{
		gint64 k = 0;
		db_int(db, NULL, &k, 0, "SELECT count(*) FROM outbox WHERE claimed_by = ?", "t", owner);
		INT_EQ(k, 3, "and carry the owner");
	}
	g_ptr_array_unref(outbox_claim(db, owner, 10, now, NULL));
	STATUS_IS(ids[5], "queued", "a row not yet due is not claimed");
	STATUS_IS(ids[4], "sending", "the due ones are");

	/* results: sent, deferred, failed, released, and a deferral past max_age */
	results = g_ptr_array_new_with_free_func(result_free);
	for (int i = 0; i < 3; i++)
		g_ptr_array_add(results, outbox_result_new(rows->pdata[i]));
	outbox_result_set(results->pdata[0], OUTBOX_OUT_SENT, 250, "2.0.0", "Ok queued");
	outbox_result_set(results->pdata[1], OUTBOX_OUT_DEFERRED, 451, "4.3.0", " try later ");
	outbox_result_set(results->pdata[2], OUTBOX_OUT_FAILED, 550, "5.1.1", "no such user");
	((OutboxResult *)results->pdata[2])->recipient_reply = TRUE;
	((OutboxResult *)results->pdata[2])->member_id = 3;
	OK(outbox_record(db, cfg, owner, results, now, NULL), "results recorded in one transaction");
	STATUS_IS(ids[0], "sent", "2xx: sent");
	STATUS_IS(ids[1], "deferred", "4xx: deferred");
	STATUS_IS(ids[2], "failed", "5xx: failed");
	{
		gint64 k = 0;
		db_int(db, NULL, &k, 0, "SELECT count(*) FROM bounces WHERE outbox_id = ? AND member_id = 3 "
		       "AND permanent = 1 AND status = '5.1.1'", "i", ids[2]);
		INT_EQ(k, 1, "a recipient's 5xx is recorded as a permanent bounce");
	}
	{
		gint64 next = 0, att = 0;
		sqlite3_stmt *st = db_query(db, NULL, "SELECT smtp_text, smtp_status FROM outbox WHERE id = ?",
					    "i", ids[1]);
		OK(st && db_step(db, st, NULL), "row read");
		STR_EQ((const char *)sqlite3_column_text(st, 0), "try later", "reply text kept, trimmed");
		STR_EQ((const char *)sqlite3_column_text(st, 1), "4.3.0", "enhanced status kept");
		db_done(st);
		db_int(db, NULL, &next, 0, "SELECT next_attempt FROM outbox WHERE id = ?", "i", ids[1]);
		db_int(db, NULL, &att, 0, "SELECT attempts FROM outbox WHERE id = ?", "i", ids[1]);
		INT_EQ(next, now + 100, "first retry after retry_initial");
		INT_EQ(att, 1, "one attempt counted");
	}
	g_ptr_array_set_size(results, 0);
	/* the other claimed rows: one released, one recorded by a stranger (ignored) */
	g_ptr_array_unref(rows);
	rows = NULL;
	OK(outbox_flush(db, &n, NULL), "flush");
	INT_EQ(n, 1, "flush makes the one deferred row due");
	rows = outbox_claim(db, owner, 10, pm_now(), NULL);
	INT_EQ(rows ? rows->len : 0, 1, "the flushed row is claimed again");
	if (rows && rows->len) {
		OutboxResult *r = outbox_result_new(rows->pdata[0]);

		INT_EQ(((OutboxRow *)rows->pdata[0])->attempts, 1, "the row knows its attempts");
		outbox_result_set(r, OUTBOX_OUT_RELEASED, 0, NULL, "stopping");
		r->not_before = now + 42;
		g_ptr_array_add(results, r);
		r = outbox_result_new(rows->pdata[0]);
		outbox_result_set(r, OUTBOX_OUT_SENT, 250, NULL, "Ok");
		OK(outbox_record(db, cfg, owner, results, now, NULL), "release recorded");
		STATUS_IS(ids[1], "deferred", "a released row returns to its waiting status");
		g_ptr_array_set_size(results, 0);
		g_ptr_array_add(results, r);
		OK(outbox_record(db, cfg, owner, results, now, NULL), "a result for a row no longer claimed");
		OK(r->lost, "is not applied");
		STATUS_IS(ids[1], "deferred", "the row is untouched");
		g_ptr_array_set_size(results, 0);
	}
	g_ptr_array_unref(rows);
	OK(outbox_counts(db, &c, NULL), "counts");
	OK(c.sent == 1 && c.failed == 1 && c.deferred == 1 && c.sending == 2 && c.queued == 1,
	   "one sent, one failed, one deferred, two sending, one queued");
	{
		gint64 due = 0;
		OK(outbox_next_due(db, &due, NULL), "next due");
		INT_EQ(due, now + 42, "the earliest waiting row");
	}
	g_ptr_array_unref(results);

	/* backoff: doubling, capped at the deadline, 0 past max_age */
	INT_EQ(outbox_next_attempt(cfg, 1, now, now), now + 100, "attempt 1: +100");
	INT_EQ(outbox_next_attempt(cfg, 2, now, now + 10), now + 210, "attempt 2: +200");
	INT_EQ(outbox_next_attempt(cfg, 4, now, now + 700), now + 1000, "capped at created + max_age");
	INT_EQ(outbox_next_attempt(cfg, 5, now, now + 1000), 0, "past max_age: give up");
	g_free(owner);
	teardown();
}

TEST(owners_and_reclaim)
{
	char *me = outbox_owner_self();
	char *boot = NULL, *dead;
	int n = -1;
	gint64 a, b;

	setup("");
	OK(outbox_owner_alive(me), "this process is alive");
	g_file_get_contents("/proc/sys/kernel/random/boot_id", &boot, NULL, NULL);
	g_strstrip(boot);
	dead = g_strdup_printf("%s:%ld:1", boot, (long)getpid());
	OK(!outbox_owner_alive(dead), "same pid, other start time: another process");
	OK(!outbox_owner_alive("other-boot:1:1"), "another boot: dead");
	OK(!outbox_owner_alive("garbage"), "garbage: dead");
	a = queue_one(OUTBOX_NOTICE, 0, 0, "a@example.net", "x\r\n");
	b = queue_one(OUTBOX_NOTICE, 0, 0, "b@example.net", "x\r\n");
	db_exec(db, NULL, "UPDATE outbox SET status = 'sending', claimed_by = ?, attempts = 1, "
		"next_attempt = 99999999999 WHERE id = ?", "ti", dead, a);
	db_exec(db, NULL, "UPDATE outbox SET status = 'sending', claimed_by = ? WHERE id = ?", "ti", me, b);
	OK(outbox_reclaim(db, &n, NULL), "reclaim");
	INT_EQ(n, 1, "one row of a dead owner reclaimed");
	STATUS_IS(a, "deferred", "an attempted row goes back to deferred");
	{
		gint64 next = -1;
		db_int(db, NULL, &next, 0, "SELECT next_attempt FROM outbox WHERE id = ?", "i", a);
		OK(next <= pm_now(), "due at once");
	}
	STATUS_IS(b, "sending", "a live owner's claim stays");
	OK(outbox_release_owner(db, me, &n, NULL), "release our own claims");
	INT_EQ(n, 1, "one row released");
	STATUS_IS(b, "queued", "an unattempted row is queued again");
	g_free(dead);
	g_free(boot);
	g_free(me);
	teardown();
}

static GBytes *render_ok(PmDb *d, const PmConfig *c, const PmSecret *k, const OutboxRow *row,
			 GError **error)
{
	char *m;

	if (row->ref_id == 13) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "template news.txt is broken");
		return NULL;
	}
	m = g_strdup_printf("To: <%s>\r\nSubject: rendered %" G_GINT64_FORMAT "\r\n\r\nhello\r\n",
			    row->recipient, row->ref_id);
	return g_bytes_new_take(m, strlen(m));
}

static char *read_new(const char *needle)
{
	char *dir = g_build_filename(harness_tmpdir(), "sent", "new", NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	char *found = NULL;

	while (d && (e = g_dir_read_name(d)) != NULL && found == NULL) {
		char *p = g_build_filename(dir, e, NULL), *text = NULL;

		if (g_file_get_contents(p, &text, NULL, NULL) && strstr(text, needle))
			found = text;
		else
			g_free(text);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_free(dir);
	return found;
}

TEST(sender_maildir_renderers)
{
	static const OutboxRenderer table[] = {
		{ .kind = OUTBOX_NEWSLETTER, .render = render_ok },
		{ .render = NULL }
	};
	volatile sig_atomic_t stop = 0;
	SenderStats st = { 0 };
	Sender *s;
	gint64 stored, rendered, broken, orphan;
	char *text, *rp, *want;
	sqlite3_stmt *q;

	setup("transport = \"maildir\"");
	stored = queue_one(OUTBOX_RESPONSE, 0, 0, "a@example.net", "To: <a@example.net>\r\n\r\nstored\r\n");
	rendered = queue_one(OUTBOX_NEWSLETTER, 7, 1, "b@example.net", NULL);
	broken = queue_one(OUTBOX_NEWSLETTER, 13, 2, "c@example.net", NULL);
	orphan = queue_one(OUTBOX_DELIVERY, 3, 0, "d@example.net", NULL);
	OK(renderer_find(table, OUTBOX_NEWSLETTER) == render_ok, "the table finds its renderer");
	OK(renderer_find(table, OUTBOX_DELIVERY) == NULL, "and nothing for other kinds");
	s = sender_new(db, cfg, key, table, NULL);
	OK(s != NULL, "sender");
	OK(sender_pass(s, &stop, &st, NULL), "one pass");
	INT_EQ(st.sent, 2, "stored and rendered messages written");
	INT_EQ(st.failed, 2, "render failures fail their rows only");
	STATUS_IS(stored, "sent", "stored: sent");
	STATUS_IS(rendered, "sent", "rendered: sent");
	STATUS_IS(broken, "failed", "render error: failed");
	STATUS_IS(orphan, "failed", "no renderer: failed");
	q = db_query(db, NULL, "SELECT smtp_text FROM outbox WHERE id = ?", "i", broken);
	OK(q && db_step(db, q, NULL), "row");
	STR_EQ((const char *)sqlite3_column_text(q, 0), "render: template news.txt is broken",
	       "smtp_text carries the renderer's error");
	db_done(q);
	text = read_new("Subject: rendered 7");
	OK(text != NULL, "the rendered message is in the maildir");
	rp = outbox_return_path(cfg, key, rendered);
	want = g_strdup_printf("Return-Path: <%s>\r\nDelivered-To: b@example.net\r\nTo: <b@example.net>", rp);
	OK(text && g_str_has_prefix(text, want), "Return-Path (VERP) and Delivered-To prepended");
	g_free(want);
	g_free(rp);
	g_free(text);
	st = (SenderStats){ 0 };
	OK(sender_pass(s, &stop, &st, NULL) && st.sent == 0 && st.failed == 0, "nothing due: nothing done");
	sender_free(s);
	teardown();
}

/* render_help - a renderer built on compose (templates/help.txt) */
static GBytes *render_help(PmDb *d, const PmConfig *c, const PmSecret *k, const OutboxRow *row,
			   GError **error)
{
	ComposeOpts o = { .to = row->recipient, .auto_generated = TRUE };

	return compose_message(c, "help", NULL, &o, error);
}

TEST(sender_with_compose)
{
	static const OutboxRenderer table[] = {
		{ .kind = OUTBOX_NOTICE, .render = render_help },
		{ .render = NULL }
	};
	const char *top = g_getenv("PEERMAIL_TOP");
	char *extra = g_strdup_printf("transport = \"maildir\"\ntemplates = \"%s/templates\"",
				      top ? top : g_get_current_dir());
	volatile sig_atomic_t stop = 0;
	SenderStats st = { 0 };
	Sender *s;
	char *text;

	setup(extra);
	queue_one(OUTBOX_NOTICE, 0, 0, "reader@example.net", NULL);
	s = sender_new(db, cfg, key, table, NULL);
	OK(s && sender_pass(s, &stop, &st, NULL), "pass");
	INT_EQ(st.sent, 1, "a composed message is sent");
	text = read_new("reader@example.net");
	OK(text != NULL, "in the maildir");
	if (text) {
		char **lines = g_strsplit(text, "\r\n", -1);
		int to = 0;

		for (int i = 0; lines[i] && *lines[i]; i++)
			if (g_ascii_strncasecmp(lines[i], "To:", 3) == 0) {
				to++;
				OK(strstr(lines[i], "reader@example.net") != NULL, "To: names the recipient");
			}
		INT_EQ(to, 1, "exactly one To: header");
		OK(strstr(text, "Subject: How to use") != NULL, "the template's subject");
		OK(strstr(text, "\r\n\r\n") != NULL, "CRLF line ends");
		g_strfreev(lines);
	}
	g_free(text);
	sender_free(s);
	g_free(extra);
	teardown();
}

TEST(maildir_direct)
{
	char *dir = g_build_filename(harness_tmpdir(), "md", NULL);
	GBytes *lf = g_bytes_new_static("To: x@y\n\nbody\n", 14);
	GError *e = NULL;
	char *newdir, *text = NULL;
	GDir *d;
	const char *name;
	int files = 0;

	OK(maildir_deliver(dir, "bounce+abc@act.test", "x@y", lf, NULL), "first");
	OK(maildir_deliver(dir, "bounce+abc@act.test", "x@y", lf, NULL), "second, same second");
	newdir = g_build_filename(dir, "new", NULL);
	d = g_dir_open(newdir, 0, NULL);
	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(newdir, name, NULL);
		files++;
		if (text == NULL)
			g_file_get_contents(p, &text, NULL, NULL);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	INT_EQ(files, 2, "two files with unique names");
	STR_EQ(text, "Return-Path: <bounce+abc@act.test>\nDelivered-To: x@y\nTo: x@y\n\nbody\n",
	       "an LF message gets LF headers");
	OK(!maildir_deliver("/proc/no/such/dir", "a@b", "x@y", lf, &e) && e, "an unwritable maildir fails");
	g_clear_error(&e);
	g_free(text);
	g_free(newdir);
	g_free(dir);
	g_bytes_unref(lf);
}

TEST(smtp_unreachable)
{
	/* several sessions in one process, every host refusing: all deferred, none lost */
	SmtpPool *p;
	int port = 1, deferred = 0;

	setup("transport = \"smtp\"\n"
	      "smtp \"a\" { host = \"127.0.0.1\" port = 1 starttls = \"optional\" connections = 3 }\n"
	      "smtp \"b\" { host = \"127.0.0.1\" port = 2 starttls = \"no\" connections = 2 }");
	p = smtp_pool_new(cfg, NULL, NULL);
	OK(p != NULL, "pool with two hosts");
	for (int i = 0; i < 8; i++) {
		OutboxRow row = { .id = i + 1, .recipient = "x@example.net" };
		GBytes *m = g_bytes_new_static("To: <x@example.net>\n\nhi\n", 25);

		smtp_pool_submit(p, smtp_job_new(outbox_result_new(&row), "x@example.net",
						 "bounce+x@act.test", m));
		g_bytes_unref(m);
	}
	for (int i = 0; i < 8; i++) {
		SmtpJob *j = smtp_pool_pop(p, 10 * G_USEC_PER_SEC);

		if (j && j->result->outcome == OUTBOX_OUT_DEFERRED &&
		    strstr(j->result->text, "no SMTP host reachable"))
			deferred++;
		smtp_job_free(j);
	}
	INT_EQ(deferred, 8, "every job comes back deferred: no SMTP host reachable");
	(void)port;
	smtp_pool_free(p);
	teardown();
}

/* count_new - messages in the maildir's new/, and how many contain needle (NULL: all) */
static int count_new(const char *needle)
{
	char *dir = g_build_filename(harness_tmpdir(), "sent", "new", NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	int n = 0;

	while (d && (e = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, e, NULL), *text = NULL;

		if (g_file_get_contents(p, &text, NULL, NULL) && (!needle || strstr(text, needle)))
			n++;
		g_free(text);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_free(dir);
	return n;
}

/* Many newsletter copies through the real renderer, built by the render threads (small
 * claim batches, so claims, builds and results overlap): each member gets exactly one copy,
 * personalized for them; skips and render errors fail only their rows. */
TEST(sender_parallel_newsletter)
{
	const char *top = g_getenv("PEERMAIL_TOP");
	char *extra = g_strdup_printf("transport = \"maildir\"\ntemplates = \"%s/templates\"\n"
				      "queue { batch_size = 7 }", top ? top : g_get_current_dir());
	volatile sig_atomic_t stop = 0;
	SenderStats st = { 0 };
	const int n = 300;
	gint64 list, id, bad, added = 0, ids[300];
	int right = 0, once = 0, before;
	Sender *s;

	setup(extra);
	g_free(extra);
	list = list_create(db, cfg, "news", "News", "announce", NULL);
	db_begin(db, NULL);
	for (int i = 0; i < n; i++) {
		char *a = g_strdup_printf("p%03d@example.org", i);
		char *name = g_strdup_printf("Person%03d Example", i);

		ids[i] = member_upsert(db, cfg, a, name, NULL, NULL, FALSE, NULL);
		subscription_set(db, list, ids[i], SUBSCRIPTION_STATUS_ACTIVE, NULL);
		g_free(a);
		g_free(name);
	}
	db_commit(db, NULL);
	id = newsletter_create(db, cfg, "news", "Hi {{member.first_name}}",
			       "Dear {{member.name}} <{{member.email}}>,\n\n*read* this.\n", NULL,
			       NULL, FALSE, NULL, NULL);
	OK(id > 0 && newsletter_schedule(db, id, pm_now(), NULL), "newsletter scheduled");
	OK(newsletter_expand(db, pm_now(), 1000, 0, &added, NULL) && added == n, "expanded");
	/* two members leave after the expansion: their rows are cancelled, not sent */
	subscription_set(db, list, ids[10], SUBSCRIPTION_STATUS_UNSUBSCRIBED, NULL);
	subscription_set(db, list, ids[200], SUBSCRIPTION_STATUS_UNSUBSCRIBED, NULL);
	/* a copy whose newsletter is gone fails with a render error */
	bad = queue_one(OUTBOX_NEWSLETTER, 999999, 1, "m1@example.net", NULL);

	before = count_new(NULL);
	s = sender_new(db, cfg, key, NULL, NULL);
	OK(s && sender_pass(s, &stop, &st, NULL), "one pass");
	INT_EQ(st.sent, n - 2, "every other copy sent");
	INT_EQ(st.failed, 1, "the broken copy failed (skipped ones are cancelled, not failed)");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE status = 'cancelled' AND ref_id = ?", id),
	       2, "the skipped copies are cancelled");
	{
		sqlite3_stmt *q = db_query(db, NULL, "SELECT smtp_text FROM outbox WHERE id = ?",
					   "i", bad);

		OK(q && db_step(db, q, NULL) && g_str_has_prefix((const char *)
		   sqlite3_column_text(q, 0), "render: no newsletter"), "render error in smtp_text");
		db_done(q);
	}
	INT_EQ(count_new(NULL) - before, n - 2, "one message per copy in the maildir");
	for (int i = 0; i < n; i++) {
		char *to = g_strdup_printf("\r\nDelivered-To: p%03d@example.org\r\n", i);
		char *subject = g_strdup_printf("\r\nSubject: Hi Person%03d\r\n", i);
		char *body = g_strdup_printf("Dear Person%03d Example <p%03d@example.org>", i, i);
		int k = count_new(to);

		if (k == (i == 10 || i == 200 ? 0 : 1))
			once++;
		if (k == 1 && count_new(subject) == 1 && count_new(body) == 1) {
			char *text = read_new(to);

			right += text && strstr(text, subject) && strstr(text, body);
			g_free(text);
		}
		g_free(to);
		g_free(subject);
		g_free(body);
	}
	INT_EQ(once, n, "each member got exactly one copy (none for those who left)");
	INT_EQ(right, n - 2, "each copy carries its own member's data");
	sender_free(s);
	newsletter_cache_clear();
	teardown();
}

int main(void)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	g_mime_init();
	RUN(enqueue_and_return_path);
	RUN(forget_notices);
	RUN(claim_record_backoff);
	RUN(owners_and_reclaim);
	RUN(sender_maildir_renderers);
	RUN(sender_with_compose);
	RUN(sender_parallel_newsletter);
	RUN(maildir_direct);
	RUN(smtp_unreachable);
	rc = harness_done();
	g_mime_shutdown();
	return rc;
}
