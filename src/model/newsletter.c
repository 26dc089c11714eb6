/*
 * newsletter.c - the newsletters table: creating, scheduling, cancelling, expanding a due
 * newsletter into the outbox in batches, and counting what became of it.
 *
 * Expansion queues outbox rows in batches of up to a thousand per transaction (message
 * NULL: each copy is rendered at send time by newsletter_render.c). The cursor, read inside
 * the write transaction, is what keeps two processes from expanding the same members; the
 * outbox's unique (ref_id, member_id) index for kind 'newsletter' is the backstop.
 * The audience is read at expansion (subscription and member both active; with
 * skip_signed, no confirmed signature on the linked petition) and checked again at render.
 *
 * DIAGNOSTICS: unknown list, petition or newsletter: EX_NOUSER; a state change that is
 * not allowed (scheduling a sent newsletter): EX_DATAERR.
 */
#include <string.h>
#include <sysexits.h>
#include "model/list.h"
#include "model/newsletter.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "base/lang.h"
#include "base/pm.h"
#include "mail/template.h"

#define NL_COLS "id, coalesce(list_id, 0), coalesce(petition_id, 0), subject, body, template, skip_signed, " \
		"status, coalesce(scheduled_at, 0), cursor, recipients, coalesce(expanded_at, 0), " \
		"created_at, audience"

/* the members a newsletter goes to, after a cursor: the one audience definition (a
 * list's; SIGNERS_FROM for a petition's signers), parameters ?1 list, ?2 cursor,
 * ?3 skip_signed, ?4 petition in both */
#define AUDIENCE_FROM \
	"FROM subscriptions s JOIN members m ON m.id = s.member_id " \
	"WHERE s.list_id = ?1 AND s.member_id > ?2 AND s.status = 'active' " \
	"AND m.status = 'active' AND m.email IS NOT NULL AND (?3 = 0 OR NOT EXISTS " \
	"(SELECT 1 FROM signatures g WHERE g.petition_id = ?4 AND g.member_id = m.id " \
	"AND g.status = 'confirmed'))"
/* a petition's counted signers (confirmed: not pending, suspect or invalid) who have not
 * stopped its updates, their member active and not forgotten */
#define SIGNERS_FROM \
	"FROM signatures s JOIN members m ON m.id = s.member_id " \
	"WHERE s.petition_id = ?4 AND s.member_id > ?2 AND s.status = 'confirmed' " \
	"AND s.updates_stopped_at IS NULL AND m.status = 'active' AND m.email IS NOT NULL " \
	"AND ?1 = ?1 AND ?3 = ?3"

static const char *const audience_names[] = {
	[NEWSLETTER_AUDIENCE_LIST] = "list", [NEWSLETTER_AUDIENCE_SIGNERS] = "signers",
};

/* newsletter_audience_name - the audience as stored */
const char *newsletter_audience_name(NewsletterAudience audience)
{
	return (unsigned)audience < G_N_ELEMENTS(audience_names) ? audience_names[audience]
								 : NULL;
}

/* newsletter_audience_parse - the audience stored as s */
gboolean newsletter_audience_parse(const char *s, NewsletterAudience *audience)
{
	int i = pm_name_index(audience_names, G_N_ELEMENTS(audience_names), s);

	if (i < 0)
		return FALSE;
	*audience = (NewsletterAudience)i;
	return TRUE;
}

static const char *const status_names[] = {
	[NEWSLETTER_STATUS_DRAFT] = "draft", [NEWSLETTER_STATUS_SCHEDULED] = "scheduled",
	[NEWSLETTER_STATUS_SENDING] = "sending", [NEWSLETTER_STATUS_SENT] = "sent",
	[NEWSLETTER_STATUS_CANCELLED] = "cancelled",
};

/* newsletter_status_name - the status as stored */
const char *newsletter_status_name(NewsletterStatus status)
{
	return (unsigned)status < G_N_ELEMENTS(status_names) ? status_names[status] : NULL;
}

