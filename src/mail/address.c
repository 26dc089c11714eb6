/*
 * address.c - the addr-spec rule (address_is_valid), normalization, and forming and
 * routing peermail's local parts.
 */
#include <string.h>
#include "mail/address.h"
#include "base/token.h"

static const struct {
	const char *keyword;
	int purpose;
} keywords[] = {
	{ "sign", TOKEN_SIGN },
	{ "confirm", TOKEN_CONFIRM },
	{ "join", TOKEN_SUBSCRIBE },
	{ "leave", TOKEN_UNSUBSCRIBE },
	{ "bye", TOKEN_UNSUB_CONFIRM },
	{ "bounce", TOKEN_BOUNCE },
	{ "moderate", TOKEN_MODERATE },
	{ "story", TOKEN_STORY },
	{ "broadcast", TOKEN_BROADCAST },
	{ "reply", TOKEN_DELIVERY },
	{ "sponsor", TOKEN_SPONSOR },
	{ "review", TOKEN_REVIEW },
	{ "update", TOKEN_UPDATE },
	{ "decide", TOKEN_UPDATE_REVIEW },
	{ "unfollow", TOKEN_UNFOLLOW },
	{ "language", TOKEN_LANGUAGE },
	{ "follow", TOKEN_FOLLOW },
};

/* address_keyword_purpose - token purpose for a keyword */
int address_keyword_purpose(const char *keyword)
{
	for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++)
		if (g_ascii_strcasecmp(keywords[i].keyword, keyword) == 0)
			return keywords[i].purpose;
	return 0;
}

/* atext - an RFC 5322 atext character (ASCII only) */
static gboolean atext(char c)
{
	return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* dot_atom_ok - TRUE if s[0..n) is a dot-atom: atext runs joined by single dots */
static gboolean dot_atom_ok(const char *s, gsize n)
{
	gboolean dot = TRUE;     /* "previous was a dot (or the start)" */

	for (gsize i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (dot)
				return FALSE;
			dot = TRUE;
		} else if (atext(s[i])) {
			dot = FALSE;
		} else {
			return FALSE;
		}
	}
	return !dot;
}

/* domain_ok - TRUE for two or more dot-separated labels of letters, digits and inner
 * hyphens, each 1 to 63 characters */
static gboolean domain_ok(const char *d)
{
	int labels = 0;

	for (const char *p = d;; p++) {
		const char *start = p;

		while (g_ascii_isalnum(*p) || *p == '-')
			p++;
		if (p == start || p - start > 63 || *start == '-' || p[-1] == '-')
			return FALSE;
		labels++;
		if (*p == '\0')
			return labels >= 2;
		if (*p != '.')
			return FALSE;
	}
}

/* address_is_valid - the addr-spec rule: ASCII dot-atom@dotted.host */
gboolean address_is_valid(const char *a)
{
	const char *at = a ? strrchr(a, '@') : NULL;

	return at && at > a && at - a <= 64 && strlen(a) <= 254 &&
	       dot_atom_ok(a, (gsize)(at - a)) && domain_ok(at + 1);
}

/* address_given - the address as given: trimmed, brackets dropped, valid */
char *address_given(const char *addr)
{
	char *s;
	gsize n;

	if (addr == NULL)
		return NULL;
	s = g_strstrip(g_strdup(addr));
	n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	if (!address_is_valid(s)) {
		g_free(s);
		return NULL;
	}
	return s;
}

