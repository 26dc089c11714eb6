/*
 * compose.h - building the MIME messages peermail sends, with GMime.
 *
 * Owns: message templates (templates/LANG/NAME.txt: header lines, a blank line, the body;
 * NAME.html beside it, when present, adds an HTML alternative; the recipient's language,
 * then the configured default, then en, then the templates folder itself), RFC 2047 encoding of
 * non-ASCII header values, UTF-8 bodies with quoted-printable or base64, attachments,
 * CRLF output with lines under 998 octets, and the headers every message carries (Date,
 * Message-ID, From, To with only its recipient, List-* (RFC 2369, 2919, 8058: the https
 * unsubscribe URL and List-Unsubscribe-Post only when the caller has one, i.e. base_url is
 * set; no List-Archive, peermail keeps none), Precedence, Auto-Submitted and the loop
 * marker). No value from data can add or split a header: CR, LF and NUL in
 * header values are folded to spaces before encoding. Also rendering one template file
 * as the organizer's check (`template render`).
 * Not: the envelope (outbox), nor what data a message gets (the callers).
 *
 * THREADS: any thread; the template cache is shared and guarded by a mutex.
 * compose_cache_clear only when no other thread composes.
 */
#ifndef PM_COMPOSE_H
#define PM_COMPOSE_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"

/* The loop marker on everything peermail sends; inbound ignores mail carrying it. */
#define COMPOSE_LOOP_HEADER "X-Peermail-Loop"

typedef struct {
	const char *filename;      /* "signatures.csv" */
	const char *content_type;  /* "text/csv; charset=utf-8", "application/gzip" */
	GBytes *data;
} ComposeAttachment;

typedef struct {
	const char *to;            /* recipient addr-spec (required) */
	const char *to_name;       /* display name, or NULL */
	const char *reply_to;      /* addr-spec, or NULL */
	const char *in_reply_to;   /* Message-ID answered (with or without <>), or NULL */
	const char *list_name;     /* list mail: List-Id, List-Unsubscribe, List-Subscribe,
				    * List-Post, List-Owner, List-Help, Precedence: bulk */
	const char *list_title;
	gboolean list_discussion;  /* List-Post: <mailto:LIST@domain>; else (announce) NO */
	gboolean list_updates;     /* a petition's updates to its signers (list_name SLUG.updates):
				    * no List-Subscribe, List-Post NO, List-Help help@domain */
	const char *unsubscribe_mailto;  /* addr-spec for List-Unsubscribe's mailto: */
	const char *unsubscribe_url;     /* https URL: adds List-Unsubscribe-Post one-click */
	gboolean auto_reply;       /* Auto-Submitted: auto-replied (responses to mail) */
	gboolean auto_generated;   /* Auto-Submitted: auto-generated (notices) */
	const char *subject;       /* overrides the template's Subject:, or NULL */
	const char *lang;          /* the recipient's language ("fr"), or NULL: cfg->language */
	const ComposeAttachment *attachments;  /* array, or NULL */
	int n_attachments;
} ComposeOpts;

/*
 * compose_message - render template NAME from cfg->templates in o->lang (falling back to
 * cfg->language, then en: see the header comment) with data and build the
 * message for o->to. data (borrowed, may be NULL) is not modified: the names of
 * compose_defaults() sit below it in the context stack. Callable from several threads
 * at once. Returns the whole message (headers and body, CRLF line ends, no Return-Path)
 * or NULL with error (EX_CONFIG for a missing or broken template, EX_DATAERR for an
 * address that is not an addr-spec or a bad unsubscribe URL or list name).
 */
GBytes *compose_message(const PmConfig *cfg, const char *name, JsonNode *data,
			const ComposeOpts *o, GError **error);

/*
 * compose_message_general - compose_message through GMime's object tree whatever the
 * message (compose_message writes the common case directly); for tests comparing the two.
 */
GBytes *compose_message_general(const PmConfig *cfg, const char *name, JsonNode *data,
				const ComposeOpts *o, GError **error);

/*
 * compose_defaults - what compose_message puts under the caller's data (names the data
 * does not have): domain, from ("Name <addr>"), from_name, owner_address (the From's
 * addr-spec) and help_address (help@domain). A new object node; caller unrefs.
 */
JsonNode *compose_defaults(const PmConfig *cfg);

/* compose_has_language - TRUE when cfg->templates has a folder for lang ("fr") */
gboolean compose_has_language(const PmConfig *cfg, const char *lang);

/* compose_languages - the languages with a templates folder, sorted, comma-separated
 * ("en, fr"); caller frees */
char *compose_languages(const PmConfig *cfg);

/* compose_header_value - v with CR, LF, NUL and other controls folded to spaces; caller frees */
char *compose_header_value(const char *v);

/*
 * compose_header_start - the offset in a raw message (data, len) where its header starts:
 * blank lines before it (a message saved or handed on with them: some mail stores and
 * exporters) are skipped when a header field follows them (within the first 4 KiB), else
 * 0 (GMime would read the whole message as a body without a header). The one rule for
 * reading raw messages: inbound/message.c inbound_parse and the message/rfc822
 * attachments composed here (mail forwarded to the organizers' mailbox) both use it.
 */
gsize compose_header_start(const guint8 *data, gsize len);

/*
 * compose_cache_clear - forget the parsed templates. compose_message keeps a cache of
 * parsed templates shared by all threads (revalidated by stat on each use); this frees it.
 */
void compose_cache_clear(void);

/*
 * compose_render_file - `template render`: the Mustache template in file rendered with
 * the JSON object in data_file (NULL: none) over compose_defaults(cfg) (cfg NULL: none),
 * partials from the folder partials (NULL: file's own folder), {{x}} HTML-escaped when
 * file ends in .html. Returns the result (caller frees) or NULL with error: EX_NOINPUT
 * for a missing file, data file or partials folder, EX_DATAERR for bad JSON, invalid
 * UTF-8 or a template syntax error (as "FILE:LINE: ...").
 */
char *compose_render_file(const PmConfig *cfg, const char *file, const char *data_file,
			  const char *partials, GError **error);

#endif
