/*
 * testmsg.h - GMime's reading of a message for the unit tests and fuzzers: the one
 * stream/parser/construct/unref sequence they share. Header-only; needs g_mime_init().
 */
#ifndef PM_TESTMSG_H
#define PM_TESTMSG_H

#include <gmime/gmime.h>
#include <string.h>

/* testmsg_parse - a message from LEN bytes of DATA (LEN < 0: a NUL-terminated text);
 * NULL when GMime finds none; caller unrefs */
static inline GMimeMessage *testmsg_parse(const char *data, gssize len)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(data, len < 0 ? strlen(data) : (size_t)len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

	g_object_unref(p);
	g_object_unref(st);
	return m;
}

/* testmsg_parse_bytes - testmsg_parse of B (NULL: NULL); caller unrefs */
static inline GMimeMessage *testmsg_parse_bytes(GBytes *b)
{
	gsize n;
	const char *d;

	if (b == NULL)
		return NULL;
	d = g_bytes_get_data(b, &n);
	return testmsg_parse(d, (gssize)n);
}

#endif
