/* test_autoreply.c - auto-replies, vacation notices, list mail, null senders and loops:
 * realistic fixture messages (tests/data/autoreply/) and header-by-header cases */
#include <fcntl.h>
#include "harness.h"
#include "mail/autoreply.h"
#include "mail/compose.h"

/* parse_file - a GMimeMessage from tests/data/autoreply/NAME; caller unrefs */
static GMimeMessage *parse_file(const char *name)
{
	char *rel = g_build_filename("autoreply", name, NULL), *path = harness_data(rel);
	GMimeStream *st = g_mime_stream_fs_open(path, O_RDONLY, 0, NULL);
	GMimeMessage *m = NULL;

	if (st) {
		GMimeParser *p = g_mime_parser_new_with_stream(st);
		m = g_mime_parser_construct_message(p, NULL);
		g_object_unref(p);
		g_object_unref(st);
	}
	g_free(path);
	g_free(rel);
	return m;
}

/* check_file - classify a fixture with an envelope sender and compare */
static void check_file(const char *name, const char *envelope, AutoKind want)
{
	GMimeMessage *m = parse_file(name);
	char *what = g_strdup_printf("%s (envelope %s) is %s", name,
		envelope ? (*envelope ? envelope : "\"\"") : "unknown", autoreply_name(want));

	OK(m != NULL, name);
	if (m) {
		AutoKind got = autoreply_classify(m, envelope);
		STR_EQ(autoreply_name(got), autoreply_name(want), what);
		g_object_unref(m);
	}
	g_free(what);
}

TEST(fixtures)
{
	check_file("human_reply.eml", "jane@example.org", AUTO_NONE);
	check_file("human_reply.eml", NULL, AUTO_NONE);
	check_file("mentions_vacation.eml", "omar@example.com", AUTO_NONE);
	check_file("gmail_vacation.eml", "jane.doe@gmail.com", AUTO_SUBMITTED);
	check_file("exchange_oof.eml", "max.mueller@contoso.com", AUTO_VACATION);
	check_file("mailman_post.eml", "neighbours-bounces@lists.example.net", AUTO_LIST);
	check_file("mailman_post.eml", NULL, AUTO_LIST);
	check_file("mailer_daemon.eml", "", AUTO_NULL_SENDER);
	check_file("mailer_daemon.eml", NULL, AUTO_NULL_SENDER);
	check_file("peermail_loop.eml", "bounce+a1b2c3d4@act.example.org", AUTO_LOOP);
	check_file("human_reply.eml", "", AUTO_NULL_SENDER);
}

/* plain - a minimal human message with one extra header (name may be NULL); caller unrefs */
static GMimeMessage *plain(const char *subject, const char *name, const char *value)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeTextPart *body = g_mime_text_part_new_with_subtype("plain");

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, "Jane", "jane@example.org");
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL, "sign+air@act.example.org");
	g_mime_message_set_subject(m, subject, "utf-8");
	if (name)
		g_mime_object_set_header(GMIME_OBJECT(m), name, value, NULL);
	g_mime_text_part_set_text(body, "I'm on vacation but I sign.\n");
	g_mime_message_set_mime_part(m, GMIME_OBJECT(body));
	g_object_unref(body);
	return m;
}

typedef struct {
	const char *subject, *header, *value, *envelope;
	AutoKind want;
} Case;

