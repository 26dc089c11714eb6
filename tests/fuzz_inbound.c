/*
 * fuzz_inbound.c - libFuzzer target for the parse-and-classify path of inbound: GMime
 * parse with the work bounds, autoreply_classify, bounce_parse and replytext_visible,
 * exactly as `peermail inspect` and `receive` run them. Records nothing.
 */
#include <gmime/gmime.h>
#include <stdint.h>
#include "inbound/inbound.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input: parse, classify, extract */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean init;
	GBytes *raw;
	InboundMessage *m;
	GError *e = NULL;

	if (!init) {
		g_mime_init();
		init = TRUE;
	}
	raw = g_bytes_new(data, size);
	/* the first byte chooses the envelope sender: unknown, null, or a person */
	m = inbound_parse(raw, size && data[0] == 'N' ? "" : size && data[0] == 'P' ?
			  "someone@example.org" : NULL, &e);
	if (m) {
		(void)inbound_kind(m);
		(void)inbound_reply_text(m);
		g_free(inbound_recipient_from_headers(m));
	}
	g_clear_error(&e);
	inbound_message_free(m);
	g_bytes_unref(raw);
	return 0;
}
