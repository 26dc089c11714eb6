/*
 * replytext.c - the visible text of a member's reply.
 *
 * Owns: DOM-level quote removal for HTML (blockquote, Gmail/Yahoo/Thunderbird/ProtonMail
 * quote containers, Outlook's reply header and everything after it, as a filter on
 * mimetext's HTML to text), and text-level stripping of quotes, attribution lines in many
 * languages, header blocks, forwarded messages, mobile footers and "-- " signatures.
 * The text itself (part choice, charsets, format=flowed, HTML to text) is mimetext's.
 *
 * The text-level quote stripping follows the approach of mailgun/talon (Apache-2.0):
 * every line gets a marker (e empty, m quoted, s splitter, f forward, t text) and the
 * marker sequence decides what goes. Patterns were rewritten for C and widened.
 * Work is bounded: input text, lines, MIME parts, nesting and HTML depth are capped.
 *
 * Not: deciding what the message means (inbound), nor auto-reply detection (autoreply),
 * nor reading MIME parts and HTML (mimetext, which loads libxml2 on first use).
 *
 * DIAGNOSTICS: none; every function returns a string, possibly empty, never NULL.
 */
#include <stdarg.h>
#include <string.h>
#include "mail/mimetext.h"
#include "mail/replytext.h"
#include "mail/rules.h"

#define MAX_TEXT   (1024 * 1024)   /* bytes of text considered per message */
#define MAX_PART   (4 * 1024 * 1024) /* decoded bytes of one MIME part read */
#define MAX_LINES  10000           /* lines considered by quote stripping */
#define MAX_PARTS  200             /* MIME parts visited */
#define MAX_MIME_DEPTH 16
#define MAX_WINDOW_LINE 400        /* longer lines are never attribution lines */
#define SPLIT_WINDOW 6             /* lines one splitter may span */

/* ==== Patterns, compiled once ==== */

/* The words of attributions and header blocks are data, one rules/reply/LANG.rules file per
 * language: "opener" (On, Le, Am...), "wrote" (a whole word ending an attribution),
 * "wrote_cjk" (CJK "wrote", which follows other letters directly), "wrote_mid" (the verb
 * before the name: "Am <date> schrieb X:"), "header_from", "header_date", "header_field"
 * (the names of a header block's lines). */

typedef struct {
	GRegex *opener;       /* "On ", "Le ", "Am "... starting an attribution line */
	GRegex *end_wrote;    /* a line ending in "wrote" / "sent" (colon and dashes optional) */
	GRegex *end_wrote_colon; /* a line ending in "wrote:" */
	GRegex *polymail;     /* On <date> X\n\n<\nmailto:X\n> wrote: */
	GRegex *rev_start;    /* Am <date> ... / <date> ...: an attribution with the verb inside */
	GRegex *rev_verb;     /* " schrieb ", " skrev "... */
	GRegex *time_colon;   /* a time ending the line before its colon: "... um 14:49:" */
	GRegex *date_start;   /* 2014-10-17, 26.06.2014, Thu, 26 Jun 2014, 2020年 */
	GRegex *dash_end;     /* "wrote ----" ending a line */
	GRegex *mid_opener;   /* an opener inside a line, after some text */
	GRegex *original;     /* -----Original Message----- */
	GRegex *forward;      /* ---------- Forwarded message ---------- */
	GRegex *underscores;  /* ________________________________ */
	GRegex *dash_title;   /* "-------- Mesaj redirecționat --------" in any language */
	GRegex *when;         /* a time (10:00, 10.00) or a year (2026) */
	GRegex *label;        /* "Word: " / "Two words : " / "*Word:*" opening a header line, any language */
	GRegex *header;       /* From: / Sent: / Subject: ... in many languages */
	GRegex *header_inside; /* a From: or Date: label inside a line, after other text */
	GRegex *footer;       /* Sent from my iPhone ... */
	GRegex *separator;    /* a whole line starting the quoted part (rules "separator") */
	GPtrArray *rules;     /* PmRule* of rules/reply/LANG.rules (kept: they live for the process) */
} Patterns;

/* compile - a GRegex from a pattern known to be valid; aborts on a programming error.
 * No G_REGEX_OPTIMIZE (PCRE2's JIT): compiling these patterns to machine code costs more
 * than it saves in a process that reads one message (about 5 ms in `peermail receive`). */
static GRegex *compile(const char *pattern, GRegexCompileFlags flags)
{
	GError *err = NULL;
	GRegex *re = g_regex_new(pattern, flags, 0, &err);

	if (re == NULL)
		g_error("replytext: bad pattern %s: %s", pattern, err->message);
	return re;
}

