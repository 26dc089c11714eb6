/* test_template.c - Mustache: the official spec (tests/data/mustache-spec, one TAP line per
 * spec test), syntax errors with lines, hostile templates, numbers, partials from a
 * folder, and Markdown without raw HTML. */
#include <sysexits.h>
#include "harness.h"
#include "base/pm.h"
#include "mail/template.h"

/* spec_partial - partials from the spec test's "partials" object (user = JsonObject) */
static char *spec_partial(const char *name, gpointer user)
{
	JsonObject *o = user;

	if (o == NULL || !json_object_has_member(o, name))
		return NULL;
	return g_strdup(json_object_get_string_member(o, name));
}

static void run_spec_file(const char *file)
{
	char *path = g_build_filename("mustache-spec", file, NULL);
	char *full = harness_data(path);
	JsonParser *p = json_parser_new();
	GError *e = NULL;
	JsonArray *tests;

	if (!json_parser_load_from_file(p, full, &e)) {
		OK(0, file);
		printf("#   %s\n", e->message);
		g_error_free(e);
		goto out;
	}
	tests = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "tests");
	for (guint i = 0; i < json_array_get_length(tests); i++) {
		JsonObject *t = json_array_get_object_element(tests, i);
		JsonObject *partials = json_object_has_member(t, "partials") ?
			json_object_get_object_member(t, "partials") : NULL;
		char *what = g_strdup_printf("spec %s: %s", file,
					     json_object_get_string_member(t, "name"));
		char *got = template_render(json_object_get_string_member(t, "template"),
					    json_object_get_member(t, "data"), TRUE,
					    spec_partial, partials, &e);

		STR_EQ(got, json_object_get_string_member(t, "expected"), what);
		if (e) {
			printf("#   error: %s\n", e->message);
			g_clear_error(&e);
		}
		g_free(got);
		g_free(what);
	}
out:
	g_object_unref(p);
	g_free(full);
	g_free(path);
}

TEST(spec)
{
	static const char *const files[] = { "comments.json", "delimiters.json",
		"interpolation.json", "inverted.json", "partials.json", "sections.json" };

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++)
		run_spec_file(files[i]);
}

static JsonNode *json(const char *text)
{
	JsonNode *n = json_from_string(text, NULL);

	g_assert(n);
	return n;
}

/* render - render src with JSON data text; returns the output or "ERROR: message" */
static char *render(const char *src, const char *data, gboolean escape)
{
	JsonNode *d = json(data);
	GError *e = NULL;
	char *out = template_render(src, d, escape, NULL, NULL, &e);

	if (out == NULL) {
		out = g_strdup_printf("ERROR %d: %s", e->code, e->message);
		g_error_free(e);
	}
	json_node_unref(d);
	return out;
}

#define RENDER_IS(src, data, escape, want, what) do { \
	char *o_ = render((src), (data), (escape)); STR_EQ(o_, (want), (what)); g_free(o_); \
} while (0)

TEST(escaping_and_values)
{
	RENDER_IS("{{x}}|{{{x}}}|{{&x}}", "{\"x\":\"<a href='q'>&\\\"</a>\"}", TRUE,
		  "&lt;a href=&#39;q&#39;&gt;&amp;&quot;&lt;/a&gt;|<a href='q'>&\"</a>|<a href='q'>&\"</a>",
		  "escape_html escapes {{x}} only");
	RENDER_IS("{{x}}", "{\"x\":\"<b>\"}", FALSE, "<b>", "text mode leaves {{x}} raw");
	RENDER_IS("{{a}} {{b}} {{c}} {{d}} {{e}}", "{\"a\":1.5,\"b\":85,\"c\":-0.1,\"d\":1e21,\"e\":true}",
		  FALSE, "1.5 85 -0.1 1e+21 true", "numbers and booleans print like JSON");
	RENDER_IS("[{{#z}}zero{{/z}}{{#s}}empty{{/s}}{{^z}}no{{/z}}]", "{\"z\":0,\"s\":\"\"}", FALSE,
		  "[no]", "0 and empty string are false");
	RENDER_IS("{{o}}{{a}}", "{\"o\":{\"k\":1},\"a\":[1]}", FALSE, "",
		  "objects and arrays interpolate as nothing");
	RENDER_IS("{{member.first_name}}, {{#stories}}[{{author}}: {{text}}]{{/stories}}",
		  "{\"member\":{\"first_name\":\"Ana\"},\"stories\":[{\"author\":\"B\",\"text\":\"t1\"},"
		  "{\"author\":\"C\",\"text\":\"t2\"}]}", FALSE, "Ana, [B: t1][C: t2]",
		  "dotted names and lists of objects");
	RENDER_IS("{{#l.0}}H:{{/l.0}}{{#l}}{{.}}{{/l}}{{l.1}}|{{#e.0}}H:{{/e.0}}", "{\"l\":[\"a\",\"b\"],\"e\":[]}",
		  FALSE, "H:abb|", "numeric parts index lists (heading only when not empty)");
}

