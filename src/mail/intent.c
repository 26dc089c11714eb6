/*
 * intent.c - what a member's reply means, read against phrase lists that are data.
 *
 * The text is normalised (case-folded, diacritics and apostrophes dropped, punctuation and
 * line ends as boundary tokens "|", a question mark as "?") and split into words; each
 * phrase of each language is matched as whole words ("*" is any one word, "word*" any word
 * starting so, "|" a boundary, which the start and end of the text are too). Decision:
 *   empty -> sign; else "override" phrases (positive phrases with negative words, "no
 *   doubt", "don't let them") are masked and count as sign; a sign phrase with a
 *   "negation" word among the two words before it ("not signing", "ne signe pas") counts
 *   as a decline; then the first intent with a match in the order withdraw, unsubscribe,
 *   decline, sign, question ("?" counts as a question phrase); nothing matched -> sign.
 * So a refusal wins over a positive phrase (a false signature is far worse than a missed
 * one) and an override only shields the words it covers.
 */
#include <string.h>
#include <sysexits.h>
#include "mail/intent.h"
#include "base/pm.h"

/* The kinds of line in a phrase file; OVERRIDE shields its words and counts as sign. */
enum { K_SIGN, K_DECLINE, K_UNSUBSCRIBE, K_QUESTION, K_WITHDRAW, K_OVERRIDE, K_NEGATION,
       K_N };

static const char *const kind_names[K_N] = {
	"sign", "decline", "unsubscribe", "question", "withdraw", "override", "negation"
};

typedef struct {
	int kind;
	char **words;           /* normalised tokens */
	guint n;
	char *text;             /* as written */
	const char *lang;       /* borrowed from the set's language table */
	gboolean anchored;      /* has a plain word (no '*', not '|'): it matches only itself */
	guint anchor;           /* g_str_hash of the first plain word (see cannot_match) */
} Phrase;

struct IntentPhrases {
	GPtrArray *phrases;     /* Phrase * */
	GPtrArray *langs;       /* char * */
};

/* intent_name - the name of an intent */
const char *intent_name(Intent i)
{
	return (unsigned)i < 5 ? kind_names[i] : "sign";
}

/* intent_parse - the intent named s */
gboolean intent_parse(const char *s, Intent *i)
{
	for (int k = 0; s && k < 5; k++)
		if (strcmp(s, kind_names[k]) == 0) {
			*i = (Intent)k;
			return TRUE;
		}
	return FALSE;
}

/* is_apostrophe - characters joined over: ' ’ ` ´ ʼ */
static gboolean is_apostrophe(gunichar c)
{
	return c == '\'' || c == 0x2019 || c == 0x2018 || c == '`' || c == 0xB4 || c == 0x2BC;
}

/* is_boundary - sentence punctuation and line ends */
static gboolean is_boundary(gunichar c)
{
	return c == '.' || c == ',' || c == '!' || c == ';' || c == ':' || c == '\n' ||
	       c == '\r' || c == '|' || c == 0xA1 || c == 0x2026 || c == 0x3002;
}

/* is_ascii - TRUE if s has no byte above 0x7f */
static gboolean is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return FALSE;
	return TRUE;
}

/* normalize - the token string of text; pattern keeps '*' as part of words */
static char *normalize(const char *text, gboolean pattern)
{
	char *folded, *nfd;
	GString *o = g_string_new(NULL);
	gboolean in_word = FALSE;

	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return g_string_free(o, FALSE);
	if (is_ascii(text)) {
		/* most phrases and many replies: no case folding or decomposition needed */
		folded = NULL;
		nfd = g_ascii_strdown(text, -1);
	} else {
		folded = g_utf8_casefold(text, -1);
		nfd = g_utf8_normalize(folded, -1, G_NORMALIZE_NFKD);
	}
	for (const char *p = nfd ? nfd : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		const char *tok = NULL;

		if (g_unichar_ismark(c) || is_apostrophe(c))
			continue;
		if (g_unichar_isalnum(c) || (pattern && c == '*')) {
			if (!in_word && o->len)
				g_string_append_c(o, ' ');
			g_string_append_unichar(o, c);
			in_word = TRUE;
			continue;
		}
		in_word = FALSE;
		if (c == '?' || c == 0xBF)
			tok = c == '?' ? "?" : "|";
		else if (is_boundary(c))
			tok = "|";
		if (tok == NULL)
			continue;
		/* collapse runs of boundaries; "?" wins over "|" */
		if (o->len && (o->str[o->len - 1] == '|' || o->str[o->len - 1] == '?') &&
		    (o->len == 1 || o->str[o->len - 2] == ' ')) {
			if (*tok == '?')
				o->str[o->len - 1] = '?';
			continue;
		}
		if (o->len)
			g_string_append_c(o, ' ');
		g_string_append(o, tok);
	}
	g_free(nfd);
	g_free(folded);
	return g_string_free(o, FALSE);
}

