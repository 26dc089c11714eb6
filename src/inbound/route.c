/*
 * route.c - what each peermail address does with a message.
 *
 * Rules that keep members in charge of their own name:
 * - A token is the proof of having read the mail it was sent in, and it names its member:
 *   whatever a token does, it does for the token's member, never for the From: address.
 * - A reply to a personal sign+SLUG+TOKEN address confirms a signature only when From:
 *   normalizes to the token's member; from any other address (a forwarded announcement)
 *   it makes the member's signature pending and sends the member, at the member's own
 *   address, a confirmation request. Nobody signs for anyone else without that reply.
 * - Mail without a token (sign+SLUG, LIST+subscribe) only ever creates pending state for
 *   the From: address, and asks that address to confirm by reply. Over a signing limit
 *   (model/fraud) the signature is held as suspect instead: recorded, asked the same way,
 *   not counted until an organizer clears it.
 * - Mail without a token never changes a stored setting of a member who was there before
 *   (help@ and sign+SLUG can be written in anyone's name): `language fr` to help@ sends a
 *   confirmation to the member's own address and only their reply to its one-time
 *   language+TOKEN sets it (do_language); the language of a sign+SLUG mail answers it and
 *   is stored only for a member that mail created; its From: name is never stored, not
 *   even for a member it creates (an empty name is filled from the member's own reply to
 *   a token: adopt_name), so a forger's text never names anyone; "stop" to help@ is
 *   confirmed by reply (bye+TOKEN) the same way.
 * - The postcode typed on the web sign form (given_postcode) waits with the pending
 *   signature that form made (never replacing one); the confirmation request shows it,
 *   and the member gets it (and so a district) only by confirming that signature
 *   (adopt_postcode).
 * - Auto-replies are recorded as ignored and never answered. The daily response limit
 *   (limits.max_responses_per_day per address, respond() below) counts only automatic
 *   responses the person did not ask for: an answer to mail whose From: is the person and
 *   whose token names them (a reply to mail we sent only to them: join+, bye+, confirm+,
 *   their own sign+ address, moderate+, broadcast+) is asked for, is never capped and is
 *   stored as such (outbox.asked); anything that could be forged (mail to a public
 *   address like LIST+subscribe or sign+SLUG, or from another address) counts. Notices to
 *   organizers are not capped either. The web form's message (marked: from_web) is
 *   answered at most once a day per address. The limit holds back only the mail: what
 *   the message asked for (a pending signature) is recorded all the same, and a later
 *   request (the next day) gets the answer.
 *
 * DIAGNOSTICS: EX_NOUSER for an unknown petition, list or token (the MTA bounces with the
 * reason); EX_DATAERR for a message without a usable From: where one is needed.
 */
#include <string.h>
#include <sysexits.h>
#include "model/bounce_score.h"
#include "produce/delivery_send.h"
#include "mail/compose.h"
#include "model/delivery.h"
#include "inbound/route.h"
#include "model/list.h"
#include "base/log.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "model/signature.h"
#include "base/pm.h"
#include "model/story.h"
#include "model/organizer.h"
#include "produce/notify.h"
#include "model/token_use.h"
#include "mail/intent.h"
#include "model/events.h"
#include "base/lang.h"
#include "model/fraud.h"
#include "produce/story_news.h"
#include "base/plural.h"
#include "produce/review.h"
#include "produce/update.h"
#include "model/petition_update.h"

/* ==== Helpers ==== */

/* from_address - the From: address as the person wrote it (mail/address.h address_given),
 * else the envelope sender's; caller frees. Compare it with a member by is_member_addr:
 * members are found by the normalized key, and answered at the address as given. */
static char *from_address(InboundCtx *c)
{
	char *a = address_given(c->m->from_addr);

	if (a == NULL && c->sender && *c->sender)
		a = address_given(c->sender);
	return a;
}

/* is_member_addr - TRUE when addr normalizes to mb's key (the same person, any spelling) */
static gboolean is_member_addr(InboundCtx *c, const char *addr, const Member *mb)
{
	char *norm = address_normalize(c->cfg, addr);
	gboolean same = norm && mb && g_strcmp0(norm, mb->email) == 0;

	g_free(norm);
	return same;
}

/* mail_language - the language the mail is written in (intent_language), or NULL; the
 * phrase files are loaded here (a failure to read them only leaves it unknown) */
static const char *mail_language(InboundCtx *c)
{
	const IntentPhrases *ph = intent_phrases_shared(c->cfg->intent_phrases, NULL);

	return ph ? inbound_language(c->m, ph) : NULL;
}

/* need_from - the sender as a member, made now without a name (in the language the mail
 * is written in when with_lang: adopt_language_of_mail); one who was there before is
 * left as it is. Mail without a token can be written in anyone's name, so its From: name
 * is never stored: adopt_name takes the name from the member's own reply to a token
 * naming them. NULL with error; *created (may be NULL) TRUE when this message made the
 * member; caller frees */
static Member *need_from(InboundCtx *c, char **addr, gboolean with_lang, gboolean *created,
			 GError **error)
{
	GError *e = NULL;
	Member *mb;

	if (created)
		*created = FALSE;
	*addr = from_address(c);
	if (*addr == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "no valid sender address in From:");
		return NULL;
	}
	if ((mb = member_find(c->db, c->cfg, *addr, &e)) != NULL || e) {
		if (e)
			g_propagate_error(error, e);
		return mb;
	}
	mb = member_add_bare(c->db, c->cfg, *addr, with_lang ? mail_language(c) : NULL, error);
	if (mb && created)
		*created = TRUE;
	if (mb && mb->lang)
		log_info("member %" G_GINT64_FORMAT " writes in %s: their language now", mb->id,
			 mb->lang);
	return mb;
}

/* decode - the route's token for purpose, or FALSE with EX_NOUSER */
static gboolean decode(InboundCtx *c, TokenPurpose purpose, Token *t, GError **error)
{
	if (c->route.token == NULL) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "unknown address %s", c->recipient);
		return FALSE;
	}
	if (!token_decode(c->key, c->route.token, purpose, t, error)) {
		g_prefix_error(error, "%s: ", c->recipient);
		return FALSE;
	}
	c->token_member = t->member;
	return TRUE;
}

/* token_member - the live member a token names, or NULL with EX_NOUSER; member_free */
static Member *token_member(InboundCtx *c, const Token *t, GError **error)
{
	GError *e = NULL;
	Member *mb = member_get(c->db, t->member, &e);

	if (e) {
		g_propagate_error(error, e);
		return NULL;
	}
	if (mb == NULL || mb->email == NULL) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "%s: no such member", c->recipient);
		return member_free(mb);
	}
	return mb;
}

/* from_is - TRUE when the message's From: mailbox is mb's (as peermail wrote to it) */
static gboolean from_is(InboundCtx *c, const Member *mb)
{
	char *from = from_address(c);
	gboolean same = is_member_addr(c, from, mb);

	g_free(from);
	return same;
}

/* adopt_name - a member without a name gets the From: display name of their own reply
 * (From: is theirs) to a token naming them: the only way mail names a member, since mail
 * without a token, which anyone can write in their name, stores no name (need_from). A
 * From: name, or a name the person typed on the web's /c/TOKEN page (given_name: that
 * page is reached only from their own mail, and its token acts once), fills an empty name
 * only: a name once there came from the person or an organizer and is kept (whoever holds
 * a forwarded link cannot rename them). FALSE on a database error. */
static gboolean adopt_name(InboundCtx *c, Member *mb, GError **error)
{
	const char *name = c->m->given_name ? c->m->given_name : c->m->from_name;
	char *from, *clean;
	gboolean ok;

	if (mb == NULL || (mb->name && *mb->name) || name == NULL ||
	    *name == '\0' || c->token_member != mb->id || !from_is(c, mb))
		return TRUE;
	from = from_address(c);
	ok = member_upsert(c->db, c->cfg, from, name, NULL, NULL, FALSE, error) != 0;
	g_free(from);
	if (ok && (clean = pm_clean_name(name)) != NULL) {
		g_free(mb->name);
		mb->name = clean;
	}
	return ok;
}

/* adopt_postcode - the member's postcode (and so district) comes only from their own act:
 * the postcode typed on the web sign form is kept with the pending signature (sig) and
 * given to the member when the signature's own member confirms it, filling an empty one
 * (an existing member's is left alone, as before). Called only after a confirmation.
 * FALSE on a database error. */
static gboolean adopt_postcode(InboundCtx *c, const Member *mb, gint64 sig, GError **error)
{
	char *postcode = NULL;
	gboolean ok = signature_take_postcode(c->db, sig, &postcode, error) &&
		      (postcode == NULL || *postcode == '\0' ||
		       member_upsert(c->db, c->cfg, mb->email, NULL, postcode, NULL, FALSE,
				     error) != 0);

	g_free(postcode);
	return ok;
}

/* token_used - TRUE (result "used", nothing done) when this one-time token acted before;
 * else records its use in this transaction. FALSE in *ok on a database failure. */
static gboolean token_used(InboundCtx *c, TokenPurpose purpose, gboolean *ok, GError **error)
{
	gboolean first = FALSE;

	*ok = token_use_claim(c->db, c->key, purpose, c->route.token, pm_now(), &first, error);
	if (*ok && !first) {
		log_info("one-time %s token used before: nothing done", c->route.keyword);
		c->result = "used";
	}
	return !*ok || !first;
}

/* token_text - a token for purpose/object/member, expiring after confirm_days if asked */
static char *token_address(InboundCtx *c, const char *keyword, const char *arg,
			   TokenPurpose purpose, gint64 object, gint64 member, gboolean expires)
{
	Token t = { purpose, object, member,
		    expires ? pm_now() + (gint64)c->cfg->confirm_days * 86400 : 0 };
	/* one-time tokens (the expiring ones) are unique per issue: each is used once */
	char *text = token_encode_once(c->key, &t, expires ? g_random_int() | 1u : 0);
	char *addr = address_make(c->cfg, keyword, arg, text);

	g_free(text);
	return addr;
}

/* data_new - template data every response gets: member, domain, help address; caller unrefs */
static JsonObject *data_new(InboundCtx *c, const Member *to)
{
	JsonObject *o = json_object_new();
	char *help = address_make(c->cfg, "help", NULL, NULL);

	json_object_set_member(o, "member", member_to_json(to));
	json_object_set_string_member(o, "domain", c->cfg->domain);
	json_object_set_string_member(o, "help_address", help);
	json_object_set_string_member(o, "subject", c->m->subject ? c->m->subject : "");
	g_free(help);
	return o;
}

/* asked_by - TRUE when this message is to's own act: From: is to's address and the
 * message's verified token names to (the one home of "asked for" in the daily limit) */
static gboolean asked_by(InboundCtx *c, const Member *to)
{
	return c->token_member != 0 && to->id == c->token_member && from_is(c, to);
}

/* from_web - TRUE when the message is the web face's own (its mark: inbound_web_mark) */
static gboolean from_web(InboundCtx *c)
{
	return inbound_is_web(c->key, inbound_web_source(c->m), inbound_message_id_raw(c->m));
}

/*
 * respond - compose template tmpl for to and queue it in this transaction. data is
 * consumed. kind OUTBOX_RESPONSE is an answer to this message (Auto-Submitted:
 * auto-replied; the daily cap unless to asked for it, see the header);
 * OUTBOX_NOTICE goes to organizers (auto-generated, no cap).
 */
static gboolean respond(InboundCtx *c, const char *tmpl, const Member *to, const char *reply_to,
			JsonObject *data, OutboxKind kind, GError **error)
{
	ComposeOpts o = { 0 };
	OutboxItem item = { 0 };
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	GBytes *msg;
	char *key = NULL;
	gboolean ok = FALSE;

	json_node_take_object(node, data);
	if (reply_to) {
		json_object_set_string_member(data, "reply_address", reply_to);
		json_object_set_string_member(data, "confirm_address", reply_to);
	}
	item.asked = kind == OUTBOX_RESPONSE && asked_by(c, to);
	if (kind == OUTBOX_RESPONSE)    /* the limit counts the person, not the spelling */
		item.recipient_key = key = address_normalize(c->cfg, member_address(to));
	if (kind == OUTBOX_RESPONSE && !item.asked) {
		gint64 today = 0;
		/* the web form, where anyone types anyone's address, mails an address at most
		 * once a day; the state it asks for is recorded all the same (the caller's) */
		int cap = from_web(c) ? MIN(c->cfg->max_responses_per_day, 1)
				      : c->cfg->max_responses_per_day;

		if (!outbox_responses_today(c->db, key, &today, error))
			goto out;
		if (today >= cap) {
			char *shown = address_redact(member_address(to));

			log_info("no %s to %s: %d automatic responses today already", tmpl,
				 shown, (int)today);
			g_free(shown);
			c->result = "limited";
			ok = TRUE;
			goto out;
		}
	}
	o.to = member_address(to);
	o.to_name = to->name;
	o.lang = to->lang;
	o.reply_to = reply_to;
	o.in_reply_to = kind == OUTBOX_RESPONSE ? c->m->message_id : NULL;
	o.auto_reply = kind == OUTBOX_RESPONSE;
	o.auto_generated = kind != OUTBOX_RESPONSE;
	msg = compose_message(c->cfg, tmpl, node, &o, error);
	if (msg == NULL)
		goto out;
	item.kind = kind;
	item.member_id = to->id;
	item.recipient = member_address(to);
	item.message = msg;
	ok = outbox_enqueue(c->db, &item, error) != 0;
	g_bytes_unref(msg);
	if (ok)
		c->responses++;
out:
	g_free(key);
	json_node_unref(node);
	return ok;
}

/* stranger - a Member for someone we answer without recording them (borrowed strings;
 * addr as given: only member_address is read) */
static Member stranger(const char *addr, const char *name)
{
	Member m = { 0 };

	m.email = (char *)addr;
	m.name = (char *)name;
	return m;
}

/* data_lang - the language of the member data_new put in o ("" or none: NULL) */
static const char *data_lang(JsonObject *o)
{
	JsonObject *m = json_object_has_member(o, "member") ?
			json_object_get_object_member(o, "member") : NULL;
	const char *l = m && json_object_has_member(m, "lang") ?
			json_object_get_string_member(m, "lang") : NULL;

	return l && *l ? l : NULL;
}

/* with_petition - add petition data, in the plural forms of o's member's language;
 * returns o */
