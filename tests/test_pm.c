/* test_pm.c - the shared helpers of base/pm: the one text-cleaning rule (pm_clean_text) */
#include "base/pm.h"
#include "harness.h"

/* clean - pm_clean_text(in) compared with want */
static void clean(const char *in, const char *want, const char *what)
{
	char *got = pm_clean_text(in);

	STR_EQ(got, want, what);
	g_free(got);
}

TEST(clean_text)
{
	clean("  Jane Roe  ", "Jane Roe", "trimmed");
	clean("Jane\r\nBcc: x@y.test", "Jane  Bcc: x@y.test", "CR and LF become spaces");
	clean("Jane\tRoe\x7f", "Jane Roe", "tab and DEL become spaces, then trimmed");
	clean("\x01\x02Jane\x1b", "Jane", "controls at the ends are trimmed after they became spaces");
	clean("Jos\xe9", "Jos\xef\xbf\xbd", "invalid UTF-8 is repaired with U+FFFD");
	clean("Zo\xc3\xab", "Zo\xc3\xab", "valid UTF-8 is kept");
	clean("", NULL, "empty: NULL");
	clean(" \t\r\n\x01 ", NULL, "only blanks and controls: NULL");
	clean(NULL, NULL, "NULL: NULL");
}

TEST(clean_text_len)
{
	char *got = pm_clean_text_len("Jane Roe", 4);

	STR_EQ(got, "Jane", "cut at max bytes");
	g_free(got);
	got = pm_clean_text_len("Zo\xc3\xab", 3);
	STR_EQ(got, "Zo\xef\xbf\xbd", "a character cut in two is repaired");
	g_free(got);
	got = pm_clean_text_len(" \x01x\x02 ", -1);
	STR_EQ(got, "x", "-1: the whole string, same rule");
	g_free(got);
	got = pm_clean_text_len("abc", 0);
	OK(got == NULL, "nothing left: NULL");
	g_free(got);
}

int main(void)
{
	RUN(clean_text);
	RUN(clean_text_len);
	return harness_done();
}
