/* test_address.c - normalization, routing and forming of addresses */
#include <string.h>
#include "mail/address.h"
#include "harness.h"

static PmConfig *cfg(void)
{
	PmConfig *c = g_new0(PmConfig, 1);

	c->domain = g_strdup("act.test");
	c->delimiter = g_strdup("+");
	c->from = g_strdup("Team <team@act.test>");
	c->gmail_dots = TRUE;
	return c;
}

static void cfg_done(PmConfig *c)
{
	g_free(c->domain);
	g_free(c->delimiter);
	g_free(c->from);
	g_free(c);
}

static void norm(PmConfig *c, const char *in, const char *want)
{
	char *got = address_normalize(c, in);
	char *what = g_strdup_printf("normalize %s", in);

	STR_EQ(got, want, what);
	g_free(what);
	g_free(got);
}

TEST(normalize)
{
	PmConfig *c = cfg();

	norm(c, "Alice@Example.ORG", "alice@example.org");
	norm(c, " <bob@example.org> ", "bob@example.org");
	norm(c, "J.Doe+news@GoogleMail.com", "jdoe@gmail.com");
	norm(c, "x+tag@example.org", "x+tag@example.org");
	c->strip_tags = TRUE;
	norm(c, "x+tag@example.org", "x@example.org");
	norm(c, "no-at-sign", NULL);
	norm(c, "a b@example.org", NULL);
	norm(c, "a@b@example.org", NULL);
	norm(c, "evil@example.org\r\nBcc: x@y.z", NULL);
	norm(c, "@example.org", NULL);
	norm(c, "user@localhost", NULL);
	norm(c, "J\xc3\xb6rg@example.org", NULL);
	norm(c, "a..b@example.org", NULL);
	norm(c, " <Eve.Example@Mail.Example.ORG> ", "eve.example@mail.example.org");
	cfg_done(c);
}

TEST(as_given)
{
	PmConfig *c = cfg();
	char *g = address_given(" <Eve.Smith@GMail.com> ");
	char **d;

	STR_EQ(g, "Eve.Smith@GMail.com", "address_given keeps case, dots and +tags (brackets and blanks go)");
	g_free(g);
	g = address_given("joe+news@example.org");
	STR_EQ(g, "joe+news@example.org", "address_given keeps the +tag");
	g_free(g);
	OK(address_given("not an address") == NULL, "address_given refuses what is no address");
	OK(address_has_key(c, "E.V.E.Smith+x@googlemail.com", "evesmith@gmail.com"),
	   "address_has_key: any spelling of a Gmail key");
	OK(!address_has_key(c, "eve@gmail.com", "evesmith@gmail.com"), "address_has_key: another person");
	d = address_key_domains(c, "gmail.com");
	STR_EQ(d[0], "gmail.com", "address_key_domains: the key's own domain");
	STR_EQ(d[1], "googlemail.com", "... and googlemail.com with gmail_dots");
	g_strfreev(d);
	d = address_key_domains(c, "Example.ORG");
	OK(g_strv_length(d) == 1 && strcmp(d[0], "example.org") == 0, "another domain: itself");
	g_strfreev(d);
	cfg_done(c);
}

TEST(is_valid)
{
	/* the one addr-spec rule: members, targets, bounce reports and every address compose writes */
	static const char *const good[] = { "first.o'neil+tag@sub.example-domain.org",
		"a@b.co", "x_y=z/w{1}~!#$%&*^`|?@example.org", "jane@mail.example.museum",
		"a-b@x-1.example.org" };
	static const char *const bad[] = { NULL, "", "no-at-sign", "a@", "@b.test",
		"a..b@x.test", ".a@x.test", "a.@x.test", "a@-x.test", "a@x-.test", "a@x..test",
		"a@.x.test", "a@x.test.", "a b@x.test", "a@b@x.test", "a@x.test,b@y.test",
		"\"q\"@x.test", "\xc3\xbc@x.test", "a@\xc3\xbc.test", "Eve <eve@x.test>",
		"<eve@x.test>", "a@b.test\r\nBcc: x@y.test", "a(c)@x.test", "a@x_y.test",
		"a@[192.0.2.1]", "user@localhost", "a\\b@x.test", "a;b@x.test", "a:b@x.test" };
	char *s;

	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		char *what = g_strdup_printf("valid: %s", good[i]);

		OK(address_is_valid(good[i]), what);
		g_free(what);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *shown = bad[i] ? g_strescape(bad[i], NULL) : g_strdup("(null)");
		char *what = g_strdup_printf("invalid: %s", shown);

		OK(!address_is_valid(bad[i]), what);
		g_free(what);
		g_free(shown);
	}
	s = g_strdup_printf("%s@example.org", "a123456789b123456789c123456789d123456789e123456789f123456789abcd");
	OK(address_is_valid(s), "a local part of 64 octets");
	g_free(s);
	s = g_strdup_printf("%s@example.org", "a123456789b123456789c123456789d123456789e123456789f123456789abcde");
	OK(!address_is_valid(s), "a local part of 65 octets");
	g_free(s);
	s = g_strdup_printf("a@%s.org", "a123456789b123456789c123456789d123456789e123456789f123456789abc");
	OK(address_is_valid(s), "a domain label of 63 octets");
	g_free(s);
	s = g_strdup_printf("a@%s.org", "a123456789b123456789c123456789d123456789e123456789f123456789abcd");
	OK(!address_is_valid(s), "a domain label of 64 octets");
	g_free(s);
	{
		GString *d = g_string_new("a@");

		while (d->len < 250)
			g_string_append(d, "abcdefghi.");
		g_string_append(d, "org");
		OK(!address_is_valid(d->str), "over 254 octets in all");
		g_string_free(d, TRUE);
	}
}