static JsonObject *with_petition(InboundCtx *c, JsonObject *o, const Petition *p)
{
	json_object_set_member(o, "petition", petition_to_json_in(c->db, c->cfg, p, data_lang(o)));
	return o;
}

/* with_list - add list data; returns o */
static JsonObject *with_list(InboundCtx *c, JsonObject *o, const List *l)
{
	gint64 active = 0, pending, unsubscribed, bouncing;

	list_counts(c->db, l->id, &active, &pending, &unsubscribed, &bouncing, NULL);
	json_object_set_member(o, "list", list_to_json(c->cfg, l, active));
	return o;
}

/* find_petition - by slug, or EX_NOUSER naming it */
static Petition *find_petition(InboundCtx *c, const char *slug, GError **error)
{
	return petition_need(c->db, slug, error);
}

/* find_list - by name, or EX_NOUSER naming it */
static List *find_list(InboundCtx *c, const char *name, GError **error)
{
	return list_need(c->db, c->cfg, name, error);
}

/* follow_address - the way back to a petition's updates, by the signer's own act: a
 * one-time follow+TOKEN naming member (do_follow), offered only in mail to the member's
 * own address (the one place it is minted); caller frees */
static char *follow_address(InboundCtx *c, gint64 petition, gint64 member)
{
	Token ft = { TOKEN_FOLLOW, petition, member, 0 };
	char *text = token_encode_once(c->key, &ft, g_random_int() | 1u);
	char *addr = address_make(c->cfg, "follow", NULL, text);

	g_free(text);
	return addr;
}

/* ==== Signatures ==== */

/* ask_confirm - a confirmation request for pending signature sig of mb */
static gboolean ask_confirm(InboundCtx *c, const Petition *p, const Member *mb, gint64 sig,
			    GError **error)
{
	char *reply = token_address(c, "confirm", NULL, TOKEN_CONFIRM, sig, mb->id, TRUE);
	JsonObject *d = with_petition(c, data_new(c, mb), p);
	char *postcode = NULL;
	gboolean ok;

	/* a postcode kept with the signature is shown: confirming takes it (adopt_postcode) */
	if (!signature_kept_postcode(c->db, sig, &postcode, error)) {
		json_object_unref(d);
		g_free(reply);
		return FALSE;
	}
	if (postcode)
		json_object_set_string_member(d, "postcode", postcode);
	g_free(postcode);
	json_object_set_string_member(d, "sign_address", reply);
	if (c->cfg->base_url) {
		/* the same token as a link to the web's confirmation page (/c/TOKEN) */
		Route r = { 0 };

		address_route(c->cfg, reply, &r);
		if (r.token) {
			char *url = g_strdup_printf("%s/c/%s", c->cfg->base_url, r.token);

			json_object_set_string_member(d, "confirm_url", url);
			g_free(url);
		}
		route_clear(&r);
	}
	ok = respond(c, "confirm_sign", mb, reply, d, OUTBOX_RESPONSE, error);
	g_free(reply);
	return ok;
}

/* answer_signed - the thank-you, or the 'already signed' note at most once; web TRUE: the
 * note every time (within the daily limit), since the web page must answer an address
 * that signed exactly as a new one ("check your mail": web.c) and the mail is what tells
 * the person */
static gboolean answer_signed(InboundCtx *c, const Petition *p, const Member *mb, gint64 sig,
			      SignResult res, gboolean web, GError **error)
{
	gboolean first = FALSE;

	if (res != SIGN_ALREADY) {
		/* a reply to the thank-you comes back to the sign address: "remove my
		 * signature" there withdraws (answer_intent) */
		char *sign = token_address(c, "sign", p->slug, TOKEN_SIGN, p->id, mb->id, FALSE);
		gboolean ok = respond(c, "signed", mb, sign, with_petition(c, data_new(c, mb), p),
				      OUTBOX_RESPONSE, error);

		c->result = "confirmed";
		g_free(sign);
		return ok;
	}
	c->result = "already";
	if (!signature_note_already(c->db, sig, &first, error))
		return FALSE;
	return !(first || web) || respond(c, "already_signed", mb, NULL,
				 with_petition(c, data_new(c, mb), p), OUTBOX_RESPONSE, error);
}

/* closed - answer that petition p is closed; nothing else is recorded */
static gboolean closed(InboundCtx *c, const Petition *p, const Member *to, GError **error)
{
	JsonObject *d = with_petition(c, data_new(c, to), p);

	/* started by mail and not published (yet, or ever): not open, rather than closed */
	json_object_set_boolean_member(d, "unpublished", !petition_is_published(p));
	c->result = "closed";
	return respond(c, "petition_closed", to, NULL, d, OUTBOX_RESPONSE, error);
}

/* ==== What a reply means ==== */

/*
 * adopt_language - a member without a language gets the one their own mail (From: is
 * them) is written in, when the phrase files recognise it with confidence
 * (intent_language); mb->lang follows, so the answer to this very mail is in it. An
 * organizer's or the member's own choice (`language fr` to help@) is never replaced.
 */
static gboolean adopt_language(InboundCtx *c, Member *mb, const IntentPhrases *ph,
			       GError **error)
{
	char *lang;
	gboolean ok = TRUE, changed = FALSE;

	if (mb == NULL || mb->lang || ph == NULL || !from_is(c, mb))
		return TRUE;
	lang = g_strdup(inbound_language(c->m, ph));
	if (lang && (ok = member_set_lang(c->db, mb->id, lang, FALSE, &changed, error)) &&
	    changed) {
		log_info("member %" G_GINT64_FORMAT " writes in %s: their language now", mb->id,
			 lang);
		mb->lang = lang;
		lang = NULL;
	}
	g_free(lang);
	return ok;
}

/* adopt_language_of_mail - for mail without a token (sign+SLUG), which anyone can write
 * in a member's name: the answer is in the language it is written in, but it is stored
 * only for a member this very message made (made: need_from stored it with the member),
 * never for one who was there before (their own reply to the confirmation adopts it) */
static void adopt_language_of_mail(InboundCtx *c, Member *mb, gboolean made)
{
	if (mb == NULL || mb->lang || made || !from_is(c, mb))
		return;
	mb->lang = g_strdup(mail_language(c));
}

/* read_intent - what the visible reply means (mail/intent.h), and the language of mb
 * (may be NULL) when it has none (adopt_language); FALSE with EX_TEMPFAIL when the phrase
 * files cannot be read, so the MTA keeps the message and retries */
static gboolean read_intent(InboundCtx *c, Member *mb, IntentReading *r, GError **error)
{
	GError *e = NULL;
	const IntentPhrases *ph = intent_phrases_shared(c->cfg->intent_phrases, &e);

	if (ph == NULL) {
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "%s", e->message);
		g_error_free(e);
		return FALSE;
	}
	{
		const IntentReading *read = inbound_intent(c->m, ph);

		r->intent = read->intent;
		r->phrase = g_strdup(read->phrase);
		r->lang = g_strdup(read->lang);
	}
	if (!adopt_language(c, mb, ph, error))
		return FALSE;
	log_info("reply read as %s by \"%s\"%s%s", intent_name(r->intent), r->phrase,
		 r->lang ? " in " : "", r->lang ? r->lang : "");
	return TRUE;
}

/* ask_organizers - forward a question about p to the organizers (Reply-To: the asker) and
 * tell the asker, with how to sign (reply to the address they wrote to) */
static gboolean ask_organizers(InboundCtx *c, const Petition *p, const Member *asker,
			       GError **error)
{
	JsonObject *d = with_petition(c, data_new(c, asker), p);
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);
	Notice notice = { "reply_question", n, NULL, p->id, member_address(asker), NULL, NULL };
	gboolean ok;

	json_object_set_string_member(d, "text", inbound_reply_text(c->m));
	json_node_take_object(n, d);
	c->keep_raw = TRUE;
	c->result = "forwarded";
	ok = notify_organizers(c->db, c->cfg, &notice, NULL, error);
	json_node_unref(n);
	if (!ok)
		return FALSE;
	d = with_petition(c, data_new(c, asker), p);
	json_object_set_string_member(d, "sign_address", c->recipient);
	return respond(c, "reply_question_ack", asker, NULL, d, OUTBOX_RESPONSE, error);
}

/* leave_petition_list - mb, at their own address, asked to stop the mail a petition mail
 * came from (the token names p): no more updates about p (their signature still counts),
 * and the list too when the newest copy about p they got was a list's newsletter; lists
 * are not touched otherwise. The answer says what happened. */
static gboolean leave_petition_list(InboundCtx *c, const Petition *p, const Member *mb,
				    GError **error)
{
	gint64 list_id = 0;
	List *l = NULL;
	GError *e = NULL;
	WithdrawResult w;
	gboolean stopped = FALSE, is_signed = FALSE, ok;
	JsonObject *d;
	char *follow = NULL;

	if (!signature_withdraw(c->db, p->id, mb->id, TRUE, &w, error) ||
	    !newsletter_list_of_petition_mail(c->db, p->id, mb->id, &list_id, error) ||
	    !signature_stop_updates(c->db, p->id, mb->id, pm_now(), &stopped, error) ||
	    !signature_exists(c->db, p->id, mb->id, &is_signed, error))
		return FALSE;
	if (list_id && (l = list_get(c->db, list_id, &e)) == NULL && e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	ok = l == NULL ||
	     subscription_set(c->db, l->id, mb->id, SUBSCRIPTION_STATUS_UNSUBSCRIBED, error);
	if (ok) {
		d = with_petition(c, data_new(c, mb), p);
		if (l) {
			char *again = address_make(c->cfg, l->name, "subscribe", NULL);

			with_list(c, d, l);
			json_object_set_string_member(d, "subscribe_address", again);
			g_free(again);
		}
		json_object_set_boolean_member(d, "updates_stopped", stopped || is_signed);
		json_object_set_boolean_member(d, "signed", is_signed);
		if (is_signed) {
			follow = follow_address(c, p->id, mb->id);
			json_object_set_string_member(d, "follow_address", follow);
		}
		c->result = l ? "unsubscribed" : "unfollowed";
		ok = respond(c, "reply_unsubscribed", mb, NULL, d, OUTBOX_RESPONSE, error);
	}
	g_free(follow);
	list_free(l);
	return ok;
}

/* decline_or_withdraw - no signature of mb on p: a pending one goes, a confirmed one not
 * yet delivered goes; the reply is counted and acknowledged */
static gboolean decline_or_withdraw(InboundCtx *c, const Petition *p, const Member *mb,
				    GError **error)
{
	WithdrawResult w;
	JsonObject *d;

	if (!signature_withdraw(c->db, p->id, mb->id, FALSE, &w, error))
		return FALSE;
	if (w == WITHDRAW_NONE || w == WITHDRAW_PENDING) {
		c->result = "declined";
		return events_add(c->db, "reply-declined", p->id, pm_now(), error) &&
		       respond(c, "reply_declined", mb, NULL, with_petition(c, data_new(c, mb), p),
			       OUTBOX_RESPONSE, error);
	}
	c->result = w == WITHDRAW_DONE ? "withdrawn" : "withdraw-late";
	d = with_petition(c, data_new(c, mb), p);
	json_object_set_boolean_member(d, "delivered", w == WITHDRAW_DELIVERED);
	return (w != WITHDRAW_DONE ||
		events_add(c->db, "signature-withdrawn", p->id, pm_now(), error)) &&
	       respond(c, "signature_withdrawn", mb, NULL, d, OUTBOX_RESPONSE, error);
}

/*
 * answer_intent - a reply about p that does not sign (r says what it means), by the token's
 * member mb. Only mb's own address (own) can unsubscribe mb or withdraw mb's signature;
 * from another address the reply signs nothing and is answered at that address.
 */
static gboolean answer_intent(InboundCtx *c, const Petition *p, const Member *mb,
			      gboolean own, const IntentReading *r, GError **error)
{
	char *from = NULL;
	gboolean ok;
	Member s;

	if (own) {
		switch (r->intent) {
		case INTENT_QUESTION: return ask_organizers(c, p, mb, error);
		case INTENT_UNSUBSCRIBE: return leave_petition_list(c, p, mb, error);
		default: return decline_or_withdraw(c, p, mb, error);
		}
	}
	from = from_address(c);
	if (from == NULL) {
		c->result = "declined";
		return TRUE;
	}
	s = stranger(from, c->m->from_name);
	if (r->intent == INTENT_QUESTION) {
		ok = ask_organizers(c, p, &s, error);
	} else {
		c->result = "declined";
		ok = events_add(c->db, "reply-declined", p->id, pm_now(), error) &&
		     respond(c, "reply_declined", &s, NULL, with_petition(c, data_new(c, &s), p),
			     OUTBOX_RESPONSE, error);
	}
	g_free(from);
	return ok;
}

/* sign_pending - a pending signature of mb (new or still pending gets a request); one
 * by writing over a signing limit (model/fraud, the one rule for mail and web) is held
 * as suspect, and its signer is asked to confirm all the same */
static gboolean sign_pending(InboundCtx *c, const Petition *p, const Member *mb,
			     SignatureSource source, GError **error)
{
	SignResult res;
	FraudLimit limit = FRAUD_LIMIT_NONE;
	gboolean awaits = FALSE, ok;
	gint64 sig;

	if ((source == SIGNATURE_SOURCE_WRITING || source == SIGNATURE_SOURCE_WEB) &&
	    !fraud_sign_limited(c->db, c->cfg, p->id, mb->email, &limit, error))
		return FALSE;
	sig = limit != FRAUD_LIMIT_NONE
		? signature_add_held(c->db, p->id, mb->id, source, inbound_reply_text(c->m),
				     c->m->message_id, &res, error)
		: signature_add(c->db, p->id, mb->id, FALSE, source, inbound_reply_text(c->m),
				c->m->message_id, &res, error);
	if (sig == 0)
		return FALSE;
	/* the form's postcode waits with the signature this form made (never with one a mail
	 * or an earlier form made, never replacing one), is shown in the confirmation request
	 * and is the member's when they confirm (adopt_postcode) */
	if (source == SIGNATURE_SOURCE_WEB && res == SIGN_NEW_PENDING && c->m->given_postcode &&
	    *c->m->given_postcode &&
	    !signature_keep_postcode(c->db, sig, c->m->given_postcode, error))
		return FALSE;
	if (res == SIGN_NEW_PENDING) {
		c->result = "pending";
		if (limit != FRAUD_LIMIT_NONE) {
			log_info("petition %s: signature %" G_GINT64_FORMAT " held as suspect "
				 "(over the %s limit)", p->slug, sig, fraud_limit_name(limit));
			c->result = "held";
		}
		return ask_confirm(c, p, mb, sig, error);
	}
	if (!signature_awaits_confirmation(c->db, sig, &awaits, error))
		return FALSE;
	if (awaits) {
		c->result = "pending";
		ok = ask_confirm(c, p, mb, sig, error);
	} else {
		ok = answer_signed(c, p, mb, sig, SIGN_ALREADY,
				   source == SIGNATURE_SOURCE_WEB, error);
	}
	return ok;
}

/* do_sign_writing - mail to sign+SLUG: a pending signature for the From: address */
static gboolean do_sign_writing(InboundCtx *c, GError **error)
{
	Petition *p = find_petition(c, c->route.arg, error);
	Member *mb = NULL;
	char *addr = NULL;
	gboolean ok = FALSE, created = FALSE;

	c->action = "sign";
	if (p == NULL)
		return FALSE;
	if (!petition_is_open(p)) {
		char *a = from_address(c);
		Member s = stranger(a, c->m->from_name);

		ok = a ? closed(c, p, &s, error) : TRUE;
		g_free(a);
		petition_free(p);
		return ok;
	}
	/* the web form's message carries its mark (mail from outside cannot forge it) */
	if ((mb = need_from(c, &addr, TRUE, &created, error)) != NULL) {
		adopt_language_of_mail(c, mb, created);
		ok = sign_pending(c, p, mb, from_web(c) ? SIGNATURE_SOURCE_WEB
						    : SIGNATURE_SOURCE_WRITING, error);
	}
	member_free(mb);
	g_free(addr);
	petition_free(p);
	return ok;
}

/* slug_matches - the SLUG of keyword+SLUG+TOKEN names p, or is absent: the token names
 * the petition, and a long slug is left out of the address (mail/address.c
 * address_make keeps a local part within 64 characters) */
static gboolean slug_matches(InboundCtx *c, const Petition *p)
{
	return c->route.arg == NULL || g_ascii_strcasecmp(c->route.arg, p->slug) == 0;
}

/* sign_token_petition - the open or closed petition a sign token names, or NULL with
 * EX_NOUSER: sign+SLUG+TOKEN (a slug of another petition is refused) or sign+TOKEN */
static Petition *sign_token_petition(InboundCtx *c, const Token *t, GError **error)
{
	GError *e = NULL;
	Petition *p = petition_get(c->db, t->object, &e);

	if (e || p == NULL || !slug_matches(c, p)) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition", c->recipient);
		return petition_free(p);
	}
	return p;
}

