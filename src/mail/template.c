/*
 * template.c - Mustache (spec-conformant, without lambdas) and Markdown to HTML.
 *
 * Owns: parsing a Mustache source into an immutable node tree (standalone-line rules,
 * set delimiters and partial indentation are resolved while parsing), rendering a tree
 * against a json-glib data tree with a context stack, and cmark's Markdown conversion.
 * Not: which data a message gets, nor where templates live (compose reads the files).
 *
 * Truthiness follows mustache.js: missing, null, false, 0, "" and [] are false.
 * Numbers print as JSON would (85, 1.21); objects and arrays interpolate as nothing.
 * One extension: a numeric part of a dotted name indexes a list ("stories.0"), so a
 * template can print a heading only when a list is not empty.
 *
 * DIAGNOSTICS: syntax errors are PM_ERROR/EX_DATAERR "line N: ..."; sections and partials
 * nested deeper than TEMPLATE_MAX_DEPTH and output over TEMPLATE_MAX_OUTPUT fail the
 * render instead of exhausting the stack or memory. In strict mode (template_set_strict,
 * or PEERMAIL_STRICT_TEMPLATES=1 in the environment: the test suite) a variable tag
 * whose name has no value fails the render with EX_DATAERR "strict: no value for {{x}}";
 * sections stay optional.
 */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include "base/pm.h"
#include "mail/template.h"

/* ==== The parsed tree ==== */

typedef enum { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL } NodeKind;

typedef struct {
	NodeKind kind;
	char *text;          /* N_TEXT: the literal; N_PARTIAL: its indentation */
	gsize len;           /* of text */
	char *name;          /* tag name as written (trimmed) */
	char **path;         /* name split at dots; NULL for the implicit iterator "." */
	GPtrArray *children; /* sections: Node* */
} Node;

struct _Template {
	gint ref;
	GPtrArray *nodes;    /* Node* */
};

/* node_free - destroy a node and its children */
static void node_free(gpointer p)
{
	Node *n = p;

	g_free(n->text);
	g_free(n->name);
	g_strfreev(n->path);
	if (n->children)
		g_ptr_array_unref(n->children);
	g_free(n);
}

/* template_ref - one more reference */
Template *template_ref(Template *t)
{
	g_atomic_int_inc(&t->ref);
	return t;
}

/* template_unref - drop a reference; frees the tree with the last one */
Template *template_unref(Template *t)
{
	if (t && g_atomic_int_dec_and_test(&t->ref)) {
		g_ptr_array_unref(t->nodes);
		g_free(t);
	}
	return NULL;
}

/* ==== Parsing ==== */

typedef struct {
	const char *src;
	gsize len;
	char open[16], close[16];   /* current delimiters */
	gsize olen, clen;
} Parser;

typedef struct {
	GPtrArray *nodes;
	Node *section;      /* NULL for the root */
	gsize at;           /* where the section opened */
} Frame;

/* line_of - 1-based line number of pos in src */
static int line_of(const char *src, gsize pos)
{
	int line = 1;

	for (gsize i = 0; i < pos && src[i]; i++)
		if (src[i] == '\n')
			line++;
	return line;
}

/* fail - set an EX_DATAERR "line N: ..." error at pos; returns FALSE */
static gboolean fail(GError **error, const Parser *p, gsize pos, const char *fmt, const char *arg)
{
	char *what = g_strdup_printf(fmt, arg);

	g_set_error(error, PM_ERROR, EX_DATAERR, "line %d: %s", line_of(p->src, pos), what);
	g_free(what);
	return FALSE;
}

/* find - next occurrence of needle at or after from, or NULL */
static const char *find(const Parser *p, gsize from, const char *needle, gsize nlen)
{
	if (from > p->len || nlen == 0)
		return NULL;
	return memmem(p->src + from, p->len - from, needle, nlen);
}

/* node_new - an empty node of kind */
static Node *node_new(NodeKind kind)
{
	Node *n = g_new0(Node, 1);

	n->kind = kind;
	return n;
}

/* add_text - append a text node (nothing for empty text) */
static void add_text(GPtrArray *nodes, const char *s, gsize len)
{
	Node *n;

	if (len == 0)
		return;
	n = node_new(N_TEXT);
	n->text = g_strndup(s, len);
	n->len = len;
	g_ptr_array_add(nodes, n);
}

