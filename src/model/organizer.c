/*
 * organizer.c - who the organizers are (organizer.h).
 */
#include <string.h>
#include "mail/address.h"
#include "model/organizer.h"

/* add_all - append the normalized addresses of v to out, skipping repeats and unusable ones */
static void add_all(const PmConfig *cfg, char **v, GPtrArray *out)
{
	for (int i = 0; v && v[i]; i++) {
		char *a = address_normalize(cfg, v[i]);

		if (a && !g_ptr_array_find_with_equal_func(out, a, g_str_equal, NULL))
			g_ptr_array_add(out, a);
		else
			g_free(a);
	}
}

/* organizer_list - global ones, then the list's (or every list's), else the From mailbox */
GPtrArray *organizer_list(const PmConfig *cfg, const char *list)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	add_all(cfg, cfg->organizers, out);
	for (guint i = 0; cfg->lists && i < cfg->lists->len; i++) {
		const PmListConf *l = g_ptr_array_index(cfg->lists, i);

		if (list == NULL || g_ascii_strcasecmp(l->name, list) == 0)
			add_all(cfg, l->organizers, out);
	}
	if (out->len == 0) {
		char *from = config_from_address(cfg);
		char *a = address_normalize(cfg, from);

		g_ptr_array_add(out, a ? a : g_strdup(from));
		g_free(from);
	}
	return out;
}

/* organizer_is - addr normalized, then looked up in organizer_list */
gboolean organizer_is(const PmConfig *cfg, const char *list, const char *addr)
{
	char *a = address_normalize(cfg, addr);
	GPtrArray *orgs;
	gboolean found;

	if (a == NULL)
		return FALSE;
	orgs = organizer_list(cfg, list);
	found = g_ptr_array_find_with_equal_func(orgs, a, g_str_equal, NULL);
	g_ptr_array_unref(orgs);
	g_free(a);
	return found;
}
