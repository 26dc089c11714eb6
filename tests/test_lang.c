/* test_lang.c - members' languages: language tags (base/lang), plural forms per language
 * (base/plural), the language a mail is written in (mail/intent intent_language) and which
 * template a member gets (mail/compose: their language, the default, en, with partials
 * following the message's folder) */
#include <gmime/gmime.h>
#include <string.h>
#include "harness.h"
#include "base/config.h"
#include "base/lang.h"
#include "base/plural.h"
#include "base/pm.h"
#include "mail/compose.h"
#include "mail/intent.h"

/* norm_is - lang_normalize(tag) is want (NULL: refused) */
static void norm_is(const char *tag, const char *want)
{
	char *got = lang_normalize(tag);
	char *what = g_strdup_printf("lang_normalize(\"%s\") is %s", tag ? tag : "NULL",
				     want ? want : "NULL");

	STR_EQ(got, want, what);
	g_free(what);
	g_free(got);
}

TEST(tags)
{
	norm_is("fr", "fr");
	norm_is("FR", "fr");
	norm_is("fr-CA", "fr");
	norm_is("pt_BR", "pt");
	norm_is(" de ", "de");
	norm_is("gsw", "gsw");
	norm_is("zh-Hant-TW", "zh");
	norm_is(NULL, NULL);
	norm_is("", NULL);
	norm_is("f", NULL);
	norm_is("french", NULL);
	norm_is("f1", NULL);
	norm_is("fr/../../etc", NULL);
	norm_is("fr de", NULL);
}

TEST(codes)
{
	const char *const langs[] = { "fr", "en", "de", "gsw", "zz", "aaa", NULL };

	for (int i = 0; langs[i]; i++) {
		char *back = lang_from_code(lang_code(langs[i]));

		STR_EQ(back, langs[i], "a language survives lang_code and lang_from_code");
		g_free(back);
	}
	OK(lang_code("fr") != lang_code("rf"), "the letters' order counts");
	INT_EQ(lang_code("f"), 0, "one letter is no language");
	INT_EQ(lang_code("FR"), 0, "upper case is not a stored language");
	INT_EQ(lang_code("fr1"), 0, "a digit is no letter");
	OK(lang_from_code(0) == NULL && lang_from_code(27) == NULL &&
	   lang_from_code(27 * 27 * 27 * 27) == NULL && lang_from_code(-1) == NULL,
	   "a number that is no language decodes to none");
}

TEST(plurals)
{
	OK(plural_is_one("en", 1) && !plural_is_one("en", 0) && !plural_is_one("en", 2),
	   "en: only 1 is singular (0 people)");
	OK(plural_is_one("fr", 1) && plural_is_one("fr", 0) && !plural_is_one("fr", 2),
	   "fr: 0 and 1 are singular (0 personne, 1 personne)");
	OK(plural_is_one("fr_CA", 0), "fr_CA follows fr");
}

TEST(language_of_mail)
{
	const char *top = g_getenv("PEERMAIL_TOP");
	char *dir = g_build_filename(top ? top : ".", "data", "intent", NULL);
	IntentPhrases *ph = intent_phrases_load(dir, NULL);
	char *l;

	OK(ph != NULL, "the phrase files load");
	l = intent_language(ph, "Oui, je signe avec plaisir !");
	STR_EQ(l, "fr", "\"Oui, je signe\" is French");
	g_free(l);
	l = intent_language(ph, "Yes, count me in.");
	STR_EQ(l, "en", "\"Yes, count me in\" is English");
	g_free(l);
	l = intent_language(ph, "ok");
	OK(l == NULL, "\"ok\" alone says no language (written the same in several)");
	g_free(l);
	l = intent_language(ph, "Xyzzy plugh.");
	OK(l == NULL, "words of no language: none");
	g_free(l);
	l = intent_language(ph, "Oui, je signe. Yes, count me in.");
	OK(l == NULL, "two languages at once: none (no confidence)");
	g_free(l);
	OK(intent_language(NULL, "oui") == NULL && intent_language(ph, NULL) == NULL,
	   "no phrases or no text: none");
	intent_phrases_free(ph);
	g_free(dir);
}