/* newsletter_status_parse - the status stored as s */
gboolean newsletter_status_parse(const char *s, NewsletterStatus *status)
{
	int i = pm_name_index(status_names, G_N_ELEMENTS(status_names), s);

	if (i < 0)
		return FALSE;
	*status = (NewsletterStatus)i;
	return TRUE;
}

/* newsletter_get - by id */
Newsletter *newsletter_get(PmDb *db, gint64 id, GError **error)
{
	sqlite3_stmt *st = db_query(db, error, "SELECT " NL_COLS " FROM newsletters WHERE id = ?",
				    "i", id);
	Newsletter *n = NULL;

	if (st && db_step(db, st, error)) {
		n = g_new0(Newsletter, 1);
		n->id = sqlite3_column_int64(st, 0);
		n->list_id = sqlite3_column_int64(st, 1);
		n->petition_id = sqlite3_column_int64(st, 2);
		n->subject = db_col_text(st, 3);
		n->body = db_col_text(st, 4);
		n->template_name = db_col_text(st, 5);
		n->skip_signed = sqlite3_column_int(st, 6) != 0;
		newsletter_status_parse((const char *)sqlite3_column_text(st, 7), &n->status);
		n->scheduled_at = sqlite3_column_int64(st, 8);
		n->cursor = sqlite3_column_int64(st, 9);
		n->recipients = sqlite3_column_int64(st, 10);
		n->expanded_at = sqlite3_column_int64(st, 11);
		n->created_at = sqlite3_column_int64(st, 12);
		newsletter_audience_parse((const char *)sqlite3_column_text(st, 13), &n->audience);
	}
	db_done(st);
	return n;
}

/* newsletter_free - destroy */
Newsletter *newsletter_free(Newsletter *n)
{
	if (n) {
		g_free(n->subject);
		g_free(n->body);
		g_free(n->template_name);
		g_free(n);
	}
	return NULL;
}

/* newsletter_need - get, absent is an error */
Newsletter *newsletter_need(PmDb *db, gint64 id, GError **error)
{
	GError *e = NULL;
	Newsletter *n = newsletter_get(db, id, &e);

	if (e)
		g_propagate_error(error, e);
	else if (n == NULL)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no newsletter %" G_GINT64_FORMAT, id);
	return n;
}

/* newsletter_create - a draft */
gint64 newsletter_create(PmDb *db, const PmConfig *cfg, const char *list, const char *subject,
			 const char *body_markdown, const char *petition, const char *template_name,
			 gboolean skip_signed, const char *created_by, GError **error)
{
	List *l;
	Petition *p = NULL;
	gint64 id = 0;

	if (subject == NULL || *subject == '\0' || body_markdown == NULL) {
		g_set_error(error, PM_ERROR, EX_USAGE, "a newsletter needs a subject and a body");
		return 0;
	}
	if (!g_utf8_validate(subject, -1, NULL) || !g_utf8_validate(body_markdown, -1, NULL)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "the subject and body must be UTF-8");
		return 0;
	}
	if (template_name && (*template_name == '\0' || strchr(template_name, '/') ||
			      template_name[0] == '.')) {
		g_set_error(error, PM_ERROR, EX_USAGE, "'%s' is not a template name", template_name);
		return 0;
	}
	/* a Mustache syntax error is the organizer's to fix now, not at send time */
	if (!template_check(subject, "subject", error) ||
	    !template_check(body_markdown, "body", error))
		return 0;
	if ((l = list_need(db, cfg, list, error)) == NULL)
		return 0;
	if (petition) {
		if ((p = petition_need(db, petition, error)) == NULL) {
			list_free(l);
			return 0;
		}
	} else if (skip_signed) {
		g_set_error(error, PM_ERROR, EX_USAGE, "--skip-signed needs --petition");
		list_free(l);
		return 0;
	}
	if (db_exec(db, error, "INSERT INTO newsletters(list_id, petition_id, subject, body, "
		    "template, skip_signed, created_by, created_at) VALUES (?, nullif(?, 0), ?, ?, "
		    "?, ?, ?, ?)", "iitttiti", l->id, p ? p->id : (gint64)0, subject, body_markdown,
		    template_name ? template_name : "newsletter", (gint64)(skip_signed ? 1 : 0),
		    created_by, pm_now()))
		id = db_last_id(db);
	list_free(l);
	petition_free(p);
	return id;
}

