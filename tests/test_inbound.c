/*
 * test_inbound.c - the inbound pipeline with tokens: sign by reply, tokens of another
 * petition, member or purpose, tampered and expired tokens, VERP bounces, one-click
 * unsubscribe, the daily response cap, the envelope from the environment; prepared
 * messages applied in one batch as the LMTP committer does (duplicates, one-time tokens).
 */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>
#include "mail/address.h"
#include "harness.h"
#include "inbound/exitcode.h"
#include "inbound/inbound.h"
#include "model/list.h"
#include "model/member.h"
#include "model/petition.h"
#include "base/pm.h"
#include "model/schema.h"

static PmConfig *cfg;
static PmDb *db;
static PmSecret *key;
static int seq;

/* setup_all - a config, database and secret in a temporary folder */
static void setup_all(void)
{
	const char *dir = harness_tmpdir();
	const char *top = g_getenv("PEERMAIL_TOP");
	char *path = g_build_filename(dir, "peermail.conf", NULL);
	char *text = g_strdup_printf(
		"domain = \"act.test\"\ndatabase = \"pm.db\"\nsecret_file = \"secret\"\n"
		"templates = \"%s/templates\"\nfrom = \"Team <team@act.test>\"\n"
		"intent_phrases = \"%s/data/intent\"\n"
		"transport = \"maildir\"\nmaildir = \"sent\"\norganizers = { \"org@example.net\" }\n"
		"syslog = false\nlimits { max_responses_per_day = 3 }\n"
		"list \"news\" { title = \"News\" }\n", top ? top : ".", top ? top : ".");
	GError *e = NULL;

	g_file_set_contents(path, text, -1, NULL);
	cfg = config_load(path, &e);
	OK(cfg != NULL, "config loads");
	if (cfg == NULL)
		exit(1);
	db = db_open(cfg->database, schema_peermail(), TRUE, &e);
	key = secret_load(cfg->secret_file, TRUE, &e);
	OK(db && key, "database and secret");
	g_free(text);
	g_free(path);
}

/* message - a plain message from FROM to TO with body; caller unrefs */
static GBytes *message(const char *from, const char *to, const char *body)
{
	char *s = g_strdup_printf("From: Someone <%s>\r\nTo: %s\r\nSubject: Re: petition\r\n"
				  "Message-ID: <t%d.%d@client.test>\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
				  from, to, ++seq, (int)getpid(), body);

	return g_bytes_new_take(s, strlen(s));
}

/* run - inbound_process; returns the exit status */
static int run(GBytes *raw, const char *sender, const char *rcpt)
{
	GError *e = NULL;
	InboundOutcome o = { 0 };
	int rc;

	inbound_process(db, cfg, key, raw, sender, rcpt, &o, &e);
	rc = inbound_exit_status(e);
	g_clear_error(&e);
	inbound_outcome_clear(&o);
	return rc;
}

/* deliver - message() + run(), freeing the message */
static int deliver(const char *from, const char *to, const char *body)
{
	GBytes *b = message(from, to, body);
	int rc = run(b, from, to);

	g_bytes_unref(b);
	return rc;
}

static gint64 count(const char *sql)
{
	gint64 n = -1;

	db_int(db, NULL, &n, -1, sql, NULL);
	return n;
}

/* addr - KEYWORD[+ARG]+TOKEN@act.test for a token; caller frees */
static char *addr(const char *kw, const char *arg, TokenPurpose p, gint64 obj, gint64 member,
		  gint64 expires)
{
	Token t = { p, obj, member, expires };
	char *tok = token_encode(key, &t);
	char *a = address_make(cfg, kw, arg, tok);

	g_free(tok);
	return a;
}

static gint64 trees, other, ann, bob;

TEST(sign_by_reply)
{
	char *a = addr("sign", "trees", TOKEN_SIGN, trees, ann, 0);
	GBytes *b = message("ann@example.org", a, "Yes, and plant oaks.");

	INT_EQ(run(b, "ann@example.org", a), 0, "a reply to sign+SLUG+TOKEN exits 0");
	INT_EQ(count("SELECT count(*) FROM signatures WHERE status = 'confirmed' AND member_id = "
		     "(SELECT id FROM members WHERE email = 'ann@example.org')"), 1,
	       "the token's member has a confirmed signature");
	OK(count("SELECT count(*) FROM signatures WHERE comment LIKE 'Yes, and plant oaks%'") == 1,
	   "the visible text is the comment");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE recipient = 'ann@example.org'"), 1,
	       "a thank-you is queued");
	INT_EQ(run(b, "ann@example.org", a), 0, "the same reply again exits 0");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE recipient = 'ann@example.org'"), 1,
	       "a replay queues nothing");
	INT_EQ(count("SELECT count(*) FROM signatures"), 1, "a replay signs nothing");
	g_bytes_unref(b);
	g_free(a);
}

