/*
 * pm.c - shared helpers: error quark, clock, and the one text-cleaning rule (pm_clean_text;
 * for names, pm_clean_name).
 */
#include <string.h>
#include "base/pm.h"

G_DEFINE_QUARK(peermail-error-quark, pm_error)

/* pm_now - seconds since the epoch */
gint64 pm_now(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* pm_time_iso - unix time to ISO 8601 UTC */
char *pm_time_iso(gint64 t)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(t);
	char *s;

	if (dt == NULL)
		return g_strdup("");
	s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(dt);
	return s;
}

/* pm_clean_text - repaired, controls to spaces, trimmed; NULL when empty */
char *pm_clean_text(const char *s)
{
	return pm_clean_text_len(s, -1);
}

/* pm_clean_text_len - the same rule on at most max bytes of s, cut at a character
 * boundary (a character the cut would split goes whole) */
char *pm_clean_text_len(const char *s, gssize max)
{
	gsize len;
	char *c;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (max >= 0 && (gsize)max < len) {
		len = (gsize)max;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	c = g_utf8_make_valid(s, (gssize)len);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	g_strstrip(c);
	if (*c == '\0')
		g_clear_pointer(&c, g_free);
	return c;
}

/* pm_clean_name - pm_clean_text, then format characters (Cf: bidi overrides, zero-width
 * space, BOM, tags; not the joiners U+200C/U+200D names are spelt with) dropped and the other
 * controls (C1) and line or paragraph separators turned into spaces, trimmed again */
char *pm_clean_name(const char *s)
{
	char *c = pm_clean_text(s);
	GString *out;

	if (c == NULL)
		return NULL;
	out = g_string_sized_new(strlen(c));
	for (const char *p = c; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);

		switch (g_unichar_type(u)) {
		case G_UNICODE_FORMAT:
			/* the joiners are part of spelling (Persian, Urdu, Indic names) */
			if (u == 0x200c || u == 0x200d)
				g_string_append_unichar(out, u);
			break;
		case G_UNICODE_CONTROL:
		case G_UNICODE_LINE_SEPARATOR:
		case G_UNICODE_PARAGRAPH_SEPARATOR:
			g_string_append_c(out, ' ');
			break;
		default:
			g_string_append_unichar(out, u);
		}
	}
	g_free(c);
	c = g_string_free(out, FALSE);
	g_strstrip(c);
	if (*c == '\0')
		g_clear_pointer(&c, g_free);
	return c;
}

/* pm_name_index - position of s in a name table, -1 when absent */
int pm_name_index(const char *const *names, gsize n, const char *s)
{
	for (gsize i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}
