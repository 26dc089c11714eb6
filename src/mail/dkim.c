/*
 * dkim.c - DKIM signing (RFC 6376, RFC 8463) on OpenSSL's libcrypto, and the DNS records
 * to publish.
 *
 * Ours: the split into header fields and body, relaxed/relaxed canonicalization (RFC 6376
 * 3.4.2 and 3.4.4), the choice of fields (h=, with oversigning), and the DKIM-Signature
 * field itself. libcrypto's: SHA-256 (EVP_Digest) and the signature (EVP_DigestSign
 * (rsa-sha256: RSASSA-PKCS1-v1_5 over SHA-256; ed25519-sha256: PureEdDSA over the SHA-256
 * hash of the canonical header, RFC 8463 section 3).
 *
 * Why not libopendkim (the "use a library made for it"): its API takes the key as
 * PEM text and parses it again for every message (about 1 ms under OpenSSL 3: RSA-signed
 * sending ran at 807 msg/s against 8,922 unsigned), and libopendkim 2.11 leaks about 1 KB
 * per Ed25519 signature; its upstream is quiet since 2018. What it did for us is small and
 * fully specified: the canonicalizer is tested on RFC 6376's own examples and every
 * signature in the tests is checked by an independent verifier (python3-dkim).
 *
 * Each key is parsed once, when the signer is made, and signed with once as a check.
 * libcrypto is loaded on first use (base/lazylib.h), so `peermail receive` never maps it.
 */
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "base/lazylib.h"
#include "base/log.h"
#include "base/pm.h"
#include "mail/dkim.h"

#ifndef PM_LIBCRYPTO_SONAME
#define PM_LIBCRYPTO_SONAME "libcrypto.so.3"
#endif

/* libcrypto, loaded on first use; the names stay the headers' own through the defines
 * below. */
#define CRYPTO_FUNCS(X) \
	X(BIO_new_mem_buf) \
	X(BIO_free) \
	X(PEM_read_bio_PrivateKey) \
	X(EVP_PKEY_get_base_id) \
	X(EVP_PKEY_get_bits) \
	X(EVP_PKEY_get_size) \
	X(EVP_PKEY_get_raw_public_key) \
	X(EVP_PKEY_free) \
	X(EVP_MD_CTX_new) \
	X(EVP_MD_CTX_free) \
	X(EVP_MD_fetch) \
	X(EVP_MD_free) \
	X(EVP_DigestSignInit) \
	X(EVP_DigestSign) \
	X(EVP_Digest) \
	X(i2d_PUBKEY)

#define CRYPTO_SLOT(f) __typeof__(f) *f;
#define CRYPTO_SYM(f) { #f, (gpointer *)&ck.f },
static struct {
	CRYPTO_FUNCS(CRYPTO_SLOT)
} ck;
static const LazySym crypto_syms[] = { CRYPTO_FUNCS(CRYPTO_SYM) { NULL, NULL } };
static LazyLib crypto_lib = { PM_LIBCRYPTO_SONAME, crypto_syms, 0, NULL };
#define BIO_new_mem_buf (*ck.BIO_new_mem_buf)
#define BIO_free (*ck.BIO_free)
#define PEM_read_bio_PrivateKey (*ck.PEM_read_bio_PrivateKey)
#define EVP_PKEY_get_base_id (*ck.EVP_PKEY_get_base_id)
#define EVP_PKEY_get_bits (*ck.EVP_PKEY_get_bits)
#define EVP_PKEY_get_size (*ck.EVP_PKEY_get_size)
#define EVP_PKEY_get_raw_public_key (*ck.EVP_PKEY_get_raw_public_key)
#define EVP_PKEY_free (*ck.EVP_PKEY_free)
#define EVP_MD_CTX_new (*ck.EVP_MD_CTX_new)
#define EVP_MD_CTX_free (*ck.EVP_MD_CTX_free)
#define EVP_MD_fetch (*ck.EVP_MD_fetch)
#define EVP_MD_free (*ck.EVP_MD_free)
#define EVP_DigestSignInit (*ck.EVP_DigestSignInit)
#define EVP_DigestSign (*ck.EVP_DigestSign)
#define EVP_Digest (*ck.EVP_Digest)
#define i2d_PUBKEY (*ck.i2d_PUBKEY)

