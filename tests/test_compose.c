/* test_compose.c - message composition: headers exactly as intended and nothing injectable
 * (hostile names, subjects from data with CR/LF/NUL/controls, long and non-ASCII values),
 * transfer encodings, alternatives, attachments, list headers, template errors, the
 * cache, threads, and every default template in templates/. Output is parsed back with
 * GMime and checked byte by byte for CRLF and line length. */
#include <gmime/gmime.h>
#include <sysexits.h>
#include "mail/compose.h"
#include "harness.h"
#include "testmsg.h"
#include "base/pm.h"

static PmConfig *cfg;
static char *tpl;    /* the test's own templates folder */

static void write_tpl(const char *name, const char *text)
{
	char *p = g_build_filename(tpl, name, NULL);

	g_file_set_contents(p, text, -1, NULL);
	g_free(p);
}

static PmConfig *load_config(const char *templates)
{
	char *conf = g_build_filename(harness_tmpdir(), "peermail.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ntemplates = \"%s\"\n"
				     "from = \"Campaign Team <team@act.test>\"\nsyslog = false\n",
				     templates);
	GError *e = NULL;
	PmConfig *c;

	g_file_set_contents(conf, text, -1, NULL);
	c = config_load(conf, &e);
	if (c == NULL) {
		printf("# config: %s\n", e->message);
		g_error_free(e);
	}
	g_free(text);
	g_free(conf);
	return c;
}

static JsonNode *json(const char *text)
{
	GError *e = NULL;
	JsonNode *n = json_from_string(text, &e);

	if (n == NULL) {
		printf("# json: %s\n", e->message);
		g_error_free(e);
		abort();
	}
	return n;
}

/* compose - compose with JSON data text; NULL and *code on failure */
static GBytes *compose(const char *name, const char *data, const ComposeOpts *o, int *code)
{
	JsonNode *d = data ? json(data) : NULL;
	GError *e = NULL;
	GBytes *b = compose_message(cfg, name, d, o, &e);

	if (code)
		*code = e ? e->code : 0;
	if (e) {
		printf("# compose: %s\n", e->message);
		g_error_free(e);
	}
	if (d)
		json_node_unref(d);
	return b;
}

/* wire_ok - every line ends in CRLF, no bare CR or LF, no NUL, lines under 998 octets */
static gboolean wire_ok(GBytes *b, const char **why)
{
	gsize n;
	const char *s = g_bytes_get_data(b, &n);
	gsize line = 0;

	for (gsize i = 0; i < n; i++) {
		if (s[i] == '\0')
			return *why = "NUL", FALSE;
		if (s[i] == '\r') {
			if (i + 1 >= n || s[i + 1] != '\n')
				return *why = "bare CR", FALSE;
			i++;
			line = 0;
			continue;
		}
		if (s[i] == '\n')
			return *why = "bare LF", FALSE;
		if (++line > 998)
			return *why = "line over 998 octets", FALSE;
	}
	if (n < 2 || s[n - 2] != '\r' || s[n - 1] != '\n')
		return *why = "no final CRLF", FALSE;
	return *why = NULL, TRUE;
}

/* headers_ascii - the header block is 7-bit (non-ASCII must be RFC 2047 encoded) */
static gboolean headers_ascii(GBytes *b)
{
	gsize n;
	const char *s = g_bytes_get_data(b, &n);
	const char *end = g_strstr_len(s, (gssize)n, "\r\n\r\n");

	for (const char *p = s; end && p < end; p++)
		if ((guchar)*p >= 0x80)
			return FALSE;
	return end != NULL;
}

/* header_names - the message's top-level header names joined by spaces; caller frees */
static char *header_names(GMimeMessage *m)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	GString *s = g_string_new(NULL);

	for (int i = 0; i < g_mime_header_list_get_count(hl); i++)
		g_string_append_printf(s, "%s%s", i ? " " : "",
				       g_mime_header_get_name(g_mime_header_list_get_header_at(hl, i)));
	return g_string_free(s, FALSE);
}

static int header_count(GMimeMessage *m, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	int n = 0;

	for (int i = 0; i < g_mime_header_list_get_count(hl); i++)
		if (g_ascii_strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(hl, i)),
				       name) == 0)
			n++;
	return n;
}

static const char *hdr(GMimeMessage *m, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(m), name);
}

/* part_text - decoded content of a leaf part; caller frees */
static char *part_text(GMimeObject *o)
{
	GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(o));
	GMimeStream *s = g_mime_stream_mem_new();
	GByteArray *ba;
	char *t;

	g_mime_data_wrapper_write_to_stream(w, s);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	t = g_strndup((const char *)ba->data, ba->len);
	g_object_unref(s);
	return t;
}

/*
 * subject_of - the Subject decoded one encoded-word at a time. GMime 3.2.13 merges
 * adjacent base64 words before decoding and loses the text after a padded one
 * (jstedfast/gmime#133), so the test decodes each self-contained word (RFC 2047 s. 2)
 * itself and drops the whitespace between adjacent words (s. 6.2). Caller frees.
 */
static char *subject_of(GMimeMessage *m)
{
	GMimeHeader *h = g_mime_header_list_get_header(g_mime_object_get_header_list(GMIME_OBJECT(m)),
						       "Subject");
	char *raw = g_strdup(g_mime_header_get_raw_value(h));
	char **words = g_strsplit_set(g_strstrip(raw), " \t\r\n", -1);
	GString *out = g_string_new(NULL);
	gboolean prev_encoded = FALSE, pending_space = FALSE;

	for (int i = 0; words[i]; i++) {
		gboolean enc = g_str_has_prefix(words[i], "=?") && g_str_has_suffix(words[i], "?=");

		if (*words[i] == '\0') {
			pending_space = TRUE;
			continue;
		}
		if (i > 0 && !(enc && prev_encoded))
			g_string_append_c(out, ' ');
		if (enc) {
			char *d = g_mime_utils_header_decode_text(NULL, words[i]);

			g_string_append(out, d);
			g_free(d);
		} else {
			g_string_append(out, words[i]);
		}
		prev_encoded = enc;
		(void)pending_space;
	}
	g_strfreev(words);
	g_free(raw);
	return g_string_free(out, FALSE);
}

