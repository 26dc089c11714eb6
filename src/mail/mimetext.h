/*
 * mimetext.h - the text in MIME parts: charsets, which parts are the text, HTML to text.
 *
 * Owns: turning a part's bytes into valid UTF-8 (the declared charset, an HTML <meta>
 * charset, UTF-8 with replacement characters, Windows-1252, Latin-1; RFC 3676
 * format=flowed), choosing the parts a person reads as a message's text (text/plain first
 * in an alternative, the first part of related and signed, no attachments, forwarded
 * messages or encrypted parts), and HTML to readable text through libxml2's HTML parser,
 * loaded on first use (base/lazylib.h: `peermail receive` does not link it). Shared by
 * replytext (a member's reply) and bounce (a report's human-readable text).
 * Not: what the text means: quotes and signatures (replytext), failed recipients
 * (bounce).
 *
 * DIAGNOSTICS: none; every function returns a string, possibly empty, never NULL. A
 * libxml2 that cannot be loaded is an installation fault: g_error (SIGTRAP; an MTA that ran
 * `peermail receive` is told to retry, inbound/exitcode.h).
 * THREADS: every function may be called from several threads on different messages.
 */
#ifndef PM_MIMETEXT_H
#define PM_MIMETEXT_H

#include <glib.h>
#include <gmime/gmime.h>

/* Work bounds for mimetext_pieces. */
typedef struct {
	int max_depth;          /* MIME nesting followed */
	int max_parts;          /* parts visited */
	gsize max_bytes;        /* decoded bytes of one part read */
} MimeTextLimits;

/* One chosen part: its text, or its HTML (both valid UTF-8). */
typedef struct {
	char *text;
	gboolean html;
} MimeTextPiece;

/* mimetext_to_utf8 - len bytes in charset (NULL: not declared) as valid UTF-8; html: a
 * <meta> charset in the first 8 KiB is tried too. NULs are dropped. Caller frees. */
char *mimetext_to_utf8(const char *raw, gsize len, const char *charset, gboolean html);

/* mimetext_part_text - the decoded content of a leaf part (at most max_bytes of it) as
 * valid UTF-8 by its charset; text/plain format=flowed joined. HTML stays HTML. Caller frees. */
char *mimetext_part_text(GMimePart *part, gsize max_bytes);

/* mimetext_is_attachment - TRUE for parts the sender attached rather than wrote */
gboolean mimetext_is_attachment(GMimeObject *obj);

/* mimetext_pieces - the parts of obj (a message body) a person reads as its text, in
 * order, as MimeTextPiece *; free with g_ptr_array_unref */
GPtrArray *mimetext_pieces(GMimeObject *obj, const MimeTextLimits *limits);

/* What a filter says about one HTML element. */
typedef enum {
	MIMETEXT_KEEP,          /* render it */
	MIMETEXT_SKIP,          /* leave it and its children out */
	MIMETEXT_STOP           /* leave out it and everything after it */
} MimeTextVerdict;

/* One HTML element, as a filter sees it (borrowed, valid during the call). */
typedef struct MimeTextElement MimeTextElement;

/* MimeTextFilter - decide about el (user: the caller's pointer) */
typedef MimeTextVerdict (*MimeTextFilter)(const MimeTextElement *el, gpointer user);

/* mimetext_element_name - el's tag name, lower-case (borrowed) */
const char *mimetext_element_name(const MimeTextElement *el);

/* mimetext_element_attr - the value of el's attribute name, or NULL; caller frees */
char *mimetext_element_attr(const MimeTextElement *el, const char *name);

/*
 * mimetext_html_to_text - HTML as readable text: head, scripts, styles and images left
 * out, blocks and paragraphs as line breaks, list items as "- ", table cells apart, white
 * space collapsed except in <pre>; lines trimmed and blank runs squeezed (mimetext_tidy).
 * filter (may be NULL) can drop elements. Work is bounded. Caller frees.
 */
char *mimetext_html_to_text(const char *html, MimeTextFilter filter, gpointer user);

/* mimetext_is_blank - TRUE when s is only white space (Unicode spaces and BOM included) */
gboolean mimetext_is_blank(const char *s);

/* mimetext_tidy - each line's trailing space trimmed, blank runs squeezed to one blank
 * line, leading and trailing blank lines dropped; caller frees */
char *mimetext_tidy(const char *text);

#endif