/* newsletter_create_update - to a petition's signers, scheduled now */
gint64 newsletter_create_update(PmDb *db, gint64 petition_id, const char *subject,
				const char *body_markdown, const char *created_by, GError **error)
{
	gint64 now = pm_now();

	if (!template_check(subject, "subject", error) ||
	    !template_check(body_markdown, "body", error))
		return 0;
	if (!db_exec(db, error, "INSERT INTO newsletters(list_id, petition_id, subject, body, "
		     "template, audience, status, scheduled_at, created_by, created_at) VALUES "
		     "(NULL, ?, ?, ?, 'petition_update', 'signers', 'scheduled', ?, ?, ?)",
		     "ittiti", petition_id, subject, body_markdown, now, created_by, now))
		return 0;
	return db_last_id(db);
}

/* newsletter_translate - the subject and body for members whose language is lang */
gboolean newsletter_translate(PmDb *db, gint64 id, const char *lang, const char *subject,
			      const char *body_markdown, GError **error)
{
	Newsletter *n;
	char *tag = lang_normalize(lang);
	gboolean ok = FALSE;

	if (tag == NULL) {
		g_set_error(error, PM_ERROR, EX_USAGE, "unknown language tag %s", lang ? lang : "");
		return FALSE;
	}
	if (subject == NULL || *subject == '\0' || body_markdown == NULL)
		g_set_error(error, PM_ERROR, EX_USAGE, "a newsletter needs a subject and a body");
	else if (!g_utf8_validate(subject, -1, NULL) || !g_utf8_validate(body_markdown, -1, NULL))
		g_set_error(error, PM_ERROR, EX_DATAERR, "the subject and body must be UTF-8");
	else if (template_check(subject, "subject", error) &&
		 template_check(body_markdown, "body", error) &&
		 (n = newsletter_need(db, id, error)) != NULL) {
		if (n->status != NEWSLETTER_STATUS_DRAFT && n->status != NEWSLETTER_STATUS_SCHEDULED)
			g_set_error(error, PM_ERROR, EX_DATAERR, "newsletter %" G_GINT64_FORMAT
				    " is %s: only a draft or a scheduled one can be translated", id,
				    newsletter_status_name(n->status));
		else
			ok = db_exec(db, error, "INSERT INTO newsletter_langs(newsletter_id, lang, "
				     "subject, body) VALUES (?, ?, ?, ?) ON CONFLICT(newsletter_id, "
				     "lang) DO UPDATE SET subject = excluded.subject, "
				     "body = excluded.body", "ittt", id, tag, subject, body_markdown);
		newsletter_free(n);
	}
	g_free(tag);
	return ok;
}

/* translation_free - GDestroyNotify for NewsletterTranslation */
static void translation_free(gpointer p)
{
	NewsletterTranslation *t = p;

	g_free(t->lang);
	g_free(t->subject);
	g_free(t->body);
	g_free(t);
}

/* translation_row - one row of newsletter_translations (DbRowFn) */
static gpointer translation_row(sqlite3_stmt *st)
{
	NewsletterTranslation *t = g_new0(NewsletterTranslation, 1);

	t->lang = db_col_text(st, 0);
	t->subject = db_col_text(st, 1);
	t->body = db_col_text(st, 2);
	return t;
}

/* newsletter_translations - every other language's subject and body */
GPtrArray *newsletter_translations(PmDb *db, gint64 id, GError **error)
{
	return db_rows(db, db_query(db, error, "SELECT lang, subject, body FROM newsletter_langs "
				    "WHERE newsletter_id = ? ORDER BY lang", "i", id),
		       translation_row, translation_free, error);
}

