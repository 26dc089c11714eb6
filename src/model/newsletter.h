/*
 * newsletter.h - newsletters: a Markdown + Mustache body sent to a list (or, a creator's
 * approved update, to a petition's counted signers: NewsletterAudience), one personalized
 * copy per member, scheduled, throttled and resumable.
 *
 * Owns: the newsletters table (every write to it is here) and its states (draft,
 * scheduled, sending, sent, cancelled), expanding a due newsletter into the outbox in
 * batches exactly once (the cursor, through outbox_enqueue), and what a copy's send
 * depends on (newsletter_copy_state).
 * Not: the outbox rows (outbox), rendering a copy (produce/newsletter_render.h), sending
 * (outbox/sender), the template language (template), MIME (compose).
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_NEWSLETTER_H
#define PM_NEWSLETTER_H

#include <glib.h>
#include "base/config.h"
#include <json-glib/json-glib.h>
#include "base/db.h"
#include "model/list.h"
#include "model/member.h"

/* A newsletter's status, stored as its name (newsletter_status_name) in newsletters.status */
typedef enum {
	NEWSLETTER_STATUS_DRAFT,
	NEWSLETTER_STATUS_SCHEDULED,
	NEWSLETTER_STATUS_SENDING,
	NEWSLETTER_STATUS_SENT,
	NEWSLETTER_STATUS_CANCELLED
} NewsletterStatus;

/* Whom a newsletter goes to, stored as its name (newsletter_audience_name): a list's
 * active subscribers, or (a creator's approved update) its petition's counted signers
 * who have not stopped its updates */
typedef enum {
	NEWSLETTER_AUDIENCE_LIST,
	NEWSLETTER_AUDIENCE_SIGNERS
} NewsletterAudience;

/* newsletter_audience_name - "list", "signers" */
const char *newsletter_audience_name(NewsletterAudience audience);

/* newsletter_audience_parse - the audience named s into *audience; FALSE if unknown */
gboolean newsletter_audience_parse(const char *s, NewsletterAudience *audience);

/* newsletter_status_name - "draft", "scheduled", ...: the name stored and printed */
const char *newsletter_status_name(NewsletterStatus status);

/* newsletter_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean newsletter_status_parse(const char *s, NewsletterStatus *status);

/*
 * newsletter_create - a draft for list (name), optionally linked to petition (slug;
 * NULL: none). template NULL is "newsletter". skip_signed leaves out members who signed
 * the linked petition. created_by is the organizer's address when mailed in, else NULL.
 * Returns the id, or 0 with error (EX_NOUSER for an unknown list or petition, EX_DATAERR
 * for a subject or body that is not valid Mustache).
 */
gint64 newsletter_create(PmDb *db, const PmConfig *cfg, const char *list, const char *subject,
			 const char *body_markdown, const char *petition, const char *template_name,
			 gboolean skip_signed, const char *created_by, GError **error);

/*
 * newsletter_create_update - a newsletter to the counted signers of petition_id (audience
 * signers, no list; template petition_update) with subject and body (Markdown +
 * Mustache), scheduled now: the next `peermail run` expands and sends it. created_by: who
 * approved it. Returns the id, or 0 with error (EX_DATAERR: not valid Mustache). The
 * caller holds the transaction.
 */
gint64 newsletter_create_update(PmDb *db, gint64 petition_id, const char *subject,
				const char *body_markdown, const char *created_by, GError **error);

/*
 * newsletter_translate - the subject and body (Markdown + Mustache) of newsletter id for
 * members whose language is lang (a BCP 47 tag, stored as its primary subtag); others get
 * the newsletter's own. Replaces an earlier one for lang. Only a draft or a scheduled
 * newsletter (EX_DATAERR otherwise, and for invalid Mustache or UTF-8); EX_NOUSER for an
 * unknown id; EX_USAGE for a tag that is no language.
 */
gboolean newsletter_translate(PmDb *db, gint64 id, const char *lang, const char *subject,
			      const char *body_markdown, GError **error);

/* A newsletter's subject and body in one more language. */
typedef struct {
	char *lang;
	char *subject;
	char *body;
} NewsletterTranslation;

/* newsletter_translations - newsletter id's translations (NewsletterTranslation*, the
 * array frees them), by language; NULL with error on a database failure */
GPtrArray *newsletter_translations(PmDb *db, gint64 id, GError **error);

/* newsletter_schedule - send at unix time at (now or later); only a draft or scheduled one.
 * EX_NOUSER for an unknown id, EX_DATAERR for one already sending, sent or cancelled. */
gboolean newsletter_schedule(PmDb *db, gint64 id, gint64 at, GError **error);

/* newsletter_schedule_later - newsletter_schedule for a time still to come: one that has
 * passed is EX_DATAERR (sending now is `newsletter send`) */
gboolean newsletter_schedule_later(PmDb *db, gint64 id, gint64 at, GError **error);

/* newsletter_cancel - stop it: queued and deferred copies not yet sent are cancelled (a copy
 * being sent right now is caught by the renderer). Sent ones cannot be cancelled
 * (EX_DATAERR). The caller holds the transaction. */
gboolean newsletter_cancel(PmDb *db, gint64 id, GError **error);

/* newsletter_signers - how many members an update of petition_id would reach now (its
 * counted signers who have not stopped its updates) */
gboolean newsletter_signers(PmDb *db, gint64 petition_id, gint64 *count, GError **error);

