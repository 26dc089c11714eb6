/* test_token.c - HMAC tokens: round trip, tampering, purpose/object/member binding, expiry */
#include <sysexits.h>
#include "harness.h"
#include "base/pm.h"
#include "base/token.h"

static PmSecret *key(void)
{
	return secret_new_from_bytes((const guint8 *)"0123456789abcdef0123456789abcdef", 32);
}

TEST(round_trip)
{
	PmSecret *k = key();
	Token t = { TOKEN_SIGN, 42, 123456, 0 }, u;
	char *s = token_encode(k, &t);
	char *up = g_ascii_strup(s, -1);

	OK(token_looks_like(s), "encoded token looks like a token");
	OK(strlen(s) <= 40, "token is short");
	OK(token_decode(k, s, TOKEN_SIGN, &u, NULL), "decodes");
	INT_EQ(u.object, 42, "object survives");
	INT_EQ(u.member, 123456, "member survives");
	OK(token_decode(k, up, TOKEN_SIGN, &u, NULL), "upper case decodes (case-insensitive)");
	g_free(up);
	g_free(s);
	secret_free(k);
}

/* One-time tokens: a nonce makes each issue distinct; each decodes to the same token. */
TEST(once)
{
	PmSecret *k = key();
	Token t = { TOKEN_SUBSCRIBE, 3, 77, pm_now() + 86400 * 14 }, u;
	char *a = token_encode_once(k, &t, 0xdeadbeefu);
	char *b = token_encode_once(k, &t, 12345u);
	char *plain = token_encode(k, &t);

	OK(strcmp(a, b) != 0, "two issues of the same one-time token differ");
	OK(strcmp(a, plain) != 0, "a one-time token differs from the plain one");
	OK(token_looks_like(a) && strlen(a) <= 48, "a one-time token is still short");
	OK(token_decode(k, a, TOKEN_SUBSCRIBE, &u, NULL), "a one-time token decodes");
	INT_EQ(u.object, 3, "object survives the nonce");
	INT_EQ(u.member, 77, "member survives the nonce");
	OK(!token_decode(k, b, TOKEN_CONFIRM, &u, NULL), "its purpose is still checked");
	g_free(a);
	g_free(b);
	g_free(plain);
	secret_free(k);
}

TEST(tampering)
{
	PmSecret *k = key(), *k2;
	Token t = { TOKEN_SIGN, 7, 9, 0 }, u;
	char *s = token_encode(k, &t);
	int refused = 0, n = (int)strlen(s);
	GError *e = NULL;

	for (int i = 0; i < n; i++) {
		char *c = g_strdup(s);
		c[i] = c[i] == 'a' ? 'b' : 'a';
		if (!token_decode(k, c, TOKEN_SIGN, &u, NULL))
			refused++;
		g_free(c);
	}
	INT_EQ(refused, n, "every one-character change is refused");
	OK(!token_decode(k, s, TOKEN_CONFIRM, &u, &e), "another purpose is refused");
	INT_EQ(e ? e->code : 0, EX_NOUSER, "refusal is EX_NOUSER");
	g_clear_error(&e);
	k2 = secret_new_from_bytes((const guint8 *)"another-secret-another-secret!!!", 32);
	OK(!token_decode(k2, s, TOKEN_SIGN, &u, NULL), "another secret is refused");
	secret_free(k2);
	{
		Token t2 = { TOKEN_SIGN, 8, 9, 0 };
		char *s2 = token_encode(k, &t2);
		OK(strcmp(s, s2) != 0, "another object gives another token");
		g_free(s2);
	}
	OK(!token_decode(k, "", TOKEN_SIGN, &u, NULL), "empty refused");
	OK(!token_decode(k, "not-a-token!", TOKEN_SIGN, &u, NULL), "garbage refused");
	g_free(s);
	secret_free(k);
}

TEST(expiry)
{
	PmSecret *k = key();
	Token t = { TOKEN_CONFIRM, 1, 2, pm_now() + 86400 * 3 }, u;
	char *s = token_encode(k, &t);
	GError *e = NULL;

	OK(token_decode(k, s, TOKEN_CONFIRM, &u, NULL), "unexpired token decodes");
	OK(u.expires >= t.expires, "expiry rounded up to a day");
	g_free(s);
	t.expires = pm_now() - 86400 * 2;
	s = token_encode(k, &t);
	OK(!token_decode(k, s, TOKEN_CONFIRM, &u, &e), "expired token refused");
	OK(e && strstr(e->message, "expired"), "error says expired");
	g_clear_error(&e);
	g_free(s);
	secret_free(k);
}

TEST(secret_file)
{
	char *path = g_build_filename(harness_tmpdir(), "sub", "secret", NULL);
	GError *e = NULL;
	PmSecret *s = secret_load(path, FALSE, &e);

	OK(s == NULL && e != NULL, "missing secret is an error without create");
	g_clear_error(&e);
	s = secret_load(path, TRUE, &e);
	OK(s != NULL, "created");
	{
		GStatBuf st;
		g_stat(path, &st);
		INT_EQ(st.st_mode & 0777, 0600, "mode 0600");
	}
	secret_free(s);
	g_free(path);
}

int main(void)
{
	RUN(round_trip);
	RUN(once);
	RUN(tampering);
	RUN(expiry);
	RUN(secret_file);
	return harness_done();
}
