/*
 * lang.c - language tags (BCP 47, RFC 5646): the primary language subtag.
 *
 * Owns: lang_normalize. Extended language, script, region and variant subtags are dropped:
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
