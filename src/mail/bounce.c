/*
 * bounce.c - reading bounces: which recipients failed, how, and why.
 *
 * Owns: bounce_parse() and the report it returns. Three readers, tried in order:
 *   1. RFC 5965 feedback reports (multipart/report; report-type=feedback-report): the
 *      complained-about recipient from Original-Rcpt-To, else the enclosed message's To.
 *   1b. Amazon SES notifications in JSON (bare or inside an SNS envelope's "Message"):
 *      bouncedRecipients with bounceType Permanent/Transient; a complaint is feedback.
 *   2. RFC 3464 delivery-status parts: one header block per recipient (each block read
 *      with GMimeParser); Original-Recipient is preferred to Final-Recipient because it
 *      is the address we sent to. Action failed is permanent (the MTA gave up, even when
 *      the cause was a 4.x.x such as 4.4.7 "expired"), delayed is transient, delivered,
 *      relayed and expanded are no bounce (a success-only DSN is BOUNCE_NOT); without
 *      a usable Action the status class decides. When the part has recipient blocks it
 *      is authoritative and the human-readable text is not guessed at.
 *   3. Free text (Postfix, Exim, Sendmail, qmail, Exchange, GroupWise, Yahoo, AOL, MDaemon
 *      and the like; the phrases are data: rules/bounce/NAME.rules, mail/rules.h), in
 *      the spirit of flufl.bounce's SimpleMatch/SimpleWarning: the bounce's own text ends at the first "copy of the original message"-style marker
 *      or session transcript; addresses are collected from the first line with a failure
 *      phrase on, paragraph by paragraph, until a paragraph with neither an address nor
 *      a failure phrase; a search that finds nothing in two paragraphs resumes at the
 *      next failure phrase. Delay and retry phrases make the failure transient unless
 *      the text also says it is permanent; the status is the enhanced code in the text
 *      when its class agrees, and the diagnostic the first line carrying an SMTP reply.
 *      Free text is read only from messages that look like reports (a mail-system
 *      sender, a failure subject, a null return path, or multipart/report).
 *      X-Failed-Recipients, when present, names the recipients exactly. A text that names
 *      nobody but gives a status agreeing with its words sets the report's own status
 *      (for the VERP member). report->rule says which reader and pattern decided.
 * Auto-replies (autoreply_is_reply: autoreply.c is the only auto-reply detector) and read
 * receipts (MDN "displayed") are BOUNCE_NOT; an MDN
 * "deleted"/"failed"/"denied" is read as a bounce.
 * Not: what a bounce does to a member (bounce_score.c), VERP decoding (token/outbox).
 *
 * Addresses are lower-cased, deduplicated, stripped of <> and "rfc822;", and must pass
 * address_is_valid (address.h); the bounce's own header addresses (our return
 * path), postmaster and mailer-daemon are never failed recipients. In free text, '=' and
 * '/' end a local part (Exchange writes "SMTP=user@host").
 *
 * Work is bounded: MIME depth, number of parts, bytes of text per part, lines, blocks and
 * recipients all have caps (GMime issue 165: a fuzzed multipart once looped forever).
 *
 * DIAGNOSTICS: none; bounce_parse never fails, unreadable input is BOUNCE_NOT.
 */
#include <string.h>
#include <json-glib/json-glib.h>
#include "mail/address.h"
#include "mail/autoreply.h"
#include "mail/bounce.h"
#include "mail/mimetext.h"
#include "mail/rules.h"

#define MAX_DEPTH 8             /* MIME nesting followed */
#define MAX_PARTS 64            /* MIME parts visited per message */
#define MAX_TEXT (256 * 1024)   /* bytes of one part's text read */
#define MAX_TEXTS 8             /* text parts read */
#define MAX_LINES 2000          /* lines of one text part scanned */
#define MAX_LINE 1000           /* bytes of one line scanned (keeps the regexes linear) */
#define MAX_BLOCKS 200          /* delivery-status blocks read */
#define MAX_RECIPIENTS 200      /* recipients reported */
#define MAX_DIAGNOSTIC 500      /* characters kept of a diagnostic */

/* ==== Regular expressions (compiled once) ==== */

typedef struct {
	GPtrArray *rules;       /* PmRule* of rules/bounce/NAME.rules */
	GRegex *addr;           /* an address in free text */
	GRegex *end;            /* the returned message starts here */
	GRegex *soft_end;       /* ... once a failure phrase was seen (a session transcript) */
	GRegex *ignore_line;    /* a line naming no failed recipient (Message-ID:, contacts) */
	GRegex *trigger;        /* a failure or delay phrase */
	GRegex *transient;      /* the failure is a delay */
	GRegex *permanent;      /* ... unless the text says it is final */
	GRegex *delay;          /* ... unless it says the sender's system is still trying */
	GRegex *mail_from;      /* "mail from <addr>": the sender, not a recipient */
	GRegex *status;         /* an enhanced status code */
	GRegex *smtp_reply;     /* a line carrying an SMTP reply */
	GRegex *bare_local;     /* an indented lone local part (AOL lists screen names) */
	GRegex *daemon_from;    /* From of a mail system */
	GRegex *bounce_subject; /* Subject of a delivery report */
	GRegex *expanded_from;  /* "(expanded from: <addr>)": the address the sender used */
	GRegex *postfix_entry;  /* "<a@b>: host X said: ..." / "<a@b> (expanded from <c@d>): ..." */
	GRegex *remote_reply;   /* what marks an SMTP reply line as a remote server's words */
} BounceRegexes;

/* regexes_new - compile the patterns (called once through g_once) */
static gpointer regexes_new(gpointer unused)
{
	static BounceRegexes rx;
	const GRegexCompileFlags ci = G_REGEX_CASELESS;

	rx.addr = g_regex_new(
		"[A-Za-z0-9._%+!#$&*^~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
		"(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])",
		0, 0, NULL);
	rx.rules = rules_load(pm_bounce_rules, TRUE);
	rx.end = rules_join(rx.rules, "end");
	rx.soft_end = rules_join(rx.rules, "soft_end");
	rx.ignore_line = rules_join(rx.rules, "ignore_line");
	rx.trigger = rules_join(rx.rules, "trigger");
	rx.transient = rules_join(rx.rules, "transient");
	rx.permanent = rules_join(rx.rules, "permanent");
	rx.delay = rules_join(rx.rules, "delay");
	rx.mail_from = g_regex_new("mail from:?\\s*<?$", ci, 0, NULL);
	rx.status = g_regex_new("(?<![0-9.])([245])\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9.])",
				0, 0, NULL);
	rx.smtp_reply = g_regex_new("(^|[\\s:(])[45][0-9][0-9]([ -]|$)", 0, 0, NULL);
	rx.bare_local = g_regex_new("^\\s+([A-Za-z0-9][A-Za-z0-9._-]{0,63})\\s*$", 0, 0, NULL);
	rx.daemon_from = rules_join(rx.rules, "daemon_from");
	rx.bounce_subject = rules_join(rx.rules, "bounce_subject");
	rx.expanded_from = rules_join(rx.rules, "expanded_from");
	rx.remote_reply = g_regex_new("[45][0-9][0-9][ -][45]\\.[0-9]{1,3}\\.[0-9]{1,3}|said|remote|"
				      "repl(y|ied)|response|host |RCPT|MAIL FROM|DATA", ci, 0, NULL);
	rx.postfix_entry = g_regex_new("^<([^<>\\s]+@[^<>\\s]+)>(?:\\s+\\(expanded from <([^<>\\s]+@[^<>\\s]+)>\\))?:",
				       0, 0, NULL);
	return &rx;
}

