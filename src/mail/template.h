/*
 * template.h - Mustache rendering (spec-conformant) and Markdown to HTML (cmark).
 *
 * Owns: the Mustache language (variables, escaping, sections, inverted sections,
 * comments, partials, set delimiters, dotted names, implicit iterator, standalone lines)
 * and the Markdown conversion. Not: which data a message gets (the callers build it) or
 * MIME (compose).
 *
 * Data is a json-glib JsonNode tree (objects, arrays, strings, numbers, booleans, null),
 * the same shape as the Mustache spec's test data.
 *
 * THREADS: a parsed template may be rendered by several threads at once; parsing and
 * freeing belong to one thread.
 */
#ifndef PM_TEMPLATE_H
#define PM_TEMPLATE_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* A partial's text by name, or NULL if there is none (renders as empty). Caller frees. */
typedef char *(*TemplatePartialFn)(const char *name, gpointer user);

/*
 * template_render - render src with data. partials may be NULL. {{x}} is HTML-escaped
 * when escape_html is TRUE (HTML parts, spec tests) and left as is otherwise (text/plain
 * parts, headers). Returns a new string, or NULL with an EX_DATAERR error naming the line
 * of a syntax error (unclosed tag or section, mismatched section end).
 */
char *template_render(const char *src, JsonNode *data, gboolean escape_html,
		      TemplatePartialFn partials, gpointer user, GError **error);

/*
 * Parsed templates. A Template is immutable once parsed and reference-counted, so one
 * parsed template may be rendered by several threads at once (compose caches them).
 */
typedef struct _Template Template;

/* Nesting bound for sections and partials (hostile or recursive templates). */
#define TEMPLATE_MAX_DEPTH 100
/* Output bound: a render that grows past this fails instead of eating memory. */
#define TEMPLATE_MAX_OUTPUT (32 * 1024 * 1024)

/* template_parse - parse src; NULL with an EX_DATAERR error naming the line. Caller unrefs. */
Template *template_parse(const char *src, GError **error);

/* template_check - src is valid Mustache (stored now, rendered later: a newsletter's or an
 * update's subject and body); else FALSE with EX_DATAERR "the WHAT: ..." naming the line */
gboolean template_check(const char *src, const char *what, GError **error);

/* template_ref - one more reference to t; returns t */
Template *template_ref(Template *t);

/* template_unref - drop a reference (NULL is fine); returns NULL */
Template *template_unref(Template *t);

/*
 * template_expand - render a parsed template. contexts[0..n-1] is the initial context
 * stack, innermost last (names not found in contexts[n-1] are looked up in the ones below,
 * which is how callers add defaults without copying data). The nodes are borrowed.
 * Returns a new string or NULL with an EX_DATAERR error (bad partial, too deep, too big).
 */
char *template_expand(const Template *t, JsonNode *const *contexts, int n_contexts,
		      gboolean escape_html, TemplatePartialFn partials, gpointer user,
		      GError **error);

/*
 * A parsed partial by name, with indent ("" or the whitespace before a standalone
 * partial tag, to put before each of its lines), or NULL if there is none (renders as
 * nothing). Returns a new reference. An error (e.g. a syntax error) stops the render.
 */
typedef Template *(*TemplatePartialTreeFn)(const char *name, const char *indent,
					   gpointer user, GError **error);

/* template_parse_partial - parse src as a partial with indent before each line */
Template *template_parse_partial(const char *src, const char *indent, GError **error);

/*
 * template_expand_trees - template_expand with partials already parsed (callers that
 * cache parsed partials across renders, like compose).
 */
char *template_expand_trees(const Template *t, JsonNode *const *contexts, int n_contexts,
			    gboolean escape_html, TemplatePartialTreeFn partials, gpointer user,
			    GError **error);

/* template_partials_dir - a TemplatePartialFn reading DIR/NAME.mustache (user = DIR) */
char *template_partials_dir(const char *name, gpointer dir);

/*
 * Strict mode: a variable tag ({{x}}, {{{x}}}) whose name has no value fails the render
 * (EX_DATAERR "strict: no value for {{x}}") instead of printing nothing; sections and
 * inverted sections stay the way to make a name optional. Off by default; on when the
 * environment has PEERMAIL_STRICT_TEMPLATES=1 (the test suite sets it) or after
 * template_set_strict(TRUE).
 */
gboolean template_strict(void);
void template_set_strict(gboolean on);

/* template_markdown - CommonMark to HTML (raw HTML in the source is escaped); caller frees */
char *template_markdown(const char *markdown);

#endif