TEST(token_refusals)
{
	gint64 before = count("SELECT count(*) FROM inbound");
	char *a = addr("sign", "other", TOKEN_SIGN, trees, ann, 0);
	char *c = addr("sign", "trees", TOKEN_CONFIRM, trees, ann, 0);
	char *x = addr("sign", "trees", TOKEN_SIGN, trees, ann, 0);
	char *gone = addr("confirm", NULL, TOKEN_CONFIRM, 1, ann, pm_now() - 3 * 86400);
	char *p = strchr(x, '@') - 3;

	INT_EQ(deliver("ann@example.org", a, "yes"), EX_NOUSER,
	       "a token for another petition is refused (67)");
	INT_EQ(deliver("ann@example.org", c, "yes"), EX_NOUSER,
	       "a token of another purpose is refused (67)");
	*p = *p == 'a' ? 'b' : 'a';
	INT_EQ(deliver("ann@example.org", x, "yes"), EX_NOUSER,
	       "a token altered in one character is refused (67)");
	INT_EQ(deliver("ann@example.org", gone, "yes"), EX_NOUSER,
	       "an expired confirmation token is refused (67)");
	INT_EQ(count("SELECT count(*) FROM inbound"), before, "refused messages record nothing");
	g_free(a);
	g_free(c);
	g_free(x);
	g_free(gone);
}

TEST(token_of_another_member)
{
	char *a = addr("sign", "other", TOKEN_SIGN, other, bob, 0);

	/* Ann replies with Bob's token (a forwarded announcement) */
	INT_EQ(deliver("ann@example.org", a, "sure"), 0, "another member's token exits 0");
	INT_EQ(count("SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id "
		     "WHERE s.petition_id = (SELECT id FROM petitions WHERE slug = 'other') AND "
		     "m.email = 'ann@example.org'"), 0, "the From: address signs nothing");
	INT_EQ(count("SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id "
		     "WHERE m.email = 'bob@example.org' AND s.status = 'pending'"), 1,
	       "the token's member gets only a pending signature");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE recipient = 'bob@example.org'"), 1,
	       "and is asked to confirm at the member's own address");
	INT_EQ(deliver("bob@example.org", a, "yes"), 0, "the member's own reply exits 0");
	INT_EQ(count("SELECT count(*) FROM signatures s JOIN members m ON m.id = s.member_id "
		     "WHERE m.email = 'bob@example.org' AND s.status = 'confirmed'"), 1,
	       "the member's own reply confirms");
	g_free(a);
}

TEST(one_click_unsubscribe)
{
	List *l = list_find(db, cfg, "news", NULL);
	char *a;
	gint64 out = count("SELECT count(*) FROM outbox");

	subscription_set(db, l->id, ann, SUBSCRIPTION_STATUS_ACTIVE, NULL);
	a = addr("leave", NULL, TOKEN_UNSUBSCRIBE, l->id, ann, 0);
	INT_EQ(deliver("whoever@example.org", a, ""), 0, "leave+TOKEN exits 0");
	INT_EQ(count("SELECT count(*) FROM subscriptions WHERE status = 'unsubscribed'"), 1,
	       "leave+TOKEN unsubscribes at once");
	INT_EQ(count("SELECT count(*) FROM outbox"), out, "and sends nothing back");
	g_free(a);
	list_free(l);
}