/* do_sign_reply - a reply to a personal sign+SLUG+TOKEN address */
static gboolean do_sign_reply(InboundCtx *c, GError **error)
{
	Token t;
	Petition *p = NULL;
	Member *mb = NULL;
	char *from = NULL;
	gboolean ok = FALSE;
	IntentReading r = { 0 };

	c->action = "sign";
	if (!decode(c, TOKEN_SIGN, &t, error))
		return FALSE;
	if ((p = sign_token_petition(c, &t, error)) == NULL)
		goto out;
	if ((mb = token_member(c, &t, error)) == NULL)
		goto out;
	from = from_address(c);
	/* the meaning first: only a signing reply to a closed petition is told it is closed;
	 * "unsubscribe" stops its mail as it would for an open one */
	if (!read_intent(c, mb, &r, error))
		goto out;
	if (r.intent == INTENT_SIGN && !petition_is_open(p)) {
		ok = closed(c, p, mb, error);
	} else if (r.intent != INTENT_SIGN) {
		ok = answer_intent(c, p, mb, is_member_addr(c, from, mb), &r, error);
	} else if (is_member_addr(c, from, mb)) {
		SignResult res;
		gint64 sig = adopt_name(c, mb, error)
			? signature_add(c->db, p->id, mb->id, TRUE, SIGNATURE_SOURCE_REPLY,
					inbound_reply_text(c->m), c->m->message_id, &res, error)
			: 0;

		ok = sig != 0 && adopt_postcode(c, mb, sig, error) &&
		     answer_signed(c, p, mb, sig, res, FALSE, error);
	} else {
		/* forwarded: the member decides, at the member's own address */
		log_info("sign reply for member %" G_GINT64_FORMAT " from another address: "
			 "asking the member to confirm", mb->id);
		ok = sign_pending(c, p, mb, SIGNATURE_SOURCE_REPLY, error);
	}
out:
	intent_reading_clear(&r);
	g_free(from);
	member_free(mb);
	petition_free(p);
	return ok;
}

static gboolean start_confirm(InboundCtx *c, const Petition *p, Member *mb, gint64 sig,
			      GError **error);

/* do_confirm - a reply to confirm+TOKEN confirms that pending signature */
static gboolean do_confirm(InboundCtx *c, GError **error)
{
	Token t;
	Petition *p = NULL;
	Member *mb = NULL;
	SignatureStatus status = SIGNATURE_STATUS_PENDING;
	gint64 pid = 0, mid = 0;
	SignResult res;
	gboolean ok = FALSE;
	GError *e = NULL;
	IntentReading r = { 0 };

	c->action = "confirm";
	if (!decode(c, TOKEN_CONFIRM, &t, error))
		return FALSE;
	if (!signature_lookup(c->db, t.object, &pid, &mid, &status, &e) || mid != t.member) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: no such signature", c->recipient);
		goto out;
	}
	if ((mb = token_member(c, &t, error)) == NULL)
		goto out;
	if ((p = petition_get(c->db, pid, error)) == NULL) {
		if (error && *error == NULL)
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition", c->recipient);
		goto out;
	}
	if (petition_is_starting(p) && status == SIGNATURE_STATUS_PENDING) {
		/* its creator or a sponsor confirming a petition started by mail */
		ok = start_confirm(c, p, mb, t.object, error);
		goto out;
	}
	/* the meaning first: only a signing reply to a closed petition is told it is closed
	 * (and the token stays unused); any other answer acts as it would while open */
	if (!read_intent(c, mb, &r, error))
		goto out;
	if (r.intent == INTENT_SIGN && !petition_is_open(p) &&
	    (status == SIGNATURE_STATUS_PENDING || status == SIGNATURE_STATUS_SUSPECT)) {
		ok = closed(c, p, mb, error);
		goto out;
	}
	/* a question leaves the confirmation open; any other answer uses the token up */
	if (r.intent != INTENT_QUESTION && token_used(c, TOKEN_CONFIRM, &ok, error))
		goto out;
	if (r.intent != INTENT_SIGN) {
		char *from = from_address(c);

		ok = answer_intent(c, p, mb, is_member_addr(c, from, mb), &r, error);
		g_free(from);
		goto out;
	}
	ok = adopt_name(c, mb, error) &&
	     signature_confirm(c->db, t.object, mb->id, inbound_reply_text(c->m), &res, &pid,
			       error) &&
	     adopt_postcode(c, mb, t.object, error) &&
	     answer_signed(c, p, mb, t.object, res, FALSE, error);
out:
	intent_reading_clear(&r);
	member_free(mb);
	petition_free(p);
	return ok;
}

/* ==== Stories ==== */

/* story_data - template data about a story; caller unrefs */
static JsonNode *story_data(InboundCtx *c, gint64 id, const Member *author)
{
	JsonObject *o = json_object_new();
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);

	json_object_set_int_member(o, "id", id);
	json_object_set_string_member(o, "subject", c->m->subject ? c->m->subject : "");
	json_object_set_string_member(o, "text", inbound_reply_text(c->m));
	/* a nameless author is shown by what their mail says (never stored: need_from) */
	json_object_set_string_member(o, "author", author->name && *author->name ? author->name
				      : c->m->from_name ? c->m->from_name : "");
	json_object_set_string_member(o, "email", member_address(author));
	json_node_take_object(n, o);
	return n;
}

/* A moderation notice being sent: what each organizer's copy needs. */
typedef struct {
	InboundCtx *c;
	const Petition *p;
	const Member *author;
	gint64 story;
} Moderation;

/* moderation_copy - one organizer's moderation notice: the organizer as a member, a
 * moderate+TOKEN Reply-To naming them, their own template data (notify.h's NotifyEach) */
static gboolean moderation_copy(NotifyCopy *copy, gpointer user, GError **error)
{
	Moderation *md = user;
	InboundCtx *c = md->c;
	gint64 oid = member_upsert(c->db, c->cfg, copy->to, NULL, NULL, NULL, FALSE, error);
	Member *org = oid ? member_get(c->db, oid, error) : NULL;
	JsonObject *d;

	if (org == NULL)
		return FALSE;
	copy->member_id = oid;
	copy->to_name = g_strdup(org->name);
	copy->reply_to = token_address(c, "moderate", NULL, TOKEN_MODERATE, md->story, oid, FALSE);
	d = with_petition(c, data_new(c, org), md->p);
	json_object_set_member(d, "story", story_data(c, md->story, md->author));
	json_object_set_string_member(d, "reply_address", copy->reply_to);
	json_object_set_string_member(d, "confirm_address", copy->reply_to);
	copy->data = json_node_init_object(json_node_alloc(), d);
	json_object_unref(d);
	member_free(org);
	return TRUE;
}

/* add_story - store the story of mb for p, acknowledge it, notify every organizer */
static gboolean add_story(InboundCtx *c, const Petition *p, const Member *mb, GError **error)
{
	gint64 id = story_add(c->db, p->id, mb->id, c->m->subject, inbound_reply_text(c->m),
			      c->inbound_id, error);
	Moderation md = { c, p, mb, id };
	Notice n = { "moderation", NULL, NULL, 0, NULL, moderation_copy, &md };
	guint told = 0;
	gboolean ok;

	if (id == 0)
		return FALSE;
	c->keep_raw = TRUE;
	c->result = "pending";
	{
		JsonObject *d = with_petition(c, data_new(c, mb), p);

		json_object_set_member(d, "story", story_data(c, id, mb));
		if (!respond(c, "story_ack", mb, NULL, d, OUTBOX_RESPONSE, error))
			return FALSE;
	}
	ok = notify_organizers(c->db, c->cfg, &n, &told, error);
	c->responses += (int)told;
	return ok;
}

/* do_story - story+SLUG (From: is the author) or story+TOKEN (the token's member is) */
static gboolean do_story(InboundCtx *c, GError **error)
{
	Petition *p = NULL;
	Member *mb = NULL;
	char *addr = NULL;
	gboolean ok = FALSE;
	GError *e = NULL;

	c->action = "story";
	if (c->route.token) {
		Token t;

		if (!decode(c, TOKEN_STORY, &t, error))
			return FALSE;
		p = petition_get(c->db, t.object, &e);
		if (e || p == NULL ||
		    (c->route.arg && g_ascii_strcasecmp(c->route.arg, p->slug) != 0)) {
			if (e)
				g_propagate_error(error, e);
			else
				g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition",
					    c->recipient);
			goto out;
		}
		mb = token_member(c, &t, error);
	} else {
		if ((p = find_petition(c, c->route.arg, error)) == NULL)
			goto out;
		mb = need_from(c, &addr, FALSE, NULL, error);
	}
	if (mb)
		ok = add_story(c, p, mb, error);
out:
	g_free(addr);
	member_free(mb);
	petition_free(p);
	return ok;
}

/* first_word_is - TRUE if text's first word (case-insensitive) is one of words */
static gboolean first_word_is(const char *text, const char *const *words)
{
	const char *p = text, *end;

	while (*p && !g_ascii_isalpha(*p))
		p++;
	for (end = p; g_ascii_isalpha(*end); end++)
		;
	for (int i = 0; words[i]; i++)
		if ((gsize)(end - p) == strlen(words[i]) &&
		    g_ascii_strncasecmp(p, words[i], (gsize)(end - p)) == 0)
			return TRUE;
	return FALSE;
}

/* organizer_reply_refused - a reply to an organizer's token (moderate+, broadcast+) not
 * from that organizer: nothing done, the organizers told who tried (template tmpl, data
 * {what: {id}, from}; result "refused") */
static gboolean organizer_reply_refused(InboundCtx *c, const char *tmpl, const char *what,
					gint64 id, const char *from, GError **error)
{
	JsonObject *d = json_object_new();
	JsonObject *st = json_object_new();
	JsonNode *node;
	Notice n = { tmpl, NULL, NULL, id, NULL, NULL, NULL };
	char *help = address_make(c->cfg, "help", NULL, NULL);
	gboolean ok;

	json_object_set_int_member(st, "id", id);
	json_object_set_object_member(d, what, st);
	json_object_set_string_member(d, "from", from ? from : "(no address)");
	json_object_set_string_member(d, "domain", c->cfg->domain);
	json_object_set_string_member(d, "help_address", help);
	node = json_node_init_object(json_node_alloc(), d);
	n.data = node;
	log_info("reply about %s %" G_GINT64_FORMAT " not from its organizer: refused", what, id);
	c->result = "refused";
	ok = notify_organizers(c->db, c->cfg, &n, NULL, error);
	json_node_unref(node);
	json_object_unref(d);
	g_free(help);
	return ok;
}

/* do_moderate - an organizer's reply to a moderation notice */
static gboolean do_moderate(InboundCtx *c, GError **error)
{
	static const char *const yes[] = { "approve", "approved", "yes", "ok", "okay", NULL };
	static const char *const no[] = { "reject", "rejected", "no", NULL };
	const char *text;
	char *from = NULL;
	Member *org;
	Token t;
	gboolean ok = TRUE;

	c->action = "moderate";
	if (!decode(c, TOKEN_MODERATE, &t, error) || (org = token_member(c, &t, error)) == NULL)
		return FALSE;
	if (!organizer_is(c->cfg, NULL, org->email)) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "%s: %s no longer organizes", c->recipient,
			    org->email);
		member_free(org);
		return FALSE;
	}
	from = from_address(c);
	if (!is_member_addr(c, from, org) || !organizer_is(c->cfg, NULL, from)) {
		ok = organizer_reply_refused(c, "moderation_refused", "story", t.object, from,
					     error);
		goto out;
	}
	text = inbound_reply_text(c->m);
	if (first_word_is(text, yes) || first_word_is(text, no)) {
		StoryStatus st = first_word_is(text, yes) ? STORY_STATUS_APPROVED
							  : STORY_STATUS_REJECTED;
		guint queued = 0;

		/* the author (approved) and every organizer hear of it */
		ok = story_news_moderate(c->db, c->cfg, t.object, st, org->email, &queued, error);
		c->responses += (int)queued;
		c->result = story_status_name(st);
	} else {
		/* no silent non-answer: say which words work; a reply to it moderates */
		JsonObject *d = data_new(c, org), *st = json_object_new();

		json_object_set_int_member(st, "id", t.object);
		json_object_set_object_member(d, "story", st);
		c->result = "unclear";
		ok = respond(c, "moderation_unclear", org, c->recipient, d, OUTBOX_RESPONSE, error);
	}
