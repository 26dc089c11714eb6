/*
 * petition_update.h - creators' updates to the signers of their petitions (issue 16):
 * pending until an organizer approves or rejects them; an approved one goes out as a
 * newsletter to the petition's counted signers (model/newsletter, audience signers).
 *
 * Owns: the petition_updates table (every write to it is here) and its states (pending,
 * approved, rejected), the pending limit's count, the decision as a conditional change
 * (of two deciders one wins). Not: reading the creator's mail (inbound/route), the
 * notices and the newsletter (produce/update), who organizes (model/organizer).
 * DIAGNOSTICS: EX_NOUSER "no petition update ID" (petition_update_need); EX_DATAERR for
 * a subject or body that is not valid UTF-8 or Mustache.
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_PETITION_UPDATE_H
#define PM_PETITION_UPDATE_H

#include <glib.h>
#include "base/db.h"

/* An update's status, stored as its name (petition_update_status_name) */
typedef enum {
	PETITION_UPDATE_PENDING,
	PETITION_UPDATE_APPROVED,
	PETITION_UPDATE_REJECTED
} PetitionUpdateStatus;

/* petition_update_status_name - "pending", "approved", "rejected" */
const char *petition_update_status_name(PetitionUpdateStatus status);

/* petition_update_status_parse - the status named s into *status; FALSE if unknown */
gboolean petition_update_status_parse(const char *s, PetitionUpdateStatus *status);

typedef struct {
	gint64 id;
	gint64 petition_id;
	gint64 member_id;       /* the creator; 0 once forgotten */
	char *subject;
	char *body;             /* Markdown + Mustache */
	PetitionUpdateStatus status;
	char *reason;           /* a rejection's reason, or NULL */
	char *decided_by;       /* NULL while pending */
	gint64 decided_at;
	gint64 newsletter_id;   /* 0: none (yet) */
	gint64 created_at;
} PetitionUpdate;

/* petition_update_add - a pending update of petition_id by member_id; returns its id, or
 * 0 with error (EX_DATAERR: not UTF-8, or not valid Mustache: the message says where).
 * The caller holds the transaction. */
gint64 petition_update_add(PmDb *db, gint64 petition_id, gint64 member_id,
			   const char *subject, const char *body, GError **error);

/* petition_update_get - by id; NULL without error when absent; petition_update_free */
PetitionUpdate *petition_update_get(PmDb *db, gint64 id, GError **error);

/* petition_update_need - get, absent is EX_NOUSER "no petition update ID" */
PetitionUpdate *petition_update_need(PmDb *db, gint64 id, GError **error);

/* petition_update_free - destroy; returns NULL */
PetitionUpdate *petition_update_free(PetitionUpdate *u);

/* petition_update_list - petition_id's updates (PetitionUpdate*, the array frees them),
 * oldest first; NULL with error */
GPtrArray *petition_update_list(PmDb *db, gint64 petition_id, GError **error);

/* petition_update_of - petition_update_list of the petition slug (EX_NOUSER as
 * petition_need) */
GPtrArray *petition_update_of(PmDb *db, const char *slug, GError **error);

/* petition_update_pending - how many of petition_id's updates are pending into *n */
gboolean petition_update_pending(PmDb *db, gint64 petition_id, gint64 *n, GError **error);

/* petition_update_decide - pending -> approved or rejected (reason kept) by by, at now;
 * *moved FALSE (TRUE returned) when it was no longer pending */
gboolean petition_update_decide(PmDb *db, gint64 id, gboolean approve, const char *reason,
				const char *by, gint64 now, gboolean *moved, GError **error);

/* petition_update_set_newsletter - the newsletter an approved update went out as */
gboolean petition_update_set_newsletter(PmDb *db, gint64 id, gint64 newsletter_id,
					GError **error);

/* petition_update_forget_member - member_id is forgotten: their updates are emptied
 * (subject and body), a pending one rejected ("forgotten"); a newsletter an approved one
 * became keeps its text, as any sent newsletter. The caller holds the transaction. */
gboolean petition_update_forget_member(PmDb *db, gint64 member_id, gint64 now,
				       GError **error);

#endif
