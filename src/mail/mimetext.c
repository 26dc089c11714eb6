/*
 * mimetext.c - the text in MIME parts: charsets, part choice, HTML to text (mimetext.h).
 *
 * Charsets: the declared one first (GMime's iconv names), read as the superset that
 * Windows and Japanese, Chinese and Korean clients really write under its label (CP932 for
 * Shift_JIS, NEC/IBM extensions in ISO-2022-JP, CP949 for EUC-KR, GB18030 for GB2312,
 * Windows-1252 for ISO-8859-1: the WHATWG Encoding Standard's label table), for HTML a
 * <meta> charset, then UTF-8 with replacement characters when the bytes mostly are UTF-8,
 * Windows-1252, and Latin-1, which never fails. HTML goes through libxml2's forgiving HTML parser, loaded
 * the first time an HTML body is read (lazylib.h): most mail has a text/plain part, and
 * `peermail receive` runs once per message. Work is bounded: bytes read per part, parts
 * visited, MIME and HTML nesting, text produced.
 */
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "base/lazylib.h"
#include "mail/mimetext.h"

/* libxml2, loaded on first use; calls below go through this table */
static struct {
	__typeof__(xmlInitParser) *init_parser;
	__typeof__(htmlReadMemory) *read_memory;
	__typeof__(xmlDocGetRootElement) *root_element;
	__typeof__(xmlFreeDoc) *free_doc;
	__typeof__(xmlGetProp) *get_prop;
	xmlFreeFunc *free_fn;   /* the variable xmlFree (libxml2's free(), as the default) */
} xml;
static const LazySym xml_syms[] = {
	{ "xmlInitParser", (gpointer *)&xml.init_parser },
	{ "htmlReadMemory", (gpointer *)&xml.read_memory },
	{ "xmlDocGetRootElement", (gpointer *)&xml.root_element },
	{ "xmlFreeDoc", (gpointer *)&xml.free_doc },
	{ "xmlGetProp", (gpointer *)&xml.get_prop },
	{ "xmlFree", (gpointer *)&xml.free_fn },
	{ NULL, NULL }
};
static LazyLib xml_lib = { PM_LIBXML2_SONAME, xml_syms, 0, NULL };
#undef xmlFree
#define xmlInitParser (*xml.init_parser)
#define htmlReadMemory (*xml.read_memory)
#define xmlDocGetRootElement (*xml.root_element)
#define xmlFreeDoc (*xml.free_doc)
#define xmlGetProp (*xml.get_prop)
#define xmlFree (*xml.free_fn)

#define MAX_TEXT   (1024 * 1024)     /* bytes of text one HTML body gives */
#define MAX_HTML   (4 * 1024 * 1024) /* bytes of HTML handed to libxml2 */
#define MAX_HTML_DEPTH 200
#define META_SNIFF 8192              /* bytes of HTML searched for a <meta> charset */

/* ==== Charsets ==== */

/* meta_charset - the pattern for <meta ... charset=X>, compiled once; raw bytes, as it
 * reads HTML whose charset is not known yet */
static GRegex *meta_charset(void)
{
	static gsize once;
	static GRegex *re;

	if (g_once_init_enter(&once)) {
		re = g_regex_new("<meta[^>]{0,200}charset=[\"']?([A-Za-z0-9_:.-]{1,40})",
				 G_REGEX_CASELESS | G_REGEX_RAW, 0, NULL);
		g_once_init_leave(&once, 1);
	}
	return re;
}

/* latin1_to_utf8 - bytes as ISO-8859-1 (never fails); caller frees */
static char *latin1_to_utf8(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len + len / 4 + 1);

	for (gsize i = 0; i < len; i++)
		g_string_append_unichar(out, (guchar)s[i]);
	return g_string_free(out, FALSE);
}

/* The superset each label is written in (WHATWG Encoding Standard, and the vendors'
 * practice): tried first, the label's own charset after it. */