/* intent_normalize - the matching form of text; caller frees */
char *intent_normalize(const char *text)
{
	return normalize(text, FALSE);
}

/* phrase_free - free one phrase */
static void phrase_free(gpointer p)
{
	Phrase *ph = p;

	g_strfreev(ph->words);
	g_free(ph->text);
	g_free(ph);
}

/* intent_phrases_free - free a set */
IntentPhrases *intent_phrases_free(IntentPhrases *ph)
{
	if (ph) {
		g_ptr_array_unref(ph->phrases);
		g_ptr_array_unref(ph->langs);
		g_free(ph);
	}
	return NULL;
}

/* phrase_anchor - the hash of p's first plain word (no '*', not '|': a word that matches
 * only itself), if it has one */
static void phrase_anchor(Phrase *p)
{
	for (guint j = 0; j < p->n; j++) {
		const char *w = p->words[j];

		if ((w[0] == '|' && w[1] == '\0') || strchr(w, '*'))
			continue;
		p->anchored = TRUE;
		p->anchor = g_str_hash(w);
		return;
	}
}

/* load_file - the phrases of one language file; FALSE with EX_CONFIG naming file:line */
static gboolean load_file(IntentPhrases *ph, const char *path, const char *lang,
			  GError **error)
{
	char *data = NULL;
	gsize len = 0;
	char **lines;
	gboolean ok = TRUE;

	if (!g_file_get_contents(path, &data, &len, error)) {
		g_prefix_error(error, "intent phrases: ");
		if (error && *error)
			(*error)->domain = PM_ERROR, (*error)->code = EX_CONFIG;
		return FALSE;
	}
	if (!g_utf8_validate(data, (gssize)len, NULL)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "%s: not UTF-8", path);
		g_free(data);
		return FALSE;
	}
	lines = g_strsplit(data, "\n", -1);
	for (guint i = 0; ok && lines[i]; i++) {
		char *line = g_strstrip(lines[i]), *colon, *norm;
		int kind = -1;

		if (*line == '\0' || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (colon) {
			*colon = '\0';
			g_strstrip(line);
			for (int k = 0; k < K_N; k++)
				if (strcmp(line, kind_names[k]) == 0)
					kind = k;
		}
		norm = kind >= 0 ? normalize(g_strstrip(colon + 1), TRUE) : NULL;
		if (kind < 0 || norm == NULL || strspn(norm, "|? ") == strlen(norm) ||
		    (kind == K_NEGATION && strchr(norm, ' '))) {
			g_set_error(error, PM_ERROR, EX_CONFIG,
				    "%s:%u: expected 'INTENT: phrase' (sign, decline, unsubscribe, "
				    "question, withdraw, override or negation)", path, i + 1);
			ok = FALSE;
		} else {
			Phrase *p = g_new0(Phrase, 1);

			p->kind = kind;
			p->words = g_strsplit(norm, " ", -1);
			p->n = g_strv_length(p->words);
			phrase_anchor(p);
			p->text = g_strdup(colon + 1);
			p->lang = lang;
			g_ptr_array_add(ph->phrases, p);
		}
		g_free(norm);
	}
	g_strfreev(lines);
	g_free(data);
	return ok;
}

