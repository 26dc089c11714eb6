/*
 * message.c - parsing and classifying one incoming message (reading it and its envelope:
 * envelope.c).
 *
 * DIAGNOSTICS: EX_DATAERR for what is not a message or is over the bounds, EX_TEMPFAIL
 * for read errors (PM_ERROR).
 */
#include <string.h>
#include <sysexits.h>
#include "base/pm.h"
#include "inbound/message.h"
#include "mail/compose.h"
#include "mail/replytext.h"

static const char *const kind_names[] = {
	[INBOUND_KIND_MESSAGE] = "message", [INBOUND_KIND_AUTOREPLY] = "autoreply",
	[INBOUND_KIND_BOUNCE] = "bounce", [INBOUND_KIND_FEEDBACK] = "feedback",
};

/* inbound_kind_name - the kind as stored */
const char *inbound_kind_name(InboundKind kind)
{
	return (unsigned)kind < G_N_ELEMENTS(kind_names) ? kind_names[kind] : NULL;
}

/* inbound_kind_parse - the kind stored as s */
gboolean inbound_kind_parse(const char *s, InboundKind *kind)
{
	int i = pm_name_index(kind_names, G_N_ELEMENTS(kind_names), s);

	if (i < 0)
		return FALSE;
	*kind = (InboundKind)i;
	return TRUE;
}

/* ==== Parsing ==== */

/* fold - a header value cleaned (pm_clean_text) and bounded to INBOUND_MAX_HEADER; caller frees */
static char *fold(const char *s)
{
	return pm_clean_text_len(s, INBOUND_MAX_HEADER);
}

/* within_bounds - TRUE if the MIME tree stays within the depth and part bounds */
static gboolean within_bounds(GMimeObject *o, int depth, int *parts)
{
	if (++*parts > INBOUND_MAX_PARTS || depth > INBOUND_MAX_DEPTH)
		return FALSE;
	if (GMIME_IS_MULTIPART(o)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));

		for (int i = 0; i < n; i++)
			if (!within_bounds(g_mime_multipart_get_part(GMIME_MULTIPART(o), i),
					   depth + 1, parts))
				return FALSE;
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));

		if (inner && inner->mime_part &&
		    !within_bounds(inner->mime_part, depth + 1, parts))
			return FALSE;
	}
	return TRUE;
}

/* nesting_too_deep - a cheap scan before GMime: more boundaries than the bounds allow */
static gboolean nesting_too_deep(GBytes *raw)
{
	gsize len;
	const char *p = g_bytes_get_data(raw, &len);
	int n = 0;

	/* GMime's parser recurses once per nested multipart (which needs a boundary
	 * parameter, also as boundary*0=) and once per embedded message (message/rfc822,
	 * message/global...): count both words, case-insensitively, and refuse absurd counts
	 * before parsing can exhaust the stack. */
	for (gsize i = 0; i + 8 <= len; i++) {
		int c = p[i] | 0x20;

		if ((c == 'b' && g_ascii_strncasecmp(p + i, "boundary", 8) == 0) ||
		    (c == 'm' && g_ascii_strncasecmp(p + i, "message/", 8) == 0))
			if (++n > INBOUND_MAX_PARTS)
				return TRUE;
	}
	return FALSE;
}

/* from_encoded - a From: sent as one RFC 2047 encoded word around "Name <addr>" (Python's
 * email.mime with a non-ASCII name does this; an MTA then appends its own domain to what it
 * takes for a local part): the mailbox inside is the sender's, else none (NULL: the
 * envelope sender is used); sets m->from_addr and m->from_name */
static void from_encoded(InboundMessage *m, const char *addr)
{
	const char *at = strrchr(addr, '@');
	gsize n = at ? (gsize)(at - addr) : strlen(addr);
	char *local = g_strndup(addr, n);
	char *text = g_mime_utils_header_decode_text(NULL, local);
	InternetAddressList *list = internet_address_list_parse(NULL, text);
	InternetAddress *a = list && internet_address_list_length(list) > 0 ?
			     internet_address_list_get_address(list, 0) : NULL;

	if (a && INTERNET_ADDRESS_IS_MAILBOX(a) &&
	    strstr(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)), "=?") == NULL) {
		m->from_addr = fold(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
		m->from_name = fold(internet_address_get_name(a));
	}
	if (list)
		g_object_unref(list);
	g_free(text);
	g_free(local);
}