/* compile_printf - compile() of a pattern built from fmt and its arguments */
static GRegex *compile_printf(GRegexCompileFlags flags, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static GRegex *compile_printf(GRegexCompileFlags flags, const char *fmt, ...)
{
	va_list ap;
	char *pat;
	GRegex *re;

	va_start(ap, fmt);
	pat = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	re = compile(pat, flags);
	g_free(pat);
	return re;
}

/* alternation_or_never - the alternation of kind's patterns, or one that never matches;
 * caller frees */
static char *alternation_or_never(const GPtrArray *rules, const char *kind)
{
	char *a = rules_alternation(rules, kind);

	return a ? a : g_strdup("(?!)");
}

/* patterns - the compiled patterns, built once, thread-safely; never freed */
static const Patterns *patterns(void)
{
	static gsize once;
	static Patterns p;
	GPtrArray *rules;
	char *orig, *fwd, *fwd_begin, *foot, *sep, *pat;
	const GRegexCompileFlags ml = G_REGEX_MULTILINE, ci = G_REGEX_MULTILINE | G_REGEX_CASELESS;

	if (g_once_init_enter(&once)) {
		char *opener, *wrote, *wrote_cjk, *wrote_mid, *h_from, *h_date, *h_field, *kw_any;

		p.rules = rules = rules_load(pm_reply_rules, FALSE);
		opener = alternation_or_never(rules, "opener");
		wrote = alternation_or_never(rules, "wrote");
		wrote_cjk = alternation_or_never(rules, "wrote_cjk");
		wrote_mid = alternation_or_never(rules, "wrote_mid");
		h_from = alternation_or_never(rules, "header_from");
		h_date = alternation_or_never(rules, "header_date");
		h_field = alternation_or_never(rules, "header_field");
		/* "wrote" after a word boundary, or CJK "wrote" right after digits or letters */
		kw_any = g_strdup_printf("(?:(?<![\\w])(?:%s)|%s)", wrote, wrote_cjk);
		/* every pattern is anchored or starts with a literal alternation, and none nests
		 * unbounded repeats: the work per line stays linear (see splitter) */
		p.opener = compile_printf(0, "^[ \\t]*-*[ \\t]*>?[ \\t]*(?:%s)[ \\t]", opener);
		p.end_wrote = compile_printf(0, "(?:%s|(?<![\\w])sent)[ \\t]*[:：]?[ \\t]*-*[ \\t]*$", kw_any);
		p.end_wrote_colon = compile_printf(0, "%s[ \\t]*[:：][ \\t]*$", kw_any);
		p.polymail = compile("^[ \\t]*On[ \\t][^\\n]*\\n(?:[ \\t]*\\n)?[ \\t]*<[ \\t]*\\n?"
			"[ \\t]*mailto:[^\\n]*\\n[ \\t]*>[ \\t]*wrote[ \\t]*:[ \\t]*$", ml);
		p.rev_start = compile_printf(0, "^[ \\t]*>?[ \\t]*(?:(?:%s)[ \\t]|\\d|\\w{2,4}\\.?,?[ \\t]+\\d)", opener);
		p.rev_verb = compile_printf(0, "[ \\t](?:%s)[ \\t]", wrote_mid);
		p.time_colon = compile("(?<![\\d:.])\\d{1,2}[:.]\\d{2}(?:[ \\t]*\\p{L}{1,3}\\.?)?[ \\t]*[:：][ \\t]*$", 0);
		p.date_start = compile("^[ \\t]*>?[ \\t]*(?:\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}|\\d{4}年|"
			"\\w{2,10}\\.?,?[ \\t]+\\d{1,2}\\.?[ \\t]+\\w{3,10}\\.?[ \\t]+\\d{4})", 0);
		p.dash_end = compile_printf(0, "%s[ \\t]*-{2,}[ \\t]*$", kw_any);
		p.mid_opener = compile_printf(0, "(?<=\\S)[ \\t]*(-*[ \\t]*(?:%s)[ \\t])", opener);
		orig = rules_alternation(rules, "original");
		fwd = rules_alternation(rules, "forward");
		fwd_begin = rules_alternation(rules, "forward_begin");
		foot = rules_alternation(rules, "footer");
		sep = rules_alternation(rules, "separator");
		pat = g_strdup_printf("^[ \\t]*[*_]?-{2,}[ \\t]*(?:%s)[ \\t]*-{2,}[^\\n]*$",
				      orig ? orig : "(?!)");
		p.original = compile(pat, ci);
		g_free(pat);
		pat = g_strdup_printf("^[ \\t]*(?:-{2,}[ \\t]*(?:%s)[ \\t]*-{2,}[^\\n]*|"
				      "(?:%s)[ \\t]*[:：][ \\t]*)$", fwd ? fwd : "(?!)",
				      fwd_begin ? fwd_begin : "(?!)");
		p.forward = compile(pat, ci);
		g_free(pat);
		pat = g_strdup_printf("^(?:%s)$", foot ? foot : "(?!)");
		p.footer = compile(pat, G_REGEX_CASELESS);
		g_free(pat);
		p.separator = compile(sep ? sep : "(?!)", G_REGEX_CASELESS);
		g_free(orig);
		g_free(fwd);
		g_free(fwd_begin);
		g_free(foot);
		g_free(sep);
		p.underscores = compile("^[ \\t]*_{10,}[ \\t]*$", 0);
		p.label = compile("^[ \\t]*[*_]?\\p{L}[\\p{L}\\p{M} .'-]{0,30}[*_]?[ \\t]?[:：][*_]?(?:[ \\t]|$)", 0);
		p.when = compile("(?<!\\d)(?:\\d{1,2}[:.]\\d{2}|(?:19|20)\\d{2})(?!\\d)", 0);
		p.dash_title = compile("^[ \\t]*[*_]?-{2,}[ \\t]*[^-\\s][^\\n]{0,80}?[ \\t]*-{2,}[*_]?"
			"[ \\t]*([^\\n]*)$", 0);
		/* "*From:*", and markdown's "**From:**" and "** De : ... **" (help desks) */
		p.header = compile_printf(G_REGEX_CASELESS, "^[ \\t]*(?:[*_]{1,2}[ \\t]?)?(?:(%s)|(%s)|(%s))"
			"[*_]{0,2}[ \\t]?[:：][*_]{0,2}(?:[ \\t]|$)", h_from, h_date, h_field);
		p.header_inside = compile_printf(G_REGEX_CASELESS, "(?<=[^\\p{L}\\p{M}])(?:%s|%s)[ \\t]?[:：][ \\t]",
			h_from, h_date);
		g_free(opener);
		g_free(wrote);
		g_free(wrote_cjk);
		g_free(wrote_mid);
		g_free(h_from);
		g_free(h_date);
		g_free(h_field);
		g_free(kw_any);
		g_once_init_leave(&once, 1);
	}
	return &p;
}

/* truncate_utf8 - cut s in place to at most max bytes on a character boundary */
static void truncate_utf8(char *s, gsize max)
{
	gsize len = strlen(s);
	char *p;

	if (len <= max)
		return;
	p = s + max;
	while (p > s && ((guchar)*p & 0xC0) == 0x80)
		p--;
	*p = '\0';
}

/* ==== HTML to text ==== */

/* has_token - TRUE when the space-separated list (class attribute) holds tok, or x_tok */
static gboolean has_token(const char *list, const char *tok)
{
	char **v;
	gboolean found = FALSE;

	if (list == NULL)
		return FALSE;
	v = g_strsplit_set(list, " \t\r\n", -1);
	for (int i = 0; v[i] && !found; i++) {
		const char *t = g_str_has_prefix(v[i], "x_") ? v[i] + 2 : v[i];
		found = g_ascii_strcasecmp(t, tok) == 0;
	}
	g_strfreev(v);
	return found;
}

/* is_quote_container - TRUE for elements holding quoted text or a signature */
static gboolean is_quote_container(const MimeTextElement *el, const char *name)
{
	static const char *const classes[] = { "gmail_quote", "gmail_quote_container", "gmail_attr",
		"yahoo_quoted", "protonmail_quote", "moz-cite-prefix", "gmail_signature",
		"gmail_signature_prefix", "moz-signature", "zmail_extra", NULL };
	char *cls, *id;
	gboolean q = FALSE;

	if (strcmp(name, "blockquote") == 0)
		return TRUE;
	cls = mimetext_element_attr(el, "class");
	id = mimetext_element_attr(el, "id");
	for (int i = 0; classes[i] && !q; i++)
		q = has_token(cls, classes[i]);
	if (!q && id) {
		const char *i2 = g_str_has_prefix(id, "x_") ? id + 2 : id;
		q = g_ascii_strcasecmp(i2, "Signature") == 0 || g_str_has_prefix(i2, "yahoo_quoted");
	}
	g_free(cls);
	g_free(id);
	return q;
}

/* is_reply_start - TRUE for elements that start the quoted message (drop from here on) */
static gboolean is_reply_start(const MimeTextElement *el, const char *name)
{
	static const char *const ids[] = { "divRplyFwdMsg", "appendonsend", "OLK_SRC_BODY_SECTION",
		"zwchr", "stopSpelling", "mail-editor-reference-message-container", NULL };
	char *id = mimetext_element_attr(el, "id"), *cls, *style;
	gboolean r = FALSE;

	if (id) {
		const char *i2 = g_str_has_prefix(id, "x_") ? id + 2 : id;
		for (int i = 0; ids[i] && !r; i++)
			r = g_ascii_strcasecmp(i2, ids[i]) == 0;
	}
	g_free(id);
	if (r)
		return TRUE;
	cls = mimetext_element_attr(el, "class");
	r = has_token(cls, "OutlookMessageHeader") || has_token(cls, "AppleOriginalContents");
	g_free(cls);
	if (r || strcmp(name, "div") != 0)
		return r;
	/* Outlook desktop: the reply header sits in a div with a thin top border */
	style = mimetext_element_attr(el, "style");
	if (style) {
		char *s = g_ascii_strdown(style, -1);
		GString *nows = g_string_new(NULL);
		for (char *c = s; *c; c++)
			if (!g_ascii_isspace(*c))
				g_string_append_c(nows, *c);
		r = strstr(nows->str, "border-top:solid#b5c4df") || strstr(nows->str, "border-top:solid#e1e1e1");
		g_string_free(nows, TRUE);
		g_free(s);
	}
	g_free(style);
	return r;
}

/* quote_filter - mimetext's HTML filter: stop at a reply header, drop quote containers */
static MimeTextVerdict quote_filter(const MimeTextElement *el, gpointer unused)
{
	const char *name = mimetext_element_name(el);

	if (is_reply_start(el, name))
		return MIMETEXT_STOP;
	return is_quote_container(el, name) ? MIMETEXT_SKIP : MIMETEXT_KEEP;
}

/* html_text - HTML to text; with strip, DOM quotes and what follows a reply header go */
static char *html_text(const char *html, gboolean strip)
{
	return mimetext_html_to_text(html, strip ? quote_filter : NULL, NULL);
}

/* ==== Quote stripping on text ==== */

/* split_lines - text as owned lines: CRLF and CR normalized, bounded; free with g_ptr_array_unref */
static GPtrArray *split_lines(const char *text)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	const char *p = text, *end = text + strlen(text);

	while (p <= end && lines->len < MAX_LINES && (gsize)(p - text) <= MAX_TEXT) {
		const char *e;

		/* a byte order mark or zero-width space opening a line (Outlook for Mac starts
		 * its attribution with one) is invisible and hides what the line starts with */
		while (g_str_has_prefix(p, "\xef\xbb\xbf") || g_str_has_prefix(p, "\xe2\x80\x8b"))
			p += 3;
		e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		g_ptr_array_add(lines, g_strndup(p, e - p));
		if (e >= end)
			break;
		p = e + (e[0] == '\r' && e[1] == '\n' ? 2 : 1);
	}
	return lines;
}

