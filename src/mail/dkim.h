/*
 * dkim.h - DKIM signatures (RFC 6376, RFC 8463) on everything peermail sends, and the DNS
 * records to publish for them.
 *
 * Owns: the configured signing keys (one `dkim { }` section each: domain, selector, key
 * file; rsa-sha256 or ed25519-sha256 by the key's type), the signed header list (From
 * oversigned, and List-Unsubscribe and List-Unsubscribe-Post as RFC 8058 requires, also
 * oversigned so that nobody can add them after signing), relaxed/relaxed canonicalization,
 * and the SPF, DKIM and DMARC TXT records of `peermail dns-records`.
 * Not: when a message is signed (the transports: run/smtp.c, run/sender.c for the Maildir),
 * what the message says (compose).
 *
 * The signing is ours on OpenSSL's libcrypto (dkim.c says why not libopendkim): each key
 * is parsed once, when the signer is made. libcrypto is loaded on first use
 * (base/lazylib.h), so `peermail receive` never maps it.
 *
 * THREADS: dkim_signer_sign may be called from several threads at once on one signer:
 * the keys are only read (an EVP_PKEY is safe to share for signing), each call makes its
 * own EVP_MD_CTX. dkim_signer_new and dkim_signer_free in one thread, before and after the
 * others.
 *
 * DIAGNOSTICS: EX_CONFIG for a missing, unreadable or unsupported key (not RSA of at
 * least 1024 bits or Ed25519), EX_UNAVAILABLE when libcrypto is not installed,
 * EX_SOFTWARE when OpenSSL refuses to sign.
 */
#ifndef PM_DKIM_H
#define PM_DKIM_H

#include <glib.h>
#include "base/config.h"

typedef struct DkimSigner DkimSigner;

/*
 * dkim_signer_new - a signer for every key of cfg->dkim (cfg borrowed, must outlive it);
 * NULL without error when no key is configured, NULL with error when a key is unusable.
 */
DkimSigner *dkim_signer_new(const PmConfig *cfg, GError **error);

/*
 * dkim_signer_sign - msg (CRLF or LF line ends) with one DKIM-Signature field per key
 * prepended, in the message's own line ends; a new reference for the caller.
 */
GBytes *dkim_signer_sign(DkimSigner *s, GBytes *msg, GError **error);

/* dkim_signer_free - destroy; returns NULL */
DkimSigner *dkim_signer_free(DkimSigner *s);

/* dkim_canon_header - RFC 6376 3.4.2 relaxed canonicalization of one header field (len
 * bytes, folded lines kept, no final line end) appended to out, with CRLF if crlf */
void dkim_canon_header(GString *out, const char *field, gsize len, gboolean crlf);

/* dkim_canon_body - RFC 6376 3.4.4 relaxed canonicalization of a body (CRLF or LF line
 * ends) appended to out: an empty body stays empty */
void dkim_canon_body(GString *out, const char *body, gsize len);

/*
 * dkim_dns_records - the TXT records to publish, in zone-file syntax with comments: SPF
 * for the envelope domain, one DKIM key record per configured key, DMARC for the From
 * domain. Without keys, SPF and DMARC only and a comment saying how to add one. Caller
 * frees.
 */
char *dkim_dns_records(const PmConfig *cfg, GError **error);

#endif
