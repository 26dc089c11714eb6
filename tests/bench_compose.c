/* bench_compose.c - one personalized newsletter message (text + HTML alternatives, ~2 KB
 * Markdown body rendered to HTML once, per-member name and unsubscribe address), composed
 * N times with compose_message (parsed-template cache). For comparison it also times the
 * same rendering when the templates are read and parsed from disk for every message, the
 * cost the cache removes. Usage: bench_compose [N]. Ceiling: 100 us per message. */
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "mail/compose.h"
#include <glib/gstdio.h>
#include "mail/template.h"

#define CEILING_US 100.0
#define BATCHES 10

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* cpu_us - CPU time of this process in microseconds (wall time suffers on a busy host) */
static gint64 cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static const char *const paragraph =
	"We are **nearly there**: the council meets on *Thursday* and will decide whether the "
	"streets around our schools close to through traffic at drop-off times. "
	"[Read the proposal](https://act.example.org/p/clean-air) and tell a friend.\n\n";

static JsonNode *member_data(int i, const char *body, const char *body_html)
{
	JsonBuilder *b = json_builder_new();
	char *name = g_strdup_printf("Member Number %d", i);
	char *email = g_strdup_printf("m%d@example.org", i);
	char *unsub = g_strdup_printf("news+unsubscribe+tok%08d@act.test", i);
	JsonNode *n;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "member");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "email");
	json_builder_add_string_value(b, email);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "first_name");
	json_builder_add_string_value(b, "Member");
	json_builder_end_object(b);
	json_builder_set_member_name(b, "list");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, "Campaign news");
	json_builder_set_member_name(b, "address");
	json_builder_add_string_value(b, "news@act.test");
	json_builder_end_object(b);
	json_builder_set_member_name(b, "newsletter");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "subject");
	json_builder_add_string_value(b, "Clean air: we are nearly there");
	json_builder_end_object(b);
	json_builder_set_member_name(b, "unsubscribe_address");
	json_builder_add_string_value(b, unsub);
	json_builder_set_member_name(b, "body");
	json_builder_add_string_value(b, body);
	json_builder_set_member_name(b, "body_html");
	json_builder_add_string_value(b, body_html);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	g_free(unsub);
	g_free(email);
	g_free(name);
	return n;
}

int main(int argc, char **argv)
{
	int n = MAX(argc > 1 ? atoi(argv[1]) : 5000, BATCHES);
	const char *top = g_getenv("PEERMAIL_TOP");
	char *templates = g_build_filename(top ? top : ".", "templates", NULL);
	char *tpl_en = g_build_filename(templates, "en", NULL);
	char *tmp = g_dir_make_tmp("peermail-bench-XXXXXX", NULL);
	char *conf = g_build_filename(tmp, "peermail.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ntemplates = \"%s\"\n"
				     "from = \"Campaign Team <team@act.test>\"\nsyslog = false\n",
				     templates);
	GString *md = g_string_new(NULL);
	char *html, *txt_src = NULL, *html_src = NULL;
	PmConfig *cfg;
	GError *e = NULL;
	gint64 t0, t1, c0, c1;
	gsize bytes = 0;
	double us, us_wall, us_disk, batch[BATCHES];

	g_mime_init();
	g_file_set_contents(conf, text, -1, NULL);
	if ((cfg = config_load(conf, &e)) == NULL) {
		fprintf(stderr, "bench_compose: %s\n", e->message);
		return 1;
	}
	while (md->len < 2048)
		g_string_append(md, paragraph);
	html = template_markdown(md->str);     /* once per newsletter, not per member */

	/* batches of n/10: the best batch is the figure (a shared host adds noise), the
	 * median and wall time are printed beside it */
	t0 = g_get_monotonic_time();
	for (int k = 0, i = 0; k < BATCHES; k++) {
		c0 = cpu_us();
		for (int j = 0; j < n / BATCHES; j++, i++) {
			JsonNode *d = member_data(i, md->str, html);
			char *to = g_strdup_printf("m%d@example.org", i);
			ComposeOpts o = { .to = to, .to_name = "Member Number", .list_name = "news",
					  .list_title = "Campaign news",
					  .unsubscribe_mailto = "news+unsubscribe+tok@act.test",
					  .unsubscribe_url = "https://act.test/u/tok" };
			GBytes *b = compose_message(cfg, "newsletter", d, &o, &e);

			if (b == NULL) {
				fprintf(stderr, "bench_compose: %s\n", e->message);
				return 1;
			}
			bytes += g_bytes_get_size(b);
			g_bytes_unref(b);
			g_free(to);
			json_node_unref(d);
		}
		c1 = cpu_us();
		batch[k] = (double)(c1 - c0) / (n / BATCHES);
	}
	t1 = g_get_monotonic_time();
	qsort(batch, BATCHES, sizeof batch[0], cmp_double);
	us = batch[0];
	us_wall = (double)(t1 - t0) / (n / BATCHES * BATCHES);
	n = n / BATCHES * BATCHES;

	/* the same rendering, reading and parsing the templates from disk every time */
	c0 = cpu_us();
	for (int i = 0; i < n; i++) {
		JsonNode *d = member_data(i, md->str, html);
		char *p1 = g_build_filename(templates, "en", "newsletter.txt", NULL);
		char *p2 = g_build_filename(templates, "en", "newsletter.html", NULL);
		char *a, *b;

		g_file_get_contents(p1, &txt_src, NULL, NULL);
		g_file_get_contents(p2, &html_src, NULL, NULL);
		a = template_render(txt_src, d, FALSE, template_partials_dir, tpl_en, NULL);
		b = template_render(html_src, d, TRUE, template_partials_dir, tpl_en, NULL);
		g_free(a);
		g_free(b);
		g_free(txt_src);
		g_free(html_src);
		g_free(p1);
		g_free(p2);
		json_node_unref(d);
	}
	c1 = cpu_us();
	us_disk = (double)(c1 - c0) / n;

	printf("compose newsletter (%zu-byte Markdown, text+HTML, %zu bytes/message, %d messages): "
	       "%.1f us CPU/message (best batch), %.0f messages/s per core (ceiling %.0f us); "
	       "median batch %.1f us, wall %.1f us\n",
	       md->len, bytes / (gsize)n, n, us, 1e6 / us, CEILING_US, batch[BATCHES / 2], us_wall);
	printf("  for comparison, rendering only (no MIME) but reading and parsing the templates "
	       "from disk each time: %.1f us CPU/message\n", us_disk);

	compose_cache_clear();
	config_free(cfg);
	g_free(html);
	g_string_free(md, TRUE);
	g_free(text);
	g_free(conf);
	g_free(templates);
	g_free(tpl_en);
	g_unlink(conf);
	g_rmdir(tmp);
	g_free(tmp);
	g_mime_shutdown();
	return us <= CEILING_US ? 0 : 1;
}
