/*
 * pm.c - shared helpers: error quark and clock.
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

/* pm_clean_text - trimmed, controls to spaces, valid UTF-8, NULL when empty */
char *pm_clean_text(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = g_strstrip(g_strdup(s));
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (!g_utf8_validate(c, -1, NULL)) {
		char *v = g_utf8_make_valid(c, -1);

		g_free(c);
		c = v;
	}
	if (*c == '\0') {
		g_free(c);
		return NULL;
	}
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
