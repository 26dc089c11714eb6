/*
 * replytext.h - the visible text of a member's reply.
 *
 * Owns: stripping what the member did not write: quoted text, quote headers ("On ...
 * wrote:" in the common languages, Outlook's From:/Sent: block, "-----Original
 * Message-----", Apple Mail's), HTML quote containers, "Sent from my iPhone"-style footers
 * and "-- " signatures.
 * Not: deciding what the message means (inbound), nor reading the text out of MIME parts
 * and HTML (mimetext.h: part choice, charsets, HTML to text).
 *
 * THREADS: any thread, on different messages.
 */
#ifndef PM_REPLYTEXT_H
#define PM_REPLYTEXT_H

#include <glib.h>
#include <gmime/gmime.h>

/* replytext_body - the whole body as UTF-8 text (mimetext's parts, HTML as text); caller frees */
char *replytext_body(GMimeMessage *msg);

/* replytext_visible - the visible reply of msg, trimmed; "" if none; caller frees */
char *replytext_visible(GMimeMessage *msg);

/* replytext_strip - strip quotes, quote headers, footers and signature from text; caller frees */
char *replytext_strip(const char *text);

/* replytext_strip_quotes - strip quotes, quote headers and forwards only, keeping footers and
 * signature (what talon's extract_from_plain does); caller frees */
char *replytext_strip_quotes(const char *text);

/* replytext_html_visible - the visible reply of an HTML body: quotes dropped in the DOM,
 * then converted to text and stripped like replytext_strip; caller frees */
char *replytext_html_visible(const char *html);

/* replytext_rule - which marker starts the quoted part (its line in the text body, and the rule), or "no quote
 * marker"; for `peermail inspect`; caller frees */
char *replytext_rule(GMimeMessage *msg);

#endif
