/* test_newsletter.c - newsletter states, batched expansion exactly once, audience, counts */
#include <gmime/gmime.h>
#include <sysexits.h>
#include "produce/newsletter_render.h"
#include "mail/compose.h"
#include "harness.h"
#include "fixture.h"
#include "model/list.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "model/petition.h"
#include "model/signature.h"
#include "base/pm.h"
#include "model/schema.h"
#include "cli/print.h"

static PmConfig *cfg;
static PmDb *db, *db2;
static PmSecret *key;
static gint64 list_id, pet_id;

static void setup(void)
{
	char *path = g_build_filename(harness_tmpdir(), "n.db", NULL);

	cfg = fixture_config();
	cfg->templates = harness_data("../../templates");
	cfg->organizers = g_new0(char *, 1);
	key = secret_new_from_bytes((const guint8 *)"0123456789abcdef0123456789abcdef", 32);
	db = db_open(path, schema_peermail(), TRUE, NULL);
	db2 = db_open(path, schema_peermail(), FALSE, NULL);   /* a second process, as far as SQLite knows */
	g_free(path);
	list_id = list_create(db, cfg, "news", "News", "announce", NULL);
	pet_id = petition_create(db, cfg, "park", "Park", "", 100, 0, NULL);
	db_begin(db, NULL);
	for (int i = 0; i < 250; i++) {
		char *a = g_strdup_printf("m%03d@example.org", i);
		gint64 m = member_upsert(db, cfg, a, NULL, NULL, NULL, FALSE, NULL);

		subscription_set(db, list_id, m, i % 50 == 49 ? SUBSCRIPTION_STATUS_PENDING :
				 SUBSCRIPTION_STATUS_ACTIVE, NULL);
		g_free(a);
	}
	db_commit(db, NULL);
}

static gint64 count(const char *sql, gint64 id)
{
	gint64 n = -1;

	db_int(db, NULL, &n, -1, sql, "i", id);
	return n;
}

TEST(create)
{
	GError *e = NULL;

	OK(newsletter_create(db, cfg, "nope", "S", "B", NULL, NULL, FALSE, NULL, &e) == 0,
	   "unknown list refused");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	g_clear_error(&e);
	OK(newsletter_create(db, cfg, "news", "S", "B", "nope", NULL, FALSE, NULL, &e) == 0,
	   "unknown petition refused");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "as EX_NOUSER");
	g_clear_error(&e);
	OK(newsletter_create(db, cfg, "news", "S", "B", NULL, NULL, TRUE, NULL, &e) == 0,
	   "--skip-signed without a petition refused");
	g_clear_error(&e);
	OK(newsletter_create(db, cfg, "news", "S", "B", NULL, "../etc/passwd", FALSE, NULL, &e) == 0,
	   "template path refused");
	g_clear_error(&e);
}

