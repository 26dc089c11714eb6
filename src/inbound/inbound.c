/*
 * inbound.c - the inbound pipeline: read, parse, envelope, idempotency, one transaction.
 *
 * The message is held in memory, never spooled: the MTA keeps its own queue copy until
 * we exit 0, and we exit 0 only after the transaction that records the message (and
 * queues its responses) has committed. Reading stops at limits.max_message_size + 1
 * octets, so memory is bounded by the configuration.
 *
 * What each address does is in inbound_route.c; this file decides when anything is
 * recorded: a message that ends in 67/65/75 rolls back and leaves no trace.
 *
 * DIAGNOSTICS: errors are PM_ERRORs coded EX_NOUSER, EX_DATAERR or EX_TEMPFAIL.
 */
#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "mail/address.h"
#include "inbound/inbound.h"
#include "inbound/route.h"
#include "base/log.h"
#include "base/pm.h"
#include "mail/replytext.h"
#include "model/inbound_log.h"

/* ==== The transaction ==== */

/* inbound_outcome_clear - free the strings */
void inbound_outcome_clear(InboundOutcome *o)
{
	if (o) {
		g_free(o->action);
		g_free(o->result);
		memset(o, 0, sizeof(*o));
	}
}

/* digest - the idempotency key: the whole message's bytes (its Message-ID among them) and
 * the recipient. Not the Message-ID alone: two different messages may share one (or differ
 * only after a NUL in it), and each must be read. Line ends do not count (CRLF and LF and
 * a missing last one are the same): the same message arrives with CRLF over LMTP and with
 * LF through a pipe, and the pipe client may hand it to the daemon or process it itself. */
static char *digest(const PmSecret *key, InboundMessage *m, const char *recipient)
{
	gsize len;
	const char *p = g_bytes_get_data(m->raw, &len);
	GString *canon = g_string_sized_new(len);
	char *content, *text, *d;

	for (gsize i = 0; i < len; i++)
		if (!(p[i] == '\r' && i + 1 < len && p[i + 1] == '\n'))
			g_string_append_c(canon, p[i]);
	while (canon->len > 0 && canon->str[canon->len - 1] == '\n')
		g_string_truncate(canon, canon->len - 1);
	content = token_hmac_hex(key, canon->str, (gssize)canon->len);
	text = g_strdup_printf("content:%s\nto:%s", content, recipient);
	d = token_hmac_hex(key, text, -1);
	g_string_free(canon, TRUE);
	g_free(content);
	g_free(text);
	return d;
}

/* inbound_recipient_route - the route of a lower-cased recipient, or EX_NOUSER */
gboolean inbound_recipient_route(const PmConfig *cfg, const char *recipient, Route *out,
				 GError **error)
{
	address_route(cfg, recipient, out);
	if (out->kind == ROUTE_NONE) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "unknown address %s", recipient);
		return FALSE;
	}
	return TRUE;
}

/* inbound_recipient_check - the route, then whether what it names exists */
gboolean inbound_recipient_check(PmDb *db, const PmConfig *cfg, const PmSecret *key,
				 const char *recipient, Route *out, GError **error)
{
	InboundCtx c = { 0 };
	gboolean ok;

	if (!inbound_recipient_route(cfg, recipient, out, error))
		return FALSE;
	c.db = db;
	c.cfg = cfg;
	c.key = key;
	c.recipient = recipient;
	c.route = *out;         /* borrowed: the caller clears *out */
	ok = inbound_route_check(&c, error);
	return ok;
}

/* ==== One pipeline, two steps ==== */

struct InboundPlan {
	InboundMessage *m;      /* parsed; what its route reads computed (inbound_route_prepare) */
	char *rcpt;             /* the recipient, lower-cased */
	char *sender;           /* NULL unknown, "" the null sender */
	Route route;            /* of rcpt, checked */
	char *digest;           /* the idempotency key */
};

/* inbound_plan_free - free the plan and its message */
InboundPlan *inbound_plan_free(InboundPlan *p)
{
	if (p == NULL)
		return NULL;
	inbound_message_free(p->m);
	g_free(p->rcpt);
	g_free(p->sender);
	route_clear(&p->route);
	g_free(p->digest);
	g_free(p);
	return NULL;
}

/* prepare - inbound_prepare; checked: the recipient was checked by the caller (only its
 * route is taken here) */
