/*
 * member.h - members: the people peermail writes to, in SQL.
 *
 * Owns: the members table (normalized address, name, postcode, district, status, the
 * cached bounce score): every write to it is here; other modules ask. Not: the postcode ->
 * district rule and the districts table (district), subscriptions (list), signatures
 * (signature), what a bounce does to the score (bounce_score), forgetting a person across
 * every table (member_forget), an organizer's add with its subscriptions (member_add),
 * everything stored about a member (member_record), the suppressions (suppression).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_MEMBER_H
#define PM_MEMBER_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

/* A member's status, stored as its name (member_status_name) in members.status */
typedef enum {
	MEMBER_STATUS_ACTIVE,
	MEMBER_STATUS_BOUNCING,
	MEMBER_STATUS_UNSUBSCRIBED,
	MEMBER_STATUS_FORGOTTEN
} MemberStatus;

/* member_status_name - "active", "bouncing", ...: the name stored and printed */
const char *member_status_name(MemberStatus status);

/* member_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean member_status_parse(const char *s, MemberStatus *status);

typedef struct {
	gint64 id;
	char *email;        /* normalized: the key that finds the person; NULL once forgotten */
	char *address;      /* as the person first gave it: mail, display, export (member_address) */
	char *name;
	char *postcode;
	char *district;
	MemberStatus status;
	double bounce_score;
	gint64 created_at;
	char *lang;         /* primary language subtag ("fr"), or NULL: the configured default */
} Member;

/* member_address - where mail to m goes and what is shown: the address as given (the
 * normalized key for rows from before it was kept); borrowed, NULL once forgotten */
const char *member_address(const Member *m);

/* member_get - member by id; NULL (no error) when absent; caller frees with member_free */
Member *member_get(PmDb *db, gint64 id, GError **error);

/* member_find - member by address (normalized here); NULL (no error) when absent */
Member *member_find(PmDb *db, const PmConfig *cfg, const char *email, GError **error);

/* member_add_bare - a new member for email (kept as given; there is none: member_find)
 * with no name, postcode or district and the language lang (may be NULL;
 * lang_normalize), made with one statement. An invalid address is EX_DATAERR. NULL with
 * error on failure; caller frees */
Member *member_add_bare(PmDb *db, const PmConfig *cfg, const char *email, const char *lang,
			GError **error);

/* member_need - member_find, but absent is an EX_NOUSER error "unknown member ADDR" (the
 * one message for it) */
Member *member_need(PmDb *db, const PmConfig *cfg, const char *email, GError **error);

/* member_need_id - member_get, but absent is an EX_NOUSER error "no member ID" */
Member *member_need_id(PmDb *db, gint64 id, GError **error);

/* member_free - destroy; returns NULL */
Member *member_free(Member *m);

/*
 * member_upsert - create the member for email, or update it. The member is found by the
 * normalized address; a new member keeps email as given (member_address). A later,
 * different spelling of the same key finds the same member and does not replace the
 * first one given (it is logged, without the address): the person's first word on where
 * to write stands until they are forgotten. NULL fields are left as
 * they are; on update, name/postcode/district are replaced only when overwrite is TRUE or
 * the stored value is empty. A district is derived from the postcode (districts table)
 * when none is given. An invalid address is EX_DATAERR. A forgotten or unsubscribed
 * member stays so (a new signature does not resubscribe anyone). Returns the id or 0.
 */
gint64 member_upsert(PmDb *db, const PmConfig *cfg, const char *email, const char *name,
		     const char *postcode, const char *district, gboolean overwrite,
		     GError **error);

/* member_upsert_ex - member_upsert; *created TRUE when the member is new */
gint64 member_upsert_ex(PmDb *db, const PmConfig *cfg, const char *email, const char *name,
			const char *postcode, const char *district, gboolean overwrite,
			gboolean *created, GError **error);

/*
 * member_erase - the members row's part of forgetting (member_forget.h does the whole):
 * address, name and postcode cleared, status 'forgotten', bounce score reset; the id and
 * the district stay (anonymous counts). The caller holds the transaction.
 */
gboolean member_erase(PmDb *db, gint64 id, gint64 now, GError **error);

/*
 * member_suppressed - TRUE in *out when email belongs to someone who asked to be forgotten
 * and who is not a member again since (they may come back on their own: sign or subscribe
 * by mail). Organizers' imports and `member add` check it; FALSE on a database error.
 */
gboolean member_suppressed(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *email, gboolean *out, GError **error);

/* member_set_status - active, bouncing, unsubscribed */
gboolean member_set_status(PmDb *db, gint64 id, MemberStatus status, GError **error);

/* member_set_bounce_score - store the member's current bounce score and at, the time of
 * its last bounce (bounce_score.h computes them) */
gboolean member_set_bounce_score(PmDb *db, gint64 id, double score, gint64 at,
				 GError **error);

/* member_mark_bouncing - an active member becomes 'bouncing' (others stay as they are) */
gboolean member_mark_bouncing(PmDb *db, gint64 id, gint64 now, GError **error);

/* member_mark_unsubscribed - an active or bouncing member becomes 'unsubscribed' */
gboolean member_mark_unsubscribed(PmDb *db, gint64 id, gint64 now, GError **error);

/*
 * member_districts_rederive - set members' districts from their postcodes by the district
 * rule (district_for_postcode): members without a district, or every member with a
 * postcode when all is TRUE; a member whose postcode matches no prefix keeps its district.
 * *changed gets how many changed. The caller holds the transaction.
 */
gboolean member_districts_rederive(PmDb *db, gboolean all, gint64 *changed, GError **error);

/*
 * member_set_lang - the member's language (lang_normalize'd; NULL clears it). An organizer
 * (overwrite TRUE) sets it; a language read from the member's mail (overwrite FALSE) is
 * adopted only while none is set. A tag that is no language is EX_DATAERR ("unknown
 * language tag X"). *changed (may be NULL) tells whether it changed.
 */
gboolean member_set_lang(PmDb *db, gint64 id, const char *lang, gboolean overwrite,
			 gboolean *changed, GError **error);

/* member_first_name - the first word of a display name, or ""; caller frees */
char *member_first_name(const char *name);

/* member_to_json - template data {email (as given), name, first_name, postcode, district, lang} */
JsonNode *member_to_json(const Member *m);

#endif
