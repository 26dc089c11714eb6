/*
 * member_add.c - the organizer's add: the member, then each list.
 *
 * DIAGNOSTICS: EX_DATAERR for an address that is none or that asked to be forgotten,
 * EX_NOUSER for an unknown list; database errors as db.c maps them.
 */
#include <sysexits.h>
#include "model/member.h"
#include "model/member_add.h"
#include "base/pm.h"

/* kept_free - a MemberKept */
static void kept_free(gpointer p)
{
	MemberKept *k = p;

	g_free(k->list);
	g_free(k);
}

/* member_add - the organizer's add */
gint64 member_add(PmDb *db, const PmConfig *cfg, const PmSecret *key, const char *email,
		  const char *name, const char *postcode, const char *district,
		  const char *lang, char *const *lists, gboolean *created, GPtrArray **kept, GError **error)
{
	gboolean suppressed = FALSE;
	gint64 id;

	*created = FALSE;
	if (kept)
		*kept = g_ptr_array_new_with_free_func(kept_free);
	if (!member_suppressed(db, cfg, key, email, &suppressed, error))
		return 0;
	if (suppressed) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s asked to be forgotten: not added again "
			    "(they can still sign or subscribe by mail themselves)", email);
		return 0;
	}
	id = member_upsert_ex(db, cfg, email, name, postcode, district, TRUE, created, error);
	if (id && lang &&
	    !member_set_lang(db, id, g_ascii_strcasecmp(lang, "none") == 0 ? NULL : lang, TRUE,
			     NULL, error))
		id = 0;
	for (int i = 0; id && lists && lists[i]; i++) {
		List *l = list_need(db, cfg, lists[i], error);
		SubscriptionStatus status = SUBSCRIPTION_STATUS_NONE;

		if (l == NULL || !subscription_add_by_organizer(db, l->id, id, &status, error))
			id = 0;
		else if (status != SUBSCRIPTION_STATUS_NONE && kept) {
			MemberKept *k = g_new0(MemberKept, 1);

			k->list = g_strdup(l->name);
			k->status = status;
			g_ptr_array_add(*kept, k);
		}
		list_free(l);
	}
	return id;
}