/* The header fields signed when present (every instance), and those signed once more
 * than present: nobody can add a second From, or a List-Unsubscribe to mail that had
 * none, without breaking the signature (RFC 6376 8.15, RFC 8058 section 4). */
static const char *sign_headers[] = {
	"From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID",
	"In-Reply-To", "References", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
	"List-Subscribe", "List-Post", "List-Owner", "List-Help", "List-Archive",
	"Auto-Submitted", "Precedence", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding", NULL
};
static const char *oversign_headers[] = {
	"From", "List-Unsubscribe", "List-Unsubscribe-Post", NULL
};

#define RSA_MIN_BITS 1024
#define FOLD_WIDTH 76           /* the signature field's lines, without the line end */

typedef enum { ALG_RSA_SHA256, ALG_ED25519_SHA256 } Alg;

typedef struct {
	char *domain;
	char *selector;
	EVP_PKEY *pkey;         /* read-only once loaded: shared by the signing threads */
	Alg alg;
} Key;

struct DkimSigner {
	GPtrArray *keys;        /* Key* */
	EVP_MD *sha256;         /* fetched once (OpenSSL 3 fetches are locked lookups) */
};

/* key_free - destroy a key (OpenSSL clears the private half) */
static void key_free(gpointer p)
{
	Key *k = p;

	g_free(k->domain);
	g_free(k->selector);
	if (k->pkey)
		EVP_PKEY_free(k->pkey);
	g_free(k);
}

/* load_pkey - read path and parse it with OpenSSL: an RSA key of RSA_MIN_BITS or more,
 * or an Ed25519 key, or NULL with EX_CONFIG (EX_UNAVAILABLE without libcrypto); the file's
 * text is wiped */
static EVP_PKEY *load_pkey(const char *path, GError **error)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	int id;

	if (!lazylib_load(&crypto_lib, error))
		return NULL;
	if (!g_file_get_contents(path, &text, &len, &e)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: cannot read key_file: %s",
			    e->message);
		g_error_free(e);
		return NULL;
	}
	if ((bio = BIO_new_mem_buf(text, (int)len)) != NULL) {
		pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	memset(text, 0, len);
	g_free(text);
	if (pkey == NULL) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: %s is not a PEM private key "
			    "(without a passphrase)", path);
		return NULL;
	}
	id = EVP_PKEY_get_base_id(pkey);
	if (id == EVP_PKEY_RSA && EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: the RSA key %s has %d bits; at "
			    "least %d are needed (2048 recommended)", path, EVP_PKEY_get_bits(pkey),
			    RSA_MIN_BITS);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: %s is neither an RSA nor an "
			    "Ed25519 key", path);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

/* ==== canonicalization (RFC 6376 3.4) ==== */

#define IS_WSP(c) ((c) == ' ' || (c) == '\t')

/* dkim_canon_header - relaxed header canonicalization of one field */
void dkim_canon_header(GString *out, const char *field, gsize len, gboolean crlf)
{
	const char *end = field + len, *colon = memchr(field, ':', len), *ne, *p;
	gboolean space = FALSE, any = FALSE;

	if (colon == NULL)
		colon = end;
	/* the name: lower case, without the white space before the colon */
	for (ne = colon; ne > field && (IS_WSP(ne[-1]) || ne[-1] == '\r' || ne[-1] == '\n'); ne--)
		;
	for (p = field; p < ne; p++)
		g_string_append_c(out, g_ascii_tolower(*p));
	g_string_append_c(out, ':');
	/* the value: unfolded, runs of white space as one space, none at either end */
	for (p = colon + 1; p < end; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		if (IS_WSP(*p)) {
			space = TRUE;
			continue;
		}
		if (space && any)
			g_string_append_c(out, ' ');
		g_string_append_c(out, *p);
		space = FALSE;
		any = TRUE;
	}
	if (crlf)
		g_string_append(out, "\r\n");
}

