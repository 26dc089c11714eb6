/*
 * handoff.c - `receive` as an LMTP client of the daemon's local socket (see handoff.h).
 *
 * Plain POSIX sockets and one buffer: the point is to start and finish fast. The
 * dialogue is pipelined (LHLO, MAIL, RCPT, DATA in one write), the message is sent
 * dot-stuffed with CRLF line ends in one write, and every reply is read in order.
 *
 * DIAGNOSTICS: the daemon's refusal is the error, its enhanced code and number cut off.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/pm.h"
#include "inbound/handoff.h"

typedef struct {
	int fd;
	char buf[4096];
	gsize len, pos;
} Conn;

/* read_reply - the last line of the next (possibly multi-line) reply, CRLF cut; caller
 * frees; NULL when the connection ends first */
static char *read_reply(Conn *c)
{
	GString *line = g_string_new(NULL);

	for (;;) {
		if (c->pos == c->len) {
			ssize_t n = read(c->fd, c->buf, sizeof(c->buf));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				g_string_free(line, TRUE);
				return NULL;
			}
			c->len = (gsize)n;
			c->pos = 0;
		}
		char ch = c->buf[c->pos++];

		if (ch != '\n') {
			if (ch != '\r' && line->len < 1024)
				g_string_append_c(line, ch);
			continue;
		}
		/* "250-..." continues, "250 ..." ends the reply */
		if (line->len >= 4 && line->str[3] == '-') {
			g_string_truncate(line, 0);
			continue;
		}
		return g_string_free(line, FALSE);
	}
}

/* send_all - write all of data; FALSE when the connection is gone */
static gboolean send_all(int fd, const char *data, gsize len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* stuffed - raw as LMTP DATA: CRLF line ends, leading dots doubled, ".\r\n" at the end */
static GString *stuffed(GBytes *raw)
{
	gsize len;
	const char *p = g_bytes_get_data(raw, &len);
	GString *s = g_string_sized_new(len + len / 32 + 8);
	gboolean bol = TRUE;

	for (gsize i = 0; i < len; i++) {
		if (bol && p[i] == '.')
			g_string_append_c(s, '.');
		bol = FALSE;
		if (p[i] == '\n') {
			if (s->len == 0 || s->str[s->len - 1] != '\r')
				g_string_append_c(s, '\r');
			bol = TRUE;
		}
		g_string_append_c(s, p[i]);
	}
	if (!bol)
		g_string_append(s, "\r\n");
	g_string_append(s, ".\r\n");
	return s;
}

/* verdict - a final reply to the DATA (or a refused RCPT) into *ok and error */
static void verdict(const char *reply, gboolean *ok, GError **error)
{
	const char *text = reply;
	int code;

	*ok = reply[0] == '2';
	if (*ok)
		return;
	/* "550 5.1.1 unknown petition 'x'": the reason alone */
	if (strlen(text) > 4)
		text += 4;
	if (g_ascii_isdigit(text[0]) && text[1] == '.' && strchr(text, ' '))
		text = strchr(text, ' ') + 1;
	if (g_str_has_prefix(reply, "550"))
		code = EX_NOUSER;
	else if (g_str_has_prefix(reply, "554") || g_str_has_prefix(reply, "552"))
		code = EX_DATAERR;
	else
		code = EX_TEMPFAIL;
	g_set_error_literal(error, PM_ERROR, code, text);
}

/* inbound_handoff - one message to the daemon, its verdict back */
HandoffResult inbound_handoff(const PmConfig *cfg, GBytes *raw, const char *sender,
			      const char *recipient, gboolean *ok, GError **error)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = cfg->lmtp_timeout };
	Conn c = { .fd = -1 };
	HandoffResult res = HANDOFF_LOST;
	char *r = NULL, *cmds = NULL;
	GString *data = NULL;

	*ok = FALSE;
	if (cfg->lmtp_socket == NULL || strlen(cfg->lmtp_socket) >= sizeof(sa.sun_path) ||
	    strpbrk(sender, "\r\n<>") || strpbrk(recipient, "\r\n<>"))
		return HANDOFF_NO_DAEMON;
	strcpy(sa.sun_path, cfg->lmtp_socket);
	c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c.fd < 0)
		return HANDOFF_NO_DAEMON;
	if (connect(c.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(c.fd);
		return HANDOFF_NO_DAEMON;   /* ENOENT, ECONNREFUSED: no daemon */
	}
	setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* the banner: 421 (busy, no database) is no verdict: process here */
	if ((r = read_reply(&c)) == NULL || r[0] != '2') {
		res = HANDOFF_NO_DAEMON;
		goto out;
	}
	g_free(r);
	cmds = g_strdup_printf("LHLO localhost\r\nMAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n",
			       sender, recipient);
	if (!send_all(c.fd, cmds, strlen(cmds)))
		goto out;
	for (int i = 0; i < 2; i++) {   /* LHLO, MAIL */
		if ((r = read_reply(&c)) == NULL)
			goto out;
		if (r[0] != '2') {
			res = HANDOFF_NO_DAEMON;
			goto out;
		}
		g_clear_pointer(&r, g_free);
	}
	if ((r = read_reply(&c)) == NULL)      /* RCPT: a refusal here is the verdict */
		goto out;
	if (r[0] != '2') {
		verdict(r, ok, error);
		res = HANDOFF_DONE;
		goto out;
	}
	g_clear_pointer(&r, g_free);
	if ((r = read_reply(&c)) == NULL || strncmp(r, "354", 3) != 0)
		goto out;
	g_clear_pointer(&r, g_free);
	data = stuffed(raw);
	if (!send_all(c.fd, data->str, data->len) || (r = read_reply(&c)) == NULL)
		goto out;
	verdict(r, ok, error);
	res = HANDOFF_DONE;
	send_all(c.fd, "QUIT\r\n", 6);
out:
	g_free(r);
	g_free(cmds);
	if (data)
		g_string_free(data, TRUE);
	close(c.fd);
	return res;
}