TEST(verp_bounce)
{
	char *a = addr("bounce", NULL, TOKEN_BOUNCE, 0, bob, 0);
	const char *dsn =
		"From: MAILER-DAEMON@mx.example.net\r\nTo: x\r\nSubject: Undelivered Mail\r\n"
		"Message-ID: <dsn1@mx>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; "
		"report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain"
		"\r\n\r\nfailed\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
		"Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; bob@example.org"
		"\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such "
		"user\r\n\r\n--B--\r\n";
	GBytes *b = g_bytes_new_static(dsn, strlen(dsn));
	GBytes *v;
	char *vac;

	INT_EQ(run(b, "", a), 0, "a DSN to bounce+TOKEN exits 0");
	INT_EQ(count("SELECT count(*) FROM bounces WHERE permanent = 1 AND member_id = "
		     "(SELECT id FROM members WHERE email = 'bob@example.org')"), 1,
	       "a permanent bounce is recorded for the token's member");
	vac = g_strdup_printf("From: bob@example.org\r\nTo: %s\r\nSubject: Out of office\r\n"
			      "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n"
			      "Message-ID: <vac1@x>\r\n\r\nI am away.\r\n", a);
	v = g_bytes_new_take(vac, strlen(vac));
	INT_EQ(run(v, "bob@example.org", a), 0, "a vacation reply to bounce+TOKEN exits 0");
	INT_EQ(count("SELECT count(*) FROM bounces"), 1, "a vacation reply is not a bounce");
	g_bytes_unref(b);
	g_bytes_unref(v);
	g_free(a);
}

TEST(response_cap)
{
	gint64 before = count("SELECT count(*) FROM outbox WHERE recipient = 'cap@example.org'");

	for (int i = 0; i < 5; i++)
		deliver("cap@example.org", "help@act.test", "help");
	INT_EQ(before, 0, "no responses before");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE recipient = 'cap@example.org'"), 3,
	       "at most limits.max_responses_per_day responses per address");
	INT_EQ(count("SELECT count(*) FROM inbound WHERE from_addr = 'cap@example.org'"), 5,
	       "every message is still recorded");
}

TEST(envelope)
{
	char *s = NULL, *r = NULL;

	g_setenv("LOCAL", "sign", TRUE);
	g_setenv("EXTENSION", "trees", TRUE);
	g_setenv("DOMAIN", "act.test", TRUE);
	g_setenv("SENDER", "", TRUE);
	inbound_envelope_from_env(cfg, &s, &r);
	STR_EQ(r, "sign+trees@act.test", "Postfix local(8) LOCAL+EXTENSION@DOMAIN");
	STR_EQ(s, "", "SENDER empty is the null sender");
	g_free(r);
	g_free(s);
	s = r = NULL;
	g_setenv("ORIGINAL_RECIPIENT", "story+trees@act.test", TRUE);
	inbound_envelope_from_env(cfg, &s, &r);
	STR_EQ(r, "story+trees@act.test", "ORIGINAL_RECIPIENT wins");
	g_free(r);
	g_free(s);
	g_unsetenv("ORIGINAL_RECIPIENT");
	g_unsetenv("LOCAL");
	g_unsetenv("EXTENSION");
	g_unsetenv("DOMAIN");
	g_unsetenv("SENDER");
}

TEST(header_text_cleaned)
{
	/* the header facts go through the one text-cleaning rule (pm_clean_text) */
	GString *s = g_string_new("From: \"\x01" "Ann\x7f Example \" <ann@example.org>\r\n"
				  "To: help@act.test\r\nSubject: \x02 Re:\x1b petition \x03\r\n"
				  "Message-ID: <clean.1@client.test>\r\nX-Long: ");
	GBytes *b;
	InboundMessage *m;
	GError *e = NULL;

	for (int i = 0; i < INBOUND_MAX_HEADER + 100; i++)
		g_string_append_c(s, 'x');
	g_string_append(s, "\r\nDelivered-To: ");
	for (int i = 0; i < INBOUND_MAX_HEADER + 100; i++)
		g_string_append_c(s, 'y');
	g_string_append(s, "\r\n\r\nhello\r\n");
	b = g_bytes_new_take(s->str, s->len);
	g_string_free(s, FALSE);
	m = inbound_parse(b, "ann@example.org", &e);
	OK(m != NULL, "a message with controls in its headers parses");
	if (m) {
		char *rcpt = inbound_recipient_from_headers(m);

		STR_EQ(m->subject, "Re:  petition", "Subject: controls become spaces, trimmed");
		STR_EQ(m->from_name, "Ann  Example", "From name: controls become spaces, trimmed");
		INT_EQ(rcpt ? strlen(rcpt) : 0, INBOUND_MAX_HEADER,
		       "a header value is cut at INBOUND_MAX_HEADER octets");
		g_free(rcpt);
	}
	inbound_message_free(m);
	g_clear_error(&e);
	g_bytes_unref(b);
}

