/*
 * smtp.c - the SMTP transport: worker threads, one libesmtp session each.
 *
 * A worker takes a job, picks the first reachable host (in the configured failover order)
 * with a free connection slot, opens a session with that one message and, each time the
 * server has answered a message (SMTP_EV_MESSAGESENT), copies the replies into the job's
 * result, hands the job back and adds the next queued job to the same session. So one
 * connection carries many messages, one envelope (MAIL, one RCPT, DATA) per recipient,
 * pipelined where the server offers PIPELINING, and at most one message per connection is
 * ever in doubt. A host where not a single reply was read (refused, 421 greeting, TLS or
 * AUTH failure) is marked down for a while and the job tries the next host.
 *
 * libesmtp facts relied on: smtp_start_session succeeds even when recipients are refused;
 * message strings are not copied (the job keeps its GBytes until it is handed back); a
 * message without To: gets none from libesmtp (we never set one), while Return-Path: is
 * stripped; messages may be appended to a running session from its event callback.
 *
 * DKIM: with signing configured, each message is signed (mail/dkim.h) by the SMTP thread
 * that takes it, just before its first try, so the signing of one message overlaps the
 * network wait of others; a message that cannot be signed is deferred, never sent unsigned.
 *
 * DIAGNOSTICS: the result text says what failed ("connection refused", "TLS certificate
 * not trusted", the server's own reply...). Passwords are never logged.
 */
#include <stddef.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>
#include <unistd.h>
#include <auth-client.h>
#include <libesmtp.h>
#include "base/lazylib.h"
#include "base/log.h"
#include "base/pm.h"
#include "run/smtp.h"

/*
 * libesmtp and OpenSSL are loaded when the first pool starts (lazylib.h): a process that
 * never sends (`peermail receive`, run once per incoming message) never maps them. The
 * calls below go through this table; the names stay those of the libraries' headers.
 * (SSL_CTX_set_min/max_proto_version are macros over SSL_CTX_ctrl.)
 */
#define ESMTP_FUNCS(X) \
	X(smtp_create_session) \
	X(smtp_set_server) \
	X(smtp_set_timeout) \
	X(smtp_set_eventcb) \
	X(smtp_set_messagecb) \
	X(smtp_set_reverse_path) \
	X(smtp_add_message) \
	X(smtp_add_recipient) \
	X(smtp_auth_set_context) \
	X(smtp_destroy_session) \
	X(smtp_start_session) \
	X(smtp_starttls_enable) \
	X(smtp_starttls_set_ctx) \
	X(smtp_errno) \
	X(smtp_strerror) \
	X(smtp_message_get_application_data) \
	X(smtp_message_set_application_data_release) \
	X(smtp_message_transfer_status) \
	X(smtp_recipient_status) \
	X(smtp_reverse_path_status) \
	X(auth_client_init) \
	X(auth_client_exit) \
	X(auth_create_context) \
	X(auth_destroy_context) \
	X(auth_set_interact_cb) \
	X(auth_set_mechanism_flags) \
	X(SSL_CTX_new) \
	X(SSL_CTX_free) \
	X(SSL_CTX_ctrl) \
	X(SSL_CTX_load_verify_locations) \
	X(SSL_CTX_set_default_verify_paths) \
	X(TLS_client_method) \
	X(X509_verify_cert_error_string)