TEST(headers_and_subjects)
{
	static const Case cases[] = {
		{ "Re: Will you sign?", NULL, NULL, "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "Auto-Submitted", "no", "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "Auto-Submitted", "No (a person)", "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "Auto-Submitted", "auto-generated", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "Auto-Submitted", "auto-replied; owner-email=jane@example.org", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "Auto-Submitted", "auto-notified", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "X-Autoreply", "yes", "jane@example.org", AUTO_VACATION },
		{ "Re: Will you sign?", "X-Autorespond", "Will you sign?", "jane@example.org", AUTO_VACATION },
		{ "Re: Will you sign?", "X-Auto-Response-Suppress", "All", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "X-Auto-Response-Suppress", "OOF, AutoReply", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "X-Auto-Response-Suppress", "DR, RN, NRN", "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "X-MS-Exchange-Inbox-Rules-Loop", "jane@example.org", "jane@example.org", AUTO_SUBMITTED },
		{ "Re: Will you sign?", "Precedence", "bulk", "jane@example.org", AUTO_BULK },
		{ "Re: Will you sign?", "Precedence", "Junk", "jane@example.org", AUTO_BULK },
		{ "Re: Will you sign?", "Precedence", "list", "jane@example.org", AUTO_BULK },
		{ "Re: Will you sign?", "Precedence", "first-class", "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "X-Precedence", "bulk", "jane@example.org", AUTO_BULK },
		{ "Re: Will you sign?", "List-Id", "Other list <other.example.net>", "jane@example.org", AUTO_LIST },
		{ "Re: Will you sign?", "List-Post", "<mailto:other@example.net>", "jane@example.org", AUTO_LIST },
		{ "Re: Will you sign?", "List-Unsubscribe", "<mailto:u@example.net>", "jane@example.org", AUTO_LIST },
		{ "Re: Will you sign?", "Mailing-List", "contact other-help@example.net; run by ezmlm", "jane@example.org", AUTO_LIST },
		{ "Re: Will you sign?", "X-Loop", "other@example.net", "jane@example.org", AUTO_LIST },
		{ "Re: Will you sign?", COMPOSE_LOOP_HEADER, "act.example.org", "jane@example.org", AUTO_LOOP },
		{ "Re: Will you sign?", COMPOSE_LOOP_HEADER, "act.example.org", "", AUTO_LOOP },
		{ "Re: Will you sign?", NULL, NULL, "", AUTO_NULL_SENDER },
		{ "Re: Will you sign?", NULL, NULL, "<>", AUTO_NULL_SENDER },
		{ "Re: Will you sign?", NULL, NULL, "MAILER-DAEMON@mx.example.net", AUTO_NULL_SENDER },
		{ "Re: Will you sign?", NULL, NULL, "postmaster@example.net", AUTO_NULL_SENDER },
		{ "Re: Will you sign?", NULL, NULL, "owner-neighbours@example.net", AUTO_LIST },
		{ "Re: Will you sign?", NULL, NULL, "neighbours-request@example.net", AUTO_LIST },
		{ "Re: Will you sign?", NULL, NULL, "neighbours-bounces+jane=example.org@lists.example.net", AUTO_LIST },
		{ "Re: Will you sign?", NULL, NULL, "jane+petitions@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "Return-Path", "<>", NULL, AUTO_NULL_SENDER },
		{ "Out of Office: Will you sign?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Out of Office AutoReply: Will you sign?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Automatic reply: Will you sign?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Auto: Will you sign?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Autoreply: Will you sign?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Abwesenheitsnotiz: Unterschreiben Sie?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Automatische Antwort: Unterschreiben Sie?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Réponse automatique : Signez-vous ?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Respuesta automática: ¿Firma?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Risposta automatica: Firmi?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Automatisch antwoord: Tekent u?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Autosvar: Skriver du under?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Automatyczna odpowiedź: Podpiszesz?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Автоматический ответ: Подпишете?", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Jane Roe is out of the office.", NULL, NULL, "jane@example.org", AUTO_VACATION },
		{ "Re: Out of office tomorrow, but I sign", NULL, NULL, "jane@example.org", AUTO_NONE },
		{ "Vacation photos from the march", NULL, NULL, "jane@example.org", AUTO_NONE },
		{ "Auto emissions near the school", NULL, NULL, "jane@example.org", AUTO_NONE },
		{ "Absent parents? No: absent air quality rules", NULL, NULL, "jane@example.org", AUTO_NONE },
		{ "Re: Will you sign?", "Precedence", "auto_reply", "jane@example.org", AUTO_VACATION },
		{ "Re: Will you sign?", "X-Vacation", "on", "jane@example.org", AUTO_VACATION },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const Case *c = &cases[i];
		GMimeMessage *m = plain(c->subject, c->header, c->value);
		char *what = g_strdup_printf("%s%s%s / envelope %s -> %s", c->subject,
			c->header ? " + " : "", c->header ? c->header : "",
			c->envelope ? c->envelope : "unknown", autoreply_name(c->want));
		STR_EQ(autoreply_name(autoreply_classify(m, c->envelope)), autoreply_name(c->want), what);
		g_free(what);
		g_object_unref(m);
	}
}

typedef struct {
	const char *subject, *from, *header, *value;
	gboolean want;
} ReplyCase;

TEST(is_reply)
{
	/* the question bounce asks before reading a report's free text */
	static const ReplyCase cases[] = {
		{ "Re: Will you sign?", NULL, NULL, NULL, FALSE },
		{ "Out of Office: Will you sign?", NULL, NULL, NULL, TRUE },
		{ "Automatische Antwort: Unterschreiben Sie?", NULL, NULL, NULL, TRUE },
		{ "Out of Office: Will you sign?", NULL, "Return-Path", "<>", TRUE },
		{ "Re: Will you sign?", NULL, "Return-Path", "<>", FALSE },
		{ "Re: Will you sign?", NULL, "X-Autoreply", "yes", TRUE },
		{ "Re: Will you sign?", NULL, "X-Autorespond", "yes", TRUE },
		{ "Re: Will you sign?", NULL, "Precedence", "auto_reply", TRUE },
		{ "Re: Will you sign?", NULL, "Precedence", "bulk", FALSE },
		{ "Re: Will you sign?", NULL, "Auto-Submitted", "auto-replied", TRUE },
		{ "Re: Will you sign?", NULL, "Auto-Submitted", "Auto-Replied (vacation)", TRUE },
		{ "Re: Will you sign?", NULL, "Auto-Submitted", "auto-generated", FALSE },
		{ "Re: Will you sign?", NULL, "Auto-Submitted", "no", FALSE },
		{ "Re: Will you sign?", NULL, "List-Id", "Other list <other.example.net>", FALSE },
		{ "Vacation photos from the march", NULL, NULL, NULL, FALSE },
		{ "Undelivered Mail Returned to Sender", "MAILER-DAEMON@mx.example.net",
		  "Auto-Submitted", "auto-replied", FALSE },
		{ "Out of Office: Will you sign?", "postmaster@mx.example.net", NULL, NULL, FALSE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const ReplyCase *c = &cases[i];
		GMimeMessage *m = plain(c->subject, c->header, c->value);
		char *what = g_strdup_printf("%s%s%s%s%s%s -> %s", c->subject,
			c->header ? " + " : "", c->header ? c->header : "", c->header ? ": " : "",
			c->header ? c->value : "", c->from ? " from a mail system" : "",
			c->want ? "an auto-reply" : "not one");

		if (c->from) {
			InternetAddressList *from = g_mime_message_get_from(m);
			InternetAddress *a = internet_address_mailbox_new(NULL, c->from);

			internet_address_list_clear(from);
			internet_address_list_add(from, a);
			g_object_unref(a);
		}
		OK(autoreply_is_reply(m) == c->want, what);
		g_free(what);
		g_object_unref(m);
	}
	OK(!autoreply_is_reply(NULL), "no message: not an auto-reply");
}

TEST(names)
{
	STR_EQ(autoreply_name(AUTO_NONE), "none", "name of AUTO_NONE");
	STR_EQ(autoreply_name(AUTO_NULL_SENDER), "null-sender", "name of AUTO_NULL_SENDER");
	STR_EQ(autoreply_name(AUTO_SUBMITTED), "auto-submitted", "name of AUTO_SUBMITTED");
	STR_EQ(autoreply_name(AUTO_VACATION), "vacation", "name of AUTO_VACATION");
	STR_EQ(autoreply_name(AUTO_BULK), "bulk", "name of AUTO_BULK");
	STR_EQ(autoreply_name(AUTO_LIST), "list", "name of AUTO_LIST");
	STR_EQ(autoreply_name(AUTO_LOOP), "loop", "name of AUTO_LOOP");
	INT_EQ(autoreply_classify(NULL, NULL), AUTO_NONE, "no message: AUTO_NONE");
}

int main(void)
{
	g_mime_init();
	RUN(fixtures);
	RUN(headers_and_subjects);
	RUN(is_reply);
	RUN(names);
	g_mime_shutdown();
	return harness_done();
}
