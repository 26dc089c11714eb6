/*
 * autoreply.c - recognizing mail nobody typed (RFC 3834 and the de-facto headers).
 *
 * Owns: the order and content of the checks: our loop marker, null and MAILER-DAEMON-ish
 * senders, Exchange/vacation markers and out-of-office subjects in many languages,
 * Auto-Submitted, list headers and Precedence; and autoreply_is_reply, the question bounce
 * asks, from the same checks. Only headers and the subject are read,
 * never the body: a member who writes "I'm on vacation" is still a member writing.
 * Not: bounce parsing (bounce), nor the daily response limit (inbound/route).
 */
#include <string.h>
#include "mail/autoreply.h"
#include "mail/compose.h"

/* header - the first value of header name in msg, or NULL (borrowed) */
static const char *header(GMimeMessage *msg, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(msg), name);
}

/* first_token - the value up to ';', '(' or white space, lower-cased; caller frees */
static char *first_token(const char *v)
{
	gsize n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strcspn(v, " \t;(\r\n");
	return g_ascii_strdown(v, (gssize)n);
}

/* local_part - the lower-cased local part of an address (angle brackets allowed); caller frees */
static char *local_part(const char *addr)
{
	const char *a = addr, *lt = strrchr(addr, '<');
	gsize n;

	if (lt)
		a = lt + 1;
	while (*a == ' ' || *a == '\t')
		a++;
	n = strcspn(a, "@>");
	return g_ascii_strdown(a, (gssize)n);
}

/* base_local - local part without a "+detail" (VERP: list-bounces+jane=example.org); caller frees */
static char *base_local(const char *addr)
{
	char *l = local_part(addr), *plus = strchr(l, '+');

	if (plus && plus > l)
		*plus = '\0';
	return l;
}

/* is_daemon - TRUE for MAILER-DAEMON, postmaster and their spellings */
static gboolean is_daemon(const char *local)
{
	return strcmp(local, "mailer-daemon") == 0 || strcmp(local, "mailer_daemon") == 0 ||
		strcmp(local, "mailerdaemon") == 0 || strcmp(local, "postmaster") == 0 ||
		strcmp(local, "mail-daemon") == 0;
}

/* is_list_robot - TRUE for list manager addresses RFC 3834 says never to answer */
static gboolean is_list_robot(const char *local)
{
	return g_str_has_prefix(local, "owner-") || g_str_has_suffix(local, "-request") ||
		g_str_has_suffix(local, "-owner") || g_str_has_suffix(local, "-bounces") ||
		g_str_has_suffix(local, "-errors") || strcmp(local, "listserv") == 0 ||
		strcmp(local, "majordomo") == 0 || strcmp(local, "mailman") == 0;
}

/* from_local - the lower-cased local part of the first From: mailbox, or NULL; caller frees */
static char *from_local(GMimeMessage *msg)
{
	InternetAddressList *from = g_mime_message_get_from(msg);

	for (int i = 0; from && i < internet_address_list_length(from); i++) {
		InternetAddress *ia = internet_address_list_get_address(from, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *a = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
			return a ? local_part(a) : NULL;
		}
	}
	return NULL;
}

/* from_daemon - TRUE if the first From: mailbox is a mail system's */
static gboolean from_daemon(GMimeMessage *msg)
{
	char *local = from_local(msg);
	gboolean daemon = local && is_daemon(local);

	g_free(local);
	return daemon;
}

/* vacation_subject - TRUE for out-of-office and automatic-reply subjects */
static gboolean vacation_subject(const char *subject)
{
	static gsize once;
	static GRegex *re;

	if (g_once_init_enter(&once)) {
		/* a known prefix followed by a separator or the end; or a Notes-style sentence */
		re = g_regex_new("^\\s*(?:\\[[^\\]]{0,40}\\]\\s*)?(?:"
			"automatic reply|auto(?:matic)?[- ]?reply|auto[- ]?response|autoresponse|"
			"out of (?:the )?office(?: reply| autoreply| auto reply)?|"
			"vacation (?:reply|notice|message|autoreply)|away from (?:the|my) office|"
			"automatische antwort|abwesenheitsnotiz|"
			"réponse automatique|reponse automatique|"
			"respuesta automática|respuesta automatica|fuera de la oficina|"
			"risposta automatica|fuori sede|resposta automática|resposta automatica|"
			"automatisch antwoord|autosvar|automatiskt svar|automatisk svar|"
			"fraværsmelding|automaattinen vastaus|automatyczna odpowiedź|"
			"автоматический ответ|автоответ|automatická odpověď|otomatik yanıt|"
			"自動返信|自动回复)\\s*(?:[:：\\-–]|$)"
			/* short words a person might use as a subject need the colon */
			"|^\\s*(?:auto|abwesend|absent|absente|afwezig)\\s*[:：]"
			"|\\bis out of (?:the )?office\\b|\\bist außer haus\\b|\\best absente? du bureau\\b",
			G_REGEX_CASELESS, 0, NULL);
		g_once_init_leave(&once, 1);
	}
	return subject && re && g_regex_match(re, subject, 0, NULL);
}

/* suppress_says_auto - TRUE when X-Auto-Response-Suppress names All, OOF or AutoReply */
static gboolean suppress_says_auto(const char *v)
{
	char **tok = g_strsplit_set(v, ", \t", -1);
	gboolean yes = FALSE;

	for (int i = 0; tok[i] && !yes; i++)
		yes = g_ascii_strcasecmp(tok[i], "All") == 0 || g_ascii_strcasecmp(tok[i], "OOF") == 0 ||
			g_ascii_strcasecmp(tok[i], "AutoReply") == 0;
	g_strfreev(tok);
	return yes;
}