/* name_cmp - g_ptr_array_sort's comparison of two file names */
static gint name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* intent_phrases_load - every DIR/LANG.txt */
IntentPhrases *intent_phrases_load(const char *dir, GError **error)
{
	IntentPhrases *ph;
	GDir *d;
	const char *name;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	if (dir == NULL || (d = g_dir_open(dir, 0, NULL)) == NULL) {
		g_set_error(error, PM_ERROR, EX_CONFIG,
			    "intent phrases: cannot open folder %s (set intent_phrases in the "
			    "configuration; make install copies data/intent)", dir ? dir : "(unset)");
		g_ptr_array_unref(names);
		return NULL;
	}
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".txt") && name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, name_cmp);
	ph = g_new0(IntentPhrases, 1);
	ph->phrases = g_ptr_array_new_with_free_func(phrase_free);
	ph->langs = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		char *path = g_build_filename(dir, n, NULL);
		char *lang = g_strndup(n, strlen(n) - 4);

		g_ptr_array_add(ph->langs, lang);
		if (!load_file(ph, path, lang, error)) {
			g_free(path);
			g_ptr_array_unref(names);
			return intent_phrases_free(ph);
		}
		g_free(path);
	}
	g_ptr_array_unref(names);
	if (ph->phrases->len == 0) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "intent phrases: no LANG.txt phrases in %s",
			    dir);
		return intent_phrases_free(ph);
	}
	return ph;
}

/* intent_phrases_languages - the languages, comma-separated */
char *intent_phrases_languages(const IntentPhrases *ph)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; ph && i < ph->langs->len; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "",
				       (char *)g_ptr_array_index(ph->langs, i));
	return g_string_free(s, FALSE);
}

/* word_matches - one pattern token against one text token (NULL: masked). Every phrase
 * of every language is tried at every word of the text: the first octets decide most
 * pairs without a call */
static gboolean word_matches(const char *pat, const char *w)
{
	gboolean w_mark, p_bar;
	gsize n;

	if (w == NULL)
		return FALSE;
	w_mark = (w[0] == '|' || w[0] == '?') && w[1] == '\0';
	p_bar = pat[0] == '|' && pat[1] == '\0';
	if (p_bar)
		return w_mark;
	if (w_mark)
		return strcmp(pat, w) == 0;
	if (pat[0] == '*' && pat[1] == '\0')
		return TRUE;
	if (pat[0] != w[0] && pat[0] != '*')
		return FALSE;   /* a word or a prefix: the first octet must be the same */
	n = strlen(pat);
	if (n > 1 && pat[n - 1] == '*')
		return strncmp(pat, w, n - 1) == 0;
	return strcmp(pat, w) == 0;
}

/* The words of a text as a filter of 2,048 bits (two per word, from its g_str_hash): a
 * phrase whose anchor is not in it cannot match. Every phrase of every language is tried
 * on every reply; most are decided by two bit tests instead of a scan. */
typedef struct {
	guint64 bits[32];
} WordFilter;

#define FILTER_BIT(h) ((h) & 2047u)
#define FILTER_BIT2(h) (((h) >> 11) & 2047u)

/* text_words - the filter of words[0..n) */
static void text_words(WordFilter *f, char **words, guint n)
{
	memset(f, 0, sizeof *f);
	for (guint i = 0; i < n; i++) {
		guint h = g_str_hash(words[i]);

		f->bits[FILTER_BIT(h) / 64] |= G_GUINT64_CONSTANT(1) << (FILTER_BIT(h) % 64);
		f->bits[FILTER_BIT2(h) / 64] |= G_GUINT64_CONSTANT(1) << (FILTER_BIT2(h) % 64);
	}
}

/* cannot_match - TRUE when p's anchor (its first plain word) is surely none of the
 * text's words (a FALSE may be wrong: match_at decides then) */
static gboolean cannot_match(const Phrase *p, const WordFilter *f)
{
	if (!p->anchored)
		return FALSE;
	return !(f->bits[FILTER_BIT(p->anchor) / 64] &
		 (G_GUINT64_CONSTANT(1) << (FILTER_BIT(p->anchor) % 64))) ||
	       !(f->bits[FILTER_BIT2(p->anchor) / 64] &
		 (G_GUINT64_CONSTANT(1) << (FILTER_BIT2(p->anchor) % 64)));
}

