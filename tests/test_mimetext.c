/* test_mimetext.c - the text in MIME parts: charsets, part choice, HTML to text (mail/mimetext) */
#include <string.h>
#include "harness.h"
#include "testmsg.h"
#include "mail/mimetext.h"


/* utf8 - mimetext_to_utf8 of a NUL-terminated string */
static char *utf8(const char *raw, const char *charset, gboolean html)
{
	return mimetext_to_utf8(raw, strlen(raw), charset, html);
}

TEST(charsets)
{
	char *t;

	t = utf8("Gr\xfc\xdf" "e", "iso-8859-1", FALSE);
	STR_EQ(t, "Grüße", "ISO-8859-1 converted");
	g_free(t);
	t = utf8("Caf\xe9", "x-bogus-charset", FALSE);
	STR_EQ(t, "Café", "unknown charset: Windows-1252 fallback");
	g_free(t);
	t = utf8("\x93quoted\x94", "windows-1252", FALSE);
	STR_EQ(t, "\xe2\x80\x9cquoted\xe2\x80\x9d", "Windows-1252 quotes");
	g_free(t);
	t = utf8("na\xc3\xafve \xff broken", "utf-8", FALSE);
	OK(g_utf8_validate(t, -1, NULL) && g_str_has_prefix(t, "naïve"), "broken UTF-8 made valid");
	g_free(t);
	t = utf8("\xe9t\xe9", NULL, FALSE);
	STR_EQ(t, "été", "no charset, 8-bit: Latin fallback");
	g_free(t);
	t = utf8("S\xc3\xb6ren", "us-ascii", FALSE);
	STR_EQ(t, "Sören", "UTF-8 mislabelled us-ascii kept");
	g_free(t);
	/* labels read as the superset their writers use (WHATWG Encoding Standard) */
	t = utf8("\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd", "x-sjis", FALSE);
	STR_EQ(t, "こんにちは", "x-sjis is Shift_JIS");
	g_free(t);
	t = utf8("\x87\x40\x82\xb1", "shift_jis", FALSE);
	STR_EQ(t, "①こ", "Shift_JIS with an NEC character: CP932");
	g_free(t);
	t = utf8("\x87\x40", "windows-31j", FALSE);
	STR_EQ(t, "①", "Windows-31J");
	g_free(t);
	t = utf8("\x1b$B$3$s\x1b(B\x1b$B-!\x1b(B", "iso-2022-jp", FALSE);
	STR_EQ(t, "こん①", "ISO-2022-JP with an NEC character");
	g_free(t);
	t = utf8("\x1b(I1\x1b(B!", "iso-2022-jp", FALSE);
	STR_EQ(t, "ｱ!", "ISO-2022-JP with half-width katakana");
	g_free(t);
	t = utf8("\x8c\x63", "ks_c_5601-1987", FALSE);
	STR_EQ(t, "똠", "ks_c_5601-1987: CP949");
	g_free(t);
	t = utf8("\xe9\x46", "gb2312", FALSE);
	STR_EQ(t, "镕", "GB2312 label, GBK character");
	g_free(t);
	t = utf8("\xa7\x41\xa6\x6e", "big5", FALSE);
	STR_EQ(t, "你好", "Big5");
	g_free(t);
	t = utf8("\x93hi\x94 \xe9", "iso-8859-1", FALSE);
	STR_EQ(t, "\xe2\x80\x9chi\xe2\x80\x9d é", "ISO-8859-1 label with Windows-1252 quotes");
	g_free(t);
	t = utf8("\x81\xe9", "iso-8859-1", FALSE);
	STR_EQ(t, "\xc2\x81é", "ISO-8859-1 with a byte Windows-1252 lacks: ISO-8859-1");
	g_free(t);
	t = utf8("\xf0\xd2\xc9\xd7\xc5\xd4", "koi8-r", FALSE);
	STR_EQ(t, "Привет", "KOI8-R");
	g_free(t);
	t = utf8("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
		 "charset=windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>", NULL, TRUE);
	OK(strstr(t, "Привет") != NULL, "HTML without a declared charset: the meta charset");
	g_free(t);
	t = utf8("<meta charset=\"windows-1252\">Grüße", NULL, TRUE);
	OK(strstr(t, "Grüße") != NULL, "valid UTF-8 wins over a meta charset");
	g_free(t);
	t = mimetext_to_utf8("a\0b", 3, NULL, FALSE);
	STR_EQ(t, "ab", "NULs dropped");
	g_free(t);
	t = mimetext_to_utf8("", 0, "utf-8", FALSE);
	STR_EQ(t, "", "nothing: empty");
	g_free(t);
}

/* body_text - mimetext_part_text of the single-part body of raw, at most max bytes */
static char *body_text(const char *raw, gsize max)
{
	GMimeMessage *m = testmsg_parse(raw, -1);
	GMimeObject *b = m ? g_mime_message_get_mime_part(m) : NULL;
	char *t = b && GMIME_IS_PART(b) ? mimetext_part_text(GMIME_PART(b), max) : g_strdup("(unparsed)");

	if (m)
		g_object_unref(m);
	return t;
}

