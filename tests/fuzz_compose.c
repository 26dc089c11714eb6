/*
 * fuzz_compose.c - libFuzzer target for compose's two writers (src/mail/compose.c): the direct
 * writer (no GMime object tree, used for every newsletter copy) against GMime's tree, on
 * hostile display names, subjects, list titles and bodies.
 *
 * The input is split at NUL bytes into: to_name, subject, body, list title; its first
 * byte chooses the list and auto-reply headers. Aborts (a finding) when a message
 * - comes from one writer and not the other,
 * - is not CRLF throughout, has a line over 998 octets or 8-bit octets in its header,
 * - has a header the composer did not write (an injected one), or a header line that is
 *   neither "Name: value" nor a folded continuation,
 * - parses back (GMime) with another To name, Subject or List-Id than the other writer's.
 * Temporary files: a templates folder and a configuration under g_dir_make_tmp().
 */
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mail/compose.h"
#include "base/config.h"
#include "testmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static PmConfig *cfg;

/* setup - GMime, a templates folder with one template, a configuration */
static void setup(void)
{
	char *dir = g_dir_make_tmp("peermail-fuzz-XXXXXX", NULL);
	char *tpl = g_build_filename(dir, "templates", NULL);
	char *txt = g_build_filename(tpl, "f.txt", NULL);
	char *html = g_build_filename(tpl, "f.html", NULL);
	char *conf = g_build_filename(dir, "peermail.conf", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ntemplates = \"%s\"\n"
				     "from = \"Campaign Team <team@act.test>\"\nsyslog = false\n",
				     tpl);

	g_mime_init();
	g_mkdir(tpl, 0700);
	g_file_set_contents(txt, "Subject: {{subject}}\n\n{{{body}}}\n", -1, NULL);
	g_file_set_contents(html, "<p>{{body}}</p>\n", -1, NULL);
	g_file_set_contents(conf, text, -1, NULL);
	cfg = config_load(conf, NULL);
	if (cfg == NULL)
		abort();
	g_free(text);
	g_free(conf);
	g_free(html);
	g_free(txt);
	g_free(tpl);
	g_free(dir);
}

/* wire_ok - CRLF only, lines within 998 octets, a 7-bit header block of well-formed lines
 * whose names are all ones the composer writes */
static gboolean wire_ok(GBytes *b)
{
	static const char *const allowed[] = {
		"Date", "From", "To", "Reply-To", "Subject", "Message-Id", "List-Id",
		"List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post",
		"List-Owner", "List-Help", "Precedence",
		"Auto-Submitted", COMPOSE_LOOP_HEADER, "MIME-Version", "Content-Type",
		"Content-Transfer-Encoding", NULL
	};
	gsize n;
	const char *s = g_bytes_get_data(b, &n), *end = s + n, *line = s;
	gboolean in_header = TRUE;

	while (line < end) {
		const char *eol = memchr(line, '\n', (gsize)(end - line));
		gsize len;

		if (eol == NULL || eol == line || eol[-1] != '\r')
			return FALSE;                       /* bare LF or no final CRLF */
		len = (gsize)(eol - 1 - line);
		if (len > 998 || memchr(line, '\r', len) || memchr(line, '\0', len))
			return FALSE;
		if (in_header && len == 0) {
			in_header = FALSE;
		} else if (in_header) {
			gsize name = strcspn(line, ":");
			gboolean known = FALSE;

			for (gsize i = 0; i < len; i++)
				if ((guchar)line[i] >= 0x80)
					return FALSE;       /* 8-bit in a header */
			if (line[0] != ' ' && line[0] != '\t') {
				if (name >= len)
					return FALSE;       /* neither a field nor a continuation */
				for (int i = 0; allowed[i] && !known; i++)
					known = strlen(allowed[i]) == name &&
						g_ascii_strncasecmp(line, allowed[i], name) == 0;
				if (!known)
					return FALSE;       /* a header we never write */
			}
		}
		line = eol + 1;
	}
	return !in_header;
}

/* to_name - the decoded display name of the first To mailbox ("" when none) */
static char *to_name(GMimeMessage *m)
{
	InternetAddressList *l = g_mime_message_get_to(m);
	InternetAddress *a = l && internet_address_list_length(l) > 0 ?
		internet_address_list_get_address(l, 0) : NULL;
	const char *n = a ? internet_address_get_name(a) : NULL;

	return g_strdup(n ? n : "");
}

/* same - the two messages read back alike: To name, Subject, List-Id */
static gboolean same(GMimeMessage *x, GMimeMessage *y)
{
	char *nx = to_name(x), *ny = to_name(y);
	const char *sx = g_mime_message_get_subject(x), *sy = g_mime_message_get_subject(y);
	const char *lx = g_mime_object_get_header(GMIME_OBJECT(x), "List-Id");
	const char *ly = g_mime_object_get_header(GMIME_OBJECT(y), "List-Id");
	gboolean ok = strcmp(nx, ny) == 0 && g_strcmp0(sx, sy) == 0 && g_strcmp0(lx, ly) == 0;

	g_free(nx);
	g_free(ny);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *field[4] = { "", "", "", "" };
	JsonObject *d;
	JsonNode *node;
	ComposeOpts o = { .to = "member@example.org" };
	GBytes *fast, *gen;
	int flags = size ? data[0] : 0;

	if (cfg == NULL)
		setup();
	if (size > 8192)
		return 0;
	copy = g_malloc(size + 1);
	if (size > 1)
		memcpy(copy, data + 1, size - 1);
	copy[size ? size - 1 : 0] = '\0';
	/* the fields are NUL-separated; the rest of the input is ignored */
	for (int i = 0, at = 0; i < 4 && at < (int)size - 1; i++) {
		field[i] = copy + at;
		at += (int)strlen(copy + at) + 1;
	}
	d = json_object_new();
	node = json_node_init_object(json_node_alloc(), d);
	json_object_set_string_member(d, "subject", field[1]);
	json_object_set_string_member(d, "body", field[2]);
	o.to_name = field[0];
	if (flags & 1) {
		o.list_name = "news";
		o.list_title = field[3];
		o.unsubscribe_mailto = "leave+aqaqcafbnmt6y7lue5mspzq@act.test";
		o.reply_to = "sign+clean-air+aeaqcadn4hng7ijj25e5uqa@act.test";
	}
	if (flags & 2) {
		o.unsubscribe_url = "https://act.test/u/aqaqcafbnmt6y7lue5mspzq";
		o.list_discussion = TRUE;
	}
	o.auto_reply = (flags & 4) != 0;
	fast = compose_message(cfg, "f", node, &o, NULL);
	gen = compose_message_general(cfg, "f", node, &o, NULL);
	if ((fast == NULL) != (gen == NULL))
		abort();                                    /* one writer failed alone */
	if (fast) {
		GMimeMessage *x, *y;

		if (!wire_ok(fast) || !wire_ok(gen))
			abort();
		x = testmsg_parse_bytes(fast);
		y = testmsg_parse_bytes(gen);
		if (x == NULL || y == NULL || !same(x, y))
			abort();
		g_object_unref(x);
		g_object_unref(y);
		g_bytes_unref(fast);
		g_bytes_unref(gen);
	}
	json_node_unref(node);
	g_free(copy);
	return 0;
}