/* rx_get - the compiled patterns */
static const BounceRegexes *rx_get(void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once(&once, regexes_new, NULL);
}

/* rx_match - TRUE if re matches s */
static gboolean rx_match(const GRegex *re, const char *s)
{
	return s && re && g_regex_match(re, s, 0, NULL);
}

/* ==== Reports ==== */

/* recipient_free - destroy one BounceRecipient */
static void recipient_free(gpointer p)
{
	BounceRecipient *r = p;

	g_free(r->address);
	g_free(r->status);
	g_free(r->diagnostic);
	g_free(r);
}

/* bounce_report_free - destroy; returns NULL */
BounceReport *bounce_report_free(BounceReport *r)
{
	if (r) {
		g_ptr_array_unref(r->recipients);
		g_free(r->feedback_type);
		g_free(r->original_message_id);
		g_free(r->original_return_path);
		g_free(r->rule);
		g_free(r->status);
		g_free(r);
	}
	return NULL;
}

/* report_find - the recipient with address addr in r, or NULL */
static BounceRecipient *report_find(BounceReport *r, const char *addr)
{
	for (guint i = 0; i < r->recipients->len; i++) {
		BounceRecipient *br = g_ptr_array_index(r->recipients, i);

		if (strcmp(br->address, addr) == 0)
			return br;
	}
	return NULL;
}

/* report_add - add a recipient (addr already clean); a repeat keeps the first, but a
 * permanent failure outranks a delay */
static void report_add(BounceReport *r, const char *addr, const char *status,
		       gboolean permanent, const char *diagnostic)
{
	BounceRecipient *br = report_find(r, addr);

	if (br) {
		if (permanent && !br->permanent) {
			br->permanent = TRUE;
			g_free(br->status);
			br->status = g_strdup(status);
			if (diagnostic) {
				g_free(br->diagnostic);
				br->diagnostic = g_strdup(diagnostic);
			}
		}
		return;
	}
	if (r->recipients->len >= MAX_RECIPIENTS)
		return;
	br = g_new0(BounceRecipient, 1);
	br->address = g_strdup(addr);
	br->status = g_strdup(status);
	br->permanent = permanent;
	br->diagnostic = g_strdup(diagnostic);
	g_ptr_array_add(r->recipients, br);
}

/* ==== Small text helpers ==== */

/* one_line - s with runs of white space collapsed to one space, trimmed, capped; caller frees */
static char *one_line(const char *s, gsize cap)
{
	GString *o;
	gboolean space = FALSE;

	if (s == NULL)
		return NULL;
	o = g_string_new(NULL);
	for (const char *p = s; *p && o->len < cap; p++) {
		if (g_ascii_isspace(*p)) {
			space = o->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(o, ' ');
		space = FALSE;
		g_string_append_c(o, *p);
	}
	if (o->len == 0) {
		g_string_free(o, TRUE);
		return NULL;
	}
	return g_string_free(o, FALSE);
}

/*
 * utf8_addr_decode - an RFC 6533 "utf-8" address (utf-8-addr-xtext or -unitext) with each
 * EmbeddedUnicodeChar "\x{HEXPOINT}" replaced by its character ("joe\x{2B}news@x" is
 * "joe+news@x"); an escape that is not one is kept as written. Caller frees.
 */
static char *utf8_addr_decode(const char *a)
{
	GString *o = g_string_new(NULL);

	while (*a) {
		if (a[0] == '\\' && (a[1] == 'x' || a[1] == 'X') && a[2] == '{') {
			const char *h = a + 3;
			gunichar cp = 0;
			int n = 0;

			while (g_ascii_isxdigit(h[n]) && n < 6)
				cp = cp * 16 + (gunichar)g_ascii_xdigit_value(h[n++]);
			if (n >= 2 && h[n] == '}' && cp != 0 && g_unichar_validate(cp)) {
				g_string_append_unichar(o, cp);
				a = h + n + 1;
				continue;
			}
		}
		g_string_append_c(o, *a++);
	}
	return g_string_free(o, FALSE);
}

/*
 * clean_address - the comparable form of a reported address: "rfc822;" and <> dropped,
 * lower-cased; NULL unless address_is_valid (the one addr-spec rule). Caller frees.
 */
static char *clean_address(const char *raw)
{
	char *s, *p, *at, *out;
	gsize n;

	if (raw == NULL)
		return NULL;
	s = g_strstrip(g_strdup(raw));
	p = s;
	at = strchr(p, '@');
	{
		/* an address type ("rfc822;", "utf-8;") before the address */
		char *semi = strchr(p, ';');

		if (semi && (at == NULL || semi < at)) {
			gboolean utf8 = semi - p == 5 && g_ascii_strncasecmp(p, "utf-8", 5) == 0;

			p = semi + 1;
			if (utf8) {
				char *dec = utf8_addr_decode(p);

				g_free(s);
				s = p = dec;
			}
		}
	}
	while (*p == ' ' || *p == '\t' || *p == '<' || *p == '"' || *p == '\'')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == '>' || p[n - 1] == ' ' || p[n - 1] == '"' ||
			 p[n - 1] == '\'' || p[n - 1] == '.'))
		p[--n] = '\0';
	out = address_is_valid(p) ? g_ascii_strdown(p, -1) : NULL;
	g_free(s);
	return out;
}

/* is_system_address - TRUE for postmaster@ and mailer-daemon@: in free text these are
 * contacts ("send mail to postmaster"), never taken as failed recipients; a DSN's recipient
 * field or the returned message's To: names them unambiguously and they count there */
static gboolean is_system_address(const char *addr)
{
	return g_str_has_prefix(addr, "postmaster@") || g_str_has_prefix(addr, "mailer-daemon@");
}

/* ==== MIME walk ==== */

typedef struct {
	GPtrArray *text_roots;     /* GMimeObject* (borrowed): where the human-readable text is:
				    * the body, and reports forwarded whole */
	GPtrArray *dsn;            /* char*: delivery-status bodies */
	char *feedback;            /* the first feedback-report body */
	char *mdn;                 /* the first disposition-notification body (RFC 8098) */
	GMimeMessage *enclosed;    /* borrowed: the first enclosed message */
	char *enclosed_headers;    /* the first text/rfc822-headers body */
	gboolean report;           /* a multipart/report was seen */
	char *orphan_text;         /* a multipart without parts (its boundary mistyped): the
				    * whole body is its prologue, read as text */
	int parts;
} Walk;

/* texts - the human-readable text of every text root, as mimetext chooses and converts it
 * (HTML as text), at most MAX_TEXTS; free with g_ptr_array_unref */