/* trimmed - a copy of s[0..len) without surrounding whitespace; caller frees */
static char *trimmed(const char *s, gsize len)
{
	char *t = g_strndup(s, len);

	return g_strstrip(t);
}

/* set_delimiters - "{{=<% %>=}}": content is "<% %>" between the equals signs */
static gboolean set_delimiters(Parser *p, const char *content, gsize pos, GError **error)
{
	char *c = trimmed(content, strlen(content));
	char **parts = g_strsplit_set(c, " \t\r\n", -1);
	const char *d[2] = { NULL, NULL };
	int n = 0;
	gboolean ok = FALSE;

	for (int i = 0; parts[i]; i++) {
		if (*parts[i] == '\0')
			continue;
		if (n < 2)
			d[n] = parts[i];
		n++;
	}
	if (n != 2 || strchr(d[0], '=') || strchr(d[1], '=') || strlen(d[0]) >= sizeof p->open ||
	    strlen(d[1]) >= sizeof p->close) {
		fail(error, p, pos, "bad delimiter change '%s'", c);
	} else {
		g_strlcpy(p->open, d[0], sizeof p->open);
		g_strlcpy(p->close, d[1], sizeof p->close);
		p->olen = strlen(p->open);
		p->clen = strlen(p->close);
		ok = TRUE;
	}
	g_strfreev(parts);
	g_free(c);
	return ok;
}

/* standalone - if the tag [start,end) is alone on its line, its line's bounds */
static gboolean standalone(const Parser *p, gsize start, gsize end, gsize *line_start,
			   gsize *line_end)
{
	gsize i = start, j = end;

	while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
		i--;
	if (i > 0 && p->src[i - 1] != '\n')
		return FALSE;
	while (j < p->len && (p->src[j] == ' ' || p->src[j] == '\t'))
		j++;
	if (j < p->len) {
		if (p->src[j] == '\n')
			j++;
		else if (p->src[j] == '\r' && j + 1 < p->len && p->src[j + 1] == '\n')
			j += 2;
		else
			return FALSE;
	}
	*line_start = i;
	*line_end = j;
	return TRUE;
}

