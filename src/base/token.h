/*
 * token.h - HMAC-signed tokens carried in addresses (reply-to-sign, confirm, unsubscribe,
 * bounce/VERP, moderation, ...).
 *
 * Owns: the secret file, the token's binary layout, its MAC and its text encoding.
 * A token binds a purpose, an object (petition, list, story, outbox row...) and a member,
 * optionally an expiry. Layout: purpose (1 byte) | object (varint) | member (varint) |
 * expiry day (varint, 0 = never) | [nonce (varint), when the purpose byte has 0x80 set] |
 * HMAC-SHA256 truncated to 80 bits. One-time tokens (join, bye, confirm, broadcast, language,
 * follow) carry
 * a random nonce, so two issued the same day differ and each can be used once
 * (model/token_use records the use). Text: lowercase
 * RFC 4648 base32 without padding, read case-insensitively. A token of a purpose with
 * small ids is about 24 characters.
 *
 * THREADS: any thread; a loaded PmSecret is read-only (loading is main-thread only).
 */
#ifndef PM_TOKEN_H
#define PM_TOKEN_H

#include <glib.h>

typedef enum {
	TOKEN_SIGN = 1,        /* object: petition; reply = confirmed signature */
	TOKEN_CONFIRM,         /* object: signature id; reply confirms a pending signature */
	TOKEN_SUBSCRIBE,       /* object: list; reply confirms a subscription */
	TOKEN_UNSUBSCRIBE,     /* object: list; mail to it unsubscribes at once */
	TOKEN_BOUNCE,          /* object: outbox row (VERP) */
	TOKEN_MODERATE,        /* object: story; member: the organizer */
	TOKEN_STORY,           /* object: petition; reply = a story */
	TOKEN_BROADCAST,       /* object: newsletter; member: the organizer */
	TOKEN_DELIVERY,        /* object: delivery; replies from a target */
	TOKEN_UNSUB_CONFIRM,   /* object: list; reply confirms an unsubscribe request */
	TOKEN_SPONSOR,         /* object: petition; member: its creator; mail = a sponsorship */
	TOKEN_REVIEW,          /* object: petition; member: the organizer; reply moderates it */
	TOKEN_UPDATE,          /* object: petition; member: its creator; mail = an update */
	TOKEN_UPDATE_REVIEW,   /* object: petition update; member: the organizer; reply decides */
	TOKEN_UNFOLLOW,        /* object: petition; member: a signer; stops its updates at once */
	TOKEN_LANGUAGE,        /* object: a language (lang_code); reply sets the member's */
	TOKEN_FOLLOW,          /* object: petition; member: a signer who stopped its updates;
				* one-time: their own mail to it starts them again */
	TOKEN_PURPOSE_MAX
} TokenPurpose;

typedef struct {
	TokenPurpose purpose;
	gint64 object;
	gint64 member;
	gint64 expires;        /* unix time rounded up to a day; 0 = never */
} Token;

typedef struct PmSecret PmSecret;

/* secret_load - read the secret file; create TRUE makes one (mode 0600) if missing */
PmSecret *secret_load(const char *path, gboolean create, GError **error);

/* secret_new_from_bytes - a secret from raw bytes (tests) */
PmSecret *secret_new_from_bytes(const guint8 *key, gsize len);

/* secret_free - wipe and free; returns NULL */
PmSecret *secret_free(PmSecret *s);

/* token_encode - the text form of t; caller frees */
char *token_encode(const PmSecret *key, const Token *t);

/* token_encode_once - the text form of t with nonce (0: none, as token_encode): the text of
 * a one-time token, unique to this issue; decodes like any other; caller frees */
char *token_encode_once(const PmSecret *key, const Token *t, guint32 nonce);

/*
 * token_decode - parse and verify text (any case). want is the purpose the address
 * implies; a token of another purpose, altered, or expired is refused with EX_NOUSER
 * ("unknown or expired token"). On success fills *out.
 */
gboolean token_decode(const PmSecret *key, const char *text, TokenPurpose want, Token *out,
		      GError **error);

/* token_looks_like - TRUE if s has the shape of a token (base32, plausible length) */
gboolean token_looks_like(const char *s);

/* token_hmac_hex - hex HMAC-SHA256 of data under the secret (for content digests); caller frees */
char *token_hmac_hex(const PmSecret *key, const char *data, gssize len);

#endif