static const char *to_addr(GMimeMessage *m, int i, const char **name)
{
	InternetAddressList *l = g_mime_message_get_to(m);
	InternetAddress *a;

	if (i >= internet_address_list_length(l))
		return NULL;
	a = internet_address_list_get_address(l, i);
	if (name)
		*name = internet_address_get_name(a);
	return INTERNET_ADDRESS_IS_MAILBOX(a) ?
		internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)) : NULL;
}

#define WIRE_OK(b, what) do { const char *why_; OK(wire_ok((b), &why_), (what)); \
	if (why_) printf("#   %s\n", why_); } while (0)

/* compose_header_start: blank lines before a header are skipped, nothing else is */
TEST(header_start)
{
	const char *a = "\n\r\n \nFrom: x@y.test\n\nbody\n";
	const char *b = "From: x@y.test\n\nbody\n";
	const char *c = "\n\nJust text, no header\n";
	const char *d = "\n\n";

	INT_EQ((int)compose_header_start((const guint8 *)a, strlen(a)), 5, "blank lines (CRLF, blanks) before a header field are skipped");
	INT_EQ((int)compose_header_start((const guint8 *)b, strlen(b)), 0, "a header at the start: 0");
	INT_EQ((int)compose_header_start((const guint8 *)c, strlen(c)), 0, "blank lines before text that is no header field: 0");
	INT_EQ((int)compose_header_start((const guint8 *)d, strlen(d)), 0, "only blank lines: 0");
}

TEST(basic_headers)
{
	ComposeOpts o = { .to = "ann@example.org", .to_name = "Ann Example" };
	GBytes *b;
	GMimeMessage *m;
	char *names, *body;

	write_tpl("hello.txt", "Subject: Hello {{member.first_name}}\n\nHi {{member.name}},\n"
		  "domain {{domain}} help {{help_address}} owner {{owner_address}}\nfrom {{from}}\n");
	b = compose("hello", "{\"member\":{\"first_name\":\"Ann\",\"name\":\"Ann Example\"}}", &o, NULL);
	OK(b != NULL, "composes");
	WIRE_OK(b, "CRLF everywhere, no bare LF, lines < 998");
	m = testmsg_parse_bytes(b);
	names = header_names(m);
	STR_EQ(names, "Date From To Subject Message-Id X-Peermail-Loop MIME-Version",
	       "exactly the expected headers");
	STR_EQ(g_mime_message_get_subject(m), "Hello Ann", "subject rendered from data");
	STR_EQ(to_addr(m, 0, NULL), "ann@example.org", "To is the recipient");
	OK(to_addr(m, 1, NULL) == NULL, "only one To address");
	STR_EQ(hdr(m, "X-Peermail-Loop"), "act.test", "loop marker carries the domain");
	STR_EQ(g_mime_object_get_header(g_mime_message_get_mime_part(m), "Content-Transfer-Encoding"),
	       "7bit", "short ASCII body is 7bit");
	STR_EQ(g_mime_object_get_header(g_mime_message_get_mime_part(m), "Content-Type"),
	       "text/plain; charset=utf-8", "text/plain; charset=utf-8");
	OK(strstr(g_bytes_get_data(b, NULL), "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
		  "charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n") != NULL,
	   "MIME headers end the header block");
	OK(g_str_has_suffix(g_mime_message_get_message_id(m), "@act.test"),
	   "Message-ID in our domain");
	STR_EQ(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(
		internet_address_list_get_address(g_mime_message_get_from(m), 0))),
	       "team@act.test", "From is the configured sender");
	body = part_text(g_mime_message_get_mime_part(m));
	STR_EQ(body, "Hi Ann Example,\r\ndomain act.test help help@act.test owner team@act.test\r\n"
	       "from Campaign Team <team@act.test>\r\n", "body with the added defaults");
	g_free(body);
	g_free(names);
	g_object_unref(m);
	g_bytes_unref(b);
}