TEST(schedule_and_expand)
{
	gint64 id = newsletter_create(db, cfg, "news", "Hello", "Hi {{member.name}}", NULL, NULL,
				      FALSE, NULL, NULL);
	gint64 n = 0, added = 0, added2 = 0, now = pm_now();
	Newsletter *nl;
	GError *e = NULL;

	OK(id > 0, "created");
	newsletter_audience(db, id, &n, NULL);
	INT_EQ(n, 245, "audience: active subscriptions only");
	OK(newsletter_schedule(db, id, now + 3600, NULL), "scheduled in an hour");
	OK(newsletter_expand(db, now, 100, 0, &added, NULL), "expand runs");
	INT_EQ(added, 0, "not due: nothing expanded");
	nl = newsletter_get(db, id, NULL);
	STR_EQ(newsletter_status_name(nl->status), "scheduled", "still scheduled");
	newsletter_free(nl);

	/* one member unsubscribes and one bounces after scheduling */
	db_exec(db, NULL, "UPDATE subscriptions SET status = 'unsubscribed' WHERE member_id = 1", NULL);
	db_exec(db, NULL, "UPDATE members SET status = 'bouncing' WHERE id = 2", NULL);

	/* due: two processes expand in turns, 100 rows per batch, at most 100 per call */
	OK(newsletter_expand(db, now + 3600, 100, 100, &added, NULL), "first process, one batch");
	INT_EQ(added, 100, "one batch of 100");
	nl = newsletter_get(db, id, NULL);
	STR_EQ(newsletter_status_name(nl->status), "sending", "claimed: sending");
	OK(nl->cursor > 0 && nl->expanded_at == 0, "cursor moved, not finished");
	newsletter_free(nl);
	OK(newsletter_expand(db2, now + 3600, 100, 0, &added2, NULL), "second process continues");
	OK(newsletter_expand(db, now + 3600, 100, 0, &added, NULL), "first process again");
	INT_EQ(added + added2 + 100, 243, "every active member once: 245 less two");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE kind = 'newsletter' AND ref_id = ?", id),
	       243, "243 rows");
	INT_EQ(count("SELECT count(DISTINCT member_id) FROM outbox WHERE ref_id = ?", id), 243,
	       "no duplicates");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE ref_id = ? AND member_id IN (1, 2)", id), 0,
	       "unsubscribed and bouncing members skipped");
	nl = newsletter_get(db, id, NULL);
	OK(nl->expanded_at > 0, "expansion finished");
	INT_EQ(nl->recipients, 243, "recipients counted");
	newsletter_free(nl);
	OK(!newsletter_schedule(db, id, now, &e), "a sending newsletter cannot be rescheduled");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "as EX_DATAERR");
	g_clear_error(&e);

	/* sending: some sent, then finished */
	db_exec(db, NULL, "UPDATE outbox SET status = 'sent', sent_at = ? WHERE ref_id = ?", "ii",
		now, id);
	db_exec(db, NULL, "UPDATE outbox SET status = 'failed' WHERE ref_id = ? AND member_id = 3",
		"i", id);
	db_exec(db, NULL, "INSERT INTO bounces(member_id, outbox_id, permanent, created_at) "
		"SELECT member_id, id, 1, 0 FROM outbox WHERE ref_id = ? AND member_id = 4", "i", id);
	db_exec(db, NULL, "UPDATE subscriptions SET status = 'unsubscribed', updated_at = ? WHERE "
		"member_id = 5", "i", now + 60);
	{
		/* looking at it is a read: only newsletter_finish (run) marks it sent */
		NewsletterReport *st = newsletter_report_need(db, id, NULL);

		STR_EQ(st ? newsletter_status_name(st->newsletter->status) : NULL, "sending",
		       "status reads: still sending");
		INT_EQ(st ? st->recipients : 0, 243, "recipients: the copies expanded");
		newsletter_report_free(st);
		nl = newsletter_get(db, id, NULL);
		STR_EQ(newsletter_status_name(nl->status), "sending", "and the database says so too");
		newsletter_free(nl);
	}
	OK(newsletter_finish(db, now, NULL), "finish");
	nl = newsletter_get(db, id, NULL);
	STR_EQ(newsletter_status_name(nl->status), "sent", "all done: sent");
	newsletter_free(nl);
	{
		NewsletterCounts c;

		OK(newsletter_counts(db, id, &c, NULL), "counts");
		INT_EQ(c.sent, 242, "sent");
		INT_EQ(c.failed, 1, "failed");
		INT_EQ(c.bounced, 1, "bounced");
		INT_EQ(c.queued, 0, "none queued");
		INT_EQ(c.unsubscribes, 1, "one unsubscribe after receiving it");
	}
	{
		/* the JSON of `newsletter status` is the cli's, from the model's struct */
		NewsletterReport *st = newsletter_report_need(db, id, NULL);
		JsonBuilder *b = json_builder_new();
		JsonNode *j;
		JsonObject *o;

		if (st)
			print_newsletter_report(b, NULL, st);
		j = st ? json_builder_get_root(b) : NULL;
		o = j ? json_node_get_object(j) : NULL;
		g_object_unref(b);
		newsletter_report_free(st);

		OK(o && json_object_has_member(o, "id") && json_object_has_member(o, "recipients") &&
		   json_object_has_member(o, "queued") && json_object_has_member(o, "sent") &&
		   json_object_has_member(o, "failed") && json_object_has_member(o, "bounced"),
		   "status JSON has the documented keys");
		STR_EQ(o ? json_object_get_string_member(o, "status") : NULL, "sent", "status in JSON");
		if (j)
			json_node_unref(j);
	}
	OK(!newsletter_cancel(db, id, &e), "a sent newsletter cannot be cancelled");
	g_clear_error(&e);
}