out:
	g_free(from);
	member_free(org);
	return ok;
}

/* ==== Lists ==== */

/* subscription_of - mb's subscription status on l into *status (NONE: none, or no member);
 * FALSE with error on a database failure */
static gboolean subscription_of(InboundCtx *c, const List *l, const Member *mb,
				SubscriptionStatus *status, GError **error)
{
	GError *e = NULL;

	*status = mb ? subscription_status(c->db, l->id, mb->id, &e) : SUBSCRIPTION_STATUS_NONE;
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* already_active - TRUE (result "already") when status is an active subscription */
static gboolean already_active(InboundCtx *c, SubscriptionStatus status)
{
	if (status != SUBSCRIPTION_STATUS_ACTIVE)
		return FALSE;
	c->result = "already";
	return TRUE;
}

/* list_status - the short answer to subscribing twice (already) or leaving a list one is
 * not on: nothing changed, and how to do the opposite */
static gboolean list_status(InboundCtx *c, const List *l, const Member *to, gboolean already,
			    GError **error)
{
	JsonObject *d = with_list(c, data_new(c, to), l);

	json_object_set_boolean_member(d, "already", already);
	return respond(c, "list_status", to, NULL, d, OUTBOX_RESPONSE, error);
}

/* do_subscribe - LIST+subscribe: pending subscription and a request to confirm */
static gboolean do_subscribe(InboundCtx *c, GError **error)
{
	List *l = find_list(c, c->route.arg, error);
	Member *mb = NULL;
	char *addr = NULL, *reply = NULL;
	SubscriptionStatus status = SUBSCRIPTION_STATUS_NONE;
	gboolean ok = FALSE;

	c->action = "subscribe";
	if (l == NULL || (mb = need_from(c, &addr, FALSE, NULL, error)) == NULL ||
	    !subscription_of(c, l, mb, &status, error))
		goto out;
	if (already_active(c, status)) {
		ok = list_status(c, l, mb, TRUE, error);
		goto out;
	}
	if (status != SUBSCRIPTION_STATUS_PENDING &&
	    !subscription_set(c->db, l->id, mb->id, SUBSCRIPTION_STATUS_PENDING, error))
		goto out;
	c->result = "pending";
	reply = token_address(c, "join", NULL, TOKEN_SUBSCRIBE, l->id, mb->id, TRUE);
	ok = respond(c, "subscribe_confirm", mb, reply, with_list(c, data_new(c, mb), l),
		     OUTBOX_RESPONSE, error);
out:
	g_free(reply);
	g_free(addr);
	member_free(mb);
	list_free(l);
	return ok;
}

/* list_token - decode a list token: its list and member; FALSE with EX_NOUSER */
static gboolean list_token(InboundCtx *c, TokenPurpose purpose, List **l, Member **mb,
			   GError **error)
{
	Token t;
	GError *e = NULL;

	*l = NULL;
	*mb = NULL;
	if (!decode(c, purpose, &t, error))
		return FALSE;
	*l = list_get(c->db, t.object, &e);
	if (e || *l == NULL) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown list", c->recipient);
		return FALSE;
	}
	return (*mb = token_member(c, &t, error)) != NULL;
}

/* do_join - a reply to join+TOKEN activates the subscription */
static gboolean do_join(InboundCtx *c, GError **error)
{
	List *l;
	Member *mb;
	SubscriptionStatus status = SUBSCRIPTION_STATUS_NONE;
	gboolean ok = FALSE;

	c->action = "subscribe";
	if (!list_token(c, TOKEN_SUBSCRIBE, &l, &mb, error) ||
	    !subscription_of(c, l, mb, &status, error) || token_used(c, TOKEN_SUBSCRIBE, &ok, error))
		goto out;
	if ((ok = already_active(c, status)))
		goto out;
	/* an explicit opt-in by reply lifts an earlier unsubscribe or bounce state */
	if (!adopt_name(c, mb, error) || !subscription_set(c->db, l->id, mb->id, SUBSCRIPTION_STATUS_ACTIVE, error) ||
	    (mb->status != MEMBER_STATUS_ACTIVE &&
	     !member_set_status(c->db, mb->id, MEMBER_STATUS_ACTIVE, error)))
		goto out;
	c->result = "confirmed";
	ok = respond(c, "welcome", mb, NULL, with_list(c, data_new(c, mb), l), OUTBOX_RESPONSE,
		     error);
out:
	member_free(mb);
	list_free(l);
	return ok;
}

/* do_unsubscribe_request - LIST+unsubscribe: ask the member to confirm by reply */
static gboolean do_unsubscribe_request(InboundCtx *c, GError **error)
{
	List *l = find_list(c, c->route.arg, error);
	Member *mb = NULL;
	char *addr = NULL, *reply = NULL;
	SubscriptionStatus status = SUBSCRIPTION_STATUS_NONE;
	gboolean ok = FALSE;
	GError *e = NULL;

	c->action = "unsubscribe";
	if (l == NULL)
		goto out;
	addr = from_address(c);
	mb = addr ? member_find(c->db, c->cfg, addr, &e) : NULL;
	if (e) {
		g_propagate_error(error, e);
		goto out;
	}
	if (!subscription_of(c, l, mb, &status, error))
		goto out;
	if (status == SUBSCRIPTION_STATUS_NONE || status == SUBSCRIPTION_STATUS_UNSUBSCRIBED) {
		c->result = "not-subscribed";
		if (addr && mb) {
			ok = list_status(c, l, mb, FALSE, error);
		} else if (addr) {
			Member s = stranger(addr, c->m->from_name);

			ok = list_status(c, l, &s, FALSE, error);
		} else {
			ok = TRUE;
		}
		goto out;
	}
	c->result = "pending";
	reply = token_address(c, "bye", NULL, TOKEN_UNSUB_CONFIRM, l->id, mb->id, TRUE);
	ok = respond(c, "unsubscribe_confirm", mb, reply, with_list(c, data_new(c, mb), l),
		     OUTBOX_RESPONSE, error);
out:
	g_free(reply);
	g_free(addr);
	member_free(mb);
	list_free(l);
	return ok;
}

/* follow_back - {title, address} of each open petition whose updates member mb gets, with
 * its one-time follow+TOKEN (the way back once they are stopped); NULL on a database
 * error; caller unrefs */
static JsonArray *follow_back(InboundCtx *c, const Member *mb, GError **error)
{
	GArray *followed = signature_followed(c->db, mb->id, error);
	JsonArray *a = followed ? json_array_new() : NULL;
	GError *e = NULL;

	for (guint i = 0; followed && i < followed->len; i++) {
		gint64 pid = g_array_index(followed, gint64, i);
		Petition *p = petition_get(c->db, pid, &e);
		JsonObject *o;
		char *addr;

		if (e) {
			g_propagate_error(error, e);
			g_clear_pointer(&a, json_array_unref);
			break;
		}
		if (p == NULL)
			continue;
		addr = follow_address(c, pid, mb->id);
		o = json_object_new();
		json_object_set_string_member(o, "title", p->title);
		json_object_set_string_member(o, "address", addr);
		json_array_add_object_element(a, o);
		g_free(addr);
		petition_free(p);
	}
	if (followed)
		g_array_unref(followed);
	return a;
}

/* do_leave_all - the reply to a "stop" confirmation (bye+TOKEN for list 0): every list,
 * and every petition's updates; the answer says how to come back to both (help@ for the
 * lists, a follow+TOKEN per petition whose updates this stopped) */
static gboolean do_leave_all(InboundCtx *c, GError **error)
{
	Token t;
	Member *mb;
	JsonArray *back = NULL;
	gint64 stopped = 0;
	gboolean ok;

	c->action = "unsubscribe";
	if (!decode(c, TOKEN_UNSUB_CONFIRM, &t, error) || (mb = token_member(c, &t, error)) == NULL)
		return FALSE;
	/* one-time, like every bye+: a replayed confirmation never leaves lists joined since */
	if (token_used(c, TOKEN_UNSUB_CONFIRM, &ok, error)) {
		member_free(mb);
		return ok;
	}
	ok = (back = follow_back(c, mb, error)) != NULL &&
	     subscription_unsubscribe_all(c->db, mb->id, pm_now(), error) &&
	     signature_stop_all_updates(c->db, mb->id, pm_now(), &stopped, error);
	if (ok) {
		JsonObject *d = data_new(c, mb);

		json_object_set_boolean_member(d, "updates_stopped", stopped > 0);
		json_object_set_array_member(d, "follow", json_array_ref(back));
		c->result = "unsubscribed";
		ok = respond(c, "unsubscribed", mb, NULL, d, OUTBOX_RESPONSE, error);
	}
	if (back)
		json_array_unref(back);
	member_free(mb);
	return ok;
}

/* do_stop - "stop" to help@: the lists the sender is on and the petitions whose updates
 * they get, and a reply that stops them all (nothing changes without that reply);
 * someone with none of them is told so */
static gboolean do_stop(InboundCtx *c, GError **error)
{
	char *addr = from_address(c), *reply = NULL;
	Member *mb = NULL;
	GPtrArray *lists = NULL;
	GArray *followed = NULL;
	JsonArray *on = json_array_new(), *updates = json_array_new();
	JsonObject *d;
	GError *e = NULL;
	gboolean ok = FALSE;

	c->action = "unsubscribe";
	c->result = "not-subscribed";
	mb = addr ? member_find(c->db, c->cfg, addr, &e) : NULL;
	if (e || (lists = list_all_view(c->db, c->cfg, &e)) == NULL) {
		g_propagate_error(error, e);
		goto out;
	}
	for (guint i = 0; mb && i < lists->len; i++) {
		const List *l = g_ptr_array_index(lists, i);
		SubscriptionStatus s = SUBSCRIPTION_STATUS_NONE;

		if (!subscription_of(c, l, mb, &s, error))
			goto out;
		if (s != SUBSCRIPTION_STATUS_NONE && s != SUBSCRIPTION_STATUS_UNSUBSCRIBED)
			json_array_add_element(on, list_to_json(c->cfg, l, 0));
	}
	if (mb && (followed = signature_followed(c->db, mb->id, error)) == NULL)
		goto out;
	for (guint i = 0; followed && i < followed->len; i++) {
		Petition *p = petition_get(c->db, g_array_index(followed, gint64, i), &e);
		JsonObject *o;

		if (e) {
			g_propagate_error(error, e);
			goto out;
		}
		if (p == NULL)
			continue;
		o = json_object_new();
		json_object_set_string_member(o, "title", p->title);
		json_array_add_object_element(updates, o);
		petition_free(p);
	}
	if (addr == NULL) {
		ok = TRUE;
		goto out;
	}
	if (json_array_get_length(on) > 0 || json_array_get_length(updates) > 0) {
		c->result = "pending";
		reply = token_address(c, "bye", NULL, TOKEN_UNSUB_CONFIRM, 0, mb->id, TRUE);
	}
	{
		Member s = stranger(addr, c->m->from_name);

		d = data_new(c, mb ? mb : &s);
		json_object_set_array_member(d, "lists", json_array_ref(on));
		json_object_set_array_member(d, "petitions", json_array_ref(updates));
		json_object_set_boolean_member(d, "any", reply != NULL);
		ok = respond(c, "stop_confirm", mb ? mb : &s, reply, d, OUTBOX_RESPONSE, error);
	}
out:
	if (followed)
		g_array_unref(followed);
	json_array_unref(updates);
	json_array_unref(on);
	if (lists)
		g_ptr_array_unref(lists);
	member_free(mb);
	g_free(reply);
	g_free(addr);
	return ok;
}

/* do_leave - leave+TOKEN (List-Unsubscribe) at once, or bye+TOKEN (confirmed request) */
static gboolean do_leave(InboundCtx *c, TokenPurpose purpose, GError **error)
{
	List *l;
	Member *mb;
	gboolean ok = FALSE;

	c->action = "unsubscribe";
	if (!list_token(c, purpose, &l, &mb, error) ||
	    (purpose == TOKEN_UNSUB_CONFIRM && token_used(c, purpose, &ok, error)))
		goto out;
	if (!subscription_set(c->db, l->id, mb->id, SUBSCRIPTION_STATUS_UNSUBSCRIBED, error))
		goto out;
	c->result = "unsubscribed";
	/* one-click List-Unsubscribe gets no mail back; a confirmed request gets a note
	 * that says how to come back */
	if (purpose != TOKEN_UNSUBSCRIBE) {
		JsonObject *d = with_list(c, data_new(c, mb), l);
		char *again = address_make(c->cfg, l->name, "subscribe", NULL);

		json_object_set_string_member(d, "subscribe_address", again);
		g_free(again);
		ok = respond(c, "unsubscribed", mb, NULL, d, OUTBOX_RESPONSE, error);
	} else {
		ok = TRUE;
	}
out:
	member_free(mb);
	list_free(l);
	return ok;
}

/* do_bye - a reply to bye+TOKEN: one list, or every list (list 0, from "stop") */
static gboolean do_bye(InboundCtx *c, GError **error)
{
	Token t;

	if (!decode(c, TOKEN_UNSUB_CONFIRM, &t, error))
		return FALSE;
	return t.object == 0 ? do_leave_all(c, error) : do_leave(c, TOKEN_UNSUB_CONFIRM, error);
}

/* help_directory - help's "lists" ({title, address}) and open "petitions" ({slug, title}) into d */
static gboolean help_directory(InboundCtx *c, JsonObject *d, GError **error)
{
	GPtrArray *lists = list_all_view(c->db, c->cfg, error);
	GArray *ids = lists ? petition_list_ids(c->db, error) : NULL;
	JsonArray *la = json_array_new(), *pa = json_array_new();

	for (guint i = 0; lists && ids && i < lists->len; i++) {
		const List *l = g_ptr_array_index(lists, i);

		json_array_add_element(la, list_to_json(c->cfg, l, 0));
	}
	for (guint i = 0; ids && i < ids->len; i++) {
		Petition *p = petition_get(c->db, g_array_index(ids, gint64, i), NULL);

		if (p && petition_is_open(p)) {
			JsonObject *o = json_object_new();

			json_object_set_string_member(o, "slug", p->slug);
			json_object_set_string_member(o, "title", p->title);
			json_array_add_object_element(pa, o);
		}
		petition_free(p);
	}
	json_object_set_array_member(d, "lists", la);
	json_object_set_array_member(d, "petitions", pa);
	if (lists)
		g_ptr_array_unref(lists);
	if (ids)
		g_array_unref(ids);
	return ids != NULL;
}

