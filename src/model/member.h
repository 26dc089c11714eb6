/*
 * member.h - members: the people peermail writes to, in SQL.
 *
 * Owns: the members table (normalized address, name, postcode, district, status) and the
 * postcode -> district lookup. Not: subscriptions (list), signatures (petition), bounce
 * scores (bounce_score).
 */
#ifndef PM_MEMBER_H
#define PM_MEMBER_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"

typedef struct {
	gint64 id;
	char *email;        /* normalized; NULL once forgotten */
	char *name;
	char *postcode;
	char *district;
	char *status;       /* active, bouncing, unsubscribed, forgotten */
	double bounce_score;
	gint64 created_at;
} Member;

/* member_get - member by id; NULL (no error) when absent; caller frees with member_free */
Member *member_get(PmDb *db, gint64 id, GError **error);

/* member_find - member by address (normalized here); NULL (no error) when absent */
Member *member_find(PmDb *db, const PmConfig *cfg, const char *email, GError **error);

/* member_need - member_find, but absent is an EX_NOUSER error "unknown member ADDR" (the
 * one message for it) */
Member *member_need(PmDb *db, const PmConfig *cfg, const char *email, GError **error);

/* member_need_id - member_get, but absent is an EX_NOUSER error "no member ID" */
Member *member_need_id(PmDb *db, gint64 id, GError **error);

/* member_free - destroy; returns NULL */
Member *member_free(Member *m);

/*
 * member_upsert - create the member for email, or update it. NULL fields are left as
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
 * member_forget - erase a person (GDPR): address, name, postcode, signature comments, story
 * texts (those stories are withdrawn), the raw mail they sent, their address in the outbox
 * and bounce records; status 'forgotten', every subscription unsubscribed, queued mail to
 * them cancelled. Kept, anonymous: the member row's id and district, signatures (so counts
 * stay), outbox and bounce rows (counts). The address is added to the suppressions as an
 * HMAC under key (never in clear), so that organizers' imports and adds skip it from now
 * on. The caller holds the transaction.
 */
gboolean member_forget(PmDb *db, const PmSecret *key, gint64 id, GError **error);

/* member_forget_address - member_forget of the member with address email (EX_NOUSER as
 * member_need); returns their id, or 0. The caller holds the transaction. */
gint64 member_forget_address(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			     const char *email, GError **error);

/*
 * member_suppressed - TRUE in *out when email belongs to someone who asked to be forgotten
 * and who is not a member again since (they may come back on their own: sign or subscribe
 * by mail). Organizers' imports and `member add` check it; FALSE on a database error.
 */
gboolean member_suppressed(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *email, gboolean *out, GError **error);

/* A list the member stays off when an organizer adds them (see member_add). */
typedef struct {
	char *list;
	char *status;       /* unsubscribed, bouncing */
} MemberKept;

/*
 * member_add - an organizer adds email (or updates the member who has it: name, postcode
 * and district replaced when given) and subscribes them to lists (names, NULL-terminated;
 * may be NULL) by subscription_add_by_organizer. Someone who asked to be forgotten is not
 * added again: EX_DATAERR (they can still sign or subscribe by mail themselves). An
 * unknown list is EX_NOUSER. *created TRUE for a new member; *kept (may be NULL) gets a
 * MemberKept for each list where they were left as they were (caller unrefs). The caller
 * holds the transaction. Returns the id or 0.
 */
gint64 member_add(PmDb *db, const PmConfig *cfg, const PmSecret *key, const char *email,
		  const char *name, const char *postcode, const char *district,
		  char *const *lists, gboolean *created, GPtrArray **kept, GError **error);

/* One subscription in a MemberRecord. */
typedef struct {
	char *list;
	char *status;
	gint64 since;
} MemberSubscription;

/* One signature in a MemberRecord. */
typedef struct {
	char *petition;     /* slug */
	char *status;
	char *source;
	char *comment;      /* NULL: none */
	gint64 signed_at;   /* confirmation, else creation */
} MemberSignature;

/* One story in a MemberRecord. */
typedef struct {
	gint64 id;
	char *petition;     /* NULL: about no petition */
	char *status;
	char *text;
} MemberStory;

/* One bounce in a MemberRecord. */
typedef struct {
	gint64 at;
	char *address, *status, *diagnostic;   /* NULL when unknown (or forgotten) */
	gboolean permanent;
} MemberBounce;

/* Everything stored about a member (`member show`). */
typedef struct {
	Member *member;
	GPtrArray *lists;        /* MemberSubscription*, by list name */
	GPtrArray *signatures;   /* MemberSignature*, oldest first */
	GPtrArray *stories;      /* MemberStory*, oldest first */
	GPtrArray *bounces;      /* MemberBounce*, oldest first */
} MemberRecord;

/* member_record_need - everything stored about the member with address email; EX_NOUSER
 * as member_need. Free with member_record_free. */
MemberRecord *member_record_need(PmDb *db, const PmConfig *cfg, const char *email,
				 GError **error);

/* member_record_free - destroy; returns NULL */
MemberRecord *member_record_free(MemberRecord *r);

/* member_set_status - active, bouncing, unsubscribed */
gboolean member_set_status(PmDb *db, gint64 id, const char *status, GError **error);

/* member_first_name - the first word of a display name, or ""; caller frees */
char *member_first_name(const char *name);

/* member_to_json - template data {email, name, first_name, postcode, district} */
JsonNode *member_to_json(const Member *m);

/* district_for_postcode - the district of the longest matching prefix, or NULL; caller frees */
char *district_for_postcode(PmDb *db, const char *postcode, GError **error);

/* postcode_normalize - upper-case, spaces removed; caller frees */
char *postcode_normalize(const char *postcode);

#endif