/* is_quote_line - TRUE for lines starting with a ">" quote marker, or with Supercite's
 * initials before it ("JD> ", "C>": Emacs and some Usenet-era clients) */
static gboolean is_quote_line(const char *s)
{
	int caps = 0;

	if (*s == ' ')
		s++;
	while (caps < 3 && g_ascii_isupper(s[caps]))
		caps++;
	if (caps > 0 && s[caps] == '>' && (s[caps + 1] == '\0' || s[caps + 1] == ' ' || s[caps + 1] == '>'))
		return TRUE;
	return *s == '>';
}

/* header_kind - 1 From-like, 2 Date/Sent-like, 3 other header line, 0 not a header line */
static int header_kind(const char *line)
{
	GMatchInfo *mi = NULL;
	int kind = 0;

	if (strlen(line) <= 2000 && g_regex_match(patterns()->header, line, 0, &mi)) {
		for (int g = 1; g <= 3 && !kind; g++) {
			int s = -1, e = -1;
			if (g_match_info_fetch_pos(mi, g, &s, &e) && s >= 0)
				kind = g;
		}
	}
	g_match_info_free(mi);
	return kind;
}

/* has_evidence - TRUE when a header value holds a digit or an address */
static gboolean has_evidence(const char *s)
{
	for (; *s; s++)
		if (g_ascii_isdigit(*s) || *s == '@')
			return TRUE;
	return FALSE;
}

/* header_block - lines taken by a reply header block at i (From:/Sent:/To:...), or 0 */
static guint header_block(GPtrArray *lines, guint i)
{
	guint j = i, n = 0;
	gboolean from_or_date = FALSE, evidence = FALSE;

	if (j < lines->len && g_regex_match(patterns()->underscores, lines->pdata[j], 0, NULL))
		j++;
	while (j < lines->len && j < i + 16) {
		int k = header_kind(lines->pdata[j]);
		if (k == 0)
			break;
		n++;
		from_or_date |= k == 1 || k == 2;
		evidence |= has_evidence(lines->pdata[j]);
		/* a block a converter ran into one line ("Temat: Re: x 2023-01-17 13:46Nadawca:
		 * a@b Adresat:"): a From or Date label after the first counts as a second line */
		if (strlen(lines->pdata[j]) <= MAX_WINDOW_LINE && strchr(lines->pdata[j], '@') &&
		    g_regex_match(patterns()->header_inside, g_utf8_next_char((const char *)lines->pdata[j]), 0, NULL)) {
			n++;
			from_or_date = TRUE;
		}
		j++;
		/* a value wrapped onto one more line, when another header follows it */
		if (j + 1 < lines->len && !header_kind(lines->pdata[j]) && !mimetext_is_blank(lines->pdata[j]) &&
		    header_kind(lines->pdata[j + 1])) {
			evidence |= has_evidence(lines->pdata[j]);
			j++;
		}
	}
	return n >= 2 && from_or_date && evidence ? j - i : 0;
}

