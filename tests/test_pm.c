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
	STR_EQ(got, "Zo", "a character the cut would split goes whole (no U+FFFD)");
	g_free(got);
	got = pm_clean_text_len(" \x01x\x02 ", -1);
	STR_EQ(got, "x", "-1: the whole string, same rule");
	g_free(got);
	got = pm_clean_text_len("abc", 0);
	OK(got == NULL, "nothing left: NULL");
	g_free(got);
}

/* name - pm_clean_name(in) compared with want */
static void name(const char *in, const char *want, const char *what)
{
	char *got = pm_clean_name(in);

	STR_EQ(got, want, what);
	g_free(got);
}

TEST(clean_name)
{
	name("  Jane Roe ", "Jane Roe", "trimmed, as pm_clean_text");
	name("Jane\r\nBcc: x", "Jane  Bcc: x", "CR and LF become spaces");
	name("Eve \xe2\x80\xaeliM", "Eve liM", "U+202E (right-to-left override) is dropped");
	name("A\xe2\x80\x8b" "B\xef\xbb\xbf", "AB", "zero-width space and BOM (Cf) are dropped");
	name("\xd9\x85\xe2\x80\x8c\xd8\xb2 \xe0\xa4\x95\xe2\x80\x8d", "\xd9\x85\xe2\x80\x8c\xd8\xb2 \xe0\xa4\x95\xe2\x80\x8d",
	     "the joiners U+200C and U+200D, part of spelling, are kept");
	name("A\xc2\x85" "B\xe2\x80\xa8" "C", "A B C", "C1 controls and U+2028 become spaces");
	name("\xe2\x80\xae\xe2\x80\x8b", NULL, "only format characters: NULL");
	name("Zo\xc3\xab \xe5\xbc\xa0", "Zo\xc3\xab \xe5\xbc\xa0", "letters of any script are kept");
	name(NULL, NULL, "NULL: NULL");
}

int main(void)
{
	RUN(clean_text);
	RUN(clean_name);
	RUN(clean_text_len);
	return harness_done();
}
