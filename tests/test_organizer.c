/* test_organizer.c - who the organizers are (model/organizer): of a list, of everything,
 * each once by the normalized key but written as configured, and the From mailbox when none is configured */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "model/organizer.h"

/* load - a configuration with extra lines; exits on error */
static PmConfig *load(const char *extra)
{
	char *path = g_build_filename(harness_tmpdir(), "organizer.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\nfrom = \"Campaign Team <Team@Act.Test>\"\n"
				     "syslog = false\n%s\n", extra);
	GError *e = NULL;
	PmConfig *cfg;

	g_file_set_contents(path, text, -1, NULL);
	cfg = config_load(path, &e);
	if (cfg == NULL) {
		printf("not ok - config: %s\n", e->message);
		exit(1);
	}
	g_free(text);
	g_free(path);
	return cfg;
}

/* joined - organizer_list(cfg, list) as "a,b,c"; caller frees */
static char *joined(const PmConfig *cfg, const char *list)
{
	GPtrArray *a = organizer_list(cfg, list);
	char *s;

	g_ptr_array_add(a, NULL);
	s = g_strjoinv(",", (char **)a->pdata);
	g_ptr_array_unref(a);
	return s;
}

/* list_is - organizer_list(cfg, list) compared with want */
static void list_is(const PmConfig *cfg, const char *list, const char *want, const char *what)
{
	char *got = joined(cfg, list);

	STR_EQ(got, want, what);
	g_free(got);
}

TEST(lists_and_global)
{
	PmConfig *cfg = load("organizers = { \"org@example.net\" }\n"
			     "normalize { gmail_dots = true }\n"
			     "list \"news\" { organizers = { \"Boss@Example.NET\", \"org@example.net\" } }\n"
			     "list \"local\" { organizers = { \"J.Doe@gmail.com\" } }\n"
			     "list \"quiet\" { }\n");

	list_is(cfg, NULL, "org@example.net,boss@example.net,j.doe@gmail.com",
		"of everything: the global ones, then every list's, each once (by the normalized "
		"key), dots and +tags as configured (mail goes there)");
	list_is(cfg, "news", "org@example.net,boss@example.net", "of a list: the global ones and its own");
	list_is(cfg, "NEWS", "org@example.net,boss@example.net", "list names are case-insensitive");
	list_is(cfg, "local", "org@example.net,j.doe@gmail.com", "another list");
	list_is(cfg, "quiet", "org@example.net", "a list without its own: the global ones");
	list_is(cfg, "nosuch", "org@example.net", "an unknown list: the global ones");

	OK(organizer_is(cfg, "news", "BOSS@example.net"), "a list's organizer, in any case");
	OK(!organizer_is(cfg, "local", "boss@example.net"), "... organizes that list only");
	OK(organizer_is(cfg, NULL, "boss@example.net"), "... and counts for everything");
	OK(organizer_is(cfg, "local", "j.d.o.e@googlemail.com"), "normalized like a member's address");
	OK(organizer_is(cfg, "quiet", " <org@example.net> "), "a global organizer organizes every list");
	OK(!organizer_is(cfg, NULL, "stranger@example.org"), "a stranger is not one");
	OK(!organizer_is(cfg, NULL, "team@act.test"), "the From mailbox is not one when some are configured");
	OK(!organizer_is(cfg, NULL, NULL), "no address: no");
	OK(!organizer_is(cfg, NULL, "not an address"), "not an address: no");
	config_free(cfg);
}

TEST(fallback_to_from)
{
	PmConfig *cfg = load("list \"news\" { }\n");

	list_is(cfg, NULL, "team@act.test", "none configured: the From mailbox");
	list_is(cfg, "news", "team@act.test", "none for the list either: the From mailbox");
	OK(organizer_is(cfg, NULL, "Team@act.test"), "the From mailbox is then an organizer");
	OK(organizer_is(cfg, "news", "team@act.test"), "of every list");
	config_free(cfg);

	{
		/* an unusable entry is refused at load, naming it (it was silently left out:
		 * a typo quietly made someone no organizer) */
		char *path = g_build_filename(harness_tmpdir(), "bad-organizer.conf", NULL);
		GError *e = NULL;

		g_file_set_contents(path, "domain = \"act.test\"\nsyslog = false\n"
				    "organizers = { \"not an address\", \"ok@example.org\" }\n", -1, NULL);
		OK(config_load(path, &e) == NULL, "an unusable organizer: the configuration is refused");
		INT_EQ(e ? e->code : 0, 78, "as a configuration error (78)");
		OK(e && strstr(e->message, "'not an address' is not a plain mail address"),
		   "naming the entry");
		g_clear_error(&e);
		g_free(path);
	}
	cfg = load("organizers = { }\nlist \"news\" { organizers = { \"n@example.org\" } }\n");
	list_is(cfg, NULL, "n@example.org", "a list's organizers are enough: no fallback");
	list_is(cfg, "other", "team@act.test", "but a list with none and no global ones falls back");
	config_free(cfg);
}

int main(void)
{
	RUN(lists_and_global);
	RUN(fallback_to_from);
	return harness_done();
}