TEST(part_text)
{
	char *t;

	t = body_text("Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n"
		      "8NLJ18XU\n", 1000);
	STR_EQ(t, "Привет", "base64 decoded, then KOI8-R converted");
	g_free(t);
	t = body_text("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: "
		      "quoted-printable\n\nGr=FC=DFe\n", 1000);
	STR_EQ(t, "Grüße\n", "quoted-printable decoded, then converted");
	g_free(t);
	t = body_text("Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
		      "This is one long \nparagraph split by a soft \nbreak.\n> quoted \n> flowed\n", 1000);
	STR_EQ(t, "This is one long paragraph split by a soft break.\n> quoted flowed\n",
	       "format=flowed: soft breaks joined, per quote depth");
	g_free(t);
	t = body_text("Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
		      "Donaudampf \nschifffahrt.\n", 1000);
	STR_EQ(t, "Donaudampfschifffahrt.\n", "format=flowed; delsp=yes drops the soft space");
	g_free(t);
	t = body_text("Content-Type: text/html; charset=utf-8; format=flowed\n\n<p>a \nb</p>\n", 1000);
	STR_EQ(t, "<p>a \nb</p>\n", "HTML stays HTML, never unflowed");
	g_free(t);
	t = body_text("Content-Type: text/plain; charset=utf-8\n\n0123456789\n", 4);
	STR_EQ(t, "0123", "at most max_bytes read");
	g_free(t);
}

/* chosen - the pieces mimetext_pieces chooses in raw, as "P:text|H:html|"; caller frees */
static char *chosen(const char *raw, int max_parts)
{
	MimeTextLimits lim = { 16, max_parts, 1 << 20 };
	GMimeMessage *m = testmsg_parse(raw, -1);
	GPtrArray *pieces = mimetext_pieces(m ? g_mime_message_get_mime_part(m) : NULL, &lim);
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < pieces->len; i++) {
		MimeTextPiece *pc = g_ptr_array_index(pieces, i);
		char *t = g_strstrip(g_strdup(pc->text));

		g_string_append_printf(out, "%s:%s|", pc->html ? "H" : "P", t);
		g_free(t);
	}
	g_ptr_array_unref(pieces);
	if (m)
		g_object_unref(m);
	return g_string_free(out, FALSE);
}

TEST(part_choice)
{
	char *t;

	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
		"--X\nContent-Type: multipart/alternative; boundary=Y\n\n"
		"--Y\nContent-Type: text/plain; charset=utf-8\n\nPlain wins\n"
		"--Y\nContent-Type: text/html; charset=utf-8\n\n<p>HTML loses</p>\n--Y--\n"
		"--X\nContent-Type: text/plain; name=notes.txt\nContent-Disposition: attachment; filename=notes.txt\n\n"
		"attached text\n--X--\n", 100);
	STR_EQ(t, "P:Plain wins|", "alternative: text/plain first; an attachment is not the text");
	g_free(t);
	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=Y\n\n"
		"--Y\nContent-Type: text/plain; charset=utf-8\n\n \n"
		"--Y\nContent-Type: multipart/related; boundary=Z\n\n"
		"--Z\nContent-Type: text/html; charset=utf-8\n\n<div>From HTML</div>\n"
		"--Z\nContent-Type: text/plain\n\nnot this\n--Z--\n--Y--\n", 100);
	STR_EQ(t, "H:<div>From HTML</div>|", "blank plain part: the last alternative; related: its first part");
	g_free(t);
	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
		"--X\nContent-Type: text/plain\n\nSee attached.\n"
		"--X\nContent-Type: message/rfc822\n\nFrom: b@example.org\nSubject: fwd\n\nforwarded body\n"
		"--X\nContent-Type: image/png\n\niVBO\n"
		"--X\nContent-Type: text/plain; name=inline.txt\n\nfile without a disposition\n"
		"--X\nContent-Type: text/plain\n\nAnd more.\n--X--\n", 100);
	STR_EQ(t, "P:See attached.|P:And more.|",
	       "mixed: every text part in order; forwarded messages, images and named files left out");
	g_free(t);
	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/signed; boundary=S\n\n"
		"--S\nContent-Type: text/plain\n\nSigned text\n"
		"--S\nContent-Type: text/plain\n\nnot the signature\n--S--\n", 100);
	STR_EQ(t, "P:Signed text|", "signed: its first part");
	g_free(t);
	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/encrypted; boundary=E\n\n"
		"--E\nContent-Type: text/plain\n\nVersion: 1\n--E--\n", 100);
	STR_EQ(t, "", "encrypted: nothing");
	g_free(t);
	t = chosen("Content-Type: text/html\n\n<b>only</b>\n", 100);
	STR_EQ(t, "H:<b>only</b>|", "a single HTML part");
	g_free(t);
	t = chosen("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
		"--X\nContent-Type: text/plain\n\none\n--X\nContent-Type: text/plain\n\ntwo\n"
		"--X\nContent-Type: text/plain\n\nthree\n--X--\n", 3);
	STR_EQ(t, "P:one|P:two|", "the part budget counts the multipart too");
	g_free(t);
	{
		MimeTextLimits lim = { 16, 10, 100 };
		GPtrArray *none = mimetext_pieces(NULL, &lim);

		INT_EQ(none->len, 0, "no body: no pieces");
		g_ptr_array_unref(none);
	}
}

