/*
 * json.h - the one JSON writer: what `--json` (and every other JSON printout) is made with.
 *
 * Owns: writing output JSON: members and array elements over a JsonBuilder, and printing
 * a document on one line (or indented, for people). The one rule for absent values: a
 * NULL string and a 0 time are written as null, never as "" or 0; a caller that means ""
 * passes "". Times are ISO 8601 UTC strings (pm_time_iso).
 * Not: reading JSON, template data (compose and the model build Mustache contexts as they
 * need), which fields a command prints (cli).
 *
 * A key of NULL adds an array element instead of an object member.
 * THREADS: any thread, one builder per thread.
 */
#ifndef PM_JSON_H
#define PM_JSON_H

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/* json_put_str - a string (NULL: null) */
void json_put_str(JsonBuilder *b, const char *key, const char *value);

/* json_put_int - an integer */
void json_put_int(JsonBuilder *b, const char *key, gint64 value);

/* json_put_bool - true or false */
void json_put_bool(JsonBuilder *b, const char *key, gboolean value);

/* json_put_double - a number with a fraction */
void json_put_double(JsonBuilder *b, const char *key, double value);

/* json_put_time - a unix time as ISO 8601 UTC (0: null) */
void json_put_time(JsonBuilder *b, const char *key, gint64 t);

/* json_put_strv - an array of strings (NULL: an empty array) */
void json_put_strv(JsonBuilder *b, const char *key, const char *const *values);

/* json_put_object - open an object as member key (or as an array element) */
void json_put_object(JsonBuilder *b, const char *key);

/* json_put_array - open an array as member key (or as an array element) */
void json_put_array(JsonBuilder *b, const char *key);

/* json_text - the builder's document as text, one line or indented; caller frees */
char *json_text(JsonBuilder *b, gboolean pretty);

/* json_print - print the builder's document and a newline on out, then unref b; FALSE
 * when the write failed */
gboolean json_print(JsonBuilder *b, gboolean pretty, FILE *out);

#endif
