/* test_corpus_reply.c - replytext_strip on the reply corpus (tests/data/reply-parser: reply
 * bodies with their expected visible text, see its README): one TAP line per sample, a miss
 * shown as a known miss (not ok # TODO) with the difference, figures per set (dev: read
 * while writing the rules; held: every third sample by name, held back), and a floor on the
 * held-back figure. */
#include <string.h>
#include "mail/replytext.h"
#include "harness.h"

/* Floor (percent) on the held-back set: the measured figure, so a regression fails. */
#define FLOOR_HELD 85

/* normalize - text with trailing blanks of each line and surrounding blank lines removed; caller frees */
static char *normalize(const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	GString *s = g_string_new(NULL);
	char *out;

	for (char **l = lines; *l; l++) {
		g_strchomp(*l);
		g_string_append(s, *l);
		g_string_append_c(s, '\n');
	}
	g_strfreev(lines);
	out = g_strdup(g_strstrip(s->str));
	g_string_free(s, TRUE);
	return out;
}

/* cmp_str - qsort comparison of char** */
static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(reply_corpus)
{
	char *dir = harness_data("reply-parser/messages");
	char *exp_dir = harness_data("reply-parser/expected");
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	int n[2] = { 0 }, right[2] = { 0 };

	OK(d != NULL, "corpus folder present");
	while (d && (name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".txt"))
			g_ptr_array_add(names, g_strdup(name));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(names, cmp_str);
	for (guint i = 0; i < names->len; i++) {
		const char *file = g_ptr_array_index(names, i);
		char *path = g_build_filename(dir, file, NULL);
		char *epath = g_build_filename(exp_dir, file, NULL);
		char *text = NULL, *want_raw = NULL, *got_raw, *got, *want, *what;
		int held = i % 3 == 2;

		if (!g_file_get_contents(path, &text, NULL, NULL) ||
		    !g_file_get_contents(epath, &want_raw, NULL, NULL)) {
			what = g_strdup_printf("reply %s readable", file);
			OK(FALSE, what);
			g_free(what);
			g_free(text);
			g_free(want_raw);
			g_free(path);
			g_free(epath);
			continue;
		}
		got_raw = replytext_strip(text);
		got = normalize(got_raw);
		want = normalize(want_raw);
		n[held]++;
		what = g_strdup_printf("reply %s (%s)", file, held ? "held" : "dev");
		if (strcmp(got, want) == 0) {
			right[held]++;
			OK(TRUE, what);
		} else {
			gsize k = 0;
			char *why;

			while (got[k] && got[k] == want[k])
				k++;
			k = k > 40 ? k - 40 : 0;
			why = g_strdup_printf("differs at %zu: got \"%.160s\", want \"%.160s\"", k,
					      got + MIN(k, strlen(got)), want + MIN(k, strlen(want)));

			for (char *p = why; *p; p++)
				if (*p == '\n')
					*p = '|';
			TODO_MISS(what, why);
			g_free(why);
		}
		g_free(what);
		g_free(got);
		g_free(want);
		g_free(got_raw);
		g_free(text);
		g_free(want_raw);
		g_free(path);
		g_free(epath);
	}
	printf("# reply-parser dev:  %d samples, reply text right %d (%.1f%%)\n", n[0], right[0],
	       n[0] ? 100.0 * right[0] / n[0] : 0);
	printf("# reply-parser held: %d samples, reply text right %d (%.1f%%)\n", n[1], right[1],
	       n[1] ? 100.0 * right[1] / n[1] : 0);
	OK(n[0] + n[1] >= 40, "corpus read");
	OK(right[1] * 100 >= n[1] * FLOOR_HELD, "held back: reply text right above the floor");
	g_ptr_array_unref(names);
	g_free(dir);
	g_free(exp_dir);
}

TEST(rule_named)
{
	/* inspect names the marker and the rule file that started the quoted part */
	const char *text = "From: a@example.org\nTo: b@example.org\nSubject: Re: x\n\n"
		"Hyvä idea.\n\npe 20. lokakuuta 2017 klo 17.50 John Coe <john@example.org>\n\n"
		"Alkuperäinen viesti\n";
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(text, strlen(text));
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	char *rule = replytext_rule(m), *vis = replytext_visible(m);

	OK(strstr(rule, "line 3") && strstr(rule, "fi.rules"), "reply rule: the line and fi.rules");
	STR_EQ(vis, "Hyvä idea.", "Finnish Gmail attribution cut by the fi.rules separator");
	g_free(rule);
	g_free(vis);
	g_object_unref(m);
	g_object_unref(p);
	g_object_unref(st);
}

int main(void)
{
	g_mime_init();
	RUN(rule_named);
	RUN(reply_corpus);
	return harness_done();
}