TEST(skip_signed_and_cancel)
{
	gint64 id = newsletter_create(db, cfg, "news", "Sign", "Please sign", "park", NULL, TRUE,
				      NULL, NULL);
	gint64 n = 0, added = 0, now = pm_now();
	SignResult r;
	Newsletter *nl;

	for (gint64 m = 10; m < 20; m++)
		signature_add(db, pet_id, m, TRUE, SIGNATURE_SOURCE_REPLY, NULL, NULL, &r, NULL);
	signature_add(db, pet_id, 20, FALSE, SIGNATURE_SOURCE_WRITING, NULL, NULL, &r, NULL);
	newsletter_audience(db, id, &n, NULL);
	INT_EQ(n, 243 - 1 - 10, "signers left out (a pending signer still gets it)");
	OK(newsletter_schedule(db, id, now, NULL), "due now");
	OK(newsletter_expand(db, now, 50, 50, &added, NULL), "one batch");
	INT_EQ(added, 50, "50 expanded");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE ref_id = ? AND member_id BETWEEN 10 AND 19", id),
	       0, "signers skipped");
	/* send a few, then cancel mid-send */
	db_exec(db, NULL, "UPDATE outbox SET status = 'sent' WHERE ref_id = ? AND member_id < 30",
		"i", id);
	db_begin(db, NULL);
	OK(newsletter_cancel(db, id, NULL), "cancelled mid-send");
	db_commit(db, NULL);
	OK(newsletter_expand(db, now, 50, 0, &added, NULL), "expand after cancel");
	INT_EQ(added, 0, "nothing more expanded");
	nl = newsletter_get(db, id, NULL);
	STR_EQ(newsletter_status_name(nl->status), "cancelled", "cancelled");
	newsletter_free(nl);
	INT_EQ(count("SELECT count(*) FROM outbox WHERE ref_id = ? AND status = 'queued'", id), 0,
	       "no copy left queued");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE ref_id = ? AND status = 'cancelled'", id),
	       count("SELECT count(*) FROM outbox WHERE ref_id = ? AND status != 'sent'", id),
	       "the rest cancelled");
	OK(count("SELECT count(*) FROM outbox WHERE ref_id = ? AND status = 'sent'", id) > 0,
	   "those sent stay sent");
}