/* next_nonblank_quoted - TRUE when the first non-blank line from i is a quote line */
static gboolean next_nonblank_quoted(GPtrArray *lines, guint i)
{
	for (; i < lines->len; i++)
		if (!mimetext_is_blank(lines->pdata[i]))
			return is_quote_line(lines->pdata[i]);
	return FALSE;
}

/* next_nonblank_indented - TRUE when the first non-blank line from i is quoted or indented
 * by a tab or four spaces (Outlook for Mac quotes by indenting) */
static gboolean next_nonblank_indented(GPtrArray *lines, guint i)
{
	for (; i < lines->len; i++) {
		const char *l = lines->pdata[i];
		if (!mimetext_is_blank(l))
			return is_quote_line(l) || *l == '\t' || g_str_has_prefix(l, "    ");
	}
	return FALSE;
}

/* match_lines - lines spanned by an anchored match of re on window, or 0 */
static guint match_lines(GRegex *re, const char *window)
{
	GMatchInfo *mi = NULL;
	guint n = 0;

	if (g_regex_match(re, window, G_REGEX_MATCH_ANCHORED, &mi)) {
		int s = 0, e = 0;
		g_match_info_fetch_pos(mi, 0, &s, &e);
		n = 1;
		for (int k = s; k < e; k++)
			if (window[k] == '\n')
				n++;
	}
	g_match_info_free(mi);
	return n;
}

/* found - TRUE when re matches somewhere in s (anchored patterns: at the start) */
static gboolean found(GRegex *re, const char *s)
{
	return g_regex_match(re, s, 0, NULL);
}

/* has_digit - TRUE when s holds an ASCII digit */
static gboolean has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

/* rtrim_len - length of s without trailing white space */
static gsize rtrim_len(const char *s)
{
	gsize n = strlen(s);

	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	return n;
}

/* ends_with_colon - TRUE when s ends with ":" (or a full-width colon) before white space */
static gboolean ends_with_colon(const char *s)
{
	gsize n = rtrim_len(s);

	return (n >= 1 && s[n - 1] == ':') || (n >= 3 && memcmp(s + n - 3, "\xef\xbc\x9a", 3) == 0);
}

/* ends_with_address - TRUE when s ends with an address in <>, (), quotes, or before a colon:
 * "Name <a@b.example>", "a@b.example:", "Name <a@b.example>:" */
static gboolean ends_with_address(const char *s)
{
	gsize n = rtrim_len(s), b;
	gboolean marked = FALSE;
	const char *at;

	if (ends_with_colon(s)) {
		n -= s[n - 1] == ':' ? 1 : 3;
		marked = TRUE;
		while (n > 0 && g_ascii_isspace(s[n - 1]))
			n--;
	}
	while (n > 0 && strchr(">)\"]", s[n - 1])) {
		n--;
		marked = TRUE;
	}
	if (!marked)
		return FALSE;
	b = n;
	while (b > 0 && !g_ascii_isspace(s[b - 1]) && !strchr("<(\"[", s[b - 1]))
		b--;
	at = memchr(s + b, '@', n - b);
	return at && at > s + b && memchr(at + 1, '@', s + n - at - 1) == NULL &&
		memchr(at + 1, '.', s + n - at - 1) != NULL;
}

/* attribution - lines taken by an attribution ("On <date>, X wrote:" and its relatives in
 * other languages and clients) starting at line i, or 0. Each check reads a line a bounded
 * number of times: anchored prefixes, end-of-line searches and plain C scans. */