/* put - write path with text */
static void put(const char *dir, const char *file, const char *text)
{
	char *p = g_build_filename(dir, file, NULL);
	char *d = g_path_get_dirname(p);

	g_mkdir_with_parents(d, 0700);
	g_file_set_contents(p, text, -1, NULL);
	g_free(d);
	g_free(p);
}

/* body_of - the message composed from template name for a member of lang ("" if none) */
static char *body_of(const PmConfig *cfg, const char *name, const char *lang)
{
	ComposeOpts o = { .to = "ann@example.org", .lang = lang };
	GError *e = NULL;
	GBytes *b = compose_message(cfg, name, NULL, &o, &e);
	char *s;

	if (b == NULL) {
		printf("#   %s\n", e->message);
		g_error_free(e);
		return g_strdup("");
	}
	s = g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
	g_bytes_unref(b);
	return s;
}

TEST(fallback)
{
	char *tpl = g_build_filename(harness_tmpdir(), "langtpl", NULL);
	char *conf = g_build_filename(harness_tmpdir(), "lang.conf", NULL);
	char *text;
	PmConfig *cfg;
	GError *e = NULL;
	char *s;

	put(tpl, "en/a.txt", "Subject: A en\n\n{{! names: }}\nEnglish a\n{{> foot}}\n");
	put(tpl, "en/b.txt", "Subject: B en\n\n{{! names: }}\nEnglish b\n{{> foot}}\n");
	put(tpl, "en/c.txt", "Subject: C en\n\n{{! names: }}\nEnglish c\n{{> foot}}\n");
	put(tpl, "en/foot.mustache", "{{! names: }}\n-- en foot\n");
	put(tpl, "fr/a.txt", "Subject: A fr\n\n{{! names: }}\nVersion fr a\n{{> foot}}\n");
	put(tpl, "fr/foot.mustache", "{{! names: }}\n-- pied fr\n");
	put(tpl, "de/b.txt", "Subject: B de\n\n{{! names: }}\nDeutsch b\n{{> foot}}\n");
	text = g_strdup_printf("domain = \"act.test\"\ntemplates = \"%s\"\nlanguage = \"de\"\n"
			       "from = \"Team <team@act.test>\"\nsyslog = false\n", tpl);
	g_file_set_contents(conf, text, -1, NULL);
	cfg = config_load(conf, &e);
	OK(cfg != NULL, "a configuration with language = \"de\" loads");
	if (cfg == NULL) {
		printf("#   %s\n", e->message);
		g_error_free(e);
		goto out;
	}
	STR_EQ(cfg->language, "de", "the default language is the setting's");

	s = body_of(cfg, "a", "fr");
	OK(strstr(s, "Version fr a") && strstr(s, "pied fr") && strstr(s, "Subject: A fr"),
	   "a French member gets the French template, subject and footer");
	g_free(s);
	s = body_of(cfg, "b", "fr");
	OK(strstr(s, "Deutsch b") && strstr(s, "en foot") && !strstr(s, "pied fr"),
	   "missing in French: the default language's template, its footer from en");
	g_free(s);
	s = body_of(cfg, "c", "fr");
	OK(strstr(s, "English c") && strstr(s, "en foot"),
	   "missing in French and in the default: en");
	g_free(s);
	s = body_of(cfg, "a", NULL);
	OK(strstr(s, "English a"), "no language: the default language (de), which lacks it: en");
	g_free(s);
	s = body_of(cfg, "a", "../fr");
	OK(strstr(s, "English a"), "a language is a name, never a path");
	g_free(s);
	OK(compose_has_language(cfg, "fr") && !compose_has_language(cfg, "it") &&
	   !compose_has_language(cfg, "../en"), "compose_has_language");
	s = compose_languages(cfg);
	STR_EQ(s, "de, en, fr", "compose_languages lists the folders");
	g_free(s);
	config_free(cfg);
	g_file_set_contents(conf, "domain = \"act.test\"\nlanguage = \"french\"\n", -1, NULL);
	cfg = config_load(conf, &e);
	OK(cfg == NULL && e && strstr(e->message, "language"), "language = \"french\" is refused");
	g_clear_error(&e);
	config_free(cfg);
out:
	g_free(text);
	g_free(conf);
	g_free(tpl);
}

int main(void)
{
	g_mime_init();
	RUN(tags);
	RUN(codes);
	RUN(plurals);
	RUN(language_of_mail);
	RUN(fallback);
	return harness_done();
}