/* newsletter_schedule - draft or scheduled -> scheduled at */
gboolean newsletter_schedule(PmDb *db, gint64 id, gint64 at, GError **error)
{
	Newsletter *n = newsletter_need(db, id, error);
	gboolean ok = FALSE;

	if (n == NULL)
		return FALSE;
	if (n->status != NEWSLETTER_STATUS_DRAFT && n->status != NEWSLETTER_STATUS_SCHEDULED)
		g_set_error(error, PM_ERROR, EX_DATAERR, "newsletter %" G_GINT64_FORMAT " is %s: "
			    "only a draft or a scheduled one can be (re)scheduled", id,
			    newsletter_status_name(n->status));
	else
		ok = db_exec(db, error, "UPDATE newsletters SET status = 'scheduled', "
			     "scheduled_at = ? WHERE id = ? AND status IN ('draft', 'scheduled')",
			     "ii", at, id);
	newsletter_free(n);
	return ok;
}

/* newsletter_schedule_later - schedule, refusing a time that has passed */
gboolean newsletter_schedule_later(PmDb *db, gint64 id, gint64 at, GError **error)
{
	if (at <= pm_now()) {
		char *iso = pm_time_iso(at);

		g_set_error(error, PM_ERROR, EX_DATAERR, "%s is in the past (use `newsletter "
			    "send` to send now)", iso);
		g_free(iso);
		return FALSE;
	}
	return newsletter_schedule(db, id, at, error);
}

/* newsletter_cancel - stop it and cancel the copies not yet sent */
gboolean newsletter_cancel(PmDb *db, gint64 id, GError **error)
{
	Newsletter *n = newsletter_need(db, id, error);
	gint64 now = pm_now(), unexpanded = 0;
	gboolean ok = FALSE;

	if (n == NULL)
		return FALSE;
	if (n->status == NEWSLETTER_STATUS_SENT || n->status == NEWSLETTER_STATUS_CANCELLED)
		g_set_error(error, PM_ERROR, EX_DATAERR, "newsletter %" G_GINT64_FORMAT " is %s "
			    "already", id, newsletter_status_name(n->status));
	else
		/* the members it had yet to be expanded for count as recipients whose copies
		 * were cancelled: the status stays right (newsletter_report_need) */
		ok = (n->expanded_at != 0 ||
		      (n->audience == NEWSLETTER_AUDIENCE_SIGNERS ?
		       db_int(db, error, &unexpanded, 0, "SELECT count(*) " SIGNERS_FROM, "iiii",
			      n->list_id, n->cursor, (gint64)0, n->petition_id) :
		       db_int(db, error, &unexpanded, 0, "SELECT count(*) " AUDIENCE_FROM, "iiii",
			      n->list_id, n->cursor, (gint64)(n->skip_signed ? 1 : 0),
			      n->petition_id))) &&
		     db_exec(db, error, "UPDATE newsletters SET status = 'cancelled', "
			     "finished_at = ?, recipients = recipients + ? WHERE id = ?", "iii",
			     now, unexpanded, id) &&
		     outbox_cancel_ref(db, OUTBOX_NEWSLETTER, id, now, error);
	newsletter_free(n);
	return ok;
}

/* newsletter_signers - the audience of petition_id's updates now */
gboolean newsletter_signers(PmDb *db, gint64 petition_id, gint64 *count, GError **error)
{
	return db_int(db, error, count, 0, "SELECT count(*) " SIGNERS_FROM, "iiii", (gint64)0,
		      (gint64)0, (gint64)0, petition_id);
}

/* newsletter_audience - members it would reach now */
gboolean newsletter_audience(PmDb *db, gint64 id, gint64 *count, GError **error)
{
	Newsletter *n = newsletter_need(db, id, error);
	gboolean ok;

	if (n == NULL)
		return FALSE;
	if (n->audience == NEWSLETTER_AUDIENCE_SIGNERS)
		ok = db_int(db, error, count, 0, "SELECT count(*) " SIGNERS_FROM, "iiii",
			    n->list_id, (gint64)0, (gint64)0, n->petition_id);
	else
		ok = db_int(db, error, count, 0, "SELECT count(*) " AUDIENCE_FROM, "iiii",
			    n->list_id, (gint64)0, (gint64)(n->skip_signed ? 1 : 0),
			    n->petition_id);
	newsletter_free(n);
	return ok;
}