/* template_parse - source to node tree */
Template *template_parse(const char *src, GError **error)
{
	Parser p = { src, strlen(src), "{{", "}}", 2, 2 };
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(Frame));
	Frame root = { g_ptr_array_new_with_free_func(node_free), NULL, 0 };
	gsize pos = 0, text_start = 0;
	Template *t = NULL;
	gboolean ok = TRUE;

	g_array_append_val(stack, root);
	while (ok) {
		Frame *top = &g_array_index(stack, Frame, stack->len - 1);
		const char *o = find(&p, pos, p.open, p.olen), *e = NULL;
		gsize tag = 0, cstart, cend = 0, tag_end = 0, ls = 0, le = 0;
		char type = 0;
		char *name;

		if (o == NULL) {
			add_text(top->nodes, src + text_start, p.len - text_start);
			break;
		}
		tag = (gsize)(o - src);
		cstart = tag + p.olen;
		if (cstart < p.len && strchr("#^/>!&{=", src[cstart]))
			type = src[cstart++];
		if (type == '{' || type == '=') {
			char closer[20];

			g_snprintf(closer, sizeof closer, "%c%s", type == '{' ? '}' : '=', p.close);
			e = find(&p, cstart, closer, p.clen + 1);
			if (e) {
				cend = (gsize)(e - src);
				tag_end = cend + 1 + p.clen;
			}
		} else {
			e = find(&p, cstart, p.close, p.clen);
			if (e) {
				cend = (gsize)(e - src);
				tag_end = cend + p.clen;
			}
		}
		if (e == NULL) {
			ok = fail(error, &p, tag, "unclosed tag '%s'", p.open);
			break;
		}
		if (type && strchr("#^/>!=", type) && standalone(&p, tag, tag_end, &ls, &le)) {
			add_text(top->nodes, src + text_start, ls - text_start);
			pos = text_start = le;
		} else {
			add_text(top->nodes, src + text_start, tag - text_start);
			ls = tag;
			pos = text_start = tag_end;
		}
		if (type == '!')
			continue;
		name = trimmed(src + cstart, cend - cstart);
		if (type == '=') {
			ok = set_delimiters(&p, name, tag, error);
			g_free(name);
			continue;
		}
		if (*name == '\0') {
			g_free(name);
			ok = fail(error, &p, tag, "empty tag%s", "");
			break;
		}
		if (type == '/') {
			if (top->section == NULL)
				ok = fail(error, &p, tag, "'/%s' closes no section", name);
			else if (strcmp(top->section->name, name) != 0) {
				char *m = g_strdup_printf("section '%s' (line %d) closed by '/%s'",
							  top->section->name,
							  line_of(src, top->at), name);
				ok = fail(error, &p, tag, "%s", m);
				g_free(m);
			} else {
				g_array_set_size(stack, stack->len - 1);
			}
			g_free(name);
			continue;
		}
		{
			Node *n = node_new(type == '#' ? N_SECTION : type == '^' ? N_INVERTED :
					   type == '>' ? N_PARTIAL :
					   type == '&' || type == '{' ? N_RAW : N_VAR);

			n->name = name;
			if (n->kind != N_PARTIAL && strcmp(name, ".") != 0)
				n->path = g_strsplit(name, ".", -1);
			if (n->kind == N_PARTIAL) {
				n->text = g_strndup(src + ls, tag - ls);
				n->len = tag - ls;
			}
			g_ptr_array_add(top->nodes, n);
			if (n->kind == N_SECTION || n->kind == N_INVERTED) {
				Frame f = { g_ptr_array_new_with_free_func(node_free), n, tag };

				if (stack->len > TEMPLATE_MAX_DEPTH) {
					g_ptr_array_unref(f.nodes);
					ok = fail(error, &p, tag, "sections nested deeper than %s",
						  G_STRINGIFY(TEMPLATE_MAX_DEPTH));
					break;
				}
				n->children = f.nodes;
				g_array_append_val(stack, f);
			}
		}
	}
	if (ok && stack->len > 1) {
		Frame *top = &g_array_index(stack, Frame, stack->len - 1);

		ok = fail(error, &p, top->at, "section '%s' is never closed", top->section->name);
	}
	if (ok) {
		t = g_new0(Template, 1);
		t->ref = 1;
		t->nodes = root.nodes;
	} else {
		g_ptr_array_unref(root.nodes);
	}
	g_array_free(stack, TRUE);
	return t;
}

/* template_check - src parses as Mustache; else EX_DATAERR naming what */
gboolean template_check(const char *src, const char *what, GError **error)
{
	Template *t = template_parse(src, error);

	if (t == NULL) {
		g_prefix_error(error, "the %s: ", what);
		return FALSE;
	}
	template_unref(t);
	return TRUE;
}

/* ==== Rendering ==== */

typedef struct {
	GString *out;
	gboolean escape;
	TemplatePartialFn pfn;       /* partials as text, or */
	TemplatePartialTreeFn tfn;   /* partials parsed */
	gpointer user;
	GPtrArray *stack;        /* JsonNode*, borrowed, innermost last */
	GHashTable *partials;    /* "indent\1name" -> Template* parsed during this render */
	int depth;
	GError **error;
} Render;

/* lookup - resolve a (dotted) name against the context stack, innermost first; borrowed */
static JsonNode *lookup(const Render *r, char **path)
{
	JsonNode *v = NULL;

	if (path == NULL)
		return r->stack->len ? g_ptr_array_index(r->stack, r->stack->len - 1) : NULL;
	for (guint i = r->stack->len; i-- > 0;) {
		JsonNode *c = g_ptr_array_index(r->stack, i);

		if (c && JSON_NODE_HOLDS_OBJECT(c) &&
		    (v = json_object_get_member(json_node_get_object(c), path[0])) != NULL)
			break;
	}
	for (int k = 1; v && path[k]; k++) {
		if (JSON_NODE_HOLDS_OBJECT(v)) {
			v = json_object_get_member(json_node_get_object(v), path[k]);
		} else if (JSON_NODE_HOLDS_ARRAY(v) && g_ascii_isdigit(*path[k])) {
			/* extension: list.0 is the first element ({{#stories.0}}heading{{/stories.0}}) */
			JsonArray *a = json_node_get_array(v);
			guint64 i = g_ascii_strtoull(path[k], NULL, 10);

			v = i < json_array_get_length(a) ? json_array_get_element(a, (guint)i) : NULL;
		} else {
			v = NULL;
		}
	}
	return v;
}

