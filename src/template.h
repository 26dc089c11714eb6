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

/* template_partials_dir - a TemplatePartialFn reading DIR/NAME.mustache (user = DIR) */
char *template_partials_dir(const char *name, gpointer dir);

/* template_markdown - CommonMark to HTML (raw HTML in the source is escaped); caller frees */
char *template_markdown(const char *markdown);

#endif