TEST(optional_headers)
{
	ComposeOpts o = { .to = "ann@example.org", .reply_to = "sign+x+abc123@act.test",
			  .in_reply_to = "orig.1@example.org", .list_name = "news",
			  .list_title = "Campaign news", .unsubscribe_mailto = "news+unsubscribe+t1@act.test",
			  .unsubscribe_url = "https://act.test/u/t1", .auto_generated = TRUE };
	GBytes *b = compose("hello", "{}", &o, NULL);
	GMimeMessage *m = testmsg_parse_bytes(b);
	char *names = header_names(m);

	STR_EQ(names, "Date From To Reply-To Subject Message-Id In-Reply-To References List-Id "
	       "List-Unsubscribe List-Unsubscribe-Post List-Subscribe List-Post List-Owner "
	       "List-Help Precedence Auto-Submitted X-Peermail-Loop MIME-Version",
	       "list mail headers, in order");
	STR_EQ(hdr(m, "List-Id"), "Campaign news <news.act.test>", "List-Id");
	STR_EQ(hdr(m, "List-Unsubscribe"), "<mailto:news+unsubscribe+t1@act.test>, <https://act.test/u/t1>",
	       "List-Unsubscribe: mailto and https");
	STR_EQ(hdr(m, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click", "one-click unsubscribe");
	STR_EQ(hdr(m, "List-Help"), "<mailto:news+help@act.test>", "List-Help");
	STR_EQ(hdr(m, "List-Subscribe"), "<mailto:news+subscribe@act.test>", "List-Subscribe");
	STR_EQ(hdr(m, "List-Post"), "NO", "List-Post: NO on an announce list (RFC 2369)");
	STR_EQ(hdr(m, "List-Owner"), "<mailto:team@act.test>", "List-Owner: the From mailbox");
	OK(hdr(m, "List-Archive") == NULL, "no List-Archive: peermail keeps none");
	STR_EQ(hdr(m, "Precedence"), "bulk", "Precedence: bulk");
	STR_EQ(hdr(m, "Auto-Submitted"), "auto-generated", "auto-generated");
	STR_EQ(hdr(m, "In-Reply-To"), "<orig.1@example.org>", "In-Reply-To bracketed");
	STR_EQ(hdr(m, "References"), "<orig.1@example.org>", "References");
	OK(strstr(hdr(m, "Reply-To"), "sign+x+abc123@act.test") != NULL, "Reply-To");
	g_free(names);
	g_object_unref(m);
	g_bytes_unref(b);

	o = (ComposeOpts){ .to = "ann@example.org", .list_name = "news",
			   .list_title = "News \"A\" <b@x.test>, c\r\nBcc: d@x.test" };
	b = compose("hello", "{}", &o, NULL);
	WIRE_OK(b, "hostile list title: wire format");
	m = testmsg_parse_bytes(b);
	INT_EQ(header_count(m, "Bcc"), 0, "hostile list title adds no header");
	OK(g_str_has_suffix(hdr(m, "List-Id"), "\" <news.act.test>") &&
	   g_str_has_prefix(hdr(m, "List-Id"), "\"News \\\"A\\\" <b@x.test>, c Bcc: d@x.test\""),
	   "hostile list title is a quoted phrase");
	g_object_unref(m);
	g_bytes_unref(b);

	o = (ComposeOpts){ .to = "ann@example.org", .list_name = "talk", .list_discussion = TRUE };
	b = compose("hello", "{}", &o, NULL);
	m = testmsg_parse_bytes(b);
	STR_EQ(hdr(m, "List-Post"), "<mailto:talk@act.test>", "List-Post on a discussion list");
	g_object_unref(m);
	g_bytes_unref(b);

	o = (ComposeOpts){ .to = "ann@example.org", .auto_reply = TRUE, .list_name = "news",
			   .unsubscribe_mailto = "news+unsubscribe@act.test",
			   .in_reply_to = "<bad id with spaces>" };
	b = compose("hello", "{}", &o, NULL);
	m = testmsg_parse_bytes(b);
	STR_EQ(hdr(m, "Auto-Submitted"), "auto-replied", "auto-replied");
	STR_EQ(hdr(m, "List-Id"), "news <news.act.test>", "List-Id falls back to the list name");
	OK(hdr(m, "List-Unsubscribe-Post") == NULL, "no one-click without a URL");
	OK(strstr(hdr(m, "List-Unsubscribe"), "http") == NULL, "no https link without a URL");
	OK(hdr(m, "In-Reply-To") == NULL, "an unusable In-Reply-To is left out");
	g_object_unref(m);
	g_bytes_unref(b);
}

TEST(hostile_values)
{
	ComposeOpts o = { .to = "eve@example.org", .to_name = "Eve\r\nBcc: victim@x.test" };
	GBytes *b;
	GMimeMessage *m;
	const char *name = NULL;
	char *names;

	write_tpl("subj.txt", "Subject: Hi {{member.name}}!\n\nBody {{member.name}}\n");
	b = compose("subj", "{\"member\":{\"name\":\"X\\r\\nBcc: v@x.test\\r\\n\\r\\nsmuggled\\u0000\\u0001\\u001b\\u007f\\u0085\\u2028end\"}}",
		    &o, NULL);
	OK(b != NULL, "composes with hostile data");
	WIRE_OK(b, "hostile data: wire format intact");
	m = testmsg_parse_bytes(b);
	names = header_names(m);
	STR_EQ(names, "Date From To Subject Message-Id X-Peermail-Loop MIME-Version",
	       "no header added by data");
	INT_EQ(header_count(m, "Bcc"), 0, "no Bcc");
	INT_EQ(header_count(m, "To"), 1, "one To header");
	STR_EQ(to_addr(m, 0, &name), "eve@example.org", "To address intact");
	OK(to_addr(m, 1, NULL) == NULL, "the name did not add a recipient");
	STR_EQ(name, "Eve Bcc: victim@x.test", "CRLF in the name folded to a space");
	OK(g_str_has_prefix(g_mime_message_get_subject(m), "Hi X Bcc: v@x.test smuggled"),
	   "CRLF in the subject folded to spaces");
	OK(strchr(g_mime_message_get_subject(m), 0x1b) == NULL && strchr(g_mime_message_get_subject(m), 1) == NULL,
	   "controls removed from the subject");
	g_free(names);
	g_object_unref(m);
	g_bytes_unref(b);

	o.to_name = NULL;
	o.subject = "Override\r\nBcc: v@x.test\x01\x7f";
	b = compose("subj", "{}", &o, NULL);
	m = testmsg_parse_bytes(b);
	STR_EQ(g_mime_message_get_subject(m), "Override Bcc: v@x.test", "subject option is folded too");
	INT_EQ(header_count(m, "Bcc"), 0, "still no Bcc");
	g_object_unref(m);
	g_bytes_unref(b);
}

TEST(header_value_folding)
{
	char *v = compose_header_value("a\r\nb\tc\x01\x7f d\xc2\x85" "e\xe2\x80\xa8" "f  g ");
	char *bad = compose_header_value("x\xff\xfey");

	STR_EQ(v, "a b c d e f g", "controls, NEL and LINE SEPARATOR become single spaces");
	OK(g_utf8_validate(bad, -1, NULL), "invalid UTF-8 is repaired");
	g_free(v);
	g_free(bad);
}

TEST(long_and_non_ascii)
{
	GString *longs = g_string_new(NULL), *word = g_string_new(NULL);
	ComposeOpts o = { .to = "jo@example.org", .to_name = "Jöhn Ünïcode 山田" };
	GBytes *b;
	GMimeMessage *m;
	const char *name = NULL;
	char *subj;

	for (int i = 0; i < 400; i++)
		g_string_append(longs, "word ");
	g_string_append(longs, "end");
	for (int i = 0; i < 3000; i++)
		g_string_append_c(word, 'a' + i % 26);

	o.subject = longs->str;
	b = compose("subj", "{}", &o, NULL);
	WIRE_OK(b, "2000-octet subject: lines < 998");
	m = testmsg_parse_bytes(b);
	STR_EQ(g_mime_message_get_subject(m), longs->str, "long subject round-trips");
	g_object_unref(m);
	g_bytes_unref(b);

	o.subject = word->str;
	b = compose("subj", "{}", &o, NULL);
	WIRE_OK(b, "3000-octet unbreakable subject: lines < 998");
	m = testmsg_parse_bytes(b);
	STR_EQ(g_mime_message_get_subject(m), word->str, "unbreakable subject round-trips");
	g_object_unref(m);
	g_bytes_unref(b);

	o.to_name = word->str;
	o.subject = "s";
	b = compose("subj", "{}", &o, NULL);
	WIRE_OK(b, "3000-octet display name: lines < 998");
	m = testmsg_parse_bytes(b);
	STR_EQ(to_addr(m, 0, &name), "jo@example.org", "long display name: address intact");
	STR_EQ(name, word->str, "long display name round-trips");
	g_object_unref(m);
	g_bytes_unref(b);

	o.to_name = "Jöhn Ünïcode 山田";
	o.subject = "Pétition: «Sauvons l'école» — 署名してください";
	b = compose("subj", "{}", &o, NULL);
	OK(headers_ascii(b), "non-ASCII header values are RFC 2047 encoded");
	m = testmsg_parse_bytes(b);
	subj = subject_of(m);
	STR_EQ(subj, o.subject, "non-ASCII subject round-trips");
	g_free(subj);
	STR_EQ(to_addr(m, 0, &name), "jo@example.org", "address intact");
	STR_EQ(name, "Jöhn Ünïcode 山田", "non-ASCII name round-trips");
	g_object_unref(m);
	g_bytes_unref(b);
	g_string_free(longs, TRUE);
	g_string_free(word, TRUE);
}

TEST(refused_addresses)
{
	static const char *const bad[] = { "a@b.test\r\nBcc: x@y.test", "Eve <eve@x.test>",
		"no-at-sign", "a@", "@b.test", "a..b@x.test", "a@-x.test", "a b@x.test",
		"a@x.test,b@y.test", "\"q\"@x.test", "ü@x.test" };
	int code = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		ComposeOpts o = { .to = bad[i] };
		GBytes *b = compose("hello", "{}", &o, &code);
		char *shown = g_strescape(bad[i], NULL);
		char *what = g_strdup_printf("To '%s' refused with EX_DATAERR", shown);

		OK(b == NULL && code == EX_DATAERR, what);
		if (b)
			g_bytes_unref(b);
		g_free(what);
		g_free(shown);
	}
	{
		ComposeOpts o = { .to = "a@x.test", .reply_to = "x@y\nBcc: z@w.test" };
		GBytes *b = compose("hello", "{}", &o, &code);

		OK(b == NULL && code == EX_DATAERR, "bad Reply-To refused");
		o.reply_to = NULL;
		o.list_name = "news";
		o.unsubscribe_mailto = "u@x.test>, <mailto:evil@x.test";
		b = compose("hello", "{}", &o, &code);
		OK(b == NULL && code == EX_DATAERR, "bad unsubscribe address refused");
		o.unsubscribe_mailto = NULL;
		o.unsubscribe_url = "https://x.test/u>\r\nBcc: a@b.test";
		b = compose("hello", "{}", &o, &code);
		OK(b == NULL && code == EX_DATAERR, "bad unsubscribe URL refused");
		o.unsubscribe_url = NULL;
		o.list_name = "news\r\nBcc: x";
		b = compose("hello", "{}", &o, &code);
		OK(b == NULL && code == EX_DATAERR, "bad list name refused");
	}
	{
		/* the rule itself is address_is_valid's (tests/test_address.c); compose applies it */
		ComposeOpts o = { .to = "first.o'neil+tag@sub.example-domain.org" };
		GBytes *b = compose("hello", "{}", &o, &code);

		OK(b != NULL, "a good address passes");
		if (b)
			g_bytes_unref(b);
	}
}

/* encoding_of - the Content-Transfer-Encoding of a body rendered from {{{body}}} */
static char *encoding_of(const char *body_json, char **decoded)
{
	ComposeOpts o = { .to = "a@x.test" };
	char *data = g_strdup_printf("{\"body\":%s}", body_json);
	GBytes *b = compose("raw", data, &o, NULL);
	GMimeMessage *m;
	char *cte;
	const char *why;

	g_free(data);
	if (b == NULL)
		return g_strdup("(failed)");
	if (!wire_ok(b, &why)) {
		g_bytes_unref(b);
		return g_strdup(why);
	}
	m = testmsg_parse_bytes(b);
	cte = g_strdup(g_mime_object_get_header(g_mime_message_get_mime_part(m),
						"Content-Transfer-Encoding"));
	*decoded = part_text(g_mime_message_get_mime_part(m));
	g_object_unref(m);
	g_bytes_unref(b);
	return cte;
}

TEST(encodings)
{
	GString *s = g_string_new("\""), *want = g_string_new(NULL);
	char *cte, *dec = NULL;

	write_tpl("raw.txt", "Subject: t\n\n{{{body}}}");
	for (int i = 0; i < 2000; i++)
		g_string_append_c(want, 'a' + i % 26);
	g_string_append_printf(s, "%s\\nnext\\n\"", want->str);
	g_string_append(want, "\r\nnext\r\n");
	cte = encoding_of(s->str, &dec);
	STR_EQ(cte, "quoted-printable", "2000-octet ASCII line: quoted-printable, lines < 998");
	STR_EQ(dec, want->str, "long line decodes intact");
	g_free(cte);
	g_free(dec);
	dec = NULL;

	cte = encoding_of("\"Grüße aus Köln, liebe Unterstützer.\\nMehr Text hier.\\n\"", &dec);
	STR_EQ(cte, "quoted-printable", "mostly-ASCII UTF-8: quoted-printable");
	STR_EQ(dec, "Grüße aus Köln, liebe Unterstützer.\r\nMehr Text hier.\r\n", "decodes to UTF-8");
	g_free(cte);
	g_free(dec);
	dec = NULL;

	cte = encoding_of("\"Подпишите петицию, пожалуйста. 请签署请愿书。\\n\"", &dec);
	STR_EQ(cte, "base64", "mostly non-ASCII: base64");
	STR_EQ(dec, "Подпишите петицию, пожалуйста. 请签署请愿书。\r\n", "decodes to UTF-8");
	g_free(cte);
	g_free(dec);
	dec = NULL;

	cte = encoding_of("\"line one\\r\\nline two\\rline three\\n\"", &dec);
	STR_EQ(cte, "7bit", "short ASCII: 7bit");
	STR_EQ(dec, "line one\r\nline two\r\nline three\r\n", "CR, LF and CRLF in data become CRLF");
	g_free(cte);
	g_free(dec);
	g_string_free(s, TRUE);
	g_string_free(want, TRUE);
}

TEST(alternative_and_attachments)
{
	ComposeOpts o = { .to = "a@x.test" };
	ComposeAttachment att[2];
	GBytes *csv = g_bytes_new_static("email,name\r\nann@x.test,Ann\r\n", 29);
	GBytes *bin = g_bytes_new_static("\x1f\x8b\x08\x00\xff\x00", 6);
	GBytes *b;
	GMimeMessage *m;
	GMimeObject *top, *alt, *p;
	char *t;

	write_tpl("alt.txt", "Subject: s\n\nText {{x}}\n");
	write_tpl("alt.html", "<p>HTML {{x}} {{{x}}}</p>\n");
	b = compose("alt", "{\"x\":\"<b>&\"}", &o, NULL);
	WIRE_OK(b, "alternative: wire format");
	m = testmsg_parse_bytes(b);
	top = g_mime_message_get_mime_part(m);
	OK(GMIME_IS_MULTIPART(top) && g_mime_content_type_is_type(g_mime_object_get_content_type(top),
		"multipart", "alternative"), "multipart/alternative when NAME.html exists");
	INT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2, "two alternatives");
	p = g_mime_multipart_get_part(GMIME_MULTIPART(top), 0);
	OK(g_mime_content_type_is_type(g_mime_object_get_content_type(p), "text", "plain"), "text first");
	t = part_text(p);
	STR_EQ(t, "Text <b>&\r\n", "text part is not HTML-escaped");
	g_free(t);
	p = g_mime_multipart_get_part(GMIME_MULTIPART(top), 1);
	OK(g_mime_content_type_is_type(g_mime_object_get_content_type(p), "text", "html"), "HTML second");
	STR_EQ(g_mime_object_get_content_type_parameter(p, "charset"), "utf-8", "HTML is utf-8");
	t = part_text(p);
	STR_EQ(t, "<p>HTML &lt;b&gt;&amp; <b>&</p>\r\n", "HTML part escapes {{x}}, not {{{x}}}");
	g_free(t);
	g_object_unref(m);
	g_bytes_unref(b);

	att[0] = (ComposeAttachment){ "signatures.csv", "text/csv; charset=utf-8", csv };
	att[1] = (ComposeAttachment){ "../evil\r\nname.gz", "application/gzip", bin };
	o.attachments = att;
	o.n_attachments = 2;
	b = compose("alt", "{\"x\":\"y\"}", &o, NULL);
	WIRE_OK(b, "attachments: wire format");
	m = testmsg_parse_bytes(b);
	top = g_mime_message_get_mime_part(m);
	OK(g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart", "mixed"),
	   "multipart/mixed with attachments");
	INT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 3, "body and two attachments");
	alt = g_mime_multipart_get_part(GMIME_MULTIPART(top), 0);
	OK(g_mime_content_type_is_type(g_mime_object_get_content_type(alt), "multipart", "alternative"),
	   "the body comes first");
	p = g_mime_multipart_get_part(GMIME_MULTIPART(top), 1);
	STR_EQ(g_mime_part_get_filename(GMIME_PART(p)), "signatures.csv", "attachment filename");
	STR_EQ(g_mime_object_get_header(p, "Content-Transfer-Encoding"), "base64", "attachment base64");
	OK(g_mime_content_type_is_type(g_mime_object_get_content_type(p), "text", "csv"), "CSV type kept");
	t = part_text(p);
	STR_EQ(t, "email,name\r\nann@x.test,Ann\r\n", "attachment content round-trips");
	g_free(t);
	p = g_mime_multipart_get_part(GMIME_MULTIPART(top), 2);
	STR_EQ(g_mime_part_get_filename(GMIME_PART(p)), ".._evil name.gz",
	       "attachment filename: no path, no line break");
	{
		GMimeStream *ms = g_mime_stream_mem_new();
		GByteArray *ba;

		g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(GMIME_PART(p)), ms);
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
		OK(ba->len == 6 && memcmp(ba->data, "\x1f\x8b\x08\x00\xff\x00", 6) == 0,
		   "binary attachment round-trips");
		g_object_unref(ms);
	}
	g_object_unref(m);
	g_bytes_unref(b);
	g_bytes_unref(csv);
	g_bytes_unref(bin);
}