/* truthy - whether a section shows: not missing, null, false, 0, "" or [] */
static gboolean truthy(JsonNode *v)
{
	if (v == NULL)
		return FALSE;
	switch (json_node_get_node_type(v)) {
	case JSON_NODE_NULL:
		return FALSE;
	case JSON_NODE_ARRAY:
		return json_array_get_length(json_node_get_array(v)) > 0;
	case JSON_NODE_OBJECT:
		return TRUE;
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type(v)) {
	case G_TYPE_BOOLEAN:
		return json_node_get_boolean(v);
	case G_TYPE_INT64:
		return json_node_get_int(v) != 0;
	case G_TYPE_DOUBLE:
		return json_node_get_double(v) != 0.0;
	case G_TYPE_STRING:
		return *json_node_get_string(v) != '\0';
	default:
		return TRUE;
	}
}

/* append_escaped - append s with & < > " ' as HTML entities */
static void append_escaped(GString *out, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		g_string_append_len(out, run, s - run);
		g_string_append(out, rep);
		run = s + 1;
	}
	g_string_append(out, run);
}

/* format_double - the shortest of %.15g..%.17g that reads back as d (1.21, not 1.2099...) */
static void format_double(char *buf, gsize size, double d)
{
	static const char *const fmts[] = { "%.15g", "%.16g", "%.17g" };

	for (int i = 0; i < 3; i++) {
		g_ascii_formatd(buf, (int)size, fmts[i], d);
		if (g_ascii_strtod(buf, NULL) == d)
			return;
	}
}

/*
 * append_continued - append a value of several lines to a text (not HTML) rendering so
 * that it continues its line's prefix: after text like "> " or '  "' before the value,
 * each further line starts with that prefix, '>' kept, whitespace kept, anything else a
 * space (blank lines get it right-trimmed). A multi-paragraph story stays inside its
 * Markdown blockquote or under its opening quote. A prefix of whitespace alone (a
 * partial's indentation) is not continued, as the Mustache spec requires.
 */
static void append_continued(GString *out, const char *s)
{
	const char *nl = strrchr(out->str, '\n');
	const char *line = nl ? nl + 1 : out->str;
	GString *cont = g_string_new(NULL);
	gboolean only_space = TRUE;

	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		if (*p == '>' || *p == ' ' || *p == '\t')
			g_string_append_c(cont, *p);
		else
			g_string_append_c(cont, ' ');
		if (*p != ' ' && *p != '\t')
			only_space = FALSE;
	}
	if (only_space) {
		g_string_append(out, s);
		g_string_free(cont, TRUE);
		return;
	}
	for (const char *p = s; *p; p++) {
		g_string_append_c(out, *p);
		if (*p != '\n')
			continue;
		if (p[1] == '\n' || p[1] == '\0' || p[1] == '\r') {
			gsize len = cont->len;

			while (len > 0 && (cont->str[len - 1] == ' ' || cont->str[len - 1] == '\t'))
				len--;
			g_string_append_len(out, cont->str, len);
		} else {
			g_string_append_len(out, cont->str, cont->len);
		}
	}
	g_string_free(cont, TRUE);
}

/* append_value - append a scalar as text (objects, arrays and null add nothing) */
static void append_value(Render *r, JsonNode *v, gboolean escape)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *s = NULL;

	if (v == NULL || !JSON_NODE_HOLDS_VALUE(v))
		return;
	switch (json_node_get_value_type(v)) {
	case G_TYPE_STRING:
		s = json_node_get_string(v);
		break;
	case G_TYPE_INT64:
		g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int(v));
		s = buf;
		break;
	case G_TYPE_DOUBLE:
		format_double(buf, sizeof buf, json_node_get_double(v));
		s = buf;
		break;
	case G_TYPE_BOOLEAN:
		s = json_node_get_boolean(v) ? "true" : "false";
		break;
	default:
		return;
	}
	if (escape)
		append_escaped(r->out, s);
	else if (!r->escape && strchr(s, '\n'))
		append_continued(r->out, s);
	else
		g_string_append(r->out, s);
}

