/*
 * member_forget.h - forgetting a person (GDPR erasure) across every table that holds
 * something of theirs.
 *
 * Owns: the order of the erasure and its one rule: personal data goes, anonymous counts
 * stay. Not: any table: each owner forgets its own part (*_forget_member, member_erase,
 * suppression_add, events_add); this module sits above them all.
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_MEMBER_FORGET_H
#define PM_MEMBER_FORGET_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/*
 * member_forget - erase a person (GDPR): address, name, postcode, signature comments, story
 * texts (those stories are withdrawn), the raw mail they sent, their address in the outbox
 * and bounce records (every spelling of it that normalizes to their key under cfg; cfg
 * NULL: the key and the address as given, in any case); status 'forgotten', every subscription unsubscribed, queued mail to
 * them cancelled. Kept, anonymous: the member row's id and district, signatures (so counts
 * stay), outbox and bounce rows (counts), and a 'forgotten' event. The address is added to
 * the suppressions as an HMAC under key (never in clear), so that organizers' imports and
 * adds skip it from now on. EX_NOUSER for an unknown member. The caller holds the
 * transaction: every part commits together or none does.
 */
gboolean member_forget(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
		       GError **error);

/* member_forget_address - member_forget of the member with address email (EX_NOUSER as
 * member_need); returns their id, or 0. The caller holds the transaction. */
gint64 member_forget_address(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			     const char *email, GError **error);

#endif
