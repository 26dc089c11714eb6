/*
 * lazylib.c - loads the optional shared libraries of lazylib.h (GModule), once each.
 *
 * A library is opened with its versioned soname (so the ABI is the one the headers were
 * compiled against) and local binding (its symbols do not leak into the global scope);
 * it stays loaded until the process exits.
 */
#include <gmodule.h>
#include <sysexits.h>
#include "base/lazylib.h"
#include "base/pm.h"

static GMutex lazy_lock;

/* resolve - open lib and fill every slot; NULL on success, else why (caller frees) */
static char *resolve(const LazyLib *lib)
{
	GModule *mod = g_module_open(lib->soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

	if (mod == NULL)
		return g_strdup(g_module_error());
	for (const LazySym *s = lib->syms; s->name; s++) {
		if (!g_module_symbol(mod, s->name, s->slot) || *s->slot == NULL) {
			char *why = g_strdup_printf("symbol %s not found", s->name);

			for (const LazySym *t = lib->syms; t->name; t++)
				*t->slot = NULL;
			g_module_close(mod);
			return why;
		}
	}
	g_module_make_resident(mod);
	return NULL;
}

gboolean lazylib_load(LazyLib *lib, GError **error)
{
	gint state = g_atomic_int_get(&lib->state);

	if (state == 0) {
		g_mutex_lock(&lazy_lock);
		if ((state = lib->state) == 0) {
			lib->why = resolve(lib);
			state = lib->why ? -1 : 1;
			g_atomic_int_set(&lib->state, state);
		}
		g_mutex_unlock(&lazy_lock);
	}
	if (state < 0) {
		g_set_error(error, PM_ERROR, EX_UNAVAILABLE, "cannot load %s: %s (is it installed?)",
			    lib->soname, lib->why);
		return FALSE;
	}
	return TRUE;
}