#define ESMTP_SLOT(f) __typeof__(f) *f;
#define ESMTP_SYM(f) { #f, (gpointer *)&esmtp.f },
static struct {
	ESMTP_FUNCS(ESMTP_SLOT)
} esmtp;
static const LazySym esmtp_syms[] = { ESMTP_FUNCS(ESMTP_SYM) { NULL, NULL } };
static LazyLib esmtp_lib = { PM_LIBESMTP_SONAME, esmtp_syms, 0, NULL };
#define smtp_create_session (*esmtp.smtp_create_session)
#define smtp_set_server (*esmtp.smtp_set_server)
#define smtp_set_timeout (*esmtp.smtp_set_timeout)
#define smtp_set_eventcb (*esmtp.smtp_set_eventcb)
#define smtp_set_messagecb (*esmtp.smtp_set_messagecb)
#define smtp_set_reverse_path (*esmtp.smtp_set_reverse_path)
#define smtp_add_message (*esmtp.smtp_add_message)
#define smtp_add_recipient (*esmtp.smtp_add_recipient)
#define smtp_auth_set_context (*esmtp.smtp_auth_set_context)
#define smtp_destroy_session (*esmtp.smtp_destroy_session)
#define smtp_start_session (*esmtp.smtp_start_session)
#define smtp_starttls_enable (*esmtp.smtp_starttls_enable)
#define smtp_starttls_set_ctx (*esmtp.smtp_starttls_set_ctx)
#define smtp_errno (*esmtp.smtp_errno)
#define smtp_strerror (*esmtp.smtp_strerror)
#define smtp_message_get_application_data (*esmtp.smtp_message_get_application_data)
#define smtp_message_set_application_data_release (*esmtp.smtp_message_set_application_data_release)
#define smtp_message_transfer_status (*esmtp.smtp_message_transfer_status)
#define smtp_recipient_status (*esmtp.smtp_recipient_status)
#define smtp_reverse_path_status (*esmtp.smtp_reverse_path_status)
#define auth_client_init (*esmtp.auth_client_init)
#define auth_client_exit (*esmtp.auth_client_exit)
#define auth_create_context (*esmtp.auth_create_context)
#define auth_destroy_context (*esmtp.auth_destroy_context)
#define auth_set_interact_cb (*esmtp.auth_set_interact_cb)
#define auth_set_mechanism_flags (*esmtp.auth_set_mechanism_flags)
#define SSL_CTX_new (*esmtp.SSL_CTX_new)
#define SSL_CTX_free (*esmtp.SSL_CTX_free)
#define SSL_CTX_ctrl (*esmtp.SSL_CTX_ctrl)
#define SSL_CTX_load_verify_locations (*esmtp.SSL_CTX_load_verify_locations)
#define SSL_CTX_set_default_verify_paths (*esmtp.SSL_CTX_set_default_verify_paths)
#define TLS_client_method (*esmtp.TLS_client_method)
#define X509_verify_cert_error_string (*esmtp.X509_verify_cert_error_string)

#define SESSION_MAX_MESSAGES 200       /* then reconnect: libesmtp keeps every message */
#define SESSION_IDLE_US (300 * 1000)   /* an idle session quits after this */
#define HOST_DOWN_SECONDS 30           /* a failed host is skipped this long */

typedef struct {
	const PmSmtpHost *conf;
	char *hostport;
	char *password;          /* AUTH password, wiped on free */
	SSL_CTX *tls;            /* shared by this host's sessions (SSL_CTX is thread-safe) */
	GMutex lock;             /* guards the fields below */
	gint64 next_slot_us;     /* rate: earliest time of the next message */
	gint64 minute[60];       /* rate_per_hour: minute stamp of each bucket */
	gint64 count[60];        /* messages taken in that minute */
	gint active;             /* sessions open (atomic) */
	gint64 down_until;       /* monotonic us; guarded by lock */
	char *down_reason;
} Host;

struct SmtpPool {
	const PmConfig *cfg;
	DkimSigner *dkim;        /* borrowed; NULL: nothing is signed */
	Host *hosts;
	guint n_hosts;
	GAsyncQueue *jobs;       /* SmtpJob*, or the stop marker */
	GAsyncQueue *done;       /* SmtpJob* with results */
	GPtrArray *threads;
	gint stop_feeding;       /* atomic */
	int stop_marker;         /* its address ends a worker */
	SmtpWantedFn wanted;     /* the last look before a job is handed over, or NULL */
	gpointer wanted_user;
};

/* One session's state, on the worker's stack. */
typedef struct {
	SmtpPool *pool;
	Host *host;
	smtp_session_t session;
	GPtrArray *pending;      /* jobs added and not yet answered */
	int added, answered;
	gboolean quit;           /* a stop marker was taken: end the worker after this */
	char *tls_problem;
} Session;

/* ==== Jobs ==== */

/* smtp_job_new - copy strings, ref message, own result */
SmtpJob *smtp_job_new(OutboxResult *result, const char *recipient, const char *sender,
		      GBytes *message)
{
	SmtpJob *j = g_new0(SmtpJob, 1);

	j->result = result;
	j->recipient = g_strdup(recipient);
	j->sender = g_strdup(sender);
	j->message = g_bytes_ref(message);
	return j;
}