TEST(template_errors)
{
	ComposeOpts o = { .to = "a@x.test" };
	JsonNode *d = json("{}");
	GError *e = NULL;
	GBytes *b;

	b = compose_message(cfg, "nosuch", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG && strstr(e->message, "nosuch.txt"),
	   "missing template: EX_CONFIG naming the file");
	g_clear_error(&e);
	b = compose_message(cfg, "../etc/passwd", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG, "template names cannot be paths");
	g_clear_error(&e);

	write_tpl("bcc.txt", "Subject: x\nBcc: someone@x.test\n\nbody\n");
	b = compose_message(cfg, "bcc", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG && strstr(e->message, "bcc.txt:2: header 'Bcc'"),
	   "a template cannot set other headers (file:line)");
	g_clear_error(&e);

	write_tpl("syntax.txt", "Subject: x\n\nline 3\nline 4 {{#open}}\nline 5\n");
	b = compose_message(cfg, "syntax", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG && strstr(e->message, "syntax.txt:4: section 'open'"),
	   "syntax error in the body names the file's line");
	if (e)
		printf("#   %s\n", e->message);
	g_clear_error(&e);

	write_tpl("nosubj.txt", "\nbody only\n");
	b = compose_message(cfg, "nosubj", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG && strstr(e->message, "no Subject"),
	   "no Subject: refused");
	g_clear_error(&e);
	o.subject = "Given";
	b = compose_message(cfg, "nosubj", d, &o, &e);
	OK(b != NULL, "no Subject: fine when the caller gives one");
	if (b)
		g_bytes_unref(b);

	write_tpl("nobody.txt", "Subject: x\n");
	b = compose_message(cfg, "nobody", d, &o, &e);
	OK(b == NULL && e && e->code == EX_CONFIG, "no blank line after the headers: refused");
	g_clear_error(&e);
	json_node_unref(d);
}