/* second_word - the word after text's first one (letters, '-', '_'), or NULL; caller frees */
static char *second_word(const char *text)
{
	const char *p = text ? text : "", *end;

	while (*p && !g_ascii_isalpha(*p))
		p++;
	while (g_ascii_isalpha(*p))
		p++;
	while (*p && !g_ascii_isalpha(*p) && *p != '\n')
		p++;
	for (end = p; g_ascii_isalpha(*end) || *end == '-' || *end == '_'; end++)
		;
	return end > p ? g_strndup(p, (gsize)(end - p)) : NULL;
}

/*
 * help_language - "language fr" (or "langue fr", "sprache de"...) to help@. help@ can be
 * written in anyone's name, so for a member it changes nothing: a language with
 * templates is asked to be confirmed at the member's own address (language_confirm, in
 * that language, Reply-To a one-time language+TOKEN naming them; do_language sets it) and
 * *asked is TRUE. Someone who is no member is answered in that language (language_set) and
 * nothing is recorded; mb->lang becomes the language to answer in. A language without
 * templates is answered in the current one, naming the ones there are (language_unknown,
 * languages).
 */
static gboolean help_language(InboundCtx *c, Member *mb, JsonObject *d, gboolean *asked,
			      GError **error)
{
	char *word = second_word(inbound_reply_text(c->m));
	char *lang = lang_normalize(word);
	gboolean ok = TRUE;

	c->action = "language";
	*asked = FALSE;
	if (lang && compose_has_language(c->cfg, lang) && mb->id) {
		char *reply = token_address(c, "language", NULL, TOKEN_LANGUAGE, lang_code(lang),
					    mb->id, TRUE);
		Member to = *mb;
		JsonObject *ask;

		/* asked in the language asked for; stored only on the member's reply */
		to.lang = lang;
		ask = data_new(c, &to);
		json_object_set_string_member(ask, "language", lang);
		c->result = "pending";
		ok = respond(c, "language_confirm", &to, reply, ask, OUTBOX_RESPONSE, error);
		*asked = TRUE;
		g_free(reply);
	} else if (lang && compose_has_language(c->cfg, lang)) {
		c->result = "answered";
		json_object_set_boolean_member(d, "language_set", TRUE);
		g_free(mb->lang);
		mb->lang = lang;
		lang = NULL;
	} else {
		char *all = compose_languages(c->cfg);

		c->result = "refused";
		json_object_set_string_member(d, "language_unknown", word ? word : "");
		json_object_set_string_member(d, "languages", all);
		g_free(all);
	}
	g_free(lang);
	g_free(word);
	return ok;
}

/* do_language - a reply to language+TOKEN (language_confirm): the token's member's own
 * act sets their language, once; the help text answers in it (language_set). A reply
 * that says no (or asks) changes nothing and leaves the token unused. */
static gboolean do_language(InboundCtx *c, GError **error)
{
	Token t;
	Member *mb;
	char *lang = NULL;
	IntentReading r = { 0 };
	JsonObject *d;
	gboolean ok = FALSE;

	c->action = "language";
	if (!decode(c, TOKEN_LANGUAGE, &t, error) || (mb = token_member(c, &t, error)) == NULL)
		return FALSE;
	if ((lang = lang_from_code(t.object)) == NULL) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown language", c->recipient);
		goto out;
	}
	if (!read_intent(c, NULL, &r, error))
		goto out;
	if (r.intent != INTENT_SIGN) {
		c->result = "declined";
		ok = TRUE;
		goto out;
	}
	if (token_used(c, TOKEN_LANGUAGE, &ok, error) ||
	    !(ok = member_set_lang(c->db, mb->id, lang, TRUE, NULL, error)))
		goto out;
	c->result = "recorded";
	g_free(mb->lang);
	mb->lang = lang;
	lang = NULL;
	d = data_new(c, mb);
	json_object_set_boolean_member(d, "language_set", TRUE);
	if ((ok = help_directory(c, d, error)))
		ok = respond(c, "help", mb, NULL, d, OUTBOX_RESPONSE, error);
	else
		json_object_unref(d);
out:
	intent_reading_clear(&r);
	g_free(lang);
	member_free(mb);
	return ok;
}

/* do_help - help@ or LIST+help: the help text to the sender, in a member's language
 * (nothing recorded; a member asking for a language is asked to confirm it instead:
 * help_language) */
static gboolean do_help(InboundCtx *c, gboolean list, GError **error)
{
	List *l = NULL;
	Member *mb = NULL;
	char *addr;
	gboolean ok = TRUE;
	GError *e = NULL;

	static const char *const stop[] = { "stop", "stopp", "unsubscribe", NULL };
	/* "language fr" in the words of each language peermail speaks */
	static const char *const language[] = { "language", "lang", "langue", "sprache",
						"idioma", "lingua", "taal", NULL };

	c->action = "help";
	if (!list && first_word_is(inbound_reply_text(c->m), stop))
		return do_stop(c, error);
	if (list && (l = find_list(c, c->route.arg, error)) == NULL)
		return FALSE;
	addr = from_address(c);
	c->result = "answered";
	if (addr && (mb = member_find(c->db, c->cfg, addr, &e)) == NULL && e) {
		g_propagate_error(error, e);
		ok = FALSE;
	} else if (addr) {
		/* the answer goes to the address that wrote, recording nobody; a member's
		 * language (and a language they ask for) is theirs */
		Member s = stranger(addr, c->m->from_name);
		Member *who = mb && mb->email ? mb : &s;
		JsonObject *d;
		gboolean asked = FALSE;

		if (who != &s)
			s.lang = g_strdup(who->lang);
		d = data_new(c, &s);
		if (!list && first_word_is(inbound_reply_text(c->m), language) &&
		    (ok = help_language(c, who, d, &asked, error)) && !asked)
			json_object_set_member(d, "member", member_to_json(&s));
		if (ok && asked)
			json_object_unref(d);    /* language_confirm answered it */
		else if (ok && !list)
			ok = help_directory(c, d, error);
		if (ok && !asked)
			ok = respond(c, list ? "list_help" : "help", &s, NULL,
				     l ? with_list(c, d, l) : d, OUTBOX_RESPONSE, error);
		else if (!ok)
			json_object_unref(d);
		g_free(s.lang);
	}
	member_free(mb);
	g_free(addr);
	list_free(l);
	return ok;
}

/* broadcast_preview - the first 20 lines (at most 2000 bytes, whole characters) of a
 * post's text, "..." after a cut, for its confirmation; caller frees */
static char *broadcast_preview(const char *text)
{
	GString *out = g_string_new(NULL);
	const char *p = text ? text : "";
	int lines = 0;

	while (*p && lines < 20 && out->len < 2000) {
		const char *nl = strchr(p, '\n');
		gsize len = nl ? (gsize)(nl - p) : strlen(p);

		g_string_append_len(out, p, len);
		g_string_append_c(out, '\n');
		lines++;
		p += len + (nl ? 1 : 0);
	}
	if (out->len > 2000) {
		const char *end = g_utf8_find_prev_char(out->str, out->str + 2000);

		g_string_truncate(out, end ? (gsize)(end - out->str) : 0);
		g_string_append_c(out, '\n');
	}
	while (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
		g_string_truncate(out, out->len - 1);
	if (*p)
		g_string_append(out, "...\n");
	return g_string_free(out, FALSE);
}

/* do_post - LIST@: a draft newsletter from an organizer, confirmed by reply; else refused */
static gboolean do_post(InboundCtx *c, GError **error)
{
	List *l = find_list(c, c->route.arg, error);
	Member *org = NULL;
	char *addr = NULL, *reply = NULL;
	gint64 nid, oid, audience = 0;
	gboolean ok = FALSE;
	JsonObject *d;

	c->action = "post";
	if (l == NULL)
		return FALSE;
	addr = from_address(c);
	if (addr == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "no valid sender address in From:");
		goto out;
	}
	if (!organizer_is(c->cfg, l->name, addr)) {
		Member s = stranger(addr, c->m->from_name);

		c->result = "refused";
		ok = respond(c, "post_refused", &s, NULL, with_list(c, data_new(c, &s), l),
			     OUTBOX_RESPONSE, error);
		goto out;
	}
	/* no name from this mail: it has no token, and only its address was checked */
	if ((oid = member_upsert(c->db, c->cfg, addr, NULL, NULL, NULL, FALSE, error)) == 0 ||
	    (org = member_get(c->db, oid, error)) == NULL)
		goto out;
	nid = newsletter_create(c->db, c->cfg, l->name,
				c->m->subject ? c->m->subject : "(no subject)",
				inbound_reply_text(c->m), NULL, NULL, FALSE, addr, error);
	if (nid == 0 || !newsletter_audience(c->db, nid, &audience, error))
		goto out;
	c->result = "draft";
	reply = token_address(c, "broadcast", NULL, TOKEN_BROADCAST, nid, oid, TRUE);
	d = with_list(c, data_new(c, org), l);
	json_object_set_int_member(d, "audience", audience);
	{
		JsonObject *n = json_object_new();

		json_object_set_int_member(n, "id", nid);
		char *preview = broadcast_preview(inbound_reply_text(c->m));

		json_object_set_string_member(n, "subject", c->m->subject ? c->m->subject : "");
		json_object_set_int_member(n, "audience", audience);
		json_object_set_string_member(n, "preview", preview);
		g_free(preview);
		json_object_set_object_member(d, "newsletter", n);
	}
	ok = respond(c, "broadcast_confirm", org, reply, d, OUTBOX_NOTICE, error);
out:
	g_free(reply);
	g_free(addr);
	member_free(org);
	list_free(l);
	return ok;
}

/* broadcast_scheduled - tell organizer org that newsletter nid is scheduled at `at`, and
 * to how many members (no silent non-answer) */
static gboolean broadcast_scheduled(InboundCtx *c, gint64 nid, const Member *org, gint64 at,
				    GError **error)
{
	Newsletter *nl = newsletter_need(c->db, nid, error);
	GError *e = NULL;
	List *l = nl ? list_get(c->db, nl->list_id, &e) : NULL;
	gint64 audience = 0;
	JsonObject *d, *n;
	char *when;
	gboolean ok = FALSE;

	if (e) {
		g_propagate_error(error, e);
		goto out;
	}
	if (nl && l == NULL) {
		ok = TRUE;      /* its list is gone: nothing will be sent, nothing to announce */
		goto out;
	}
	if (l == NULL || !newsletter_audience(c->db, nid, &audience, error))
		goto out;
	d = with_list(c, data_new(c, org), l);
	n = json_object_new();
	when = pm_time_iso(at);
	json_object_set_int_member(n, "id", nid);
	json_object_set_string_member(n, "subject", nl->subject);
	json_object_set_string_member(n, "scheduled_at", when);
	json_object_set_int_member(n, "recipients", audience);
	json_object_set_boolean_member(n, "recipients_one", plural_is_one(NULL, audience));
	json_object_set_object_member(d, "newsletter", n);
	g_free(when);
	ok = respond(c, "broadcast_scheduled", org, NULL, d, OUTBOX_RESPONSE, error);
out:
	list_free(l);
	newsletter_free(nl);
	return ok;
}

/* do_broadcast - the organizer's reply to broadcast+TOKEN schedules the newsletter now */
static gboolean do_broadcast(InboundCtx *c, GError **error)
{
	Token t;
	Member *org;
	gboolean ok;

	c->action = "broadcast";
	if (!decode(c, TOKEN_BROADCAST, &t, error) || (org = token_member(c, &t, error)) == NULL)
		return FALSE;
	if (!organizer_is(c->cfg, NULL, org->email)) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "%s: %s no longer organizes", c->recipient,
			    org->email);
		member_free(org);
		return FALSE;
	}
	/* like moderation: only the organizer the request went to confirms, from that
	 * address; anyone else schedules nothing and the organizers are told */
	if (!from_is(c, org)) {
		char *from = from_address(c);

		ok = organizer_reply_refused(c, "broadcast_refused", "newsletter", t.object, from,
					     error);
		g_free(from);
		member_free(org);
		return ok;
	}
	if (!token_used(c, TOKEN_BROADCAST, &ok, error)) {
		gint64 now = pm_now();

		ok = newsletter_schedule(c->db, t.object, now, error) &&
		     broadcast_scheduled(c, t.object, org, now, error);
		c->result = "scheduled";
	}
	member_free(org);
	return ok;
}

/* ==== Bounces and delivery replies ==== */

/* complaint - an ARF report about outbox row outbox_id of member_id (0: unknown): the one
 * complaint path, for the VERP address and the owner addresses alike */
static gboolean complaint(InboundCtx *c, const BounceReport *r, gint64 member_id,
			  gint64 outbox_id, GError **error)
{
	c->kind = INBOUND_KIND_FEEDBACK;
	c->result = "recorded";
	return bounce_complaint(c->db, c->cfg, member_id, outbox_id, r->feedback_type, error);
}

