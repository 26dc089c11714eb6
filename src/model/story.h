/*
 * story.h - members' stories, held for moderation, in SQL.
 *
 * Owns: the stories table (every write to it is here) and its moderation states
 * (pending, approved, rejected).
 * Not: the moderation notice mail (inbound and compose) or how stories are chosen for a
 * mailing beyond "approved, newest first".
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_STORY_H
#define PM_STORY_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/db.h"

/* A story's moderation status, stored as its name (story_status_name) in stories.status */
typedef enum {
	STORY_STATUS_PENDING,
	STORY_STATUS_APPROVED,
	STORY_STATUS_REJECTED
} StoryStatus;

/* story_status_name - "pending", "approved" or "rejected": the name stored and printed */
const char *story_status_name(StoryStatus status);

/* story_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean story_status_parse(const char *s, StoryStatus *status);

/* story_add - a pending story; petition_id/member_id/inbound_id 0 for none; returns id or 0 */
gint64 story_add(PmDb *db, gint64 petition_id, gint64 member_id, const char *subject,
		 const char *text, gint64 inbound_id, GError **error);

/* story_moderate - set status approved or rejected; EX_NOUSER if there is no such story */
gboolean story_moderate(PmDb *db, gint64 id, StoryStatus status, GError **error);

/* story_owner - the petition and member (0: none) of story id into *petition_id and
 * *member_id; EX_NOUSER when there is no such story */
gboolean story_owner(PmDb *db, gint64 id, gint64 *petition_id, gint64 *member_id,
		     GError **error);

/*
 * story_forget_member - the part of forgetting member_id held here: their stories' texts
 * and subjects are emptied and the stories withdrawn (rejected, dated now unless they were
 * moderated before). The caller holds the transaction.
 */
gboolean story_forget_member(PmDb *db, gint64 member_id, gint64 now, GError **error);

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
	StoryStatus status;
	char *subject;       /* NULL when none */
	char *text;
	gint64 created_at;
} StoryRow;

/*
 * story_ls - stories for organizers (StoryRow*, the array frees them), oldest first;
 * petition: a slug (NULL: any; unknown: EX_NOUSER as petition_need), status: a name
 * story_status_parse knows (NULL for any; another name: EX_USAGE)
 */
GPtrArray *story_ls(PmDb *db, const char *petition, const char *status, GError **error);

#endif
