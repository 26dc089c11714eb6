/*
 * token.c - HMAC-SHA256 tokens in base32, and the secret file.
 *
 * The MAC covers a domain-separation label and the whole payload, so a token for one
 * purpose, object or member never verifies for another. Comparison is constant-time.
 * The keyed HMAC state is computed once per secret and copied for each token.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/pm.h"
#include "base/token.h"

#define MAC_LEN 10      /* 80 bits */
#define KEY_MAX 64
#define PAYLOAD_MAX (1 + 4 * 10 + MAC_LEN)
#define NONCE_FLAG 0x80   /* in the purpose byte: a nonce follows the expiry day */

#define MAC_LABEL "peermail-token-v1"

struct PmSecret {
	guint8 key[KEY_MAX];
	gsize len;
	GHmac *keyed;    /* HMAC state after the key and MAC_LABEL: copied for each MAC */
};

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

/* ==== Secret ==== */

PmSecret *secret_new_from_bytes(const guint8 *key, gsize len)
{
	PmSecret *s = g_new0(PmSecret, 1);

	s->len = MIN(len, (gsize)KEY_MAX);
	memcpy(s->key, key, s->len);
	s->keyed = g_hmac_new(G_CHECKSUM_SHA256, s->key, s->len);
	g_hmac_update(s->keyed, (const guchar *)MAC_LABEL, strlen(MAC_LABEL));
	return s;
}

static gboolean secret_create(const char *path, GError **error)
{
	guint8 raw[32];
	char hex[65];
	int fd;
	ssize_t n;
	char *dir = g_path_get_dirname(path);

	g_mkdir_with_parents(dir, 0750);
	g_free(dir);
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		g_set_error(error, PM_ERROR, EX_OSERR, "cannot read random bytes");
		return FALSE;
	}
	for (int i = 0; i < 32; i++)
		g_snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, PM_ERROR, EX_CANTCREAT, "cannot create secret %s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	n = write(fd, hex, 64);
	if (n != 64 || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		g_set_error(error, PM_ERROR, EX_IOERR, "cannot write secret %s", path);
		close(fd);
		unlink(path);
		return FALSE;
	}
	close(fd);
	memset(raw, 0, sizeof(raw));
	memset(hex, 0, sizeof(hex));
	return TRUE;
}

/* secret_load - the secret is the file's first line (at least 16 characters) */
PmSecret *secret_load(const char *path, gboolean create, GError **error)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;
	PmSecret *s;

	if (create && !g_file_test(path, G_FILE_TEST_EXISTS) && !secret_create(path, error))
		return NULL;
	if (!g_file_get_contents(path, &text, &len, &e)) {
		if (g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_ACCES))
			g_set_error(error, PM_ERROR, EX_CONFIG, "cannot read secret: %s (the user "
				    "running peermail, %s, must own it: run every peermail command, "
				    "the MTA's pipe and the daemon as one user)", e->message,
				    g_get_user_name());
		else
			g_set_error(error, PM_ERROR, EX_CONFIG, "cannot read secret: %s (run "
				    "`peermail init`)", e->message);
		g_error_free(e);
		return NULL;
	}
	g_strstrip(text);
	len = strlen(text);
	if (len < 16) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "secret file %s is too short", path);
		g_free(text);
		return NULL;
	}
	s = secret_new_from_bytes((const guint8 *)text, len);
	memset(text, 0, len);
	g_free(text);
	return s;
}

PmSecret *secret_free(PmSecret *s)
{
	if (s) {
		if (s->keyed)
			g_hmac_unref(s->keyed);
		memset(s, 0, sizeof(*s));
		g_free(s);
	}
	return NULL;
}

/* ==== Encoding ==== */

