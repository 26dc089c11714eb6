/*
 * signature.h - signatures of petitions, in SQL.
 *
 * Owns: the signatures table: one signature per member and petition, pending until
 * confirmed, its comment and source message, its signer's address domain (for the
 * per-domain limit's index); imported signatures without a member;
 * suspect ones (over a signing limit: held until an organizer clears them) and invalid
 * ones (marked by an invalidation, kept with the status they had, restorable).
 * Not: petitions (petition), members (member), which signatures a delivery carries
 * (delivery).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_SIGNATURE_H
#define PM_SIGNATURE_H

#include <glib.h>
#include "base/db.h"

/*
 * The states of a signature with a member. Stored: status; confirmed_at ("c"), set when
 * its signer confirmed (always set for confirmed ones); held_status ("h"), only while
 * invalid: the status it had when invalidated, given back by the undo. Only 'confirmed'
 * is counted, shown and delivered. "-": nothing changes.
 *
 * | state           | event                                  | becomes                       |
 * | --------------- | -------------------------------------- | ----------------------------- |
 * | (none)          | written (sign+SLUG, the web form)      | pending                       |
 * | (none)          | written over a signing limit           | suspect, c unset              |
 * | (none)          | a reply with a valid token; an import  | confirmed, c=now              |
 * | any             | written again (add, add_held)          | - (SIGN_ALREADY)              |
 * | pending         | its signer confirms                    | confirmed, c=now              |
 * | pending         | invalidated                            | invalid, h=pending            |
 * | confirmed       | its signer confirms                    | - (SIGN_ALREADY)              |
 * | confirmed       | invalidated                            | invalid, h=confirmed          |
 * | suspect, no c   | its signer confirms                    | suspect, c=now                |
 * | suspect, c      | its signer confirms                    | - (SIGN_ALREADY)              |
 * | suspect         | cleared (signature_clear)              | c ? confirmed : pending       |
 * | suspect         | invalidated, or rejected when cleared  | invalid, h=suspect            |
 * | invalid, no c   | its signer confirms                    | invalid, c=now; h pending     |
 * |                 |                                        | becomes confirmed, h suspect  |
 * |                 |                                        | stays suspect                 |
 * | invalid, c      | its signer confirms                    | - (SIGN_ALREADY)              |
 * | invalid         | undone (signature_restore)             | status=h, h unset, c kept: a  |
 * |                 |                                        | suspect confirmed while       |
 * |                 |                                        | invalid is cleared confirmed  |
 * | invalid         | cleared, or invalidated again          | - (matched by neither)        |
 * | pending; no c:  | its signer withdraws                   | deleted                       |
 * |   suspect or    |                                        |                               |
 * |   invalid       |                                        |                               |
 * | the others      | its signer withdraws                   | deleted unless a delivery     |
 * |                 |                                        | carried it                    |
 *
 * A signature awaits its signer (signature_awaits_confirmation) while pending, or suspect
 * or invalid without c. Nothing but an organizer's clearing or undo makes a suspect or
 * invalid one count. tests/test_fraud.c ("states") walks every path.
 */

/* A signature's status, stored as its name (signature_status_name) in signatures.status */
typedef enum {
	SIGNATURE_STATUS_PENDING,
	SIGNATURE_STATUS_CONFIRMED,
	SIGNATURE_STATUS_SUSPECT,   /* over a signing limit: held (confirmed_at says whether
				     * its signer confirmed), never counted, shown or delivered */
	SIGNATURE_STATUS_INVALID    /* invalidated by an organizer: kept, never counted */
} SignatureStatus;

/* signature_status_name - "pending", "confirmed", "suspect" or "invalid": the name stored
 * and printed */
const char *signature_status_name(SignatureStatus status);