static GPtrArray *texts(const Walk *w)
{
	static const MimeTextLimits limits = { MAX_DEPTH, MAX_PARTS, MAX_TEXT };
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < w->text_roots->len && out->len < MAX_TEXTS; i++) {
		GPtrArray *pieces = mimetext_pieces(g_ptr_array_index(w->text_roots, i), &limits);

		for (guint j = 0; j < pieces->len && out->len < MAX_TEXTS; j++) {
			MimeTextPiece *pc = g_ptr_array_index(pieces, j);

			g_ptr_array_add(out, pc->html ? mimetext_html_to_text(pc->text, NULL, NULL)
						      : g_strdup(pc->text));
		}
		g_ptr_array_unref(pieces);
	}
	if (w->orphan_text && out->len < MAX_TEXTS)
		g_ptr_array_add(out, g_strdup(w->orphan_text));
	return out;
}

/* walk - collect what the readers need from obj and its children, within the caps */
static void walk(GMimeObject *obj, int depth, Walk *w)
{
	GMimeContentType *ct;
	const char *type, *sub;

	if (obj == NULL || depth > MAX_DEPTH || w->parts >= MAX_PARTS)
		return;
	w->parts++;
	ct = g_mime_object_get_content_type(obj);
	type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	if (type == NULL || sub == NULL)
		return;

	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		if (g_ascii_strcasecmp(sub, "report") == 0)
			w->report = TRUE;
		if (n == 0 && w->orphan_text == NULL && g_mime_multipart_get_prologue(mp)) {
			const char *pro = g_mime_multipart_get_prologue(mp);

			w->orphan_text = g_utf8_make_valid(pro, MIN(strlen(pro), MAX_TEXT));
		}
		for (int i = 0; i < n && w->parts < MAX_PARTS; i++)
			walk(g_mime_multipart_get_part(mp, i), depth + 1, w);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		GMimeObject *body = inner ? g_mime_message_get_mime_part(inner) : NULL;
		GMimeContentType *ict = body ? g_mime_object_get_content_type(body) : NULL;

		if (inner && w->enclosed == NULL)
			w->enclosed = inner;
		/* a report forwarded or wrapped whole: read it; an ordinary returned message, or
		 * a bounce returned inside a bounce (a double bounce: its own report came
		 * first), don't */
		if (ict && g_mime_content_type_is_type(ict, "multipart", "report") && w->dsn->len == 0) {
			g_ptr_array_add(w->text_roots, body);
			walk(body, depth + 1, w);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PARTIAL(obj) || !GMIME_IS_PART(obj))
		return;

	if (g_ascii_strcasecmp(type, "message") == 0 &&
	    (g_ascii_strcasecmp(sub, "delivery-status") == 0 ||
	     g_ascii_strcasecmp(sub, "global-delivery-status") == 0)) {
		if (w->dsn->len < 8)
			g_ptr_array_add(w->dsn, mimetext_part_text(GMIME_PART(obj), MAX_TEXT));
	} else if (g_ascii_strcasecmp(type, "message") == 0 &&
		   g_ascii_strcasecmp(sub, "feedback-report") == 0) {
		if (w->feedback == NULL)
			w->feedback = mimetext_part_text(GMIME_PART(obj), MAX_TEXT);
	} else if (g_ascii_strcasecmp(type, "message") == 0 &&
		   (g_ascii_strcasecmp(sub, "disposition-notification") == 0 ||
		    g_ascii_strcasecmp(sub, "global-disposition-notification") == 0)) {
		if (w->mdn == NULL)
			w->mdn = mimetext_part_text(GMIME_PART(obj), MAX_TEXT);
	} else if ((g_ascii_strcasecmp(type, "text") == 0 || g_ascii_strcasecmp(type, "message") == 0) &&
		   (g_ascii_strcasecmp(sub, "rfc822-headers") == 0 ||
		    g_ascii_strcasecmp(sub, "global-headers") == 0)) {
		if (w->enclosed_headers == NULL)
			w->enclosed_headers = mimetext_part_text(GMIME_PART(obj), MAX_TEXT);
	}
}

/* ==== Header blocks (delivery-status and feedback-report bodies) ==== */

/*
 * header_block_new - read text (one block of "Name: value" lines) with GMimeParser into a
 * GMimeObject whose headers can be looked up; NULL if unreadable. Caller unrefs.
 */
static GMimeObject *header_block_new(const char *text, gsize len)
{
	GString *buf = g_string_new_len(text, (gssize)len);
	GMimeStream *st;
	GMimeParser *parser;
	GMimeObject *obj;

	g_string_append(buf, "\n\n");
	st = g_mime_stream_mem_new_with_buffer(buf->str, buf->len);
	parser = g_mime_parser_new_with_stream(st);
	obj = g_mime_parser_construct_part(parser, NULL);
	g_object_unref(parser);
	g_object_unref(st);
	g_string_free(buf, TRUE);
	return obj;
}

/* block_get - header name of block, one line; caller frees (NULL when absent) */
static char *block_get(GMimeObject *block, const char *name)
{
	return one_line(g_mime_object_get_header(block, name), MAX_DIAGNOSTIC);
}

/* first_word_lower - the first word of s, lower-cased; caller frees */
static char *first_word_lower(const char *s)
{
	gsize n = 0;

	if (s == NULL)
		return NULL;
	while (s[n] && !g_ascii_isspace(s[n]) && s[n] != '(' && s[n] != ';')
		n++;
	return g_ascii_strdown(s, (gssize)n);
}

/* split_blocks - the blank-line separated blocks of text (CR dropped); free with g_strfreev */
static char **split_blocks(const char *text)
{
	GPtrArray *out = g_ptr_array_new();
	GString *cur = g_string_new(NULL);
	char **lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l && out->len < MAX_BLOCKS; l++) {
		char *line = *l;
		gsize n = strlen(line);
		gboolean blank = TRUE;

		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		for (gsize i = 0; i < n; i++)
			if (!g_ascii_isspace(line[i]))
				blank = FALSE;
		if (blank) {
			if (cur->len)
				g_ptr_array_add(out, g_strdup(cur->str));
			g_string_truncate(cur, 0);
			continue;
		}
		g_string_append(cur, line);
		g_string_append_c(cur, '\n');
	}
	if (cur->len && out->len < MAX_BLOCKS)
		g_ptr_array_add(out, g_strdup(cur->str));
	g_string_free(cur, TRUE);
	g_strfreev(lines);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* status_code - the first enhanced status code in s ("5.1.1"), or NULL; caller frees */
static char *status_code(const char *s)
{
	GMatchInfo *mi = NULL;
	char *out = NULL;

	if (s && g_regex_match(rx_get()->status, s, 0, &mi))
		out = g_match_info_fetch(mi, 0);
	g_match_info_free(mi);
	return out;
}

/*
 * read_dsn - add the failed and delayed recipients of one delivery-status body to r;
 * counts the per-recipient blocks in *blocks_seen and those reporting a failure or delay
 * (whatever their address) in *failures_seen
 */
