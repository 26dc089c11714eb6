/* test_intent.c - what a reply means: the corpus in tests/data/intent (every line must read
 * as labelled; per-language accuracy printed), the priority rules, normalisation, and the
 * load errors of the phrase folder */
#include <sysexits.h>
#include "harness.h"
#include "base/pm.h"
#include "mail/intent.h"

static IntentPhrases *ph;

/* phrases_dir - the tree's data/intent; caller frees */
static char *phrases_dir(void)
{
	const char *top = g_getenv("PEERMAIL_TOP");

	return g_build_filename(top ? top : ".", "data", "intent", NULL);
}

/* read_as - the intent name text reads as */
static const char *read_as(const char *text, char **phrase)
{
	IntentReading r;
	const char *name;

	intent_read(ph, text, &r);
	name = intent_name(r.intent);
	if (phrase)
		*phrase = g_strdup(r.phrase);
	intent_reading_clear(&r);
	return name;
}

/* corpus_file - every sample of one language file */
static void corpus_file(const char *lang)
{
	char *name = g_strdup_printf("intent/%s.tsv", lang), *path = harness_data(name);
	char *data = NULL, **lines;
	int total = 0, right = 0;

	OK(g_file_get_contents(path, &data, NULL, NULL), path);
	lines = g_strsplit(data ? data : "", "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *tab = strchr(lines[i], '\t'), *text, *phrase = NULL, *what;
		GString *t;
		const char *got;

		if (tab == NULL)
			continue;
		*tab = '\0';
		t = g_string_new(tab + 1);
		while (g_string_replace(t, "\\n", "\n", 0) > 0)
			;
		text = g_string_free(t, FALSE);
		got = read_as(text, &phrase);
		total++;
		right += strcmp(got, lines[i]) == 0;
		what = g_strdup_printf("%s: \"%s\" is %s (by \"%s\")", lang, tab + 1, lines[i],
				       phrase ? phrase : "");
		STR_EQ(got, lines[i], what);
		g_free(what);
		g_free(phrase);
		g_free(text);
	}
	printf("# accuracy %s: %d/%d\n", lang, right, total);
	OK(total >= 20, "several samples per language");
	g_strfreev(lines);
	g_free(data);
	g_free(path);
	g_free(name);
}

TEST(corpus)
{
	static const char *const langs[] = { "en", "fr", "de", "es", "it", "pt", "nl" };

	for (guint i = 0; i < G_N_ELEMENTS(langs); i++)
		corpus_file(langs[i]);
}

TEST(rules)
{
	IntentReading r;

	intent_read(ph, "  \n\n", &r);
	STR_EQ(intent_name(r.intent), "sign", "an empty reply signs (the mail said reply to sign)");
	STR_EQ(r.phrase, "(empty reply)", "and says why");
	intent_reading_clear(&r);
	intent_read(ph, "Sign me up. Actually no, don't add my name.", &r);
	STR_EQ(intent_name(r.intent), "decline", "a refusal beats a positive phrase");
	STR_EQ(r.lang, "en", "the deciding phrase's language");
	intent_reading_clear(&r);
	intent_read(ph, "Ça ne m’intéresse pas", &r);
	STR_EQ(intent_name(r.intent), "decline", "typographic apostrophes and accents");
	STR_EQ(r.lang, "fr", "French");
	intent_reading_clear(&r);
	intent_read(ph, "Yes. Who runs this campaign?", &r);
	STR_EQ(intent_name(r.intent), "sign", "a yes with a question signs");
	intent_reading_clear(&r);
	intent_read(ph, "Remove my signature and unsubscribe me", &r);
	STR_EQ(intent_name(r.intent), "withdraw", "withdraw first");
	intent_reading_clear(&r);
	intent_read(ph, "\xff\xfe", &r);
	STR_EQ(intent_name(r.intent), "sign", "invalid UTF-8 reads as empty");
	intent_reading_clear(&r);
	STR_EQ(read_as("the council said no, we won't accept it. Yes from me", NULL), "sign",
	       "a 'no' inside a sentence is not a refusal");
	intent_read(ph, "Never count me in.", &r);
	STR_EQ(intent_name(r.intent), "decline", "a negated sign phrase is a refusal");
	STR_EQ(r.phrase, "(negated) count me in", "and says which");
	intent_reading_clear(&r);
	STR_EQ(read_as("Please remove my name from your list", NULL), "unsubscribe",
	       "a longer unsubscribe phrase over a withdraw phrase");
	{
		char *n = intent_normalize("Don't — STOP!! Grüße, ¿qué?");

		STR_EQ(n, "dont stop | grusse | que ?", "normalised form");
		g_free(n);
	}
}

TEST(loading)
{
	GError *e = NULL;
	const char *dir = harness_tmpdir();
	char *bad = g_build_filename(dir, "xx.txt", NULL);
	IntentPhrases *p = intent_phrases_load("/nonexistent/intent", &e);
	char *langs;

	OK(p == NULL && e && e->code == EX_CONFIG, "a missing folder is EX_CONFIG");
	OK(e && strstr(e->message, "intent_phrases"), "naming the setting");
	g_clear_error(&e);
	p = intent_phrases_load(dir, &e);
	OK(p == NULL && e && e->code == EX_CONFIG, "an empty folder is EX_CONFIG");
	g_clear_error(&e);
	g_file_set_contents(bad, "# c\nsign: yes\nmaybe: perhaps\n", -1, NULL);
	p = intent_phrases_load(dir, &e);
	OK(p == NULL && e && strstr(e->message, "xx.txt:3"), "a bad line names file:line");
	g_clear_error(&e);
	g_file_set_contents(bad, "negation: not really\n", -1, NULL);
	p = intent_phrases_load(dir, &e);
	OK(p == NULL && e, "a negation is one word");
	g_clear_error(&e);
	g_file_set_contents(bad, "decline: | |\n", -1, NULL);
	p = intent_phrases_load(dir, &e);
	OK(p == NULL && e, "a phrase without words is refused");
	g_clear_error(&e);
	langs = intent_phrases_languages(ph);
	STR_EQ(langs, "de,en,es,fr,it,nl,pt", "the seven languages");
	g_free(langs);
	g_free(bad);
}

int main(void)
{
	GError *e = NULL;
	char *dir = phrases_dir();

	ph = intent_phrases_load(dir, &e);
	if (ph == NULL) {
		printf("not ok 1 - load %s: %s\n", dir, e ? e->message : "?");
		return 1;
	}
	RUN(corpus);
	RUN(rules);
	RUN(loading);
	intent_phrases_free(ph);
	g_free(dir);
	return harness_done();
}
