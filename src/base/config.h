/*
 * config.h - peermail's configuration: the libconfuse schema, defaults and validation.
 *
 * Owns: reading the file once (in main, before any thread), resolving relative paths
 * against the config file's folder, and checking values. Errors name file:line and carry
 * EX_CONFIG. The loaded PmConfig is read-only afterwards.
 *
 * THREADS: loaded once in main before any thread starts, read-only afterwards: any
 * thread may read a loaded PmConfig; config_load itself is main-thread only.
 */
#ifndef PM_CONFIG_H
#define PM_CONFIG_H

#include <glib.h>

typedef enum { PM_TLS_NO, PM_TLS_OPTIONAL, PM_TLS_REQUIRED } PmTlsMode;

typedef struct {
	char *name;             /* section title */
	char *host;
	int port;
	PmTlsMode starttls;
	int connections;        /* parallel sessions */
	double rate;            /* messages per second, 0 = unlimited */
	int rate_per_hour;      /* 0 = unlimited */
	int timeout;            /* seconds per SMTP command */
	char *user;             /* AUTH user, NULL for none */
	char *password_file;    /* absolute; the password itself is read when needed, never logged */
	char *ca_file;          /* absolute; NULL uses the system store */
	gboolean tls_verify;
} PmSmtpHost;

typedef struct {
	char *name;
	char *title;
	char *mode;             /* "announce" or "discussion" */
	char **organizers;      /* NULL-terminated */
} PmListConf;

/* One DKIM signing key (a `dkim { }` section): every message gets one signature per key. */
typedef struct {
	char *domain;           /* d=; the mail domain by default */
	char *selector;         /* s= */
	char *key_file;         /* absolute; PEM, RSA (rsa-sha256) or Ed25519 (ed25519-sha256) */
} PmDkimKey;

typedef struct {
	char *path;             /* absolute path of the file read */
	char *dir;              /* its folder */

	char *domain;
	char *delimiter;        /* "+" */
	char *database;         /* absolute */
	char *secret_file;      /* absolute */
	char *templates;        /* absolute: one folder per language (en/, fr/...) */
	char *language;         /* the default language of members without one ("en") */
	char *intent_phrases;   /* absolute: the reply-intent phrase files (mail/intent.h) */
	char *from;             /* "Name <addr>" */
	char *transport;        /* "smtp" or "maildir" */
	char *maildir;          /* absolute */
	char *base_url;         /* for one-click unsubscribe; NULL if unset */
	char **organizers;      /* global organizer addresses, NULL-terminated */
	char *organizers_mailbox; /* where mail for people (team@, postmaster@, abuse@, owner
				   * addresses) is forwarded; outside domain; NULL if unset */
	gboolean syslog;

	GPtrArray *smtp;        /* PmSmtpHost*, in failover order */
	GPtrArray *lists;       /* PmListConf* */
	GPtrArray *dkim;        /* PmDkimKey*, empty when nothing is signed */

	gint64 max_message_size;
	int max_responses_per_day;  /* automatic responses per address per day */
	int confirm_days;           /* confirmation tokens expire after this many days */

	struct {                    /* against fraud (model/fraud.h) */
		int window;             /* seconds the signing limits count over */
		int per_address;        /* signatures by writing per address (0: no limit) */
		int per_domain;         /* per sender domain and petition (0: no limit) */
		int per_petition;       /* per petition (0: no limit) */
		double trend_share;     /* a domain's or source's share that is unusual */
		int trend_min;          /* and the fewest signatures it takes */
		int trend_window;       /* seconds the share is measured over */
	} fraud;
	int lmtp_max_sessions;      /* concurrent LMTP sessions; more get 421 */
	int lmtp_timeout;           /* seconds of silence before an LMTP session is dropped */
	char *lmtp_socket;          /* absolute: the daemon's local LMTP socket, which
				     * `receive` hands messages to (default: beside the
				     * database); NULL when "off" */
	int lmtp_socket_mode;       /* the mode of the unix sockets `run` listens on (LMTP),
				     * set after bind (0660: the daemon's user and group) */

	gint64 delivery_gzip_above; /* a delivery's CSV larger than this is attached gzip'd */

	double bounce_disable_score;
	int bounce_window_days;
	gboolean bounce_probe;

	int retry_initial;          /* seconds before the first retry */
	int retry_max_age;          /* seconds after which a deferred message fails */
	int batch_size;             /* outbox rows claimed at once */

	gboolean gmail_dots;        /* normalize gmail.com dots */
	gboolean strip_tags;        /* drop +tag from members' addresses */
	/* petitions started by mail (`petitions { }`, docs/petitions.md) */
	char *start_keyword;        /* local part members write to: "start" */
	int start_title_min, start_title_max;  /* characters */
	int start_text_min, start_text_max;    /* characters */
	int start_open_max;         /* a person's starts not yet decided */
	int start_sponsors;         /* sponsors before moderation */
	int start_backlog_days;     /* creators are told of a delay after this many days */
	char **start_reasons;       /* rejection reason codes, lower-case, NULL-terminated */
	int update_max;             /* characters of a creator's update (its body) */
	int updates_pending;        /* a petition's updates waiting for an organizer */
} PmConfig;

/*
 * config_load - read and validate path (NULL: $PEERMAIL_CONFIG, ./conf/peermail.conf,
 * then the system config). Returns a new PmConfig or NULL with error (EX_CONFIG or
 * EX_NOINPUT style message naming the file and line).
 */
PmConfig *config_load(const char *path, GError **error);

/* config_free - destroy a configuration; returns NULL */
PmConfig *config_free(PmConfig *cfg);

/* config_default_path - the path config_load(NULL) would read; caller frees */
char *config_default_path(void);

/* config_dump - the effective settings as text, secrets left out; caller frees */
char *config_dump(const PmConfig *cfg);

/*
 * config_missing - what production still needs, one line per setting ("domain: ..."):
 * domain, from and organizers still unset or on a placeholder domain (example.org/.com/
 * .net, .test, .invalid, localhost), transport "maildir", no secret file yet, no
 * base_url (the web pages and one-click unsubscribe).
 * An empty array when nothing is missing; caller unrefs.
 */
GPtrArray *config_missing(const PmConfig *cfg);

/* config_warnings - settings that work only with a particular MTA setup, one line each;
 * caller unrefs */
GPtrArray *config_warnings(const PmConfig *cfg);

/* config_list - the configured list named name, or NULL */
const PmListConf *config_list(const PmConfig *cfg, const char *name);

/* config_from_address - the bare address of cfg->from; caller frees */
char *config_from_address(const PmConfig *cfg);

#endif
