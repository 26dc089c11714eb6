/*
 * petition.h - petitions and their signatures, in SQL.
 *
 * Owns: the petitions and signatures tables: one signature per member and petition,
 * pending until confirmed, its comment and source message. Not: targets and deliveries
 * (delivery), members (member).
 */
#ifndef PM_PETITION_H
#define PM_PETITION_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"

typedef struct {
	gint64 id;
	char *slug;
	char *title;
	char *text;
	char *status;       /* draft, open, closed */
	char *disclose;     /* comma-separated CSV fields shown to targets */
	gint64 goal;
	gint64 closes_at;   /* 0: no closing date */
	gint64 milestone;   /* highest milestone announced */
	gint64 created_at;
} Petition;

/* petition_find - by slug (case-insensitive); NULL (no error) when absent; petition_free */
Petition *petition_find(PmDb *db, const char *slug, GError **error);

/* petition_get - by id; NULL when absent */
Petition *petition_get(PmDb *db, gint64 id, GError **error);

/* petition_need - petition_find, but absent is an EX_NOUSER error "unknown petition
 * 'SLUG'" (the one message for it) */
Petition *petition_need(PmDb *db, const char *slug, GError **error);

/* petition_need_id - petition_get, but absent is an EX_NOUSER error "no petition ID" */
Petition *petition_need_id(PmDb *db, gint64 id, GError **error);

/* petition_free - destroy; returns NULL */
Petition *petition_free(Petition *p);

/* petition_slug_valid - lower-case letters, digits and '-', 1 to 40 characters */
gboolean petition_slug_valid(const PmConfig *cfg, const char *slug);

/* petition_create - a new open petition; its text is kept without leading and trailing
 * white space. EX_DATAERR for a bad or taken slug or a title or text that is not UTF-8,
 * EX_USAGE for no title or a negative goal. */
gint64 petition_create(PmDb *db, const PmConfig *cfg, const char *slug, const char *title,
		       const char *text, gint64 goal, gint64 closes_at, GError **error);

/* petition_set_status - open or closed. Reopening a petition whose closing date has
 * passed drops the date (it no longer applies). The caller holds the transaction. */
gboolean petition_set_status(PmDb *db, gint64 id, const char *status, GError **error);

/* petition_set_status_of - petition_set_status of the petition slug (EX_NOUSER as
 * petition_need); returns it (caller frees) or NULL */
Petition *petition_set_status_of(PmDb *db, const char *slug, const char *status,
				 GError **error);

/* petition_is_open - status open and the closing date (if any) not passed */
gboolean petition_is_open(const Petition *p);

/* petition_counts - confirmed and pending signatures */
gboolean petition_counts(PmDb *db, gint64 id, gint64 *confirmed, gint64 *pending,
			 GError **error);

/* petition_to_json - template data {slug, title, text, goal, signatures, url, sign_address} */
JsonNode *petition_to_json(PmDb *db, const PmConfig *cfg, const Petition *p);

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
		     const char *source, const char *comment, const char *message_id,
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

/* signature_note_already - TRUE the first time for this signature (send the note once) */
gboolean signature_note_already(PmDb *db, gint64 sig_id, gboolean *first, GError **error);

/*
 * signature_lookup - petition, member and status ("pending"/"confirmed"; caller frees) of
 * signature sig_id. FALSE without error when there is no such signature.
 */
gboolean signature_lookup(PmDb *db, gint64 sig_id, gint64 *petition_id, gint64 *member_id,
			  char **status, GError **error);

#endif