static void read_dsn(const char *body, BounceReport *r, int *blocks_seen, int *failures_seen,
		     int *given_up)
{
	char **blocks = split_blocks(body);

	for (char **b = blocks; *b; b++) {
		GMimeObject *blk = header_block_new(*b, strlen(*b));
		char *orig, *final, *action_raw, *action, *status_raw, *status, *diag, *addr;
		gboolean permanent, failed, delayed;

		if (blk == NULL)
			continue;
		orig = block_get(blk, "Original-Recipient");
		final = block_get(blk, "Final-Recipient");
		action_raw = block_get(blk, "Action");
		status_raw = block_get(blk, "Status");
		diag = block_get(blk, "Diagnostic-Code");
		action = first_word_lower(action_raw);
		status = status_code(status_raw);

		if (orig || final)
			(*blocks_seen)++;
		addr = clean_address(orig);
		if (addr == NULL)
			addr = clean_address(final);
		/* liberal in the Action words: "failure" and "error" are seen in the wild */
		failed = delayed = FALSE;
		if (action && (g_str_has_prefix(action, "fail") || g_str_has_prefix(action, "error") ||
			       g_str_has_prefix(action, "bounce") || g_str_has_prefix(action, "undeliver")))
			failed = TRUE;  /* given up, even on a 4.x.x cause (4.4.7 expired) */
		else if (action && g_str_has_prefix(action, "delay"))
			delayed = TRUE;
		else if (action && (strcmp(action, "delivered") == 0 || strcmp(action, "relayed") == 0 ||
				    strcmp(action, "expanded") == 0))
			failed = delayed = FALSE;
		else {
			/* no usable Action: the status class decides ("553 ..." counts too) */
			char cls = status ? status[0] : status_raw ? status_raw[0] : '\0';

			failed = cls == '5';
			delayed = cls == '4';
		}
		permanent = failed;
		if (!failed && !delayed)
			g_clear_pointer(&addr, g_free);
		if ((orig || final) && (failed || delayed))
			(*failures_seen)++;
		if ((orig || final) && failed)
			(*given_up)++;
		if (addr) {
			const char *d = diag;

			/* "smtp; 550 ..." -> "550 ..." */
			if (d && strchr(d, ';') && strchr(d, ';') - d < 16)
				d = g_strchug(strchr(d, ';') + 1);
			report_add(r, addr, status, permanent, d && *d ? d : NULL);
		}
		g_free(addr);
		g_free(orig);
		g_free(final);
		g_free(action_raw);
		g_free(action);
		g_free(status_raw);
		g_free(status);
		g_free(diag);
		g_object_unref(blk);
	}
	g_strfreev(blocks);
}

/* ==== Free text ==== */

typedef struct {
	GHashTable *exclude;    /* our own addresses (the bounce's headers): never failed recipients */
	char *from_domain;      /* the reporting system's domain, for bare local parts */
	gboolean failed;        /* a failure phrase was read but it named nobody */
	gboolean permanent;     /* ... and whether the text calls it permanent */
	char *status;           /* ... and the status it gives (its class agreeing), or NULL */
	char *returned_to;      /* the "To:" line of the returned message pasted in the text */
} TextCtx;

/* is_blank - TRUE if s has only white space */
static gboolean is_blank(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isspace(*s))
			return FALSE;
	return TRUE;
}

/*
 * scan_line - add the failed addresses in line to found (a set of char*); bare_ok: a lone
 * indented local part counts (it follows a list heading). Returns TRUE if any was found.
 */
static gboolean scan_line(const char *line, gboolean bare_ok, const TextCtx *c,
			  GPtrArray *found)
{
	const BounceRegexes *rx = rx_get();
	GMatchInfo *mi = NULL;
	gboolean any = FALSE;

	if (rx_match(rx->ignore_line, line))
		return FALSE;
	g_regex_match(rx->addr, line, 0, &mi);
	while (g_match_info_matches(mi)) {
		int start = 0, end = 0;
		char *m = g_match_info_fetch(mi, 0);
		char *before, *addr;

		g_match_info_fetch_pos(mi, 0, &start, &end);
		/* only the words just before the address matter ("mail from <") */
		before = g_strndup(line + MAX(0, start - 16), (gsize)(start - MAX(0, start - 16)));
		addr = g_regex_match(rx->mail_from, before, 0, NULL) ? NULL : clean_address(m);
		if (addr && (is_system_address(addr) || g_hash_table_contains(c->exclude, addr)))
			g_clear_pointer(&addr, g_free);
		if (addr)
			any = TRUE;
		if (addr && !g_ptr_array_find_with_equal_func(found, addr, g_str_equal, NULL))
			g_ptr_array_add(found, addr);
		else
			g_free(addr);
		g_free(before);
		g_free(m);
		g_match_info_next(mi, NULL);
	}
	g_match_info_free(mi);
	if (!any && bare_ok && c->from_domain && strchr(line, '@') == NULL) {
		if (g_regex_match(rx->bare_local, line, 0, &mi)) {
			char *local = g_match_info_fetch(mi, 1);
			char *full = g_strconcat(local, "@", c->from_domain, NULL);
			char *addr = clean_address(full);

			if (addr && !g_ptr_array_find_with_equal_func(found, addr, g_str_equal, NULL)) {
				g_ptr_array_add(found, addr);
				any = TRUE;
			} else {
				g_free(addr);
			}
			g_free(local);
			g_free(full);
		}
		g_match_info_free(mi);
	}
	return any;
}

/* postfix_entry - TRUE when line is a Postfix bounce(8) entry ("<a@b>: host X said: ...");
 * its recipient goes to found: the alias when Postfix names one ("<a@b> (expanded from
 * <c@d>): ...", the address the sender used), the expansion then to replaced */
static gboolean postfix_entry(const char *line, const TextCtx *c, GPtrArray *found, GPtrArray *replaced)
{
	GMatchInfo *mi = NULL;
	gboolean is_entry = g_regex_match(rx_get()->postfix_entry, line, 0, &mi);

	if (is_entry) {
		char *rcpt = g_match_info_fetch(mi, 1), *alias = g_match_info_fetch(mi, 2);
		char *addr = clean_address(alias && *alias ? alias : rcpt);

		if (addr && (is_system_address(addr) || g_hash_table_contains(c->exclude, addr)))
			g_clear_pointer(&addr, g_free);
		if (addr && !g_ptr_array_find_with_equal_func(found, addr, g_str_equal, NULL))
			g_ptr_array_add(found, g_steal_pointer(&addr));
		if (alias && *alias)
			g_ptr_array_add(replaced, clean_address(rcpt));
		g_free(addr);
		g_free(rcpt);
		g_free(alias);
	}
	g_match_info_free(mi);
	return is_entry;
}

/* report_words - the report's own words in text: without the lines that carry a remote
 * server's reply (a reply code or an enhanced status, with a reply code and status
 * together or "said", "remote", "reply", "host"... on its line or the one before) and
 * their indented continuations, whose "temporarily" or "try again later" speaks of one
 * attempt, not of the report (a message returned after 4xx replies has failed); caller
 * frees */