static guint attribution(GPtrArray *lines, guint i)
{
	const Patterns *p = patterns();
	const char *line = lines->pdata[i];
	guint last = MIN(lines->len, i + 3);   /* an attribution spans at most 3 lines */

	for (guint k = i; k < last; k++)
		if (strlen(lines->pdata[k]) > MAX_WINDOW_LINE)
			last = k;
	if (last == i)
		return 0;
	/* On <date>, X wrote:  /  Le <date>, X a écrit :  /  ------On <date>, X wrote----- */
	if (found(p->opener, line) && has_digit(line)) {
		GString *joined = g_string_new(NULL);

		/* each line, or the lines so far joined: a verb of two words wrapped between
		 * them ("... <a@b> a" / "écrit :", "... ha" / "scritto:") */
		for (guint k = i; k < last; k++) {
			g_string_append_printf(joined, "%s%s", k > i ? " " : "", (const char *)lines->pdata[k]);
			if (found(p->end_wrote, lines->pdata[k]) || (k > i && found(p->end_wrote, joined->str))) {
				g_string_free(joined, TRUE);
				return k - i + 1;
			}
		}
		g_string_free(joined, TRUE);
		if (g_str_has_prefix(line + strspn(line, " \t"), "On")) {   /* polymail */
			GString *w = g_string_new(line);
			guint n;
			for (guint k = i + 1; k < lines->len && k < i + SPLIT_WINDOW; k++)
				g_string_append_printf(w, "\n%s", (const char *)lines->pdata[k]);
			n = w->len < 2000 && strstr(w->str, "mailto:") ? match_lines(p->polymail, w->str) : 0;
			g_string_free(w, TRUE);
			if (n)
				return n;
		}
	}
	/* Am <date> schrieb X <addr>:  /  Den <date> skrev X:  (the verb before the name) */
	if (found(p->rev_start, line)) {
		for (guint k = i; k < last; k++) {
			if (ends_with_colon(lines->pdata[k])) {
				gboolean verb = FALSE;
				for (guint j = i; j <= k && !verb; j++)
					verb = found(p->rev_verb, lines->pdata[j]);
				if (verb)
					return k - i + 1;
			}
		}
	}
	/* X <addr> schrieb am Fr., 28.\nApr. 2017 um 11:53 Uhr:  (the verb after the address,
	 * the date wrapped onto the next line) */
	if (strchr(line, '@') && found(p->rev_verb, line))
		for (guint k = i; k < last; k++)
			if (ends_with_colon(lines->pdata[k]) && (has_digit(line) || has_digit(lines->pdata[k])))
				return k - i + 1;
	/* X schrieb am Do., 20. Juni 2024 um 14:49:  (the same, the address stripped by a help
	 * desk or an archive: the verb and a time right before the colon) */
	if (found(p->rev_verb, line) && found(p->time_colon, line))
		return 1;
	/* 2014-10-17 11:28 GMT+03:00 X <addr>:  /  Thu, 26 Jun 2014 14:00 +0400 от X <addr>: */
	if (found(p->date_start, line))
		for (guint k = i; k < last; k++)
			if (ends_with_address(lines->pdata[k]))
				return k - i + 1;
	/* ... X <addr> wrote:  on one line, or on two after a dangling "<" */
	if (strchr(line, '@') && found(p->end_wrote_colon, line))
		return 1;
	if (i + 1 < last) {
		gsize n = rtrim_len(line);
		const char *next = lines->pdata[i + 1];
		if (n > 0 && (line[n - 1] == '<' || line[n - 1] == '"') && strchr(next, '@') &&
		    found(p->end_wrote_colon, next))
			return 2;
	}
	/* ---- X wrote ---- */
	if (g_str_has_prefix(line + strspn(line, " \t"), "--") && found(p->dash_end, line))
		return 1;
	/* mutt's "* X <addr> [2020-02-03 10:00]:" and other dated "<addr>...:" lines before quotes
	 * (or before an indented quote: "X <addr> kirjoitti 28/10/2021 12.46:", whatever the verb) */
	if (ends_with_colon(line) && strchr(line, '@') && has_digit(line) && next_nonblank_indented(lines, i + 1))
		return 1;
	/* X wrote:  followed by quoted lines */
	if (strlen(line) <= 200 && found(p->end_wrote_colon, line) && next_nonblank_quoted(lines, i + 1))
		return 1;
	/* a dated line ending in a colon before quoted lines, in a language without rules
	 * ("tir. 3. des. 2026 kl. 10:00 skrev Air:", "2026. gada 3. dec. 10:00 Air rakstīja:") */
	if (strlen(line) <= 200 && ends_with_colon(line) && found(p->when, line) &&
	    next_nonblank_quoted(lines, i + 1))
		return 1;
	return 0;
}

/* underline_block - lines taken by Outlook's underline and the header block under it in a
 * language without rules ("____" / "No: Air <a@b>" / "Nosūtīts: ..." / "Kam: ..."): two or
 * more label lines, one of them with an address; else 0 */
static guint underline_block(GPtrArray *lines, guint i)
{
	guint j = i + 1, n = 0;
	gboolean address = FALSE;

	if (!g_regex_match(patterns()->underscores, lines->pdata[i], 0, NULL))
		return 0;
	while (j < lines->len && j < i + 12 && strlen(lines->pdata[j]) <= MAX_WINDOW_LINE &&
	       g_regex_match(patterns()->label, lines->pdata[j], 0, NULL)) {
		address |= strchr(lines->pdata[j], '@') != NULL;
		n++;
		j++;
	}
	return n >= 2 && address ? j - i : 0;
}

/* dash_title - 1 when line i is a title in dashes ("-------- Mesaj redirecționat --------",
 * "--- Treść przekazanej wiadomości ---") that starts a forwarded or original message in a
 * language without rules: header lines on the same line (Yahoo's one-line forward), or a
 * header block or attribution on the next non-blank line within three; else 0 */
static guint dash_title(GPtrArray *lines, guint i)
{
	const char *line = lines->pdata[i];
	GMatchInfo *mi = NULL;
	guint n = 0;

	if (strlen(line) <= MAX_WINDOW_LINE && g_regex_match(patterns()->dash_title, line, 0, &mi)) {
		char *rest = g_match_info_fetch(mi, 1);

		if (*rest) {
			n = strchr(rest, '@') && strchr(rest, ':') ? 1 : 0;
		} else {
			for (guint j = i + 1; j < lines->len && j <= i + 3; j++) {
				if (mimetext_is_blank(lines->pdata[j]))
					continue;
				n = header_block(lines, j) > 0 || attribution(lines, j) > 0 ? 1 : 0;
				break;
			}
		}
		g_free(rest);
	}
	g_match_info_free(mi);
	return n;
}

/* splitter - lines taken by a quote splitter starting at line i (0: none); *fwd for forwards */
static guint splitter(GPtrArray *lines, guint i, gboolean *fwd)
{
	const Patterns *p = patterns();
	const char *line = lines->pdata[i];
	guint n;

	*fwd = FALSE;
	if (strlen(line) <= MAX_WINDOW_LINE && found(p->forward, line)) {
		*fwd = TRUE;
		return 1;
	}
	if (strlen(line) <= MAX_WINDOW_LINE && found(p->original, line))
		return 1;
	if (strlen(line) <= MAX_WINDOW_LINE && found(p->separator, line))
		return 1;
	if ((n = header_block(lines, i)) > 0)
		return n;
	if ((n = attribution(lines, i)) > 0)
		return n;
	if ((n = underline_block(lines, i)) > 0)
		return n;
	return dash_title(lines, i);
}

/* split_shared_lines - "reply On <date>, X wrote:" becomes two lines when quotes follow */
static void split_shared_lines(GPtrArray *lines)
{
	const Patterns *p = patterns();

	for (guint i = 0; i < lines->len; i++) {
		const char *l = lines->pdata[i];
		GMatchInfo *mi = NULL;

		if (strlen(l) > MAX_WINDOW_LINE || !found(p->end_wrote, l) ||
		    !next_nonblank_quoted(lines, i + 1))
			continue;
		g_regex_match(p->mid_opener, l, 0, &mi);
		for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
			int ms = 0, s = 0;
			char *head;
			g_match_info_fetch_pos(mi, 0, &ms, NULL);
			g_match_info_fetch_pos(mi, 1, &s, NULL);
			if (!has_digit(l + s))
				continue;
			head = g_strndup(l, ms);
			/* nothing but blanks or dashes before it (Zimbra's "- On <date>, X wrote:"):
			 * the whole line is the attribution */
			if (mimetext_is_blank(head) || strspn(head, " \t-") == strlen(head)) {
				g_free(head);
				break;
			}
			g_ptr_array_insert(lines, i + 1, g_strdup(l + s));
			g_free(lines->pdata[i]);
			lines->pdata[i] = head;
			i++;
			break;
		}
		g_match_info_free(mi);
	}
}