/* newsletter_audience - how many members it would reach now */
gboolean newsletter_audience(PmDb *db, gint64 id, gint64 *count, GError **error);

/* ==== Added by the campaigns branch ==== */

typedef struct {
	gint64 id;
	gint64 list_id;       /* 0: none (audience signers) */
	gint64 petition_id;   /* 0: none */
	NewsletterAudience audience;
	char *subject;
	char *body;           /* Markdown + Mustache source */
	char *template_name;
	gboolean skip_signed;
	NewsletterStatus status;
	gint64 scheduled_at;  /* 0: not scheduled */
	gint64 cursor;        /* last member id expanded */
	gint64 recipients;    /* rows expanded into the outbox; once cancelled, plus the
			       * members it had yet to be expanded for (newsletter_cancel) */
	gint64 expanded_at;   /* 0: expansion not finished */
	gint64 created_at;
} Newsletter;

/* newsletter_get - by id; NULL (no error) when absent; free with newsletter_free */
Newsletter *newsletter_get(PmDb *db, gint64 id, GError **error);

/* newsletter_free - destroy; returns NULL */
Newsletter *newsletter_free(Newsletter *n);

/* newsletter_need - newsletter_get, but absent is an EX_NOUSER error "no newsletter ID"
 * (the one message for it) */
Newsletter *newsletter_need(PmDb *db, gint64 id, GError **error);

/*
 * newsletter_expand - the scheduler task: claim every due scheduled newsletter
 * (scheduled -> sending, a conditional UPDATE, so of two `run` processes one wins), then
 * expand newsletters still expanding into the outbox, one transaction per batch rows
 * (cursor = last member id; the outbox's unique (ref_id, member_id) index makes a repeat
 * harmless), and mark sent those fully expanded with nothing left to send. max_rows bounds
 * the work of one call (0: no bound). *expanded gets the rows added (may be NULL).
 */
gboolean newsletter_expand(PmDb *db, gint64 now, int batch, gint64 max_rows,
			   gint64 *expanded, GError **error);

/* newsletter_expand_more - newsletter_expand without marking finished newsletters sent
 * (that check scans a newsletter's outbox rows: once per scheduler pass is enough) */
gboolean newsletter_expand_more(PmDb *db, gint64 now, int batch, gint64 max_rows,
				gint64 *expanded, GError **error);

/*
 * newsletter_copy_state - what the copy of newsletter id for member_id depends on at send
 * time, in one statement: *found FALSE when there is no such newsletter, else its status in
 * *nstatus; whether the member is still in its audience in *sstatus: their subscription to
 * its list (SUBSCRIPTION_STATUS_NONE: none), or for audience signers ACTIVE while their
 * signature counts and they have not stopped its updates, else UNSUBSCRIBED; the member into *m (id, email, name, postcode, district, status; m->email NULL
 * when there is no such member). Strings in *m are the caller's to free. FALSE on a
 * database error.
 */
gboolean newsletter_copy_state(PmDb *db, gint64 id, gint64 member_id, gboolean *found,
			       NewsletterStatus *nstatus, SubscriptionStatus *sstatus, Member *m,
			       GError **error);

/* newsletter_finish - sending newsletters fully expanded with nothing queued become sent */
gboolean newsletter_finish(PmDb *db, gint64 now, GError **error);

typedef struct {
	gint64 recipients, queued, sent, failed, bounced, cancelled;
	gint64 unsubscribes;  /* see newsletter_counts */
} NewsletterCounts;

/*
 * newsletter_counts - its outbox rows by state (queued includes sending and deferred),
 * bounces recorded against them, and the unsubscribes it caused: members who received it
 * and whose subscription to its list became unsubscribed within
 * NEWSLETTER_UNSUB_DAYS days after their copy was sent.
 */
#define NEWSLETTER_UNSUB_DAYS 7
gboolean newsletter_counts(PmDb *db, gint64 id, NewsletterCounts *c, GError **error);

/* A newsletter's state and counts (`newsletter status`, `newsletter ls`, `stats`). */
typedef struct {
	Newsletter *newsletter;
	char *list;             /* the list's name; NULL if it is gone */
	char *petition;         /* the linked petition's slug, or NULL */
	gint64 recipients;      /* copies expanded; before expansion, the audience now; once
				 * cancelled, every member it was going to (the copies never
				 * expanded are counted in counts.cancelled) */
	NewsletterCounts counts;
} NewsletterReport;

/* newsletter_report_need - newsletter id's status; EX_NOUSER as newsletter_need. Reads
 * only: a newsletter whose last copies went out stays "sending" until `peermail run`
 * (newsletter_finish) says it is sent. Free with newsletter_report_free. */
NewsletterReport *newsletter_report_need(PmDb *db, gint64 id, GError **error);

/* newsletter_report_all - every newsletter's status (NewsletterReport*, the array frees
 * them), newest first */
GPtrArray *newsletter_report_all(PmDb *db, GError **error);

/* newsletter_report_free - destroy; returns NULL */
NewsletterReport *newsletter_report_free(NewsletterReport *s);

/* newsletter_list_of_petition_mail - the list of the newest newsletter copy about
 * petition_id queued for member_id into *list_id: what a reply to it came from (0: the
 * newest was an update to the petition's signers, or there is none) */
gboolean newsletter_list_of_petition_mail(PmDb *db, gint64 petition_id, gint64 member_id,
					  gint64 *list_id, GError **error);

#endif