/* smtp_job_free - destroy */
SmtpJob *smtp_job_free(SmtpJob *j)
{
	if (j) {
		g_free(j->recipient);
		g_free(j->sender);
		if (j->message)
			g_bytes_unref(j->message);
		outbox_result_free(j->result);
		g_free(j);
	}
	return NULL;
}

/* smtp_job_steal_result - detach the result */
OutboxResult *smtp_job_steal_result(SmtpJob *j)
{
	OutboxResult *r = j->result;

	j->result = NULL;
	return r;
}

/* crlf - the message with every line ending in CRLF (a new ref when already so) */
static GBytes *crlf(GBytes *msg)
{
	gsize len, extra = 0;
	const char *d = g_bytes_get_data(msg, &len);
	const char *p = d, *end = d + len;
	GString *s;

	/* memchr: composed messages are CRLF already, and this runs for every message */
	while ((p = memchr(p, '\n', (gsize)(end - p))) != NULL) {
		if (p == d || p[-1] != '\r')
			extra++;
		p++;
	}
	if (extra == 0 && len >= 2 && d[len - 2] == '\r' && d[len - 1] == '\n')
		return g_bytes_ref(msg);
	s = g_string_sized_new(len + extra + 2);
	for (gsize i = 0; i < len; i++) {
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			g_string_append_c(s, '\r');
		g_string_append_c(s, d[i]);
	}
	if (s->len < 2 || s->str[s->len - 1] != '\n')
		g_string_append(s, "\r\n");
	return g_string_free_to_bytes(s);
}

/* sign_job - the job's message made CRLF and DKIM-signed, once; FALSE when signing failed
 * (the job is then back in p->done, deferred: mail is not sent unsigned) */
static gboolean sign_job(SmtpPool *p, SmtpJob *j)
{
	GError *e = NULL;
	GBytes *fixed, *signed_msg;

	if (p->dkim == NULL || j->signed_)
		return TRUE;
	fixed = crlf(j->message);
	signed_msg = dkim_signer_sign(p->dkim, fixed, &e);
	g_bytes_unref(fixed);
	if (signed_msg == NULL) {
		outbox_result_set(j->result, OUTBOX_OUT_DEFERRED, 0, NULL, e->message);
		g_error_free(e);
		g_async_queue_push(p->done, j);
		return FALSE;
	}
	g_bytes_unref(j->message);
	j->message = signed_msg;
	j->signed_ = TRUE;
	return TRUE;
}

/* message_cb - libesmtp reads the whole message in one piece; len NULL rewinds */
static const char *message_cb(void **ctx, int *len, void *arg)
{
	SmtpJob *j = arg;
	gsize n;
	const char *d;

	if (len == NULL) {
		j->fed = FALSE;
		return NULL;
	}
	if (j->fed) {
		*len = 0;
		return NULL;
	}
	d = g_bytes_get_data(j->message, &n);
	j->fed = TRUE;
	*len = (int)n;
	return d;
}

/* ==== Rate limits and host choice ==== */

/*
 * rate_take - wait for this host's per-second pacing, then count one message against its
 * hourly limit. FALSE (nothing counted) when the hour is used up; *not_before says when a
 * message may go again.
 */
static gboolean rate_take(Host *h, gint64 *not_before)
{
	gint64 wait_us = 0, now = pm_now(), min = now / 60, used = 0;
	int slot = (int)(min % 60);

	g_mutex_lock(&h->lock);
	if (h->conf->rate_per_hour > 0) {
		gint64 oldest = min;

		for (int i = 0; i < 60; i++)
			if (h->minute[i] > min - 60 && h->count[i] > 0) {
				used += h->count[i];
				oldest = MIN(oldest, h->minute[i]);
			}
		if (used >= h->conf->rate_per_hour) {
			g_mutex_unlock(&h->lock);
			*not_before = (oldest + 61) * 60;
			return FALSE;
		}
		if (h->minute[slot] != min) {
			h->minute[slot] = min;
			h->count[slot] = 0;
		}
		h->count[slot]++;
	}
	if (h->conf->rate > 0) {
		gint64 t = g_get_monotonic_time();
		gint64 at = MAX(t, h->next_slot_us);

		h->next_slot_us = at + (gint64)(G_USEC_PER_SEC / h->conf->rate);
		wait_us = at - t;
	}
	g_mutex_unlock(&h->lock);
	if (wait_us > 0)
		g_usleep((gulong)wait_us);
	return TRUE;
}