/* body_of - subject and decoded first text part of template name, as "subject|text" */
static char *body_of(const char *name)
{
	ComposeOpts o = { .to = "a@x.test" };
	GBytes *b = compose(name, "{}", &o, NULL);
	GMimeMessage *m;
	GMimeObject *p;
	char *t, *r;

	if (b == NULL)
		return g_strdup("(failed)");
	m = testmsg_parse_bytes(b);
	p = g_mime_message_get_mime_part(m);
	t = part_text(GMIME_IS_MULTIPART(p) ? g_mime_multipart_get_part(GMIME_MULTIPART(p), 0) : p);
	r = g_strdup_printf("%s%s|%s", GMIME_IS_MULTIPART(p) ? "multipart " : "",
			    g_mime_message_get_subject(m), t);
	g_free(t);
	g_object_unref(m);
	g_bytes_unref(b);
	return r;
}

TEST(cache_revalidates)
{
	char *a, *b;

	write_tpl("edit.txt", "Subject: one\n\nfirst\n");
	write_tpl("footer.mustache", "footer v1\n");
	write_tpl("withp.txt", "Subject: p\n\n{{>footer}}");
	a = body_of("edit");
	b = body_of("withp");
	STR_EQ(a, "one|first\r\n", "first version");
	STR_EQ(b, "p|footer v1\r\n", "partials from the templates folder");
	g_free(a);
	g_free(b);
	write_tpl("edit.txt", "Subject: two!\n\nsecond version\n");
	write_tpl("edit.html", "<p>now with HTML</p>\n");
	write_tpl("footer.mustache", "footer v2 longer\n");
	g_usleep(G_USEC_PER_SEC + 100000);  /* files are stat()ed again after a second */
	a = body_of("edit");
	b = body_of("withp");
	STR_EQ(a, "multipart two!|second version\r\n", "an edited template and a new .html are picked up");

	STR_EQ(b, "p|footer v2 longer\r\n", "an edited partial is picked up");
	g_free(a);
	g_free(b);
	write_tpl("indent.txt", "Subject: i\n\nA\n  {{> footer}}\nB\n");
	b = body_of("indent");
	STR_EQ(b, "i|A\r\n  footer v2 longer\r\nB\r\n", "a standalone partial is indented");
	g_free(b);
}

