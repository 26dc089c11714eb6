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
 * The signing itself is Debian's libopendkim (canonicalization, hashing, the header
 * syntax); ed25519-sha256 comes from the same library (OpenSSL 3 underneath). libopendkim
 * and libcrypto are loaded on first use (base/lazylib.h), so `peermail receive` never maps
 * them.
 *
 * THREADS: dkim_signer_sign may be called from several threads at once on one signer:
 * the library handle is shared as libopendkim's own milter shares it, each message gets
 * its own signing handle. dkim_signer_new and dkim_signer_free in one thread, before and
 * after the others.
 *
 * DIAGNOSTICS: EX_CONFIG for a missing, unreadable or unsupported key (not RSA of at
 * least 1024 bits or Ed25519), EX_UNAVAILABLE when libopendkim is not installed,
 * EX_SOFTWARE when the library refuses a message.
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

/*
 * dkim_dns_records - the TXT records to publish, in zone-file syntax with comments: SPF
 * for the envelope domain, one DKIM key record per configured key, DMARC for the From
 * domain. Without keys, SPF and DMARC only and a comment saying how to add one. Caller
 * frees.
 */
char *dkim_dns_records(const PmConfig *cfg, GError **error);

#endif