static char *report_words(const char *text)
{
	const BounceRegexes *rx = rx_get();
	char **lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	gboolean remote = FALSE, hint = FALSE;

	for (char **l = lines; *l; l++) {
		gboolean had_hint = hint;

		hint = rx_match(rx->remote_reply, *l);
		if (remote && (**l == ' ' || **l == '\t') && !is_blank(*l))
			continue;
		/* the hint on the line or the one before ("<a@b>: host X said:" / "    451 ...") */
		remote = (rx_match(rx->smtp_reply, *l) || rx_match(rx->status, *l)) && (hint || had_hint);
		if (remote)
			continue;
		g_string_append(out, *l);
		g_string_append_c(out, '\n');
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* read_text - the free-text reader: add the failed recipients the text names to r */
static void read_text(const char *text, TextCtx *c, BounceReport *r)
{
	const BounceRegexes *rx = rx_get();
	char **lines = g_strsplit(text, "\n", MAX_LINES);
	int n = 0, end, first = -1, idle = 0;
	GString *own = g_string_new(NULL);
	GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
	char *diagnostic = NULL, *status = NULL;
	gboolean permanent, found_any = FALSE, para_addr = FALSE, para_trigger = FALSE;
	gboolean after_heading = FALSE, delay, entry = FALSE;
	char *words = NULL;
	GPtrArray *replaced = g_ptr_array_new_with_free_func(g_free);

	for (; lines[n]; n++) {
		gsize len = strlen(lines[n]);

		if (len > MAX_LINE) {
			/* cut at a character boundary: the text is UTF-8 */
			const char *cut = g_utf8_find_prev_char(lines[n], lines[n] + MAX_LINE + 1);

			len = cut ? (gsize)(cut - lines[n]) : 0;
			lines[n][len] = '\0';
		}
		if (len && lines[n][len - 1] == '\r')
			lines[n][len - 1] = '\0';
	}
	/* the bounce's own words end where the returned message begins */
	for (end = 0; end < n; end++) {
		const char *l = lines[end];

		if (rx_match(rx->end, l) || g_str_has_prefix(l, "Received: ") ||
		    g_str_has_prefix(l, "Return-Path:") || g_str_has_prefix(l, ">Received: ") ||
		    g_str_has_prefix(l, ">Return-Path:"))
			break;
		if (first >= 0 && rx_match(rx->soft_end, l))
			break;
		if (first < 0 && rx_match(rx->trigger, l))
			first = end;
		g_string_append(own, l);
		g_string_append_c(own, '\n');
	}
	if (first < 0)
		goto out;
	words = report_words(own->str);
	delay = rx_match(rx->delay, words);
	permanent = !delay && (rx_match(rx->permanent, words) || !rx_match(rx->transient, words));
	if (r->rule == NULL) {
		const PmRule *t = rules_which(rx->rules, "trigger", lines[first]);
		const PmRule *k = rules_which(rx->rules, delay ? "delay" : permanent ? "permanent" :
					      "transient", words);

		r->rule = g_strdup_printf("free text: trigger %s \"%s\"%s%s%s%s%s",
			t ? t->file : "?", t ? t->pattern : "?",
			k ? (delay ? ", still trying " : permanent ? ", permanent " : ", transient ") : "",
			k ? k->file : "", k ? " \"" : "", k ? k->pattern : "", k ? "\"" : "");
	}

	/*
	 * From the first failure phrase on, paragraph by paragraph: one with neither an
	 * address nor a failure phrase ends the list once an address was found; two in a
	 * row before any was end this search, and the next failure phrase starts another.
	 */
	for (int i = first; i <= end; i++) {
		const char *l = i < end ? lines[i] : "";

		if (is_blank(l)) {
			entry = FALSE;
			if (!para_addr && !para_trigger && found_any)
				break;
			if (!para_addr && !para_trigger && ++idle >= 2) {
				while (i + 1 < end && !rx_match(rx->trigger, lines[i + 1]))
					i++;
				idle = 0;
				after_heading = FALSE;
				continue;
			}
			if (para_addr || para_trigger)
				idle = 0;
			para_addr = para_trigger = FALSE;
			while (i + 1 < end && is_blank(lines[i + 1]))
				i++;
			continue;
		}
		if (rx_match(rx->trigger, l))
			para_trigger = TRUE;
		/* the indented continuation of a Postfix entry ("<a@b>: host X said: 550 ...")
		 * is the remote server's reply: an address it names ("contact x@y", its own
		 * rewriting of the recipient) is no failed recipient */
		if (entry && (*l == ' ' || *l == '\t')) {
			if (diagnostic == NULL && rx_match(rx->smtp_reply, l))
				diagnostic = one_line(l, MAX_DIAGNOSTIC);
			continue;
		}
		entry = postfix_entry(l, c, found, replaced);
		if (entry && found->len > 0) {
			para_addr = found_any = TRUE;
			if (diagnostic == NULL && rx_match(rx->smtp_reply, l))
				diagnostic = one_line(l, MAX_DIAGNOSTIC);
			after_heading = FALSE;
			continue;
		}
		if (found->len > 0 && rx_match(rx->expanded_from, l)) {
			/* an alias expanded: the address on this line is the one that was
			 * addressed, and takes the place of the expansion before it, which
			 * does not come back from the remote reply quoted below */
			guint had = found->len;

			if (scan_line(l, FALSE, c, found) && found->len > had)
				g_ptr_array_add(replaced, g_ptr_array_steal_index(found, had - 1));
			continue;
		}
		if (scan_line(l, after_heading, c, found)) {
			para_addr = found_any = TRUE;
			if (diagnostic == NULL && rx_match(rx->smtp_reply, l))
				diagnostic = one_line(l, MAX_DIAGNOSTIC);
		} else if (diagnostic == NULL && found_any && rx_match(rx->smtp_reply, l)) {
			diagnostic = one_line(l, MAX_DIAGNOSTIC);
		}
		if (i < end)
			after_heading = g_str_has_suffix(g_strchomp(lines[i]), ":");
	}
	if (found->len == 0) {
		/* no address: keep what the text says for the return path's member */
		status = status_code(own->str);
		if (status && (status[0] == '5') == permanent && r->status == NULL) {
			r->status = g_strdup(status);
			r->permanent = permanent;
		}
		if (!c->failed) {
			c->failed = TRUE;
			c->permanent = permanent;
			c->status = status && (status[0] == '5') == permanent ? g_strdup(status) : NULL;
		}
		/* the returned message's headers pasted below: its To: names whom we sent to */
		for (int i = end; i < n && c->returned_to == NULL; i++)
			if (g_ascii_strncasecmp(lines[i], "To:", 3) == 0)
				c->returned_to = g_strdup(lines[i] + 3);
		goto out;
	}
	for (guint i = 0; i < replaced->len; i++) {
		guint k;

		if (g_ptr_array_find_with_equal_func(found, replaced->pdata[i], g_str_equal, &k))
			g_ptr_array_remove_index(found, k);
	}
	for (int i = first; diagnostic == NULL && i < end; i++)
		if (rx_match(rx->smtp_reply, lines[i]))
			diagnostic = one_line(lines[i], MAX_DIAGNOSTIC);
	status = status_code(own->str);
	if (status && (status[0] == '5') != permanent)
		g_clear_pointer(&status, g_free);       /* the code contradicts the words */
	for (guint i = 0; i < found->len; i++)
		report_add(r, g_ptr_array_index(found, i), status, permanent, diagnostic);
out:
	g_ptr_array_unref(replaced);
	g_free(words);
	g_free(status);
	g_free(diagnostic);
	g_ptr_array_unref(found);
	g_string_free(own, TRUE);
	g_strfreev(lines);
}

/* read_dsn_in_text - delivery-status fields in the text itself (a report whose MIME
 * boundaries are missing, or an MTA that pastes them): read like a DSN part; TRUE (and
 * r->rule set) when they named a failed or delayed recipient */
static gboolean read_dsn_in_text(const GPtrArray *texts, BounceReport *r)
{
	static GRegex *field;
	int blocks = 0, failures = 0, given_up = 0;

	if (g_once_init_enter(&field))
		g_once_init_leave(&field, g_regex_new("^(final|original)-recipient:[ \t]*rfc822[ \t]*;",
						      G_REGEX_CASELESS | G_REGEX_MULTILINE, 0, NULL));
	for (guint i = 0; i < texts->len; i++)
		if (g_regex_match(field, g_ptr_array_index(texts, i), 0, NULL))
			read_dsn(g_ptr_array_index(texts, i), r, &blocks, &failures, &given_up);
	if (r->recipients->len == 0)
		return FALSE;
	r->rule = g_strdup("delivery status (RFC 3464) fields in the text");
	return TRUE;
}

/* read_subject_first - a text with no failure phrase whose Subject has one (Sendmail V5:
 * "Returned mail: Cannot send message for 4 days" over a bare transcript): read the
 * subject as the text's first line */
static void read_subject_first(GMimeMessage *msg, const char *text, TextCtx *c, BounceReport *r)
{
	const char *subject = g_mime_message_get_subject(msg);
	char *joined;

	if (subject == NULL || strlen(subject) > MAX_LINE || !rx_match(rx_get()->trigger, subject))
		return;
	joined = g_strconcat(subject, "\n\n", text, NULL);
	read_text(joined, c, r);
	g_free(joined);
}

/* add_header_addresses - put every address in msg's header name into set (lower-cased) */
static void add_header_addresses(GMimeMessage *msg, const char *name, GHashTable *set)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	GMatchInfo *mi = NULL;

	if (v == NULL || strlen(v) > MAX_LINE)
		return;         /* no real address header is that long */
	g_regex_match(rx_get()->addr, v, 0, &mi);
	while (g_match_info_matches(mi)) {
		char *m = g_match_info_fetch(mi, 0);

		g_hash_table_add(set, g_ascii_strdown(m, -1));
		g_free(m);
		g_match_info_next(mi, NULL);
	}
	g_match_info_free(mi);
}

/* text_ctx_init - the addresses that are ours and the reporting domain, from msg's headers */
static void text_ctx_init(TextCtx *c, GMimeMessage *msg)
{
	static const char *const ours[] = {
		"To", "Cc", "Return-Path", "Reply-To", "Sender", "From",
	};
	GHashTable *from = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer key;

	c->exclude = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(ours); i++)
		add_header_addresses(msg, ours[i], c->exclude);
	c->from_domain = NULL;
	c->failed = c->permanent = FALSE;
	c->status = c->returned_to = NULL;
	add_header_addresses(msg, "From", from);
	g_hash_table_iter_init(&it, from);
	if (g_hash_table_iter_next(&it, &key, NULL))
		c->from_domain = g_strdup(strrchr(key, '@') + 1);
	g_hash_table_unref(from);
}

