/* test_dkim.c - DKIM relaxed canonicalization (RFC 6376 3.4.2, 3.4.4): the RFC's own
 * example (3.4.6) and tricky inputs; the signatures themselves are checked end to end by
 * an independent verifier in t_dkim.sh */
#include "harness.h"
#include "mail/dkim.h"

/* header - the canonical form of one field */
static char *header(const char *field, gboolean crlf)
{
	GString *out = g_string_new(NULL);

	dkim_canon_header(out, field, strlen(field), crlf);
	return g_string_free(out, FALSE);
}

/* body - the canonical form of a body */
static char *body(const char *text)
{
	GString *out = g_string_new(NULL);

	dkim_canon_body(out, text, strlen(text));
	return g_string_free(out, FALSE);
}

#define HDR_EQ(in, want, what) do { char *h_ = header((in), TRUE); STR_EQ(h_, (want), (what)); g_free(h_); } while (0)
#define BODY_EQ(in, want, what) do { char *b_ = body(in); STR_EQ(b_, (want), (what)); g_free(b_); } while (0)

/* RFC 6376 3.4.6: the example message, relaxed/relaxed */
TEST(rfc6376_example)
{
	HDR_EQ("A: X", "a:X\r\n", "example header A");
	HDR_EQ("B : Y\t\r\n\tZ  ", "b:Y Z\r\n", "example header B (folded, WSP before colon)");
	BODY_EQ(" C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n", "example body");
}

TEST(headers)
{
	char *g;

	HDR_EQ("Subject: a subject folded\n  over two lines", "subject:a subject folded over two lines\r\n",
	       "a folded header with LF line ends");
	HDR_EQ("SUBJECT:\t  lots   of\t\tspace  \t", "subject:lots of space\r\n",
	       "WSP runs compressed, ends trimmed, name lower case");
	HDR_EQ("List-Unsubscribe-Post: List-Unsubscribe=One-Click",
	       "list-unsubscribe-post:List-Unsubscribe=One-Click\r\n", "the value keeps its case");
	HDR_EQ("X-Empty:", "x-empty:\r\n", "an empty value");
	HDR_EQ("X-Empty:   \r\n  ", "x-empty:\r\n", "a value of white space only");
	HDR_EQ("Subject: caf\xc3\xa9  \xe2\x82\xac", "subject:caf\xc3\xa9 \xe2\x82\xac\r\n",
	       "8-bit octets pass unchanged");
	g = header("DKIM-Signature: v=1; a=rsa-sha256;\r\n\tb=", FALSE);
	STR_EQ(g, "dkim-signature:v=1; a=rsa-sha256; b=", "the signature field: no line end");
	g_free(g);
}

TEST(bodies)
{
	BODY_EQ("", "", "an empty body stays empty");
	BODY_EQ("\r\n\r\n\r\n", "", "only empty lines: empty");
	BODY_EQ(" \t \r\n\t\r\n", "", "only white-space lines: empty");
	BODY_EQ("no final line end", "no final line end\r\n", "a CRLF is added at the end");
	BODY_EQ("a\nb\n\n", "a\r\nb\r\n", "lone LF line ends become CRLF, trailing empty lines go");
	BODY_EQ("a\r\n\r\n \r\nb\r\n", "a\r\n\r\n\r\nb\r\n", "empty lines inside are kept (WSP-only ones emptied)");
	BODY_EQ("tail   \r\n", "tail\r\n", "trailing WSP stripped");
	BODY_EQ("\tlead  and\t\tinner \r\n", " lead and inner\r\n", "leading WSP becomes one space");
	BODY_EQ("caf\xc3\xa9 \xe2\x82\xac  \n", "caf\xc3\xa9 \xe2\x82\xac\r\n", "8-bit octets pass unchanged");
	BODY_EQ("a\rb\r\n", "a\rb\r\n", "a CR alone inside a line is kept");
}

int main(void)
{
	RUN(rfc6376_example);
	RUN(headers);
	RUN(bodies);
	return harness_done();
}
