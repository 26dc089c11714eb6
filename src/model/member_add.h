/*
 * member_add.h - an organizer adds a member: the member row and the lists they are put
 * on, as one change.
 *
 * Owns: the organizer's add and its rules: someone who asked to be forgotten is not added
 * again, and a member who left a list or bounces off it is not put back on it (that needs
 * their own confirmation by mail). Not: any table: the member row goes through member.h,
 * the subscriptions through list.h (this module sits above both, as member_forget does).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_MEMBER_ADD_H
#define PM_MEMBER_ADD_H

#include <glib.h>
#include "base/config.h"
#include "base/db.h"
#include "base/token.h"
#include "model/list.h"

/* A list the member stays off when an organizer adds them (see member_add). */
typedef struct {
	char *list;
	SubscriptionStatus status;   /* unsubscribed, bouncing */
} MemberKept;

/*
 * member_add - an organizer adds email (or updates the member who has it: name, postcode
 * and district replaced when given; lang, when given, set by member_set_lang: "none"
 * clears it) and subscribes them to lists (names, NULL-terminated;
 * may be NULL) by subscription_add_by_organizer. Someone who asked to be forgotten is not
 * added again: EX_DATAERR (they can still sign or subscribe by mail themselves). An
 * unknown list is EX_NOUSER. *created TRUE for a new member; *kept (may be NULL) gets a
 * MemberKept for each list where they were left as they were (caller unrefs). The caller
 * holds the transaction. Returns the id or 0.
 */
gint64 member_add(PmDb *db, const PmConfig *cfg, const PmSecret *key, const char *email,
		  const char *name, const char *postcode, const char *district,
		  const char *lang, char *const *lists, gboolean *created, GPtrArray **kept, GError **error);

#endif