TEST(html_to_text)
{
	/* moved from test_replytext.c with the rule */
	char *t = mimetext_html_to_text("<p>One</p><p>Two<br>three</p><pre>a  b\n c</pre><table><tr><td>x</td><td>y</td></tr></table>", NULL, NULL);
	STR_EQ(t, "One\n\nTwo\nthree\n\na  b\n c\nx y", "blocks, br, pre and cells");
	g_free(t);
	t = mimetext_html_to_text("<blockquote>kept when not stripping</blockquote>", NULL, NULL);
	STR_EQ(t, "kept when not stripping", "html_to_text keeps quotes");
	g_free(t);
	t = mimetext_html_to_text("", NULL, NULL);
	STR_EQ(t, "", "empty HTML");
	g_free(t);
	t = mimetext_html_to_text("<div><b>unclosed <i>tags &amp; entities &eacute;", NULL, NULL);
	STR_EQ(t, "unclosed tags & entities \xc3\xa9", "broken HTML recovers");
	g_free(t);
	t = mimetext_html_to_text("<html><head><title>T</title><style>x{}</style></head><body>"
		"<script>alert(1)</script><p>Hello&nbsp;there</p><ul><li>one</li><li>two</li></ul>"
		"<img src=x alt=picture></body></html>", NULL, NULL);
	STR_EQ(t, "Hello there\n\n- one\n- two", "head, script, style, images left out; list items");
	g_free(t);
	t = mimetext_html_to_text("<p class=MsoNormal>a</p><p class=MsoNormal>b</p><p>c</p>", NULL, NULL);
	STR_EQ(t, "a\nb\n\nc", "Outlook's margin-less paragraphs: one line break");
	g_free(t);
	t = mimetext_html_to_text("<div>x\xe2\x80\x8b" "y&#173;z</div>", NULL, NULL);
	STR_EQ(t, "xyz", "zero-width space and soft hyphen dropped");
	g_free(t);
}

/* drop_quotes - a filter: stop at id=stop, skip blockquotes, keep the rest */
static MimeTextVerdict drop_quotes(const MimeTextElement *el, gpointer user)
{
	char *id = mimetext_element_attr(el, "id");
	gboolean stop = id && strcmp(id, "stop") == 0;

	(*(int *)user)++;
	g_free(id);
	if (stop)
		return MIMETEXT_STOP;
	return strcmp(mimetext_element_name(el), "blockquote") == 0 ? MIMETEXT_SKIP : MIMETEXT_KEEP;
}

TEST(html_filter)
{
	int calls = 0;
	char *t = mimetext_html_to_text("<DIV>Yes</DIV><blockquote>quoted<p>more</p></blockquote>"
		"<div>after</div><div id=stop>header</div><div>old message</div>", drop_quotes, &calls);

	STR_EQ(t, "Yes\nafter", "SKIP drops an element, STOP drops it and everything after it");
	OK(calls > 0, "the filter sees the elements (names lower-cased)");
	g_free(t);
}

TEST(blank_and_tidy)
{
	char *t;

	OK(mimetext_is_blank(""), "empty is blank");
	OK(mimetext_is_blank(" \t\xc2\xa0\xe2\x80\x83\xef\xbb\xbf\n"), "Unicode spaces and a BOM are blank");
	OK(!mimetext_is_blank(" x "), "a letter is not");
	t = mimetext_tidy("\n\n a  \n\n\n\nb\t\n \xc2\xa0\nc\n\n");
	STR_EQ(t, " a\n\nb\n\nc", "trailing space trimmed, blank runs squeezed, ends trimmed");
	g_free(t);
}

TEST(bounds)
{
	GString *deep = g_string_new("<html><body>");
	GString *mime = g_string_new("MIME-Version: 1.0\n");
	gint64 t0 = g_get_monotonic_time();
	char *t;

	for (int i = 0; i < 5000; i++)
		g_string_append(deep, "<div>");
	g_string_append(deep, "deep text");
	t = mimetext_html_to_text(deep->str, NULL, NULL);
	OK(g_utf8_validate(t, -1, NULL), "5000 nested divs: no crash");
	g_free(t);
	for (int i = 0; i < 100; i++)
		g_string_append_printf(mime, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
	g_string_append(mime, "Content-Type: text/plain\n\ndeep\n");
	t = chosen(mime->str, 1000);
	STR_EQ(t, "", "100 nested multiparts: nothing past the depth bound");
	g_free(t);
	OK(g_get_monotonic_time() - t0 < 20 * G_USEC_PER_SEC, "bounded inputs finish quickly");
	g_string_free(deep, TRUE);
	g_string_free(mime, TRUE);
}

int main(void)
{
	g_mime_init();
	RUN(charsets);
	RUN(part_text);
	RUN(part_choice);
	RUN(html_to_text);
	RUN(html_filter);
	RUN(blank_and_tidy);
	RUN(bounds);
	g_mime_shutdown();
	return harness_done();
}
