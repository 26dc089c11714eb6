/* test_lazylib.c - optional libraries loaded on first use (src/base/lazylib.c) */
#include <sysexits.h>
#include "harness.h"
#include "base/lazylib.h"
#include "base/pm.h"

TEST(loads_real_library)
{
	gpointer init = NULL, read = NULL;
	const LazySym syms[] = { { "xmlInitParser", &init }, { "htmlReadMemory", &read },
				 { NULL, NULL } };
	LazyLib lib = { PM_LIBXML2_SONAME, syms, 0, NULL };
	GError *e = NULL;

	OK(lazylib_load(&lib, &e), "libxml2 loads by its soname");
	OK(init != NULL && read != NULL, "every slot is filled");
	OK(lazylib_load(&lib, &e), "a second call returns the first outcome");
	g_clear_error(&e);
}

TEST(missing_library)
{
	gpointer f = NULL;
	const LazySym syms[] = { { "nothing", &f }, { NULL, NULL } };
	LazyLib lib = { "libpeermail-does-not-exist.so.9", syms, 0, NULL };
	GError *e = NULL;

	OK(!lazylib_load(&lib, &e), "a missing library fails");
	OK(e && e->domain == PM_ERROR && e->code == EX_UNAVAILABLE, "with EX_UNAVAILABLE");
	OK(e && strstr(e->message, "libpeermail-does-not-exist.so.9"), "naming the library");
	g_clear_error(&e);
	OK(!lazylib_load(&lib, &e) && e, "and fails the same way the next time");
	g_clear_error(&e);
	g_free(lib.why);
}

TEST(missing_symbol)
{
	gpointer init = NULL, bogus = NULL;
	const LazySym syms[] = { { "xmlInitParser", &init }, { "xmlNoSuchFunction42", &bogus },
				 { NULL, NULL } };
	LazyLib lib = { PM_LIBXML2_SONAME, syms, 0, NULL };
	GError *e = NULL;

	OK(!lazylib_load(&lib, &e), "a missing symbol fails the whole library");
	OK(e && strstr(e->message, "xmlNoSuchFunction42"), "naming the symbol");
	OK(init == NULL, "no slot is left half-filled");
	g_clear_error(&e);
	g_free(lib.why);
}

int main(void)
{
	RUN(loads_real_library);
	RUN(missing_library);
	RUN(missing_symbol);
	return harness_done();
}