/* a message saved with blank lines before its header (a mail store's export; the
 * PHP-Bounce-Handler corpus's Exchange reports): the header is still read */
TEST(blank_lines_before_header)
{
	static const char text[] = "\n   \r\n"
		"From: postmaster@example.net\nTo: bounce+T@act.example.org\n"
		"Subject: Delivery Status Notification (Failure)\n\nbody\n";
	GBytes *b = g_bytes_new_static(text, sizeof text - 1);
	GError *e = NULL;
	InboundMessage *m = inbound_parse(b, "", &e);

	OK(m != NULL, "parses");
	STR_EQ(m ? m->from_addr : NULL, "postmaster@example.net", "From read after the blank lines");
	STR_EQ(m ? m->subject : NULL, "Delivery Status Notification (Failure)", "Subject read");
	inbound_message_free(m);
	g_bytes_unref(b);
	b = g_bytes_new_static("\nbody only: no header\n", 22);
	m = inbound_parse(b, "", &e);
	OK(m != NULL && m->from_addr == NULL, "a body without a header stays a body");
	inbound_message_free(m);
	g_bytes_unref(b);
	g_clear_error(&e);
}

/* a From: sent as one encoded word around "Name <addr>" (Python's email.mime with a
 * non-ASCII name), with or without the domain an MTA appended: the mailbox inside is the
 * sender; one with no mailbox inside leaves the From: unset (the envelope sender is used) */
