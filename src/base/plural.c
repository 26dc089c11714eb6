/*
 * plural.c - plural forms per language (GNU gettext Plural-Forms families as data).
 *
 * Owns: the language -> family table and each family's rule. Not: words, templates.
 */
#include <string.h>
#include "base/plural.h"

typedef enum {
	PLURAL_N_NE_1,    /* nplurals=2; plural=(n != 1): one is 1 */
	PLURAL_N_GT_1,    /* nplurals=2; plural=(n > 1): one is 0 and 1 */
	PLURAL_ONLY_ONE   /* nplurals=1; plural=0: no plural, the "one" form always */
} PluralFamily;

static const struct { const char *lang; PluralFamily family; } families[] = {
	{ "en", PLURAL_N_NE_1 }, { "de", PLURAL_N_NE_1 }, { "nl", PLURAL_N_NE_1 },
	{ "es", PLURAL_N_NE_1 }, { "it", PLURAL_N_NE_1 }, { "pt", PLURAL_N_NE_1 },
	{ "sv", PLURAL_N_NE_1 }, { "da", PLURAL_N_NE_1 }, { "nb", PLURAL_N_NE_1 },
	{ "fi", PLURAL_N_NE_1 }, { "el", PLURAL_N_NE_1 }, { "hu", PLURAL_N_NE_1 },
	{ "fr", PLURAL_N_GT_1 }, { "pt_BR", PLURAL_N_GT_1 },
	{ "ja", PLURAL_ONLY_ONE }, { "zh", PLURAL_ONLY_ONE }, { "ko", PLURAL_ONLY_ONE },
	{ "vi", PLURAL_ONLY_ONE }, { "th", PLURAL_ONLY_ONE },
};

/* family_of - lang's family: the full tag first (pt_BR), then its language (fr_CA -> fr) */
static PluralFamily family_of(const char *lang)
{
	gsize base;

	if (lang == NULL)
		return PLURAL_N_NE_1;
	for (gsize i = 0; i < G_N_ELEMENTS(families); i++)
		if (g_ascii_strcasecmp(families[i].lang, lang) == 0)
			return families[i].family;
	base = strcspn(lang, "_-");
	for (gsize i = 0; i < G_N_ELEMENTS(families); i++)
		if (strlen(families[i].lang) == base &&
		    g_ascii_strncasecmp(families[i].lang, lang, base) == 0)
			return families[i].family;
	return PLURAL_N_NE_1;
}

/* plural_is_one - whether n takes the "one" form in lang */
gboolean plural_is_one(const char *lang, gint64 n)
{
	switch (family_of(lang)) {
	case PLURAL_N_GT_1: return n == 0 || n == 1;
	case PLURAL_ONLY_ONE: return TRUE;
	case PLURAL_N_NE_1: default: return n == 1;
	}
}
