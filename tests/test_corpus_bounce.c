/* test_corpus_bounce.c - bounce_parse on the bounce corpora (tests/data/sisimai and
 * tests/data/bounce-email, tests/data/bounceparser, tests/data/email-bounce-parser,
 * tests/data/php-bounce-handler, tests/data/flanker, tests/data/mailbouncedetector: real bounces
 * from many MTAs and services, expectations in expected.tsv, see its README): one TAP line per
 * sample, a miss shown as a known miss (not ok # TODO), figures per set (dev: read while
 * writing the rules; held: held back), and floors on the held-back figures. */
#include <string.h>
#include "inbound/message.h"
#include "mail/bounce.h"
#include "mail/rules.h"
#include "harness.h"

/* Floors (percent) on the held-back set: measured figures, so a regression fails. */
#define FLOOR_FOUND 95
#define FLOOR_PERM 96
#define FLOOR_FOUND_BE 90
#define FLOOR_PERM_BE 90
#define FLOOR_FOUND_BP 90
#define FLOOR_PERM_BP 90
#define FLOOR_FOUND_EBP 95
#define FLOOR_PERM_EBP 95
#define FLOOR_FOUND_PBH 100
#define FLOOR_PERM_PBH 100
#define FLOOR_FOUND_FL 100
#define FLOOR_PERM_FL 100
#define FLOOR_FOUND_MBD 100
#define FLOOR_PERM_MBD 100

/* parse_file - a GMimeMessage from a file as `peermail receive` parses it
 * (inbound_parse), or NULL; caller unrefs */
static GMimeMessage *parse_file(const char *path)
{
	char *text = NULL;
	gsize len = 0;
	GBytes *raw;
	InboundMessage *im;
	GMimeMessage *m = NULL;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return NULL;
	raw = g_bytes_new_take(text, len);
	im = inbound_parse(raw, "", NULL);
	if (im)
		m = g_object_ref(im->msg);
	inbound_message_free(im);
	g_bytes_unref(raw);
	return m;
}

/* cmp_str - qsort comparison of char** */
static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
	int n, found, perm;
} Tally;

/* run_corpus - every row of tests/data/NAME/expected.tsv (file, count, addresses or "?",
 * permanent, statuses, set dev|held): one TAP line per sample, figures per set, and the
 * floors (percent) on the held-back figures; min_dev/min_held: samples expected */