TEST(from_encoded_word)
{
	static const struct { const char *from, *addr, *name; } cases[] = {
		{ "=?utf-8?b?VMOrc3RlciA8aHRtbEBjbGllbnQudGVzdD4=?=@mx.act.test", "html@client.test", "T\xc3\xabster" },
		{ "=?utf-8?b?VMOrc3RlciA8aHRtbEBjbGllbnQudGVzdD4=?=", "html@client.test", "T\xc3\xabster" },
		{ "=?utf-8?b?bm90IGFuIGFkZHJlc3M=?=@mx.act.test", NULL, NULL },
		{ "=?utf-8?q?T=C3=ABster?= <ok@client.test>", "ok@client.test", "T\xc3\xabster" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *text = g_strdup_printf("From: %s\r\nTo: sign+x@act.test\r\nSubject: Re\r\n"
					     "Message-ID: <fe%zu@client.test>\r\n\r\nYes\r\n",
					     cases[i].from, i);
		GBytes *b = g_bytes_new_take(text, strlen(text));
		GError *e = NULL;
		InboundMessage *m = inbound_parse(b, "env@client.test", &e);

		OK(m != NULL, "the message parses");
		if (m) {
			STR_EQ(m->from_addr, cases[i].addr, "From: address");
			STR_EQ(m->from_name, cases[i].name, "From: name");
		}
		inbound_message_free(m);
		g_clear_error(&e);
		g_bytes_unref(b);
	}
}

TEST(exit_status)
{
	GError *e = g_error_new(PM_ERROR, EX_SOFTWARE, "x");

	INT_EQ(inbound_exit_status(NULL), 0, "no error: 0");
	INT_EQ(inbound_exit_status(e), EX_TEMPFAIL, "an internal error: 75");
	e->code = EX_CONFIG;
	INT_EQ(inbound_exit_status(e), EX_TEMPFAIL, "a configuration error: 75");
	e->code = EX_NOUSER;
	INT_EQ(inbound_exit_status(e), EX_NOUSER, "unknown: 67");
	e->code = EX_DATAERR;
	INT_EQ(inbound_exit_status(e), EX_DATAERR, "not a message: 65");
	e->code = EX_USAGE;
	INT_EQ(inbound_exit_status(e), EX_TEMPFAIL, "a usage error in the pipe command: 75");
	e->code = EX_TEMPFAIL;
	INT_EQ(inbound_exit_status(e), EX_TEMPFAIL, "a transient error: 75");
	g_error_free(e);
	e = g_error_new(G_FILE_ERROR, EX_NOUSER, "x");
	INT_EQ(inbound_exit_status(e), EX_TEMPFAIL, "another domain's error, whatever its code: 75");
	g_error_free(e);
}

/* recoded - inbound_exit_error of e: "DOMAIN-IS-PM code message" */
static char *recoded(GError *e)
{
	char *s;

	inbound_exit_error(&e);
	s = g_strdup_printf("%s %d %s", e->domain == PM_ERROR ? "pm" : "other", e->code,
			    e->message);
	g_error_free(e);
	return s;
}

TEST(exit_error)
{
	char *s;

	s = recoded(NULL);
	STR_EQ(s, "pm 75 internal error", "a failure without an error: 75");
	g_free(s);
	s = recoded(g_error_new(PM_ERROR, EX_CONFIG, "cannot read configuration"));
	STR_EQ(s, "pm 75 cannot read configuration", "a configuration error: 75, message kept");
	g_free(s);
	s = recoded(g_error_new(PM_ERROR, EX_USAGE, "usage"));
	STR_EQ(s, "pm 75 usage", "a usage error: 75");
	g_free(s);
	s = recoded(g_error_new(PM_ERROR, EX_NOUSER, "unknown petition"));
	STR_EQ(s, "pm 67 unknown petition", "unknown: 67 kept");
	g_free(s);
	s = recoded(g_error_new(PM_ERROR, EX_DATAERR, "empty message"));
	STR_EQ(s, "pm 65 empty message", "not a message: 65 kept");
	g_free(s);
	s = recoded(g_error_new(G_FILE_ERROR, G_FILE_ERROR_NOENT, "gone"));
	STR_EQ(s, "pm 75 gone", "another domain's error becomes PM_ERROR 75");
	g_free(s);
}

#define NO_GUARD 99   /* the child's status when the guard is not available (sanitizers) */

/* crash_status - the exit status of a child that installs the guard, then dies of signal
 * how (0: a g_error); 1000 + the signal when a signal ended it */
static int crash_status(int how)
{
	pid_t pid;
	int st = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, STDERR_FILENO);
		if (!inbound_exit_guard())
			_exit(NO_GUARD);
		if (how == 0)
			g_error("libxml2 cannot be loaded (test)");   /* SIGTRAP */
		else
			raise(how);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

TEST(exit_guard)
{
	int ill = crash_status(SIGILL);

	/* a3ee8c5: a g_error in receive (SIGTRAP) also means retry */
	if (ill == NO_GUARD) {
		SKIP("a g_error exits 75", "built with AddressSanitizer: it reports crashes itself");
		SKIP("a segmentation fault exits 75", "built with AddressSanitizer");
		SKIP("an abort exits 75", "built with AddressSanitizer");
		SKIP("an illegal instruction exits 75", "built with AddressSanitizer");
		return;
	}
	INT_EQ(ill, EX_TEMPFAIL, "an illegal instruction exits 75");
	INT_EQ(crash_status(0), EX_TEMPFAIL, "a g_error exits 75");
	INT_EQ(crash_status(SIGSEGV), EX_TEMPFAIL, "a segmentation fault exits 75");
	INT_EQ(crash_status(SIGABRT), EX_TEMPFAIL, "an abort exits 75");
}

/* in_batch - inside an open transaction (the LMTP committer's batch), a message refused
 * at the recipient check undoes only itself: the batch and what it already holds stay */
static void in_batch(void)
{
	GError *e = NULL;
	gint64 before = count("SELECT count(*) FROM inbound");

	OK(db_begin(db, &e), "a batch begins");
	OK(deliver("ann@example.org", "sign+trees@act.test", "Yes") == 0, "a message in the batch");
	OK(deliver("ann@example.org", "sign+nosuch@act.test", "Yes") == EX_NOUSER,
	   "an unknown petition in the same batch is refused");
	OK(db_in_transaction(db), "the batch is still open after the refusal");
	OK(db_commit(db, &e), "the batch commits");
	OK(count("SELECT count(*) FROM inbound") == before + 1,
	   "the message before the refusal is recorded");
	g_clear_error(&e);
}

/* apply - inbound_apply of plan into the open batch; the outcome's "action result" */
static char *apply(InboundPlan *plan)
{
	GError *e = NULL;
	InboundOutcome o = { 0 };
	char *r;

	r = inbound_apply(db, cfg, key, plan, &o, &e)
		? g_strdup_printf("%s %s", o.action, o.result) : g_strdup(e->message);
	g_clear_error(&e);
	inbound_outcome_clear(&o);
	return r;
}

/* prepared_batch - as the LMTP server works: messages prepared first (in the sessions,
 * on their own connections), then applied in ONE transaction by the committer. What one
 * message of the batch changes, the next one sees: the same message twice is recorded
 * once, a one-time token used by two messages acts once. */
static void prepared_batch(void)
{
	GError *e = NULL;
	PmDb *session = db_open(cfg->database, schema_peermail(), FALSE, &e);
	List *l = list_find(db, cfg, "news", NULL);
	GBytes *same = message("bob@example.org", "sign+trees@act.test", "Count me in");
	char *bye = addr("bye", NULL, TOKEN_UNSUB_CONFIRM, l->id, bob, pm_now() + 86400);
	GBytes *bye1 = message("bob@example.org", bye, "yes");
	GBytes *bye2 = message("bob@example.org", bye, "yes, really");
	InboundPlan *p[4];
	gint64 before = count("SELECT count(*) FROM inbound");
	gint64 out = count("SELECT count(*) FROM outbox WHERE recipient = 'bob@example.org'");
	char *r[4];

	OK(session != NULL, "a second connection, as a session's");
	subscription_set(db, l->id, bob, SUBSCRIPTION_STATUS_ACTIVE, NULL);
	p[0] = inbound_prepare(session, cfg, key, same, "bob@example.org", "sign+trees@act.test",
			       NULL);
	p[1] = inbound_prepare(session, cfg, key, same, "bob@example.org", "sign+trees@act.test",
			       NULL);
	p[2] = inbound_prepare(session, cfg, key, bye1, "bob@example.org", bye, NULL);
	p[3] = inbound_prepare(session, cfg, key, bye2, "bob@example.org", bye, NULL);
	OK(p[0] && p[1] && p[2] && p[3], "four messages prepared, nothing written");
	INT_EQ(count("SELECT count(*) FROM inbound"), before, "preparing records nothing");
	OK(db_begin(db, &e), "the batch begins");
	for (int i = 0; i < 4; i++)
		r[i] = apply(p[i]);
	OK(db_commit(db, &e), "the batch commits");
	STR_EQ(r[0], "sign pending", "the first of two identical messages signs");
	STR_EQ(r[1], "duplicate ignored", "the second, in the same batch, is a duplicate");
	STR_EQ(r[2], "unsubscribe unsubscribed", "a one-time bye+ token acts");
	STR_EQ(r[3], "unsubscribe used", "the same token again in the same batch does nothing");
	INT_EQ(count("SELECT count(*) FROM inbound"), before + 3,
	       "three messages recorded (the duplicate is not)");
	INT_EQ(count("SELECT count(*) FROM outbox WHERE recipient = 'bob@example.org'"), out + 2,
	       "one confirmation request and one unsubscribe note: nothing twice");
	for (int i = 0; i < 4; i++) {
		g_free(r[i]);
		inbound_plan_free(p[i]);
	}
	g_bytes_unref(same);
	g_bytes_unref(bye1);
	g_bytes_unref(bye2);
	g_free(bye);
	list_free(l);
	db_close(session);
	g_clear_error(&e);
}

int main(void)
{
	g_mime_init();
	setup_all();
	trees = petition_create(db, cfg, "trees", "Trees", "", 0, 0, NULL);
	other = petition_create(db, cfg, "other", "Other", "", 0, 0, NULL);
	ann = member_upsert(db, cfg, "ann@example.org", "Ann", NULL, NULL, FALSE, NULL);
	bob = member_upsert(db, cfg, "bob@example.org", "Bob", NULL, NULL, FALSE, NULL);
	RUN(sign_by_reply);
	RUN(token_refusals);
	RUN(token_of_another_member);
	RUN(one_click_unsubscribe);
	RUN(verp_bounce);
	RUN(response_cap);
	RUN(envelope);
	RUN(header_text_cleaned);
	RUN(blank_lines_before_header);
	RUN(from_encoded_word);
	RUN(exit_status);
	RUN(exit_error);
	RUN(exit_guard);
	RUN(in_batch);
	RUN(prepared_batch);
	db_close(db);
	secret_free(key);
	config_free(cfg);
	g_mime_shutdown();
	return harness_done();
}