/* smtp_pool_note_sent - preload the hourly window (counted in the current minute) */
void smtp_pool_note_sent(SmtpPool *p, guint host, gint64 n)
{
	Host *h;
	gint64 min = pm_now() / 60;

	if (host >= p->n_hosts || n <= 0)
		return;
	h = &p->hosts[host];
	g_mutex_lock(&h->lock);
	if (h->minute[min % 60] != min) {
		h->minute[min % 60] = min;
		h->count[min % 60] = 0;
	}
	h->count[min % 60] += n;
	g_mutex_unlock(&h->lock);
}

/* host_is_down - skip a host that failed recently */
static gboolean host_is_down(Host *h)
{
	gboolean down;

	g_mutex_lock(&h->lock);
	down = h->down_until > g_get_monotonic_time();
	g_mutex_unlock(&h->lock);
	return down;
}

/* host_mark_down - skip h for HOST_DOWN_SECONDS and say why */
static void host_mark_down(Host *h, const char *why)
{
	g_mutex_lock(&h->lock);
	h->down_until = g_get_monotonic_time() + HOST_DOWN_SECONDS * G_USEC_PER_SEC;
	g_free(h->down_reason);
	h->down_reason = g_strdup(why);
	g_mutex_unlock(&h->lock);
	log_warn("smtp %s (%s): %s; trying the next host for %d s", h->conf->name, h->hostport,
		 why, HOST_DOWN_SECONDS);
}

/* host_acquire - take a connection slot on h if one is free */
static gboolean host_acquire(Host *h)
{
	if (g_atomic_int_add(&h->active, 1) < h->conf->connections)
		return TRUE;
	g_atomic_int_add(&h->active, -1);
	return FALSE;
}

/* ==== Replies ==== */

static char *enhanced(const smtp_status_t *s)
{
	if (s == NULL || s->enh_class <= 0)
		return NULL;
	return g_strdup_printf("%d.%d.%d", s->enh_class, s->enh_subject, s->enh_detail);
}

/* set_from_status - copy a libesmtp reply into a result */
static void set_from_status(OutboxResult *r, OutboxOutcome out, const smtp_status_t *s,
			    gboolean recipient_reply)
{
	char *enh = enhanced(s);

	outbox_result_set(r, out, s->code, enh, s->text ? s->text : "");
	r->recipient_reply = recipient_reply;
	g_free(enh);
}

/* by_class - 5xx fails, anything else defers */
static OutboxOutcome by_class(int code)
{
	return code >= 500 ? OUTBOX_OUT_FAILED : OUTBOX_OUT_DEFERRED;
}

/*
 * classify - read the MAIL, RCPT and end-of-data replies of job's message into its result.
 * Returns FALSE when the server gave no reply at all for it (the host is at fault).
 */
static gboolean classify(Session *s, SmtpJob *j, smtp_message_t m, const char *err)
{
	const smtp_status_t *mail = smtp_reverse_path_status(m);
	const smtp_status_t *rcpt = j->rcpt ? smtp_recipient_status(j->rcpt) : NULL;
	const smtp_status_t *data = smtp_message_transfer_status(m);
	OutboxResult *r = j->result;

	g_free(r->relay);
	r->relay = g_strdup(s->host->conf->name);
	if (mail && mail->code >= 400) {
		set_from_status(r, by_class(mail->code), mail, FALSE);
	} else if (rcpt && rcpt->code >= 400) {
		set_from_status(r, by_class(rcpt->code), rcpt, TRUE);
	} else if (rcpt && rcpt->code >= 200 && rcpt->code < 300) {
		if (data && data->code >= 200 && data->code < 300)
			set_from_status(r, OUTBOX_OUT_SENT, data, TRUE);
		else if (data && data->code >= 400)
			set_from_status(r, by_class(data->code), data, TRUE);
		else {
			char *t = g_strdup_printf("connection lost before the end-of-data reply%s%s",
						  err ? ": " : "", err ? err : "");
			outbox_result_set(r, OUTBOX_OUT_DEFERRED, 0, NULL, t);
			g_free(t);
		}
	} else if (mail && mail->code >= 200) {
		outbox_result_set(r, OUTBOX_OUT_DEFERRED, 0, NULL,
				  err ? err : "connection lost after MAIL FROM");
	} else {
		return FALSE;
	}
	return TRUE;
}

