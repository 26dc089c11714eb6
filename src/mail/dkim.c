/*
 * dkim.c - DKIM signing with libopendkim, and the DNS records to publish.
 *
 * A message is handed to libopendkim as it is: each header field (folded lines kept, no
 * final line end) through dkim_header, then the body; the library canonicalizes (relaxed
 * for both), hashes and signs, and its DKIM-Signature field is prepended. Only the split
 * into fields and body is ours. Each key gets its own handle and signature (RSA and
 * Ed25519 side by side is RFC 8463's advice: many receivers know only RSA).
 *
 * libopendkim parses the PEM key of each message itself (its API takes the key text);
 * OpenSSL is asked once, when the signer is made, what kind of key it is and how long,
 * and for the public half in dkim_dns_records.
 */
#include <string.h>
#include <sysexits.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <dkim.h>
#include "base/lazylib.h"
#include "base/log.h"
#include "base/pm.h"
#include "mail/dkim.h"

#ifndef PM_LIBOPENDKIM_SONAME
#define PM_LIBOPENDKIM_SONAME "libopendkim.so.11"
#endif

/* libopendkim, and the libcrypto it links, loaded on first use; the names stay the
 * headers' own through the defines below. */
#define DKIM_FUNCS(X) \
	X(dkim_init) \
	X(dkim_close) \
	X(dkim_options) \
	X(dkim_libfeature) \
	X(dkim_sign) \
	X(dkim_header) \
	X(dkim_eoh) \
	X(dkim_body) \
	X(dkim_eom) \
	X(dkim_getsighdr_d) \
	X(dkim_geterror) \
	X(dkim_getresultstr) \
	X(dkim_free) \
	X(BIO_new_mem_buf) \
	X(BIO_free) \
	X(PEM_read_bio_PrivateKey) \
	X(EVP_PKEY_get_base_id) \
	X(EVP_PKEY_get_bits) \
	X(EVP_PKEY_get_raw_public_key) \
	X(EVP_PKEY_free) \
	X(i2d_PUBKEY)

#define DKIM_SLOT(f) __typeof__(f) *f;
#define DKIM_SYM(f) { #f, (gpointer *)&dk.f },
static struct {
	DKIM_FUNCS(DKIM_SLOT)
} dk;
static const LazySym dkim_syms[] = { DKIM_FUNCS(DKIM_SYM) { NULL, NULL } };
static LazyLib dkim_lib = { PM_LIBOPENDKIM_SONAME, dkim_syms, 0, NULL };
#define dkim_init (*dk.dkim_init)
#define dkim_close (*dk.dkim_close)
#define dkim_options (*dk.dkim_options)
#define dkim_libfeature (*dk.dkim_libfeature)
#define dkim_sign (*dk.dkim_sign)
#define dkim_header (*dk.dkim_header)
#define dkim_eoh (*dk.dkim_eoh)
#define dkim_body (*dk.dkim_body)
#define dkim_eom (*dk.dkim_eom)
#define dkim_getsighdr_d (*dk.dkim_getsighdr_d)
#define dkim_geterror (*dk.dkim_geterror)
#define dkim_getresultstr (*dk.dkim_getresultstr)
#define dkim_free (*dk.dkim_free)
#define BIO_new_mem_buf (*dk.BIO_new_mem_buf)
#define BIO_free (*dk.BIO_free)
#define PEM_read_bio_PrivateKey (*dk.PEM_read_bio_PrivateKey)
#define EVP_PKEY_get_base_id (*dk.EVP_PKEY_get_base_id)
#define EVP_PKEY_get_bits (*dk.EVP_PKEY_get_bits)
#define EVP_PKEY_get_raw_public_key (*dk.EVP_PKEY_get_raw_public_key)
#define EVP_PKEY_free (*dk.EVP_PKEY_free)
#define i2d_PUBKEY (*dk.i2d_PUBKEY)

/* The header fields signed when present (libopendkim's default list lacks the RFC 8058
 * pair), and those signed once more than present: nobody can add a second From, or a
 * List-Unsubscribe to mail that had none, without breaking the signature. */
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

typedef struct {
	char *domain;
	char *selector;
	char *pem;              /* the private key file's text (wiped on free) */
	int alg;                /* DKIM_SIGN_RSASHA256 or DKIM_SIGN_ED25519SHA256 */
} Key;

struct DkimSigner {
	DKIM_LIB *lib;
	GPtrArray *keys;        /* Key* */
};

