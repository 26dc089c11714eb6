/*
 * maildir.c - deliver a message into a Maildir (tmp/ -> fsync -> new/).
 *
 * Names follow the Maildir convention TIME.M<usec>P<pid>Q<n>.HOST so two writers (or two
 * runs in the same second) never collide; the file is complete and synced before it
 * appears in new/.
 *
 * DIAGNOSTICS: I/O errors are EX_TEMPFAIL (the row is deferred and retried).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sysexits.h>
#include <unistd.h>
#include "run/maildir.h"
#include "base/pm.h"

/* write_all - writev until everything is written */
static gboolean write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return TRUE;
}

/* maildir_deliver - tmp/, fsync, rename to new/ */
gboolean maildir_deliver(const char *dir, const char *return_path, const char *recipient,
			 GBytes *message, GError **error)
{
	static const char *const sub[] = { "tmp", "new", "cur" };
	char host[256] = "localhost";
	char *name, *tmp, *dst, *head;
	const char *nl, *first_lf;
	gsize len;
	const char *data = g_bytes_get_data(message, &len);
	struct iovec iov[2];
	gint64 now = g_get_real_time();
	int fd, err = 0;

	for (guint i = 0; i < G_N_ELEMENTS(sub); i++) {
		char *p = g_build_filename(dir, sub[i], NULL);
		int rc = g_mkdir_with_parents(p, 0750);

		g_free(p);
		if (rc != 0) {
			g_set_error(error, PM_ERROR, EX_CANTCREAT, "maildir %s: %s", dir,
				    g_strerror(errno));
			return FALSE;
		}
	}
	gethostname(host, sizeof(host) - 1);
	for (char *h = host; *h; h++)
		if (*h == '/' || *h == ':')
			*h = '_';
	name = g_strdup_printf("%" G_GINT64_FORMAT ".M%06dP%ldR%08x.%s", now / G_USEC_PER_SEC,
			       (int)(now % G_USEC_PER_SEC), (long)getpid(), g_random_int(), host);
	tmp = g_build_filename(dir, "tmp", name, NULL);
	dst = g_build_filename(dir, "new", name, NULL);
	/* keep the message's own line ends for the two added headers */
	first_lf = data && len ? memchr(data, '\n', len) : NULL;
	nl = first_lf == NULL || (first_lf > data && first_lf[-1] == '\r') ? "\r\n" : "\n";
	head = g_strdup_printf("Return-Path: <%s>%sDelivered-To: %s%s", return_path ? return_path : "",
			       nl, recipient, nl);
	iov[0].iov_base = head;
	iov[0].iov_len = strlen(head);
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = len;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = errno;
	} else {
		if (!write_all(fd, iov, 2) || fsync(fd) != 0)
			err = errno;
		if (close(fd) != 0 && err == 0)
			err = errno;
		if (err == 0 && rename(tmp, dst) != 0)
			err = errno;
		if (err)
			unlink(tmp);
	}
	if (err)
		g_set_error(error, PM_ERROR, EX_TEMPFAIL, "maildir %s: %s", dir, g_strerror(err));
	g_free(head);
	g_free(name);
	g_free(tmp);
	g_free(dst);
	return err == 0;
}