/* expand_batch - one batch of one newsletter in one transaction; *done when expansion finished */
static gboolean expand_batch(PmDb *db, gint64 id, gint64 now, int batch, gint64 *added,
			     gboolean *done, GError **error)
{
	Newsletter *n;
	sqlite3_stmt *st;
	GError *e = NULL;
	gint64 cursor, rows = 0;

	*done = TRUE;
	if (!db_begin(db, error))
		return FALSE;
	/* read inside the write transaction: another process may have moved the cursor */
	n = newsletter_get(db, id, &e);
	if (n == NULL || n->status != NEWSLETTER_STATUS_SENDING || n->expanded_at != 0) {
		newsletter_free(n);
		db_rollback(db);
		if (e)
			g_propagate_error(error, e);
		return e == NULL;
	}
	cursor = n->cursor;
	if (n->audience == NEWSLETTER_AUDIENCE_SIGNERS)
		st = db_query(db, &e, "SELECT m.id, coalesce(m.address, m.email) " SIGNERS_FROM
			      " ORDER BY s.member_id LIMIT ?5", "iiiii", n->list_id, cursor,
			      (gint64)0, n->petition_id, (gint64)batch);
	else
		st = db_query(db, &e, "SELECT m.id, coalesce(m.address, m.email) " AUDIENCE_FROM
			      " ORDER BY s.member_id LIMIT ?5", "iiiii", n->list_id, cursor,
			      (gint64)(n->skip_signed ? 1 : 0), n->petition_id, (gint64)batch);
	while (st && db_step(db, st, &e)) {
		gint64 mid = sqlite3_column_int64(st, 0);
		OutboxItem item = { .kind = OUTBOX_NEWSLETTER, .ref_id = id, .member_id = mid,
				    .list_id = n->list_id,
				    .recipient = (const char *)sqlite3_column_text(st, 1) };

		rows++;
		cursor = mid;
		/* message NULL: rendered at send time by newsletter_render */
		if (outbox_enqueue(db, &item, &e) == 0)
			break;
	}
	db_done(st);
	*done = rows < batch;
	if (e == NULL)
		db_exec(db, &e, "UPDATE newsletters SET cursor = ?1, recipients = recipients + ?5, "
			"expanded_at = CASE WHEN ?2 THEN ?3 END WHERE id = ?4", "iiiii", cursor,
			(gint64)(*done ? 1 : 0), now, id, rows);
	newsletter_free(n);
	if (e == NULL && db_commit(db, &e)) {
		*added += rows;
		return TRUE;
	}
	db_rollback(db);
	g_propagate_error(error, e);
	return FALSE;
}