/* dkim_canon_body - relaxed body canonicalization of body */
void dkim_canon_body(GString *out, const char *body, gsize len)
{
	const char *p = body, *end = body + len;
	gsize empty = 0;        /* empty lines seen and not yet written */

	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *le = nl ? nl : end, *q;
		gboolean space = FALSE, blank = TRUE;

		if (nl && le > p && le[-1] == '\r')
			le--;           /* CRLF, or LF alone: both end a line */
		for (q = p; q < le && blank; q++)
			blank = IS_WSP(*q);
		if (blank) {
			empty++;        /* written only if a line with text follows */
		} else {
			for (; empty; empty--)
				g_string_append(out, "\r\n");
			for (q = p; q < le; ) {
				const char *run = q;

				if (IS_WSP(*q)) {
					while (q < le && IS_WSP(*q))
						q++;
					space = TRUE;   /* a run of WSP; dropped at the end */
					continue;
				}
				while (q < le && !IS_WSP(*q))
					q++;
				if (space)
					g_string_append_c(out, ' ');
				g_string_append_len(out, run, q - run);
				space = FALSE;
			}
			g_string_append(out, "\r\n");
		}
		p = nl ? nl + 1 : end;
	}
}

/* ==== the signer ==== */

/* sign_raw - the signature of data (len bytes) by k, base64; NULL with EX_SOFTWARE */
static char *sign_raw(DkimSigner *s, const Key *k, const guchar *data, gsize len,
		      GError **error)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	guchar sig[1024], hash[32];
	gsize siglen = sizeof sig, hlen = sizeof hash;
	char *b64 = NULL;
	int ok;

	if (k->alg == ALG_ED25519_SHA256) {
		/* RFC 8463: PureEdDSA over the SHA-256 hash of the canonical header */
		unsigned int hl = 0;

		ok = EVP_Digest(data, len, hash, &hl, s->sha256, NULL) == 1;
		hlen = hl;
		ok = ok && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
		     EVP_DigestSign(ctx, sig, &siglen, hash, hlen) == 1;
	} else {
		ok = ctx && (gsize)EVP_PKEY_get_size(k->pkey) <= sizeof sig &&
		     EVP_DigestSignInit(ctx, NULL, s->sha256, NULL, k->pkey) == 1 &&
		     EVP_DigestSign(ctx, sig, &siglen, data, len) == 1;
	}
	if (ok)
		b64 = g_base64_encode(sig, siglen);
	else
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: OpenSSL cannot sign with "
			    "selector %s", k->selector);
	if (ctx)
		EVP_MD_CTX_free(ctx);
	return b64;
}

