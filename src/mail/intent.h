/*
 * intent.h - what a member's reply to a petition mail means: sign, decline, unsubscribe,
 * question or withdraw.
 *
 * Owns: reading the visible reply text (replytext's output) against phrase lists that are
 * data, one file per language (data/intent/LANG.txt, format in docs/inbound.md), and the
 * priority rules between intents. The phrase that decided and its language are returned,
 * so an organizer can see why.
 * Not: acting on the intent (inbound/route.c), extracting the visible text (replytext).
 * DIAGNOSTICS: intent_phrases_load fails with EX_CONFIG when the folder is missing, empty
 * or holds a malformed line (file:line).
 * THREADS: a loaded IntentPhrases is read-only; intent_read may be called from several
 * threads on the same set.
 */
#ifndef PM_INTENT_H
#define PM_INTENT_H

#include <glib.h>

typedef enum {
	INTENT_SIGN,
	INTENT_DECLINE,
	INTENT_UNSUBSCRIBE,
	INTENT_QUESTION,
	INTENT_WITHDRAW
} Intent;

/* intent_name - "sign", "decline", "unsubscribe", "question", "withdraw" */
const char *intent_name(Intent i);
/* intent_parse - the intent named s into *i; FALSE if none */
gboolean intent_parse(const char *s, Intent *i);

typedef struct IntentPhrases IntentPhrases;

/* intent_phrases_load - every DIR/LANG.txt; NULL with EX_CONFIG error; intent_phrases_free */
IntentPhrases *intent_phrases_load(const char *dir, GError **error);

/* intent_phrases_shared - DIR's phrases loaded once for the life of the process (any
 * thread; borrowed, never freed: a daemon reads edited phrase files when restarted); NULL
 * with EX_CONFIG error, tried again on the next call */
const IntentPhrases *intent_phrases_shared(const char *dir, GError **error);
/* intent_phrases_free - free a set; returns NULL */
IntentPhrases *intent_phrases_free(IntentPhrases *ph);
/* intent_phrases_languages - the languages loaded, sorted, comma-separated; caller frees */
char *intent_phrases_languages(const IntentPhrases *ph);

/* The reading of one reply. */
typedef struct {
	Intent intent;
	char *phrase;   /* the phrase that decided as written in its file, or a rule
	                 * ("(empty reply)", "(question mark)", "(no phrase)"); owned */
	char *lang;     /* the phrase's language, or NULL for a rule; owned */
} IntentReading;

/* intent_read - read text (UTF-8, may be NULL or empty) into *out; intent_reading_clear */
void intent_read(const IntentPhrases *ph, const char *text, IntentReading *out);
/* intent_reading_clear - free what *r holds */
void intent_reading_clear(IntentReading *r);

/*
 * intent_language - the language text is written in, when the phrase files say so with
 * confidence: some phrase of exactly one language matches (phrases written the same in
 * several languages, like "ok" or "stop", and negation words do not count) and no phrase
 * of another language does. NULL otherwise; caller frees.
 */
char *intent_language(const IntentPhrases *ph, const char *text);

/* intent_normalize - the matching form of text: case-folded, diacritics and apostrophes
 * dropped, words separated by one space, punctuation and line ends as "|"; caller frees */
char *intent_normalize(const char *text);

#endif
