/*
 * cmd_inspect.c - `peermail inspect [--json] < MESSAGE`: how peermail reads a message.
 *
 * Records nothing and needs no database: parse, classify, and print the kind, sender,
 * Message-ID, bounce recipients and visible reply text.
 */
#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "inbound/inbound.h"
#include "mail/replytext.h"
#include "base/pm.h"

/* inspect_json - the message as one JSON object (keys from cli.md) */
static void inspect_json(InboundMessage *m)
{
	JsonBuilder *b = json_builder_new();
	BounceReport *r = inbound_classify(m);
	char *rule;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, inbound_kind_name(inbound_kind(m)));
	json_builder_set_member_name(b, "from");
	json_builder_add_string_value(b, m->from_addr);
	json_builder_set_member_name(b, "message_id");
	json_builder_add_string_value(b, m->message_id);
	json_builder_set_member_name(b, "subject");
	json_builder_add_string_value(b, m->subject);
	json_builder_set_member_name(b, "autoreply");
	json_builder_add_string_value(b, m->autokind ? autoreply_name(m->autokind) : NULL);
	json_builder_set_member_name(b, "bounce");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "rule");
	json_builder_add_string_value(b, r->rule);
	if (r->recipients->len == 0 && r->status) {
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, r->status);
		json_builder_set_member_name(b, "permanent");
		json_builder_add_boolean_value(b, r->permanent);
	}
	if (r->kind == BOUNCE_FEEDBACK) {
		json_builder_set_member_name(b, "feedback_type");
		json_builder_add_string_value(b, r->feedback_type);
	}
	json_builder_set_member_name(b, "recipients");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->recipients->len; i++) {
		BounceRecipient *x = g_ptr_array_index(r->recipients, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "address");
		json_builder_add_string_value(b, x->address);
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, x->status);
		json_builder_set_member_name(b, "permanent");
		json_builder_add_boolean_value(b, x->permanent);
		json_builder_set_member_name(b, "diagnostic");
		json_builder_add_string_value(b, x->diagnostic);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "reply_text");
	json_builder_add_string_value(b, inbound_reply_text(m));
	json_builder_set_member_name(b, "reply_rule");
	rule = replytext_rule(m->msg);
	json_builder_add_string_value(b, rule);
	g_free(rule);
	json_builder_end_object(b);
	cli_print_json(b);
}

/* inspect_text - a readable summary */
static void inspect_text(InboundMessage *m)
{
	BounceReport *r = inbound_classify(m);
	char *rule;

	printf("kind:       %s\n", inbound_kind_name(inbound_kind(m)));
	printf("from:       %s\n", m->from_addr ? m->from_addr : "(none)");
	printf("message-id: %s\n", m->message_id ? m->message_id : "(none)");
	printf("subject:    %s\n", m->subject ? m->subject : "(none)");
	if (m->autokind)
		printf("auto-reply: %s\n", autoreply_name(m->autokind));
	if (r->rule)
		printf("rule:       %s\n", r->rule);
	if (r->recipients->len == 0 && r->status)
		printf("bounced:    (the return path's member) %s (%s)\n", r->status,
		       r->permanent ? "permanent" : "transient");
	for (guint i = 0; i < r->recipients->len; i++) {
		BounceRecipient *x = g_ptr_array_index(r->recipients, i);

		printf("bounced:    %s %s (%s)%s%s\n", x->address ? x->address : "?",
		       x->status ? x->status : "-", x->permanent ? "permanent" : "transient",
		       x->diagnostic ? ": " : "", x->diagnostic ? x->diagnostic : "");
	}
	rule = replytext_rule(m->msg);
	printf("reply rule: %s\n", rule);
	g_free(rule);
	printf("reply text:\n%s\n", inbound_reply_text(m));
}

/* cmd_inspect - parse stdin and show how it is read */
gboolean cmd_inspect(int argc, char **argv, GError **error)
{
	gboolean json = FALSE;
	char *sender = NULL;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "one JSON object on stdout", NULL },
		{ "sender", 0, 0, G_OPTION_ARG_STRING, &sender,
		  "envelope sender to assume (empty: a null sender)", "ADDR" },
		G_OPTION_ENTRY_NULL
	};
	GBytes *raw;
	InboundMessage *m;
	gint64 max = 10485760;
	const PmConfig *cfg;

	if (!cli_parse(&argc, &argv, "< MESSAGE", "Show how peermail reads a message; "
		       "records nothing.", entries, error))
		return FALSE;
	if (argc > 1) {
		g_free(sender);
		return cli_usage_error(error, "inspect [--json] < MESSAGE");
	}
	/* the configuration is optional here: only its size limit is used */
	{
		GError *e = NULL;

		if ((cfg = cli_config(&e)) != NULL)
			max = cfg->max_message_size;
		g_clear_error(&e);
	}
	raw = inbound_read_fd(STDIN_FILENO, max, error);
	m = raw ? inbound_parse(raw, sender, error) : NULL;
	if (m) {
		if (json)
			inspect_json(m);
		else
			inspect_text(m);
	}
	inbound_message_free(m);
	if (raw)
		g_bytes_unref(raw);
	g_free(sender);
	return m != NULL;
}