/* sections and partials recurse into render_nodes */
static gboolean render_nodes(Render *r, GPtrArray *nodes);

/* indent_lines - prefix every line of text with indent (not an empty last line) */
static char *indent_lines(const char *text, const char *indent)
{
	GString *s = g_string_new(NULL);
	gboolean at_start = TRUE;

	for (const char *c = text; *c; c++) {
		if (at_start)
			g_string_append(s, indent);
		g_string_append_c(s, *c);
		at_start = *c == '\n';
	}
	return g_string_free(s, FALSE);
}

/* template_parse_partial - indent each line of src, then parse */
Template *template_parse_partial(const char *src, const char *indent, GError **error)
{
	char *ind;
	Template *t;

	if (indent == NULL || *indent == '\0')
		return template_parse(src, error);
	ind = indent_lines(src, indent);
	t = template_parse(ind, error);
	g_free(ind);
	return t;
}

/* lookup_partial - the parsed partial for n (memoized for this render); FALSE on error */
static gboolean lookup_partial(Render *r, const Node *n, Template **out)
{
	char *key = g_strconcat(n->text, "\1", n->name, NULL);
	Template *t = NULL;
	GError *e = NULL;

	if (g_hash_table_lookup_extended(r->partials, key, NULL, (gpointer *)out)) {
		g_free(key);
		return TRUE;
	}
	if (r->tfn) {
		t = r->tfn(n->name, n->text, r->user, &e);
	} else if (r->pfn) {
		char *text = r->pfn(n->name, r->user);

		if (text)
			t = template_parse_partial(text, n->text, &e);
		g_free(text);
	}
	if (e) {
		g_set_error(r->error, PM_ERROR, EX_DATAERR, "partial '%s': %s", n->name,
			    e->message);
		g_error_free(e);
		template_unref(t);
		g_free(key);
		return FALSE;
	}
	g_hash_table_insert(r->partials, key, t);   /* NULL: no such partial */
	*out = t;
	return TRUE;
}

/* render_partial - render a partial in the current context */
static gboolean render_partial(Render *r, const Node *n)
{
	Template *t;

	if (!lookup_partial(r, n, &t))
		return FALSE;
	return t ? render_nodes(r, t->nodes) : TRUE;
}

/* render_section - a section or inverted section: once, per element, or not at all */
static gboolean render_section(Render *r, const Node *n)
{
	JsonNode *v = lookup(r, n->path);
	gboolean ok = TRUE;

	if (n->kind == N_INVERTED)
		return truthy(v) ? TRUE : render_nodes(r, n->children);
	if (!truthy(v))
		return TRUE;
	if (JSON_NODE_HOLDS_ARRAY(v)) {
		JsonArray *a = json_node_get_array(v);
		guint len = json_array_get_length(a);

		for (guint i = 0; ok && i < len; i++) {
			g_ptr_array_add(r->stack, json_array_get_element(a, i));
			ok = render_nodes(r, n->children);
			g_ptr_array_set_size(r->stack, r->stack->len - 1);
		}
		return ok;
	}
	g_ptr_array_add(r->stack, v);
	ok = render_nodes(r, n->children);
	g_ptr_array_set_size(r->stack, r->stack->len - 1);
	return ok;
}

/* render_nodes - render a node list one level deeper; FALSE on error or bounds */
static gboolean render_nodes(Render *r, GPtrArray *nodes)
{
	gboolean ok = TRUE;

	if (++r->depth > TEMPLATE_MAX_DEPTH) {
		g_set_error(r->error, PM_ERROR, EX_DATAERR,
			    "sections and partials nested deeper than %d (recursive partial?)",
			    TEMPLATE_MAX_DEPTH);
		r->depth--;
		return FALSE;
	}
	for (guint i = 0; ok && i < nodes->len; i++) {
		const Node *n = g_ptr_array_index(nodes, i);

		switch (n->kind) {
		case N_TEXT:
			g_string_append_len(r->out, n->text, n->len);
			break;
		case N_VAR:
		case N_RAW: {
			JsonNode *v = lookup(r, n->path);

			if (v == NULL && template_strict()) {
				g_set_error(r->error, PM_ERROR, EX_DATAERR,
					    "strict: no value for {{%s}}", n->name);
				ok = FALSE;
				break;
			}
			append_value(r, v, n->kind == N_VAR && r->escape);
			break;
		}
		case N_SECTION:
		case N_INVERTED:
			ok = render_section(r, n);
			break;
		case N_PARTIAL:
			ok = render_partial(r, n);
			break;
		}
		if (ok && r->out->len > TEMPLATE_MAX_OUTPUT) {
			g_set_error(r->error, PM_ERROR, EX_DATAERR,
				    "rendered text exceeds %d bytes", TEMPLATE_MAX_OUTPUT);
			ok = FALSE;
		}
	}
	r->depth--;
	return ok;
}

