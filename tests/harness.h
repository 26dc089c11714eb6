/*
 * harness.h - a tiny TAP test harness for peermail's unit tests (after cmark's).
 *
 *   TEST(name) { OK(cond, "what"); STR_EQ(got, want, "what"); INT_EQ(got, want, "what"); }
 *   int main(void) { RUN(name); ...; return harness_done(); }
 *
 * Prints "ok N - what" / "not ok N - what" lines; tests/run-tests.sh counts them.
 * A test needing a temporary folder calls harness_tmpdir() (removed at exit).
 */
#ifndef PM_HARNESS_H
#define PM_HARNESS_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_n, harness_failed;
static char *harness_dir;

static void harness_report(int pass, const char *file, int line, const char *what,
			   const char *detail)
{
	harness_n++;
	if (pass) {
		printf("ok %d - %s\n", harness_n, what);
	} else {
		harness_failed++;
		printf("not ok %d - %s\n#   at %s:%d%s%s\n", harness_n, what, file, line,
		       detail ? ": " : "", detail ? detail : "");
	}
	fflush(stdout);
}

#define OK(cond, what) harness_report(!!(cond), __FILE__, __LINE__, (what), NULL)

#define STR_EQ(got, want, what) do { \
	const char *g_ = (got), *w_ = (want); \
	int p_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0); \
	char *d_ = p_ ? NULL : g_strdup_printf("got \"%s\", want \"%s\"", \
		g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	harness_report(p_, __FILE__, __LINE__, (what), d_); \
	g_free(d_); \
} while (0)

#define INT_EQ(got, want, what) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	char *d_ = g_ == w_ ? NULL : g_strdup_printf("got %lld, want %lld", g_, w_); \
	harness_report(g_ == w_, __FILE__, __LINE__, (what), d_); \
	g_free(d_); \
} while (0)

#define SKIP(what, why) do { harness_n++; \
	printf("ok %d - %s # SKIP %s\n", harness_n, (what), (why)); } while (0)

/* TODO_MISS - a known miss (TAP "not ok # TODO"): shown, not counted as a failure */
#define TODO_MISS(what, why) do { harness_n++; \
	printf("not ok %d - %s # TODO %s\n", harness_n, (what), (why)); } while (0)

#define TEST(name) static void name(void)
#define RUN(name) do { printf("# %s\n", #name); name(); } while (0)

static void harness_rm(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *e;

	if (d) {
		while ((e = g_dir_read_name(d)) != NULL) {
			char *p = g_build_filename(path, e, NULL);
			if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
				harness_rm(p);
			else
				g_unlink(p);
			g_free(p);
		}
		g_dir_close(d);
	}
	g_rmdir(path);
}

/* harness_tmpdir - a fresh temporary folder for this test program */
static inline const char *harness_tmpdir(void)
{
	if (harness_dir == NULL)
		harness_dir = g_dir_make_tmp("peermail-test-XXXXXX", NULL);
	return harness_dir;
}

/* harness_data - path of a fixture under tests/data; caller frees */
static inline char *harness_data(const char *name)
{
	const char *top = g_getenv("PEERMAIL_TOP");
	return g_build_filename(top ? top : ".", "tests", "data", name, NULL);
}

static inline int harness_done(void)
{
	if (harness_dir) {
		harness_rm(harness_dir);
		g_free(harness_dir);
	}
	printf("1..%d\n", harness_n);
	return harness_failed ? 1 : 0;
}

#endif