/* newsletter_copy_state - newsletter, subscription and member of one copy */
gboolean newsletter_copy_state(PmDb *db, gint64 id, gint64 member_id, gboolean *found,
			       NewsletterStatus *nstatus, SubscriptionStatus *sstatus, Member *m,
			       GError **error)
{
	sqlite3_stmt *st;
	GError *e = NULL;

	*found = FALSE;
	*sstatus = SUBSCRIPTION_STATUS_NONE;
	/* for a petition's signers, "subscribed" is: the signature counts and its signer
	 * has not stopped the updates (SIGNERS_FROM) */
	st = db_query(db, &e, "SELECT n.status, CASE n.audience WHEN 'signers' THEN "
		      "(SELECT CASE WHEN g.status = 'confirmed' AND g.updates_stopped_at IS NULL "
		      "THEN 'active' ELSE 'unsubscribed' END FROM signatures g WHERE "
		      "g.petition_id = n.petition_id AND g.member_id = ?2) ELSE s.status END, "
		      "m.status, m.email, m.name, m.postcode, "
		      "m.district, m.id, m.lang, coalesce(m.address, m.email) FROM newsletters n "
		      "LEFT JOIN subscriptions s ON "
		      "s.list_id = n.list_id AND s.member_id = ?2 LEFT JOIN members m ON m.id = ?2 "
		      "WHERE n.id = ?1", "ii", id, member_id);
	if (st && db_step(db, st, &e)) {
		*found = newsletter_status_parse((const char *)sqlite3_column_text(st, 0), nstatus);
		if (!subscription_status_parse((const char *)sqlite3_column_text(st, 1), sstatus))
			*sstatus = SUBSCRIPTION_STATUS_NONE;
		/* a member whose status cannot be read is treated as absent */
		if (member_status_parse((const char *)sqlite3_column_text(st, 2), &m->status)) {
			m->email = db_col_text(st, 3);
			m->name = db_col_text(st, 4);
			m->postcode = db_col_text(st, 5);
			m->district = db_col_text(st, 6);
			m->id = sqlite3_column_int64(st, 7);
			m->lang = db_col_text(st, 8);
			m->address = db_col_text(st, 9);
		}
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return TRUE;
}

/* newsletter_finish - fully expanded and nothing left to send: sent */
gboolean newsletter_finish(PmDb *db, gint64 now, GError **error)
{
	return db_exec(db, error, "UPDATE newsletters SET status = 'sent', finished_at = ? "
		       "WHERE status = 'sending' AND expanded_at IS NOT NULL AND NOT EXISTS "
		       "(SELECT 1 FROM outbox o WHERE o.kind = 'newsletter' AND o.ref_id = "
		       "newsletters.id AND o.status IN ('queued', 'sending', 'deferred'))",
		       "i", now);
}

/* newsletter_expand - the scheduler task */
gboolean newsletter_expand(PmDb *db, gint64 now, int batch, gint64 max_rows,
			   gint64 *expanded, GError **error)
{
	return newsletter_expand_more(db, now, batch, max_rows, expanded, error) &&
	       newsletter_finish(db, now, error);
}

/* newsletter_expand_more - claim due newsletters and expand up to max_rows copies */
gboolean newsletter_expand_more(PmDb *db, gint64 now, int batch, gint64 max_rows,
				gint64 *expanded, GError **error)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *st;
	GError *e = NULL;
	gint64 added = 0;
	gboolean ok = TRUE;

	if (batch <= 0)
		batch = 1000;
	/* the claim: only one process turns a scheduled newsletter into a sending one */
	if (!db_exec(db, error, "UPDATE newsletters SET status = 'sending', started_at = ?1 "
		     "WHERE status = 'scheduled' AND scheduled_at <= ?1", "i", now)) {
		g_array_free(ids, TRUE);
		return FALSE;
	}
	st = db_query(db, &e, "SELECT id FROM newsletters WHERE status = 'sending' AND "
		      "expanded_at IS NULL ORDER BY id", NULL);
	while (st && db_step(db, st, &e)) {
		gint64 id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		g_array_free(ids, TRUE);
		return FALSE;
	}
	for (guint i = 0; ok && i < ids->len; i++) {
		gboolean done = FALSE;

		while (ok && !done && (max_rows <= 0 || added < max_rows))
			ok = expand_batch(db, g_array_index(ids, gint64, i), now, batch, &added,
					  &done, error);
	}
	g_array_free(ids, TRUE);
	if (expanded)
		*expanded = added;
	return ok;
}

/* newsletter_counts - what became of its copies */
gboolean newsletter_counts(PmDb *db, gint64 id, NewsletterCounts *c, GError **error)
{
	sqlite3_stmt *st;
	GError *e = NULL;

	memset(c, 0, sizeof *c);
	st = db_query(db, error, "SELECT count(*), total(status IN ('queued', 'sending', "
		      "'deferred')), total(status = 'sent'), total(status = 'failed'), "
		      "total(status = 'cancelled') FROM outbox WHERE kind = 'newsletter' AND "
		      "ref_id = ?", "i", id);
	if (st == NULL)
		return FALSE;
	if (db_step(db, st, &e)) {
		c->recipients = sqlite3_column_int64(st, 0);
		c->queued = sqlite3_column_int64(st, 1);
		c->sent = sqlite3_column_int64(st, 2);
		c->failed = sqlite3_column_int64(st, 3);
		c->cancelled = sqlite3_column_int64(st, 4);
	}
	db_done(st);
	if (e) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return db_int(db, error, &c->bounced, 0, "SELECT count(DISTINCT b.outbox_id) FROM bounces b "
		      "JOIN outbox o ON o.id = b.outbox_id WHERE o.kind = 'newsletter' AND "
		      "o.ref_id = ?", "i", id) &&
	       db_int(db, error, &c->unsubscribes, 0, "SELECT count(*) FROM outbox o JOIN "
		      "subscriptions s ON s.member_id = o.member_id AND s.list_id = o.list_id "
		      "WHERE o.kind = 'newsletter' AND o.ref_id = ? AND o.status = 'sent' AND "
		      "s.status = 'unsubscribed' AND s.updated_at >= o.sent_at AND "
		      "s.updated_at < o.sent_at + ?", "ii", id,
		      (gint64)NEWSLETTER_UNSUB_DAYS * 86400);
}