static void run_corpus(const char *name, int floor_found, int floor_perm, int min_dev, int min_held)
{
	char *mdir = g_strdup_printf("%s/messages", name), *etsv = g_strdup_printf("%s/expected.tsv", name);
	char *dir = harness_data(mdir);
	char *tsv = harness_data(etsv);
	char *text = NULL, *w;
	char **lines;
	Tally dev = { 0 }, held = { 0 };

	OK(g_file_get_contents(tsv, &text, NULL, NULL), "expected.tsv read");
	lines = g_strsplit(text ? text : "", "\n", -1);
	for (char **l = lines; *l; l++) {
		char **f, *path, *got, *what;
		GMimeMessage *m;
		BounceReport *r;
		GPtrArray *addrs = g_ptr_array_new();
		gboolean found_ok, perm_ok = TRUE, want_perm;
		Tally *t;

		if (**l == '#' || **l == '\0')
			continue;
		f = g_strsplit(*l, "\t", -1);
		if (g_strv_length(f) < 6) {
			g_strfreev(f);
			g_ptr_array_unref(addrs);
			continue;
		}
		t = strcmp(f[5], "held") == 0 ? &held : &dev;
		want_perm = strcmp(f[3], "1") == 0;
		path = g_build_filename(dir, f[0], NULL);
		m = parse_file(path);
		r = bounce_parse(m);
		for (guint j = 0; j < r->recipients->len; j++) {
			BounceRecipient *br = g_ptr_array_index(r->recipients, j);

			g_ptr_array_add(addrs, br->address);
			if (br->permanent != want_perm)
				perm_ok = FALSE;
		}
		if (addrs->len == 0)
			perm_ok = FALSE;
		g_ptr_array_sort(addrs, cmp_str);
		g_ptr_array_add(addrs, NULL);
		got = g_strjoinv(",", (char **)addrs->pdata);
		if (strcmp(f[2], "?") == 0)
			found_ok = r->recipients->len == (guint)atoi(f[1]);
		else
			found_ok = strcmp(got, f[2]) == 0;
		t->n++;
		t->found += found_ok;
		t->perm += perm_ok;
		what = g_strdup_printf("%s %s (%s) [%s]", name, f[0], f[5],
				       r->rule ? r->rule : "no rule");
		if (found_ok && perm_ok) {
			OK(TRUE, what);
		} else {
			char *why = g_strdup_printf("%s%sgot {%s} %s, want {%s} x%s %s",
				found_ok ? "" : "recipients ", perm_ok ? "" : "permanence ",
				got, r->recipients->len == 0 ? "-" :
				((BounceRecipient *)g_ptr_array_index(r->recipients, 0))->permanent ?
				"permanent" : "transient", f[2], f[1], want_perm ? "permanent" : "transient");
			TODO_MISS(what, why);
			g_free(why);
		}
		g_free(what);
		g_free(got);
		g_ptr_array_unref(addrs);
		bounce_report_free(r);
		if (m)
			g_object_unref(m);
		g_free(path);
		g_strfreev(f);
	}
	printf("# %s dev:  %d samples, recipients found %d (%.1f%%), permanence right %d (%.1f%%)\n",
	       name, dev.n, dev.found, dev.n ? 100.0 * dev.found / dev.n : 0, dev.perm,
	       dev.n ? 100.0 * dev.perm / dev.n : 0);
	printf("# %s held: %d samples, recipients found %d (%.1f%%), permanence right %d (%.1f%%)\n",
	       name, held.n, held.found, held.n ? 100.0 * held.found / held.n : 0, held.perm,
	       held.n ? 100.0 * held.perm / held.n : 0);
	w = g_strdup_printf("%s: corpus read", name);
	OK(dev.n >= min_dev && held.n >= min_held, w);
	g_free(w);
	w = g_strdup_printf("%s held back: recipients found above the floor", name);
	OK(held.found * 100 >= held.n * floor_found, w);
	g_free(w);
	w = g_strdup_printf("%s held back: permanence right above the floor", name);
	OK(held.perm * 100 >= held.n * floor_perm, w);
	g_free(w);
	g_strfreev(lines);
	g_free(text);
	g_free(tsv);
	g_free(dir);
	g_free(mdir);
	g_free(etsv);
}

TEST(sisimai_corpus)
{
	/* sisimai set-of-emails (BSD-2): held back, sample numbers divisible by 3 */
	run_corpus("sisimai", FLOOR_FOUND, FLOOR_PERM, 300, 150);
}

TEST(bounce_email_corpus)
{
	/* mitio/bounce_email (MIT), added after the rules: every third sample held back */
	run_corpus("bounce-email", FLOOR_FOUND_BE, FLOOR_PERM_BE, 20, 10);
}

TEST(bounceparser_corpus)
{
	/* Mail-DeliveryStatus-BounceParser (Perl's terms), added after the rules: every third
	 * sample held back */
	run_corpus("bounceparser", FLOOR_FOUND_BP, FLOOR_PERM_BP, 60, 30);
}

TEST(email_bounce_parser_corpus)
{
	/* crisp-oss/email-bounce-parser (MIT): the bodies of real bounces (Postfix relaying to
	 * many receiving servers, Exchange/Office 365, Gmail, Symantec, Sendmail, Exim, Dutch),
	 * the generality probe of issue 18; every third sample by name held back */
	run_corpus("email-bounce-parser", FLOOR_FOUND_EBP, FLOOR_PERM_EBP, 60, 30);
}

TEST(php_bounce_handler_corpus)
{
	/* cfortune/PHP-Bounce-Handler (BSD): Exim, qmail-like (prima.com.ar), Exchange, Postfix,
	 * Sun/Oracle Messaging Server and Exim delay warnings from 2006-2014, added after the rules;
	 * every third sample by name held back */
	run_corpus("php-bounce-handler", FLOOR_FOUND_PBH, FLOOR_PERM_PBH, 40, 20);
}

