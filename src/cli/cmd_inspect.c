/*
 * cmd_inspect.c - `peermail inspect [--json] < MESSAGE`: how peermail reads a message.
 *
 * Records nothing and needs no database: parse, classify, and print the kind, sender,
 * Message-ID, bounce recipients, visible reply text and what a reply to a petition mail
 * would mean (mail/intent.h: the intent, the phrase that decided it and its language;
 * the phrases from the configuration's intent_phrases, else the installed ones). A configuration is optional (its
 * size limit is used); one that exists but is broken is an error (78), as everywhere.
 */
#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "cli/print.h"
#include "inbound/inbound.h"
#include "base/json.h"
#include "mail/replytext.h"
#include "base/pm.h"
#include "mail/intent.h"

/* read_intent - what m's reply text means into *r; FALSE (with *why) without phrases */
static gboolean read_intent(CmdCtx *c, InboundMessage *m, IntentReading *r, char **why)
{
	char *dir = c->cfg ? g_strdup(c->cfg->intent_phrases)
			   : g_build_filename(PEERMAIL_DATADIR, "intent", NULL);
	GError *e = NULL;
	IntentPhrases *ph = intent_phrases_load(dir, &e);

	g_free(dir);
	if (ph == NULL) {
		*why = g_strdup(e->message);
		g_error_free(e);
		return FALSE;
	}
	intent_read(ph, inbound_reply_text(m), r);
	intent_phrases_free(ph);
	return TRUE;
}

/* inspect_json - the message as one JSON object (keys from cli.md) */
static void inspect_json(CmdCtx *c, InboundMessage *m)
{
	IntentReading ir = { 0 };
	char *why = NULL;
	gboolean have = read_intent(c, m, &ir, &why);

	JsonBuilder *b = json_builder_new();
	BounceReport *r = inbound_classify(m);
	char *rule = replytext_rule(m->msg);

	json_put_object(b, NULL);
	json_put_str(b, "kind", inbound_kind_name(inbound_kind(m)));
	json_put_str(b, "from", m->from_addr);
	json_put_str(b, "message_id", m->message_id);
	json_put_str(b, "subject", m->subject);
	json_put_str(b, "autoreply", m->autokind ? autoreply_name(m->autokind) : NULL);
	json_put_object(b, "bounce");
	json_put_str(b, "rule", r->rule);
	if (r->recipients->len == 0 && r->status) {
		json_put_str(b, "status", r->status);
		json_put_bool(b, "permanent", r->permanent);
	}
	if (r->kind == BOUNCE_FEEDBACK)
		json_put_str(b, "feedback_type", r->feedback_type);
	json_put_array(b, "recipients");
	for (guint i = 0; i < r->recipients->len; i++) {
		BounceRecipient *x = g_ptr_array_index(r->recipients, i);

		json_put_object(b, NULL);
		print_bounced(b, x->address, x->status, x->permanent, x->diagnostic);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_put_str(b, "reply_text", inbound_reply_text(m));
	json_put_str(b, "reply_rule", rule);
	json_put_object(b, "intent");
	json_put_str(b, "name", have ? intent_name(ir.intent) : NULL);
	json_put_str(b, "phrase", have ? ir.phrase : NULL);
	json_put_str(b, "language", have ? ir.lang : NULL);
	if (!have)
		json_put_str(b, "error", why);
	json_builder_end_object(b);
	json_builder_end_object(b);
	g_free(rule);
	cli_json(c, b);
	intent_reading_clear(&ir);
	g_free(why);
}

/* inspect_text - a readable summary */
static void inspect_text(CmdCtx *c, InboundMessage *m)
{
	BounceReport *r = inbound_classify(m);
	GString *o = c->out;
	char *rule;
	IntentReading ir = { 0 };
	char *why = NULL;

	g_string_append_printf(o, "kind:       %s\n", inbound_kind_name(inbound_kind(m)));
	g_string_append_printf(o, "from:       %s\n", m->from_addr ? m->from_addr : "(none)");
	g_string_append_printf(o, "message-id: %s\n", m->message_id ? m->message_id : "(none)");
	g_string_append_printf(o, "subject:    %s\n", m->subject ? m->subject : "(none)");
	if (m->autokind)
		g_string_append_printf(o, "auto-reply: %s\n", autoreply_name(m->autokind));
	if (r->rule)
		g_string_append_printf(o, "rule:       %s\n", r->rule);
	if (r->recipients->len == 0 && r->status)
		g_string_append_printf(o, "bounced:    (the return path's member) %s (%s)\n",
				       r->status, r->permanent ? "permanent" : "transient");
	for (guint i = 0; i < r->recipients->len; i++) {
		BounceRecipient *x = g_ptr_array_index(r->recipients, i);

		g_string_append_printf(o, "bounced:    %s %s (%s)%s%s\n",
				       x->address ? x->address : "?", x->status ? x->status : "-",
				       x->permanent ? "permanent" : "transient",
				       x->diagnostic ? ": " : "", x->diagnostic ? x->diagnostic : "");
	}
	rule = replytext_rule(m->msg);
	g_string_append_printf(o, "reply rule: %s\n", rule);
	g_free(rule);
	if (read_intent(c, m, &ir, &why)) {
		g_string_append_printf(o, "intent:     %s by \"%s\"%s%s%s\n", intent_name(ir.intent),
				       ir.phrase, ir.lang ? " (" : "", ir.lang ? ir.lang : "",
				       ir.lang ? ")" : "");
		intent_reading_clear(&ir);
	} else {
		g_string_append_printf(o, "intent:     (unknown: %s)\n", why);
		g_free(why);
	}
	g_string_append_printf(o, "reply text:\n%s\n", inbound_reply_text(m));
}

/* cmd_inspect - parse stdin and show how it is read */
gboolean cmd_inspect(CmdCtx *c, GError **error)
{
	/* the configuration is optional here: only its size limit is used */
	gint64 max = c->cfg ? c->cfg->max_message_size : 10485760;
	GBytes *raw = inbound_read_fd(STDIN_FILENO, max, error);
	InboundMessage *m = raw ? inbound_parse(raw, c->o->sender, error) : NULL;

	if (m && c->o->json)
		inspect_json(c, m);
	else if (m)
		inspect_text(c, m);
	inbound_message_free(m);
	if (raw)
		g_bytes_unref(raw);
	return m != NULL;
}
