/*
 * json.c - the JSON writer over json-glib's JsonBuilder and JsonGenerator.
 */
#include "base/json.h"
#include "base/pm.h"

/* key - name the next member, unless b is filling an array */
static void key(JsonBuilder *b, const char *k)
{
	if (k)
		json_builder_set_member_name(b, k);
}

/* json_put_str - a string or null */
void json_put_str(JsonBuilder *b, const char *k, const char *value)
{
	key(b, k);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

/* json_put_int - an integer */
void json_put_int(JsonBuilder *b, const char *k, gint64 value)
{
	key(b, k);
	json_builder_add_int_value(b, value);
}

/* json_put_bool - a boolean */
void json_put_bool(JsonBuilder *b, const char *k, gboolean value)
{
	key(b, k);
	json_builder_add_boolean_value(b, value);
}

/* json_put_double - a double */
void json_put_double(JsonBuilder *b, const char *k, double value)
{
	key(b, k);
	json_builder_add_double_value(b, value);
}

/* json_put_time - ISO 8601 or null */
void json_put_time(JsonBuilder *b, const char *k, gint64 t)
{
	char *s = t ? pm_time_iso(t) : NULL;

	json_put_str(b, k, s);
	g_free(s);
}

/* json_put_strv - an array of strings */
void json_put_strv(JsonBuilder *b, const char *k, const char *const *values)
{
	json_put_array(b, k);
	for (int i = 0; values && values[i]; i++)
		json_builder_add_string_value(b, values[i]);
	json_builder_end_array(b);
}

/* json_put_object - an object member or element */
void json_put_object(JsonBuilder *b, const char *k)
{
	key(b, k);
	json_builder_begin_object(b);
}

/* json_put_array - an array member or element */
void json_put_array(JsonBuilder *b, const char *k)
{
	key(b, k);
	json_builder_begin_array(b);
}

/* json_text - generate the document */
char *json_text(JsonBuilder *b, gboolean pretty)
{
	JsonNode *root = json_builder_get_root(b);
	JsonGenerator *gen = json_generator_new();
	char *text;

	json_generator_set_pretty(gen, pretty);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	g_object_unref(gen);
	if (root)
		json_node_unref(root);
	return text;
}

/* json_print - print and consume the builder */
gboolean json_print(JsonBuilder *b, gboolean pretty, FILE *out)
{
	char *text = json_text(b, pretty);
	gboolean ok = fprintf(out, "%s\n", text) >= 0 && fflush(out) == 0;

	g_free(text);
	g_object_unref(b);
	return ok;
}
