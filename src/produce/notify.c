/*
 * notify.c - telling the organizers (notify.h): one auto-generated copy per organizer,
 * queued as an outbox notice in the caller's transaction.
 */
#include "mail/address.h"
#include "mail/compose.h"
#include "model/member.h"
#include "model/organizer.h"
#include "model/outbox.h"
#include "produce/notify.h"

/* copy_clear - free what a hook put in copy */
static void copy_clear(NotifyCopy *copy)
{
	g_free(copy->to_name);
	g_free(copy->reply_to);
	if (copy->data)
		json_node_unref(copy->data);
}

/* send_copy - compose and queue one organizer's copy */
static gboolean send_copy(PmDb *db, const PmConfig *cfg, const Notice *n, const NotifyCopy *c,
			  GError **error)
{
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	GBytes *msg;
	gboolean ok;

	o.to = c->to;
	o.to_name = c->to_name;
	o.reply_to = c->reply_to ? c->reply_to : n->reply_to;
	o.auto_generated = TRUE;
	msg = compose_message(cfg, n->template_name, c->data ? c->data : n->data, &o, error);
	if (msg == NULL)
		return FALSE;
	item.kind = OUTBOX_NOTICE;
	item.ref_id = n->ref_id;
	item.member_id = c->member_id;
	item.recipient = c->to;
	item.message = msg;
	ok = outbox_enqueue(db, &item, error) > 0;
	g_bytes_unref(msg);
	return ok;
}

/* notify_mailbox - the original, attached, to the organizers' mailbox */
gboolean notify_mailbox(PmDb *db, const PmConfig *cfg, const char *template_name,
			JsonNode *data, const char *reply_to, GBytes *original, gboolean *sent,
			GError **error)
{
	ComposeAttachment att = { "original.eml", "message/rfc822", original };
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	GBytes *msg;
	gboolean ok;

	*sent = FALSE;
	if (cfg->organizers_mailbox == NULL)
		return TRUE;
	o.to = cfg->organizers_mailbox;
	o.reply_to = reply_to;
	o.auto_generated = TRUE;
	o.attachments = &att;
	o.n_attachments = original ? 1 : 0;
	msg = compose_message(cfg, template_name, data, &o, error);
	if (msg == NULL)
		return FALSE;
	item.kind = OUTBOX_NOTICE;
	item.recipient = cfg->organizers_mailbox;
	item.message = msg;
	ok = outbox_enqueue(db, &item, error) > 0;
	g_bytes_unref(msg);
	*sent = ok;
	return ok;
}

/* notify_organizers - every organizer of n->list, one copy each */
gboolean notify_organizers(PmDb *db, const PmConfig *cfg, const Notice *n, guint *told,
			   GError **error)
{
	GPtrArray *to = organizer_list(cfg, n->list);
	gboolean ok = TRUE;
	guint sent = 0;

	for (guint i = 0; ok && i < to->len; i++) {
		NotifyCopy c = { g_ptr_array_index(to, i), 0, NULL, NULL, NULL };

		ok = (n->each == NULL || n->each(&c, n->user, error)) &&
		     send_copy(db, cfg, n, &c, error);
		if (ok)
			sent++;
		copy_clear(&c);
	}
	g_ptr_array_unref(to);
	if (told)
		*told = sent;
	return ok;
}

gboolean notify_decides(NotifyCopy *copy, gpointer user, GError **error)
{
	NotifyDecides *nd = user;
	gint64 oid = member_upsert(nd->db, nd->cfg, copy->to, NULL, NULL, NULL, FALSE, error);
	Token t = { nd->purpose, nd->object, oid, 0 };
	GList *names;
	JsonObject *d;
	char *text;

	if (oid == 0)
		return FALSE;
	text = token_encode(nd->key, &t);
	copy->member_id = oid;
	copy->reply_to = address_make(nd->cfg, nd->keyword, NULL, text);
	g_free(text);
	/* a copy of the notice's members (json_node_copy shares what is below them) */
	d = json_object_new();
	names = json_object_get_members(nd->data);
	for (GList *l = names; l; l = l->next)
		json_object_set_member(d, l->data,
				       json_node_copy(json_object_get_member(nd->data, l->data)));
	g_list_free(names);
	json_object_set_string_member(d, "organizer", copy->to);
	json_object_set_string_member(d, "reply_address", copy->reply_to);
	copy->data = json_node_init_object(json_node_alloc(), d);
	json_object_unref(d);
	return TRUE;
}