/* unclosed_link - TRUE when s opens "<http" or "(http" without closing it */
static gboolean unclosed_link(const char *s)
{
	const char *a = g_strrstr(s, "<http"), *b = g_strrstr(s, "(http");

	return (a && !strchr(a, '>')) || (b && !strchr(b, ')'));
}

/* trim - copy of s without leading and trailing white space; caller frees */
static char *trim(const char *s)
{
	const char *b = s, *e = s + strlen(s);

	while (*b && g_ascii_isspace(*b))
		b++;
	while (e > b && g_ascii_isspace(e[-1]))
		e--;
	return g_strndup(b, e - b);
}

/* drop_trailing_link - cut a link in angle brackets ending l, in place ("Get Outlook for
 * iOS<https://aka.ms/o0ukef>": Outlook mobile's text part), with the blanks before it */
static void drop_trailing_link(char *l)
{
	gsize n = strlen(l);
	char *lt;

	if (n == 0 || l[n - 1] != '>' || (lt = strrchr(l, '<')) == NULL || lt == l ||
	    (!g_str_has_prefix(lt, "<http://") && !g_str_has_prefix(lt, "<https://")) ||
	    strpbrk(lt, " \t") != NULL)
		return;
	while (lt > l && (lt[-1] == ' ' || lt[-1] == '\t'))
		lt--;
	*lt = '\0';
}

/* footer_match - TRUE when l (trimmed, its trailing link dropped) is a "Sent from my ..."
 * footer (rules "footer") */
static gboolean footer_match(const char *l)
{
	char *c = g_strdup(l);
	gboolean f;

	drop_trailing_link(c);
	f = *c && strlen(c) <= 120 && g_regex_match(patterns()->footer, c, 0, NULL);
	g_free(c);
	return f;
}

/* is_footer - TRUE when line, trimmed, is a footer (footer_match) */
static gboolean is_footer(const char *line)
{
	char *l = trim(line);
	gboolean f = footer_match(l);

	g_free(l);
	return f;
}

/* continues_sentence - TRUE when line starts in lower case: the sentence of the line
 * before goes on (a wrapped line), where a new paragraph or an original starts with a
 * capital, a digit or a mark */
static gboolean continues_sentence(const char *line)
{
	gunichar c;

	while (*line == ' ' || *line == '\t')
		line++;
	c = g_utf8_get_char_validated(line, -1);
	return c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_islower(c);
}

/* footer_before_text - TRUE for a footer line after a blank line (or first) with more text
 * after it: mobile clients put "Sent from my ..." under the reply and the original
 * message, unmarked, below it (with nothing above it, mark_lines drops that line alone:
 * "Sent from my iPhone\nNo, remove me" must never read as empty). A line whose sentence goes on in lower case on the next
 * line ("Sent from my desk, it is\nmuch easier") is the member's text. */
static gboolean footer_before_text(GPtrArray *lines, guint i)
{
	if (i > 0 && !mimetext_is_blank(lines->pdata[i - 1]))
		return FALSE;
	if (i + 1 < lines->len && continues_sentence(lines->pdata[i + 1]))
		return FALSE;
	if (!is_footer(lines->pdata[i]))
		return FALSE;
	for (guint k = i + 1; k < lines->len; k++)
		if (!mimetext_is_blank(lines->pdata[k]))
			return TRUE;
	return FALSE;
}

/* wrapped_quote - TRUE when line continues the quote line before it, wrapped by a client
 * that did not prefix the rest: a long quote line before, a lower-case start (a short
 * answer between quotes, "No", starts with a capital and stays text) */
static gboolean wrapped_quote(const char *prev, const char *line)
{
	return strlen(prev) >= 60 && continues_sentence(line);
}

/* long_text_after - TRUE when more than 8 lines follow line i: a whole message (a mail
 * we sent, unmarked), not the few lines a member types on a phone */
static gboolean long_text_after(GPtrArray *lines, guint i)
{
	guint n = 0;

	for (guint k = i + 1; k < lines->len; k++)
		n += !mimetext_is_blank(lines->pdata[k]);
	return n > 8;
}

/* only_blank_before - TRUE when every line marked before i is empty */
static gboolean only_blank_before(const char *m, guint i)
{
	while (i > 0)
		if (m[--i] != 'e')
			return FALSE;
	return TRUE;
}

/* mark_lines - one marker per line: e empty, m quoted, s splitter, f forward, t text,
 * x a footer line above the text (dropped alone); caller frees */
static char *mark_lines(GPtrArray *lines)
{
	char *m = g_malloc0(lines->len + 1);
	gboolean any_split = FALSE;
	int quotes = 0;

	for (guint i = 0; i < lines->len; i++) {
		const char *l = lines->pdata[i];
		gboolean fwd;
		guint n;

		if (mimetext_is_blank(l)) {
			m[i] = 'e';
		} else if (is_quote_line(l) && !(i > 0 && unclosed_link(lines->pdata[i - 1]))) {
			m[i] = 'm';
			quotes++;
		} else if (footer_before_text(lines, i)) {
			/* above everything the member wrote ("Sent from my iPhone" first, as some
			 * mobile clients and forwarding apps put it): that line alone goes, unless
			 * a whole message follows, which is the original unmarked (our own words
			 * never speak for the member) */
			m[i] = only_blank_before(m, i) && !long_text_after(lines, i) ? 'x' : 's';
			any_split |= m[i] == 's';
		} else if ((n = splitter(lines, i, &fwd)) > 0) {
			for (guint k = 0; k < n && i + k < lines->len; k++)
				m[i + k] = fwd ? 'f' : 's';
			i += n - 1;
			any_split = TRUE;
		} else {
			m[i] = 't';
		}
	}
	/* one stray ">" line without any attribution is more likely text than a quote */
	if (!any_split && quotes < 2)
		for (guint i = 0; i < lines->len; i++)
			if (m[i] == 'm')
				m[i] = 't';
	/* a wrapped link inside a quote is part of the quote */
	for (guint i = 1; i + 1 < lines->len; i++) {
		const char *l = lines->pdata[i];
		while (*l == ' ' || *l == '\t')
			l++;
		if (m[i] == 't' && m[i - 1] == 'm' && m[i + 1] == 'm' &&
		    (unclosed_link(lines->pdata[i - 1]) || g_str_has_prefix(l, "(http") ||
		     g_str_has_prefix(l, "<http") || wrapped_quote(lines->pdata[i - 1], l)))
			m[i] = 'm';
	}
	return m;
}