TEST(multiline_values)
{
	const char *story = "{\"t\":\"One\\nline two.\\n\\nTwo.\",\"a\":\"Bea\"}";
	char *h;

	RENDER_IS("> {{t}}\n>\n> - {{a}}\n", story, FALSE,
		  "> One\n> line two.\n>\n> Two.\n>\n> - Bea\n",
		  "a story after '> ' stays inside the blockquote, paragraphs and attribution");
	RENDER_IS("  \"{{t}}\"\n      - {{a}}", story, FALSE,
		  "  \"One\n   line two.\n\n   Two.\"\n      - Bea",
		  "after '  \"' its lines hang under the opening quote");
	RENDER_IS("  {{t}}", story, FALSE, "  One\nline two.\n\nTwo.",
		  "a whitespace prefix (a partial's indentation) is not continued (spec)");
	RENDER_IS("<p>{{t}}</p>", story, TRUE, "<p>One\nline two.\n\nTwo.</p>",
		  "HTML rendering is unchanged");
	h = template_markdown("> One\n> line two.\n>\n> Two.\n>\n> \u2014 Bea\n");
	OK(strstr(h, "<blockquote>\n<p>One\nline two.</p>\n<p>Two.</p>\n<p>\u2014 Bea</p>\n</blockquote>")
	   != NULL, "its HTML is one blockquote with both paragraphs and the attribution");
	g_free(h);
}

TEST(syntax_errors)
{
	RENDER_IS("a\nb {{x\nc", "{}", FALSE, "ERROR 65: line 2: unclosed tag '{{'",
		  "unclosed tag names its line");
	RENDER_IS("a\n{{#s}}\nb\n", "{}", FALSE, "ERROR 65: line 2: section 's' is never closed",
		  "unclosed section names the line it opened");
	RENDER_IS("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", "{}", FALSE,
		  "ERROR 65: line 3: section 'b' (line 2) closed by '/a'", "mismatched end named");
	RENDER_IS("x\n\n{{/a}}", "{}", FALSE, "ERROR 65: line 3: '/a' closes no section",
		  "stray end named");
	RENDER_IS("{{=<% %% %>=}}", "{}", FALSE, "ERROR 65: line 1: bad delimiter change '<% %% %>'",
		  "bad delimiters refused");
	RENDER_IS("{{ }}", "{}", FALSE, "ERROR 65: line 1: empty tag", "empty tag refused");
	RENDER_IS("{{{x}}", "{\"x\":1}", FALSE, "ERROR 65: line 1: unclosed tag '{{'",
		  "unbalanced triple mustache refused");
}

/* template_check - the one check of a stored Mustache source (newsletters, updates) */
TEST(check)
{
	GError *e = NULL;

	OK(template_check("Hello {{member.first_name}}", "body", &e) && e == NULL, "valid: TRUE");
	OK(!template_check("a\n{{#x}}", "subject", &e), "invalid: FALSE");
	OK(e && e->domain == PM_ERROR && e->code == EX_DATAERR, "with EX_DATAERR");
	STR_EQ(e ? e->message : NULL, "the subject: line 2: section 'x' is never closed",
	       "naming what and where");
	g_clear_error(&e);
}

static char *self_partial(const char *name, gpointer user)
{
	return g_strdup(user);
}

/* doubling - partial pN renders p(N-1) twice; p0 is 1 KiB */
static char *doubling(const char *name, gpointer user)
{
	int n = atoi(name + 1);

	if (n == 0)
		return g_strnfill(1024, 'x');
	return g_strdup_printf("{{>p%d}}{{>p%d}}", n - 1, n - 1);
}

TEST(hostile)
{
	GString *deep = g_string_new(NULL);
	JsonNode *d = json("{\"a\":true}");
	GError *e = NULL;
	char *out;

	for (int i = 0; i < 100000; i++)
		g_string_append(deep, "{{#a}}");
	out = template_render(deep->str, d, FALSE, NULL, NULL, &e);
	OK(out == NULL && e && e->code == EX_DATAERR && strstr(e->message, "nested"),
	   "100000 nested sections are refused, not a stack overflow");
	g_clear_error(&e);

	out = template_render("x{{>me}}", d, FALSE, self_partial, "x{{>me}}", &e);
	OK(out == NULL && e && strstr(e->message, "deeper than"), "infinite partial recursion stops");
	g_clear_error(&e);

	/* each level doubles the output: 2^40 bytes unless bounded */
	out = template_render("{{>p}}", d, FALSE, self_partial,
			      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{>p}}{{>p}}", &e);
	OK(out == NULL && e && (strstr(e->message, "exceeds") || strstr(e->message, "deeper")),
	   "exponential partial output is bounded");
	g_clear_error(&e);

	out = template_render("{{>p20}}", d, FALSE, doubling, NULL, &e);
	OK(out == NULL && e && strstr(e->message, "exceeds"), "a 1 GiB render stops at the output bound");
	g_clear_error(&e);
	out = template_render("{{>p10}}", d, FALSE, doubling, NULL, &e);
	INT_EQ(out ? strlen(out) : 0, 1024 * 1024, "a 1 MiB render from partials is fine");
	g_free(out);

	out = template_render("{{>bad}}", d, FALSE, self_partial, "{{#x}}", &e);
	OK(out == NULL && e && strstr(e->message, "partial 'bad': line 1"),
	   "syntax error inside a partial names the partial");
	g_clear_error(&e);
	g_free(out);
	json_node_unref(d);
	g_string_free(deep, TRUE);
}

