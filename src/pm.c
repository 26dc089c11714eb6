/*
 * pm.c - shared helpers: error quark and clock.
 */
#include "pm.h"

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