/* is_list_address - TRUE when addr is the mailing list the returned message (headers o)
 * went through (X-BeenThere, List-Post, List-Id): a list's To: names the list, not the
 * member it was delivered to */
static gboolean is_list_address(GMimeObject *o, const char *addr)
{
	static const char *const names[] = { "X-BeenThere", "List-Post", "List-Id" };
	char *dotted = g_strdup(addr), *at = strchr(dotted, '@');
	gboolean hit = FALSE;

	if (at)
		*at = '.';      /* List-Id: <list.example.org> for list@example.org */
	for (gsize i = 0; o && i < G_N_ELEMENTS(names) && !hit; i++) {
		const char *v = g_mime_object_get_header(o, names[i]);
		char *low = v && strlen(v) <= MAX_LINE ? g_ascii_strdown(v, -1) : NULL;

		hit = low && (strstr(low, addr) || strstr(low, dotted));
		g_free(low);
	}
	g_free(dotted);
	return hit;
}

/* returned_recipient - a text that reports a failure but names nobody: the one address in
 * the To: of the message it returns (enclosed, its headers enclosed, or pasted below the
 * text) is whom the failed message was sent to (FML, Japanese carriers, old Sendmail,
 * Verizon...). peermail sends each message to one member, so only a single address counts;
 * our own addresses never do. Adds it to r and says so in r->rule. */
static void returned_recipient(const Walk *w, const TextCtx *c, BounceReport *r)
{
	const char *to = NULL;
	GMimeObject *hdrs = NULL, *src = NULL;
	GMatchInfo *mi = NULL;
	char *addr = NULL, *rule;
	int count = 0;

	if (!c->failed || r->recipients->len > 0)
		return;
	if (w->enclosed) {
		src = GMIME_OBJECT(w->enclosed);
		to = g_mime_object_get_header(src, "To");
	}
	if (to == NULL && w->enclosed_headers) {
		hdrs = header_block_new(w->enclosed_headers, strlen(w->enclosed_headers));
		src = hdrs;
		to = hdrs ? g_mime_object_get_header(hdrs, "To") : NULL;
	}
	if (to == NULL)
		to = c->returned_to;
	if (to && strlen(to) <= MAX_LINE) {
		g_regex_match(rx_get()->addr, to, 0, &mi);
		for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
			char *m = g_match_info_fetch(mi, 0);
			char *a = clean_address(m);

			if (a && g_hash_table_contains(c->exclude, a))
				g_clear_pointer(&a, g_free);
			if (a && (addr == NULL || strcmp(a, addr) != 0))
				count++;
			if (a && addr == NULL)
				addr = a;
			else
				g_free(a);
			g_free(m);
		}
		g_match_info_free(mi);
	}
	if (addr && count == 1 && !is_list_address(to == c->returned_to ? NULL : src, addr)) {
		report_add(r, addr, c->status, c->permanent, NULL);
		rule = g_strdup_printf("%s; recipient from the returned message's To:",
				       r->rule ? r->rule : "free text");
		g_free(r->rule);
		r->rule = rule;
	}
	g_free(addr);
	if (hdrs)
		g_object_unref(hdrs);
}

/* ==== Feedback reports ==== */

/* first_address_of - the first mailbox address in an address-list header value; caller frees */
static char *first_address_of(const char *value)
{
	InternetAddressList *list;
	char *out = NULL;

	if (value == NULL)
		return NULL;
	list = internet_address_list_parse(NULL, value);
	if (list) {
		for (int i = 0; i < internet_address_list_length(list) && out == NULL; i++) {
			InternetAddress *ia = internet_address_list_get_address(list, i);

			if (INTERNET_ADDRESS_IS_MAILBOX(ia))
				out = clean_address(internet_address_mailbox_get_addr(
					INTERNET_ADDRESS_MAILBOX(ia)));
		}
		g_object_unref(list);
	}
	return out;
}

