/*
 * envelope.c - reading one incoming message within the size limit; its envelope.
 *
 * DIAGNOSTICS: EX_DATAERR over the limit, EX_TEMPFAIL for read errors (PM_ERROR).
 */
#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/pm.h"
#include "inbound/envelope.h"

/* ==== Reading ==== */

/* inbound_read_fd - the whole message, bounded by max */
GBytes *inbound_read_fd(int fd, gint64 max, GError **error)
{
	GByteArray *buf = g_byte_array_sized_new(65536);
	guint8 chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, PM_ERROR, EX_TEMPFAIL, "reading the message: %s",
				    g_strerror(errno));
			g_byte_array_unref(buf);
			return NULL;
		}
		if (n == 0)
			break;
		if ((gint64)buf->len + n > max) {
			g_set_error(error, PM_ERROR, EX_DATAERR,
				    "message too large: over the limit of %" G_GINT64_FORMAT
				    " octets (limits.max_message_size)", max);
			g_byte_array_unref(buf);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(buf);
}

/* ==== Envelope ==== */

/* env_nonempty - the variable's value when set and not empty; caller frees */
static char *env_nonempty(const char *name)
{
	const char *v = g_getenv(name);

	return v && *v ? g_strdup(v) : NULL;
}

/* inbound_envelope_from_env - what a local delivery agent tells us */
void inbound_envelope_from_env(const PmConfig *cfg, char **sender, char **recipient)
{
	if (*sender == NULL && g_getenv("SENDER"))
		*sender = g_strdup(g_getenv("SENDER"));    /* "" is the null sender */
	if (*recipient == NULL)
		*recipient = env_nonempty("ORIGINAL_RECIPIENT");
	if (*recipient == NULL)
		*recipient = env_nonempty("RECIPIENT");
	if (*recipient == NULL && g_getenv("LOCAL_PART")) {
		/* Exim: prefix, local part and suffix (the suffix keeps its "+") */
		const char *pre = g_getenv("LOCAL_PART_PREFIX"), *suf = g_getenv("LOCAL_PART_SUFFIX");
		const char *dom = g_getenv("DOMAIN");

		*recipient = g_strdup_printf("%s%s%s@%s", pre ? pre : "", g_getenv("LOCAL_PART"),
					     suf ? suf : "", dom && *dom ? dom : cfg->domain);
	}
	if (*recipient == NULL && g_getenv("LOCAL")) {
		/* Postfix local(8): LOCAL is the whole local part; EXTENSION alone adds to it */
		const char *ext = g_getenv("EXTENSION"), *dom = g_getenv("DOMAIN");
		const char *local = g_getenv("LOCAL");
		gboolean has_ext = ext && *ext && !strstr(local, cfg->delimiter);

		*recipient = g_strdup_printf("%s%s%s@%s", local, has_ext ? cfg->delimiter : "",
					     has_ext ? ext : "", dom && *dom ? dom : cfg->domain);
	}
}
