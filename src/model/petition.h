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

/* A petition's status, stored as its name (petition_status_name) in petitions.status */
typedef enum {
	PETITION_STATUS_DRAFT,
	PETITION_STATUS_OPEN,
	PETITION_STATUS_CLOSED
} PetitionStatus;

/* petition_status_name - "draft", "open" or "closed": the name stored and printed */
const char *petition_status_name(PetitionStatus status);

/* petition_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean petition_status_parse(const char *s, PetitionStatus *status);

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
	SIGNATURE_SOURCE_IMPORT     /* an organizer's CSV import */
} SignatureSource;

/* signature_source_name - "reply", "writing" or "import": the name stored and printed */
const char *signature_source_name(SignatureSource source);

/* signature_source_parse - the source named s into *source; FALSE for an unknown name */
gboolean signature_source_parse(const char *s, SignatureSource *source);

typedef struct {
	gint64 id;
	char *slug;
	char *title;
	char *text;
	PetitionStatus status;
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

/* petition_free - destroy; returns NULL */
Petition *petition_free(Petition *p);

/* petition_slug_valid - lower-case letters, digits and '-', 1 to 40 characters */
gboolean petition_slug_valid(const PmConfig *cfg, const char *slug);

/* petition_create - a new open petition; EX_DATAERR for a bad or taken slug */
gint64 petition_create(PmDb *db, const PmConfig *cfg, const char *slug, const char *title,
		       const char *text, gint64 goal, gint64 closes_at, GError **error);

/* petition_set_status - open or closed */
gboolean petition_set_status(PmDb *db, gint64 id, PetitionStatus status, GError **error);

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

/* signature_note_already - TRUE the first time for this signature (send the note once) */
gboolean signature_note_already(PmDb *db, gint64 sig_id, gboolean *first, GError **error);

/*
 * signature_lookup - petition, member and status of signature sig_id. FALSE without
 * error when there is no such signature.
 */
gboolean signature_lookup(PmDb *db, gint64 sig_id, gint64 *petition_id, gint64 *member_id,
			  SignatureStatus *status, GError **error);

#endif