static const struct {
	const char *label, *superset;
} supersets[] = {
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" }, { "x-sjis", "CP932" },
	{ "ms_kanji", "CP932" }, { "csshiftjis", "CP932" }, { "windows-31j", "CP932" },
	{ "ms932", "CP932" }, { "euc-jp", "EUC-JP-MS" }, { "x-euc-jp", "EUC-JP-MS" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "ks_c_5601", "CP949" },
	{ "ksc5601", "CP949" }, { "korean", "CP949" }, { "windows-949", "CP949" },
	{ "x-windows-949", "CP949" }, { "csksc56011987", "CP949" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" }, { "cp936", "GB18030" },
	{ "euc-cn", "GB18030" }, { "csgb2312", "GB18030" }, { "chinese", "GB18030" },
	{ "gb_2312-80", "GB18030" }, { "big5", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
	{ "cn-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
	{ "iso-8859-1", "CP1252" }, { "iso_8859-1", "CP1252" }, { "iso8859-1", "CP1252" },
	{ "latin1", "CP1252" }, { "l1", "CP1252" }, { "cp819", "CP1252" }, { "ibm819", "CP1252" },
	{ "iso-8859-9", "CP1254" }, { "iso8859-9", "CP1254" }, { "latin5", "CP1254" },
	{ "tis-620", "CP874" }, { "iso-8859-11", "CP874" },
};

/* convert_as - s from the iconv charset name to valid UTF-8 without NULs, or NULL */
static char *convert_as(const char *s, gsize len, const char *name)
{
	gsize outlen = 0;
	char *out = g_convert(s, len, "UTF-8", name, NULL, &outlen, NULL);

	if (out && (memchr(out, '\0', outlen) || !g_utf8_validate(out, outlen, NULL)))
		g_clear_pointer(&out, g_free);
	return out;
}

/* iso2022jp_as_eucjp - ISO-2022-JP re-encoded as EUC-JP (two-byte runs with the high bit
 * set, half-width katakana after SS2), so that EUC-JP-MS reads the NEC and IBM rows that
 * Windows and Japanese phones put in it (①, ㈱, Roman numerals), which glibc's ISO-2022-JP
 * refuses; NULL when the bytes are not ISO-2022-JP; caller frees */
static char *iso2022jp_as_eucjp(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len);
	int mode = 0;   /* 0 ASCII / JIS-Roman, 2 JIS X 0208, 1 half-width katakana */
	gsize i;

	for (i = 0; i < len; i++) {
		guchar c = (guchar)s[i];

		if (c == 0x1b && i + 2 < len) {
			if (s[i + 1] == '$' && (s[i + 2] == 'B' || s[i + 2] == '@'))
				mode = 2;
			else if (s[i + 1] == '(' && (s[i + 2] == 'B' || s[i + 2] == 'J'))
				mode = 0;
			else if (s[i + 1] == '(' && s[i + 2] == 'I')
				mode = 1;
			else
				break;
			i += 2;
		} else if (c >= 0x80) {
			break;
		} else if (mode == 2 && c > 0x20 && c < 0x7f && i + 1 < len) {
			g_string_append_c(out, (char)(c | 0x80));
			g_string_append_c(out, (char)((guchar)s[++i] | 0x80));
		} else if (mode == 1 && c > 0x20 && c < 0x60) {
			g_string_append_c(out, (char)0x8e);
			g_string_append_c(out, (char)(c | 0x80));
		} else {
			g_string_append_c(out, (char)c);
		}
	}
	if (i < len) {   /* an 8-bit byte or an escape of another ISO-2022 */
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* try_convert - s from charset (its superset first) to valid UTF-8, or NULL; caller frees */
static char *try_convert(const char *s, gsize len, const char *charset)
{
	const char *name;
	char *out = NULL;

	if (charset == NULL || *charset == '\0')
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(supersets) && out == NULL; i++)
		if (g_ascii_strcasecmp(charset, supersets[i].label) == 0)
			out = convert_as(s, len, supersets[i].superset);
	if (out)
		return out;
	name = g_mime_charset_iconv_name(charset);
	out = convert_as(s, len, name ? name : charset);
	/* an escape left in ISO-2022 text is a designation the decoder did not know */
	if (out && g_ascii_strncasecmp(charset, "iso-2022-", 9) == 0 && strchr(out, 0x1b))
		g_clear_pointer(&out, g_free);
	if (out == NULL && g_ascii_strncasecmp(charset, "iso-2022-jp", 11) == 0) {
		char *euc = iso2022jp_as_eucjp(s, len);

		if (euc)
			out = convert_as(euc, strlen(euc), "EUC-JP-MS");
		g_free(euc);
	}
	return out;
}

/* looks_utf8 - TRUE when s has valid multibyte UTF-8 sequences, at least as many as broken bytes */
static gboolean looks_utf8(const char *s, gsize len)
{
	const char *p = s, *end = s + len, *stop;
	gsize good = 0, bad = 0;

	while (p < end) {
		if (g_utf8_validate(p, end - p, &stop)) {
			stop = end;
		}
		for (const char *q = p; q < stop; q++)
			if ((guchar)*q >= 0xC0)
				good++;
		if (stop < end) {
			bad++;
			stop++;
		}
		p = stop;
	}
	return good > 0 && good >= bad;
}

/* mimetext_to_utf8 - declared charset, meta charset, UTF-8 made valid, Windows-1252, Latin-1 */
char *mimetext_to_utf8(const char *raw, gsize len, const char *charset, gboolean html)
{
	GString *clean = g_string_sized_new(len + 1);
	char *out = NULL;
	gboolean ascii_or_utf8 = charset == NULL || g_ascii_strcasecmp(charset, "utf-8") == 0 ||
		g_ascii_strcasecmp(charset, "utf8") == 0 || g_ascii_strcasecmp(charset, "us-ascii") == 0 ||
		g_ascii_strcasecmp(charset, "ascii") == 0;

	for (gsize i = 0; i < len; i++)   /* NULs end strings early and fail validation */
		if (raw[i] != '\0')
			g_string_append_c(clean, raw[i]);
	if (ascii_or_utf8 && g_utf8_validate(clean->str, clean->len, NULL))
		out = g_strndup(clean->str, clean->len);
	if (out == NULL && !ascii_or_utf8)
		out = try_convert(clean->str, clean->len, charset);
	if (out == NULL && html) {
		GMatchInfo *mi = NULL;
		char *prefix = g_strndup(clean->str, MIN(clean->len, (gsize)META_SNIFF));

		if (g_regex_match(meta_charset(), prefix, 0, &mi)) {
			char *cs = g_match_info_fetch(mi, 1);
			out = try_convert(clean->str, clean->len, cs);
			g_free(cs);
		}
		g_match_info_free(mi);
		g_free(prefix);
	}
	if (out == NULL && looks_utf8(clean->str, clean->len))
		out = g_utf8_make_valid(clean->str, clean->len);
	if (out == NULL)
		out = try_convert(clean->str, clean->len, "windows-1252");
	if (out == NULL)
		out = latin1_to_utf8(clean->str, clean->len);
	g_string_free(clean, TRUE);
	return out;
}

/* unflow - RFC 3676 format=flowed to fixed lines (soft breaks joined); caller frees */
static char *unflow(const char *text, gboolean delsp)
{
	char **lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	int open_depth = -1;   /* quote depth of a paragraph still open, or -1 */

	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		int depth = 0;
		gsize n;

		while (*l == '>') {
			depth++;
			l++;
		}
		if (*l == ' ')          /* space-stuffing */
			l++;
		n = strlen(l);
		if (open_depth >= 0 && open_depth != depth) {
			g_string_append_c(out, '\n');
			open_depth = -1;
		}
		if (open_depth < 0) {
			for (int d = 0; d < depth; d++)
				g_string_append_c(out, '>');
			if (depth)
				g_string_append_c(out, ' ');
		}
		if (n > 0 && l[n - 1] == ' ' && strcmp(l, "-- ") != 0) {
			g_string_append_len(out, l, delsp ? n - 1 : n);
			open_depth = depth;
		} else {
			g_string_append(out, l);
			if (lines[i + 1])
				g_string_append_c(out, '\n');
			open_depth = -1;
		}
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* mimetext_part_text - decoded, converted by the part's charset, flowed text joined */
char *mimetext_part_text(GMimePart *part, gsize max_bytes)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	gboolean html = ct && g_mime_content_type_is_type(ct, "text", "html");
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
	const char *format = g_mime_object_get_content_type_parameter(obj, "format");
	GMimeStream *mem;
	GByteArray *ba;
	char *text;

	if (dw == NULL)
		return g_strdup("");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, mem);   /* undoes base64 / quoted-printable */
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	text = mimetext_to_utf8((const char *)ba->data, MIN((gsize)ba->len, max_bytes), charset, html);
	g_object_unref(mem);
	if (!html && format && g_ascii_strcasecmp(format, "flowed") == 0) {
		const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
		char *u = unflow(text, delsp && g_ascii_strcasecmp(delsp, "yes") == 0);

		g_free(text);
		text = u;
	}
	return text;
}

/* ==== Part choice ==== */

/* piece_free - destroy a MimeTextPiece */
static void piece_free(gpointer p)
{
	MimeTextPiece *pc = p;

	g_free(pc->text);
	g_free(pc);
}

/* piece_add - append a piece owning text */
static void piece_add(GPtrArray *pieces, char *text, gboolean html)
{
	MimeTextPiece *pc = g_new0(MimeTextPiece, 1);

	pc->text = text;
	pc->html = html;
	g_ptr_array_add(pieces, pc);
}

/* mimetext_is_attachment - disposition attachment, or a file name without a disposition */
gboolean mimetext_is_attachment(GMimeObject *obj)
{
	const char *disp = g_mime_object_get_disposition(obj);

	if (disp && g_ascii_strcasecmp(disp, "attachment") == 0)
		return TRUE;
	return disp == NULL && GMIME_IS_PART(obj) && g_mime_part_get_filename(GMIME_PART(obj));
}

/* collect - append the text pieces of obj to pieces, walking multiparts within the limits */
static void collect(GMimeObject *obj, int depth, GPtrArray *pieces, int *budget,
		    const MimeTextLimits *lim)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";

	if (depth > lim->max_depth || --(*budget) < 0)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		if (g_ascii_strcasecmp(sub, "alternative") == 0) {
			/* text/plain first; else the richest (last) alternative that yields text */
			for (int i = 0; i < n; i++) {
				GMimeObject *c = g_mime_multipart_get_part(mp, i);
				GMimeContentType *cct = g_mime_object_get_content_type(c);

				if (GMIME_IS_PART(c) && !mimetext_is_attachment(c) &&
				    g_mime_content_type_is_type(cct, "text", "plain")) {
					char *t = mimetext_part_text(GMIME_PART(c), lim->max_bytes);

					if (!mimetext_is_blank(t)) {
						piece_add(pieces, t, FALSE);
						return;
					}
					g_free(t);
				}
			}
			for (int i = n - 1; i >= 0; i--) {
				guint before = pieces->len;

				collect(g_mime_multipart_get_part(mp, i), depth + 1, pieces, budget, lim);
				if (pieces->len > before)
					return;
			}
		} else if (g_ascii_strcasecmp(sub, "related") == 0 || g_ascii_strcasecmp(sub, "signed") == 0) {
			if (n > 0)
				collect(g_mime_multipart_get_part(mp, 0), depth + 1, pieces, budget, lim);
		} else if (g_ascii_strcasecmp(sub, "encrypted") != 0) {
			for (int i = 0; i < n; i++)
				collect(g_mime_multipart_get_part(mp, i), depth + 1, pieces, budget, lim);
		}
		return;
	}
	if (!GMIME_IS_PART(obj) || mimetext_is_attachment(obj) || g_ascii_strcasecmp(type, "text") != 0)
		return;   /* message/rfc822 (a forward), images, attachments */
	if (g_ascii_strcasecmp(sub, "plain") == 0 || g_ascii_strcasecmp(sub, "html") == 0)
		piece_add(pieces, mimetext_part_text(GMIME_PART(obj), lim->max_bytes),
			  g_ascii_strcasecmp(sub, "html") == 0);
}

