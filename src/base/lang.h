/*
 * lang.h - language tags: the one rule for what peermail stores as a member's language.
 *
 * Owns: reading a BCP 47 tag ("fr", "fr-CA", "FR_ca", "pt-BR") down to its primary
 * language subtag, lower case ("fr", "pt"), the form stored in members.lang, newsletter
 * bodies and template folders. Not: which languages have templates (compose), plural
 * rules (plural), recognising the language of a text (mail/intent).
 */
#ifndef PM_LANG_H
#define PM_LANG_H

#include <glib.h>

/* lang_normalize - the primary subtag of tag (2 or 3 ASCII letters, lower case), or NULL
 * when tag is NULL, empty or not a language tag ("*", "french", "f1"); caller frees */
char *lang_normalize(const char *tag);

/* lang_code - a stored language ("fr") as a number (a token's object), 0 for anything
 * lang_normalize would not store as it is; lang_from_code reverses it (NULL for a number
 * that is no language); caller frees */
gint64 lang_code(const char *lang);
char *lang_from_code(gint64 code);

#endif
