/*
 * story.h - members' stories, held for moderation, in SQL.
 *
 * Owns: the stories table and its moderation states (pending, approved, rejected).
 * Not: the moderation notice mail (inbound and compose) or how stories are chosen for a
 * mailing beyond "approved, newest first".
 */
#ifndef PM_STORY_H
#define PM_STORY_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/db.h"

/* story_add - a pending story; petition_id/member_id/inbound_id 0 for none; returns id or 0 */
gint64 story_add(PmDb *db, gint64 petition_id, gint64 member_id, const char *subject,
		 const char *text, gint64 inbound_id, GError **error);

/* story_moderate - set status approved or rejected; EX_NOUSER if there is no such story */
gboolean story_moderate(PmDb *db, gint64 id, const char *status, GError **error);

/*
 * story_list_json - approved stories as template data [{author, text, petition}], newest
 * first, at most limit (0: no limit); petition_id 0: any petition.
 */
JsonNode *story_list_json(PmDb *db, gint64 petition_id, int limit, GError **error);

/* A story as organizers see it (`story ls`). */
typedef struct {
	gint64 id;
	char *petition;      /* slug; NULL: about no petition */
	char *author;        /* the member's name; NULL when none (or forgotten) */
	char *email;         /* NULL when forgotten */
	char *status;        /* pending, approved, rejected */
	char *subject;       /* NULL when none */
	char *text;
	gint64 created_at;
} StoryRow;

/* story_status_valid - pending, approved or rejected */
gboolean story_status_valid(const char *status);

/*
 * story_ls - stories for organizers (StoryRow*, the array frees them), oldest first;
 * petition: a slug (NULL: any; unknown: EX_NOUSER as petition_need), status: NULL for any
 * (another than story_status_valid's: EX_USAGE)
 */
GPtrArray *story_ls(PmDb *db, const char *petition, const char *status, GError **error);

#endif
