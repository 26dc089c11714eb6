/*
 * plural.h - which plural form a number takes in a language.
 *
 * Owns: the plural rules, as data: each language's GNU gettext "Plural-Forms" family
 * (the gettext manual's table: English, German, Spanish... "nplurals=2; plural=(n != 1)";
 * French, Brazilian Portuguese "nplurals=2; plural=(n > 1)"; Japanese, Chinese...
 * "nplurals=1; plural=0"). Not: the words (templates pick them with the *_one flags the
 * callers add to template data).
 */
#ifndef PM_PLURAL_H
#define PM_PLURAL_H

#include <glib.h>

/* plural_is_one - whether n takes the singular ("one") form in lang ("en", "fr", "fr_CA";
 * NULL or unknown: English) */
gboolean plural_is_one(const char *lang, gint64 n);

#endif