/* do_bounce - bounce+TOKEN: a VERP bounce for one outbox row's member */
static gboolean do_bounce(InboundCtx *c, GError **error)
{
	BounceReport *r;
	Member *mb = NULL;
	Token t;
	gboolean ok = TRUE;
	GError *e = NULL;
	AutoKind ak;

	c->action = "bounce";
	if (!decode(c, TOKEN_BOUNCE, &t, error))
		return FALSE;
	if (c->m->autokind == AUTO_VACATION) {
		/* a vacation notice sent to our return path is not a delivery failure */
		c->kind = INBOUND_KIND_AUTOREPLY;
		c->result = "ignored";
		return TRUE;
	}
	r = inbound_classify(c->m);
	if (r->kind == BOUNCE_NOT && c->m->autokind != AUTO_NONE &&
	    (c->m->autokind != AUTO_NULL_SENDER ||
	     (ak = inbound_autokind_headers(c->m)) != AUTO_NULL_SENDER)) {
		/* an auto-responder that is no report (vacation, Auto-Submitted, list or bulk
		 * mail), also when it came with a null envelope sender as RFC 3834 asks; real
		 * bounces carry Auto-Submitted too, but they parse as reports or come from
		 * MAILER-DAEMON */
		c->kind = INBOUND_KIND_AUTOREPLY;
		c->result = "ignored";
		return TRUE;
	}
	/* the token names the outbox row (VERP); the row names the member */
	if (t.member == 0 && !outbox_member_id(c->db, t.object, &t.member, &e)) {
		g_propagate_error(error, e);
		return FALSE;
	}
	mb = t.member ? member_get(c->db, t.member, &e) : NULL;
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	c->result = "recorded";
	if (r->kind == BOUNCE_FEEDBACK) {
		ok = complaint(c, r, mb ? mb->id : 0, t.object, error);
	} else if (r->kind == BOUNCE_DSN && r->recipients->len > 0) {
		c->kind = INBOUND_KIND_BOUNCE;
		for (guint i = 0; ok && i < r->recipients->len; i++) {
			BounceRecipient *b = g_ptr_array_index(r->recipients, i);

			ok = bounce_record(c->db, c->cfg, mb ? mb->id : 0, t.object, b->address,
					   b->status, b->permanent, b->diagnostic, error);
		}
	} else if (r->kind == BOUNCE_DSN && r->status) {
		/* the report names no recipient but says how it failed: the VERP address
		 * names the member (an enhanced status whose class agrees with the words) */
		c->kind = INBOUND_KIND_BOUNCE;
		ok = bounce_record(c->db, c->cfg, mb ? mb->id : 0, t.object,
				   mb ? mb->email : NULL, r->status, r->permanent,
				   "no recipient named: the return path's member", error);
	} else {
		/* unreadable report to a VERP address: one transient bounce, so a run of them
		 * still adds up while a single odd message cannot disable anyone */
		c->kind = INBOUND_KIND_BOUNCE;
		c->result = "unreadable";
		ok = bounce_record(c->db, c->cfg, mb ? mb->id : 0, t.object,
				   mb ? mb->email : NULL, NULL, FALSE, "unreadable bounce", error);
	}
	member_free(mb);
	return ok;
}

/* do_delivery_reply - reply+TOKEN: a target answered a delivery */
static gboolean do_delivery_reply(InboundCtx *c, GError **error)
{
	Token t;
	char *from;
	gboolean ok;

	c->action = "delivery-reply";
	if (!decode(c, TOKEN_DELIVERY, &t, error))
		return FALSE;
	from = from_address(c);
	c->keep_raw = TRUE;
	c->result = "recorded";
	ok = delivery_record_reply(c->db, c->cfg, t.object, from ? from : c->m->from_addr,
				   c->m->subject, inbound_reply_text(c->m), c->inbound_id, error);
	g_free(from);
	return ok;
}

/* ==== Mail for people ==== */

/* verp_row - the outbox row and member named by a report's original Return-Path when it is
 * one of our VERP addresses with a valid token (the HMAC is the proof that we sent that
 * message to that member); FALSE when it is none. A database failure is in *error. */
static gboolean verp_row(InboundCtx *c, const BounceReport *r, gint64 *outbox_id,
			 gint64 *member_id, GError **error)
{
	Route vr;
	Token t;
	gboolean found = FALSE;

	*outbox_id = *member_id = 0;
	if (r->original_return_path == NULL)
		return FALSE;
	address_route(c->cfg, r->original_return_path, &vr);
	if (vr.kind == ROUTE_TOKEN && address_keyword_purpose(vr.keyword) == TOKEN_BOUNCE &&
	    token_decode(c->key, vr.token, TOKEN_BOUNCE, &t, NULL)) {
		*outbox_id = t.object;
		*member_id = t.member;
		found = *member_id != 0 || outbox_member_id(c->db, t.object, member_id, error);
	}
	route_clear(&vr);
	return found;
}

/* do_owner - mail for people (the From mailbox, postmaster@, abuse@, owner addresses): an
 * ARF complaint about a message we sent acts as at the VERP address; auto-replies and
 * loops are dropped; everything else goes to the organizers' mailbox with the original
 * attached (kept in the inbound log when no mailbox is configured) */
static gboolean do_owner(InboundCtx *c, GError **error)
{
	BounceReport *r = inbound_classify(c->m);
	gint64 outbox_id = 0, member_id = 0;
	GError *e = NULL;
	JsonObject *d;
	JsonNode *node;
	char *from;
	gboolean sent = FALSE, ok;

	c->action = "owner";
	/* a complaint naming our VERP address (a valid token) is a complaint about that
	 * message; one without it names nobody we can trust and is read by a person */
	if (r->kind == BOUNCE_FEEDBACK) {
		if (verp_row(c, r, &outbox_id, &member_id, &e))
			return complaint(c, r, member_id, outbox_id, error);
		if (e) {
			g_propagate_error(error, e);
			return FALSE;
		}
	} else if (c->m->autokind == AUTO_LOOP || c->m->autokind == AUTO_VACATION ||
		   inbound_auto_reply(c->m)) {
		c->kind = INBOUND_KIND_AUTOREPLY;
		c->result = "ignored";
		return TRUE;
	}
	from = from_address(c);
	d = json_object_new();
	json_object_set_string_member(d, "recipient", c->recipient);
	json_object_set_string_member(d, "from", from ? from : "(no address)");
	json_object_set_string_member(d, "subject", c->m->subject ? c->m->subject : "");
	node = json_node_init_object(json_node_alloc(), d);
	ok = notify_mailbox(c->db, c->cfg, "forwarded", node, from, c->m->raw, &sent, error);
	if (ok && !sent) {
		char *shown = address_redact(c->recipient);

		log_warn("mail to %s kept in the inbound log only: no organizers_mailbox is "
			 "configured", shown);
		g_free(shown);
		c->keep_raw = TRUE;
	}
	c->result = sent ? "forwarded" : "kept";
	json_node_unref(node);
	json_object_unref(d);
	g_free(from);
	return ok;
}

/* ==== Petitions started by members (docs/petitions.md) ==== */

/* start_parse - the body's 'To: ...' and 'Goal: N' lines taken out into *target (caller
 * frees; NULL: none) and *goal; the rest, trimmed, returned (caller frees) */
static char *start_parse(const char *body, char **target, gint64 *goal)
{
	char **lines = g_strsplit(body ? body : "", "\n", -1);
	GString *text = g_string_new(NULL);

	*target = NULL;
	*goal = 0;
	for (char **l = lines; *l; l++) {
		char *s = g_strstrip(g_strdup(*l));

		if (*target == NULL && g_ascii_strncasecmp(s, "to:", 3) == 0 && s[3]) {
			*target = g_strstrip(g_strdup(s + 3));
		} else if (*goal == 0 && g_ascii_strncasecmp(s, "goal:", 5) == 0 &&
			   g_ascii_string_to_signed(g_strstrip(s + 5), 10, 1, G_MAXINT32, goal,
						    NULL)) {
			;
		} else {
			g_string_append(text, *l);
			g_string_append_c(text, '\n');
		}
		g_free(s);
	}
	g_strfreev(lines);
	return g_strstrip(g_string_free(text, FALSE));
}

/* start_refused - a start refused for reason (a flag of template start_refused) */
static gboolean start_refused(InboundCtx *c, const Member *to, const char *reason,
			      gint64 open, GError **error)
{
	JsonObject *d = data_new(c, to);

	c->result = "refused";
	json_object_set_boolean_member(d, reason, TRUE);
	json_object_set_int_member(d, "title_min", c->cfg->start_title_min);
	json_object_set_int_member(d, "title_max", c->cfg->start_title_max);
	json_object_set_int_member(d, "text_min", c->cfg->start_text_min);
	json_object_set_int_member(d, "text_max", c->cfg->start_text_max);
	json_object_set_int_member(d, "open_starts", open);
	log_info("petition start refused: %s", reason);
	return respond(c, "start_refused", to, NULL, d, OUTBOX_RESPONSE, error);
}

/* similar_json - petitions with titles like p's as template data, or NULL when none;
 * FALSE in *ok on a database failure */
static JsonArray *similar_json(InboundCtx *c, const Petition *p, gboolean *ok, GError **error)
{
	GPtrArray *sim = petition_similar(c->db, p->title, p->id, 5, error);
	JsonArray *a = NULL;

	*ok = sim != NULL;
	for (guint i = 0; sim && i < sim->len; i++) {
		const Petition *s = g_ptr_array_index(sim, i);
		JsonObject *o = json_object_new();

		json_object_set_string_member(o, "slug", s->slug);
		json_object_set_string_member(o, "title", s->title);
		json_object_set_string_member(o, "status", petition_status_name(s->status));
		json_object_set_member(o, "petition", petition_to_json(c->db, c->cfg, s));
		if (a == NULL)
			a = json_array_new();
		json_array_add_object_element(a, o);
	}
	if (sim)
		g_ptr_array_unref(sim);
	return a;
}

/* ask_start_confirm - the creator's confirmation request (reply: the confirm address),
 * with the petitions of similar titles when there are any */
static gboolean ask_start_confirm(InboundCtx *c, const Petition *p, const Member *mb,
				  const char *reply, GError **error)
{
	gboolean ok;
	JsonArray *sim = similar_json(c, p, &ok, error);
	JsonObject *d;

	if (!ok)
		return FALSE;
	d = with_petition(c, data_new(c, mb), p);
	json_object_set_string_member(d, "sign_address", reply);
	if (p->target)
		json_object_set_string_member(d, "addressed_to", p->target);
	if (sim)
		json_object_set_array_member(d, "similar", sim);
	c->result = sim ? "similar" : "pending";
	return respond(c, "start_confirm", mb, reply, d, OUTBOX_RESPONSE, error);
}

/* do_start - start@: a member's new petition (subject: title, body: text), pending until
 * its creator confirms by reply; each limit refused with an answer */
static gboolean do_start(InboundCtx *c, GError **error)
{
	char *addr = NULL, *target = NULL, *text = NULL, *title = NULL, *reply = NULL;
	Member *mb = NULL;
	Petition *p = NULL;
	gint64 mid, pid, sig, goal = 0, open = 0;
	glong tlen, xlen;
	SignResult res;
	gboolean ok = FALSE;

	c->action = "start";
	c->keep_raw = TRUE;
	if ((mb = need_from(c, &addr, FALSE, NULL, error)) == NULL)
		goto out;
	mid = mb->id;
	title = g_strstrip(g_strdup(c->m->subject ? c->m->subject : ""));
	text = start_parse(inbound_reply_text(c->m), &target, &goal);
	tlen = g_utf8_strlen(title, -1);
	xlen = g_utf8_strlen(text, -1);
	/* an unconfirmed start lapses when its confirmation expires */
	if (!petition_open_starts(c->db, mid, pm_now() - (gint64)c->cfg->confirm_days * 86400,
				  &open, error))
		goto out;
	if (tlen < c->cfg->start_title_min)
		ok = start_refused(c, mb, "title_short", open, error);
	else if (tlen > c->cfg->start_title_max)
		ok = start_refused(c, mb, "title_long", open, error);
	else if (xlen < c->cfg->start_text_min)
		ok = start_refused(c, mb, "text_short", open, error);
	else if (xlen > c->cfg->start_text_max)
		ok = start_refused(c, mb, "text_long", open, error);
	else if (open >= c->cfg->start_open_max)
		ok = start_refused(c, mb, "too_many", open, error);
	else if ((pid = petition_start(c->db, c->cfg, mid, title, text, target, goal,
				       error)) != 0 &&
		 (p = petition_need_id(c->db, pid, error)) != NULL &&
		 (sig = signature_add(c->db, pid, mid, FALSE, SIGNATURE_SOURCE_START, NULL,
				      c->m->message_id, &res, error)) != 0 &&
		 events_record(c->db, "petition-started", pid, "creator", title, error)) {
		reply = token_address(c, "confirm", NULL, TOKEN_CONFIRM, sig, mid, TRUE);
		ok = ask_start_confirm(c, p, mb, reply, error);
	}
out:
	g_free(reply);
	g_free(title);
	g_free(text);
	g_free(target);
	g_free(addr);
	petition_free(p);
	member_free(mb);
	return ok;
}

/* start_news - template start_news to to about p with flag what (a response) */
static gboolean start_news(InboundCtx *c, const Petition *p, const Member *to, const char *what,
			   JsonObject *d, GError **error)
{
	if (d == NULL)
		d = data_new(c, to);
	with_petition(c, d, p);
	json_object_set_boolean_member(d, what, TRUE);
	json_object_set_boolean_member(d, "creator", to->id && to->id == p->creator_id);
	return respond(c, "start_news", to, NULL, d, OUTBOX_RESPONSE, error);
}

/* sponsor_joined - sponsor mb confirmed on p: thanked; at the configured count p enters
 * moderation (the organizers asked, the creator and sponsors told) */
static gboolean sponsor_joined(InboundCtx *c, const Petition *p, const Member *mb,
			       GError **error)
{
	GArray *ids = signature_sponsors(c->db, p->id, error);
	gint64 n = ids ? (gint64)ids->len : 0;
	gboolean moved = FALSE, ok;
	JsonObject *d;

	if (ids == NULL)
		return FALSE;
	g_array_unref(ids);
	d = data_new(c, mb);
	json_object_set_int_member(d, "sponsors", n);
	json_object_set_int_member(d, "sponsors_needed", c->cfg->start_sponsors);
	c->result = "confirmed";
	ok = start_news(c, p, mb, "sponsored", d, error);
	if (ok && p->status == PETITION_STATUS_SPONSORING && n >= c->cfg->start_sponsors &&
	    (ok = petition_advance(c->db, p->id, PETITION_STATUS_SPONSORING,
				   PETITION_STATUS_MODERATION, NULL, NULL, &moved, error)) && moved) {
		Petition *now = petition_need_id(c->db, p->id, error);

		ok = now && review_enter(c->db, c->cfg, c->key, now, error);
		petition_free(now);
	}
	return ok;
}

/* creator_confirmed - p's creator mb confirmed: sponsoring (the sponsor address to share),
 * or straight to moderation when no sponsors are asked for */