static InboundPlan *prepare(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			    const char *sender, const char *recipient, gboolean checked,
			    GError **error)
{
	InboundMessage *m = inbound_parse(raw, sender, error);
	InboundPlan *p;
	char *rcpt;

	if (m == NULL)
		return NULL;
	rcpt = recipient && *recipient ? g_strdup(recipient) : inbound_recipient_from_headers(m);
	if (rcpt == NULL) {
		g_set_error(error, PM_ERROR, EX_NOUSER, "no envelope recipient: nobody to deliver to");
		inbound_message_free(m);
		return NULL;
	}
	p = g_new0(InboundPlan, 1);
	p->m = m;
	p->rcpt = g_strstrip(g_ascii_strdown(rcpt, -1));
	g_free(rcpt);
	p->sender = g_strdup(sender);
	if (checked ? !inbound_recipient_route(cfg, p->rcpt, &p->route, error)
		    : !inbound_recipient_check(db, cfg, key, p->rcpt, &p->route, error))
		return inbound_plan_free(p);
	p->digest = digest(key, m, p->rcpt);
	inbound_route_prepare(&p->route, m, cfg);
	return p;
}

/* inbound_prepare - parse, envelope, recipient check, digest, what the route reads: no writes */
InboundPlan *inbound_prepare(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			     const char *sender, const char *recipient, GError **error)
{
	return prepare(db, cfg, key, raw, sender, recipient, FALSE, error);
}

/* inbound_prepare_checked - inbound_prepare for a recipient checked at RCPT TO */
InboundPlan *inbound_prepare_checked(const PmConfig *cfg, const PmSecret *key, GBytes *raw,
				     const char *sender, const char *recipient, GError **error)
{
	return prepare(NULL, cfg, key, raw, sender, recipient, TRUE, error);
}

/* inbound_apply - record a prepared message in one transaction (or savepoint) */
gboolean inbound_apply(PmDb *db, const PmConfig *cfg, const PmSecret *key, InboundPlan *p,
		       InboundOutcome *out, GError **error)
{
	InboundMessage *m = p->m;
	InboundCtx c = { 0 };
	gboolean dup = FALSE, ok = FALSE, begun = FALSE;
	GError *e = NULL;

	c.db = db;
	c.cfg = cfg;
	c.key = key;
	c.m = m;
	c.recipient = p->rcpt;
	c.sender = p->sender;
	c.route = p->route;     /* borrowed: the plan frees it */
	if (!db_begin(db, error))
		goto out;
	begun = TRUE;       /* from here a failure undoes this level only (a batch's savepoint) */
	c.inbound_id = inbound_log_add(db, m->message_id, p->digest, p->sender, p->rcpt,
				       m->from_addr, m->subject, pm_now(), &dup, error);
	if (dup) {
		c.action = "duplicate";
		c.result = "ignored";
		ok = TRUE;
		goto out;
	}
	if (c.inbound_id == 0)
		goto out;
	if (!inbound_route(&c, &e)) {
		g_propagate_error(error, e);
		goto out;
	}
	if (!inbound_log_finish(db, c.inbound_id, inbound_kind_name(c.kind), c.action, c.result,
				c.keep_raw ? m->raw : NULL, error))
		goto out;
	ok = db_commit(db, error);
out:
	if (begun && (!ok || dup))
		db_rollback(db);    /* a failure, or a duplicate (read-only: nothing to commit) */
	if (ok) {
		char *shown = address_redact(p->rcpt);

		log_info("%s from=%s to=%s id=%s: %s %s", inbound_kind_name(c.kind),
			 m->from_addr ? m->from_addr : "-", shown,
			 m->message_id ? m->message_id : "-", c.action, c.result);
		g_free(shown);
		if (out) {
			out->action = g_strdup(c.action);
			out->result = g_strdup(c.result);
			out->responses = c.responses;
		}
	}
	return ok;
}

/* inbound_process - prepare and apply in this thread */
gboolean inbound_process(PmDb *db, const PmConfig *cfg, const PmSecret *key, GBytes *raw,
			 const char *sender, const char *recipient, InboundOutcome *out,
			 GError **error)
{
	return inbound_process_named(db, cfg, key, raw, sender, recipient, NULL, out, error);
}

/* inbound_process_named - prepare, hand the typed name in, apply */
gboolean inbound_process_named(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			       GBytes *raw, const char *sender, const char *recipient,
			       const char *name, InboundOutcome *out, GError **error)
{
	return inbound_process_form(db, cfg, key, raw, sender, recipient, name, NULL, out,
				    error);
}

/* inbound_process_form - prepare, hand the typed name and postcode in, apply */
gboolean inbound_process_form(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			      GBytes *raw, const char *sender, const char *recipient,
			      const char *name, const char *postcode, InboundOutcome *out,
			      GError **error)
{
	InboundPlan *p = inbound_prepare(db, cfg, key, raw, sender, recipient, error);
	gboolean ok;

	if (p && name)
		p->m->given_name = pm_clean_name(name);
	if (p && postcode)
		p->m->given_postcode = pm_clean_text(postcode);
	ok = p && inbound_apply(db, cfg, key, p, out, error);
	inbound_plan_free(p);
	return ok;
}