/* dkim_signer_new - load every configured key once */
DkimSigner *dkim_signer_new(const PmConfig *cfg, GError **error)
{
	DkimSigner *s;

	if (cfg->dkim == NULL || cfg->dkim->len == 0)
		return NULL;
	if (!lazylib_load(&crypto_lib, error))
		return NULL;
	s = g_new0(DkimSigner, 1);
	s->keys = g_ptr_array_new_with_free_func(key_free);
	if ((s->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) {
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: OpenSSL has no SHA-256");
		return dkim_signer_free(s);
	}
	for (guint i = 0; i < cfg->dkim->len; i++) {
		const PmDkimKey *c = g_ptr_array_index(cfg->dkim, i);
		EVP_PKEY *pkey = load_pkey(c->key_file, error);
		Key *k;
		char *check;

		if (pkey == NULL)
			return dkim_signer_free(s);
		k = g_new0(Key, 1);
		k->pkey = pkey;
		k->alg = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 ? ALG_ED25519_SHA256
									: ALG_RSA_SHA256;
		k->domain = g_strdup(c->domain);
		k->selector = g_strdup(c->selector);
		g_ptr_array_add(s->keys, k);
		/* sign once now: a key OpenSSL cannot use fails here, not at the first message */
		if ((check = sign_raw(s, k, (const guchar *)"peermail", 8, error)) == NULL)
			return dkim_signer_free(s);
		g_free(check);
	}
	return s;
}

/* dkim_signer_free - free the keys */
DkimSigner *dkim_signer_free(DkimSigner *s)
{
	if (s) {
		if (s->keys)
			g_ptr_array_unref(s->keys);
		if (s->sha256)
			EVP_MD_free(s->sha256);
		g_free(s);
	}
	return NULL;
}

typedef struct {
	const char *start;      /* the field's first byte */
	gsize len;              /* up to its last line end, excluded */
	gboolean used;          /* taken by an h= entry */
} Field;

/* split_fields - the header's fields (folded lines kept together) up to hend */
static GArray *split_fields(const char *m, const char *hend)
{
	GArray *fields = g_array_new(FALSE, FALSE, sizeof(Field));
	const char *p = m;
	Field *cur = NULL;

	while (p < hend) {
		const char *nl = memchr(p, '\n', (gsize)(hend - p));
		const char *next = nl ? nl + 1 : hend, *le = nl ? nl : hend;

		if (le > p && le[-1] == '\r')
			le--;
		if (cur && IS_WSP(*p)) {
			cur->len = (gsize)(le - cur->start);
		} else {
			Field f = { p, (gsize)(le - p), FALSE };

			g_array_append_val(fields, f);
			cur = &g_array_index(fields, Field, fields->len - 1);
		}
		p = next;
	}
	return fields;
}

/* field_is - TRUE if f's name is name (case-insensitive) */
static gboolean field_is(const Field *f, const char *name)
{
	gsize n = strlen(name);
	const char *p = f->start + n;

	if (f->len < n + 1 || g_ascii_strncasecmp(f->start, name, n) != 0)
		return FALSE;
	while (p < f->start + f->len && IS_WSP(*p))
		p++;
	return p < f->start + f->len && *p == ':';
}

/* in_list - the entry of list naming f, or NULL */
static const char *in_list(const Field *f, const char **list)
{
	for (; *list; list++)
		if (field_is(f, *list))
			return *list;
	return NULL;
}

/* fold_append - append text to the field being built in sig, breaking lines (eol + TAB)
 * before it when it would pass FOLD_WIDTH; col tracks the current column */
static void fold_append(GString *sig, const char *text, const char *eol, gsize *col,
			gboolean breakable)
{
	gsize n = strlen(text);

	if (breakable && *col + n > FOLD_WIDTH && *col > 1) {
		g_string_append(sig, eol);
		g_string_append_c(sig, '\t');
		*col = 1;
	}
	g_string_append(sig, text);
	*col += n;
}

/* sign_one - the DKIM-Signature field of k over fields and cbody (the canonical body's
 * SHA-256, base64, in bh), folded with eol, appended to out */
static gboolean sign_one(DkimSigner *s, const Key *k, GArray *fields, const char *bh,
			 const char *eol, GString *out, GError **error)
{
	GString *sig = g_string_new("DKIM-Signature: "), *canon = g_string_new(NULL);
	GPtrArray *h = g_ptr_array_new();
	gsize col = sig->len;
	char *b, *tag;
	gboolean ok = FALSE;

	/* h=: each signed field as often as present, oversigned ones once more */
	for (guint i = 0; i < fields->len; i++) {
		const char *name = in_list(&g_array_index(fields, Field, i), sign_headers);

		if (name)
			g_ptr_array_add(h, (gpointer)name);
	}
	for (const char **o = oversign_headers; *o; o++)
		g_ptr_array_add(h, (gpointer)*o);
	/* the hashed header: for each h= entry the last field of that name not yet taken */
	for (guint i = 0; i < fields->len; i++)
		g_array_index(fields, Field, i).used = FALSE;
	for (guint j = 0; j < h->len; j++) {
		for (guint i = fields->len; i-- > 0; ) {
			Field *f = &g_array_index(fields, Field, i);

			if (!f->used && field_is(f, g_ptr_array_index(h, j))) {
				f->used = TRUE;
				dkim_canon_header(canon, f->start, f->len, TRUE);
				break;
			}
		}
	}
	/* the field itself, b= empty */
	tag = g_strdup_printf("v=1; a=%s; c=relaxed/relaxed;",
			      k->alg == ALG_ED25519_SHA256 ? "ed25519-sha256" : "rsa-sha256");
	fold_append(sig, tag, eol, &col, TRUE);
	g_free(tag);
	tag = g_strdup_printf(" d=%s;", k->domain);
	fold_append(sig, tag, eol, &col, TRUE);
	g_free(tag);
	tag = g_strdup_printf(" s=%s;", k->selector);
	fold_append(sig, tag, eol, &col, TRUE);
	g_free(tag);
	tag = g_strdup_printf(" t=%" G_GINT64_FORMAT ";", (gint64)time(NULL));
	fold_append(sig, tag, eol, &col, TRUE);
	g_free(tag);
	fold_append(sig, " h=", eol, &col, TRUE);
	for (guint j = 0; j < h->len; j++) {
		tag = g_strdup_printf("%s%s%s", j ? ":" : "", (const char *)g_ptr_array_index(h, j),
				      j + 1 == h->len ? ";" : "");
		fold_append(sig, tag, eol, &col, TRUE);
		g_free(tag);
	}
	tag = g_strdup_printf(" bh=%s;", bh);
	fold_append(sig, tag, eol, &col, TRUE);
	g_free(tag);
	fold_append(sig, " b=", eol, &col, TRUE);
	dkim_canon_header(canon, sig->str, sig->len, FALSE);
	if ((b = sign_raw(s, k, (const guchar *)canon->str, canon->len, error)) == NULL)
		goto out;
	for (const char *p = b; *p; ) {
		gsize room = col < FOLD_WIDTH ? FOLD_WIDTH - col : 0, n = strlen(p);

		if (room == 0) {
			g_string_append(sig, eol);
			g_string_append_c(sig, '\t');
			col = 1;
			continue;
		}
		n = MIN(n, room);
		g_string_append_len(sig, p, (gssize)n);
		col += n;
		p += n;
	}
	g_free(b);
	g_string_append(sig, eol);
	g_string_append_len(out, sig->str, (gssize)sig->len);
	ok = TRUE;
out:
	g_ptr_array_free(h, TRUE);
	g_string_free(canon, TRUE);
	g_string_free(sig, TRUE);
	return ok;
}

/* dkim_signer_sign - msg with a DKIM-Signature per key in front */
GBytes *dkim_signer_sign(DkimSigner *s, GBytes *msg, GError **error)
{
	gsize len, blen = 0;
	const char *m = g_bytes_get_data(msg, &len), *nl, *hend = NULL, *body = NULL;
	const char *eol;
	GString *out, *cbody;
	guchar digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char *bh;
	GArray *fields;

	if (m == NULL)
		m = "";
	nl = memchr(m, '\n', len);
	eol = nl && nl > m && nl[-1] == '\r' ? "\r\n" : "\n";
	/* the body starts after the first empty line */
	for (const char *p = m; p < m + len; ) {
		const char *e = memchr(p, '\n', (gsize)(m + len - p));

		if (*p == '\n' || (*p == '\r' && p + 1 < m + len && p[1] == '\n')) {
			hend = p;
			body = p + (*p == '\r' ? 2 : 1);
			break;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (hend == NULL)
		hend = m + len;         /* no body */
	else
		blen = (gsize)(m + len - body);
	cbody = g_string_sized_new(blen + 64);
	if (body)
		dkim_canon_body(cbody, body, blen);
	if (EVP_Digest(cbody->str, cbody->len, digest, &dlen, s->sha256, NULL) != 1) {
		g_string_free(cbody, TRUE);
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: OpenSSL cannot hash the body");
		return NULL;
	}
	g_string_free(cbody, TRUE);
	bh = g_base64_encode(digest, dlen);
	fields = split_fields(m, hend);
	out = g_string_sized_new(len + 1024);
	for (guint i = 0; i < s->keys->len; i++)
		if (!sign_one(s, g_ptr_array_index(s->keys, i), fields, bh, eol, out, error)) {
			g_string_free(out, TRUE);
			out = NULL;
			break;
		}
	g_array_free(fields, TRUE);
	g_free(bh);
	if (out == NULL)
		return NULL;
	g_string_append_len(out, m, (gssize)len);
	return g_string_free_to_bytes(out);
}

/* ==== DNS records ==== */

/* append_txt - "NAME IN TXT ( "..." "..." )": value cut in strings of at most 255 octets */
static void append_txt(GString *out, const char *name, const char *value)
{
	gsize len = strlen(value);

	g_string_append_printf(out, "%s.\tIN\tTXT\t", name);
	if (len <= 255) {
		g_string_append_printf(out, "\"%s\"\n", value);
		return;
	}
	g_string_append(out, "(");
	for (gsize i = 0; i < len; i += 255)
		g_string_append_printf(out, " \"%.*s\"", (int)MIN(255, len - i), value + i);
	g_string_append(out, " )\n");
}

/* public_key - the p= of a DKIM key record for pkey, base64; caller frees */
static char *public_key(EVP_PKEY *pkey)
{
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
		unsigned char raw[64];
		size_t n = sizeof raw;

		if (EVP_PKEY_get_raw_public_key(pkey, raw, &n) != 1)
			return NULL;
		return g_base64_encode(raw, n);
	} else {
		int n = i2d_PUBKEY(pkey, NULL);
		unsigned char *der, *w;
		char *b64;

		if (n <= 0)
			return NULL;
		w = der = g_malloc((gsize)n);
		i2d_PUBKEY(pkey, &w);
		b64 = g_base64_encode(der, (gsize)n);
		g_free(der);
		return b64;
	}
}

/* aligned - TRUE if DKIM domain d aligns with From domain f (DMARC relaxed, roughly: one
 * is the other or a subdomain of it) */
static gboolean aligned(const char *d, const char *f)
{
	gsize dl = strlen(d), fl = strlen(f);

	if (g_ascii_strcasecmp(d, f) == 0)
		return TRUE;
	if (fl > dl && f[fl - dl - 1] == '.' && g_ascii_strcasecmp(f + fl - dl, d) == 0)
		return TRUE;
	return dl > fl && d[dl - fl - 1] == '.' && g_ascii_strcasecmp(d + dl - fl, f) == 0;
}

/* dkim_dns_records - SPF, DKIM and DMARC records in zone-file syntax */
char *dkim_dns_records(const PmConfig *cfg, GError **error)
{
	GString *out = g_string_new(NULL);
	char *from = config_from_address(cfg);
	const char *at = strrchr(from, '@');
	const char *from_domain = at ? at + 1 : cfg->domain;
	char *name;

	g_string_append_printf(out, "; SPF: peermail's envelope sender is bounce+TOKEN@%s. "
			       "Add ip4:/ip6: or include: for your smarthost if it is not an MX.\n",
			       cfg->domain);
	append_txt(out, cfg->domain, "v=spf1 mx ~all");
	for (guint i = 0; cfg->dkim && i < cfg->dkim->len; i++) {
		const PmDkimKey *k = g_ptr_array_index(cfg->dkim, i);
		char *pub, *value;
		EVP_PKEY *pkey = load_pkey(k->key_file, error);
		gboolean ed;

		if (pkey == NULL) {
			g_string_free(out, TRUE);
			g_free(from);
			return NULL;
		}
		ed = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519;
		pub = public_key(pkey);
		g_string_append_printf(out, "; DKIM: selector %s, %s (%s)\n", k->selector,
				       ed ? "ed25519-sha256" : "rsa-sha256", k->key_file);
		if (!aligned(k->domain, from_domain))
			g_string_append_printf(out, "; warning: d=%s does not align with the From "
					       "domain %s: DMARC will not pass on DKIM\n",
					       k->domain, from_domain);
		name = g_strdup_printf("%s._domainkey.%s", k->selector, k->domain);
		value = g_strdup_printf("v=DKIM1; k=%s; p=%s", ed ? "ed25519" : "rsa",
					pub ? pub : "");
		append_txt(out, name, value);
		g_free(value);
		g_free(name);
		g_free(pub);
		EVP_PKEY_free(pkey);
	}
	if (cfg->dkim == NULL || cfg->dkim->len == 0)
		g_string_append(out, "; DKIM: no dkim { } section configured: see docs/outbound.md\n");
	g_string_append_printf(out, "; DMARC for the From domain %s: start with p=none, add "
			       "rua=mailto:... for reports, then tighten to quarantine or reject.\n",
			       from_domain);
	name = g_strdup_printf("_dmarc.%s", from_domain);
	append_txt(out, name, "v=DMARC1; p=none; adkim=r; aspf=r");
	g_free(name);
	g_free(from);
	return g_string_free(out, FALSE);
}
