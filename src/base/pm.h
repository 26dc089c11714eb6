/*
 * pm.h - what every peermail module shares: the error domain and a few tiny helpers.
 *
 * Errors are GErrors in PM_ERROR whose code is the sysexits.h value the command should
 * exit with (EX_USAGE, EX_DATAERR, EX_NOUSER, EX_TEMPFAIL, EX_CONFIG, ...). Only main()
 * turns an error into an exit code; modules just say what kind of failure it is.
 *
 * THREADS: any thread.
 */
#ifndef PM_H
#define PM_H

#include <glib.h>
#include <stdint.h>
#include <sysexits.h>

#define PM_ERROR (pm_error_quark())
GQuark pm_error_quark(void);

/* pm_now - seconds since the epoch (wall clock) */
gint64 pm_now(void);

/* pm_time_iso - format a unix time as ISO 8601 UTC ("2026-11-26T06:00:00Z"); caller frees */
char *pm_time_iso(gint64 t);

/*
 * pm_clean_text - the one text-cleaning rule for names, subjects and other one-line values
 * from outside: invalid UTF-8 repaired (U+FFFD), C0 controls and DEL turned into spaces,
 * then trimmed; NULL when s is NULL or nothing is left. Caller frees.
 */
char *pm_clean_text(const char *s);

/* pm_clean_text_len - pm_clean_text of the first max bytes of s (-1: all of it); caller frees */
char *pm_clean_text_len(const char *s, gssize max);

/*
 * pm_clean_name - the cleaning of every stored name (members, targets, imported
 * signatures): pm_clean_text, then Unicode format characters (category Cf: U+202E
 * right-to-left override, zero-width characters, ...) dropped and the other controls
 * (C1) and U+2028/U+2029 turned into spaces, trimmed; NULL when nothing is left. Names
 * go into To: display names and pages. Caller frees.
 */
char *pm_clean_name(const char *s);

/*
 * pm_name_index - the index of s in names (a state's name table, n entries), or -1 when s
 * is NULL or not in the table. The model's *_parse functions share it.
 */
int pm_name_index(const char *const *names, gsize n, const char *s);

#endif