/* key_free - wipe and destroy a key */
static void key_free(gpointer p)
{
	Key *k = p;

	g_free(k->domain);
	g_free(k->selector);
	if (k->pem) {
		memset(k->pem, 0, strlen(k->pem));
		g_free(k->pem);
	}
	g_free(k);
}

/* load_pkey - read path and parse it with OpenSSL: *pem gets the text (caller frees);
 * an RSA key of RSA_MIN_BITS or more, or an Ed25519 key, or NULL with EX_CONFIG */
static EVP_PKEY *load_pkey(const char *path, char **pem, GError **error)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	int id;

	if (!lazylib_load(&dkim_lib, error))
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
	if (pkey == NULL) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: %s is not a PEM private key "
			    "(without a passphrase)", path);
		goto fail;
	}
	id = EVP_PKEY_get_base_id(pkey);
	if (id == EVP_PKEY_RSA && EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: the RSA key %s has %d bits; at "
			    "least %d are needed (2048 recommended)", path, EVP_PKEY_get_bits(pkey),
			    RSA_MIN_BITS);
		goto fail;
	}
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: %s is neither an RSA nor an "
			    "Ed25519 key", path);
		goto fail;
	}
	*pem = text;
	return pkey;
fail:
	if (pkey)
		EVP_PKEY_free(pkey);
	memset(text, 0, len);
	g_free(text);
	return NULL;
}

/* dkim_signer_new - load every configured key and set up the library */
DkimSigner *dkim_signer_new(const PmConfig *cfg, GError **error)
{
	DkimSigner *s;
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF;
	const char **hp = sign_headers, **op = oversign_headers;

	if (cfg->dkim == NULL || cfg->dkim->len == 0)
		return NULL;
	s = g_new0(DkimSigner, 1);
	s->keys = g_ptr_array_new_with_free_func(key_free);
	for (guint i = 0; i < cfg->dkim->len; i++) {
		const PmDkimKey *c = g_ptr_array_index(cfg->dkim, i);
		Key *k = g_new0(Key, 1);
		EVP_PKEY *pkey = load_pkey(c->key_file, &k->pem, error);

		if (pkey == NULL) {
			key_free(k);
			return dkim_signer_free(s);
		}
		k->alg = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 ? DKIM_SIGN_ED25519SHA256
									: DKIM_SIGN_RSASHA256;
		EVP_PKEY_free(pkey);
		k->domain = g_strdup(c->domain);
		k->selector = g_strdup(c->selector);
		g_ptr_array_add(s->keys, k);
	}
	s->lib = dkim_init(NULL, NULL);
	if (s->lib == NULL) {
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: cannot start libopendkim");
		return dkim_signer_free(s);
	}
	for (guint i = 0; i < s->keys->len; i++) {
		const Key *k = g_ptr_array_index(s->keys, i);

		if (k->alg == DKIM_SIGN_ED25519SHA256 &&
		    !dkim_libfeature(s->lib, DKIM_FEATURE_ED25519)) {
			g_set_error(error, PM_ERROR, EX_CONFIG, "dkim: this libopendkim cannot "
				    "sign with Ed25519 (selector %s)", k->selector);
			return dkim_signer_free(s);
		}
		/* libopendkim 2.11's dkim_free() forgets an Ed25519 handle's key data */
		if (k->alg == DKIM_SIGN_ED25519SHA256)
			log_warn("dkim: selector %s: libopendkim leaks about 1 KB per Ed25519 "
				 "signature; restart `run` now and then (docs/outbound.md)",
				 k->selector);
	}
	/* list options take the list itself and the size of a pointer */
	if (dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags) != DKIM_STAT_OK ||
	    dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS, hp, sizeof hp) != DKIM_STAT_OK ||
	    dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS, op, sizeof op) !=
	    DKIM_STAT_OK) {
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: libopendkim refused its options");
		return dkim_signer_free(s);
	}
	return s;
}

/* dkim_signer_free - close the library, wipe the keys */
DkimSigner *dkim_signer_free(DkimSigner *s)
{
	if (s) {
		if (s->lib)
			dkim_close(s->lib);
		if (s->keys)
			g_ptr_array_unref(s->keys);
		g_free(s);
	}
	return NULL;
}