static int strict_mode = -1;    /* -1: not yet read from the environment */

/* template_strict - whether a variable without a value fails the render */
gboolean template_strict(void)
{
	if (g_atomic_int_get(&strict_mode) < 0) {
		const char *e = g_getenv("PEERMAIL_STRICT_TEMPLATES");

		g_atomic_int_set(&strict_mode, e && *e && strcmp(e, "0") != 0);
	}
	return g_atomic_int_get(&strict_mode) == 1;
}

/* template_set_strict - turn strict mode on or off for the whole process */
void template_set_strict(gboolean on)
{
	g_atomic_int_set(&strict_mode, on ? 1 : 0);
}

/* unref_partial - GDestroyNotify for the per-render partial table */
static void unref_partial(gpointer t)
{
	template_unref(t);
}

/* expand - render t with either kind of partial resolver */
static char *expand(const Template *t, JsonNode *const *contexts, int n_contexts,
		    gboolean escape_html, TemplatePartialFn pfn, TemplatePartialTreeFn tfn,
		    gpointer user, GError **error)
{
	Render r = { g_string_sized_new(4096), escape_html, pfn, tfn, user,
		     g_ptr_array_new(), NULL, 0, error };
	gboolean ok;

	r.partials = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unref_partial);
	for (int i = 0; i < n_contexts; i++)
		g_ptr_array_add(r.stack, contexts[i]);
	ok = render_nodes(&r, t->nodes);
	g_hash_table_unref(r.partials);
	g_ptr_array_unref(r.stack);
	return g_string_free(r.out, !ok);
}

/* template_expand - render t with a context stack, partials as text */
char *template_expand(const Template *t, JsonNode *const *contexts, int n_contexts,
		      gboolean escape_html, TemplatePartialFn partials, gpointer user,
		      GError **error)
{
	return expand(t, contexts, n_contexts, escape_html, partials, NULL, user, error);
}

/* template_expand_trees - render t with a context stack, partials parsed */
char *template_expand_trees(const Template *t, JsonNode *const *contexts, int n_contexts,
			    gboolean escape_html, TemplatePartialTreeFn partials, gpointer user,
			    GError **error)
{
	return expand(t, contexts, n_contexts, escape_html, NULL, partials, user, error);
}

/* template_render - parse and render in one go */
char *template_render(const char *src, JsonNode *data, gboolean escape_html,
		      TemplatePartialFn partials, gpointer user, GError **error)
{
	Template *t = template_parse(src, error);
	char *out;

	if (t == NULL)
		return NULL;
	out = template_expand(t, &data, data ? 1 : 0, escape_html, partials, user, error);
	template_unref(t);
	return out;
}

/* template_partials_dir - read DIR/NAME.mustache; names with a slash or leading dot are refused */
char *template_partials_dir(const char *name, gpointer dir)
{
	char *file, *path, *text = NULL;

	if (dir == NULL || *name == '\0' || *name == '.' || strchr(name, '/') ||
	    strchr(name, '\\'))
		return NULL;
	file = g_strconcat(name, ".mustache", NULL);
	path = g_build_filename((const char *)dir, file, NULL);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		text = NULL;
	g_free(path);
	g_free(file);
	return text;
}

/* ==== Markdown ==== */

/* template_markdown - CommonMark to HTML; without CMARK_OPT_UNSAFE raw HTML is omitted */
char *template_markdown(const char *markdown)
{
	char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
	char *copy = g_strdup(html ? html : "");

	free(html);
	return copy;
}