TEST(parsed_reuse_and_defaults)
{
	GError *e = NULL;
	Template *t = template_parse("{{greeting}} {{member.name}} <{{domain}}>", &e);
	JsonNode *defaults = json("{\"domain\":\"act.test\",\"greeting\":\"Hi\"}");
	JsonNode *d1 = json("{\"member\":{\"name\":\"Ann\"},\"greeting\":\"Hello\"}");
	JsonNode *d2 = json("{\"member\":{\"name\":\"Bob\"}}");
	JsonNode *c1[] = { defaults, d1 }, *c2[] = { defaults, d2 };
	char *a, *b;

	OK(t != NULL, "parse");
	a = template_expand(t, c1, 2, FALSE, NULL, NULL, &e);
	b = template_expand(t, c2, 2, FALSE, NULL, NULL, &e);
	STR_EQ(a, "Hello Ann <act.test>", "innermost context wins, defaults fill the rest");
	STR_EQ(b, "Hi Bob <act.test>", "the same parsed template renders again");
	g_free(a);
	g_free(b);
	template_unref(t);
	json_node_unref(defaults);
	json_node_unref(d1);
	json_node_unref(d2);
}

/* tree_partial - TemplatePartialTreeFn from a fixed source (user), counting calls */
static int tree_calls;
static Template *tree_partial(const char *name, const char *indent, gpointer user, GError **error)
{
	tree_calls++;
	if (strcmp(name, "missing") == 0)
		return NULL;
	return template_parse_partial(user, indent, error);
}

TEST(parsed_partials)
{
	JsonNode *d = json("{\"items\":[1,2,3]}");
	GError *e = NULL;
	Template *t = template_parse("{{#items}}\n  {{>p}}\n{{/items}}[{{>missing}}]", &e);
	char *out;

	out = template_expand_trees(t, &d, 1, FALSE, tree_partial, "<{{.}}>\nx\n", &e);
	STR_EQ(out, "  <1>\n  x\n  <2>\n  x\n  <3>\n  x\n[]", "parsed partials, indented");
	INT_EQ(tree_calls, 2, "each partial looked up once per render");
	g_free(out);
	out = template_expand_trees(t, &d, 1, FALSE, tree_partial, "{{#bad}}", &e);
	OK(out == NULL && e && strstr(e->message, "partial 'p': line 1"), "a partial's error stops the render");
	g_clear_error(&e);
	template_unref(t);
	json_node_unref(d);
}

TEST(partials_dir)
{
	const char *dir = harness_tmpdir();
	char *p = g_build_filename(dir, "footer.mustache", NULL);
	char *outside = g_build_filename(dir, "..", "x.mustache", NULL);
	JsonNode *d = json("{\"who\":\"Ann\"}");
	GError *e = NULL;
	char *out, *t;

	g_file_set_contents(p, "-- bye {{who}}\n", -1, NULL);
	out = template_render("Hi\n  {{> footer}}\n", d, FALSE, template_partials_dir, (gpointer)dir, &e);
	STR_EQ(out, "Hi\n  -- bye Ann\n", "partial read from DIR/NAME.mustache, indented");
	g_free(out);
	out = template_render("[{{>nothere}}]", d, FALSE, template_partials_dir, (gpointer)dir, &e);
	STR_EQ(out, "[]", "a missing partial renders as nothing");
	g_free(out);
	t = template_partials_dir("../x", (gpointer)dir);
	OK(t == NULL, "partial names cannot leave the folder");
	g_free(t);
	g_free(outside);
	g_free(p);
	json_node_unref(d);
}

TEST(markdown)
{
	char *h = template_markdown("# Title\n\nSome *text* & [a link](https://example.org).\n\n"
				    "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n");

	OK(strstr(h, "<h1>Title</h1>") != NULL, "heading");
	OK(strstr(h, "<em>text</em> &amp; <a href=\"https://example.org\">a link</a>") != NULL,
	   "emphasis, escaping and links");
	OK(strstr(h, "<script>") == NULL, "raw HTML is not passed through");
	OK(strstr(h, "javascript:") == NULL, "javascript: links are dropped");
	g_free(h);
}

int main(void)
{
	RUN(spec);
	RUN(escaping_and_values);
	RUN(multiline_values);
	RUN(syntax_errors);
	RUN(check);
	RUN(hostile);
	RUN(parsed_reuse_and_defaults);
	RUN(parsed_partials);
	RUN(partials_dir);
	RUN(markdown);
	return harness_done();
}
