/*
 * petition.h - petitions, in SQL.
 *
 * Owns: the petitions table: every write to it is here, the delivery schedule columns and
 * the announced milestone included (delivery and milestone decide, this module writes).
 * Not: signatures (signature), targets and deliveries (delivery), members (member), the
 * milestone steps (produce/milestone.h).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_PETITION_H
#define PM_PETITION_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"

/* A petition's status, stored as its name (petition_status_name) in petitions.status.
 * A member-started petition (docs/petitions.md) goes started -> sponsoring -> moderation
 * -> open (published) or rejected; started -> withdrawn when its creator says no. */
typedef enum {
	PETITION_STATUS_DRAFT,
	PETITION_STATUS_OPEN,
	PETITION_STATUS_CLOSED,
	PETITION_STATUS_STARTED,     /* mailed to start@, awaiting its creator's confirmation */
	PETITION_STATUS_SPONSORING,  /* confirmed, gathering sponsors */
	PETITION_STATUS_MODERATION,  /* enough sponsors: waiting for an organizer */
	PETITION_STATUS_REJECTED,    /* refused by an organizer (reason kept); never published */
	PETITION_STATUS_WITHDRAWN    /* its creator withdrew it before it was confirmed */
} PetitionStatus;

/* petition_status_name - "draft", "open", "closed", "started", ...: the name stored and
 * printed */
const char *petition_status_name(PetitionStatus status);

/* petition_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean petition_status_parse(const char *s, PetitionStatus *status);

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
	gint64 creator_id;  /* the member who started it by mail; 0: an organizer's */
	char *target;       /* whom a started petition addresses ('To:' line), or NULL */
	gint64 moderation_at;  /* when it entered moderation; 0: never */
	gint64 delay_told_at;  /* when its creator was told moderation is delayed; 0: never */
	char *reason;       /* a rejection's reason code, or NULL */
	char *moderated_by; /* who published or rejected it (address or "command line"), or NULL */
	gint64 moderated_at;
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

/* petition_closes_check - TRUE when closes_at (0: none) may be given to a new petition: a
 * date in the past is EX_USAGE (petition_create itself accepts one, for imported history) */
gboolean petition_closes_check(gint64 closes_at, GError **error);

/* petition_create - a new open petition; its text is kept without leading and trailing
 * white space. EX_DATAERR for a bad or taken slug or a title or text that is not UTF-8,
 * EX_USAGE for no title or a negative goal. */
gint64 petition_create(PmDb *db, const PmConfig *cfg, const char *slug, const char *title,
		       const char *text, gint64 goal, gint64 closes_at, GError **error);

/* petition_set_status - open or closed. Reopening a petition whose closing date has
 * passed drops the date (it no longer applies). A member-started petition that is not
 * published is EX_DATAERR: it opens only through moderation. The caller holds the
 * transaction. */
gboolean petition_set_status(PmDb *db, gint64 id, PetitionStatus status, GError **error);

/* petition_set_status_of - petition_set_status of the petition slug (EX_NOUSER as
 * petition_need); returns it (caller frees) or NULL */
Petition *petition_set_status_of(PmDb *db, const char *slug, PetitionStatus status,
				 GError **error);

/* petition_is_open - status open and the closing date (if any) not passed */
gboolean petition_is_open(const Petition *p);

/* petition_status_now - p's status now: an open petition past its closing date is closed
 * (what show, ls and JSON print) */
PetitionStatus petition_status_now(const Petition *p);

/* petition_is_published - open or closed: a petition the public may see (not a draft,
 * nor a member-started one before or after moderation refused it) */
gboolean petition_is_published(const Petition *p);

/* petition_is_starting - started, sponsoring or in moderation: an open start */
gboolean petition_is_starting(const Petition *p);

/*
 * petition_start - a petition started by member creator (status started): its slug is made
 * from the title (unique: -2, -3... added), target may be NULL. Returns the id or 0 with
 * error (EX_DATAERR for a title or text that is not UTF-8). The caller holds the
 * transaction and checks the limits (petition_open_starts, the configured lengths).
 */
gint64 petition_start(PmDb *db, const PmConfig *cfg, gint64 creator, const char *title,
		      const char *text, const char *target, gint64 goal, GError **error);

/* petition_open_starts - how many of creator's petitions are sponsoring, in moderation, or
 * started since since (an older unconfirmed start has lapsed: its confirmation expired)
 * into *count */
