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
	char *email;        /* normalized; NULL once forgotten */
	char *name;
	char *postcode;
	char *district;
	MemberStatus status;
	double bounce_score;
	gint64 created_at;
} Member;

/* member_get - member by id; NULL (no error) when absent; caller frees with member_free */
Member *member_get(PmDb *db, gint64 id, GError **error);

/* member_find - member by address (normalized here); NULL (no error) when absent */
Member *member_find(PmDb *db, const PmConfig *cfg, const char *email, GError **error);

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

/*
 * member_suppressed - TRUE in *out when email belongs to someone who asked to be forgotten
 * and who is not a member again since (they may come back on their own: sign or subscribe
 * by mail). Organizers' imports and `member add` check it; FALSE on a database error.
 */
gboolean member_suppressed(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			   const char *email, gboolean *out, GError **error);

/*
 * member_dump_json - everything stored about member id: {email, name, status, postcode,
 * district, created_at, bounce_score, lists:[{name, status}], signatures:[{petition,
 * status, source, comment, signed_at}], stories:[{id, petition, status, text}],
 * bounces:[{at, address, status, permanent, diagnostic}]}. NULL with error on failure.
 */
JsonNode *member_dump_json(PmDb *db, const Member *m, GError **error);

/* member_set_status - active, bouncing, unsubscribed */
gboolean member_set_status(PmDb *db, gint64 id, MemberStatus status, GError **error);

/* member_first_name - the first word of a display name, or ""; caller frees */
char *member_first_name(const char *name);

/* member_to_json - template data {email, name, first_name, postcode, district} */
JsonNode *member_to_json(const Member *m);

/* district_for_postcode - the district of the longest matching prefix, or NULL; caller frees */
char *district_for_postcode(PmDb *db, const char *postcode, GError **error);

/* postcode_normalize - upper-case, spaces removed; caller frees */
char *postcode_normalize(const char *postcode);

#endif