/* match_at - the first position where p matches words[0..n), or -1 */
static int match_at(const Phrase *p, char **words, guint n)
{
	for (guint i = 0; i + p->n <= n; i++) {
		guint j = 0;

		while (j < p->n && word_matches(p->words[j], words[i + j]))
			j++;
		if (j == p->n)
			return (int)i;
	}
	return -1;
}

/* negated - TRUE if one of the two words before position i (in the same sentence) is a
 * negation word of any language ("not sign me up", "je ne signe pas") */
static gboolean negated(const IntentPhrases *ph, char **words, int i)
{
	for (int back = 1; back <= 2 && i - back >= 0; back++) {
		const char *w = words[i - back];

		if (strcmp(w, "|") == 0 || strcmp(w, "?") == 0)
			return FALSE;
		for (guint k = 0; k < ph->phrases->len; k++) {
			const Phrase *p = g_ptr_array_index(ph->phrases, k);

			if (p->kind == K_NEGATION && p->n == 1 && word_matches(p->words[0], w))
				return TRUE;
		}
	}
	return FALSE;
}

/* set_reading - fill out from phrase p (or a rule when p is NULL) */
static void set_reading(IntentReading *out, Intent i, const Phrase *p, const char *rule)
{
	out->intent = i;
	out->phrase = g_strdup(p ? p->text : rule);
	out->lang = p ? g_strdup(p->lang) : NULL;
}

/* intent_read - read text */
void intent_read(const IntentPhrases *ph, const char *text, IntentReading *out)
{
	char *norm = normalize(text, FALSE);
	char *framed = g_strconcat("| ", norm, " |", NULL);
	char **words = g_strsplit(framed, " ", -1);
	guint n = g_strv_length(words);
	const Phrase *best[K_N] = { NULL }, *denied = NULL;
	WordFilter have;
	int at[K_N] = { 0 };
	gboolean any_word = FALSE, question_mark = FALSE;
	static const int order[] = { K_WITHDRAW, K_UNSUBSCRIBE, K_DECLINE, K_SIGN, K_OVERRIDE,
				     K_QUESTION };

	memset(out, 0, sizeof *out);
	for (guint i = 0; i < n; i++) {
		if (strcmp(words[i], "?") == 0)
			question_mark = TRUE;
		else if (strcmp(words[i], "|") != 0 && *words[i])
			any_word = TRUE;
	}
	if (!any_word || ph == NULL) {
		set_reading(out, INTENT_SIGN, NULL, any_word ? "(no phrases loaded)" : "(empty reply)");
		goto out;
	}
	/* the filter of the words before masking: a phrase whose word is not in it cannot
	 * match (masking only takes words away) */
	text_words(&have, words, n);
	/* overrides first: their words are masked from the other intents */
	for (guint k = 0; k < ph->phrases->len; k++) {
		const Phrase *p = g_ptr_array_index(ph->phrases, k);
		int m;

		if (p->kind != K_OVERRIDE || cannot_match(p, &have))
			continue;
		while ((m = match_at(p, words, n)) >= 0) {
			if (best[K_OVERRIDE] == NULL || p->n > best[K_OVERRIDE]->n)
				best[K_OVERRIDE] = p;
			for (guint j = 0; j < p->n; j++)
				if (strcmp(p->words[j], "|") != 0) {
					g_free(words[m + j]);
					words[m + j] = g_strdup("\x01");
				}
		}
	}
	for (guint k = 0; k < ph->phrases->len; k++) {
		const Phrase *p = g_ptr_array_index(ph->phrases, k);
		int i = p->kind < K_OVERRIDE && !cannot_match(p, &have) ? match_at(p, words, n) : -1;

		if (i >= 0 && p->kind == K_SIGN && negated(ph, words, i)) {
			/* a negated sign phrase is a refusal: "I am not signing" */
			if (denied == NULL || p->n > denied->n)
				denied = p;
			continue;
		}
		if (i >= 0 && (best[p->kind] == NULL || p->n > best[p->kind]->n)) {
			best[p->kind] = p;
			at[p->kind] = i;
		}
	}
	/* "remove my name from your list": a longer unsubscribe phrase over the same words
	 * beats the withdraw phrase inside it */
	if (best[K_WITHDRAW] && best[K_UNSUBSCRIBE] &&
	    best[K_UNSUBSCRIBE]->n > best[K_WITHDRAW]->n &&
	    at[K_UNSUBSCRIBE] <= at[K_WITHDRAW] &&
	    at[K_WITHDRAW] < at[K_UNSUBSCRIBE] + (int)best[K_UNSUBSCRIBE]->n)
		best[K_WITHDRAW] = NULL;
	if (best[K_DECLINE] == NULL && denied && best[K_WITHDRAW] == NULL &&
	    best[K_UNSUBSCRIBE] == NULL) {
		char *why = g_strdup_printf("(negated) %s", denied->text);

		set_reading(out, INTENT_DECLINE, NULL, why);
		out->lang = g_strdup(denied->lang);
		g_free(why);
		goto out;
	}
	for (guint k = 0; k < G_N_ELEMENTS(order); k++) {
		const Phrase *p = best[order[k]];

		if (p) {
			set_reading(out, order[k] == K_OVERRIDE ? INTENT_SIGN : (Intent)order[k], p,
				    NULL);
			goto out;
		}
	}
	if (question_mark)
		set_reading(out, INTENT_QUESTION, NULL, "(question mark)");
	else
		set_reading(out, INTENT_SIGN, NULL, "(no phrase)");
out:
	g_strfreev(words);
	g_free(framed);
	g_free(norm);
}