static gpointer compose_thread(gpointer user)
{
	GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int ok = 0;

	for (int i = 0; i < 100; i++) {
		char *to = g_strdup_printf("m%d.%d@example.org", GPOINTER_TO_INT(user), i);
		char *data = g_strdup_printf("{\"member\":{\"name\":\"Member %d\"},\"x\":\"%d\"}", i, i);
		ComposeOpts o = { .to = to };
		JsonNode *d = json(data);
		GBytes *b = compose_message(cfg, "alt", d, &o, NULL);

		if (b) {
			GMimeMessage *m = testmsg_parse_bytes(b);

			if (m && g_strcmp0(to_addr(m, 0, NULL), to) == 0 &&
			    g_hash_table_add(ids, g_strdup(g_mime_message_get_message_id(m))))
				ok++;
			if (m)
				g_object_unref(m);
			g_bytes_unref(b);
		}
		json_node_unref(d);
		g_free(data);
		g_free(to);
	}
	g_hash_table_unref(ids);
	return GINT_TO_POINTER(ok);
}

TEST(threads)
{
	GThread *t[4];
	int total = 0;

	compose_cache_clear();
	for (int i = 0; i < 4; i++)
		t[i] = g_thread_new("compose", compose_thread, GINT_TO_POINTER(i));
	for (int i = 0; i < 4; i++)
		total += GPOINTER_TO_INT(g_thread_join(t[i]));
	INT_EQ(total, 400, "4 threads x 100 messages, each right and with its own Message-ID");
}

/* The default templates, in every shipped language: each composes with representative
 * data, has a subject, and tells the member how to stop receiving mail; the French one
 * is not the English one. */
TEST(default_templates)
{
	static const char *const names[] = { "confirm_sign", "signed", "already_signed",
		"petition_closed", "story_ack", "moderation", "moderation_refused", "subscribe_confirm",
		"welcome", "unsubscribe_confirm", "unsubscribed", "help", "list_help", "post_refused",
		"broadcast_confirm", "broadcast_refused", "newsletter", "milestone", "delivery", "delivery_failed" };
	const char *top = g_getenv("PEERMAIL_TOP");
	char *dir = g_build_filename(top ? top : ".", "templates", NULL);
	char *datafile = g_build_filename(dir, "examples", "data.json", NULL);
	PmConfig *saved = cfg;
	JsonParser *jp = json_parser_new();
	GError *e = NULL;
	char *en_text = NULL;

	cfg = load_config(dir);
	if (!json_parser_load_from_file(jp, datafile, &e)) {
		OK(0, "templates/examples/data.json loads");
		printf("#   %s\n", e->message);
		g_clear_error(&e);
	}
	for (gsize k = 0; cfg && k < G_N_ELEMENTS(names) * 2; k++) {
		gsize i = k / 2;
		const char *lang = k % 2 ? "fr" : "en";
		ComposeOpts o = { .to = "ann@example.org", .to_name = "Ann Example",
				  .list_name = "news", .list_title = "Campaign news",
				  .unsubscribe_mailto = "news+unsubscribe+t0k3n@act.test",
				  .lang = lang };
		GBytes *b = compose_message(cfg, names[i], json_parser_get_root(jp), &o, &e);
		char *what = g_strdup_printf("templates/%s/%s composes", lang, names[i]);
		GMimeMessage *m;
		GMimeObject *p;
		char *text = NULL;

		OK(b != NULL, what);
		g_free(what);
		if (b == NULL) {
			printf("#   %s\n", e->message);
			g_clear_error(&e);
			continue;
		}
		m = testmsg_parse_bytes(b);
		p = g_mime_message_get_mime_part(m);
		if (GMIME_IS_MULTIPART(p))
			p = g_mime_multipart_get_part(GMIME_MULTIPART(p), 0);
		text = part_text(p);
		what = g_strdup_printf("templates/%s/%s: subject, no unrendered tags, how to stop mail",
				       lang, names[i]);
		OK(g_mime_message_get_subject(m) && *g_mime_message_get_subject(m) &&
		   !strstr(text, "{{") && !strstr(g_mime_message_get_subject(m), "{{") &&
		   (strstr(text, "unsubscribe") || strstr(text, "stop")), what);
		if (strstr(text, "{{") || !(strstr(text, "unsubscribe") || strstr(text, "stop")))
			printf("#   %s\n", text);
		g_free(what);
		if (k % 2 == 0) {
			g_free(en_text);
			en_text = g_strdup(text);
		} else {
			what = g_strdup_printf("templates/fr/%s is French, not the English text",
					       names[i]);
			OK(g_strcmp0(en_text, text) != 0, what);
			g_free(what);
		}
		g_free(text);
		g_object_unref(m);
		g_bytes_unref(b);
	}
	config_free(cfg);
	cfg = saved;
	g_free(en_text);
	g_object_unref(jp);
	g_free(datafile);
	g_free(dir);
}