/* address_normalize - comparable form */
char *address_normalize(const PmConfig *cfg, const char *addr)
{
	char *s = address_given(addr), *at, *local, *domain, *out;

	if (s == NULL)
		return NULL;
	at = strrchr(s, '@');
	*at = '\0';
	local = g_ascii_strdown(s, -1);
	domain = g_ascii_strdown(at + 1, -1);
	if (cfg && cfg->gmail_dots &&
	    (strcmp(domain, "gmail.com") == 0 || strcmp(domain, "googlemail.com") == 0)) {
		char *plus = strchr(local, '+'), *w = local;

		if (plus)
			*plus = '\0';
		for (char *r = local; *r; r++)
			if (*r != '.')
				*w++ = *r;
		*w = '\0';
		g_free(domain);
		domain = g_strdup("gmail.com");
	} else if (cfg && cfg->strip_tags) {
		char *plus = strchr(local, '+');

		if (plus && plus != local)
			*plus = '\0';
	}
	out = *local ? g_strdup_printf("%s@%s", local, domain) : NULL;
	g_free(local);
	g_free(domain);
	g_free(s);
	return out;
}

/* address_has_key - addr normalizes to key */
gboolean address_has_key(const PmConfig *cfg, const char *addr, const char *key)
{
	char *k = key ? address_normalize(cfg, addr) : NULL;
	gboolean same = k && strcmp(k, key) == 0;

	g_free(k);
	return same;
}

