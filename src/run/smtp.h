/*
 * smtp.h - the SMTP transport: a pool of threads, each holding one libesmtp session at a
 * time, that carry many messages per connection to the configured smarthosts.
 *
 * Owns: libesmtp sessions (one per thread, never shared), STARTTLS (no/optional/required,
 * CA file or tls_verify = false), AUTH (user and password_file; the password is read once
 * and never logged), timeouts, failover to the next host when one cannot be reached, rate
 * limits per host (messages per second and per hour), and reading every recipient's
 * reply. Not: the database (the sender's SmtpWantedFn takes the last look at a row from
 * these threads), what to send (sender).
 *
 * Jobs go in with smtp_pool_submit and come back, each with its OutboxResult filled, from
 * smtp_pool_pop. The result is copied from libesmtp as soon as the server has answered.
 *
 * THREADS: one session per thread; sessions, messages and recipients are never shared.
 */
#ifndef PM_SMTP_H
#define PM_SMTP_H

#include <glib.h>
#include "base/config.h"
#include "mail/dkim.h"
#include "model/outbox.h"

typedef struct SmtpPool SmtpPool;

/* One message to one recipient. */
typedef struct {
	char *recipient;
	char *sender;           /* envelope sender (MAIL FROM) */
	GBytes *message;        /* the whole message; made CRLF by the pool when needed */
	OutboxResult *result;   /* owned; the pool fills outcome, reply and relay */
	/* private to the pool */
	gboolean fed;           /* the message callback has handed out the bytes */
	gboolean signed_;       /* DKIM signatures added (once, whatever the tries) */
	void *msg;              /* smtp_message_t of the current session */
	void *rcpt;             /* smtp_recipient_t of the current session */
} SmtpJob;

/* smtp_job_new - a job; takes ownership of result, refs message, copies the strings */
SmtpJob *smtp_job_new(OutboxResult *result, const char *recipient, const char *sender,
		      GBytes *message);

/* smtp_job_free - destroy, result included; returns NULL */
SmtpJob *smtp_job_free(SmtpJob *job);

/* smtp_job_steal_result - take the result out of job (caller frees it) */
OutboxResult *smtp_job_steal_result(SmtpJob *job);

/*
 * smtp_pool_new - start the threads for cfg->smtp (cfg is borrowed and must outlive the
 * pool). Reads the AUTH password files and builds the TLS contexts; EX_CONFIG on error.
 * dkim (borrowed, may be NULL) signs each message in the SMTP thread that sends it.
 */
SmtpPool *smtp_pool_new(const PmConfig *cfg, DkimSigner *dkim, GError **error);

/*
 * SmtpWantedFn - TRUE while outbox row id may still go out; called in the SMTP threads
 * (each needs its own database connection) just before a job's message is handed to
 * libesmtp. FALSE hands the job back with outcome OUTBOX_OUT_CANCELLED, unsent.
 * smtp_pool_set_wanted - set it before the first job is submitted.
 */
typedef gboolean (*SmtpWantedFn)(gint64 id, gpointer user);
void smtp_pool_set_wanted(SmtpPool *pool, SmtpWantedFn fn, gpointer user);

/* smtp_pool_note_sent - count n messages already sent through host i in the last hour */
void smtp_pool_note_sent(SmtpPool *pool, guint host, gint64 n);

/* smtp_pool_submit - queue a job; the pool owns it until smtp_pool_pop returns it */
void smtp_pool_submit(SmtpPool *pool, SmtpJob *job);

/* smtp_pool_pop - a finished job, waiting up to timeout_us (0: do not wait), or NULL */
SmtpJob *smtp_pool_pop(SmtpPool *pool, gint64 timeout_us);

/*
 * smtp_pool_stop_feeding - no new message starts from now on: queued jobs come back
 * RELEASED, sessions finish the message they are sending and quit (for SIGTERM).
 */
void smtp_pool_stop_feeding(SmtpPool *pool);

/* smtp_pool_free - stop and join the threads (every job must have been popped); NULL */
SmtpPool *smtp_pool_free(SmtpPool *pool);

#endif
