/*
 * member_record.h - everything stored about a member, for `member show` (a person's
 * right to see what is kept about them).
 *
 * Owns: reading the member's rows in every table that holds some (members, subscriptions,
 * signatures, stories, bounces), read only. Not: any write (each table's owner), the
 * output format (cli).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_MEMBER_RECORD_H
#define PM_MEMBER_RECORD_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "model/list.h"
#include "model/member.h"
#include "model/signature.h"
#include "model/story.h"

/* One subscription in a MemberRecord. */
typedef struct {
	char *list;
	SubscriptionStatus status;
	gint64 since;
} MemberSubscription;

/* One signature in a MemberRecord. */
typedef struct {
	char *petition;     /* slug */
	SignatureStatus status;
	SignatureSource source;
	char *comment;      /* NULL: none */
	gint64 signed_at;   /* confirmation, else creation */
} MemberSignature;

/* One story in a MemberRecord. */
typedef struct {
	gint64 id;
	char *petition;     /* NULL: about no petition */
	StoryStatus status;
	char *text;
} MemberStory;

/* One bounce in a MemberRecord. */
typedef struct {
	gint64 at;
	char *address, *status, *diagnostic;   /* NULL when unknown (or forgotten); status
						* is the enhanced status "5.1.1" */
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

#endif