/* signature_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean signature_status_parse(const char *s, SignatureStatus *status);

/* Where a signature came from, stored as its name in signatures.source */
typedef enum {
	SIGNATURE_SOURCE_REPLY,     /* a reply to a personal sign address */
	SIGNATURE_SOURCE_WRITING,   /* written to sign+SLUG, confirmed later */
	SIGNATURE_SOURCE_IMPORT,    /* an organizer's CSV import */
	SIGNATURE_SOURCE_WEB,       /* the web form (written to sign+SLUG by the web face) */
	SIGNATURE_SOURCE_START,     /* the creator of a petition started by mail */
	SIGNATURE_SOURCE_SPONSOR    /* a sponsor of a petition started by mail */
} SignatureSource;

/* signature_source_name - "reply", "writing", "import", "web", "start" or "sponsor": the
 * name stored and printed */
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

/*
 * signature_add_held - signature_add for a signature over a signing limit: a new one is
 * recorded 'suspect' (unconfirmed) instead of pending; an existing one is left as
 * signature_add would leave it. A suspect or invalid signature's confirmation
 * (signature_add with confirmed, signature_confirm) records confirmed_at and keeps its
 * status (the table above).
 */
gint64 signature_add_held(PmDb *db, gint64 petition_id, gint64 member_id,
			  SignatureSource source, const char *comment, const char *message_id,
			  SignResult *result, GError **error);

/* signature_awaits_confirmation - TRUE in *awaits when sig_id is pending, or suspect or
 * invalid and not yet confirmed by its signer */
gboolean signature_awaits_confirmation(PmDb *db, gint64 sig_id, gboolean *awaits,
				       GError **error);

/* ==== Against fraud: the signatures side (model/fraud.h decides and records) ==== */

/* Which signatures of a petition an invalidation matches; NULL/0 fields match anything.
 * Invalid ones never match (they are invalid already). */
typedef struct {
	const char *domain;     /* the signer's address's domain (lower case) */
	const char *postcode;   /* the signer's postcode, or its prefix (spaces and case ignored) */
	gint64 since, until;    /* created at >= since, < until (unix seconds) */
	const char *source;     /* "web", "mail" (reply or writing) or "import" */
	gint64 id;              /* this signature only, or 0 */
	gboolean suspect_only;  /* only suspect ones */
} SignatureFilter;

/* signature_count_matching - how many signatures of petition_id f matches */
gboolean signature_count_matching(PmDb *db, gint64 petition_id, const SignatureFilter *f,
				  gint64 *count, GError **error);

/* signature_invalidate - mark what f matches on petition_id invalid for invalidation
 * inv_id (keeping their status to restore); *count gets how many. The caller holds the
 * transaction. */
gboolean signature_invalidate(PmDb *db, gint64 petition_id, const SignatureFilter *f,
			      gint64 inv_id, gint64 *count, GError **error);

/* signature_restore - the signatures invalidation inv_id marked get their status back;
 * *count gets how many */
gboolean signature_restore(PmDb *db, gint64 inv_id, gint64 *count, GError **error);

/* signature_clear - the suspect signatures of petition_id that f matches are held no
 * longer: confirmed when their signer confirmed, else pending (awaiting the signer);
 * *confirmed and *pending get how many of each */
gboolean signature_clear(PmDb *db, gint64 petition_id, const SignatureFilter *f,
			 gint64 *confirmed, gint64 *pending, GError **error);

/* A suspect signature, for `petition suspects`. */
typedef struct {
	gint64 id;
	char *email;            /* NULL once forgotten */
	char *source;
	gint64 created_at;
	gint64 confirmed_at;    /* 0: its signer has not confirmed */
} SignatureSuspect;

/* signature_suspects - the suspect signatures of petition_id, oldest first (the array
 * frees them); NULL with error */
GPtrArray *signature_suspects(PmDb *db, gint64 petition_id, GError **error);

/* signature_suspect_of - the id of the suspect signature of the member with (normalized)
 * address on petition_id into *id, 0 when there is none */