/* inbound_parse - GMime parse plus the cheap header facts */
InboundMessage *inbound_parse(GBytes *raw, const char *envelope_sender, GError **error)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(raw, &len);
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	InboundMessage *m;
	InternetAddressList *from;
	int parts = 0;

	if (len == 0 || nesting_too_deep(raw)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, len == 0 ? "empty message" :
			    "message has too many MIME parts");
		return NULL;
	}
	/* the stream copies nothing: it reads the bytes in place */
	{
		gsize off = compose_header_start(data, len);

		data += off;
		len -= off;
	}
	stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL || msg->mime_part == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a parseable mail message");
		if (msg)
			g_object_unref(msg);
		return NULL;
	}
	if (!within_bounds(msg->mime_part, 0, &parts)) {
		g_set_error(error, PM_ERROR, EX_DATAERR,
			    "message nested too deeply or with too many MIME parts");
		g_object_unref(msg);
		return NULL;
	}
	m = g_new0(InboundMessage, 1);
	m->msg = msg;
	m->raw = g_bytes_ref(raw);
	from = g_mime_message_get_from(msg);
	for (int i = 0; from && i < internet_address_list_length(from); i++) {
		InternetAddress *a = internet_address_list_get_address(from, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			const char *addr = internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(a));

			if (addr && g_str_has_prefix(addr, "=?") && strstr(addr, "?=") != NULL) {
				from_encoded(m, addr);
				break;
			}
			m->from_addr = fold(addr);
			m->from_name = fold(internet_address_get_name(a));
			break;
		}
	}
	m->message_id = fold(g_mime_message_get_message_id(msg));
	m->subject = fold(g_mime_message_get_subject(msg));
	m->autokind = autoreply_classify(msg, envelope_sender);
	m->web_source = g_strdup(g_mime_object_get_header(GMIME_OBJECT(msg), "X-Peermail-Source"));
	m->message_id_raw = g_strdup(g_mime_message_get_message_id(msg));
	m->autokind_headers = -1;
	m->auto_reply = -1;
	return m;
}

/* inbound_classify - bounce_parse once */
BounceReport *inbound_classify(InboundMessage *m)
{
	if (m->bounce == NULL)
		m->bounce = bounce_parse(m->msg);
	return m->bounce;
}

/* inbound_reply_text - replytext_visible once */
const char *inbound_reply_text(InboundMessage *m)
{
	if (m->reply_text == NULL) {
		char *t = replytext_visible(m->msg);

		m->reply_text = t ? t : g_strdup("");
	}
	return m->reply_text;
}

/* inbound_intent - intent_read once */
const IntentReading *inbound_intent(InboundMessage *m, const IntentPhrases *ph)
{
	if (!m->intent_read) {
		intent_read(ph, inbound_reply_text(m), &m->intent);
		m->intent_read = TRUE;
	}
	return &m->intent;
}

/* inbound_language - intent_language once */
const char *inbound_language(InboundMessage *m, const IntentPhrases *ph)
{
	if (!m->language_read) {
		m->language = intent_language(ph, inbound_reply_text(m));
		m->language_read = TRUE;
	}
	return m->language;
}

/* inbound_web_source - the header as read at parse time */
const char *inbound_web_source(InboundMessage *m)
{
	return m->web_source;
}

/* inbound_message_id_raw - the Message-ID as read at parse time */
const char *inbound_message_id_raw(InboundMessage *m)
{
	return m->message_id_raw;
}

/* inbound_autokind_headers - autoreply_classify without the envelope sender, once */
AutoKind inbound_autokind_headers(InboundMessage *m)
{
	if (m->autokind_headers < 0)
		m->autokind_headers = (int)autoreply_classify(m->msg, NULL);
	return (AutoKind)m->autokind_headers;
}

/* inbound_auto_reply - autoreply_is_reply, once */
gboolean inbound_auto_reply(InboundMessage *m)
{
	if (m->auto_reply < 0)
		m->auto_reply = autoreply_is_reply(m->msg) ? 1 : 0;
	return m->auto_reply == 1;
}

/* inbound_kind - bounce, feedback, autoreply or message */
InboundKind inbound_kind(InboundMessage *m)
{
	BounceReport *b;

	if (m->autokind == AUTO_VACATION)
		return INBOUND_KIND_AUTOREPLY;
	b = inbound_classify(m);
	if (b->kind == BOUNCE_DSN)
		return INBOUND_KIND_BOUNCE;
	if (b->kind == BOUNCE_FEEDBACK)
		return INBOUND_KIND_FEEDBACK;
	return m->autokind != AUTO_NONE ? INBOUND_KIND_AUTOREPLY : INBOUND_KIND_MESSAGE;
}

/* inbound_message_free - destroy */
InboundMessage *inbound_message_free(InboundMessage *m)
{
	if (m == NULL)
		return NULL;
	g_clear_object(&m->msg);
	g_bytes_unref(m->raw);
	g_free(m->from_addr);
	g_free(m->from_name);
	g_free(m->given_name);
	g_free(m->given_postcode);
	g_free(m->message_id);
	g_free(m->subject);
	bounce_report_free(m->bounce);
	g_free(m->reply_text);
	g_free(m->web_source);
	g_free(m->message_id_raw);
	intent_reading_clear(&m->intent);
	g_free(m->language);
	g_free(m);
	return NULL;
}

/* inbound_recipient_from_headers - the first Delivered-To, else X-Original-To */
char *inbound_recipient_from_headers(InboundMessage *m)
{
	static const char *const names[] = { "Delivered-To", "X-Original-To" };

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(m->msg), names[i]);
		char *f = fold(v);

		if (f)
			return f;
	}
	return NULL;
}