/* mimetext_pieces - the text parts of obj, chosen by collect */
GPtrArray *mimetext_pieces(GMimeObject *obj, const MimeTextLimits *limits)
{
	GPtrArray *pieces = g_ptr_array_new_with_free_func(piece_free);
	int budget = limits->max_parts;

	if (obj)
		collect(obj, 0, pieces, &budget, limits);
	return pieces;
}

/* ==== HTML to text ==== */

struct MimeTextElement {
	xmlNode *node;
	const char *name;
};

typedef struct {
	GString *out;
	MimeTextFilter filter;  /* may be NULL */
	gpointer user;
	gboolean stop;          /* the filter said STOP: drop everything after it */
	gboolean space;         /* white space pending before the next word */
	int pre;                /* inside <pre> */
} H2T;

/* mimetext_element_name - the tag name */
const char *mimetext_element_name(const MimeTextElement *el)
{
	return el->name;
}

/* mimetext_element_attr - an attribute, copied out of libxml2's allocation */
char *mimetext_element_attr(const MimeTextElement *el, const char *name)
{
	xmlChar *v = xmlGetProp(el->node, (const xmlChar *)name);
	char *out = v ? g_strdup((const char *)v) : NULL;

	if (v)
		xmlFree(v);
	return out;
}

/* h2t_newlines - end the output with at least n line breaks (none at the start) */
static void h2t_newlines(H2T *h, int n)
{
	int have = 0;

	if (h->out->len == 0)
		return;
	for (gsize i = h->out->len; i > 0 && h->out->str[i - 1] == '\n' && have < n; i--)
		have++;
	while (have++ < n)
		g_string_append_c(h->out, '\n');
	h->space = FALSE;
}

