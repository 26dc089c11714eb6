/*
 * token_use.h - one-time tokens that have been used.
 *
 * Owns: the token_uses table: the HMAC of each one-time token (join, bye, confirm,
 * broadcast) that has acted once, so the same token never acts again. Not: what a token
 * means (inbound/route), its form and MAC (base/token).
 */
#ifndef PM_TOKEN_USE_H
#define PM_TOKEN_USE_H

#include <glib.h>
#include "base/db.h"
#include "base/token.h"

/* token_use_claim - record that token text (any case) of purpose acted; *first is TRUE the
 * first time, FALSE when it was used before. The caller holds the transaction, so a
 * rolled-back message leaves the token unused. */
gboolean token_use_claim(PmDb *db, const PmSecret *key, TokenPurpose purpose, const char *text,
			 gint64 now, gboolean *first, GError **error);

#endif