/* same_words - two phrases with the same words */
static gboolean same_words(const Phrase *a, const Phrase *b)
{
	if (a->n != b->n)
		return FALSE;
	for (guint i = 0; i < a->n; i++)
		if (strcmp(a->words[i], b->words[i]) != 0)
			return FALSE;
	return TRUE;
}

/* shared_phrase - p is written the same in another language's file */
static gboolean shared_phrase(const IntentPhrases *ph, const Phrase *p)
{
	for (guint k = 0; k < ph->phrases->len; k++) {
		const Phrase *q = g_ptr_array_index(ph->phrases, k);

		if (q->lang != p->lang && strcmp(q->lang, p->lang) != 0 && same_words(p, q))
			return TRUE;
	}
	return FALSE;
}

/* intent_language - the one language whose own phrases text matches, or NULL */
char *intent_language(const IntentPhrases *ph, const char *text)
{
	char *norm, *framed, **words;
	WordFilter have;
	const char *found = NULL;
	gboolean several = FALSE;
	guint n;

	if (ph == NULL || text == NULL)
		return NULL;
	norm = normalize(text, FALSE);
	framed = g_strconcat("| ", norm, " |", NULL);
	words = g_strsplit(framed, " ", -1);
	n = g_strv_length(words);
	text_words(&have, words, n);
	for (guint k = 0; k < ph->phrases->len && !several; k++) {
		const Phrase *p = g_ptr_array_index(ph->phrases, k);

		if (p->kind == K_NEGATION || (found && strcmp(found, p->lang) == 0) ||
		    cannot_match(p, &have) || match_at(p, words, n) < 0 || shared_phrase(ph, p))
			continue;
		if (found)
			several = TRUE;
		found = p->lang;
	}
	g_strfreev(words);
	g_free(framed);
	g_free(norm);
	return found && !several ? g_strdup(found) : NULL;
}

/* intent_reading_clear - free what r holds */
void intent_reading_clear(IntentReading *r)
{
	g_free(r->phrase);
	g_free(r->lang);
	r->phrase = r->lang = NULL;
}

/* intent_phrases_shared - one loaded set per folder, kept for the process (the phrase
 * files cost about 2 ms to read: per message that was most of a reply's work) */
const IntentPhrases *intent_phrases_shared(const char *dir, GError **error)
{
	static GMutex lock;
	static GHashTable *loaded;       /* dir -> IntentPhrases*, never freed */
	IntentPhrases *ph;

	g_mutex_lock(&lock);
	if (loaded == NULL)
		loaded = g_hash_table_new(g_str_hash, g_str_equal);
	ph = dir ? g_hash_table_lookup(loaded, dir) : NULL;
	if (ph == NULL && (ph = intent_phrases_load(dir, error)) != NULL)
		g_hash_table_insert(loaded, g_strdup(dir), ph);
	g_mutex_unlock(&lock);
	return ph;
}
