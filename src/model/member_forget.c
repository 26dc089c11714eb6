/*
 * member_forget.c - forgetting a person: each table's owner erases its part, in one
 * transaction (the caller's).
 *
 * The inbound log goes first: it finds the originals of the member's stories through
 * stories.inbound_id, which the later steps keep. The outbox cancels waiting mail before
 * it drops messages and addresses. The member row goes last but one, then the anonymous
 * event and the suppression.
 *
 * DIAGNOSTICS: EX_NOUSER for an unknown member; database errors as db.c maps them.
 */
#include "model/bounce_score.h"
#include "model/events.h"
#include "model/inbound_log.h"
#include "model/list.h"
#include "model/member.h"
#include "model/member_forget.h"
#include "model/outbox.h"
#include "model/signature.h"
#include "model/story.h"
#include "model/petition_update.h"
#include "model/suppression.h"
#include "base/pm.h"

/* member_forget - erase personal data, keep anonymous counts */
gboolean member_forget(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
		       GError **error)
{
	Member *m = member_need_id(db, id, error);
	const char *email, *address;
	gint64 now = pm_now();
	gboolean ok;

	if (m == NULL)
		return FALSE;
	email = m->email ? m->email : "";
	address = member_address(m) ? member_address(m) : "";
	ok = inbound_log_forget_member(db, cfg, id, email, address, error) &&
	     story_forget_member(db, id, now, error) &&
	     petition_update_forget_member(db, id, now, error) &&
	     signature_forget_member(db, id, error) &&
	     outbox_forget_member(db, cfg, id, email, address, now, error) &&
	     bounce_forget_member(db, id, error) &&
	     subscription_forget_member(db, id, now, error) &&
	     member_erase(db, id, now, error) &&
	     events_add(db, "forgotten", 0, now, error) &&
	     (m->email == NULL || suppression_add(db, key, m->email, "forgotten", now, error));
	member_free(m);
	return ok;
}

/* member_forget_address - forget the member with this address */
gint64 member_forget_address(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			     const char *email, GError **error)
{
	Member *m = member_need(db, cfg, email, error);
	gint64 id = m && member_forget(db, cfg, key, m->id, error) ? m->id : 0;

	member_free(m);
	return id;
}
