/*
 * story_news.c - the author's note and the organizers' notice after a moderation
 * (story_news.h).
 */
#include "mail/compose.h"
#include "model/member.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "produce/notify.h"
#include "produce/story_news.h"

/* tell_author - the approved story's author hears it will be shared (d borrowed) */
static gboolean tell_author(PmDb *db, const PmConfig *cfg, JsonObject *d, const Member *mb,
			    GError **error)
{
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	JsonNode *n = json_node_init_object(json_node_alloc(), d);
	GBytes *msg;
	gboolean ok;

	json_object_set_member(d, "member", member_to_json(mb));
	o.to = mb->email;
	o.to_name = mb->name;
	o.auto_generated = TRUE;
	msg = compose_message(cfg, "story_approved", n, &o, error);
	json_node_unref(n);
	if (msg == NULL)
		return FALSE;
	item.kind = OUTBOX_RESPONSE;
	item.member_id = mb->id;
	item.recipient = mb->email;
	item.message = msg;
	ok = outbox_enqueue(db, &item, error) > 0;
	g_bytes_unref(msg);
	return ok;
}

/* story_news_moderate - moderate, then tell the author (approved) and the organizers */
gboolean story_news_moderate(PmDb *db, const PmConfig *cfg, gint64 id, StoryStatus status,
			      const char *by, guint *queued, GError **error)
{
	gint64 pid = 0, mid = 0;
	Petition *p = NULL;
	Member *mb = NULL;
	JsonObject *d = NULL, *st;
	JsonNode *n = NULL;
	Notice notice = { "story_moderated", NULL, NULL, id, NULL, NULL, NULL };
	guint told = 0, author = 0;
	gboolean ok = FALSE;
	GError *e = NULL;

	if (!story_moderate(db, id, status, error) || !story_owner(db, id, &pid, &mid, error))
		return FALSE;
	if ((pid && (p = petition_get(db, pid, &e)) == NULL && e) ||
	    (mid && (mb = member_get(db, mid, &e)) == NULL && e)) {
		g_propagate_error(error, e);
		goto out;
	}
	d = json_object_new();
	st = json_object_new();
	json_object_set_int_member(st, "id", id);
	json_object_set_string_member(st, "status", story_status_name(status));
	json_object_set_boolean_member(st, "approved", status == STORY_STATUS_APPROVED);
	json_object_set_string_member(st, "author", mb && mb->name && *mb->name ? mb->name :
				      mb && mb->email ? mb->email : "(forgotten)");
	json_object_set_object_member(d, "story", st);
	json_object_set_string_member(d, "by", by ? by : "the command line");
	if (p)
		json_object_set_member(d, "petition", petition_to_json(db, cfg, p));
	n = json_node_init_object(json_node_alloc(), d);
	notice.data = n;
	if (!notify_organizers(db, cfg, &notice, &told, error))
		goto out;
	if (status == STORY_STATUS_APPROVED && mb && mb->email) {
		if (!tell_author(db, cfg, d, mb, error))
			goto out;
		author = 1;
	}
	ok = TRUE;
out:
	if (queued)
		*queued = told + author;
	if (n)
		json_node_unref(n);
	if (d)
		json_object_unref(d);
	member_free(mb);
	petition_free(p);
	return ok;
}