/* ==== Sessions ==== */

static void add_job(Session *s, SmtpJob *j)
{
	smtp_message_t m = smtp_add_message(s->session);
	GBytes *fixed = crlf(j->message);

	g_bytes_unref(j->message);
	j->message = fixed;
	j->fed = FALSE;
	smtp_set_reverse_path(m, j->sender ? j->sender : "");
	j->rcpt = smtp_add_recipient(m, j->recipient);
	smtp_set_messagecb(m, message_cb, j);
	j->msg = m;
	smtp_message_set_application_data_release(m, j, NULL);
	g_ptr_array_add(s->pending, j);
	s->added++;
}

/* job_wanted - FALSE (the job handed back CANCELLED) when its row was cancelled since its
 * claim: the last look before libesmtp gets the message */
static gboolean job_wanted(SmtpPool *p, SmtpJob *j)
{
	if (p->wanted == NULL || p->wanted(j->result->id, p->wanted_user))
		return TRUE;
	outbox_result_set(j->result, OUTBOX_OUT_CANCELLED, 0, NULL, "cancelled before sending");
	g_async_queue_push(p->done, j);
	return FALSE;
}

/* release_job - hand a job back untried */
static void release_job(SmtpPool *p, SmtpJob *j, gint64 not_before, const char *why)
{
	outbox_result_set(j->result, OUTBOX_OUT_RELEASED, 0, NULL, why);
	j->result->not_before = not_before;
	g_async_queue_push(p->done, j);
}

/* feed - after an answered message, add the next queued job to the running session */
static void feed(Session *s)
{
	SmtpPool *p = s->pool;
	gpointer next;
	gint64 not_before = 0;

	if (s->quit || s->added >= SESSION_MAX_MESSAGES || g_atomic_int_get(&p->stop_feeding))
		return;
	/* a cancelled job is handed back and the next one taken */
	do
		next = g_async_queue_timeout_pop(p->jobs, SESSION_IDLE_US);
	while (next && next != &p->stop_marker && !job_wanted(p, next));
	if (next == NULL)
		return;
	if (next == &p->stop_marker) {
		s->quit = TRUE;
		return;
	}
	if (g_atomic_int_get(&p->stop_feeding)) {
		release_job(p, next, 0, "sender stopping");
		return;
	}
	if (!rate_take(s->host, &not_before)) {
		release_job(p, next, not_before, "hourly rate limit reached");
		return;
	}
	if (sign_job(p, next))
		add_job(s, next);
}

/* no_tcp_delay - disable Nagle on our connected TCP sockets to this host. libesmtp writes
 * a message in 2 KiB pieces and gives no access to its socket; without TCP_NODELAY each
 * piece after the first waits for the peer's delayed ACK (~40 ms per message). Setting
 * the option on another thread's SMTP socket is harmless: it wants it too. */
