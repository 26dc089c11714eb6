/*
 * list.h - lists and subscriptions, in SQL.
 *
 * Owns: the lists and subscriptions tables (every write to them is here). Lists come
 * from `peermail list create` or from the configuration's list sections (created in the
 * database the first time they are looked up). Subscription states: pending, active,
 * unsubscribed, bouncing; only active members of active status get list mail.
 * Not: members (member), what a bounce or complaint decides (bounce_score).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_LIST_H
#define PM_LIST_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"

/* A subscription's status, stored as its name (subscription_status_name) */
typedef enum {
	SUBSCRIPTION_STATUS_NONE = -1,  /* no row: never subscribed (never stored) */
	SUBSCRIPTION_STATUS_PENDING,
	SUBSCRIPTION_STATUS_ACTIVE,
	SUBSCRIPTION_STATUS_UNSUBSCRIBED,
	SUBSCRIPTION_STATUS_BOUNCING
} SubscriptionStatus;

/* subscription_status_name - "pending", "active", ...: the name stored and printed (NULL
 * for SUBSCRIPTION_STATUS_NONE) */
const char *subscription_status_name(SubscriptionStatus status);

/* subscription_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean subscription_status_parse(const char *s, SubscriptionStatus *status);

typedef struct {
	gint64 id;
	char *name;
	char *title;
	char *mode;         /* announce, discussion */
} List;

/* list_find - list by name (case-insensitive); a configured list is created on first use.
 * NULL (no error) when there is no such list. Caller frees with list_free. */
List *list_find(PmDb *db, const PmConfig *cfg, const char *name, GError **error);

/* list_need - list_find, but absent is an EX_NOUSER error "unknown list 'NAME'" (the one
 * message for it). For writers: a configured list is created. */
List *list_need(PmDb *db, const PmConfig *cfg, const char *name, GError **error);

/* list_need_view - list_need for readers: never writes. A configured list that is not in
 * the database yet comes back as it would be created, with id 0 (no members). */
List *list_need_view(PmDb *db, const PmConfig *cfg, const char *name, GError **error);

/* list_all_view - every list by name (List*, the array frees them), with the configured
 * ones not in the database yet (id 0; cfg NULL: none); never writes */
GPtrArray *list_all_view(PmDb *db, const PmConfig *cfg, GError **error);

/* list_get - list by id; NULL when absent */
List *list_get(PmDb *db, gint64 id, GError **error);

/* list_free - destroy; returns NULL */
List *list_free(List *l);

/*
 * list_create - a new list: the name lower-cased, the title the name when none is given,
 * mode announce unless given. EX_DATAERR if the name is taken or not usable
 * (list_name_valid), EX_USAGE for a
 * mode other than announce or discussion.
 */
gint64 list_create(PmDb *db, const PmConfig *cfg, const char *name, const char *title,
		   const char *mode, GError **error);

/* list_name_valid - letters, digits, '-', '_' and '.', and NAME@domain reaches the list
 * (address_names_list: no keyword, help, start, address for people or From mailbox) */
gboolean list_name_valid(const PmConfig *cfg, const char *name);

/* subscription_status - the member's status on the list; SUBSCRIPTION_STATUS_NONE when
 * there is none (or on error, with error set) */
SubscriptionStatus subscription_status(PmDb *db, gint64 list_id, gint64 member_id,
				       GError **error);

/* subscription_set - create or change a subscription */
gboolean subscription_set(PmDb *db, gint64 list_id, gint64 member_id,
			  SubscriptionStatus status, GError **error);

/* subscription_mark_bouncing - member_id's active subscriptions become 'bouncing' (a
 * member disabled by bounces) */
gboolean subscription_mark_bouncing(PmDb *db, gint64 member_id, gint64 now, GError **error);

/* subscription_unsubscribe_all - member_id's subscriptions not unsubscribed already
 * become so (a complaint) */
gboolean subscription_unsubscribe_all(PmDb *db, gint64 member_id, gint64 now, GError **error);

/* subscription_forget_member - the part of forgetting member_id held here: every one of
 * their subscriptions is 'unsubscribed' as of now. The caller holds the transaction. */
gboolean subscription_forget_member(PmDb *db, gint64 member_id, gint64 now, GError **error);

/* subscription_count_active - the active subscriptions of list_id into *count */
gboolean subscription_count_active(PmDb *db, gint64 list_id, gint64 *count, GError **error);

/* list_all - every list in the database, by name (List*, the array frees them); NULL
 * with error on failure */
GPtrArray *list_all(PmDb *db, GError **error);

/*
 * subscription_add_by_organizer - an organizer subscribes member_id to list_id (the
 * organizer's add is the consent record): a new or pending subscription becomes active;
 * an unsubscribed or bouncing one is left as it is, because resubscribing needs the
 * member's own confirmation by mail: its status goes to *kept (SUBSCRIPTION_STATUS_NONE
 * when the member is active on the list now).
 */
gboolean subscription_add_by_organizer(PmDb *db, gint64 list_id, gint64 member_id,
				       SubscriptionStatus *kept, GError **error);

/* list_counts - members by state: active, pending, unsubscribed, bouncing */
gboolean list_counts(PmDb *db, gint64 list_id, gint64 *active, gint64 *pending,
		     gint64 *unsubscribed, gint64 *bouncing, GError **error);

/* list_to_json - template data {name, title, address, members} */
JsonNode *list_to_json(const PmConfig *cfg, const List *l, gint64 members);

#endif