/* precedence_is - TRUE if Precedence or X-Precedence says one of words */
static gboolean precedence_is(GMimeMessage *msg, const char *const *words)
{
	for (int i = 0; i < 2; i++) {
		const char *v = header(msg, i ? "X-Precedence" : "Precedence");
		gboolean yes = FALSE;
		char *t;

		if (v == NULL)
			continue;
		t = first_token(v);
		for (int j = 0; words[j] && !yes; j++)
			yes = strcmp(t, words[j]) == 0;
		g_free(t);
		if (yes)
			return TRUE;
	}
	return FALSE;
}

/* says_vacation - TRUE for a vacation program's headers, an out-of-office subject or
 * Precedence: auto_reply */
static gboolean says_vacation(GMimeMessage *msg)
{
	static const char *const vacation_headers[] = { "X-Autoreply", "X-Autorespond",
		"X-Autoresponder", "X-AutoReply-From", "X-Mail-Autoreply", "X-Vacation", NULL };
	static const char *const auto_reply[] = { "auto_reply", NULL };

	for (int i = 0; vacation_headers[i]; i++)
		if (header(msg, vacation_headers[i]))
			return TRUE;
	return vacation_subject(g_mime_message_get_subject(msg)) || precedence_is(msg, auto_reply);
}

/* auto_submitted - the first token of Auto-Submitted, lower-cased, or NULL; caller frees */
static char *auto_submitted(GMimeMessage *msg)
{
	const char *v = header(msg, "Auto-Submitted");

	return v ? first_token(v) : NULL;
}

/* autoreply_is_reply - vacation markers or auto-replied, unless From: is a mail system */
gboolean autoreply_is_reply(GMimeMessage *msg)
{
	char *as;
	gboolean reply;

	if (msg == NULL || from_daemon(msg))
		return FALSE;
	if (says_vacation(msg))
		return TRUE;
	as = auto_submitted(msg);
	reply = as && strcmp(as, "auto-replied") == 0;
	g_free(as);
	return reply;
}

/* autoreply_classify - loop, senders, vacation, Auto-Submitted, reports, lists, bulk: in that order */
AutoKind autoreply_classify(GMimeMessage *msg, const char *envelope_sender)
{
	static const char *const bulk[] = { "bulk", "junk", "list", NULL };
	static const char *const list_headers[] = { "List-Id", "List-Post", "List-Unsubscribe",
		"List-Subscribe", "List-Help", "List-Owner", "List-Archive", "Mailing-List",
		"X-Mailing-List", "X-BeenThere", "X-Loop", "X-List", NULL };
	const char *v, *sender = envelope_sender;
	GMimeContentType *ct;
	char *local, *t;
	gboolean daemon = FALSE, robot = FALSE;

	if (msg == NULL)
		return AUTO_NONE;
	if (header(msg, COMPOSE_LOOP_HEADER))
		return AUTO_LOOP;

	/* senders: the envelope if known, else Return-Path; then From: */
	if (sender == NULL && (v = header(msg, "Return-Path")) != NULL) {
		const char *p = v;
		while (*p == ' ' || *p == '\t')
			p++;
		sender = strcmp(p, "<>") == 0 || *p == '\0' ? "" : p;
	}
	if (sender && (*sender == '\0' || strcmp(sender, "<>") == 0))
		return AUTO_NULL_SENDER;
	if (sender) {
		local = base_local(sender);
		daemon = is_daemon(local);
		robot = is_list_robot(local);
		g_free(local);
	}
	if (daemon || from_daemon(msg))
		return AUTO_NULL_SENDER;

	if (says_vacation(msg))
		return AUTO_VACATION;
	if ((v = header(msg, "X-Auto-Response-Suppress")) && suppress_says_auto(v))
		return AUTO_SUBMITTED;

	if ((t = auto_submitted(msg)) != NULL) {
		gboolean human = strcmp(t, "no") == 0 || *t == '\0';

		g_free(t);
		if (!human)
			return AUTO_SUBMITTED;
	}
	if (header(msg, "X-MS-Exchange-Inbox-Rules-Loop") || header(msg, "X-MS-Exchange-Generated-Message-Source"))
		return AUTO_SUBMITTED;
	/* delivery reports and read receipts are machine-made whatever their sender says */
	ct = g_mime_object_get_content_type(g_mime_message_get_mime_part(msg) ?
		g_mime_message_get_mime_part(msg) : GMIME_OBJECT(msg));
	if (ct && g_mime_content_type_is_type(ct, "multipart", "report"))
		return AUTO_SUBMITTED;

	if (robot)
		return AUTO_LIST;
	for (int i = 0; list_headers[i]; i++)
		if (header(msg, list_headers[i]))
			return AUTO_LIST;

	return precedence_is(msg, bulk) ? AUTO_BULK : AUTO_NONE;
}

const char *autoreply_name(AutoKind kind)
{
	switch (kind) {
	case AUTO_NONE:        return "none";
	case AUTO_NULL_SENDER: return "null-sender";
	case AUTO_SUBMITTED:   return "auto-submitted";
	case AUTO_VACATION:    return "vacation";
	case AUTO_BULK:        return "bulk";
	case AUTO_LIST:        return "list";
	case AUTO_LOOP:        return "loop";
	}
	return "unknown";
}