/* newsletter_report_free - destroy */
NewsletterReport *newsletter_report_free(NewsletterReport *s)
{
	if (s) {
		newsletter_free(s->newsletter);
		g_free(s->list);
		g_free(s->petition);
		g_free(s);
	}
	return NULL;
}

/* newsletter_report_need - one newsletter's state and counts */
NewsletterReport *newsletter_report_need(PmDb *db, gint64 id, GError **error)
{
	Newsletter *n = newsletter_need(db, id, error);
	NewsletterReport *s;
	List *l;
	Petition *p = NULL;

	if (n == NULL)
		return NULL;
	s = g_new0(NewsletterReport, 1);
	s->newsletter = n;
	if (!newsletter_counts(db, id, &s->counts, error))
		return newsletter_report_free(s);
	l = list_get(db, n->list_id, NULL);
	if (n->petition_id)
		p = petition_get(db, n->petition_id, NULL);
	s->list = g_strdup(l ? l->name : NULL);
	s->petition = g_strdup(p ? p->slug : NULL);
	/* recipients: copies expanded so far; before expansion, the audience it would reach;
	 * once cancelled, those it was going to (the copies never expanded count as
	 * cancelled: newsletter_cancel) */
	s->recipients = s->counts.recipients;
	if (n->status == NEWSLETTER_STATUS_CANCELLED && n->recipients > s->counts.recipients) {
		s->counts.cancelled += n->recipients - s->counts.recipients;
		s->recipients = n->recipients;
	}
	if (n->status == NEWSLETTER_STATUS_DRAFT || n->status == NEWSLETTER_STATUS_SCHEDULED) {
		s->recipients = 0;
		newsletter_audience(db, id, &s->recipients, NULL);
	}
	list_free(l);
	petition_free(p);
	return s;
}

/* report_destroy - newsletter_report_free for GDestroyNotify */
static void report_destroy(gpointer s)
{
	newsletter_report_free(s);
}

/* newsletter_report_all - every newsletter, newest first */
GPtrArray *newsletter_report_all(PmDb *db, GError **error)
{
	GArray *ids = db_ids(db, error, "SELECT id FROM newsletters ORDER BY id DESC", NULL);
	GPtrArray *all;
	gboolean ok = TRUE;

	if (ids == NULL)
		return NULL;
	all = g_ptr_array_new_with_free_func(report_destroy);
	for (guint i = 0; ok && i < ids->len; i++) {
		NewsletterReport *s = newsletter_report_need(db, g_array_index(ids, gint64, i), error);

		if (s)
			g_ptr_array_add(all, s);
		ok = s != NULL;
	}
	g_array_unref(ids);
	if (!ok) {
		g_ptr_array_unref(all);
		return NULL;
	}
	return all;
}

/* newsletter_list_of_petition_mail - the list of the newest newsletter copy about a
 * petition a member got (0: an update to its signers, or none) */
gboolean newsletter_list_of_petition_mail(PmDb *db, gint64 petition_id, gint64 member_id,
					  gint64 *list_id, GError **error)
{
	return db_int(db, error, list_id, 0, "SELECT coalesce(n.list_id, 0) FROM outbox o JOIN "
		      "newsletters n ON n.id = o.ref_id WHERE o.kind = 'newsletter' AND "
		      "o.member_id = ? AND n.petition_id = ? ORDER BY o.id DESC LIMIT 1", "ii",
		      member_id, petition_id);
}
