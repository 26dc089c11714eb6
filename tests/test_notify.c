/* test_notify.c - telling the organizers (produce/notify): one auto-generated copy per
 * organizer, queued as an outbox notice; the per-organizer hook; the From fallback; mail for
 * people forwarded to the organizers' mailbox */
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "base/pm.h"
#include "harness.h"
#include "testmsg.h"
#include "model/schema.h"
#include "model/outbox.h"
#include "produce/notify.h"

/* open_with - a configuration (with extra lines) and a fresh database in its own folder */
static PmConfig *open_with(const char *name, const char *extra, PmDb **db)
{
	const char *top = g_getenv("PEERMAIL_TOP");
	char *dir = g_build_filename(harness_tmpdir(), name, NULL);
	char *path = g_build_filename(dir, "peermail.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ndatabase = \"n.db\"\n"
				     "templates = \"%s/templates\"\nfrom = \"Team <team@act.test>\"\n"
				     "syslog = false\n%s\n", top ? top : ".", extra);
	GError *e = NULL;
	PmConfig *cfg;

	g_mkdir_with_parents(dir, 0700);
	g_file_set_contents(path, text, -1, NULL);
	cfg = config_load(path, &e);
	if (cfg == NULL || (*db = db_open(cfg->database, schema_peermail(), TRUE, &e)) == NULL) {
		printf("not ok - setup: %s\n", e->message);
		exit(1);
	}
	g_free(text);
	g_free(path);
	g_free(dir);
	return cfg;
}

/* data - template data for the milestone template; caller unrefs */
static JsonNode *data(void)
{
	return json_from_string("{\"petition\":{\"slug\":\"air\",\"title\":\"Clean air\","
				"\"signatures\":5},\"milestone\":5}", NULL);
}

/* rows - the notice rows as "recipient/ref_id/member_id" joined by ','; caller frees */
static char *rows(PmDb *db)
{
	sqlite3_stmt *st = db_query(db, NULL, "SELECT recipient, coalesce(ref_id, 0), "
				    "coalesce(member_id, 0) FROM outbox WHERE kind = 'notice' "
				    "ORDER BY id", NULL);
	GString *s = g_string_new(NULL);

	while (st && db_step(db, st, NULL))
		g_string_append_printf(s, "%s%s/%lld/%lld", s->len ? "," : "",
				       (const char *)sqlite3_column_text(st, 0),
				       (long long)sqlite3_column_int64(st, 1),
				       (long long)sqlite3_column_int64(st, 2));
	db_done(st);
	return g_string_free(s, FALSE);
}

/* header_of - header name of the stored message of notice number i (0-based); caller frees */
static char *header_of(PmDb *db, int i, const char *name)
{
	gint64 id = 0;
	GBytes *b;
	char *v = NULL;

	db_int(db, NULL, &id, 0, "SELECT id FROM outbox WHERE kind = 'notice' ORDER BY id "
	       "LIMIT 1 OFFSET ?", "i", (gint64)i);
	b = outbox_message_get(db, id, NULL);
	if (b) {
		GMimeMessage *m = testmsg_parse_bytes(b);
		const char *h = m ? g_mime_object_get_header(GMIME_OBJECT(m), name) : NULL;

		v = h ? g_strstrip(g_strdup(h)) : NULL;
		if (m)
			g_object_unref(m);
		g_bytes_unref(b);
	}
	return v;
}

/* header_is - header_of compared with want */
static void header_is(PmDb *db, int i, const char *name, const char *want, const char *what)
{
	char *got = header_of(db, i, name);

	STR_EQ(got, want, what);
	g_free(got);
}

TEST(every_organizer)
{
	PmDb *db;
	PmConfig *cfg = open_with("every", "organizers = { \"org@example.net\" }\n"
				  "list \"news\" { organizers = { \"Boss@Example.net\", \"org@example.net\" } }",
				  &db);
	JsonNode *d = data();
	Notice n = { "milestone", d, NULL, 42, "reply+x@act.test", NULL, NULL };
	guint told = 0;
	char *r;

	db_begin(db, NULL);
	OK(notify_organizers(db, cfg, &n, &told, NULL), "a notice to the organizers");
	db_commit(db, NULL);
	INT_EQ(told, 2, "two organizers told");
	r = rows(db);
	STR_EQ(r, "org@example.net/42/0,boss@example.net/42/0",
	       "one notice row each (global and the list's, normalized, once), ref_id kept");
	g_free(r);
	header_is(db, 0, "To", "org@example.net", "the copy is addressed to its organizer alone");
	header_is(db, 1, "To", "boss@example.net", "the second copy to the second organizer");
	header_is(db, 0, "Auto-Submitted", "auto-generated", "notices are auto-generated");
	header_is(db, 1, "Reply-To", "reply+x@act.test", "the notice's Reply-To on every copy");
	json_node_unref(d);
	db_close(db);
	config_free(cfg);
}

