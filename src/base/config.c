/*
 * config.c - the libconfuse schema, defaults and validation.
 *
 * DIAGNOSTICS: a missing file is EX_CONFIG "cannot read FILE"; syntax and value errors
 * come from libconfuse's own reporting with "FILE:LINE: message" and are EX_CONFIG too.
 */
#include <confuse.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "base/config.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pm.h"

/* ==== Schema ==== */

static cfg_opt_t smtp_opts[] = {
	CFG_STR("host", "127.0.0.1", CFGF_NONE),
	CFG_INT("port", 25, CFGF_NONE),
	CFG_STR("starttls", "optional", CFGF_NONE),
	CFG_INT("connections", 4, CFGF_NONE),
	CFG_FLOAT("rate", 0, CFGF_NONE),
	CFG_INT("rate_per_hour", 0, CFGF_NONE),
	CFG_INT("timeout", 60, CFGF_NONE),
	CFG_STR("user", NULL, CFGF_NODEFAULT),
	CFG_STR("password_file", NULL, CFGF_NODEFAULT),
	CFG_STR("ca_file", NULL, CFGF_NODEFAULT),
	CFG_BOOL("tls_verify", cfg_true, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t list_opts[] = {
	CFG_STR("title", NULL, CFGF_NODEFAULT),
	CFG_STR("mode", "announce", CFGF_NONE),
	CFG_STR_LIST("organizers", "{}", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t dkim_opts[] = {
	CFG_STR("domain", NULL, CFGF_NODEFAULT),
	CFG_STR("selector", NULL, CFGF_NODEFAULT),
	CFG_STR("key_file", NULL, CFGF_NODEFAULT),
	CFG_END()
};

static cfg_opt_t limits_opts[] = {
	CFG_INT("max_message_size", 10485760, CFGF_NONE),
	CFG_INT("max_responses_per_day", 5, CFGF_NONE),
	CFG_INT("confirm_days", 14, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t fraud_opts[] = {
	CFG_INT("window", 3600, CFGF_NONE),
	CFG_INT("per_address", 5, CFGF_NONE),
	CFG_INT("per_domain", 100, CFGF_NONE),
	CFG_INT("per_petition", 1000, CFGF_NONE),
	CFG_FLOAT("trend_share", 0.5, CFGF_NONE),
	CFG_INT("trend_min", 20, CFGF_NONE),
	CFG_INT("trend_window", 3600, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t lmtp_opts[] = {
	CFG_INT("max_sessions", 100, CFGF_NONE),
	CFG_INT("timeout", 300, CFGF_NONE),
	CFG_STR("socket", "", CFGF_NONE),
	CFG_STR("socket_mode", "0660", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t bounces_opts[] = {
	CFG_FLOAT("disable_score", 5, CFGF_NONE),
	CFG_INT("window_days", 7, CFGF_NONE),
	CFG_BOOL("probe", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t deliveries_opts[] = {
	CFG_INT("gzip_above", 5 * 1024 * 1024, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t petitions_opts[] = {
	CFG_STR("start_keyword", "start", CFGF_NONE),
	CFG_INT("title_min", 10, CFGF_NONE),
	CFG_INT("title_max", 120, CFGF_NONE),
	CFG_INT("text_min", 20, CFGF_NONE),
	CFG_INT("text_max", 5000, CFGF_NONE),
	CFG_INT("open_starts", 2, CFGF_NONE),
	CFG_INT("sponsors", 5, CFGF_NONE),
	CFG_INT("backlog_days", 7, CFGF_NONE),
	CFG_STR_LIST("reasons", "{duplicate,out-of-scope,offensive,unclear}", CFGF_NONE),
	CFG_INT("update_max", 5000, CFGF_NONE),
	CFG_INT("updates_pending", 3, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t queue_opts[] = {
	CFG_INT("retry_initial", 300, CFGF_NONE),
	CFG_INT("max_age", 5 * 86400, CFGF_NONE),
	CFG_INT("batch_size", 200, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t normalize_opts[] = {
	CFG_BOOL("gmail_dots", cfg_true, CFGF_NONE),
	CFG_BOOL("strip_tags", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t top_opts[] = {
	CFG_STR("domain", "localhost", CFGF_NONE),
	CFG_STR("delimiter", "+", CFGF_NONE),
	CFG_STR("database", "../var/peermail.db", CFGF_NONE),
	CFG_STR("secret_file", "../var/secret", CFGF_NONE),
	CFG_STR("templates", "../templates", CFGF_NONE),
	CFG_STR("language", "en", CFGF_NONE),
	CFG_STR("intent_phrases", "../data/intent", CFGF_NONE),
	CFG_STR("from", NULL, CFGF_NODEFAULT),
	CFG_STR("transport", "maildir", CFGF_NONE),
	CFG_STR("maildir", "../var/sent", CFGF_NONE),
	CFG_STR("base_url", NULL, CFGF_NODEFAULT),
	CFG_STR_LIST("organizers", "{}", CFGF_NONE),
	CFG_STR("organizers_mailbox", NULL, CFGF_NODEFAULT),
	CFG_BOOL("syslog", cfg_true, CFGF_NONE),
	CFG_SEC("smtp", smtp_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_SEC("list", list_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_SEC("dkim", dkim_opts, CFGF_MULTI),
	CFG_SEC("deliveries", deliveries_opts, CFGF_NONE),
	CFG_SEC("limits", limits_opts, CFGF_NONE),
	CFG_SEC("fraud", fraud_opts, CFGF_NONE),
	CFG_SEC("lmtp", lmtp_opts, CFGF_NONE),
	CFG_SEC("bounces", bounces_opts, CFGF_NONE),
	CFG_SEC("queue", queue_opts, CFGF_NONE),
	CFG_SEC("normalize", normalize_opts, CFGF_NONE),
	CFG_SEC("petitions", petitions_opts, CFGF_NONE),
	CFG_END()
};

/* ==== Validation (runs during the parse, so libconfuse reports file:line) ==== */

static int check_one_of(cfg_t *cfg, cfg_opt_t *opt, const char *const *allowed)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	for (int i = 0; allowed[i]; i++)
		if (v && strcmp(v, allowed[i]) == 0)
			return 0;
	cfg_error(cfg, "%s: '%s' is not one of %s%s%s%s%s", opt->name, v ? v : "",
		  allowed[0], allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "",
		  allowed[1] && allowed[2] ? ", " : "", allowed[1] && allowed[2] ? allowed[2] : "");
	return -1;
}

static int v_transport(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const ok[] = { "smtp", "maildir", NULL };
	return check_one_of(cfg, opt, ok);
}

static int v_language(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	char *lang = lang_normalize(v);

	g_free(lang);
	if (lang == NULL) {
		cfg_error(cfg, "%s: '%s' is not a language tag (en, fr...)", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

static int v_starttls(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const ok[] = { "no", "optional", "required", NULL };
	return check_one_of(cfg, opt, ok);
}

static int v_mode(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const ok[] = { "announce", NULL };
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	if (v && strcmp(v, "discussion") == 0) {
		cfg_error(cfg, "%s: discussion lists are not supported yet (only organizers can "
			  "post to a list): use \"announce\"", opt->name);
		return -1;
	}
	return check_one_of(cfg, opt, ok);
}

/* socket_mode - an octal file mode "0660" (at most 0777) as a number, or -1 */
static int socket_mode(const char *v)
{
	char *end = NULL;
	long m;

	if (v == NULL || *v == '\0' || strspn(v, "01234567") != strlen(v))
		return -1;
	m = strtol(v, &end, 8);
	return *end == '\0' && m >= 0 && m <= 0777 ? (int)m : -1;
}

static int v_socket_mode(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	if (socket_mode(v) < 0) {
		cfg_error(cfg, "%s: '%s' is not an octal file mode (as 0660)", opt->name,
			  v ? v : "");
		return -1;
	}
	return 0;
}

static int v_port(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);

	if (v < 1 || v > 65535) {
		cfg_error(cfg, "%s: %ld is not a TCP port", opt->name, v);
		return -1;
	}
	return 0;
}

static int v_positive(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);

	if (v < 1) {
		cfg_error(cfg, "%s: must be at least 1, not %ld", opt->name, v);
		return -1;
	}
	return 0;
}

static int v_nonneg(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);

	if (v < 0) {
		cfg_error(cfg, "%s: must not be negative, not %ld", opt->name, v);
		return -1;
	}
	return 0;
}

static int v_nonneg_float(cfg_t *cfg, cfg_opt_t *opt)
{
	double v = cfg_opt_getnfloat(opt, cfg_opt_size(opt) - 1);

	if (v < 0) {
		cfg_error(cfg, "%s: must not be negative", opt->name);
		return -1;
	}
	return 0;
}

static int v_share(cfg_t *cfg, cfg_opt_t *opt)
{
	double v = cfg_opt_getnfloat(opt, cfg_opt_size(opt) - 1);

	if (!(v > 0 && v <= 1)) {
		cfg_error(cfg, "%s: must be a share above 0 and at most 1", opt->name);
		return -1;
	}
	return 0;
}

static int v_domain(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	if (v == NULL || *v == '\0' || strpbrk(v, "@ \t\r\n<>\"") != NULL) {
		cfg_error(cfg, "%s: '%s' is not a mail domain", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

/* plain_address - local@domain (with a dot in the domain when need_dot), no spaces,
 * brackets, quotes or separators */
static gboolean plain_address(const char *v, gboolean need_dot)
{
	const char *at = v ? strrchr(v, '@') : NULL;

	return at != NULL && at != v && at[1] != '\0' &&
	       (!need_dot || strchr(at + 1, '.') != NULL) && strpbrk(v, " \t\r\n<>\"(),;:") == NULL;
}

/* v_mailbox - a plain address: local@domain, no spaces, brackets or quotes */
static int v_mailbox(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	if (!plain_address(v, TRUE)) {
		cfg_error(cfg, "%s: '%s' is not a plain mail address", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

/* v_mailboxes - every value of a list option is a plain address */
static int v_mailboxes(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *v = cfg_opt_getnstr(opt, i);

		if (!plain_address(v, FALSE)) {
			cfg_error(cfg, "%s: '%s' is not a plain mail address", opt->name, v ? v : "");
			return -1;
		}
	}
	return 0;
}

/* v_from - "Name <local@domain>" or local@domain: the From: of everything sent */
static int v_from(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	const char *lt = v ? strrchr(v, '<') : NULL;
	const char *gt = lt ? strchr(lt, '>') : NULL;
	char *addr = lt ? (gt ? g_strndup(lt + 1, gt - lt - 1) : NULL) : g_strstrip(g_strdup(v));
	gboolean ok = v && addr && strpbrk(v, "\r\n") == NULL && plain_address(addr, FALSE) &&
		      (gt == NULL || gt[strspn(gt + 1, " \t") + 1] == '\0') &&
		      (lt == NULL || memchr(v, '>', lt - v) == NULL);

	g_free(addr);
	if (!ok) {
		cfg_error(cfg, "from: '%s' is not a mailbox: write \"Name <team@your.domain>\" "
			  "or team@your.domain", v ? v : "");
		return -1;
	}
	return 0;
}

/* v_url - base_url: http:// or https:// and a host, nothing that breaks a link */
static int v_url(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	const char *host = v == NULL ? NULL : g_str_has_prefix(v, "https://") ? v + 8 :
			   g_str_has_prefix(v, "http://") ? v + 7 : NULL;

	if (host == NULL || *host == '\0' || *host == '/' || strpbrk(v, " \t\r\n<>\"'") != NULL) {
		cfg_error(cfg, "base_url: '%s' is not a web address: write "
			  "\"https://your.domain\"", v ? v : "");
		return -1;
	}
	return 0;
}

static int v_delimiter(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);

	if (v == NULL || strlen(v) != 1 || strchr("+-=_.", v[0]) == NULL) {
		cfg_error(cfg, "%s: must be one of the characters + - = _ .", opt->name);
		return -1;
	}
	return 0;
}

/* v_selector - a DKIM selector: dot-separated labels of letters, digits and '-' */
static int v_selector(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	gboolean ok = v && *v && *v != '.' && strlen(v) < 64;

	for (const char *p = v; ok && *p; p++)
		ok = g_ascii_isalnum(*p) || *p == '-' || (*p == '.' && p[1] && p[1] != '.');
	if (!ok) {
		cfg_error(cfg, "%s: '%s' is not a DKIM selector", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

/* v_dkim_sec - a dkim section needs its selector and key_file */
static int v_dkim_sec(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);

	if (sec && (cfg_getstr(sec, "selector") == NULL || cfg_getstr(sec, "key_file") == NULL)) {
		cfg_error(cfg, "dkim: a section needs selector and key_file");
		return -1;
	}
	return 0;
}

static void dkim_key_free(gpointer p)
{
	PmDkimKey *k = p;

	g_free(k->domain);
	g_free(k->selector);
	g_free(k->key_file);
	g_free(k);
}

/* Error text from libconfuse, collected instead of printed. */
typedef struct {
	GString *text;
	cfg_t *root;            /* its filename and line track the parse position */
} ErrSink;

static ErrSink *err_sink;  /* set only around cfg_parse in config_load (main thread) */

static void collect_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	if (err_sink == NULL)
		return;
	if (err_sink->text->len)
		g_string_append(err_sink->text, "; ");
	if (err_sink->root && err_sink->root->filename) {
		/* a section being parsed counts its own lines; the root's lag behind */
		int line = cfg && cfg != err_sink->root && cfg->line > 0 ? cfg->line
									  : err_sink->root->line;
		if (line > 0)
			g_string_append_printf(err_sink->text, "%s:%d: ",
					       err_sink->root->filename, line);
	}
	g_string_append_vprintf(err_sink->text, fmt, ap);
}

/* ==== Loading ==== */

/* in_domain - TRUE when addr's domain is domain or one of its subdomains */
static gboolean in_domain(const char *addr, const char *domain)
{
	const char *at = strrchr(addr, '@');
	const char *d = at ? at + 1 : addr;
	gsize dl = strlen(d), cl = strlen(domain);

	return g_ascii_strcasecmp(d, domain) == 0 ||
	       (dl > cl && d[dl - cl - 1] == '.' && g_ascii_strcasecmp(d + dl - cl, domain) == 0);
}

/* config_default_path - $PEERMAIL_CONFIG, ./conf/peermail.conf, then the system file */
char *config_default_path(void)
{
	const char *env = g_getenv("PEERMAIL_CONFIG");

	if (env && *env)
		return g_strdup(env);
	if (access("conf/peermail.conf", F_OK) == 0) {
		/* an installed binary run from a checkout would use its demo database */
		if (access(PEERMAIL_SYSCONFDIR "/peermail/peermail.conf", F_OK) == 0)
			log_warn("warning: reading ./conf/peermail.conf (in the current folder), not "
				 PEERMAIL_SYSCONFDIR "/peermail/peermail.conf: give --config FILE "
				 "or set PEERMAIL_CONFIG to choose");
		return g_strdup("conf/peermail.conf");
	}
	return g_strdup(PEERMAIL_SYSCONFDIR "/peermail/peermail.conf");
}

static char *resolve(const char *dir, const char *p)
{
	if (p == NULL)
		return NULL;
	if (g_path_is_absolute(p))
		return g_strdup(p);
	{
		char *joined = g_build_filename(dir, p, NULL);
		char *canon = g_canonicalize_filename(joined, NULL);
		g_free(joined);
		return canon;
	}
}

static char **str_list(cfg_t *sec, const char *name)
{
	unsigned n = cfg_size(sec, name);
	char **v = g_new0(char *, n + 1);

	for (unsigned i = 0; i < n; i++)
		v[i] = g_ascii_strdown(cfg_getnstr(sec, name, i), -1);
	return v;
}

static void smtp_host_free(gpointer p)
{
	PmSmtpHost *h = p;

	g_free(h->name);
	g_free(h->host);
	g_free(h->user);
	g_free(h->password_file);
	g_free(h->ca_file);
	g_free(h);
}

static void list_conf_free(gpointer p)
{
	PmListConf *l = p;

	g_free(l->name);
	g_free(l->title);
	g_free(l->mode);
	g_strfreev(l->organizers);
	g_free(l);
}

static PmTlsMode tls_mode(const char *s)
{
	if (strcmp(s, "no") == 0)
		return PM_TLS_NO;
	if (strcmp(s, "required") == 0)
		return PM_TLS_REQUIRED;
	return PM_TLS_OPTIONAL;
}

/* config_load - parse, validate and resolve */
PmConfig *config_load(const char *path, GError **error)
{
	char *file = path ? g_strdup(path) : config_default_path();
	char *abs = g_canonicalize_filename(file, NULL);
	ErrSink sink = { g_string_new(NULL), NULL };
	PmConfig *c = NULL;
	cfg_t *cfg;
	int rc;

	if (access(abs, R_OK) != 0) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "cannot read configuration %s: %s",
			    abs, g_strerror(errno));
		goto out;
	}
	cfg = cfg_init(top_opts, CFGF_NONE);
	cfg_set_error_function(cfg, collect_error);
	cfg_set_validate_func(cfg, "domain", v_domain);
	cfg_set_validate_func(cfg, "delimiter", v_delimiter);
	cfg_set_validate_func(cfg, "organizers_mailbox", v_mailbox);
	cfg_set_validate_func(cfg, "organizers", v_mailboxes);
	cfg_set_validate_func(cfg, "list|organizers", v_mailboxes);
	cfg_set_validate_func(cfg, "from", v_from);
	cfg_set_validate_func(cfg, "base_url", v_url);
	cfg_set_validate_func(cfg, "transport", v_transport);
	cfg_set_validate_func(cfg, "language", v_language);
	cfg_set_validate_func(cfg, "smtp|starttls", v_starttls);
	cfg_set_validate_func(cfg, "smtp|port", v_port);
	cfg_set_validate_func(cfg, "smtp|connections", v_positive);
	cfg_set_validate_func(cfg, "smtp|timeout", v_positive);
	cfg_set_validate_func(cfg, "smtp|rate", v_nonneg_float);
	cfg_set_validate_func(cfg, "smtp|rate_per_hour", v_nonneg);
	cfg_set_validate_func(cfg, "list|mode", v_mode);
	cfg_set_validate_func(cfg, "dkim", v_dkim_sec);
	cfg_set_validate_func(cfg, "dkim|selector", v_selector);
	cfg_set_validate_func(cfg, "dkim|domain", v_domain);
	cfg_set_validate_func(cfg, "limits|max_message_size", v_positive);
	cfg_set_validate_func(cfg, "limits|max_responses_per_day", v_nonneg);
	cfg_set_validate_func(cfg, "limits|confirm_days", v_positive);
	cfg_set_validate_func(cfg, "fraud|window", v_positive);
	cfg_set_validate_func(cfg, "fraud|per_address", v_nonneg);
	cfg_set_validate_func(cfg, "fraud|per_domain", v_nonneg);
	cfg_set_validate_func(cfg, "fraud|per_petition", v_nonneg);
	cfg_set_validate_func(cfg, "fraud|trend_share", v_share);
	cfg_set_validate_func(cfg, "fraud|trend_min", v_positive);
	cfg_set_validate_func(cfg, "fraud|trend_window", v_positive);
	cfg_set_validate_func(cfg, "lmtp|max_sessions", v_positive);
	cfg_set_validate_func(cfg, "lmtp|timeout", v_positive);
	cfg_set_validate_func(cfg, "lmtp|socket_mode", v_socket_mode);
	cfg_set_validate_func(cfg, "bounces|disable_score", v_nonneg_float);
	cfg_set_validate_func(cfg, "bounces|window_days", v_positive);
	cfg_set_validate_func(cfg, "deliveries|gzip_above", v_positive);
	cfg_set_validate_func(cfg, "queue|retry_initial", v_positive);
	cfg_set_validate_func(cfg, "queue|max_age", v_positive);
	cfg_set_validate_func(cfg, "queue|batch_size", v_positive);
	cfg_set_validate_func(cfg, "petitions|title_min", v_positive);
	cfg_set_validate_func(cfg, "petitions|title_max", v_positive);
	cfg_set_validate_func(cfg, "petitions|text_min", v_positive);
	cfg_set_validate_func(cfg, "petitions|text_max", v_positive);
	cfg_set_validate_func(cfg, "petitions|open_starts", v_positive);
	cfg_set_validate_func(cfg, "petitions|sponsors", v_nonneg);
	cfg_set_validate_func(cfg, "petitions|backlog_days", v_positive);
	cfg_set_validate_func(cfg, "petitions|update_max", v_positive);
	cfg_set_validate_func(cfg, "petitions|updates_pending", v_positive);

	sink.root = cfg;
	err_sink = &sink;
	rc = cfg_parse(cfg, abs);
	err_sink = NULL;
	if (rc != CFG_SUCCESS) {
		if (sink.text->len == 0)
			g_string_printf(sink.text, "%s: cannot parse", abs);
		g_set_error(error, PM_ERROR, EX_CONFIG, "%s", sink.text->str);
		cfg_free(cfg);
		goto out;
	}

	c = g_new0(PmConfig, 1);
	c->path = g_strdup(abs);
	c->dir = g_path_get_dirname(abs);
	c->domain = g_ascii_strdown(cfg_getstr(cfg, "domain"), -1);
	c->delimiter = g_strdup(cfg_getstr(cfg, "delimiter"));
	c->database = resolve(c->dir, cfg_getstr(cfg, "database"));
	c->secret_file = resolve(c->dir, cfg_getstr(cfg, "secret_file"));
	c->templates = resolve(c->dir, cfg_getstr(cfg, "templates"));
	c->language = lang_normalize(cfg_getstr(cfg, "language"));
	c->intent_phrases = resolve(c->dir, cfg_getstr(cfg, "intent_phrases"));
	c->from = cfg_getstr(cfg, "from") ? g_strdup(cfg_getstr(cfg, "from"))
					    : g_strdup_printf("Campaign Team <team@%s>", c->domain);
	c->transport = g_strdup(cfg_getstr(cfg, "transport"));
	c->maildir = resolve(c->dir, cfg_getstr(cfg, "maildir"));
	c->base_url = g_strdup(cfg_getstr(cfg, "base_url"));
	c->organizers = str_list(cfg, "organizers");
	c->organizers_mailbox = g_strdup(cfg_getstr(cfg, "organizers_mailbox"));
	c->syslog = cfg_getbool(cfg, "syslog");

	c->smtp = g_ptr_array_new_with_free_func(smtp_host_free);
	for (unsigned i = 0; i < cfg_size(cfg, "smtp"); i++) {
		cfg_t *s = cfg_getnsec(cfg, "smtp", i);
		PmSmtpHost *h = g_new0(PmSmtpHost, 1);

		h->name = g_strdup(cfg_title(s));
		h->host = g_strdup(cfg_getstr(s, "host"));
		h->port = (int)cfg_getint(s, "port");
		h->starttls = tls_mode(cfg_getstr(s, "starttls"));
		h->connections = (int)cfg_getint(s, "connections");
		h->rate = cfg_getfloat(s, "rate");
		h->rate_per_hour = (int)cfg_getint(s, "rate_per_hour");
		h->timeout = (int)cfg_getint(s, "timeout");
		h->user = g_strdup(cfg_getstr(s, "user"));
		h->password_file = resolve(c->dir, cfg_getstr(s, "password_file"));
		h->ca_file = resolve(c->dir, cfg_getstr(s, "ca_file"));
		h->tls_verify = cfg_getbool(s, "tls_verify");
		g_ptr_array_add(c->smtp, h);
	}
	if (c->smtp->len == 0) {
		PmSmtpHost *h = g_new0(PmSmtpHost, 1);

		h->name = g_strdup("default");
		h->host = g_strdup("127.0.0.1");
		h->port = 25;
		h->starttls = PM_TLS_OPTIONAL;
		h->connections = 4;
		h->timeout = 60;
		h->tls_verify = TRUE;
		g_ptr_array_add(c->smtp, h);
	}

	c->lists = g_ptr_array_new_with_free_func(list_conf_free);
	for (unsigned i = 0; i < cfg_size(cfg, "list"); i++) {
		cfg_t *s = cfg_getnsec(cfg, "list", i);
		PmListConf *l = g_new0(PmListConf, 1);

		l->name = g_ascii_strdown(cfg_title(s), -1);
		l->title = g_strdup(cfg_getstr(s, "title") ? cfg_getstr(s, "title") : l->name);
		l->mode = g_strdup(cfg_getstr(s, "mode"));
		l->organizers = str_list(s, "organizers");
		g_ptr_array_add(c->lists, l);
	}

	c->dkim = g_ptr_array_new_with_free_func(dkim_key_free);
	for (unsigned i = 0; i < cfg_size(cfg, "dkim"); i++) {
		cfg_t *s = cfg_getnsec(cfg, "dkim", i);
		PmDkimKey *k = g_new0(PmDkimKey, 1);

		k->domain = g_ascii_strdown(cfg_getstr(s, "domain") ? cfg_getstr(s, "domain")
								  : c->domain, -1);
		k->selector = g_strdup(cfg_getstr(s, "selector"));
		k->key_file = resolve(c->dir, cfg_getstr(s, "key_file"));
		g_ptr_array_add(c->dkim, k);
	}

	{
		cfg_t *s = cfg_getsec(cfg, "limits");
		c->max_message_size = cfg_getint(s, "max_message_size");
		c->max_responses_per_day = (int)cfg_getint(s, "max_responses_per_day");
		c->confirm_days = (int)cfg_getint(s, "confirm_days");
		s = cfg_getsec(cfg, "fraud");
		c->fraud.window = (int)cfg_getint(s, "window");
		c->fraud.per_address = (int)cfg_getint(s, "per_address");
		c->fraud.per_domain = (int)cfg_getint(s, "per_domain");
		c->fraud.per_petition = (int)cfg_getint(s, "per_petition");
		c->fraud.trend_share = cfg_getfloat(s, "trend_share");
		c->fraud.trend_min = (int)cfg_getint(s, "trend_min");
		c->fraud.trend_window = (int)cfg_getint(s, "trend_window");
		s = cfg_getsec(cfg, "lmtp");
		c->lmtp_max_sessions = (int)cfg_getint(s, "max_sessions");
		c->lmtp_timeout = (int)cfg_getint(s, "timeout");
		c->lmtp_socket_mode = socket_mode(cfg_getstr(s, "socket_mode"));
		{
			/* "": beside the database (its folder is writable: SQLite needs that);
			 * "off": no local socket, receive always works alone */
			const char *v = cfg_getstr(s, "socket");
			char *dbdir = g_path_get_dirname(c->database);

			c->lmtp_socket = !*v ? g_build_filename(dbdir, "peermail.lmtp", NULL)
				       : strcmp(v, "off") == 0 ? NULL : resolve(c->dir, v);
			g_free(dbdir);
		}
		s = cfg_getsec(cfg, "deliveries");
		c->delivery_gzip_above = cfg_getint(s, "gzip_above");
		s = cfg_getsec(cfg, "bounces");
		c->bounce_disable_score = cfg_getfloat(s, "disable_score");
		c->bounce_window_days = (int)cfg_getint(s, "window_days");
		c->bounce_probe = cfg_getbool(s, "probe");
		s = cfg_getsec(cfg, "queue");
		c->retry_initial = (int)cfg_getint(s, "retry_initial");
		c->retry_max_age = (int)cfg_getint(s, "max_age");
		c->batch_size = (int)cfg_getint(s, "batch_size");
		s = cfg_getsec(cfg, "normalize");
		c->gmail_dots = cfg_getbool(s, "gmail_dots");
		c->strip_tags = cfg_getbool(s, "strip_tags");
		s = cfg_getsec(cfg, "petitions");
		c->start_keyword = g_ascii_strdown(cfg_getstr(s, "start_keyword"), -1);
		c->start_title_min = (int)cfg_getint(s, "title_min");
		c->start_title_max = (int)cfg_getint(s, "title_max");
		c->start_text_min = (int)cfg_getint(s, "text_min");
		c->start_text_max = (int)cfg_getint(s, "text_max");
		c->start_open_max = (int)cfg_getint(s, "open_starts");
		c->start_sponsors = (int)cfg_getint(s, "sponsors");
		c->start_backlog_days = (int)cfg_getint(s, "backlog_days");
		c->update_max = (int)cfg_getint(s, "update_max");
		c->updates_pending = (int)cfg_getint(s, "updates_pending");
		c->start_reasons = g_new0(char *, cfg_size(s, "reasons") + 1);
		for (unsigned i = 0; i < cfg_size(s, "reasons"); i++)
			c->start_reasons[i] = g_ascii_strdown(cfg_getnstr(s, "reasons", i), -1);
	}
	if (c->organizers_mailbox) {
		/* mail forwarded to our own domain would come back to us: a loop */
		if (in_domain(c->organizers_mailbox, c->domain)) {
			g_set_error(error, PM_ERROR, EX_CONFIG, "%s: organizers_mailbox must be a "
				    "real mailbox outside the campaign domain %s", abs, c->domain);
			c = config_free(c);
		}
	}
	cfg_free(cfg);
out:
	g_string_free(sink.text, TRUE);
	g_free(file);
	g_free(abs);
	return c;
}

/* config_free - destroy */
PmConfig *config_free(PmConfig *c)
{
	if (c == NULL)
		return NULL;
	g_free(c->path);
	g_free(c->dir);
	g_free(c->domain);
	g_free(c->delimiter);
	g_free(c->database);
	g_free(c->lmtp_socket);
	g_free(c->secret_file);
	g_free(c->templates);
	g_free(c->language);
	g_free(c->intent_phrases);
	g_free(c->from);
	g_free(c->transport);
	g_free(c->maildir);
	g_free(c->base_url);
	g_free(c->organizers_mailbox);
	g_strfreev(c->organizers);
	g_free(c->start_keyword);
	g_strfreev(c->start_reasons);
	g_ptr_array_unref(c->smtp);
	g_ptr_array_unref(c->lists);
	if (c->dkim)
		g_ptr_array_unref(c->dkim);
	g_free(c);
	return NULL;
}

static const char *tls_name(PmTlsMode m)
{
	return m == PM_TLS_NO ? "no" : m == PM_TLS_REQUIRED ? "required" : "optional";
}

/* config_dump - effective settings; secrets (the secret file's content, passwords) never */
char *config_dump(const PmConfig *c)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "# effective configuration from %s\n", c->path);
	g_string_append_printf(s, "domain = \"%s\"\ndelimiter = \"%s\"\n", c->domain, c->delimiter);
	g_string_append_printf(s, "database = \"%s\"\nsecret_file = \"%s\"\n", c->database,
			       c->secret_file);
	g_string_append_printf(s, "templates = \"%s\"\nfrom = \"%s\"\n", c->templates, c->from);
	g_string_append_printf(s, "language = \"%s\"\n", c->language);
	g_string_append_printf(s, "intent_phrases = \"%s\"\n", c->intent_phrases);
	g_string_append_printf(s, "transport = \"%s\"\nmaildir = \"%s\"\n", c->transport, c->maildir);
	if (c->base_url)
		g_string_append_printf(s, "base_url = \"%s\"\n", c->base_url);
	if (c->organizers_mailbox)
		g_string_append_printf(s, "organizers_mailbox = \"%s\"\n", c->organizers_mailbox);
	g_string_append(s, "organizers = {");
	for (int i = 0; c->organizers[i]; i++)
		g_string_append_printf(s, "%s\"%s\"", i ? ", " : " ", c->organizers[i]);
	g_string_append(s, " }\n");
	g_string_append_printf(s, "syslog = %s\n", c->syslog ? "true" : "false");
	for (guint i = 0; i < c->smtp->len; i++) {
		const PmSmtpHost *h = g_ptr_array_index(c->smtp, i);

		g_string_append_printf(s,
			"smtp \"%s\" { host = \"%s\" port = %d starttls = \"%s\" connections = %d "
			"rate = %g rate_per_hour = %d timeout = %d%s%s%s%s }\n",
			h->name, h->host, h->port, tls_name(h->starttls), h->connections, h->rate,
			h->rate_per_hour, h->timeout, h->user ? " user = \"" : "",
			h->user ? h->user : "", h->user ? "\"" : "",
			h->password_file ? " password_file = (set)" : "");
	}
	for (guint i = 0; i < c->lists->len; i++) {
		const PmListConf *l = g_ptr_array_index(c->lists, i);

		g_string_append_printf(s, "list \"%s\" { title = \"%s\" mode = \"%s\" organizers = {",
				       l->name, l->title, l->mode);
		for (int j = 0; l->organizers[j]; j++)
			g_string_append_printf(s, "%s\"%s\"", j ? ", " : " ", l->organizers[j]);
		g_string_append(s, " } }\n");
	}
	for (guint i = 0; i < c->dkim->len; i++) {
		const PmDkimKey *k = g_ptr_array_index(c->dkim, i);

		g_string_append_printf(s, "dkim { domain = \"%s\" selector = \"%s\" "
				       "key_file = \"%s\" }\n", k->domain, k->selector, k->key_file);
	}
	g_string_append_printf(s,
		"limits { max_message_size = %" G_GINT64_FORMAT " max_responses_per_day = %d "
		"confirm_days = %d }\n", c->max_message_size, c->max_responses_per_day,
		c->confirm_days);
	g_string_append_printf(s, "fraud { window = %d per_address = %d per_domain = %d "
			       "per_petition = %d trend_share = %g trend_min = %d trend_window = "
			       "%d }\n", c->fraud.window, c->fraud.per_address, c->fraud.per_domain,
			       c->fraud.per_petition, c->fraud.trend_share, c->fraud.trend_min,
			       c->fraud.trend_window);
	g_string_append_printf(s, "lmtp { max_sessions = %d timeout = %d socket = \"%s\" "
			       "socket_mode = \"%04o\" }\n", c->lmtp_max_sessions, c->lmtp_timeout,
			       c->lmtp_socket ? c->lmtp_socket : "off",
			       (unsigned)c->lmtp_socket_mode);
	g_string_append_printf(s, "deliveries { gzip_above = %" G_GINT64_FORMAT " }\n",
			       c->delivery_gzip_above);
	g_string_append_printf(s, "bounces { disable_score = %g window_days = %d probe = %s }\n",
			       c->bounce_disable_score, c->bounce_window_days,
			       c->bounce_probe ? "true" : "false");
	g_string_append_printf(s, "queue { retry_initial = %d max_age = %d batch_size = %d }\n",
			       c->retry_initial, c->retry_max_age, c->batch_size);
	g_string_append_printf(s, "normalize { gmail_dots = %s strip_tags = %s }\n",
			       c->gmail_dots ? "true" : "false", c->strip_tags ? "true" : "false");
	g_string_append_printf(s, "petitions { start_keyword = \"%s\" title_min = %d title_max = %d "
			       "text_min = %d text_max = %d open_starts = %d sponsors = %d "
			       "backlog_days = %d update_max = %d updates_pending = %d reasons = {",
			       c->start_keyword, c->start_title_min,
			       c->start_title_max, c->start_text_min, c->start_text_max,
			       c->start_open_max, c->start_sponsors, c->start_backlog_days,
			       c->update_max, c->updates_pending);
	for (int i = 0; c->start_reasons[i]; i++)
		g_string_append_printf(s, "%s\"%s\"", i ? ", " : " ", c->start_reasons[i]);
	g_string_append(s, " } }\n");
	return g_string_free(s, FALSE);
}

/* placeholder - TRUE when addr (an address or a domain) is on a domain no one receives
 * mail for: the shipped examples and reserved names (RFC 2606, RFC 6761) */
static gboolean placeholder(const char *addr)
{
	static const char *const reserved[] = { "example.org", "example.com", "example.net",
						"example", "test", "invalid", "localhost", NULL };
	const char *at = addr ? strrchr(addr, '@') : NULL;
	const char *d = at ? at + 1 : addr;
	gsize n;

	if (d == NULL || *d == '\0')
		return TRUE;
	n = strlen(d);
	for (int i = 0; reserved[i]; i++) {
		gsize r = strlen(reserved[i]);

		if (g_ascii_strcasecmp(d, reserved[i]) == 0 ||
		    (n > r && d[n - r - 1] == '.' && g_ascii_strcasecmp(d + n - r, reserved[i]) == 0))
			return TRUE;
	}
	return FALSE;
}

/* any_real - TRUE when some address of list is not a placeholder */
static gboolean any_real(char **list)
{
	for (int i = 0; list && list[i]; i++)
		if (!placeholder(list[i]))
			return TRUE;
	return FALSE;
}

/* config_missing - the production settings still to fill in */
GPtrArray *config_missing(const PmConfig *c)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char *from = config_from_address(c);
	gboolean organizers = any_real(c->organizers);

	for (guint i = 0; !organizers && i < c->lists->len; i++)
		organizers = any_real(((const PmListConf *)g_ptr_array_index(c->lists, i))->organizers);
	if (placeholder(c->domain))
		g_ptr_array_add(out, g_strdup_printf("domain: \"%s\" is a placeholder: the mail "
			"domain peermail answers for (its MX points at this host)", c->domain));
	if (placeholder(from))
		g_ptr_array_add(out, g_strdup_printf("from: %s is a placeholder: the From: of "
			"everything sent, a mailbox on your domain that reaches the organizers",
			from ? from : "(none)"));
	if (!organizers)
		g_ptr_array_add(out, g_strdup("organizers: none with a real address: who moderates "
			"stories, confirms broadcasts and hears of replies and failures"));
	if (g_strcmp0(c->transport, "maildir") == 0)
		g_ptr_array_add(out, g_strdup("transport: \"maildir\" only writes a Maildir: set "
			"\"smtp\" to send through the local MTA (smtp \"main\" { host = "
			"\"127.0.0.1\" port = 25 }, the default)"));
	if (!g_file_test(c->secret_file, G_FILE_TEST_EXISTS))
		g_ptr_array_add(out, g_strdup_printf("secret_file: %s does not exist yet: run "
			"peermail init", c->secret_file));
	if (c->base_url == NULL)
		g_ptr_array_add(out, g_strdup("base_url: not set: needed for peermail web (or run "
			"--http): petition pages and the one-click unsubscribe links that Gmail and "
			"Yahoo require of bulk senders"));
	g_free(from);
	return out;
}

/* config_warnings - settings that work only with a particular MTA setup */
GPtrArray *config_warnings(const PmConfig *c)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i <= c->lists->len; i++) {
		char **o = i == 0 ? c->organizers :
			   ((const PmListConf *)g_ptr_array_index(c->lists, i - 1))->organizers;

		for (int j = 0; o && o[j]; j++)
			if (!placeholder(o[j]) && in_domain(o[j], c->domain))
				g_ptr_array_add(out, g_strdup_printf("organizers: %s is on the campaign "
					"domain: unless the MTA delivers it to a mailbox (a domain shared "
					"with people's mailboxes), notices to it come back to peermail and "
					"bounce", o[j]));
	}
	return out;
}

/* config_list - a configured list by name */
const PmListConf *config_list(const PmConfig *c, const char *name)
{
	for (guint i = 0; i < c->lists->len; i++) {
		const PmListConf *l = g_ptr_array_index(c->lists, i);

		if (g_ascii_strcasecmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

/* config_from_address - the addr-spec of cfg->from */
char *config_from_address(const PmConfig *c)
{
	const char *lt = strrchr(c->from, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;

	if (lt && gt)
		return g_ascii_strdown(lt + 1, gt - lt - 1);
	{
		char *copy = g_strstrip(g_strdup(c->from));
		char *low = g_ascii_strdown(copy, -1);

		g_free(copy);
		return low;
	}
}