TEST(flanker_corpus)
{
	/* mailgun/flanker (Apache-2.0): Postfix, Gmail, Office 365, Sendmail, a bare
	 * delivery-status and a one-line report; added after the rules, every third held back */
	run_corpus("flanker", FLOOR_FOUND_FL, FLOOR_PERM_FL, 6, 3);
}

TEST(mailbouncedetector_corpus)
{
	/* rgl/MailBounceDetector (MIT): Exchange (a delay, an empty Final-Recipient), Office 365,
	 * Postfix, qmail (QSBMF, several recipients, wrapped in multipart/alternative); added
	 * after the rules, every third held back */
	run_corpus("mailbouncedetector", FLOOR_FOUND_MBD, FLOOR_PERM_MBD, 5, 2);
}

/* check_rule_files - every file of set names its source and every pattern compiles */
static void check_rule_files(const PmRuleFile *set, const char *what)
{
	GPtrArray *rules = rules_load(set, TRUE);
	int files = 0, bad = 0;

	for (const PmRuleFile *f = set; f->name; f++) {
		char *w = g_strdup_printf("%s %s: starts with a \"# source:\" line", what, f->name);

		files++;
		OK(g_str_has_prefix(f->text, "# source:"), w);
		g_free(w);
	}
	for (guint i = 0; i < rules->len; i++) {
		PmRule *r = g_ptr_array_index(rules, i);

		if (r->re == NULL) {
			char *w = g_strdup_printf("%s %s: pattern compiles: %s", what, r->file, r->pattern);

			OK(FALSE, w);
			g_free(w);
			bad++;
		} else if (set == pm_reply_rules && g_regex_get_capture_count(r->re) > 0) {
			/* replytext tells header lines apart by its own groups */
			char *w = g_strdup_printf("%s %s: no capturing group: %s", what, r->file, r->pattern);

			OK(FALSE, w);
			g_free(w);
			bad++;
		}
	}
	OK(files >= 5 && bad == 0 && rules->len >= 20, "every rule file loaded and every pattern valid");
	for (guint i = 0; i < rules->len; i++) {
		PmRule *r = g_ptr_array_index(rules, i);

		g_free(r->kind);
		g_free(r->pattern);
		if (r->re)
			g_regex_unref(r->re);
		g_free(r);
	}
	g_ptr_array_unref(rules);
}

TEST(rule_files)
{
	check_rule_files(pm_bounce_rules, "rules/bounce");
	check_rule_files(pm_reply_rules, "rules/reply");
}

TEST(rule_named)
{
	/* inspect shows the rule that decided: the file and the pattern */
	const char *text =
		"From: MAILER-DAEMON <>\nTo: bounce+X@act.example.org\nSubject: Mail delivery failed\n\n"
		"This is the DragonFly Mail Agent v0.13 at df.example.jp.\n\n"
		"There was an error delivering your mail to <gone@example.com>.\n\n"
		"mx.example.com [192.0.2.1] did not like our RCPT TO:\n"
		"550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown\n\n"
		"Message headers follow.\n\nSubject: hello\n";
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(text, strlen(text));
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	BounceReport *r = bounce_parse(m);

	OK(r->recipients->len == 1, "dma bounce: one recipient");
	OK(r->rule && strstr(r->rule, "dragonfly.rules") && strstr(r->rule, "error delivering"),
	   "dma bounce: the rule names its file and pattern");
	bounce_report_free(r);
	g_object_unref(m);
	g_object_unref(p);
	g_object_unref(st);
}

int main(void)
{
	g_mime_init();
	RUN(rule_files);
	RUN(rule_named);
	RUN(sisimai_corpus);
	RUN(bounce_email_corpus);
	RUN(bounceparser_corpus);
	RUN(email_bounce_parser_corpus);
	RUN(php_bounce_handler_corpus);
	RUN(flanker_corpus);
	RUN(mailbouncedetector_corpus);
	return harness_done();
}