/* fail - an EX_SOFTWARE error from handle d (or stat); FALSE */
static gboolean fail(DKIM *d, DKIM_STAT stat, const char *what, GError **error)
{
	const char *why = d ? dkim_geterror(d) : NULL;

	g_set_error(error, PM_ERROR, EX_SOFTWARE, "dkim: %s: %s", what,
		    why && *why ? why : dkim_getresultstr(stat));
	return FALSE;
}

/* sign_one - "DKIM-Signature: ..." of k over msg (len bytes: the header up to hend,
 * the body from body or none when NULL), folded with eol, appended to out */
static gboolean sign_one(DkimSigner *s, const Key *k, const char *msg, gsize len,
			 const char *hend, const char *body, const char *eol, GString *out,
			 GError **error)
{
	DKIM_STAT st;
	DKIM *d = dkim_sign(s->lib, (const unsigned char *)"peermail", NULL,
			    (dkim_sigkey_t)k->pem, (const unsigned char *)k->selector,
			    (const unsigned char *)k->domain, DKIM_CANON_RELAXED,
			    DKIM_CANON_RELAXED, k->alg, -1, &st);
	const char *p = msg, *end = hend, *field = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	gboolean ok = FALSE;

	if (d == NULL)
		return fail(NULL, st, "cannot start a signature", error);
	/* one field per call: its first line and its continuation lines, no final line end */
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *next = nl ? nl + 1 : end;

		if (field && *p != ' ' && *p != '\t') {
			const char *fe = p;

			fe -= fe > field && fe[-1] == '\n';
			fe -= fe > field && fe[-1] == '\r';
			if ((st = dkim_header(d, (unsigned char *)field, (size_t)(fe - field))) !=
			    DKIM_STAT_OK) {
				fail(d, st, "header", error);
				goto out;
			}
			field = NULL;
		}
		if (*p == '\r' || *p == '\n')
			break;          /* the blank line */
		if (field == NULL)
			field = p;
		p = next;
	}
	if (field) {
		const char *fe = p;

		fe -= fe > field && fe[-1] == '\n';
		fe -= fe > field && fe[-1] == '\r';
		if ((st = dkim_header(d, (unsigned char *)field, (size_t)(fe - field))) !=
		    DKIM_STAT_OK) {
			fail(d, st, "header", error);
			goto out;
		}
	}
	if ((st = dkim_eoh(d)) != DKIM_STAT_OK) {
		fail(d, st, "end of header", error);
		goto out;
	}
	if (body && body < msg + len &&
	    (st = dkim_body(d, (unsigned char *)body, (size_t)(msg + len - body))) != DKIM_STAT_OK) {
		fail(d, st, "body", error);
		goto out;
	}
	if ((st = dkim_eom(d, NULL)) != DKIM_STAT_OK) {
		fail(d, st, "sign", error);
		goto out;
	}
	if ((st = dkim_getsighdr_d(d, strlen(DKIM_SIGNHEADER ": "), &sig, &siglen)) !=
	    DKIM_STAT_OK) {
		fail(d, st, "signature", error);
		goto out;
	}
	g_string_append(out, DKIM_SIGNHEADER ": ");
	for (size_t i = 0; i < siglen && sig[i]; i++) {
		if (sig[i] == '\r')
			continue;
		if (sig[i] == '\n')
			g_string_append(out, eol);
		else
			g_string_append_c(out, (char)sig[i]);
	}
	g_string_append(out, eol);
	ok = TRUE;
out:
	dkim_free(d);
	return ok;
}

/* dkim_signer_sign - msg with a DKIM-Signature per key in front */
GBytes *dkim_signer_sign(DkimSigner *s, GBytes *msg, GError **error)
{
	gsize len;
	const char *m = g_bytes_get_data(msg, &len), *nl, *hend = NULL, *body = NULL;
	const char *eol;
	GString *out;

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
	out = g_string_sized_new(len + 1024);
	for (guint i = 0; i < s->keys->len; i++)
		if (!sign_one(s, g_ptr_array_index(s->keys, i), m, len, hend, body, eol, out,
			      error)) {
			g_string_free(out, TRUE);
			return NULL;
		}
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
		char *pem = NULL, *pub, *value;
		EVP_PKEY *pkey = load_pkey(k->key_file, &pem, error);
		gboolean ed;

		if (pkey == NULL) {
			g_string_free(out, TRUE);
			g_free(from);
			return NULL;
		}
		memset(pem, 0, strlen(pem));
		g_free(pem);
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