static gsize put_varint(guint8 *p, guint64 v)
{
	gsize n = 0;

	do {
		guint8 b = v & 0x7f;
		v >>= 7;
		p[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

static gboolean get_varint(const guint8 *p, gsize len, gsize *pos, guint64 *out)
{
	guint64 v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return FALSE;
		guint8 b = p[(*pos)++];
		v |= (guint64)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return TRUE;
		}
	}
	return FALSE;
}

static void mac(const PmSecret *key, const guint8 *payload, gsize len, guint8 out[MAC_LEN])
{
	GHmac *h = g_hmac_copy(key->keyed);     /* read only: any thread */
	guint8 full[32];
	gsize flen = sizeof(full);

	g_hmac_update(h, payload, len);
	g_hmac_get_digest(h, full, &flen);
	g_hmac_unref(h);
	memcpy(out, full, MAC_LEN);
}

static char *base32(const guint8 *p, gsize len)
{
	GString *s = g_string_sized_new(len * 8 / 5 + 2);
	guint32 buf = 0;
	int bits = 0;

	for (gsize i = 0; i < len; i++) {
		buf = (buf << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			g_string_append_c(s, b32[(buf >> (bits - 5)) & 31]);
			bits -= 5;
		}
	}
	if (bits > 0)
		g_string_append_c(s, b32[(buf << (5 - bits)) & 31]);
	return g_string_free(s, FALSE);
}

static gssize unbase32(const char *s, guint8 *out, gsize max)
{
	guint32 buf = 0;
	int bits = 0;
	gsize n = 0;

	for (; *s; s++) {
		int c = g_ascii_tolower(*s), v;

		if (c >= 'a' && c <= 'z')
			v = c - 'a';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		buf = (buf << 5) | (guint32)v;
		bits += 5;
		if (bits >= 8) {
			if (n >= max)
				return -1;
			out[n++] = (guint8)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	/* leftover bits must be zero padding */
	if (bits >= 5 || (buf & ((1u << bits) - 1)) != 0)
		return -1;
	return (gssize)n;
}

/* token_encode - payload + MAC in base32 */
char *token_encode(const PmSecret *key, const Token *t)
{
	return token_encode_once(key, t, 0);
}

/* token_encode_once - payload (with the nonce if any) + MAC in base32 */
char *token_encode_once(const PmSecret *key, const Token *t, guint32 nonce)
{
	guint8 p[PAYLOAD_MAX];
	gsize n = 0;
	guint64 day = t->expires > 0 ? (guint64)((t->expires + 86399) / 86400) : 0;

	p[n++] = (guint8)t->purpose | (nonce ? NONCE_FLAG : 0);
	n += put_varint(p + n, (guint64)t->object);
	n += put_varint(p + n, (guint64)t->member);
	n += put_varint(p + n, day);
	if (nonce)
		n += put_varint(p + n, nonce);
	mac(key, p, n, p + n);
	return base32(p, n + MAC_LEN);
}

/* token_decode - verify and parse */
gboolean token_decode(const PmSecret *key, const char *text, TokenPurpose want, Token *out,
		      GError **error)
{
	guint8 p[PAYLOAD_MAX + 4], m[MAC_LEN];
	gssize n = text ? unbase32(text, p, sizeof(p)) : -1;
	gsize pos = 1;
	guint64 obj, mem, day, nonce = 0;
	guint8 diff = 0;

	if (n < 1 + 3 + MAC_LEN || strlen(text) > 64)
		goto bad;
	mac(key, p, (gsize)n - MAC_LEN, m);
	for (int i = 0; i < MAC_LEN; i++)
		diff |= m[i] ^ p[n - MAC_LEN + i];
	if (diff != 0 || (p[0] & ~NONCE_FLAG) != (guint8)want)
		goto bad;
	if (!get_varint(p, (gsize)n - MAC_LEN, &pos, &obj) ||
	    !get_varint(p, (gsize)n - MAC_LEN, &pos, &mem) ||
	    !get_varint(p, (gsize)n - MAC_LEN, &pos, &day) ||
	    ((p[0] & NONCE_FLAG) && !get_varint(p, (gsize)n - MAC_LEN, &pos, &nonce)) ||
	    pos != (gsize)n - MAC_LEN || obj > G_MAXINT64 || mem > G_MAXINT64 ||
	    nonce > G_MAXUINT32)
		goto bad;
	if (day != 0 && (gint64)day * 86400 < pm_now()) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "this confirmation address has expired");
		return FALSE;
	}
	out->purpose = want;
	out->object = (gint64)obj;
	out->member = (gint64)mem;
	out->expires = (gint64)day * 86400;
	return TRUE;
bad:
	g_set_error(error, PM_ERROR, EX_NOUSER, "unknown or invalid token address");
	return FALSE;
}

/* token_looks_like - base32 characters only, 20 to 64 of them */
gboolean token_looks_like(const char *s)
{
	gsize n = 0;

	for (; s && *s; s++, n++) {
		int c = g_ascii_tolower(*s);
		if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')))
			return FALSE;
	}
	return n >= 20 && n <= 64;
}

/* token_hmac_hex - keyed digest */
char *token_hmac_hex(const PmSecret *key, const char *data, gssize len)
{
	return g_compute_hmac_for_data(G_CHECKSUM_SHA256, key->key, key->len,
				       (const guchar *)data, len < 0 ? strlen(data) : (gsize)len);
}
