/*
 * rules.c - reading the compiled-in pattern files (format in rules.h).
 *
 * Owns: splitting a rules file into PmRule, joining one kind's patterns into one regex,
 * naming the rule that matched. Not: the patterns (rules/), nor what they mean.
 *
 * DIAGNOSTICS: an invalid pattern is a g_warning naming the file and line at load (a test
 * loads every file, so it cannot ship).
 */
#include <string.h>
#include "mail/rules.h"

/* rules_load - every rule of files, in order; the result lives for the process */
GPtrArray *rules_load(const PmRuleFile *files, gboolean each)
{
	GPtrArray *out = g_ptr_array_new();

	for (const PmRuleFile *f = files; f->name; f++) {
		char **lines = g_strsplit(f->text, "\n", -1);

		for (int i = 0; lines[i]; i++) {
			char *l = g_strstrip(lines[i]);
			char *sp;
			PmRule *r;
			GError *err = NULL;

			if (*l == '\0' || *l == '#')
				continue;
			sp = l + strcspn(l, " \t");
			if (*sp == '\0')
				continue;
			*sp++ = '\0';
			while (*sp == ' ' || *sp == '\t')
				sp++;
			r = g_new0(PmRule, 1);
			r->file = f->name;
			r->kind = g_strdup(l);
			r->pattern = g_strdup(sp);
			r->ok = TRUE;
			if (each && (r->re = g_regex_new(sp, G_REGEX_CASELESS, 0, &err)) == NULL) {
				r->ok = FALSE;
				g_warning("rules %s line %d: %s", f->name, i + 1, err->message);
				g_error_free(err);
			}
			g_ptr_array_add(out, r);
		}
		g_strfreev(lines);
	}
	return out;
}

/* rules_alternation - "(?:p1)|(?:p2)..." of kind's valid patterns, or NULL; caller frees */
char *rules_alternation(const GPtrArray *rules, const char *kind)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < rules->len; i++) {
		const PmRule *r = g_ptr_array_index(rules, i);

		if (r->ok && strcmp(r->kind, kind) == 0)
			g_string_append_printf(s, "%s(?:%s)", s->len ? "|" : "", r->pattern);
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* rules_join - one caseless GRegex for any pattern of kind, or NULL; caller unrefs */
GRegex *rules_join(const GPtrArray *rules, const char *kind)
{
	char *alt = rules_alternation(rules, kind);
	GRegex *re = alt ? g_regex_new(alt, G_REGEX_CASELESS, 0, NULL) : NULL;

	g_free(alt);
	return re;
}

/* rules_which - the first rule of kind matching s, or NULL */
const PmRule *rules_which(const GPtrArray *rules, const char *kind, const char *s)
{
	for (guint i = 0; s && i < rules->len; i++) {
		const PmRule *r = g_ptr_array_index(rules, i);

		if (r->re && strcmp(r->kind, kind) == 0 && g_regex_match(r->re, s, 0, NULL))
			return r;
	}
	return NULL;
}
