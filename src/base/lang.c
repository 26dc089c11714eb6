/*
 * lang.c - language tags (BCP 47, RFC 5646): the primary language subtag.
 *
 * Owns: lang_normalize, and a stored language as a number (lang_code) for tokens. Extended language, script, region and variant subtags are dropped:
 * templates, plural rules and intent phrases are per language, not per region.
 */
#include <string.h>
#include "base/lang.h"

/* lang_normalize - "fr-CA" -> "fr"; NULL for anything that is no language tag */
char *lang_normalize(const char *tag)
{
	gsize n;

	if (tag == NULL)
		return NULL;
	while (g_ascii_isspace(*tag))
		tag++;
	n = strcspn(tag, "-_ \t\r\n");
	if (n < 2 || n > 3)
		return NULL;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalpha(tag[i]))
			return NULL;
	/* after the subtag: nothing, blanks, or more subtags */
	if (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_' && !g_ascii_isspace(tag[n]))
		return NULL;
	for (const char *p = tag + n; g_ascii_isspace(*p); p++)
		if (p[1] != '\0' && !g_ascii_isspace(p[1]))
			return NULL;
	return g_ascii_strdown(tag, (gssize)n);
}

/* lang_code - "fr" -> a base-27 number of its letters (a = 1), 0 when no stored language */
gint64 lang_code(const char *lang)
{
	gint64 code = 0;
	gsize n = lang ? strlen(lang) : 0;

	if (n < 2 || n > 3)
		return 0;
	for (gsize i = n; i-- > 0;) {
		if (lang[i] < 'a' || lang[i] > 'z')
			return 0;
		code = code * 27 + (lang[i] - 'a' + 1);
	}
	return code;
}

/* lang_from_code - the language lang_code made code from, or NULL; caller frees */
char *lang_from_code(gint64 code)
{
	char buf[4];
	int n = 0;

	while (code > 0 && n < 3) {
		if (code % 27 == 0)
			return NULL;
		buf[n++] = (char)('a' + code % 27 - 1);
		code /= 27;
	}
	if (code != 0 || n < 2)
		return NULL;
	buf[n] = '\0';
	return g_strdup(buf);
}