gboolean petition_open_starts(PmDb *db, gint64 creator, gint64 since, gint64 *count,
			      GError **error);

/*
 * petition_similar - petitions whose titles share words with title (SQLite FTS5, porter
 * stemming, over petition_titles): at least two of its words of four letters or more (one
 * when it has only one), best match first, at most limit, leaving out petition except and
 * those rejected, withdrawn or unconfirmed. Petition* (the array frees them); NULL with error.
 */
GPtrArray *petition_similar(PmDb *db, const char *title, gint64 except, int limit,
			    GError **error);

/*
 * petition_advance - move petition id from status from to status to, only if it is still in
 * from (a conditional UPDATE; *moved says whether this call did). Entering moderation
 * records its time; open or rejected from moderation records who (by) decided, and a
 * rejection its reason. The caller holds the transaction.
 */
gboolean petition_advance(PmDb *db, gint64 id, PetitionStatus from, PetitionStatus to,
			  const char *by, const char *reason, gboolean *moved, GError **error);

/* petition_moderation_late - ids of petitions in moderation since before or earlier whose
 * creators have not been told of the delay (GArray of gint64; caller unrefs) */
GArray *petition_moderation_late(PmDb *db, gint64 before, GError **error);

/* petition_claim_delay_notice - record that petition id's creator is told of the delay now;
 * *claimed FALSE when that was done before. The caller holds the transaction. */
gboolean petition_claim_delay_notice(PmDb *db, gint64 id, gint64 now, gboolean *claimed,
				     GError **error);

/* petition_counts - confirmed and pending signatures */
gboolean petition_counts(PmDb *db, gint64 id, gint64 *confirmed, gint64 *pending,
			 GError **error);

/* petition_to_json - template data {slug, title, text, goal, signatures, url, sign_address} */
JsonNode *petition_to_json(PmDb *db, const PmConfig *cfg, const Petition *p);

/* petition_to_json_in - petition_to_json for a reader whose language is lang (NULL: the
 * configured default): signatures_one follows lang's plural rule ("0 personne" in fr) */
JsonNode *petition_to_json_in(PmDb *db, const PmConfig *cfg, const Petition *p,
			      const char *lang);

/* petition_list_ids - the ids of every petition, oldest first (GArray of gint64; caller
 * unrefs); NULL with error on failure */
GArray *petition_list_ids(PmDb *db, GError **error);

/* One petition's progress toward its goal. */
typedef struct {
	gint64 id;
	gint64 goal;
	gint64 milestone;   /* highest milestone announced */
	gint64 confirmed;   /* confirmed signatures */
} PetitionProgress;

/* petition_progress_list - every petition with a goal (GArray of PetitionProgress; caller
 * unrefs); NULL with error on failure */
GArray *petition_progress_list(PmDb *db, GError **error);

/*
 * petition_claim_milestone - record milestone to as announced for petition id if the
 * announced one is still from (a conditional UPDATE: of two concurrent callers one wins);
 * *claimed says whether this call did. The caller holds the transaction.
 */
gboolean petition_claim_milestone(PmDb *db, gint64 id, gint64 from, gint64 to,
				  gboolean *claimed, GError **error);

/*
 * petition_set_delivery - the delivery columns of petition id: what is disclosed (a list
 * delivery_disclose_normalize checked; NULL: unchanged) and the schedule (every_days,
 * on_close, at_milestones; < 0: unchanged).
 */
gboolean petition_set_delivery(PmDb *db, gint64 id, const char *disclose, int every_days,
			       int on_close, int at_milestones, GError **error);

/* petition_request_delivery - ask the next run to deliver petition id (an earlier request
 * keeps its time) */
gboolean petition_request_delivery(PmDb *db, gint64 id, gint64 now, GError **error);

/* petition_clear_delivery_request - the requested delivery of petition id was compiled */
gboolean petition_clear_delivery_request(PmDb *db, gint64 id, GError **error);

/*
 * petition_mark_delivered - after a scheduled delivery of petition id at now: closed TRUE
 * records the on-close delivery, milestone (0: none) the highest milestone delivered at,
 * and a periodic schedule restarts from now. The caller holds the transaction.
 */
gboolean petition_mark_delivered(PmDb *db, gint64 id, gboolean closed, gint64 milestone,
				 gint64 now, GError **error);

#endif