/* normalized - the message with what differs between two compositions (Date, Message-Id,
 * the boundary) replaced by fixed text; caller frees */
static char *normalized(GBytes *b)
{
	char *t = g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
	const char *bd = strstr(t, "boundary=\"");
	GString *out = g_string_new(NULL);
	char *bound = NULL, **lines, *joined;

	if (bd) {
		bd += strlen("boundary=\"");
		bound = g_strndup(bd, strcspn(bd, "\""));
	}
	lines = g_strsplit(t, "\r\n", -1);
	for (int i = 0; lines[i]; i++) {
		if (g_str_has_prefix(lines[i], "Date: "))
			g_string_append(out, "Date: X");
		else if (g_str_has_prefix(lines[i], "Message-Id: "))
			g_string_append(out, "Message-Id: X");
		else
			g_string_append(out, lines[i]);
		if (lines[i + 1])
			g_string_append(out, "\r\n");
	}
	joined = g_string_free(out, FALSE);
	if (bound && *bound) {
		char **parts = g_strsplit(joined, bound, -1);

		g_free(joined);
		joined = g_strjoinv("BOUNDARY", parts);
		g_strfreev(parts);
	}
	g_strfreev(lines);
	g_free(bound);
	g_free(t);
	return joined;
}

/* same_parsed - both messages parse to the same headers (but Date, Message-Id and the
 * boundary) and the same decoded parts; why says what differs */
static gboolean same_parsed(GMimeObject *a, GMimeObject *b, GString *why)
{
	GMimeHeaderList *ha = g_mime_object_get_header_list(a), *hb = g_mime_object_get_header_list(b);
	int n = g_mime_header_list_get_count(ha);

	if (n != g_mime_header_list_get_count(hb))
		return g_string_append(why, "header count"), FALSE;
	for (int i = 0; i < n; i++) {
		GMimeHeader *x = g_mime_header_list_get_header_at(ha, i);
		GMimeHeader *y = g_mime_header_list_get_header_at(hb, i);
		const char *name = g_mime_header_get_name(x);

		if (g_strcmp0(name, g_mime_header_get_name(y)) != 0)
			return g_string_append_printf(why, "header %d name %s", i, name), FALSE;
		if (strcmp(name, "Date") == 0 || strcmp(name, "Message-Id") == 0 ||
		    (strcmp(name, "Content-Type") == 0 && GMIME_IS_MULTIPART(a)))
			continue;
		if (g_strcmp0(g_mime_header_get_value(x), g_mime_header_get_value(y)) != 0)
			return g_string_append_printf(why, "%s: '%s' vs '%s'", name,
						      g_mime_header_get_value(x),
						      g_mime_header_get_value(y)), FALSE;
	}
	if (GMIME_IS_MESSAGE(a))
		return same_parsed(g_mime_message_get_mime_part(GMIME_MESSAGE(a)),
				   g_mime_message_get_mime_part(GMIME_MESSAGE(b)), why);
	if (GMIME_IS_MULTIPART(a)) {
		int k = g_mime_multipart_get_count(GMIME_MULTIPART(a));

		if (k != g_mime_multipart_get_count(GMIME_MULTIPART(b)))
			return g_string_append(why, "part count"), FALSE;
		for (int i = 0; i < k; i++)
			if (!same_parsed(g_mime_multipart_get_part(GMIME_MULTIPART(a), i),
					 g_mime_multipart_get_part(GMIME_MULTIPART(b), i), why))
				return FALSE;
		return TRUE;
	}
	{
		char *x = part_text(a), *y = part_text(b);
		gboolean same = g_strcmp0(x, y) == 0;

		if (!same)
			g_string_append(why, "decoded body");
		g_free(x);
		g_free(y);
		return same;
	}
}