static gboolean creator_confirmed(InboundCtx *c, const Petition *p, GError **error)
{
	gboolean moved = FALSE, ok;
	Petition *now;

	c->result = "confirmed";
	if (!petition_advance(c->db, p->id, PETITION_STATUS_STARTED, PETITION_STATUS_SPONSORING,
			      NULL, NULL, &moved, error))
		return FALSE;
	if (!moved)
		return TRUE;
	if (!events_record(c->db, "petition-confirmed", p->id, "creator", NULL, error) ||
	    (now = petition_need_id(c->db, p->id, error)) == NULL)
		return FALSE;
	if (c->cfg->start_sponsors == 0) {
		ok = petition_advance(c->db, p->id, PETITION_STATUS_SPONSORING,
				      PETITION_STATUS_MODERATION, NULL, NULL, &moved, error);
		petition_free(now);
		if (ok && (now = petition_need_id(c->db, p->id, error)) == NULL)
			return FALSE;
		ok = ok && review_enter(c->db, c->cfg, c->key, now, error);
	} else {
		ok = review_tell(c->db, c->cfg, c->key, now, "sponsoring", FALSE, NULL, NULL, error);
	}
	petition_free(now);
	return ok;
}

/* start_confirm - a reply to confirm+TOKEN about a petition still being started: its
 * creator confirming it (or "continue" past similar titles), or a sponsor confirming.
 * Read like any confirmation: a question leaves the token unused and goes to the
 * organizers, "no" withdraws, doubt never confirms. */
static gboolean start_confirm(InboundCtx *c, const Petition *p, Member *mb, gint64 sig,
			      GError **error)
{
	static const char *const go_on[] = { "continue", NULL };
	IntentReading r = { 0 };
	gboolean creator = mb->id == p->creator_id, ok = FALSE, cont;
	char *from = from_address(c);
	gboolean own = g_strcmp0(from, mb->email) == 0;
	SignResult res;
	gint64 pid;

	g_free(from);
	if (!read_intent(c, mb, &r, error))
		return FALSE;
	cont = creator && first_word_is(inbound_reply_text(c->m), go_on);
	if (cont)
		r.intent = INTENT_SIGN;
	if (creator && r.intent == INTENT_SIGN && !cont && p->status == PETITION_STATUS_STARTED) {
		/* similar titles were shown: only "continue" goes on; the token stays usable */
		gboolean sim_ok;
		JsonArray *sim = similar_json(c, p, &sim_ok, error);

		if (!sim_ok)
			goto out;
		if (sim) {
			json_array_unref(sim);
			ok = ask_start_confirm(c, p, mb, c->recipient, error);
			c->result = "unclear";
			goto out;
		}
	}
	if (r.intent != INTENT_QUESTION && token_used(c, TOKEN_CONFIRM, &ok, error))
		goto out;
	if (r.intent == INTENT_SIGN) {
		ok = adopt_name(c, mb, error) &&
		     signature_confirm(c->db, sig, mb->id, NULL, &res, &pid, error) &&
		     (creator ? creator_confirmed(c, p, error) : sponsor_joined(c, p, mb, error));
	} else if (creator && own && r.intent != INTENT_QUESTION &&
		   p->status == PETITION_STATUS_STARTED) {
		gboolean moved = FALSE;
		WithdrawResult w;

		c->result = "withdrawn";
		ok = petition_advance(c->db, p->id, PETITION_STATUS_STARTED,
				      PETITION_STATUS_WITHDRAWN, NULL, NULL, &moved, error) &&
		     signature_withdraw(c->db, p->id, mb->id, TRUE, &w, error) &&
		     events_record(c->db, "petition-withdrawn", p->id, "creator", NULL, error) &&
		     start_news(c, p, mb, "withdrawn", NULL, error);
	} else {
		ok = answer_intent(c, p, mb, own, &r, error);
	}
out:
	intent_reading_clear(&r);
	return ok;
}

/* do_sponsor - sponsor+SLUG+TOKEN: the sender becomes a pending sponsor of a petition
 * gathering sponsors and is asked to confirm by reply; otherwise told why not */
static gboolean do_sponsor(InboundCtx *c, GError **error)
{
	Token t;
	Petition *p = NULL;
	Member *mb = NULL;
	char *addr = NULL, *reply = NULL;
	gint64 mid, sig;
	SignResult res;
	SignatureStatus status = SIGNATURE_STATUS_PENDING;
	gint64 pid = 0, smid = 0;
	gboolean ok = FALSE;
	GError *e = NULL;

	c->action = "sponsor";
	if (!decode(c, TOKEN_SPONSOR, &t, error))
		return FALSE;
	p = petition_get(c->db, t.object, &e);
	if (e || p == NULL || !slug_matches(c, p)) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition", c->recipient);
		goto out;
	}
	if ((mb = need_from(c, &addr, FALSE, NULL, error)) == NULL)
		goto out;
	mid = mb->id;
	if (mid == p->creator_id) {
		c->result = "refused";
		ok = start_news(c, p, mb, "own", NULL, error);
		goto out;
	}
	if (p->status != PETITION_STATUS_SPONSORING) {
		JsonObject *d = data_new(c, mb);

		json_object_set_boolean_member(d, "published", petition_is_published(p));
		json_object_set_string_member(d, "status", petition_status_name(p->status));
		c->result = "refused";
		ok = start_news(c, p, mb, "not_sponsoring", d, error);
		goto out;
	}
	if ((sig = signature_add(c->db, p->id, mid, FALSE, SIGNATURE_SOURCE_SPONSOR,
				 inbound_reply_text(c->m), c->m->message_id, &res, error)) == 0 ||
	    !signature_lookup(c->db, sig, &pid, &smid, &status, error))
		goto out;
	if (status == SIGNATURE_STATUS_CONFIRMED) {
		c->result = "already";
		ok = start_news(c, p, mb, "sponsored", NULL, error);
		goto out;
	}
	c->result = "pending";
	reply = token_address(c, "confirm", NULL, TOKEN_CONFIRM, sig, mid, TRUE);
	{
		JsonObject *d = with_petition(c, data_new(c, mb), p);

		json_object_set_string_member(d, "sign_address", reply);
		ok = respond(c, "sponsor_confirm", mb, reply, d, OUTBOX_RESPONSE, error);
	}
out:
	g_free(reply);
	g_free(addr);
	member_free(mb);
	petition_free(p);
	return ok;
}

/* ==== A creator's updates to the signers (docs/petitions.md) ==== */

/* update_answer - template start_news to to about p with flag what and extra members of d
 * (consumed; NULL: none): a response to this message, result "refused" unless pending */
static gboolean update_answer(InboundCtx *c, const Petition *p, const Member *to,
			      const char *what, JsonObject *d, GError **error)
{
	if (d == NULL)
		d = data_new(c, to);
	json_object_set_int_member(d, "title_max", c->cfg->start_title_max);
	json_object_set_int_member(d, "update_max", c->cfg->update_max);
	json_object_set_int_member(d, "updates_pending", c->cfg->updates_pending);
	if (strcmp(what, "update_received") != 0) {
		json_object_set_boolean_member(d, "update_refused", TRUE);
		c->result = "refused";
		log_info("petition %s: update refused (%s)", p->slug, what);
	}
	return start_news(c, p, to, what, d, error);
}

/*
 * do_update - update+SLUG+TOKEN: the creator's update to the petition's signers (subject:
 * its subject, the visible text of the body: its text, Markdown + Mustache), pending until
 * an organizer decides. Only from the creator's own address (as every creator's act) and
 * only for a published, open petition, within the limits; from anyone else nothing is
 * recorded and the sender is told why.
 */
static gboolean do_update(InboundCtx *c, GError **error)
{
	Token t;
	Petition *p = NULL;
	Member *mb = NULL;
	PetitionUpdate *u = NULL;
	char *from = NULL, *subject = NULL, *body = NULL;
	gint64 pending = 0, id;
	glong slen, blen;
	GError *e = NULL;
	gboolean ok = FALSE;

	c->action = "update";
	c->keep_raw = TRUE;
	if (!decode(c, TOKEN_UPDATE, &t, error))
		return FALSE;
	p = petition_get(c->db, t.object, &e);
	if (e || p == NULL || !slug_matches(c, p) ||
	    p->creator_id != t.member) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition", c->recipient);
		goto out;
	}
	if ((mb = token_member(c, &t, error)) == NULL)
		goto out;
	if (!from_is(c, mb)) {
		/* a forged or forwarded update: nothing recorded, nothing sent on; the sender
		 * is told (a response the daily limit counts: nobody asked for it) */
		Member other;

		if ((from = from_address(c)) == NULL) {
			c->result = "refused";
			ok = TRUE;
			goto out;
		}
		other = stranger(from, c->m->from_name);
		ok = update_answer(c, p, &other, "update_not_creator", NULL, error);
		goto out;
	}
	if (p->status != PETITION_STATUS_OPEN) {
		JsonObject *d = data_new(c, mb);

		json_object_set_string_member(d, "status", petition_status_name(p->status));
		ok = update_answer(c, p, mb, "update_not_open", d, error);
		goto out;
	}
	subject = g_strstrip(pm_clean_text(c->m->subject ? c->m->subject : ""));
	body = g_strstrip(g_strdup(inbound_reply_text(c->m)));
	slen = g_utf8_strlen(subject, -1);
	blen = g_utf8_strlen(body, -1);
	if (!petition_update_pending(c->db, p->id, &pending, error))
		goto out;
	if (slen == 0 || blen == 0)
		ok = update_answer(c, p, mb, "update_empty", NULL, error);
	else if (slen > c->cfg->start_title_max || blen > c->cfg->update_max)
		ok = update_answer(c, p, mb, "update_too_long", NULL, error);
	else if (pending >= c->cfg->updates_pending)
		ok = update_answer(c, p, mb, "update_too_many", NULL, error);
	else if ((id = petition_update_add(c->db, p->id, mb->id, subject, body, &e)) == 0) {
		if (e->code == EX_DATAERR) {
			/* not valid Mustache: the creator is told where */
			JsonObject *d = data_new(c, mb);

			json_object_set_string_member(d, "problem", e->message);
			g_clear_error(&e);
			ok = update_answer(c, p, mb, "update_invalid", d, error);
		} else {
			g_propagate_error(error, e);
		}
	} else if ((u = petition_update_need(c->db, id, error)) != NULL) {
		c->result = "pending";
		ok = update_received(c->db, c->cfg, c->key, p, u, error);
	}
out:
	g_free(subject);
	g_free(body);
	g_free(from);
	petition_update_free(u);
	member_free(mb);
	petition_free(p);
	return ok;
}

/* rest_of_line - what follows the first word of text on its line, trimmed of white space
 * and leading punctuation, or NULL when nothing; caller frees */
static char *rest_of_line(const char *text)
{
	const char *p = text ? text : "", *end;

	while (*p && !g_ascii_isalpha(*p))
		p++;
	while (g_ascii_isalpha(*p))
		p++;
	while (*p == ' ' || *p == '\t' || *p == ':' || *p == '-' || *p == ',')
		p++;
	end = strchr(p, '\n');
	if (end == NULL)
		end = p + strlen(p);
	{
		char *r = g_strstrip(g_strndup(p, (gsize)(end - p)));

		if (*r)
			return r;
		g_free(r);
	}
	return NULL;
}

/* ==== An organizer's decision by reply (review+TOKEN, decide+TOKEN) ==== */

/* Decision - how the organizers' replies that decide differ (decision_reply) */
typedef struct {
	const char *action;                   /* c->action */
	TokenPurpose purpose;                 /* the token it answers */
	gboolean update;                      /* about an update (the token's object), else a petition */
	const char *tmpl;                     /* the organizers' notice: asked again, refused */
	const char *const *yes;               /* the words that approve (decision_no: reject) */
	char *(*reason_of)(const char *text); /* a rejection's reason in the reply, or NULL */
} Decision;

static const char *const decision_no[] = { "reject", "rejected", "no", NULL };
static const char *const review_yes[] = { "approve", "approved", "publish", "yes", "ok", NULL };
static const char *const update_yes[] = { "approve", "approved", "yes", "ok", "okay", NULL };

/* review+TOKEN: "approve" publishes the petition in moderation, "reject REASON" (a
 * configured code) rejects it */
static const Decision review_decision = { "review", TOKEN_REVIEW, FALSE, "petition_review",
					  review_yes, second_word };
/* decide+TOKEN: "approve" sends the update to the signers, "reject REASON" refuses it */
static const Decision update_decision = { "decide", TOKEN_UPDATE_REVIEW, TRUE, "update_review",
					  update_yes, rest_of_line };

/* decision_data - the notice data about p, or its update u (NULL: p itself), for
 * organizer org (address, "" for none); caller unrefs */
static JsonObject *decision_data(InboundCtx *c, const Petition *p, const PetitionUpdate *u,
				 const char *org)
{
	return u ? update_notice_data(c->db, c->cfg, p, u, org)
		 : review_notice_data(c->db, c->cfg, p, org);
}

/* decision_refused - a reply about about (p, or its update u) not from the organizer it
 * was sent to: nothing decided, the organizers told who tried */
static gboolean decision_refused(InboundCtx *c, const Decision *k, const Petition *p,
				 const PetitionUpdate *u, const char *about, const char *from,
				 GError **error)
{
	JsonObject *d = decision_data(c, p, u, "");
	JsonNode *node = json_node_init_object(json_node_alloc(), d);
	Notice n = { k->tmpl, node, NULL, p->id, NULL, NULL, NULL };
	gboolean ok;

	json_object_set_string_member(d, "refused_from", from ? from : "(no address)");
	log_info("decision on %s not from its organizer: refused", about);
	c->result = "refused";
	ok = notify_organizers(c->db, c->cfg, &n, NULL, error);
	json_node_unref(node);
	json_object_unref(d);
	return ok;
}

/* decision_apply - approve (reason NULL) or reject p, or its update u (NULL: p itself),
 * decided by by; EX_USAGE: a rejection without a (known) reason, nothing changed */
static gboolean decision_apply(InboundCtx *c, const Petition *p, const PetitionUpdate *u,
			       gboolean approve, const char *reason, const char *by,
			       GError **error)
{
	return u ? update_decide(c->db, c->cfg, c->key, u->id, approve, reason, by, NULL, error)
		 : review_decide(c->db, c->cfg, c->key, p, approve, reason, by, error);
}

/* decision_reply - an organizer's reply to k's token: approve, or reject with a reason;
 * anything else is asked again; from another address nothing is decided (the organizers
 * told); about one no longer waiting nothing either */
