/* test_plural.c - base/plural: gettext's Plural-Forms families per language */
#include "base/plural.h"
#include "harness.h"

TEST(english_like)
{
	OK(plural_is_one("en", 1), "en: 1 is one");
	OK(!plural_is_one("en", 0), "en: 0 is other (0 people)");
	OK(!plural_is_one("en", 2), "en: 2 is other");
	OK(!plural_is_one("de", 21), "de: 21 is other");
	OK(plural_is_one(NULL, 1) && !plural_is_one(NULL, 5), "no language: English");
	OK(plural_is_one("xx", 1) && !plural_is_one("xx", 0), "unknown language: English");
}

TEST(french_like)
{
	OK(plural_is_one("fr", 0), "fr: 0 is one (0 personne a signé)");
	OK(plural_is_one("fr", 1), "fr: 1 is one");
	OK(!plural_is_one("fr", 2), "fr: 2 is other");
	OK(plural_is_one("fr_CA", 1) && !plural_is_one("fr-BE", 3), "regional tags fall back to the language");
	OK(plural_is_one("pt_BR", 0) && !plural_is_one("pt", 0), "pt_BR is n > 1, pt is n != 1");
	OK(plural_is_one("ja", 7), "ja: one form only");
}

int main(void)
{
	RUN(english_like);
	RUN(french_like);
	return harness_done();
}