TEST(direct_writer_matches_gmime)
{
	GString *longname = g_string_new(NULL), *longword = g_string_new(NULL);
	GString *longline = g_string_new(NULL), *words = g_string_new(NULL);
	GString *longid = g_string_new(NULL);
	const char *names[] = { NULL, "", "Ann Example", "O'Brien, Jr. \"Bob\" (x) \\ y",
				"Zoë O'Brien", "Jöhn Ünïcode 山田", NULL, NULL,
				"A Rather Long Display Name Of Someone With Many Given Names Here",
				"Пётр Ильич Чайковский-Римский-Корсаков Иванович Петров Сидоров" };
	const char *subjects[] = { "Hello", "", NULL, NULL,
				   "Pétition: «Sauvons l'école» — 署名してください",
				   "Member, please sign: Clean air — a long subject that needs "
				   "folding because it is really long and then some more words",
				   "x\ty  z", " lead", "trail ", "a =?utf-8?q?x?= b",
				   /* around the fold: "Subject: " and 66 to 71 octets */
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijk",
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijkl",
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijklm",
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijklmn",
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijklmno",
				   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghijklmnop" };
	const char *bodies[] = { "Short body.\n", NULL, "Grüße aus Köln, liebe Unterstützer.\n"
				 "Mehr Text hier. Trailing space \nand tab\t\n",
				 "Подпишите петицию, пожалуйста. 请签署请愿书。\n",
				 "no final newline", "From the start\n.\n..\nline one\r\nline two\rthree\n",
				 "" };
	const char *tos[] = { "ann@example.org", "Mixed.Case@Example.ORG",
			      "a-very-long-local-part-of-sixty-four-characters-abcdefghijklmnop@"
			      "a-long-subdomain.of-a-long-domain.example.org" };
	const char *irts[] = { "<a1@x>", "a1@x", "<CAH+w=7z3kq9Lw0aB1cD2eF3gH4iJ5kL6mN7oP8@mail.gmail.com>",
			       "<0123456789012345678901234567890123456789012345678901234567@x.y>",
			       "<01234567890123456789012345678901234567890123456789012345678@x.y>",
			       "<012345678901234567890123456789012345678901234567890123456789@x.y>",
			       "<0123456789012345678901234567890123456789012345678901234567890@x.y>",
			       "<01234567890123456789012345678901234567890123456789012345678901@x.y>",
			       "<012345678901234567890123456789012345678901234567890123456789012@x.y>",
			       "<0123456789012345678901234567890123456789012345678901234567890123456789"
			       "0123456789@long.example.org>", "<with space@x>", "<>", "<a\"q\"@x>",
			       NULL };
	int cases = 0, bytes_differ = 0, parsed_differ = 0;

	for (int i = 0; i < 300; i++)
		g_string_append(longname, i % 7 ? "name " : "namé ");
	for (int i = 0; i < 3000; i++)
		g_string_append_c(longword, 'a' + i % 26);
	g_string_append_c(longid, '<');
	for (int i = 0; i < 400; i++)
		g_string_append_c(longid, 'a' + i % 26);
	g_string_append(longid, "@x.example>");
	for (int i = 0; i < 300; i++)
		g_string_append(words, "word ");
	for (int i = 0; i < 1200; i++)
		g_string_append_c(longline, i % 50 == 49 ? ' ' : 'a' + i % 26);
	g_string_append(longline, " é\n\nnext paragraph   \n");
	irts[G_N_ELEMENTS(irts) - 1] = longid->str;
	names[6] = longname->str;
	names[7] = longword->str;
	subjects[2] = words->str;
	subjects[3] = longword->str;
	bodies[1] = longline->str;
	write_tpl("dw.txt", "Subject: {{subject}}\n\n{{{body}}}\n-- \n{{> dwfoot}}");
	write_tpl("dw.html", "<p>{{body}}</p>\n<p>{{subject}}</p>");  /* no final newline */
	write_tpl("dwt.txt", "Subject: {{subject}}\n\n{{{body}}}");
	write_tpl("dwfoot.mustache", "footer for {{domain}}\n");
	for (gsize ni = 0; ni < G_N_ELEMENTS(names); ni++)
	for (gsize si = 0; si < G_N_ELEMENTS(subjects); si++)
	for (gsize bi = 0; bi < G_N_ELEMENTS(bodies); bi++) {
		int variant = (int)(ni + si + bi) % 4;
		JsonObject *d = json_object_new();
		JsonNode *data = json_node_init_object(json_node_alloc(), d);
		ComposeOpts o = { .to = tos[(ni + bi) % G_N_ELEMENTS(tos)], .to_name = names[ni] };
		GError *e = NULL;
		GBytes *fast, *gen;

		json_object_set_string_member(d, "subject", subjects[si]);
		json_object_set_string_member(d, "body", bodies[bi]);
		if (variant >= 1) {
			o.reply_to = "sign+clean-air+aeaqcadn4hng7ijj25e5uqa@act.test";
			o.list_name = "news";
			o.list_title = variant == 1 ? "Campaign news" :
				"Ünïcode news list with a rather long title that goes on and on";
			o.unsubscribe_mailto = "leave+aqaqcafbnmt6y7lue5mspzq@act.test";
		}
		if (variant == 2) {
			o.unsubscribe_url = "https://act.test/u/aqaqcafbnmt6y7lue5mspzqaqaqcafbnm"
					    "t6y7lue5mspzqaqaqcafbnmt6y7lue5mspzq";
			o.list_discussion = TRUE;
		}
		o.auto_reply = variant == 3;
		o.auto_generated = variant == 2;
		/* responses answer a Message-ID: short, around one line's length, longer
		 * than a line, bracketed or not, unusable (left out) */
		if (variant == 3 || bi % 3 == 1)
			o.in_reply_to = irts[(ni * 7 + si * 3 + bi) % G_N_ELEMENTS(irts)];
		fast = compose_message(cfg, si % 2 ? "dwt" : "dw", data, &o, &e);
		gen = compose_message_general(cfg, si % 2 ? "dwt" : "dw", data, &o, &e);
		cases++;
		if (fast == NULL || gen == NULL) {
			printf("# case %zu/%zu/%zu: %s\n", ni, si, bi, e ? e->message : "?");
			g_clear_error(&e);
			bytes_differ++;
			parsed_differ++;
		} else {
			char *x = normalized(fast), *y = normalized(gen);
			GMimeMessage *mx = testmsg_parse_bytes(fast), *my = testmsg_parse_bytes(gen);
			GString *why = g_string_new(NULL);
			const char *w;

			if (strcmp(x, y) != 0 && bytes_differ++ < 3) {
				gsize at = 0;

				while (x[at] && x[at] == y[at])
					at++;
				at = at > 80 ? at - 80 : 0;
				printf("# case %zu/%zu/%zu differs at %zu:\n# direct: %.200s\n"
				       "# GMime:  %.200s\n", ni, si, bi, at, x + at, y + at);
			}
			if ((mx == NULL || my == NULL ||
			     !same_parsed(GMIME_OBJECT(mx), GMIME_OBJECT(my), why)) &&
			    parsed_differ++ < 3)
				printf("# case %zu/%zu/%zu parses differently: %s\n", ni, si, bi,
				       why->str);
			if (!wire_ok(fast, &w) && parsed_differ++ < 3)
				printf("# case %zu/%zu/%zu: %s\n", ni, si, bi, w);
			g_string_free(why, TRUE);
			if (mx)
				g_object_unref(mx);
			if (my)
				g_object_unref(my);
			g_free(x);
			g_free(y);
		}
		if (fast)
			g_bytes_unref(fast);
		if (gen)
			g_bytes_unref(gen);
		json_node_unref(data);
	}
	OK(cases > 100, "direct writer compared with GMime's on many messages");
	INT_EQ(parsed_differ, 0, "direct writer: same headers and decoded parts as GMime's, wire format ok");
	INT_EQ(bytes_differ, 0, "direct writer: byte for byte GMime's layout (but Date, Message-Id, boundary)");
	g_string_free(longname, TRUE);
	g_string_free(longword, TRUE);
	g_string_free(longline, TRUE);
	g_string_free(longid, TRUE);
	g_string_free(words, TRUE);
}

int main(void)
{
	g_mime_init();
	tpl = g_build_filename(harness_tmpdir(), "templates", NULL);
	g_mkdir(tpl, 0755);
	cfg = load_config(tpl);
	if (cfg == NULL)
		return 1;
	RUN(header_start);
	RUN(basic_headers);
	RUN(optional_headers);
	RUN(hostile_values);
	RUN(header_value_folding);
	RUN(long_and_non_ascii);
	RUN(refused_addresses);
	RUN(encodings);
	RUN(alternative_and_attachments);
	RUN(template_errors);
	RUN(cache_revalidates);
	RUN(threads);
	RUN(default_templates);
	RUN(direct_writer_matches_gmime);
	compose_cache_clear();
	config_free(cfg);
	g_free(tpl);
	g_mime_shutdown();
	return harness_done();
}