static gboolean decision_reply(InboundCtx *c, const Decision *k, GError **error)
{
	const char *text;
	char *from = NULL, *reason = NULL, *about = NULL;
	Member *org;
	PetitionUpdate *u = NULL;
	Petition *p = NULL;
	Token t;
	gboolean ok = FALSE;
	GError *e = NULL;

	c->action = k->action;
	if (!decode(c, k->purpose, &t, error) || (org = token_member(c, &t, error)) == NULL)
		return FALSE;
	if ((k->update && (u = petition_update_need(c->db, t.object, error)) == NULL) ||
	    (p = petition_need_id(c->db, u ? u->petition_id : t.object, error)) == NULL)
		goto out;
	about = u ? g_strdup_printf("update %" G_GINT64_FORMAT, u->id)
		  : g_strdup_printf("petition %s", p->slug);
	from = from_address(c);
	if (!organizer_is(c->cfg, NULL, org->email) || !is_member_addr(c, from, org) ||
	    !organizer_is(c->cfg, NULL, from)) {
		ok = decision_refused(c, k, p, u, about, from, error);
		goto out;
	}
	if (u ? u->status != PETITION_UPDATE_PENDING : p->status != PETITION_STATUS_MODERATION) {
		log_info("decision on %s, which is %s: nothing to decide", about,
			 u ? petition_update_status_name(u->status) : petition_status_name(p->status));
		c->result = "decided";
		ok = TRUE;
		goto out;
	}
	text = inbound_reply_text(c->m);
	reason = k->reason_of(text);
	if (u && first_word_is(text, k->yes) && !update_sendable(p, NULL)) {
		/* closed, withdrawn or past its date meanwhile: no approval (update_sendable);
		 * the organizer is told, and can still reject it */
		JsonObject *d = decision_data(c, p, u, org->email);

		json_object_set_string_member(d, "not_open",
					      petition_status_name(petition_status_now(p)));
		c->result = "refused";
		ok = respond(c, k->tmpl, org, c->recipient, d, OUTBOX_NOTICE, error);
	} else if (first_word_is(text, k->yes)) {
		ok = decision_apply(c, p, u, TRUE, NULL, org->email, error);
		c->result = "approved";
	} else if (first_word_is(text, decision_no) &&
		   (ok = decision_apply(c, p, u, FALSE, reason, org->email, &e))) {
		c->result = "rejected";
	} else if (e && e->code != EX_USAGE) {
		g_propagate_error(error, e);
		ok = FALSE;
	} else {
		/* not a decision (or a rejection without a known reason): asked again */
		JsonObject *d = decision_data(c, p, u, org->email);

		g_clear_error(&e);
		json_object_set_boolean_member(d, "unclear", TRUE);
		c->result = "unclear";
		ok = respond(c, k->tmpl, org, c->recipient, d, OUTBOX_NOTICE, error);
	}
out:
	g_free(reason);
	g_free(from);
	g_free(about);
	petition_free(p);
	petition_update_free(u);
	member_free(org);
	return ok;
}

/* do_review - an organizer's reply to review+TOKEN (review_decision) */
static gboolean do_review(InboundCtx *c, GError **error)
{
	return decision_reply(c, &review_decision, error);
}

/* do_decide - an organizer's reply to decide+TOKEN (update_decision) */
static gboolean do_decide(InboundCtx *c, GError **error)
{
	return decision_reply(c, &update_decision, error);
}

/* do_unfollow - unfollow+TOKEN (List-Unsubscribe of a petition's updates): the token's
 * signer gets no more updates about that petition, at once; by mail without mail back.
 * From the web's one-click page (POST /u/TOKEN, which anyone holding a forwarded copy can
 * send) the way back (follow_address) goes by mail to the member's own address, never
 * on the page, and only when this stopped them (so posting again mails nobody) */
static gboolean do_unfollow(InboundCtx *c, GError **error)
{
	Token t;
	Member *mb;
	Petition *p = NULL;
	gboolean changed = FALSE, is_signed = FALSE, ok;
	GError *e = NULL;

	c->action = "unsubscribe";
	if (!decode(c, TOKEN_UNFOLLOW, &t, error) || (mb = token_member(c, &t, error)) == NULL)
		return FALSE;
	ok = signature_stop_updates(c->db, t.object, mb->id, pm_now(), &changed, error) &&
	     signature_exists(c->db, t.object, mb->id, &is_signed, error);
	if (ok)
		c->result = changed ? "unfollowed" : "already";
	if (ok && changed && is_signed && from_web(c)) {
		if ((p = petition_get(c->db, t.object, &e)) == NULL) {
			ok = e == NULL;
			if (e)
				g_propagate_error(error, e);
		} else {
			JsonObject *d = with_petition(c, data_new(c, mb), p);
			char *follow = follow_address(c, p->id, mb->id);

			json_object_set_boolean_member(d, "updates_stopped", TRUE);
			json_object_set_boolean_member(d, "signed", TRUE);
			json_object_set_string_member(d, "follow_address", follow);
			g_free(follow);
			ok = respond(c, "reply_unsubscribed", mb, NULL, d, OUTBOX_RESPONSE, error);
			c->result = "unfollowed";
		}
	}
	petition_free(p);
	member_free(mb);
	return ok;
}

/* do_follow - follow+TOKEN (offered to a signer who stopped a petition's updates): the
 * token's signer, from their own address, gets its updates again. The token acts once and
 * only for its member: from another address nothing changes, the token stays unused and
 * nobody is answered (the other sender has no say over the member's mail). */
static gboolean do_follow(InboundCtx *c, GError **error)
{
	Token t;
	Member *mb;
	Petition *p = NULL;
	gboolean changed = FALSE, is_signed = FALSE, ok = FALSE;
	GError *e = NULL;
	JsonObject *d;

	c->action = "follow";
	if (!decode(c, TOKEN_FOLLOW, &t, error) || (mb = token_member(c, &t, error)) == NULL)
		return FALSE;
	if ((p = petition_get(c->db, t.object, &e)) == NULL) {
		if (e)
			g_propagate_error(error, e);
		else
			g_set_error(error, PM_ERROR, EX_NOUSER, "%s: unknown petition", c->recipient);
		goto out;
	}
	if (!from_is(c, mb)) {
		log_info("follow token of member %" G_GINT64_FORMAT " from another address: "
			 "nothing done", mb->id);
		c->result = "refused";
		ok = TRUE;
		goto out;
	}
	if (token_used(c, TOKEN_FOLLOW, &ok, error))
		goto out;
	if (!signature_resume_updates(c->db, p->id, mb->id, &changed, error) ||
	    !signature_exists(c->db, p->id, mb->id, &is_signed, error))
		goto out;
	c->result = !is_signed ? "unsigned" : changed ? "followed" : "already";
	d = with_petition(c, data_new(c, mb), p);
	json_object_set_boolean_member(d, "signed", is_signed);
	json_object_set_boolean_member(d, "open", petition_is_open(p));
	json_object_set_boolean_member(d, "all_stopped", mb->status != MEMBER_STATUS_ACTIVE);
	ok = respond(c, "reply_followed", mb, NULL, d, OUTBOX_RESPONSE, error);
out:
	petition_free(p);
	member_free(mb);
	return ok;
}

/* ==== The recipient check ==== */

/* inbound_route_check - refuse an address that names nothing (see route.h) */
gboolean inbound_route_check(InboundCtx *c, GError **error)
{
	int purpose = c->route.keyword ? address_keyword_purpose(c->route.keyword) : 0;
	Token t;
	Petition *p = NULL;
	List *l = NULL;
	Member *mb = NULL;
	gboolean ok = TRUE;

	switch (c->route.kind) {
	case ROUTE_SIGN:
		if (c->route.token) {
			ok = decode(c, TOKEN_SIGN, &t, error) &&
			     (p = sign_token_petition(c, &t, error)) != NULL &&
			     (mb = token_member(c, &t, error)) != NULL;
			break;
		}
		ok = (p = find_petition(c, c->route.arg, error)) != NULL;
		break;
	case ROUTE_STORY:
		if (c->route.token)
			ok = decode(c, TOKEN_STORY, &t, error);
		else if (c->route.arg)
			ok = (p = find_petition(c, c->route.arg, error)) != NULL;
		break;
	case ROUTE_LIST_POST: case ROUTE_LIST_SUBSCRIBE: case ROUTE_LIST_UNSUBSCRIBE:
	case ROUTE_LIST_HELP:
		if (c->route.arg)
			ok = (l = find_list(c, c->route.arg, error)) != NULL;
		break;
	case ROUTE_TOKEN:
		/* altered, of another purpose, or expired: refused by every handler alike */
		if (purpose == 0) {
			g_set_error(error, PM_ERROR, EX_NOUSER, "unknown address %s", c->recipient);
			ok = FALSE;
			break;
		}
		ok = decode(c, purpose, &t, error);
		if (ok && purpose == TOKEN_SIGN)
			ok = (p = sign_token_petition(c, &t, error)) != NULL &&
			     (mb = token_member(c, &t, error)) != NULL;
		break;
	default:
		break;
	}
	petition_free(p);
	list_free(l);
	member_free(mb);
	return ok;
}

/* ==== Dispatch ==== */

/* route_name - the inbound log's action for an ignored message */
static const char *route_name(const Route *r)
{
	switch (r->kind) {
	case ROUTE_HELP: case ROUTE_LIST_HELP: return "help";
	case ROUTE_SIGN: return "sign";
	case ROUTE_STORY: return "story";
	case ROUTE_LIST_POST: return "post";
	case ROUTE_LIST_SUBSCRIBE: return "subscribe";
	case ROUTE_LIST_UNSUBSCRIBE: return "unsubscribe";
	case ROUTE_OWNER: return "owner";
	case ROUTE_START: return "start";
	case ROUTE_TOKEN: return r->keyword ? r->keyword : "token";
	default: return "none";
	}
}

/* inbound_route_prepare - what route's handler reads from m, computed now */
void inbound_route_prepare(const Route *route, InboundMessage *m, const PmConfig *cfg)
{
	int purpose = route->keyword ? address_keyword_purpose(route->keyword) : 0;
	const IntentPhrases *ph;

	if (route->kind == ROUTE_TOKEN && purpose == TOKEN_BOUNCE) {
		inbound_classify(m);                    /* do_bounce */
		if (m->autokind == AUTO_NULL_SENDER)
			inbound_autokind_headers(m);
		return;
	}
	if (route->kind == ROUTE_OWNER) {
		if (inbound_classify(m)->kind != BOUNCE_FEEDBACK)   /* do_owner */
			inbound_auto_reply(m);
		return;
	}
	if (m->autokind != AUTO_NONE)
		return;                                 /* ignored: nothing is read */
	inbound_reply_text(m);
	/* a failure to read the phrase files is the handler's to report (EX_TEMPFAIL) */
	if ((route->kind == ROUTE_SIGN || route->kind == ROUTE_TOKEN ||
	     route->kind == ROUTE_START) &&
	    (ph = intent_phrases_shared(cfg->intent_phrases, NULL)) != NULL) {
		inbound_intent(m, ph);
		inbound_language(m, ph);
	}
}

/* inbound_route - dispatch by route */
gboolean inbound_route(InboundCtx *c, GError **error)
{
	int purpose = c->route.keyword ? address_keyword_purpose(c->route.keyword) : 0;

	c->kind = INBOUND_KIND_MESSAGE;
	c->action = route_name(&c->route);
	c->result = "ignored";
	if (c->route.kind == ROUTE_TOKEN && purpose == TOKEN_BOUNCE)
		return do_bounce(c, error);
	if (c->route.kind == ROUTE_OWNER)
		return do_owner(c, error);
	if (c->m->autokind != AUTO_NONE) {
		c->kind = INBOUND_KIND_AUTOREPLY;
		char *shown = address_redact(c->recipient);

		log_info("ignoring %s message to %s", autoreply_name(c->m->autokind), shown);
		g_free(shown);
		return TRUE;
	}
	switch (c->route.kind) {
	case ROUTE_HELP: return do_help(c, FALSE, error);
	case ROUTE_LIST_HELP: return do_help(c, TRUE, error);
	case ROUTE_SIGN: return c->route.token ? do_sign_reply(c, error) : do_sign_writing(c, error);
	case ROUTE_STORY: return do_story(c, error);
	case ROUTE_LIST_POST: return do_post(c, error);
	case ROUTE_LIST_SUBSCRIBE: return do_subscribe(c, error);
	case ROUTE_LIST_UNSUBSCRIBE: return do_unsubscribe_request(c, error);
	case ROUTE_START: return do_start(c, error);
	case ROUTE_TOKEN:
		switch (purpose) {
		case TOKEN_CONFIRM: return do_confirm(c, error);
		case TOKEN_SUBSCRIBE: return do_join(c, error);
		case TOKEN_UNSUBSCRIBE: return do_leave(c, TOKEN_UNSUBSCRIBE, error);
		case TOKEN_UNSUB_CONFIRM: return do_bye(c, error);
		case TOKEN_MODERATE: return do_moderate(c, error);
		case TOKEN_BROADCAST: return do_broadcast(c, error);
		case TOKEN_DELIVERY: return do_delivery_reply(c, error);
		case TOKEN_SIGN: return do_sign_reply(c, error);
		case TOKEN_STORY: return do_story(c, error);
		case TOKEN_SPONSOR: return do_sponsor(c, error);
		case TOKEN_REVIEW: return do_review(c, error);
		case TOKEN_UPDATE: return do_update(c, error);
		case TOKEN_UPDATE_REVIEW: return do_decide(c, error);
		case TOKEN_UNFOLLOW: return do_unfollow(c, error);
		case TOKEN_LANGUAGE: return do_language(c, error);
		case TOKEN_FOLLOW: return do_follow(c, error);
		default: break;
		}
		break;
	default:
		break;
	}
	g_set_error(error, PM_ERROR, EX_NOUSER, "unknown address %s", c->recipient);
	return FALSE;
}

/* inbound_web_mark - "web " and the HMAC of "web-source:" and the Message-ID */
char *inbound_web_mark(const PmSecret *key, const char *message_id)
{
	char *data = g_strconcat("web-source:", message_id ? message_id : "", NULL);
	char *mac = token_hmac_hex(key, data, -1);
	char *mark = g_strconcat("web ", mac, NULL);

	g_free(data);
	g_free(mac);
	return mark;
}

/* inbound_is_web - TRUE when mark (surrounding white space ignored) is the web face's own
 * mark for message_id */
gboolean inbound_is_web(const PmSecret *key, const char *mark, const char *message_id)
{
	char *want, *got;
	gboolean same;

	if (mark == NULL || message_id == NULL)
		return FALSE;
	got = g_strstrip(g_strdup(mark));
	want = inbound_web_mark(key, message_id);
	same = strcmp(got, want) == 0;
	g_free(got);
	g_free(want);
	return same;
}