static void no_tcp_delay(void)
{
	GDir *d = g_dir_open("/proc/self/fd", 0, NULL);
	const char *e;

	if (d == NULL)
		return;
	while ((e = g_dir_read_name(d)) != NULL) {
		int fd = atoi(e), type = 0, one = 1;
		socklen_t len = sizeof(type);
		struct sockaddr_storage sa;
		socklen_t salen = sizeof(sa);

		if (fd < 3 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
		    type != SOCK_STREAM || getpeername(fd, (struct sockaddr *)&sa, &salen) != 0 ||
		    (sa.ss_family != AF_INET && sa.ss_family != AF_INET6))
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	g_dir_close(d);
}

/* event_cb - libesmtp events: answered messages, TLS checks, new connections */
static void event_cb(smtp_session_t session, int event, void *arg, ...)
{
	Session *s = arg;
	va_list ap;
	int *ok;

	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_CONNECT:
		no_tcp_delay();
		break;
	case SMTP_EV_MESSAGESENT: {
		smtp_message_t m = va_arg(ap, smtp_message_t);
		SmtpJob *j = smtp_message_get_application_data(m);

		if (j && g_ptr_array_remove(s->pending, j)) {
			if (!classify(s, j, m, NULL))
				outbox_result_set(j->result, OUTBOX_OUT_DEFERRED, 0, NULL,
						  "no reply from the server");
			s->answered++;
			g_async_queue_push(s->pool->done, j);
		}
		feed(s);
		break;
	}
	case SMTP_EV_INVALID_PEER_CERTIFICATE: {
		long result = va_arg(ap, long);

		ok = va_arg(ap, int *);
		if (!s->host->conf->tls_verify) {
			*ok = 1;
		} else {
			g_free(s->tls_problem);
			s->tls_problem = g_strdup_printf("TLS certificate not trusted: %s",
				X509_verify_cert_error_string(result));
		}
		break;
	}
	case SMTP_EV_NO_PEER_CERTIFICATE:
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		if (!s->host->conf->tls_verify) {
			*ok = 1;
		} else {
			g_free(s->tls_problem);
			s->tls_problem = g_strdup(event == SMTP_EV_NO_PEER_CERTIFICATE
						  ? "TLS: no server certificate"
						  : "TLS certificate does not name the host");
		}
		break;
	case SMTP_EV_WEAK_CIPHER:
		(void)va_arg(ap, int);
		ok = va_arg(ap, int *);
		g_free(s->tls_problem);
		s->tls_problem = g_strdup("TLS: cipher too weak");
		break;
	case SMTP_EV_EXTNA_STARTTLS:
		g_free(s->tls_problem);
		s->tls_problem = g_strdup("STARTTLS required but not offered by the server");
		break;
	case SMTP_EV_SYNTAXWARNING:
	case SMTP_EV_EXTNA_DSN:
	case SMTP_EV_EXTNA_8BITMIME:
	default:
		break;
	}
	va_end(ap);
}

/* auth_interact - hand libesmtp the user and password (borrowed, never logged) */
static int auth_interact(auth_client_request_t request, char **result, int fields, void *arg)
{
	Host *h = arg;

	for (int i = 0; i < fields; i++) {
		if (request[i].flags & AUTH_USER)
			result[i] = h->conf->user;
		else if (request[i].flags & AUTH_PASS)
			result[i] = h->password;
		else
			return 0;
	}
	return 1;
}

typedef enum { SESSION_DONE, SESSION_HOST_FAILED } SessionEnd;

/*
 * run_session - one connection to h starting with job; more jobs are fed as replies
 * arrive. On SESSION_HOST_FAILED job got no reply at all and is still the caller's, *why
 * says why (caller frees); otherwise every job has been handed back.
 */