/* read_feedback - fill r from an ARF feedback-report body and the enclosed message */
static void read_feedback(const Walk *w, BounceReport *r)
{
	GMimeObject *blk = header_block_new(w->feedback, strlen(w->feedback));
	GMimeObject *hdrs = NULL;
	char *type = NULL, *addr = NULL;

	if (blk) {
		char *t = block_get(blk, "Feedback-Type");

		type = first_word_lower(t);
		g_free(t);
		addr = clean_address(g_mime_object_get_header(blk, "Original-Rcpt-To"));
	}
	r->feedback_type = type ? type : g_strdup("abuse");
	if (w->enclosed) {
		GMimeObject *eo = GMIME_OBJECT(w->enclosed);

		if (addr == NULL)
			addr = first_address_of(g_mime_object_get_header(eo, "To"));
		r->original_return_path = first_address_of(g_mime_object_get_header(eo,
											"Return-Path"));
	} else if (w->enclosed_headers) {
		hdrs = header_block_new(w->enclosed_headers, strlen(w->enclosed_headers));
		if (addr == NULL && hdrs)
			addr = first_address_of(g_mime_object_get_header(hdrs, "To"));
		if (hdrs)
			r->original_return_path = first_address_of(
				g_mime_object_get_header(hdrs, "Return-Path"));
	}
	if (r->original_return_path == NULL && blk)
		/* RFC 5965's Original-Mail-From names the envelope sender too */
		r->original_return_path = first_address_of(g_mime_object_get_header(blk,
							   "Original-Mail-From"));
	if (addr)
		report_add(r, addr, NULL, TRUE, r->feedback_type);
	g_free(addr);
	if (hdrs)
		g_object_unref(hdrs);
	if (blk)
		g_object_unref(blk);
}

/* original_message_id - the Message-ID of the returned message, if enclosed; caller frees */
static char *original_message_id(const Walk *w)
{
	const char *id = NULL;
	GMimeObject *hdrs = NULL;
	char *out;

	if (w->enclosed)
		id = g_mime_message_get_message_id(w->enclosed);
	if (id == NULL && w->enclosed_headers) {
		hdrs = header_block_new(w->enclosed_headers, strlen(w->enclosed_headers));
		if (hdrs)
			id = g_mime_object_get_header(hdrs, "Message-ID");
	}
	out = id ? g_strdup(id) : NULL;
	if (out) {
		g_strstrip(out);
		if (out[0] == '<') {
			memmove(out, out + 1, strlen(out));
			if (out[0] && out[strlen(out) - 1] == '>')
				out[strlen(out) - 1] = '\0';
		}
	}
	if (hdrs)
		g_object_unref(hdrs);
	return out;
}

/* ==== bounce_parse ==== */

/*
 * mdn_is_failure - TRUE if a disposition-notification body reports the message deleted,
 * failed or denied unread (a rejection); FALSE for displayed/dispatched/processed (a receipt)
 */
static gboolean mdn_is_failure(const char *body)
{
	GMimeObject *blk = header_block_new(body, strlen(body));
	char *disp = blk ? block_get(blk, "Disposition") : NULL;
	const char *semi = disp ? strchr(disp, ';') : NULL;
	char *type = NULL;
	gboolean fail;

	if (semi) {
		while (*++semi == ' ')
			;
		type = first_word_lower(semi);
	}
	fail = type && (g_str_has_prefix(type, "deleted") || g_str_has_prefix(type, "failed") ||
			g_str_has_prefix(type, "denied"));
	g_free(type);
	g_free(disp);
	if (blk)
		g_object_unref(blk);
	return fail;
}

/* looks_like_bounce - TRUE if msg comes from a mail system or its subject reports a failure */
static gboolean looks_like_bounce(GMimeMessage *msg, const Walk *w)
{
	const BounceRegexes *rx = rx_get();
	GMimeObject *o = GMIME_OBJECT(msg);
	const char *from = g_mime_object_get_header(o, "From");
	const char *rp = g_mime_object_get_header(o, "Return-Path");
	const char *subject = g_mime_message_get_subject(msg);

	if (w->report || w->dsn->len)
		return TRUE;
	if (rp && strstr(rp, "<>"))
		return TRUE;
	return rx_match(rx->daemon_from, from) || rx_match(rx->bounce_subject, subject);
}

/* failed_recipients_header - X-Failed-Recipients (Exim, Google, Zoho...) names the failed
 * recipients exactly: when present they replace what the text suggested; their permanence
 * and status are the text's (its first recipient), else the subject's (a delay subject is
 * transient), else permanent */
static void failed_recipients_header(GMimeMessage *msg, BounceReport *r)
{
	const BounceRegexes *rx = rx_get();
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), "X-Failed-Recipients");
	GPtrArray *keep;
	BounceRecipient *first;
	gboolean permanent;
	char *status, *diagnostic, *rule;
	GMatchInfo *mi = NULL;

	if (v == NULL || strlen(v) > 20 * MAX_LINE)
		return;
	first = r->recipients->len ? g_ptr_array_index(r->recipients, 0) : NULL;
	permanent = first ? first->permanent :
		!rx_match(rx->transient, g_mime_message_get_subject(msg));
	status = first ? g_strdup(first->status) : NULL;
	diagnostic = first ? g_strdup(first->diagnostic) : NULL;
	keep = r->recipients;
	r->recipients = g_ptr_array_new_with_free_func(recipient_free);
	g_regex_match(rx->addr, v, 0, &mi);
	while (g_match_info_matches(mi) && r->recipients->len < MAX_RECIPIENTS) {
		char *m = g_match_info_fetch(mi, 0);
		char *addr = clean_address(m);

		if (addr) {
			BounceRecipient *had = NULL;

			for (guint i = 0; i < keep->len && had == NULL; i++)
				if (strcmp(((BounceRecipient *)g_ptr_array_index(keep, i))->address, addr) == 0)
					had = g_ptr_array_index(keep, i);
			if (had)
				report_add(r, addr, had->status, had->permanent, had->diagnostic);
			else
				report_add(r, addr, status, permanent, diagnostic);
		}
		g_free(addr);
		g_free(m);
		g_match_info_next(mi, NULL);
	}
	g_match_info_free(mi);
	if (r->recipients->len == 0) {
		g_ptr_array_unref(r->recipients);     /* nothing usable: keep the text's */
		r->recipients = keep;
	} else {
		g_ptr_array_unref(keep);
		rule = g_strdup_printf("%s%sX-Failed-Recipients header", r->rule ? r->rule : "",
				       r->rule ? "; recipients from the " : "recipients from the ");
		g_free(r->rule);
		r->rule = rule;
	}
	g_free(status);
	g_free(diagnostic);
}

/* ses_object - the SES event object of a JSON text (bare, or in an SNS envelope's
 * "Message" string), or NULL; *parser keeps it alive (caller unrefs) */
