/*
 * rules.h - pattern files compiled in from the tree's rules/ folder (contrib/embed-rules.sh,
 * run by the Makefile): rules/bounce/NAME.rules for bounce.c (one file per MTA, service or
 * language), rules/reply/LANG.rules for replytext.c (one file per language).
 *
 * Owns: the file format and its reader. A rules file is lines "KIND PATTERN" (KIND one
 * word, then blanks, then a GRegex pattern to the end of the line); '#' lines and blank
 * lines are comments, and each file starts with a "# source:" comment saying where its
 * phrases come from. Not: what a KIND means (the module that loads the set).
 *
 * Why compiled in: `peermail receive` runs once per message and must not depend on an
 * installed data folder being present and readable (a missing file would silently lose
 * rules); adding a language or an MTA is still adding one file under rules/ and rebuilding.
 */
#ifndef PM_RULES_H
#define PM_RULES_H

#include <glib.h>

typedef struct {
	const char *name;   /* the file's base name, e.g. "exim.rules" */
	const char *text;   /* its contents */
} PmRuleFile;

typedef struct {
	const char *file;   /* the file it came from (static) */
	char *kind;
	char *pattern;
	GRegex *re;         /* compiled with G_REGEX_CASELESS (when loaded with each); else NULL */
	gboolean ok;        /* usable: compiled, or not compiled one by one */
} PmRule;

/* The bounce rule files (generated build/gen/bounce_rules.c), ended by { NULL, NULL }. */
extern const PmRuleFile pm_bounce_rules[];
/* The reply rule files, one per language (build/gen/reply_rules.c). */
extern const PmRuleFile pm_reply_rules[];

/* rules_load - every rule of files, in file then line order; with each, every pattern is also
 * compiled on its own (for rules_which; an invalid one is logged and not ok), without, none
 * is (cheaper: a process reading one message only needs the joined patterns); never fails;
 * the result lives for the process */
GPtrArray *rules_load(const PmRuleFile *files, gboolean each);

/* rules_join - one caseless GRegex matching any pattern of kind in rules, or NULL when none;
 * caller unrefs */
GRegex *rules_join(const GPtrArray *rules, const char *kind);

/* rules_alternation - "(?:p1)|(?:p2)..." of the valid patterns of kind, or NULL when none;
 * caller frees */
char *rules_alternation(const GPtrArray *rules, const char *kind);

/* rules_which - the first rule of kind matching s, or NULL (rules loaded with each) */
const PmRule *rules_which(const GPtrArray *rules, const char *kind, const char *s);

#endif
