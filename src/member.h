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
#include "config.h"
#include "db.h"

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
