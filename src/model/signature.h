/*
 * signature.h - signatures of petitions, in SQL.
 *
 * Owns: the signatures table: one signature per member and petition, pending until
 * confirmed, its comment and source message; imported signatures without a member.
 * Not: petitions (petition), members (member), which signatures a delivery carries
 * (delivery).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_SIGNATURE_H
#define PM_SIGNATURE_H

#include <glib.h>
#include "base/db.h"

/* A signature's status, stored as its name (signature_status_name) in signatures.status */
typedef enum {
	SIGNATURE_STATUS_PENDING,
	SIGNATURE_STATUS_CONFIRMED
} SignatureStatus;

/* signature_status_name - "pending" or "confirmed": the name stored and printed */
const char *signature_status_name(SignatureStatus status);

/* signature_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean signature_status_parse(const char *s, SignatureStatus *status);

/* Where a signature came from, stored as its name in signatures.source */
typedef enum {
	SIGNATURE_SOURCE_REPLY,     /* a reply to a personal sign address */
	SIGNATURE_SOURCE_WRITING,   /* written to sign+SLUG, confirmed later */
	SIGNATURE_SOURCE_IMPORT,    /* an organizer's CSV import */
	SIGNATURE_SOURCE_START,     /* the creator of a petition started by mail */
	SIGNATURE_SOURCE_SPONSOR    /* a sponsor of a petition started by mail */
} SignatureSource;

/* signature_source_name - "reply", "writing", "import", "start" or "sponsor": the name
 * stored and printed */
const char *signature_source_name(SignatureSource source);

/* signature_source_parse - the source named s into *source; FALSE for an unknown name */
gboolean signature_source_parse(const char *s, SignatureSource *source);

typedef enum {
	SIGN_NEW_PENDING,    /* a new pending signature */
	SIGN_NEW_CONFIRMED,  /* a new confirmed signature */
	SIGN_CONFIRMED_NOW,  /* a pending signature became confirmed */
	SIGN_ALREADY         /* it was there already (pending stays pending) */
} SignResult;

/*
 * signature_add - member signs petition: confirmed (a reply carrying a valid token) or
 * pending (written to sign+SLUG, awaiting confirmation). A member signs a petition once:
 * a second add is SIGN_ALREADY, or SIGN_CONFIRMED_NOW when a pending one is confirmed.
 * The comment is kept when the first one was empty. Returns the signature id or 0.
 */
gint64 signature_add(PmDb *db, gint64 petition_id, gint64 member_id, gboolean confirmed,
		     SignatureSource source, const char *comment, const char *message_id,
		     SignResult *result, GError **error);

/* signature_confirm - confirm signature sig_id of member_id (must match); EX_NOUSER if not */
gboolean signature_confirm(PmDb *db, gint64 sig_id, gint64 member_id, const char *comment,
			   SignResult *result, gint64 *petition_id, GError **error);

/*
 * signature_add_anonymous - a confirmed signature without a member (paper, another site),
 * source 'import', dated at: counted once per petition, name and district (*created FALSE
 * when it was there already). The caller holds the transaction.
 */
gboolean signature_add_anonymous(PmDb *db, gint64 petition_id, const char *name,
				 const char *district, const char *comment, gint64 at,
				 gboolean *created, GError **error);

/* signature_exists - TRUE in *signed when member_id has a confirmed signature on petition_id */
gboolean signature_exists(PmDb *db, gint64 petition_id, gint64 member_id, gboolean *is_signed,
			  GError **error);

/* signature_sponsors - the members whose confirmed sponsor signatures petition_id has,
 * oldest first (GArray of gint64; caller unrefs); NULL with error */
GArray *signature_sponsors(PmDb *db, gint64 petition_id, GError **error);

/* signature_note_already - TRUE the first time for this signature (send the note once) */
gboolean signature_note_already(PmDb *db, gint64 sig_id, gboolean *first, GError **error);

/*
 * signature_lookup - petition, member and status of signature sig_id. FALSE without error when there is no such signature.
 */
gboolean signature_lookup(PmDb *db, gint64 sig_id, gint64 *petition_id, gint64 *member_id,
			  SignatureStatus *status, GError **error);

/* signature_set_date - date signature sig_id (created and confirmed) at: an imported
 * signature keeps its own date */
gboolean signature_set_date(PmDb *db, gint64 sig_id, gint64 at, GError **error);

/*
 * signature_forget_member - the part of forgetting member_id held here: the comments, names
 * and message ids of their signatures are cleared; the signatures stay, so counts do.
 */
/* What signature_withdraw did. */
typedef enum {
	WITHDRAW_NONE,       /* the member had no signature on the petition (or, with
	                      * pending_only, no pending one) */
	WITHDRAW_PENDING,    /* a pending signature removed */
	WITHDRAW_DONE,       /* a confirmed signature removed: no delivery had carried it yet */
	WITHDRAW_DELIVERED   /* a delivery carried it already: kept, it cannot be unsent */
} WithdrawResult;

/* signature_withdraw - the member's own request: remove their signature on petition_id
 * (pending, or confirmed and not yet in any delivery; pending_only: a pending one only),
 * what happened into *res. The caller holds the transaction. */
gboolean signature_withdraw(PmDb *db, gint64 petition_id, gint64 member_id,
			    gboolean pending_only, WithdrawResult *res, GError **error);

gboolean signature_forget_member(PmDb *db, gint64 member_id, GError **error);

#endif
