/*
 * organizer.c - who the organizers are (organizer.h).
 */
#include <string.h>
#include "mail/address.h"
#include "model/organizer.h"

/* same_key - TRUE when a and b normalize to the same key */
static gboolean same_key(const PmConfig *cfg, const char *a, const char *b)
{
	char *ka = address_normalize(cfg, a), *kb = address_normalize(cfg, b);
	gboolean same = ka && kb && strcmp(ka, kb) == 0;

	g_free(ka);
	g_free(kb);
	return same;
}

/* add_all - append the addresses of v as given to out, skipping repeats (by the normalized
 * key) and unusable ones */
static void add_all(const PmConfig *cfg, char **v, GPtrArray *out)
{
	for (int i = 0; v && v[i]; i++) {
		char *a = address_given(v[i]);
		gboolean seen = FALSE;

		for (guint j = 0; a && !seen && j < out->len; j++)
			seen = same_key(cfg, a, g_ptr_array_index(out, j));
		if (a && !seen)
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
		char *a = address_given(from);

		g_ptr_array_add(out, a ? a : g_strdup(from));
		g_free(from);
	}
	return out;
}

/* organizer_is - addr compared by its normalized key with organizer_list */
gboolean organizer_is(const PmConfig *cfg, const char *list, const char *addr)
{
	GPtrArray *orgs;
	gboolean found = FALSE;

	if (addr == NULL)
		return FALSE;
	orgs = organizer_list(cfg, list);
	for (guint i = 0; !found && i < orgs->len; i++)
		found = same_key(cfg, addr, g_ptr_array_index(orgs, i));
	g_ptr_array_unref(orgs);
	return found;
}