gboolean signature_suspect_of(PmDb *db, gint64 petition_id, const char *address, gint64 *id,
			      GError **error);

/* signature_suspect_free - destroy; returns NULL */
SignatureSuspect *signature_suspect_free(SignatureSuspect *s);

/* signature_confirm - confirm signature sig_id of member_id (must match); EX_NOUSER if not */
gboolean signature_confirm(PmDb *db, gint64 sig_id, gint64 member_id, const char *comment,
			   SignResult *result, gint64 *petition_id, GError **error);

/*
 * signature_keep_postcode - keep postcode (as typed on the web sign form) with signature
 * sig_id while it awaits its signer (signature_awaits_confirmation), never replacing one
 * kept before (a later form in the same address's name changes nothing); a member gets it
 * only by confirming (inbound/route.c adopt_postcode), after the confirmation request
 * showed it. Nothing for a signature without a member or one already confirmed.
 */
gboolean signature_keep_postcode(PmDb *db, gint64 sig_id, const char *postcode,
				 GError **error);

/*
 * signature_kept_postcode - the postcode kept with member signature sig_id into *postcode
 * (caller frees; NULL when none), left kept (the confirmation request shows it)
 */
gboolean signature_kept_postcode(PmDb *db, gint64 sig_id, char **postcode, GError **error);

/*
 * signature_take_postcode - the postcode kept with member signature sig_id into *postcode
 * (caller frees; NULL when none), and no longer kept there (the member's row holds it).
 */
gboolean signature_take_postcode(PmDb *db, gint64 sig_id, char **postcode, GError **error);

/*
 * signature_add_anonymous - a confirmed signature without a member (paper, another site),
 * source 'import', dated at: counted once per petition, name, postcode and district
 * (*created FALSE when it was there already). The postcode is kept; without a district,
 * the district is the postcode's (model/district's rule; NULL when no prefix matches).
 * The caller holds the transaction.
 */
gboolean signature_add_anonymous(PmDb *db, gint64 petition_id, const char *name,
				 const char *postcode, const char *district, const char *comment,
				 gint64 at, gboolean *created, GError **error);

/*
 * signature_districts_rederive - give imported signatures without a member that have a
 * postcode and no district the postcode's district (after a district import). *changed
 * gets how many changed. The caller holds the transaction.
 */
gboolean signature_districts_rederive(PmDb *db, gint64 *changed, GError **error);

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
 * signature_forget_member - the part of forgetting member_id held here: the comments, names,
 * message ids and address domains of their signatures are cleared; the signatures stay,
 * so counts do.
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

/* signature_stop_updates - member_id, a signer of petition_id, asked for no more of its
 * updates (their own act: a token naming them); *changed FALSE when they had asked
 * before or have no signature there. The caller holds the transaction. */
gboolean signature_stop_updates(PmDb *db, gint64 petition_id, gint64 member_id, gint64 now,
				gboolean *changed, GError **error);

/* signature_resume_updates - member_id, a signer of petition_id who had stopped its
 * updates, asked for them again (their own act: a one-time follow+TOKEN naming them);
 * *changed FALSE when they had not stopped them or have no signature there. The caller
 * holds the transaction. */
gboolean signature_resume_updates(PmDb *db, gint64 petition_id, gint64 member_id,
				  gboolean *changed, GError **error);

/* signature_stop_all_updates - member_id asked to stop everything (their own act, "stop"
 * confirmed): no more updates of any petition they signed, their signatures still
 * count; *count gets how many signatures changed. The caller holds the transaction. */
gboolean signature_stop_all_updates(PmDb *db, gint64 member_id, gint64 now, gint64 *count,
				    GError **error);

/* signature_followed - the open petitions whose updates member_id gets (a confirmed
 * signature, updates not stopped), by id (GArray of gint64; caller unrefs); NULL with
 * error */
GArray *signature_followed(PmDb *db, gint64 member_id, GError **error);

#endif