/* strip_marked - drop quotes: cut at the first splitter followed by unquoted text (the
 * quoted message was not prefixed), then drop every splitter and quoted line with the
 * blank lines after them, keeping text written around or between quotes; a message that
 * is a forward (its first line the forward separator) is kept whole */
static char *strip_marked(GPtrArray *lines, char *m)
{
	GString *out = g_string_new(NULL);
	guint n = lines->len;
	gboolean dropping = FALSE, first = TRUE;
	guint lead = 0;

	/* a forward with nothing written above it is the message itself: kept whole */
	while (lead < n && (m[lead] == 'e' || m[lead] == 'x'))
		lead++;
	if (lead < n && m[lead] == 'f') {
		for (guint i = lead; i < n; i++)
			g_string_append_printf(out, "%s%s", i > lead ? "\n" : "", (const char *)lines->pdata[i]);
		return g_string_free(out, FALSE);
	}
	for (guint i = 0; i < n; i++) {
		if (m[i] != 's' && m[i] != 'f')
			continue;
		/* below the member's words, a forward runs to the end: none of it is theirs, even
		 * a line its client left without the quote mark */
		if (m[i] == 'f') {
			n = i;
			break;
		}
		guint j = i;
		while (j < n && (m[j] == 's' || m[j] == 'f' || m[j] == 'e'))
			j++;
		if (j < n && m[j] == 't') {
			n = i;
			break;
		}
		i = j > i ? j - 1 : i;
	}
	for (guint i = 0; i < n; i++) {
		if (m[i] == 's' || m[i] == 'f' || m[i] == 'm' || m[i] == 'x') {
			dropping = TRUE;
			continue;
		}
		if (m[i] == 'e' && dropping)
			continue;
		dropping = FALSE;
		if (!first)
			g_string_append_c(out, '\n');
		g_string_append(out, lines->pdata[i]);
		first = FALSE;
	}
	return g_string_free(out, FALSE);
}

/* pattern_view - line as the patterns read it: a no-break space (U+00A0), a narrow one
 * (U+202F: Gmail's French "a écrit :" and English "10:00 AM", French typography before a
 * colon) or a figure or thin space (U+2007, U+2009) as a plain space, and the invisible
 * direction marks dropped (U+200E/U+200F, the embeddings U+202A-U+202E, the isolates
 * U+2066-U+2069, U+061C: iOS wraps its Arabic and Hebrew lines in them); caller frees */
static char *pattern_view(const char *l)
{
	static const char *const spaces[] = { "\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x87", "\xe2\x80\x89" };
	static const char *const marks[] = { "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa",
		"\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6",
		"\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xd8\x9c" };
	GString *s = g_string_sized_new(strlen(l));

	while (*l) {
		gsize n = 0, k;

		for (k = 0; k < G_N_ELEMENTS(spaces) && n == 0; k++)
			if (g_str_has_prefix(l, spaces[k]))
				n = strlen(spaces[k]);
		if (n) {
			g_string_append_c(s, ' ');
			l += n;
			continue;
		}
		for (k = 0; k < G_N_ELEMENTS(marks) && n == 0; k++)
			if (g_str_has_prefix(l, marks[k]))
				n = strlen(marks[k]);
		if (n)
			l += n;
		else
			g_string_append_c(s, *l++);
	}
	return g_string_free(s, FALSE);
}

/* spaced_lines - lines as the patterns read them (pattern_view); the lines kept are the
 * originals, so the member's own text keeps its spaces; free with g_ptr_array_unref */
static GPtrArray *spaced_lines(GPtrArray *lines)
{
	GPtrArray *out = g_ptr_array_new_full(lines->len, g_free);

	for (guint i = 0; i < lines->len; i++)
		g_ptr_array_add(out, pattern_view(lines->pdata[i]));
	return out;
}

/* replytext_strip_quotes - text without quotes, attributions, header blocks and forwards,
 * but with footers and signature (talon's extract_from_plain); caller frees */
char *replytext_strip_quotes(const char *text)
{
	GPtrArray *lines, *seen;
	char *m, *s, *t, *valid = NULL;

	if (text == NULL)
		return g_strdup("");
	if (!g_utf8_validate(text, -1, NULL))   /* callers may hand us anything */
		text = valid = g_utf8_make_valid(text, -1);
	lines = split_lines(text);
	split_shared_lines(lines);
	seen = spaced_lines(lines);
	m = mark_lines(seen);
	g_ptr_array_unref(seen);
	s = strip_marked(lines, m);
	t = trim(s);
	g_free(s);
	g_free(m);
	g_ptr_array_unref(lines);
	g_free(valid);
	return t;
}

/* is_underline - TRUE for a line of five or more underscores alone: Outlook.com and webmail
 * users' signature rule (before a header block it starts the quote: a splitter) */
static gboolean is_underline(const char *l)
{
	gsize n = strspn(l, "_");

	return n >= 5 && l[n + strspn(l + n, " \t")] == '\0';
}

/* cut_signature - drop a "-- " signature (RFC 3676) and what follows; TRUE if cut */
static gboolean cut_signature(GPtrArray *lines)
{
	for (guint i = lines->len; i-- > 0;) {
		const char *l = lines->pdata[i];
		guint after = 0;

		if (strcmp(l, "-- ") == 0) {
			g_ptr_array_set_size(lines, i);
			return TRUE;
		}
		if (strcmp(l, "--") != 0 && strcmp(l, "-- \t") != 0 && !is_underline(l))
			continue;
		for (guint k = i + 1; k < lines->len; k++)
			after += !mimetext_is_blank(lines->pdata[k]);
		if (after <= (is_underline(l) ? 6u : 12u)) {
			g_ptr_array_set_size(lines, i);
			return TRUE;
		}
		if (is_underline(l))
			continue;
		return FALSE;
	}
	return FALSE;
}