static JsonObject *ses_object(const char *text, JsonParser **parser)
{
	JsonNode *root;
	JsonObject *o;
	const char *inner;

	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	if (*text != '{' || strlen(text) > MAX_TEXT)
		return NULL;
	*parser = json_parser_new();
	if (!json_parser_load_from_data(*parser, text, -1, NULL) ||
	    (root = json_parser_get_root(*parser)) == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_clear_object(parser);
		return NULL;
	}
	o = json_node_get_object(root);
	inner = json_object_has_member(o, "Message") ?
		json_object_get_string_member_with_default(o, "Message", NULL) : NULL;
	if (inner && !json_object_has_member(o, "notificationType")) {
		JsonParser *p2 = NULL;
		JsonObject *io = ses_object(inner, &p2);

		if (io) {
			g_object_unref(*parser);
			*parser = p2;
			return io;
		}
	}
	if (json_object_has_member(o, "notificationType") || json_object_has_member(o, "eventType"))
		return o;
	g_clear_object(parser);
	return NULL;
}

/* read_ses_json - an Amazon SES bounce or complaint notification (JSON, bare or through
 * SNS) in one of the texts: TRUE and r filled if one was found */
static gboolean read_ses_json(const Walk *w, BounceReport *r)
{
	GPtrArray *t = texts(w);
	gboolean done = FALSE;

	for (guint i = 0; i < t->len && !done; i++) {
		JsonParser *parser = NULL;
		JsonObject *o = ses_object(g_ptr_array_index(t, i), &parser);
		const char *type;
		JsonObject *b;
		JsonArray *list;
		gboolean permanent, complaint;

		if (o == NULL)
			continue;
		type = json_object_get_string_member_with_default(o, "notificationType",
			json_object_get_string_member_with_default(o, "eventType", ""));
		complaint = g_ascii_strcasecmp(type, "Complaint") == 0;
		done = TRUE;
		if (!complaint && g_ascii_strcasecmp(type, "Bounce") != 0) {
			r->kind = BOUNCE_NOT;   /* a delivery or other event */
			r->rule = g_strdup_printf("Amazon SES notification (JSON): %s", type);
			g_object_unref(parser);
			break;
		}
		b = json_object_get_object_member(o, complaint ? "complaint" : "bounce");
		if (b == NULL) {
			g_object_unref(parser);
			done = FALSE;
			continue;
		}
		permanent = g_ascii_strcasecmp(json_object_get_string_member_with_default(b,
			"bounceType", ""), "Permanent") == 0;
		r->kind = complaint ? BOUNCE_FEEDBACK : BOUNCE_DSN;
		if (complaint)
			r->feedback_type = g_strdup(json_object_get_string_member_with_default(b,
				"complaintFeedbackType", "abuse"));
		r->rule = g_strdup_printf("Amazon SES notification (JSON): %s%s%s", type,
			complaint ? "" : " ", complaint ? "" :
			json_object_get_string_member_with_default(b, "bounceType", "?"));
		list = json_object_get_array_member(b, complaint ? "complainedRecipients" :
						    "bouncedRecipients");
		for (guint j = 0; list && j < json_array_get_length(list) &&
		     r->recipients->len < MAX_RECIPIENTS; j++) {
			JsonNode *n = json_array_get_element(list, j);
			JsonObject *ro = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
			char *addr = ro ? clean_address(json_object_get_string_member_with_default(ro,
				"emailAddress", "")) : NULL;
			char *status = ro ? status_code(json_object_get_string_member_with_default(ro,
				"status", "")) : NULL;
			char *diag = ro ? one_line(json_object_get_string_member_with_default(ro,
				"diagnosticCode", ""), MAX_DIAGNOSTIC) : NULL;

			if (addr)
				report_add(r, addr, status, complaint || permanent,
					   complaint ? r->feedback_type : (diag && *diag ? diag : NULL));
			g_free(addr);
			g_free(status);
			g_free(diag);
		}
		g_object_unref(parser);
	}
	g_ptr_array_unref(t);
	return done;
}

/* bounce_parse - read msg; always returns a report; free with bounce_report_free */
BounceReport *bounce_parse(GMimeMessage *msg)
{
	BounceReport *r = g_new0(BounceReport, 1);
	Walk w = { 0 };

	r->kind = BOUNCE_NOT;
	r->recipients = g_ptr_array_new_with_free_func(recipient_free);
	if (msg == NULL)
		return r;
	w.text_roots = g_ptr_array_new();
	if (g_mime_message_get_mime_part(msg))
		g_ptr_array_add(w.text_roots, g_mime_message_get_mime_part(msg));
	w.dsn = g_ptr_array_new_with_free_func(g_free);
	walk(g_mime_message_get_mime_part(msg), 0, &w);

	if (w.feedback) {
		r->kind = BOUNCE_FEEDBACK;
		r->rule = g_strdup("feedback report (RFC 5965)");
		read_feedback(&w, r);
	} else if (w.mdn && !mdn_is_failure(w.mdn)) {
		r->kind = BOUNCE_NOT;   /* a read receipt */
		r->rule = g_strdup("read receipt (RFC 8098)");
	} else {
		int blocks = 0, failures = 0, given_up = 0;

		for (guint i = 0; i < w.dsn->len; i++)
			read_dsn(g_ptr_array_index(w.dsn, i), r, &blocks, &failures, &given_up);
		if (blocks == 0 && read_ses_json(&w, r)) {
			;       /* an Amazon SES notification decided */
		} else if (blocks > 0) {
			/* the machine-readable report is authoritative: no guessing from its text */
			r->kind = failures > 0 ? BOUNCE_DSN : BOUNCE_NOT;   /* else a success DSN */
			r->rule = g_strdup(failures > 0 ? "delivery status (RFC 3464)" :
					   "delivery status (RFC 3464): no failure");
			if (given_up > 0 && r->recipients->len == 0) {
				/* a failure whose recipient is unreadable: the returned To: */
				TextCtx c;

				text_ctx_init(&c, msg);
				c.failed = c.permanent = TRUE;
				returned_recipient(&w, &c, r);
				g_hash_table_unref(c.exclude);
				g_free(c.from_domain);
			}
		} else if (looks_like_bounce(msg, &w) &&
		    (w.report || w.dsn->len || !autoreply_is_reply(msg))) {
			GPtrArray *t = texts(&w);
			TextCtx c;
			gboolean fields;

			text_ctx_init(&c, msg);
			fields = read_dsn_in_text(t, r);
			for (guint i = 0; i < t->len && !fields; i++)
				read_text(g_ptr_array_index(t, i), &c, r);
			if (r->recipients->len == 0 && !c.failed && t->len > 0)
				read_subject_first(msg, g_ptr_array_index(t, 0), &c, r);
			g_ptr_array_unref(t);
			failed_recipients_header(msg, r);
			returned_recipient(&w, &c, r);
			g_hash_table_unref(c.exclude);
			g_free(c.from_domain);
			g_free(c.status);
			g_free(c.returned_to);
			r->kind = BOUNCE_DSN;   /* a bounce, even when no address could be read */
		}
	}
	if (r->kind != BOUNCE_NOT)
		r->original_message_id = original_message_id(&w);
	g_ptr_array_unref(w.text_roots);
	g_ptr_array_unref(w.dsn);
	g_free(w.feedback);
	g_free(w.mdn);
	g_free(w.enclosed_headers);
	g_free(w.orphan_text);
	return r;
}