/* per_copy - a NotifyEach: a personal Reply-To and member id; fails for boss@ when asked */
static gboolean per_copy(NotifyCopy *copy, gpointer user, GError **error)
{
	gboolean *fail_boss = user;

	if (*fail_boss && g_str_has_prefix(copy->to, "boss@")) {
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "hook failed for %s", copy->to);
		return FALSE;
	}
	copy->member_id = 0;
	copy->to_name = g_strdup("Organizer");
	copy->reply_to = g_strdup_printf("moderate+%c@act.test", copy->to[0]);
	return TRUE;
}

TEST(per_organizer_hook)
{
	PmDb *db;
	PmConfig *cfg = open_with("hook", "organizers = { \"org@example.net\", \"boss@example.net\" }", &db);
	JsonNode *d = data();
	gboolean fail_boss = FALSE;
	Notice n = { "milestone", d, NULL, 7, "ignored@act.test", per_copy, &fail_boss };
	GError *e = NULL;
	guint told = 0;
	char *to;

	db_begin(db, NULL);
	OK(notify_organizers(db, cfg, &n, &told, NULL), "a notice with a per-organizer hook");
	db_commit(db, NULL);
	INT_EQ(told, 2, "both told");
	header_is(db, 0, "Reply-To", "moderate+o@act.test", "the hook's Reply-To wins (first)");
	header_is(db, 1, "Reply-To", "moderate+b@act.test", "the hook's Reply-To wins (second)");
	to = header_of(db, 0, "To");
	OK(to && strstr(to, "Organizer") != NULL, "the hook's display name");
	g_free(to);
	fail_boss = TRUE;
	db_begin(db, NULL);
	OK(!notify_organizers(db, cfg, &n, &told, &e), "a failing hook stops the notice");
	INT_EQ(e ? e->code : 0, EX_TEMPFAIL, "with the hook's error");
	INT_EQ(told, 1, "told counts the copies queued before it");
	db_rollback(db);
	g_clear_error(&e);
	json_node_unref(d);
	db_close(db);
	config_free(cfg);
}

TEST(from_fallback)
{
	PmDb *db;
	PmConfig *cfg = open_with("fallback", "", &db);
	JsonNode *d = data();
	Notice n = { "milestone", d, NULL, 3, NULL, NULL, NULL };
	GError *e = NULL;
	char *r;

	db_begin(db, NULL);
	OK(notify_organizers(db, cfg, &n, NULL, NULL), "a notice with no organizers configured");
	db_commit(db, NULL);
	r = rows(db);
	STR_EQ(r, "team@act.test/3/0", "it goes to the From mailbox");
	g_free(r);
	n.template_name = "no_such_template";
	db_begin(db, NULL);
	OK(!notify_organizers(db, cfg, &n, NULL, &e), "a missing template fails");
	INT_EQ(e ? e->code : 0, EX_CONFIG, "as EX_CONFIG");
	db_rollback(db);
	g_clear_error(&e);
	json_node_unref(d);
	db_close(db);
	config_free(cfg);
}

TEST(mailbox_forward)
{
	PmDb *db;
	PmConfig *cfg = open_with("mailbox", "", &db);
	JsonNode *d = json_from_string("{\"recipient\":\"abuse@act.test\",\"from\":"
				       "\"reader@example.org\",\"subject\":\"Hello\"}", NULL);
	const char *orig = "From: reader@example.org\r\nTo: abuse@act.test\r\nSubject: Hello\r\n"
			   "\r\nThe original text\r\n";
	GBytes *raw = g_bytes_new_static(orig, strlen(orig));
	gboolean sent = TRUE;
	GBytes *b;
	char *r, *text;

	db_begin(db, NULL);
	OK(notify_mailbox(db, cfg, "forwarded", d, "reader@example.org", raw, &sent, NULL),
	   "without organizers_mailbox: no error");
	db_commit(db, NULL);
	OK(!sent, "... and nothing sent (the caller keeps the original)");
	r = rows(db);
	STR_EQ(r, "", "no notice queued");
	g_free(r);
	db_close(db);
	config_free(cfg);

	cfg = open_with("mailbox2", "organizers_mailbox = \"inbox@example.net\"", &db);
	db_begin(db, NULL);
	OK(notify_mailbox(db, cfg, "forwarded", d, "reader@example.org", raw, &sent, NULL),
	   "with organizers_mailbox: forwarded");
	db_commit(db, NULL);
	OK(sent, "... sent");
	r = rows(db);
	STR_EQ(r, "inbox@example.net/0/0", "one notice to the organizers' mailbox");
	g_free(r);
	header_is(db, 0, "Reply-To", "reader@example.org", "Reply-To is the sender");
	header_is(db, 0, "Auto-Submitted", "auto-generated", "auto-generated: never answered");
	b = outbox_message_get(db, 1, NULL);
	text = b ? g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b)) : g_strdup("");
	OK(strstr(text, "Content-Type: message/rfc822") != NULL, "the original attached as message/rfc822");
	OK(strstr(text, "The original text") != NULL, "whole, not base64");
	g_free(text);
	if (b)
		g_bytes_unref(b);
	g_bytes_unref(raw);
	json_node_unref(d);
	db_close(db);
	config_free(cfg);
}

int main(void)
{
	g_mime_init();
	RUN(every_organizer);
	RUN(per_organizer_hook);
	RUN(from_fallback);
	RUN(mailbox_forward);
	g_mime_shutdown();
	return harness_done();
}