/* is_delimiter - TRUE for a line of only delimiter characters ("-----", "_____", "***",
 * "====") or Gmail's invisible tracking mark U+1427, which end a reply and say nothing */
static gboolean is_delimiter(const char *l)
{
	if (strcmp(l, "\xe1\x90\xa7") == 0)
		return TRUE;
	if (strlen(l) < 3)
		return FALSE;
	for (const char *c = l; *c; c++)
		if (!strchr("-_=*#~+ \t", *c))
			return FALSE;
	return TRUE;
}

/* cut_footers - drop trailing "Sent from my iPhone"-style lines; TRUE if any went */
static gboolean cut_footers(GPtrArray *lines)
{
	gboolean cut = FALSE;

	while (lines->len > 0) {
		char *v = pattern_view(lines->pdata[lines->len - 1]), *l = trim(v);
		gboolean blank = *l == '\0' || is_delimiter(l);
		gboolean footer = !blank && footer_match(l);
		g_free(l);
		g_free(v);
		if (!blank && !footer)
			break;
		g_ptr_array_set_size(lines, lines->len - 1);
		cut |= footer;
	}
	return cut;
}

char *replytext_strip(const char *text)
{
	char *q = replytext_strip_quotes(text), *joined, *out;
	GPtrArray *lines = split_lines(q);

	for (int round = 0; round < 3; round++) {
		gboolean sig = cut_signature(lines);
		gboolean foot = cut_footers(lines);
		if (!sig && !foot)
			break;
	}
	g_ptr_array_add(lines, NULL);
	joined = g_strjoinv("\n", (char **)lines->pdata);
	out = mimetext_tidy(joined);
	g_free(joined);
	g_ptr_array_unref(lines);
	g_free(q);
	return out;
}

/* replytext_html_visible - the visible reply of an HTML body, as text; caller frees */
char *replytext_html_visible(const char *html)
{
	char *t = html_text(html, TRUE), *out = replytext_strip(t);

	g_free(t);
	return out;
}

/* ==== Messages ==== */

/* message_pieces - the text parts of msg (MimeTextPiece *); free with g_ptr_array_unref */
static GPtrArray *message_pieces(GMimeMessage *msg)
{
	static const MimeTextLimits limits = { MAX_MIME_DEPTH, MAX_PARTS, MAX_PART };

	return mimetext_pieces(msg ? g_mime_message_get_mime_part(msg) : NULL, &limits);
}

/* join_pieces - the pieces as one text, HTML converted (stripped or not); caller frees */
static char *join_pieces(GPtrArray *pieces, gboolean strip)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < pieces->len && out->len < MAX_TEXT; i++) {
		MimeTextPiece *pc = pieces->pdata[i];
		char *t = pc->html ? html_text(pc->text, strip) : g_strdup(pc->text);
		if (out->len && !mimetext_is_blank(t))
			g_string_append_c(out, '\n');
		if (!mimetext_is_blank(t))
			g_string_append(out, t);
		g_free(t);
	}
	truncate_utf8(out->str, MAX_TEXT);
	return g_string_free(out, FALSE);
}

char *replytext_body(GMimeMessage *msg)
{
	GPtrArray *pieces = message_pieces(msg);
	char *t = join_pieces(pieces, FALSE), *out = mimetext_tidy(t);

	g_free(t);
	g_ptr_array_unref(pieces);
	return out;
}

char *replytext_visible(GMimeMessage *msg)
{
	GPtrArray *pieces = message_pieces(msg);
	char *t = join_pieces(pieces, TRUE), *out = replytext_strip(t);

	g_free(t);
	g_ptr_array_unref(pieces);
	return out;
}

/* rule_of - the first rule of kind in p.rules matching line, as "FILE: PATTERN"; NULL if none
 * (the reply rules are not compiled one by one at load: this compiles them, for inspect) */
static char *rule_of(const char *kind, const char *line)
{
	const GPtrArray *rules = patterns()->rules;

	for (guint i = 0; i < rules->len; i++) {
		const PmRule *r = g_ptr_array_index(rules, i);
		GRegex *re;
		gboolean hit;

		if (strcmp(r->kind, kind) != 0)
			continue;
		re = g_regex_new(r->pattern, G_REGEX_CASELESS, 0, NULL);
		hit = re && g_regex_match(re, line, 0, NULL);
		if (re)
			g_regex_unref(re);
		if (hit)
			return g_strdup_printf("%s: %s", r->file, r->pattern);
	}
	return NULL;
}

/* replytext_rule - which marker starts the quoted part of msg's text body: the line and
 * the rule (file and pattern for the rules/reply kinds), or "no quote marker"; for
 * inspect; caller frees */
char *replytext_rule(GMimeMessage *msg)
{
	const Patterns *p = patterns();
	char *body = replytext_body(msg), *out = NULL;
	GPtrArray *lines = split_lines(body), *raw;

	split_shared_lines(lines);
	raw = lines;
	lines = spaced_lines(raw);
	g_ptr_array_unref(raw);
	for (guint i = 0; i < lines->len && out == NULL; i++) {
		const char *l = lines->pdata[i];
		gboolean fwd;
		char *what = NULL, *shown;

		if (mimetext_is_blank(l) || is_quote_line(l) || splitter(lines, i, &fwd) == 0)
			continue;
		if (strlen(l) <= MAX_WINDOW_LINE && found(p->forward, l)) {
			char *f = rule_of("forward", l);

			if (f == NULL)
				f = rule_of("forward_begin", l);
			what = g_strdup_printf("forwarded message, kept (%s)", f ? f : "?");
			g_free(f);
		} else if (strlen(l) <= MAX_WINDOW_LINE && found(p->original, l))
			what = rule_of("original", l);
		else if (strlen(l) <= MAX_WINDOW_LINE && found(p->separator, l))
			what = rule_of("separator", l);
		else if (header_block(lines, i) > 0)
			what = g_strdup("header block (From:/Sent:/To:/Subject: in many languages)");
		else
			what = g_strdup("attribution line (\"On ... wrote:\" in many languages)");
		shown = g_utf8_make_valid(l, MIN(strlen(l), 120));
		out = g_strdup_printf("quote starts at line %u \"%s\": %s", i + 1, shown,
				      what ? what : "?");
		g_free(shown);
		g_free(what);
	}
	g_ptr_array_unref(lines);
	g_free(body);
	return out ? out : g_strdup("no quote marker");
}