TEST(render)
{
	gint64 id = newsletter_create(db, cfg, "news", "Hi {{member.first_name}}",
				      "Dear {{member.name}},\n\n*Sign* now: {{sign_address}}\n",
				      "park", NULL, FALSE, NULL, NULL);
	Member *m = member_get(db, 30, NULL);
	GError *e = NULL;
	GBytes *msg;
	OutboxRow row = { 0 };
	char *text;
	gint64 t0, n = g_strcmp0(g_getenv("SANITIZE"), "1") == 0 ? 200 : 2000;

	m->name = g_strdup("Zoë Quinn");
	msg = newsletter_render_for(db, cfg, key, id, m, &e);
	OK(msg != NULL, "a copy renders");
	if (e)
		printf("# %s\n", e->message);
	g_clear_error(&e);
	text = msg ? g_strndup(g_bytes_get_data(msg, NULL), g_bytes_get_size(msg)) : g_strdup("");
	OK(strstr(text, "Subject: Hi =?") || strstr(text, "Subject: Hi Zo"), "subject rendered per member");
	OK(strstr(text, "Reply-To: sign+park+") != NULL, "Reply-To carries the sign token");
	OK(strstr(text, "List-Unsubscribe: <mailto:leave+") != NULL, "unsubscribe token in the list header");
	OK(strstr(text, "<em>Sign</em>") != NULL, "Markdown rendered into the HTML part");
	OK(strstr(text, "\r\n") != NULL, "CRLF line ends");
	g_free(text);
	if (msg)
		g_bytes_unref(msg);

	t0 = g_get_monotonic_time();
	for (gint64 i = 0; i < n; i++) {
		msg = newsletter_render_for(db, cfg, key, id, m, NULL);
		if (msg)
			g_bytes_unref(msg);
	}
	{
		double all = (double)(g_get_monotonic_time() - t0) / (double)n, alone;
		JsonNode *data = json_from_string("{\"member\":{\"name\":\"Zo\"},\"list\":"
			"{\"name\":\"news\",\"title\":\"News\"},\"body\":\"Dear Zo\","
			"\"body_html\":\"<p>Dear Zo</p>\",\"newsletter\":{\"subject\":\"Hi\"}}", NULL);
		ComposeOpts o = { 0 };

		o.to = "m029@example.org";
		o.list_name = "news";
		o.subject = "Hi";
		t0 = g_get_monotonic_time();
		for (gint64 i = 0; i < n; i++) {
			msg = compose_message(cfg, "newsletter", data, &o, NULL);
			if (msg)
				g_bytes_unref(msg);
		}
		alone = (double)(g_get_monotonic_time() - t0) / (double)n;
		printf("# render: %.1f us per message, of which compose_message %.1f us, "
		       "newsletter's own part %.1f us (%" G_GINT64_FORMAT " copies)\n", all, alone,
		       all - alone, n);
		json_node_unref(data);
	}

	/* the renderer refuses a member who left, and cancels the row */
	db_exec(db, NULL, "UPDATE newsletters SET status = 'sending' WHERE id = ?", "i", id);
	db_exec(db, NULL, "INSERT INTO outbox(kind, ref_id, member_id, list_id, recipient, status, "
		"created_at, updated_at) VALUES ('newsletter', ?, 30, ?, 'x', 'sending', 0, 0)", "ii",
		id, list_id);
	row.id = db_last_id(db);
	row.kind = OUTBOX_NEWSLETTER;
	row.ref_id = id;
	row.member_id = 30;
	row.recipient = (char *)"m029@example.org";
	msg = newsletter_render(db, cfg, key, &row, &e);
	OK(msg != NULL, "the renderer renders an active member's copy");
	if (msg)
		g_bytes_unref(msg);
	g_clear_error(&e);
	subscription_set(db, list_id, 30, SUBSCRIPTION_STATUS_UNSUBSCRIBED, NULL);
	msg = newsletter_render(db, cfg, key, &row, &e);
	OK(msg == NULL && e && strstr(e->message, "no longer subscribed"), "unsubscribed since: refused");
	g_clear_error(&e);
	INT_EQ(count("SELECT status = 'cancelled' FROM outbox WHERE id = ?", row.id), 1,
	       "and its row cancelled");
	member_free(m);
	newsletter_cache_clear();
}

/* newsletter_schedule_later: a time that has passed is refused */
TEST(schedule_later)
{
	gint64 id = newsletter_create(db, cfg, "news", "Later", "Hi", NULL, NULL, FALSE, NULL,
				      NULL);
	GError *e = NULL;
	NewsletterReport *st;

	OK(!newsletter_schedule_later(db, id, pm_now() - 60, &e), "a time that has passed");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "is EX_DATAERR");
	OK(e && strstr(e->message, "newsletter send"), "pointing at `newsletter send`");
	g_clear_error(&e);
	OK(newsletter_schedule_later(db, id, pm_now() + 3600, NULL), "a time to come is taken");
	st = newsletter_report_need(db, id, NULL);
	STR_EQ(st ? newsletter_status_name(st->newsletter->status) : NULL, "scheduled",
	       "scheduled");
	OK(st && st->newsletter->scheduled_at > pm_now(), "for then");
	newsletter_report_free(st);
	OK(!newsletter_schedule_later(db, 99999, pm_now() + 3600, &e) && e && e->code == EX_NOUSER,
	   "an unknown newsletter is EX_NOUSER");
	STR_EQ(e ? e->message : NULL, "no newsletter 99999", "with the one message");
	g_clear_error(&e);
	OK(newsletter_cancel(db, id, NULL), "cancelled again");
}

int main(void)
{
	g_mime_init();
	setup();
	RUN(create);
	RUN(schedule_and_expand);
	RUN(skip_signed_and_cancel);
	RUN(render);
	RUN(schedule_later);
	db_close(db2);
	db_close(db);
	g_ptr_array_unref(cfg->lists);
	g_free(cfg->domain);
	g_free(cfg->delimiter);
	g_free(cfg->from);
	g_free(cfg->templates);
	g_free(cfg->organizers);
	secret_free(key);
	compose_cache_clear();
	g_free(cfg);
	g_mime_shutdown();
	return harness_done();
}