/* address_key_domains - domains that may normalize into key_domain */
char **address_key_domains(const PmConfig *cfg, const char *key_domain)
{
	GPtrArray *out = g_ptr_array_new();

	g_ptr_array_add(out, g_ascii_strdown(key_domain ? key_domain : "", -1));
	if (cfg && cfg->gmail_dots && key_domain && g_ascii_strcasecmp(key_domain, "gmail.com") == 0)
		g_ptr_array_add(out, g_strdup("googlemail.com"));
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* route_clear - free a route's strings */
void route_clear(Route *r)
{
	g_free(r->keyword);
	g_free(r->arg);
	g_free(r->token);
	memset(r, 0, sizeof(*r));
}

/* address_route - meaning of a recipient address */
void address_route(const PmConfig *cfg, const char *recipient, Route *out)
{
	char *norm, *at, **parts;
	guint n;
	char *owner = NULL;

	memset(out, 0, sizeof(*out));
	if (recipient == NULL)
		return;
	norm = g_strstrip(g_ascii_strdown(recipient, -1));
	if (norm[0] == '<') {
		char *gt = strchr(norm, '>');
		if (gt)
			*gt = '\0';
		memmove(norm, norm + 1, strlen(norm));
	}
	at = strrchr(norm, '@');
	if (at == NULL || at == norm || strcmp(at + 1, cfg->domain) != 0) {
		g_free(norm);
		return;
	}
	*at = '\0';
	parts = g_strsplit(norm, cfg->delimiter, 4);
	n = g_strv_length(parts);
	out->keyword = g_strdup(parts[0]);
	owner = config_from_address(cfg);
	{
		char *oat = strrchr(owner, '@');
		if (oat)
			*oat = '\0';
	}

	if (n == 1) {
		if (strcmp(parts[0], "help") == 0)
			out->kind = ROUTE_HELP;
		else if (cfg->start_keyword && strcmp(parts[0], cfg->start_keyword) == 0)
			out->kind = ROUTE_START;
		else if (strcmp(parts[0], owner) == 0 || strcmp(parts[0], "postmaster") == 0 ||
			 strcmp(parts[0], "abuse") == 0 || strcmp(parts[0], "owner") == 0 ||
			 strcmp(parts[0], "mailer-daemon") == 0)
			out->kind = ROUTE_OWNER;
		else if (address_keyword_purpose(parts[0]) == 0) {
			out->kind = ROUTE_LIST_POST;
			out->arg = g_strdup(parts[0]);
		}
	} else if (n <= 3) {
		const char *last = parts[n - 1];
		int purpose = address_keyword_purpose(parts[0]);

		if (purpose && token_looks_like(last))
			out->token = g_strdup(last);
		if (purpose == TOKEN_SIGN || purpose == TOKEN_STORY) {
			out->kind = purpose == TOKEN_SIGN ? ROUTE_SIGN : ROUTE_STORY;
			if (n == 3 || out->token == NULL)
				out->arg = g_strdup(parts[1]);
			if (n == 3 && out->token == NULL)
				out->kind = ROUTE_NONE;
		} else if (purpose && out->token && n == 2) {
			out->kind = ROUTE_TOKEN;
		} else if ((purpose == TOKEN_SPONSOR || purpose == TOKEN_UPDATE) && out->token) {
			out->kind = ROUTE_TOKEN;        /* sponsor+SLUG+TOKEN, update+SLUG+TOKEN */
			out->arg = g_strdup(parts[1]);
		} else if (n == 2 && purpose == 0 && (strcmp(parts[0], owner) == 0 ||
							       strcmp(parts[0], "owner") == 0)) {
			out->kind = ROUTE_OWNER;        /* team+anything, owner+anything */
		} else if (n == 2 && purpose == 0) {
			out->arg = g_strdup(parts[0]);
			if (strcmp(parts[1], "owner") == 0)
				out->kind = ROUTE_OWNER;        /* LIST+owner */
			else if (strcmp(parts[1], "subscribe") == 0 || strcmp(parts[1], "join") == 0)
				out->kind = ROUTE_LIST_SUBSCRIBE;
			else if (strcmp(parts[1], "unsubscribe") == 0 ||
				 strcmp(parts[1], "leave") == 0)
				out->kind = ROUTE_LIST_UNSUBSCRIBE;
			else if (strcmp(parts[1], "help") == 0)
				out->kind = ROUTE_LIST_HELP;
		}
	}
	if (out->kind == ROUTE_NONE) {
		g_free(out->arg);
		g_free(out->token);
		out->arg = out->token = NULL;
	}
	g_free(owner);
	g_strfreev(parts);
	g_free(norm);
}

/* address_names_list - does NAME@domain route to a list of that name? */
gboolean address_names_list(const PmConfig *cfg, const char *name)
{
	char *addr = g_strdup_printf("%s@%s", name, cfg->domain);
	Route r;
	gboolean ok;

	address_route(cfg, addr, &r);
	ok = r.kind == ROUTE_LIST_POST && r.arg && g_ascii_strcasecmp(r.arg, name) == 0;
	route_clear(&r);
	g_free(addr);
	return ok;
}

/* address_make - form one of our addresses */
char *address_make(const PmConfig *cfg, const char *keyword, const char *arg,
		   const char *token)
{
	GString *s = g_string_new(keyword);

	if (arg && strlen(keyword) + 1 + strlen(arg) + (token ? 1 + strlen(token) : 0) <= 64) {
		g_string_append(s, cfg->delimiter);
		g_string_append(s, arg);
	}
	if (token) {
		g_string_append(s, cfg->delimiter);
		g_string_append(s, token);
	}
	g_string_append_c(s, '@');
	g_string_append(s, cfg->domain);
	return g_string_free(s, FALSE);
}

/* address_redact - tokens in the local part shortened for logs */
char *address_redact(const char *addr)
{
	const char *at;
	GString *out;
	char *local, **parts;

	if (addr == NULL)
		return g_strdup("-");
	at = strrchr(addr, '@');
	local = at ? g_strndup(addr, at - addr) : g_strdup(addr);
	out = g_string_new(NULL);
	/* any delimiter may be configured: split on all of them */
	parts = g_strsplit_set(local, "+-=_.", -1);
	{
		const char *p = local;

		for (int i = 0; parts[i]; i++) {
			gsize n = strlen(parts[i]);

			if (token_looks_like(parts[i]))
				g_string_append_printf(out, "%.6s...", parts[i]);
			else
				g_string_append_len(out, p, n);
			p += n;
			if (*p) {
				g_string_append_c(out, *p);
				p++;
			}
		}
	}
	if (at)
		g_string_append(out, at);
	g_strfreev(parts);
	g_free(local);
	return g_string_free(out, FALSE);
}
