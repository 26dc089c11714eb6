/*
 * replytext.h - the visible text of a member's reply.
 *
 * Owns: choosing the MIME part (text/plain preferred, else HTML converted to text with
 * libxml2's HTML parser), conversion of every charset to UTF-8, and stripping what the
 * member did not write: quoted text, quote headers ("On ... wrote:" in the common
 * languages, Outlook's From:/Sent: block, "-----Original Message-----", Apple Mail's),
 * "Sent from my iPhone"-style footers and "-- " signatures.
 * Not: deciding what the message means (inbound).
 */
#ifndef PM_REPLYTEXT_H
#define PM_REPLYTEXT_H

#include <glib.h>
#include <gmime/gmime.h>

/* replytext_body - the whole body as UTF-8 text (plain part, else HTML as text); caller frees */
char *replytext_body(GMimeMessage *msg);

/* replytext_visible - the visible reply of msg, trimmed; "" if none; caller frees */
char *replytext_visible(GMimeMessage *msg);

/* replytext_strip - strip quotes, quote headers, footers and signature from text; caller frees */
char *replytext_strip(const char *text);

/* replytext_html_to_text - HTML to readable plain text (UTF-8); caller frees */
char *replytext_html_to_text(const char *html);

/* replytext_strip_quotes - strip quotes, quote headers and forwards only, keeping footers and
 * signature (what talon's extract_from_plain does); caller frees */
char *replytext_strip_quotes(const char *text);

/* replytext_html_visible - the visible reply of an HTML body: quotes dropped in the DOM,
 * then converted to text and stripped like replytext_strip; caller frees */
char *replytext_html_visible(const char *html);

#endif
