/* test_json.c - the one JSON writer and its rule for absent values */
#include "harness.h"
#include "base/json.h"

TEST(writer)
{
	JsonBuilder *b = json_builder_new();
	const char *v[] = { "a", "b", NULL };
	char *text;

	json_put_object(b, NULL);
	json_put_str(b, "s", "x\"y");
	json_put_str(b, "none", NULL);
	json_put_str(b, "empty", "");
	json_put_int(b, "i", 42);
	json_put_bool(b, "t", TRUE);
	json_put_time(b, "at", 86400);
	json_put_time(b, "never", 0);
	json_put_strv(b, "v", v);
	json_put_strv(b, "nov", NULL);
	json_put_array(b, "a");
	json_put_str(b, NULL, NULL);
	json_put_int(b, NULL, 1);
	json_builder_end_array(b);
	json_builder_end_object(b);
	text = json_text(b, FALSE);
	STR_EQ(text, "{\"s\":\"x\\\"y\",\"none\":null,\"empty\":\"\",\"i\":42,\"t\":true,"
	       "\"at\":\"1970-01-02T00:00:00Z\",\"never\":null,\"v\":[\"a\",\"b\"],\"nov\":[],"
	       "\"a\":[null,1]}", "NULL strings and 0 times are null; \"\" stays \"\"");
	g_free(text);
	g_object_unref(b);
}

int main(void)
{
	RUN(writer);
	return harness_done();
}