TEST(route)
{
	PmConfig *c = cfg();
	Route r;

	address_route(c, "sign+save-the-park@act.test", &r);
	INT_EQ(r.kind, ROUTE_SIGN, "sign+SLUG");
	STR_EQ(r.arg, "save-the-park", "slug");
	OK(r.token == NULL, "no token");
	route_clear(&r);

	address_route(c, "SIGN+Park+abcdefghijklmnopqrstuvwx@ACT.test", &r);
	INT_EQ(r.kind, ROUTE_SIGN, "sign+SLUG+TOKEN");
	STR_EQ(r.arg, "park", "slug with token");
	STR_EQ(r.token, "abcdefghijklmnopqrstuvwx", "token lower-cased");
	route_clear(&r);

	address_route(c, "confirm+abcdefghijklmnopqrstuvwx@act.test", &r);
	INT_EQ(r.kind, ROUTE_TOKEN, "confirm+TOKEN");
	route_clear(&r);

	address_route(c, "news+subscribe@act.test", &r);
	INT_EQ(r.kind, ROUTE_LIST_SUBSCRIBE, "LIST+subscribe");
	STR_EQ(r.arg, "news", "list name");
	route_clear(&r);
	address_route(c, "news+unsubscribe@act.test", &r);
	INT_EQ(r.kind, ROUTE_LIST_UNSUBSCRIBE, "LIST+unsubscribe");
	route_clear(&r);
	address_route(c, "news+help@act.test", &r);
	INT_EQ(r.kind, ROUTE_LIST_HELP, "LIST+help");
	route_clear(&r);
	address_route(c, "news@act.test", &r);
	INT_EQ(r.kind, ROUTE_LIST_POST, "LIST");
	route_clear(&r);
	address_route(c, "help@act.test", &r);
	INT_EQ(r.kind, ROUTE_HELP, "help");
	route_clear(&r);
	address_route(c, "team@act.test", &r);
	INT_EQ(r.kind, ROUTE_OWNER, "the From mailbox");
	route_clear(&r);
	{
		/* mail for people: each of these reaches the organizers' mailbox */
		static const char *const owners[] = { "postmaster@act.test", "abuse@act.test",
			"owner@act.test", "owner+news@act.test", "news+owner@act.test",
			"team+press@act.test", "Abuse@ACT.test" };

		for (gsize i = 0; i < G_N_ELEMENTS(owners); i++) {
			address_route(c, owners[i], &r);
			INT_EQ(r.kind, ROUTE_OWNER, owners[i]);
			route_clear(&r);
		}
		address_route(c, "news+owner@act.test", &r);
		STR_EQ(r.arg, "news", "LIST+owner names its list");
		route_clear(&r);
	}
	address_route(c, "sign+x@other.test", &r);
	INT_EQ(r.kind, ROUTE_NONE, "another domain");
	route_clear(&r);
	address_route(c, "news+frobnicate@act.test", &r);
	INT_EQ(r.kind, ROUTE_NONE, "unknown list command");
	route_clear(&r);
	address_route(c, "confirm+short@act.test", &r);
	INT_EQ(r.kind, ROUTE_NONE, "token keyword without a token");
	route_clear(&r);
	cfg_done(c);
}

TEST(make)
{
	PmConfig *c = cfg();
	char *a = address_make(c, "sign", "park", "tok");
	char *longslug = g_strnfill(60, 'p');
	char *b = address_make(c, "sign", longslug, "abcdefghijklmnopqrstuvwxyz234567");

	STR_EQ(a, "sign+park+tok@act.test", "sign+SLUG+TOKEN");
	STR_EQ(b, "sign+abcdefghijklmnopqrstuvwxyz234567@act.test", "long slug dropped");
	g_free(a);
	g_free(b);
	g_free(longslug);
	cfg_done(c);
}

TEST(redact)
{
	char *a = address_redact("sign+park+abcdefghijklmnopqrstuvwx@act.test");
	char *b = address_redact("bounce+ABCDEFGHIJKLMNOPQRSTUVWX@act.test");
	char *c = address_redact("news+subscribe@act.test");

	STR_EQ(a, "sign+park+abcdef...@act.test", "token cut, slug kept");
	STR_EQ(b, "bounce+ABCDEF...@act.test", "upper-case token cut");
	STR_EQ(c, "news+subscribe@act.test", "no token: unchanged");
	g_free(a);
	g_free(b);
	g_free(c);
	a = address_redact(NULL);
	STR_EQ(a, "-", "NULL");
	g_free(a);
}

int main(void)
{
	RUN(normalize);
	RUN(as_given);
	RUN(is_valid);
	RUN(route);
	RUN(make);
	RUN(redact);
	return harness_done();
}