/* h2t_text - append a text node: white space collapsed (kept in <pre>), nbsp kept */
static void h2t_text(H2T *h, const char *s)
{
	for (; *s && h->out->len < MAX_TEXT; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char_validated(s, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2)
			break;
		if (c == 0x200B || c == 0x200E || c == 0x200F || c == 0xFEFF || c == 0xAD || c == '\r')
			continue;
		if (h->pre) {
			g_string_append_unichar(h->out, c);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
			h->space = TRUE;
			continue;
		}
		if (h->space && h->out->len && h->out->str[h->out->len - 1] != '\n' &&
		    h->out->str[h->out->len - 1] != ' ')
			g_string_append_c(h->out, ' ');
		h->space = FALSE;
		g_string_append_unichar(h->out, c == 0xA0 ? ' ' : c);
	}
}

/* name_in - TRUE when name is one of the NULL-terminated list */
static gboolean name_in(const char *name, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(name, list[i]) == 0)
			return TRUE;
	return FALSE;
}

static void h2t_walk(H2T *h, xmlNode *node, int depth);

/* h2t_element - render one element and its children */
static void h2t_element(H2T *h, xmlNode *node, int depth)
{
	static const char *const skip[] = { "head", "style", "script", "title", "meta", "link",
		"noscript", "template", "object", "embed", "iframe", "svg", "xml", "img", NULL };
	static const char *const blocks[] = { "address", "article", "aside", "blockquote", "body",
		"center", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
		"footer", "form", "header", "hgroup", "html", "main", "menu", "nav", "ol", "section",
		"summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "hr", "pre", NULL };
	static const char *const paras[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", NULL };
	MimeTextElement el = { node, (const char *)node->name };
	int gap = 0;

	if (name_in(el.name, skip))
		return;
	if (h->filter) {
		MimeTextVerdict v = h->filter(&el, h->user);

		if (v == MIMETEXT_STOP)
			h->stop = TRUE;
		if (v != MIMETEXT_KEEP)
			return;
	}
	if (strcmp(el.name, "br") == 0) {
		g_string_append_c(h->out, '\n');
		h->space = FALSE;
		return;
	}
	if (name_in(el.name, paras)) {
		char *cls = mimetext_element_attr(&el, "class");

		gap = cls && g_str_has_prefix(cls, "Mso") ? 1 : 2;   /* Outlook: margin 0 */
		g_free(cls);
	} else if (name_in(el.name, blocks)) {
		gap = 1;
	} else if (strcmp(el.name, "li") == 0) {
		h2t_newlines(h, 1);
		g_string_append(h->out, "- ");
	} else if (strcmp(el.name, "td") == 0 || strcmp(el.name, "th") == 0) {
		h->space = TRUE;
	}
	if (gap)
		h2t_newlines(h, gap);
	if (strcmp(el.name, "pre") == 0)
		h->pre++;
	h2t_walk(h, node->children, depth + 1);
	if (strcmp(el.name, "pre") == 0)
		h->pre--;
	if (gap)
		h2t_newlines(h, gap);
	else if (strcmp(el.name, "li") == 0)
		h2t_newlines(h, 1);
}

/* h2t_walk - render a sibling list in document order, bounded in depth and size */
static void h2t_walk(H2T *h, xmlNode *node, int depth)
{
	if (depth > MAX_HTML_DEPTH)
		return;
	for (; node && !h->stop && h->out->len < MAX_TEXT; node = node->next) {
		if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
			if (node->content)
				h2t_text(h, (const char *)node->content);
		} else if (node->type == XML_ELEMENT_NODE && node->name) {
			h2t_element(h, node, depth);
		}
	}
}

/* mimetext_is_blank - only Unicode white space and BOMs */
gboolean mimetext_is_blank(const char *s)
{
	for (; *s; s = g_utf8_next_char(s))
		if (!g_unichar_isspace(g_utf8_get_char(s)) && g_utf8_get_char(s) != 0xFEFF)
			return FALSE;
	return TRUE;
}

/* mimetext_tidy - trim each line's trailing space, squeeze blank runs to one, trim */
char *mimetext_tidy(const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	int blanks = 0;

	for (int i = 0; lines[i]; i++) {
		g_strchomp(lines[i]);
		if (mimetext_is_blank(lines[i])) {
			blanks++;
			continue;
		}
		if (out->len)
			g_string_append(out, blanks ? "\n\n" : "\n");
		blanks = 0;
		g_string_append(out, lines[i]);
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* mimetext_html_to_text - parse with libxml2 (loaded once), walk, tidy */
char *mimetext_html_to_text(const char *html, MimeTextFilter filter, gpointer user)
{
	static gsize parser_once;
	H2T h = { NULL, filter, user, FALSE, FALSE, 0 };
	gsize len = html ? strlen(html) : 0;
	htmlDocPtr doc;
	char *raw, *out;

	if (len == 0)
		return g_strdup("");
	if (g_once_init_enter(&parser_once)) {   /* libxml2's own set-up is not thread-safe */
		GError *e = NULL;

		if (!lazylib_load(&xml_lib, &e))
			g_error("mimetext: %s", e->message);
		xmlInitParser();
		g_once_init_leave(&parser_once, 1);
	}
	h.out = g_string_new(NULL);
	doc = htmlReadMemory(html, (int)MIN(len, (gsize)MAX_HTML), NULL, "UTF-8",
		HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc) {
		h2t_walk(&h, xmlDocGetRootElement(doc), 0);
		xmlFreeDoc(doc);
	}
	raw = g_string_free(h.out, FALSE);
	if (!g_utf8_validate(raw, -1, NULL)) {   /* defensive: never hand out invalid UTF-8 */
		char *v = g_utf8_make_valid(raw, -1);

		g_free(raw);
		raw = v;
	}
	out = mimetext_tidy(raw);
	g_free(raw);
	return out;
}