static SessionEnd run_session(SmtpPool *p, Host *h, SmtpJob *job, gboolean *quit, char **why)
{
	Session s = { p, h, smtp_create_session(), g_ptr_array_new(), 0, 0, FALSE, NULL };
	auth_context_t auth = NULL;
	SessionEnd end = SESSION_DONE;
	char ebuf[256];
	const char *err = NULL;
	long ms = (long)h->conf->timeout * 1000L;

	smtp_set_server(s.session, h->hostport);
	smtp_set_eventcb(s.session, event_cb, &s);
	smtp_set_timeout(s.session, Timeout_GREETING | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	smtp_set_timeout(s.session, Timeout_ENVELOPE | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	smtp_set_timeout(s.session, Timeout_DATA | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	smtp_set_timeout(s.session, Timeout_TRANSFER | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	smtp_set_timeout(s.session, Timeout_DATA2 | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	smtp_starttls_enable(s.session, h->conf->starttls == PM_TLS_NO ? Starttls_DISABLED
				       : h->conf->starttls == PM_TLS_REQUIRED ? Starttls_REQUIRED
				       : Starttls_ENABLED);
	if (h->tls)
		smtp_starttls_set_ctx(s.session, h->tls);
	if (h->conf->user) {
		auth = auth_create_context();
		auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(auth, auth_interact, h);
		smtp_auth_set_context(s.session, auth);
	}
	add_job(&s, job);
	if (!smtp_start_session(s.session))
		err = smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
	if (s.tls_problem)
		err = s.tls_problem;

	/* What is left was cut short: the connection died, or never worked. */
	for (guint i = 0; i < s.pending->len; i++) {
		SmtpJob *j = g_ptr_array_index(s.pending, i);

		if (classify(&s, j, j->msg, err)) {
			g_async_queue_push(p->done, j);
		} else if (j == job && s.answered == 0) {
			end = SESSION_HOST_FAILED;
			*why = g_strdup(err ? err : "no reply from the server");
		} else {
			/* Fed after an answered message but never started: libesmtp decides to
			 * QUIT before the event that fed it (a refused DATA), or the connection
			 * dropped between messages. A new session takes it first. */
			g_async_queue_push_front(p->jobs, j);
		}
	}
	g_ptr_array_unref(s.pending);
	smtp_destroy_session(s.session);
	if (auth)
		auth_destroy_context(auth);
	g_free(s.tls_problem);
	*quit = s.quit;
	return end;
}

/*
 * deliver - send job (and whatever the session picks up after it) through the first host,
 * in failover order, that is up and has a free connection. Returns TRUE when a stop
 * marker was taken on the way.
 */
static gboolean deliver(SmtpPool *p, SmtpJob *job)
{
	gboolean *tried = g_new0(gboolean, p->n_hosts), quit = FALSE;
	char *last = NULL;

	for (;;) {
		Host *h = NULL;
		gboolean all_out = TRUE;
		gint64 not_before = 0;

		for (guint i = 0; i < p->n_hosts && h == NULL; i++) {
			if (tried[i] || host_is_down(&p->hosts[i]))
				continue;
			all_out = FALSE;
			if (host_acquire(&p->hosts[i]))
				h = &p->hosts[i];
		}
		if (h == NULL && all_out) {
			/* every host failed or is resting: try again later */
			char *t = g_strdup_printf("no SMTP host reachable%s%s", last ? ": " : "",
						  last ? last : "");
			outbox_result_set(job->result, OUTBOX_OUT_DEFERRED, 0, NULL, t);
			g_free(t);
			g_async_queue_push(p->done, job);
			break;
		}
		if (h == NULL) {
			g_usleep(10000);   /* all slots of the usable hosts are busy */
			continue;
		}
		if (g_atomic_int_get(&p->stop_feeding)) {
			g_atomic_int_add(&h->active, -1);
			release_job(p, job, 0, "sender stopping");
			break;
		}
		if (!job_wanted(p, job)) {
			g_atomic_int_add(&h->active, -1);
			break;
		}
		if (!rate_take(h, &not_before)) {
			g_atomic_int_add(&h->active, -1);
			release_job(p, job, not_before, "hourly rate limit reached");
			break;
		}
		{
			char *why = NULL;
			SessionEnd end = run_session(p, h, job, &quit, &why);

			g_atomic_int_add(&h->active, -1);
			if (end == SESSION_DONE) {
				g_free(why);
				break;
			}
			tried[h - p->hosts] = TRUE;
			host_mark_down(h, why);
			g_free(last);
			last = g_strdup_printf("%s: %s", h->conf->name, why);
			g_free(why);
		}
	}
	g_free(last);
	g_free(tried);
	return quit;
}

/* worker - take jobs until a stop marker */
static gpointer worker(gpointer data)
{
	SmtpPool *p = data;

	for (;;) {
		gpointer j = g_async_queue_pop(p->jobs);

		if (j == &p->stop_marker)
			break;
		if (g_atomic_int_get(&p->stop_feeding)) {
			release_job(p, j, 0, "sender stopping");
			continue;
		}
		if (!sign_job(p, j))
			continue;
		if (deliver(p, j))
			break;
	}
	return NULL;
}

/* ==== Pool ==== */

static char *read_password(const char *path, GError **error)
{
	char *text = NULL;
	char *nl;

	if (path == NULL)
		return g_strdup("");
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "cannot read password_file %s", path);
		return NULL;
	}
	nl = strpbrk(text, "\r\n");
	if (nl)
		*nl = '\0';
	return text;
}

/* tls_context - a client SSL_CTX with the host's CA file or the system store */
static SSL_CTX *tls_context(const PmSmtpHost *c, GError **error)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		g_set_error(error, PM_ERROR, EX_SOFTWARE, "smtp %s: cannot create a TLS context",
			    c->name);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	/* libesmtp checks the verification result and the host name after the handshake
	 * (events INVALID/WRONG_PEER_CERTIFICATE); tls_verify decides there. */
	if (c->ca_file ? SSL_CTX_load_verify_locations(ctx, c->ca_file, NULL) != 1
		       : SSL_CTX_set_default_verify_paths(ctx) != 1) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "smtp %s: cannot load CA file %s", c->name,
			    c->ca_file ? c->ca_file : "(system)");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* hosts_free - wipe passwords, free TLS contexts and host state */
static void hosts_free(SmtpPool *p)
{
	for (guint i = 0; i < p->n_hosts; i++) {
		Host *h = &p->hosts[i];

		g_free(h->hostport);
		if (h->password) {
			memset(h->password, 0, strlen(h->password));
			g_free(h->password);
		}
		if (h->tls)
			SSL_CTX_free(h->tls);
		g_free(h->down_reason);
		g_mutex_clear(&h->lock);
	}
	g_free(p->hosts);
}

/* smtp_pool_new - hosts, TLS contexts, passwords, threads */
SmtpPool *smtp_pool_new(const PmConfig *cfg, DkimSigner *dkim, GError **error)
{
	SmtpPool *p;
	int threads = 0;

	if (!lazylib_load(&esmtp_lib, error))
		return NULL;
	p = g_new0(SmtpPool, 1);
	p->cfg = cfg;
	p->dkim = dkim;
	p->n_hosts = cfg->smtp->len;
	p->hosts = g_new0(Host, p->n_hosts);
	for (guint i = 0; i < p->n_hosts; i++) {
		Host *h = &p->hosts[i];

		h->conf = g_ptr_array_index(cfg->smtp, i);
		g_mutex_init(&h->lock);
		h->hostport = g_strdup_printf("%s:%d", h->conf->host, h->conf->port);
		threads = MAX(threads, h->conf->connections);
	}
	for (guint i = 0; i < p->n_hosts; i++) {
		Host *h = &p->hosts[i];

		if (h->conf->user && (h->password = read_password(h->conf->password_file, error)) == NULL)
			goto fail;
		if (h->conf->starttls != PM_TLS_NO && (h->tls = tls_context(h->conf, error)) == NULL)
			goto fail;
	}
	auth_client_init();
	p->jobs = g_async_queue_new();
	p->done = g_async_queue_new();
	p->threads = g_ptr_array_new();
	for (int i = 0; i < threads; i++)
		g_ptr_array_add(p->threads, g_thread_new("smtp", worker, p));
	return p;
fail:
	hosts_free(p);
	g_free(p);
	return NULL;
}

/* smtp_pool_set_wanted - the last look before each job is handed over */
void smtp_pool_set_wanted(SmtpPool *p, SmtpWantedFn fn, gpointer user)
{
	p->wanted = fn;
	p->wanted_user = user;
}

/* smtp_pool_submit - queue a job */
void smtp_pool_submit(SmtpPool *p, SmtpJob *job)
{
	g_async_queue_push(p->jobs, job);
}

/* smtp_pool_pop - a finished job or NULL */
SmtpJob *smtp_pool_pop(SmtpPool *p, gint64 timeout_us)
{
	if (timeout_us <= 0)
		return g_async_queue_try_pop(p->done);
	return g_async_queue_timeout_pop(p->done, (guint64)timeout_us);
}

/* smtp_pool_stop_feeding - no new message starts; queued jobs come back released */
void smtp_pool_stop_feeding(SmtpPool *p)
{
	gpointer j;

	g_atomic_int_set(&p->stop_feeding, 1);
	while ((j = g_async_queue_try_pop(p->jobs)) != NULL) {
		if (j == &p->stop_marker) {
			g_async_queue_push(p->jobs, j);
			break;
		}
		release_job(p, j, 0, "sender stopping");
	}
}

/* smtp_pool_free - one stop marker per thread, join, free */
SmtpPool *smtp_pool_free(SmtpPool *p)
{
	gpointer j;

	if (p == NULL)
		return NULL;
	for (guint i = 0; i < p->threads->len; i++)
		g_async_queue_push(p->jobs, &p->stop_marker);
	for (guint i = 0; i < p->threads->len; i++)
		g_thread_join(g_ptr_array_index(p->threads, i));
	g_ptr_array_unref(p->threads);
	while ((j = g_async_queue_try_pop(p->jobs)) != NULL)
		if (j != &p->stop_marker)
			smtp_job_free(j);
	while ((j = g_async_queue_try_pop(p->done)) != NULL)
		smtp_job_free(j);
	g_async_queue_unref(p->jobs);
	g_async_queue_unref(p->done);
	hosts_free(p);
	auth_client_exit();
	g_free(p);
	return NULL;
}
