/*
 * compose.c - building the MIME messages peermail sends, with GMime.
 *
 * Owns: reading message templates (NAME.txt: a Subject: header, a blank line, the body;
 * NAME.html: an optional HTML alternative; partials are DIR/NAME.mustache) from the
 * recipient's language folder with its fallbacks (LangDirs below), a parsed
 * template cache shared by all threads (GMutex; an entry is revalidated by stat at most
 * once a second, so a running daemon picks up edited templates), rendering them over the caller's data
 * plus defaults (compose_defaults), and assembling the message:
 * headers, transfer encodings, alternatives, attachments, CRLF output.
 * Not: the envelope or sending (outbox, smtp), nor what data a message gets (callers).
 *
 * Header safety: every value that reaches a header passes compose_header_value() (C0/C1
 * controls, DEL and Unicode line separators become spaces) and every address must be a
 * plain ASCII addr-spec (address_is_valid, address.h), or the message is refused (EX_DATAERR).
 * Headers are RFC 2047-encoded and folded by GMime's functions.
 *
 * Two writers, one output: a message without attachments (every newsletter copy, every
 * response) is written directly into one buffer with GMime's header encoders, folding
 * functions and transfer encoders (write_direct); the rest goes through a GMime object
 * tree (build). Both give the same bytes but for Date, Message-ID and the boundary
 * (tests/test_compose.c compares them; compose_message_general forces the tree). The
 * multipart boundary comes from GLib's generator (GMime would read /dev/urandom for it).
 *
 * DIAGNOSTICS: EX_CONFIG for a missing or broken template ("PATH:LINE: ..."), EX_DATAERR
 * for bad addresses or URLs in the options. GMime objects live only inside one call.
 */
#include <gmime/gmime.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <string.h>
#include "mail/address.h"
#include "mail/compose.h"
#include "base/lang.h"
#include "base/pm.h"
#include "mail/template.h"

/* ==== Header values and addresses ==== */

/* compose_header_value - controls and line separators folded to single spaces, trimmed */
char *compose_header_value(const char *v)
{
	char *valid = g_utf8_make_valid(v ? v : "", -1);
	GString *s = g_string_sized_new(strlen(valid));
	gboolean space = FALSE;

	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 ||
		    c == 0x2029 || c == ' ') {
			space = TRUE;
			continue;
		}
		if (space && s->len)
			g_string_append_c(s, ' ');
		space = FALSE;
		g_string_append_len(s, p, g_utf8_next_char(p) - p);
	}
	g_free(valid);
	return g_string_free(s, FALSE);
}

/* check_addr - EX_DATAERR unless a is a valid addr-spec */
static gboolean check_addr(const char *what, const char *a, GError **error)
{
	if (address_is_valid(a))
		return TRUE;
	{
		char *shown = compose_header_value(a);

		g_set_error(error, PM_ERROR, EX_DATAERR, "%s '%s' is not a valid address", what,
			    shown);
		g_free(shown);
	}
	return FALSE;
}

/* url_ok - an http(s) URL with no spaces, controls, non-ASCII or angle brackets */
static gboolean url_ok(const char *u)
{
	if (!g_str_has_prefix(u, "https://") && !g_str_has_prefix(u, "http://"))
		return FALSE;
	for (const char *p = u; *p; p++)
		if ((guchar)*p <= 0x20 || (guchar)*p >= 0x7f || *p == '<' || *p == '>' || *p == '"')
			return FALSE;
	return strlen(u) < 900;
}

/* msgid_ok - a Message-ID without its brackets: printable ASCII, no spaces or brackets */
static gboolean msgid_ok(const char *id)
{
	if (*id == '\0' || strlen(id) > 900)
		return FALSE;
	for (const char *p = id; *p; p++)
		if ((guchar)*p <= 0x20 || (guchar)*p >= 0x7f || *p == '<' || *p == '>')
			return FALSE;
	return TRUE;
}

/* ==== Template cache ==== */

/* A file as last read: its stat signature and what was parsed from it. */
typedef struct {
	gint64 checked;      /* monotonic time of the last stat */
	gboolean absent;     /* the file did not exist then */
	gint64 mtime_ns;
	goffset size;
	guint64 ino;
	char *text;          /* partials: the source */
	GHashTable *trees;   /* partials: indentation -> Template*, parsed when first used */
	Template *subject;   /* .txt: the Subject: value (NULL if none) */
	Template *body;      /* .txt and .html: the body */
} CacheEntry;

typedef enum { KIND_MESSAGE, KIND_HTML, KIND_PARTIAL } FileKind;

/* A cached file is stat()ed again at most this often (edits show within a second). */
#define CACHE_RECHECK_US G_USEC_PER_SEC

static GMutex cache_lock;
static GHashTable *cache;    /* absolute path -> CacheEntry*; guarded by cache_lock */

/*
 * What depends only on the configuration, made once per (domain, from) and shared: the
 * sealed (immutable) defaults node and the From display name. Guarded by cache_lock.
 */
static char *shared_key;
static JsonNode *shared_defaults;
static char *shared_from_name;

/* entry_free - destroy a cache entry */
static void entry_free(gpointer p)
{
	CacheEntry *e = p;

	g_free(e->text);
	if (e->trees)
		g_hash_table_unref(e->trees);
	template_unref(e->subject);
	template_unref(e->body);
	g_free(e);
}

/* compose_cache_clear - forget every cached template (tests, reloads) */
void compose_cache_clear(void)
{
	g_mutex_lock(&cache_lock);
	if (cache)
		g_hash_table_unref(cache);
	cache = NULL;
	if (shared_defaults)
		json_node_unref(shared_defaults);
	shared_defaults = NULL;
	g_free(shared_key);
	g_free(shared_from_name);
	shared_key = shared_from_name = NULL;
	g_mutex_unlock(&cache_lock);
}

/* reline - "line N: msg" from the template parser, as "path:N+offset: msg" */
static void reline(GError **error, GError *e, const char *path, int offset)
{
	int line = 0, used = 0;

	if (sscanf(e->message, "line %d: %n", &line, &used) == 1 && used > 0)
		g_set_error(error, PM_ERROR, EX_CONFIG, "%s:%d: %s", path, line + offset,
			    e->message + used);
	else
		g_set_error(error, PM_ERROR, EX_CONFIG, "%s: %s", path, e->message);
	g_error_free(e);
}

/*
 * parse_message - split a NAME.txt source into its Subject: and body templates. Header
 * lines are "Name: value" with continuation lines; only Subject is read from templates.
 */
static gboolean parse_message(const char *path, const char *text, CacheEntry *ent,
			      GError **error)
{
	char **lines = g_strsplit(text, "\n", -1);
	GString *subject = NULL;
	gboolean ok = TRUE, in_subject = FALSE;
	int i;
	GError *e = NULL;

	for (i = 0; ok && lines[i] && *lines[i]; i++) {
		const char *l = lines[i], *colon = strchr(l, ':');

		if (*l == ' ' || *l == '\t') {
			if (!in_subject) {
				g_set_error(error, PM_ERROR, EX_CONFIG,
					    "%s:%d: continuation line without a header", path, i + 1);
				ok = FALSE;
			} else {
				g_string_append(subject, l);
			}
			continue;
		}
		if (colon == NULL || colon == l || strcspn(l, " \t") < (size_t)(colon - l)) {
			g_set_error(error, PM_ERROR, EX_CONFIG,
				    "%s:%d: expected 'Subject: ...' header lines, a blank line, then the body",
				    path, i + 1);
			ok = FALSE;
		} else if (g_ascii_strncasecmp(l, "Subject", (gsize)(colon - l)) != 0 ||
			   colon - l != 7) {
			g_set_error(error, PM_ERROR, EX_CONFIG,
				    "%s:%d: header '%.*s' is not allowed in a template (only Subject:)",
				    path, i + 1, (int)(colon - l), l);
			ok = FALSE;
		} else if (subject) {
			g_set_error(error, PM_ERROR, EX_CONFIG, "%s:%d: a second Subject:", path, i + 1);
			ok = FALSE;
		} else {
			subject = g_string_new(colon + 1);
			in_subject = TRUE;
		}
	}
	if (ok && (lines[i] == NULL || lines[i + 1] == NULL)) {
		g_set_error(error, PM_ERROR, EX_CONFIG,
			    "%s: no blank line between the headers and the body", path);
		ok = FALSE;
	}
	if (ok && subject && (ent->subject = template_parse(subject->str, &e)) == NULL) {
		reline(error, e, path, 0);
		ok = FALSE;
	}
	if (ok) {
		char *body = g_strjoinv("\n", lines + i + 1);

		if ((ent->body = template_parse(body, &e)) == NULL) {
			reline(error, e, path, i + 1);
			ok = FALSE;
		}
		g_free(body);
	}
	if (subject)
		g_string_free(subject, TRUE);
	g_strfreev(lines);
	return ok;
}

/* load_entry - read and parse path (st is its stat); NULL with an EX_CONFIG error */
static CacheEntry *load_entry(const char *path, FileKind kind, const GStatBuf *st,
			      GError **error)
{
	CacheEntry *ent = g_new0(CacheEntry, 1);
	char *raw = NULL, *text;
	gsize len;
	GError *e = NULL;
	gboolean ok = TRUE;

	if (!g_file_get_contents(path, &raw, &len, &e)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "cannot read template %s: %s", path,
			    e->message);
		g_error_free(e);
		g_free(ent);
		return NULL;
	}
	if (!g_utf8_validate_len(raw, len, NULL)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "template %s is not valid UTF-8", path);
		g_free(raw);
		g_free(ent);
		return NULL;
	}
	text = raw;   /* CRLF or CR sources render with LF; the output gets CRLF */
	for (char *r = text, *w = text; ; r++) {
		if (*r == '\r' && r[1] == '\n')
			continue;
		*w++ = *r == '\r' ? '\n' : *r;
		if (*r == '\0')
			break;
	}
	ent->mtime_ns = (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	ent->size = st->st_size;
	ent->ino = st->st_ino;
	if (kind == KIND_MESSAGE) {
		ok = parse_message(path, text, ent, error);
	} else if (kind == KIND_HTML) {
		if ((ent->body = template_parse(text, &e)) == NULL) {
			reline(error, e, path, 0);
			ok = FALSE;
		}
	} else {
		ent->text = text;
		text = NULL;
	}
	g_free(text);
	if (!ok) {
		entry_free(ent);
		return NULL;
	}
	return ent;
}

/* unref_tree - GDestroyNotify for parsed partials */
static void unref_tree(gpointer t)
{
	template_unref(t);
}

/* partial_tree - ent's partial parsed with indent (cached in ent); under cache_lock */
static Template *partial_tree(const char *path, CacheEntry *ent, const char *indent,
			      GError **error)
{
	Template *t;
	GError *e = NULL;

	if (ent->trees == NULL)
		ent->trees = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unref_tree);
	if ((t = g_hash_table_lookup(ent->trees, indent)) != NULL)
		return template_ref(t);
	if ((t = template_parse_partial(ent->text, indent, &e)) == NULL) {
		reline(error, e, path, 0);
		return NULL;
	}
	g_hash_table_insert(ent->trees, g_strdup(indent), t);
	return template_ref(t);
}

/*
 * cache_get - the current parse of path, taken out under the lock: *subject, *body and
 * *partial (a partial parsed with indent) get new references. FALSE with *absent set if
 * the file does not exist, FALSE with error if it cannot be read or parsed.
 */
static gboolean cache_get(const char *path, FileKind kind, Template **subject, Template **body,
			  const char *indent, Template **partial, gboolean *absent,
			  GError **error)
{
	GStatBuf st;
	CacheEntry *ent;
	gint64 mtime_ns, now;

	*absent = FALSE;
	now = g_get_monotonic_time();
	g_mutex_lock(&cache_lock);
	if (cache == NULL)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	ent = g_hash_table_lookup(cache, path);
	if (ent && now - ent->checked < CACHE_RECHECK_US)
		goto found;
	g_mutex_unlock(&cache_lock);
	/* stat outside the lock: other threads keep using the cache meanwhile */
	if (g_stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_mutex_lock(&cache_lock);
		ent = g_new0(CacheEntry, 1);
		ent->absent = TRUE;
		g_hash_table_replace(cache, g_strdup(path), ent);
		goto checked;
	}
	mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	g_mutex_lock(&cache_lock);
	ent = g_hash_table_lookup(cache, path);
	if (ent == NULL || ent->absent || ent->mtime_ns != mtime_ns || ent->size != st.st_size ||
	    ent->ino != (guint64)st.st_ino) {
		/* Parsing under the lock keeps one parse per change; templates are small. */
		ent = load_entry(path, kind, &st, error);
		if (ent == NULL) {
			g_hash_table_remove(cache, path);
			g_mutex_unlock(&cache_lock);
			return FALSE;
		}
		g_hash_table_replace(cache, g_strdup(path), ent);
	}
checked:
	ent->checked = now;
found:
	if (ent->absent) {
		g_mutex_unlock(&cache_lock);
		*absent = TRUE;
		return FALSE;
	}
	if (subject)
		*subject = ent->subject ? template_ref(ent->subject) : NULL;
	if (body)
		*body = ent->body ? template_ref(ent->body) : NULL;
	if (partial && (*partial = partial_tree(path, ent, indent, error)) == NULL) {
		g_mutex_unlock(&cache_lock);
		return FALSE;
	}
	g_mutex_unlock(&cache_lock);
	return TRUE;
}

/*
 * Where a message's templates are looked for, first found wins: TEMPLATES/LANG (the
 * member's language), TEMPLATES/DEFAULT (the `language` setting), TEMPLATES/en, then
 * TEMPLATES itself (a folder without language folders). Partials follow the same order
 * from the folder the message's template came from.
 */
#define LANG_DIRS 4
typedef struct {
	char *dir[LANG_DIRS];
	int n;
} LangDirs;

/* lang_dirs_add - append templates/sub (sub NULL: templates) unless already there */
static void lang_dirs_add(LangDirs *d, const char *templates, const char *sub)
{
	char *path = sub ? g_build_filename(templates, sub, NULL) : g_strdup(templates);

	for (int i = 0; i < d->n; i++)
		if (strcmp(d->dir[i], path) == 0) {
			g_free(path);
			return;
		}
	d->dir[d->n++] = path;
}

/* lang_dirs_init - the folders for a member whose language is lang (NULL: the default) */
static void lang_dirs_init(LangDirs *d, const PmConfig *cfg, const char *lang)
{
	d->n = 0;
	if (compose_has_language(cfg, lang))
		lang_dirs_add(d, cfg->templates, lang);
	if (cfg->language)
		lang_dirs_add(d, cfg->templates, cfg->language);
	lang_dirs_add(d, cfg->templates, "en");
	lang_dirs_add(d, cfg->templates, NULL);
}

/* lang_dirs_clear - free the folder names */
static void lang_dirs_clear(LangDirs *d)
{
	for (int i = 0; i < d->n; i++)
		g_free(d->dir[i]);
	d->n = 0;
}

/* cached_partial - TemplatePartialTreeFn over the cache: the first DIR/NAME.mustache of the
 * folders (user = LangDirs) */
static Template *cached_partial(const char *name, const char *indent, gpointer dirs,
				GError **error)
{
	const LangDirs *d = dirs;
	char *file;
	Template *t = NULL;
	gboolean absent = TRUE;

	if (*name == '\0' || *name == '.' || strchr(name, '/') || strchr(name, '\\'))
		return NULL;
	file = g_strconcat(name, ".mustache", NULL);
	for (int i = 0; i < d->n && t == NULL && absent; i++) {
		char *path = g_build_filename(d->dir[i], file, NULL);

		cache_get(path, KIND_PARTIAL, NULL, NULL, indent, &t, &absent, error);
		g_free(path);
	}
	g_free(file);
	return t;
}

/* compose_has_language - a templates folder for lang */
gboolean compose_has_language(const PmConfig *cfg, const char *lang)
{
	char *tag = lang_normalize(lang), *dir;
	gboolean yes = FALSE;

	/* a language is its primary subtag ("fr"), never a path nor another folder's name */
	if (tag && strcmp(tag, lang) == 0) {
		dir = g_build_filename(cfg->templates, lang, NULL);
		yes = g_file_test(dir, G_FILE_TEST_IS_DIR);
		g_free(dir);
	}
	g_free(tag);
	return yes;
}

/* by_name - GCompareFunc over a GPtrArray of strings */
static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* compose_languages - the language folders, sorted, comma-separated */
char *compose_languages(const PmConfig *cfg)
{
	GDir *dir = g_dir_open(cfg->templates, 0, NULL);
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	GString *out = g_string_new(NULL);

	while (dir && (n = g_dir_read_name(dir)) != NULL)
		if (compose_has_language(cfg, n))
			g_ptr_array_add(all, g_strdup(n));
	if (dir)
		g_dir_close(dir);
	g_ptr_array_sort(all, by_name);
	for (guint i = 0; i < all->len; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", (char *)all->pdata[i]);
	g_ptr_array_unref(all);
	return g_string_free(out, FALSE);
}

/* ==== Rendering ==== */

typedef struct {
	char *from_name; /* the From display name, or NULL */
	char *subject;   /* folded, or NULL */
	char *text;
	char *html;      /* or NULL */
} Rendered;

/* rendered_clear - free the rendered strings */
static void rendered_clear(Rendered *r)
{
	g_free(r->from_name);
	g_free(r->subject);
	g_free(r->text);
	g_free(r->html);
}

/* name_ok - a template or list name: letters, digits, '_', '-' (and '.' if dots) */
static gboolean name_ok(const char *name, gboolean dots)
{
	if (name == NULL || *name == '\0' || *name == '.' || strlen(name) > 100)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && !(dots && *p == '.'))
			return FALSE;
	return TRUE;
}

/* from_name - the display name of cfg->from, folded, or NULL; caller frees */
static char *from_name(const PmConfig *cfg)
{
	InternetAddressList *l = internet_address_list_parse(NULL, cfg->from);
	const char *name = NULL;
	char *folded = NULL;

	if (l && internet_address_list_length(l) > 0)
		name = internet_address_get_name(internet_address_list_get_address(l, 0));
	if (name && *name)
		folded = compose_header_value(name);
	if (l)
		g_object_unref(l);
	if (folded && *folded == '\0')
		folded = (g_free(folded), NULL);
	return folded;
}

/* compose_defaults - the names compose adds under the caller's data; caller unrefs */
JsonNode *compose_defaults(const PmConfig *cfg)
{
	JsonObject *o = json_object_new();
	char *owner = config_from_address(cfg);
	char *help = g_strconcat("help@", cfg->domain, NULL);
	char *name = from_name(cfg);

	json_object_set_string_member(o, "domain", cfg->domain);
	json_object_set_string_member(o, "from", cfg->from);
	json_object_set_string_member(o, "from_name", name ? name : owner);
	json_object_set_string_member(o, "owner_address", owner);
	json_object_set_string_member(o, "help_address", help);
	g_free(name);
	g_free(help);
	g_free(owner);
	return json_node_init_object(json_node_alloc(), o);
}

/* shared_get - a reference to the defaults and a copy of the From name for cfg */
static JsonNode *shared_get(const PmConfig *cfg, char **name)
{
	char *key = g_strconcat(cfg->domain, "\n", cfg->from, NULL);
	JsonNode *d;

	g_mutex_lock(&cache_lock);
	if (shared_key == NULL || strcmp(shared_key, key) != 0) {
		g_free(shared_key);
		g_free(shared_from_name);
		if (shared_defaults)
			json_node_unref(shared_defaults);
		shared_key = key;
		key = NULL;
		shared_defaults = compose_defaults(cfg);
		json_node_seal(shared_defaults);
		shared_from_name = from_name(cfg);
	}
	d = json_node_ref(shared_defaults);
	*name = g_strdup(shared_from_name);
	g_mutex_unlock(&cache_lock);
	g_free(key);
	return d;
}

/* expand - render t for compose (partials from dirs); errors become EX_CONFIG naming path */
static gboolean expand(const char *path, Template *t, JsonNode *const *ctx, int n,
		       gboolean html, const LangDirs *dirs, char **out, GError **error)
{
	GError *e = NULL;

	*out = template_expand_trees(t, ctx, n, html, cached_partial, (gpointer)dirs, &e);
	if (*out == NULL) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "%s: %s", path, e->message);
		g_error_free(e);
		return FALSE;
	}
	return TRUE;
}

/*
 * render_all - subject, text and (if NAME.html exists beside it) HTML of template name in
 * the first of the language folders that has NAME.txt; *used gets "LANG/NAME" (or NAME
 * for the top folder), the caller frees it
 */
static gboolean render_all(const PmConfig *cfg, const char *name, const char *lang,
			   JsonNode *data, Rendered *r, char **used, GError **error)
{
	LangDirs all, dirs = { { NULL }, 0 };
	char *txt = NULL, *htm = NULL;
	Template *subject = NULL, *body = NULL, *hbody = NULL;
	JsonNode *defaults = shared_get(cfg, &r->from_name);
	JsonNode *ctx[2] = { defaults, data };
	int n = data ? 2 : 1;
	gboolean absent = TRUE, ok = FALSE;

	lang_dirs_init(&all, cfg, lang);
	for (int i = 0; i < all.n && absent; i++) {
		g_free(txt);
		txt = g_strdup_printf("%s/%s.txt", all.dir[i], name);
		if (cache_get(txt, KIND_MESSAGE, &subject, &body, NULL, NULL, &absent, error)) {
			/* partials from here on: a French message gets the French footer */
			for (int j = i; j < all.n; j++)
				lang_dirs_add(&dirs, all.dir[j], NULL);
			htm = g_strdup_printf("%s/%s.html", all.dir[i], name);
			if (i + 1 < all.n) {
				char *l = g_path_get_basename(all.dir[i]);

				*used = g_strdup_printf("%s/%s", l, name);
				g_free(l);
			} else {
				*used = g_strdup(name);
			}
		} else if (!absent) {
			goto out;
		}
	}
	if (absent) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "template %s/%s.txt: no such file",
			    all.dir[0], name);
		goto out;
	}
	if (!cache_get(htm, KIND_HTML, NULL, &hbody, NULL, NULL, &absent, error) && !absent)
		goto out;
	if (subject) {
		char *s;

		if (!expand(txt, subject, ctx, n, FALSE, &dirs, &s, error))
			goto out;
		r->subject = compose_header_value(s);
		g_free(s);
	}
	if (!expand(txt, body, ctx, n, FALSE, &dirs, &r->text, error))
		goto out;
	if (hbody && !expand(htm, hbody, ctx, n, TRUE, &dirs, &r->html, error))
		goto out;
	ok = TRUE;
out:
	template_unref(subject);
	template_unref(body);
	template_unref(hbody);
	json_node_unref(defaults);
	lang_dirs_clear(&all);
	lang_dirs_clear(&dirs);
	g_free(txt);
	g_free(htm);
	return ok;
}

/* ==== MIME ==== */

#define COMPOSE_BOUNDARY_SIZE 23

/*
 * crlf - text in canonical form (valid UTF-8, every line ending CRLF), and the transfer
 * encoding it needs, decided in the same pass with the rule of GMime's best filter for
 * a 7-bit constraint: 7bit if all ASCII with lines up to 998 octets, else quoted-printable
 * when under 17% of the octets are 8-bit, else base64. Caller frees.
 */
static char *crlf(const char *text, GMimeContentEncoding *enc, gsize *out_len)
{
	gsize len = strlen(text), count8 = 0, breaks = 0, maxline = 0;
	char *fixed = NULL, *out, *w;
	const char *p, *end, *nl;

	for (p = text; *p; p++)
		count8 += (guchar)*p >> 7;
	if (count8 && !g_utf8_validate(text, (gssize)len, NULL)) {
		text = fixed = g_utf8_make_valid(text, (gssize)len);
		len = strlen(text);
	}
	for (p = text; (p = strpbrk(p, "\r\n")) != NULL; p++)
		breaks++;
	w = out = g_malloc(len + breaks + 1);
	for (p = text, end = text + len; p < end; p = nl) {
		gsize seg;

		nl = strpbrk(p, "\r\n");
		seg = nl ? (gsize)(nl - p) : (gsize)(end - p);
		memcpy(w, p, seg);
		w += seg;
		maxline = MAX(maxline, seg);
		if (nl == NULL)
			break;
		*w++ = '\r';
		*w++ = '\n';
		nl += nl[0] == '\r' && nl[1] == '\n' ? 2 : 1;
	}
	*w = '\0';
	*out_len = (gsize)(w - out);
	if (count8 == 0)
		*enc = maxline <= 998 ? GMIME_CONTENT_ENCODING_7BIT :
			GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
	else
		*enc = count8 * 100 < *out_len * 17 ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
			GMIME_CONTENT_ENCODING_BASE64;
	g_free(fixed);
	return out;
}

/* text_part - a text/SUBTYPE; charset=utf-8 part with the best 7-bit-safe encoding */
static GMimeObject *text_part(const char *subtype, const char *text)
{
	GMimePart *part = g_mime_part_new_with_type("text", subtype);
	GMimeContentEncoding enc;
	gsize len;
	char *canon = crlf(text, &enc, &len);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(canon, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, enc);
	g_object_unref(w);
	g_object_unref(s);
	g_free(canon);
	return GMIME_OBJECT(part);
}

/* compose_header_start - where a raw message's header starts (see compose.h) */
gsize compose_header_start(const guint8 *data, gsize len)
{
	gsize off = 0, i = 0, name = 0;

	while (off < len && off < 4096) {
		gsize e = off;

		while (e < len && data[e] != '\n' && (data[e] == ' ' || data[e] == '\t' || data[e] == '\r'))
			e++;
		if (e >= len || data[e] != '\n')
			break;
		off = e + 1;
	}
	if (off == 0)
		return 0;
	for (i = off; i < len && data[i] > ' ' && data[i] < 127 && data[i] != ':'; i++)
		name++;
	return name > 0 && i < len && data[i] == ':' ? off : 0;
}

/* message_part - a message/rfc822 attachment of a whole message (as it is: RFC 2046 allows
 * no base64 there), or NULL when the bytes do not parse as one */
static GMimeObject *message_part(const ComposeAttachment *a)
{
	gsize size = 0;
	const guint8 *bytes = a->data ? g_bytes_get_data(a->data, &size) : NULL;
	gsize off = bytes ? compose_header_start(bytes, size) : 0;     /* as inbound reads it */
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(bytes ? (const char *)bytes + off : "",
							   size - off);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	GMimeMessagePart *part = NULL;

	if (msg) {
		char *fname = compose_header_value(a->filename ? a->filename : "original.eml");
		GMimeContentDisposition *cd = g_mime_content_disposition_new();

		g_strdelimit(fname, "/\\", '_');
		part = g_mime_message_part_new_with_message("rfc822", msg);
		g_mime_content_disposition_set_disposition(cd, GMIME_DISPOSITION_ATTACHMENT);
		g_mime_content_disposition_set_parameter(cd, "filename", fname);
		g_mime_object_set_content_disposition(GMIME_OBJECT(part), cd);
		g_object_unref(cd);
		g_object_unref(msg);
		g_free(fname);
	}
	g_object_unref(p);
	g_object_unref(s);
	return part ? GMIME_OBJECT(part) : NULL;
}

/* attachment_part - a base64 part with a filename (no path, no controls); a
 * message/rfc822 one is attached as the message itself (message_part) */
static GMimeObject *attachment_part(const ComposeAttachment *a)
{
	if (a->content_type && g_ascii_strncasecmp(a->content_type, "message/rfc822", 14) == 0) {
		GMimeObject *m = message_part(a);

		if (m)
			return m;
	}
	{
		/* a message/ type is never base64 (RFC 2046): one that did not parse goes
		 * as bytes */
		gboolean plain = a->content_type == NULL ||
				 g_ascii_strncasecmp(a->content_type, "message/", 8) == 0;
		char *ct = compose_header_value(plain ? "application/octet-stream"
						      : a->content_type);
		char *fname = compose_header_value(a->filename ? a->filename : "attachment");
		GMimeContentType *type = g_mime_content_type_parse(NULL, ct);
		GMimePart *part = g_mime_part_new();
		gsize size = 0;
		const void *bytes = a->data ? g_bytes_get_data(a->data, &size) : NULL;
		GMimeStream *s = g_mime_stream_mem_new_with_buffer(bytes ? bytes : "", size);
		GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);

		g_strdelimit(fname, "/\\", '_');
		g_mime_object_set_content_type(GMIME_OBJECT(part), type);
		g_mime_part_set_content(part, w);
		g_mime_part_set_filename(part, fname);   /* Content-Disposition: attachment */
		g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
		g_object_unref(w);
		g_object_unref(s);
		g_object_unref(type);
		g_free(fname);
		g_free(ct);
		return GMIME_OBJECT(part);
	}
}

/* check_opts - refuse addresses, URLs and list names that could break headers */
static gboolean check_opts(const PmConfig *cfg, const ComposeOpts *o, GError **error)
{
	char *from = config_from_address(cfg);
	gboolean ok = check_addr("From", from, error) && check_addr("To", o->to, error) &&
		(!o->reply_to || check_addr("Reply-To", o->reply_to, error)) &&
		(!o->unsubscribe_mailto ||
		 check_addr("List-Unsubscribe", o->unsubscribe_mailto, error));

	g_free(from);
	if (ok && o->unsubscribe_url && !url_ok(o->unsubscribe_url)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "unsubscribe URL is not a plain http(s) URL");
		ok = FALSE;
	}
	if (ok && o->list_name && !name_ok(o->list_name, TRUE)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "bad list name for List-Id");
		ok = FALSE;
	}
	return ok;
}

/* set_header - set a header from a folded value (GMime encodes and folds) */
static void set_header(GMimeObject *obj, const char *name, const char *value)
{
	char *v = compose_header_value(value);

	g_mime_object_set_header(obj, name, v, "utf-8");
	g_free(v);
}

/* PutHeader - one writer's way of adding a header whose value needs no more encoding */
typedef void (*PutHeader)(gpointer target, const char *name, const char *value);

/* list_headers_each - List-Id, List-Unsubscribe(-Post), List-Subscribe, List-Post,
 * List-Owner, List-Help, Precedence, in this order, through put (both writers give the
 * same headers) */
static void list_headers_each(const PmConfig *cfg, const ComposeOpts *o, PutHeader put,
			      gpointer target)
{
	char *title = compose_header_value(o->list_title ? o->list_title : o->list_name);
	char *phrase = g_mime_utils_header_encode_phrase(NULL, title, "utf-8");
	char *id = g_strdup_printf("%s <%s.%s>", phrase, o->list_name, cfg->domain);
	char *help = address_make(cfg, o->list_updates ? "help" : o->list_name,
				  o->list_updates ? NULL : "help", NULL);
	char *sub = address_make(cfg, o->list_name, "subscribe", NULL);
	char *post = address_make(cfg, o->list_name, NULL, NULL);
	char *owner = config_from_address(cfg);
	char *helpv = g_strdup_printf("<mailto:%s>", help);
	char *subv = g_strdup_printf("<mailto:%s>", sub);
	char *postv = o->list_discussion ? g_strdup_printf("<mailto:%s>", post) : g_strdup("NO");
	char *ownerv = g_strdup_printf("<mailto:%s>", owner);
	GString *unsub = g_string_new(NULL);

	put(target, "List-Id", id);
	if (o->unsubscribe_mailto)
		g_string_append_printf(unsub, "<mailto:%s>", o->unsubscribe_mailto);
	if (o->unsubscribe_url)
		g_string_append_printf(unsub, "%s<%s>", unsub->len ? ", " : "", o->unsubscribe_url);
	if (unsub->len)
		put(target, "List-Unsubscribe", unsub->str);
	if (o->unsubscribe_url)
		put(target, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	if (!o->list_updates)   /* one joins an update audience by signing, not by mail */
		put(target, "List-Subscribe", subv);
	put(target, "List-Post", o->list_updates ? "NO" : postv);
	put(target, "List-Owner", ownerv);
	put(target, "List-Help", helpv);
	put(target, "Precedence", "bulk");
	g_string_free(unsub, TRUE);
	g_free(ownerv);
	g_free(postv);
	g_free(subv);
	g_free(helpv);
	g_free(owner);
	g_free(post);
	g_free(sub);
	g_free(help);
	g_free(id);
	g_free(phrase);
	g_free(title);
}

/* put_tree_header - PutHeader for a GMime object */
static void put_tree_header(gpointer obj, const char *name, const char *value)
{
	g_mime_object_set_header(obj, name, value, NULL);
}

/* message_id - "<time.random@domain>" without brackets; caller frees */
static char *message_id(const PmConfig *cfg)
{
	return g_strdup_printf("%" G_GINT64_FORMAT ".%08x%08x%08x@%s", g_get_real_time(),
			       g_random_int(), g_random_int(), g_random_int(), cfg->domain);
}

/*
 * compose_boundary - a fresh multipart boundary: "=-" and 20 letters and digits (about
 * 119 bits) from GLib's generator. GMime's own reads /dev/urandom for every message.
 */
static void compose_boundary(char out[COMPOSE_BOUNDARY_SIZE])
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	guint32 r = 0;

	out[0] = '=';
	out[1] = '-';
	for (int i = 0; i < 20; i++) {
		if (i % 5 == 0)
			r = g_random_int();
		out[2 + i] = alnum[r % 62];
		r /= 62;
	}
	out[22] = '\0';
}

/* in_reply_to_id - the Message-ID answered, without brackets, or NULL when unusable (it
 * is then left out rather than refused); caller frees */
static char *in_reply_to_id(const char *in_reply_to)
{
	char *v = compose_header_value(in_reply_to);
	char *bare = g_strdup(v[0] == '<' ? v + 1 : v);
	gsize len = strlen(bare);

	if (len && bare[len - 1] == '>')
		bare[len - 1] = '\0';
	g_free(v);
	if (!msgid_ok(bare))
		return g_free(bare), NULL;
	return bare;
}

/* build - the GMime message from the rendered parts; caller unrefs */
static GMimeMessage *build(const PmConfig *cfg, const ComposeOpts *o, const Rendered *r)
{
	GMimeMessage *m = g_mime_message_new(FALSE);
	GMimeObject *obj = GMIME_OBJECT(m), *body;
	char *from_addr = config_from_address(cfg);
	char *to_name = o->to_name ? compose_header_value(o->to_name) : NULL;
	char *id = message_id(cfg);
	/* UTC: the local zone costs a readlink and stat of /etc/localtime per message */
	GDateTime *now = g_date_time_new_now_utc();

	g_mime_message_set_date(m, now);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM,
				   r->from_name, from_addr);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO,
				   to_name && *to_name ? to_name : NULL, o->to);
	if (o->reply_to)
		g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_REPLY_TO, NULL, o->reply_to);
	g_mime_message_set_subject(m, r->subject ? r->subject : "", "utf-8");
	g_mime_message_set_message_id(m, id);
	if (o->in_reply_to) {
		char *bare = in_reply_to_id(o->in_reply_to);

		if (bare) {
			char *bracketed = g_strdup_printf("<%s>", bare);

			g_mime_object_set_header(obj, "In-Reply-To", bracketed, NULL);
			g_mime_object_set_header(obj, "References", bracketed, NULL);
			g_free(bracketed);
		}
		g_free(bare);
	}
	if (o->list_name)
		list_headers_each(cfg, o, put_tree_header, obj);
	if (o->auto_reply)
		g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", NULL);
	else if (o->auto_generated)
		g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
	set_header(obj, COMPOSE_LOOP_HEADER, cfg->domain);

	body = text_part("plain", r->text);
	if (r->html) {
		GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
		GMimeObject *h = text_part("html", r->html);
		char b[COMPOSE_BOUNDARY_SIZE];

		compose_boundary(b);
		g_mime_multipart_set_boundary(alt, b);

		g_mime_multipart_add(alt, body);
		g_mime_multipart_add(alt, h);
		g_object_unref(body);
		g_object_unref(h);
		body = GMIME_OBJECT(alt);
	}
	if (o->n_attachments > 0 && o->attachments) {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
		char b[COMPOSE_BOUNDARY_SIZE];

		compose_boundary(b);
		g_mime_multipart_set_boundary(mixed, b);

		g_mime_multipart_add(mixed, body);
		g_object_unref(body);
		for (int i = 0; i < o->n_attachments; i++) {
			GMimeObject *a = attachment_part(&o->attachments[i]);

			g_mime_multipart_add(mixed, a);
			g_object_unref(a);
		}
		body = GMIME_OBJECT(mixed);
	}
	g_mime_message_set_mime_part(m, body);
	g_object_unref(body);

	g_date_time_unref(now);
	g_free(id);
	g_free(to_name);
	g_free(from_addr);
	return m;
}

/* ==== Direct writer ==== */

/*
 * The common message (no attachments: every response and newsletter copy) is written
 * straight into one buffer with GMime's encoders and header folding, in exactly the
 * layout GMime's writer gives the same message through build(): the GMime object tree of
 * a message (headers re-formatted on every change, an IDNA lookup per address, a data
 * wrapper and filter streams per part) cost more than everything else of a newsletter copy (and than a whole confirmation
 * request's database work in the LMTP committer). build() stays for attachments;
 * compose_message_general() lets tests compare the two.
 * Header values are already compose_header_value()d and addresses validated (check_opts).
 */

#define FOLD_LEN 78     /* GMime's GMIME_FOLD_LEN */

/* put_lf - append s (LF line ends, no CR) with CRLF line ends */
static void put_lf(GString *out, const char *s)
{
	for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		g_string_append_len(out, s, nl - s);
		g_string_append_len(out, "\r\n", 2);
	}
	g_string_append(out, s);
}

/* put_unstructured - "name: value" RFC 2047-encoded (charset: as GMime is given it) and
 * folded as GMime folds unstructured headers */
static void put_unstructured(GString *out, const char *name, const char *value,
			     const char *charset)
{
	gsize nlen = strlen(name), vlen = strlen(value);
	gboolean plain = nlen + 2 + vlen <= FOLD_LEN - 2 && *value != ' ' &&
			 strstr(value, "=?") == NULL;
	char *enc, *line, *folded;

	/* Short printable ASCII with single inner spaces: GMime neither encodes nor folds it
	 * (the test comparing the writers covers these headers). */
	for (const char *p = value; plain && *p; p++)
		plain = ((guchar)*p > ' ' && (guchar)*p < 0x7f) ||
			(*p == ' ' && p[1] != ' ' && p[1] != '\0');
	if (plain) {
		g_string_append_len(out, name, (gssize)nlen);
		g_string_append_len(out, ": ", 2);
		g_string_append_len(out, value, (gssize)vlen);
		g_string_append_len(out, "\r\n", 2);
		return;
	}
	enc = g_mime_utils_header_encode_text(NULL, value, charset);
	line = g_strconcat(name, ": ", enc, NULL);
	folded = g_mime_utils_unstructured_header_fold(NULL, NULL, line);
	put_lf(out, folded);
	g_free(folded);
	g_free(line);
	g_free(enc);
}

/* put_direct_header - PutHeader for the direct writer */
static void put_direct_header(gpointer out, const char *name, const char *value)
{
	put_unstructured(out, name, value, NULL);
}

/* linewrap - GMime's fold point in an address header: a trailing space becomes the break */
static void linewrap(GString *out)
{
	if (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	g_string_append_len(out, "\r\n\t", 3);
}

/* append_folded_name - an encoded phrase longer than a line, broken between words */
static void append_folded_name(GString *out, gsize *linelen, const char *name)
{
	const char *word = name, *lwsp;

	while (*word) {
		gsize len;

		lwsp = word;
		if (*word == '"') {    /* a quoted string is not broken up */
			lwsp++;
			while (*lwsp && *lwsp != '"') {
				if (*lwsp == '\\')
					lwsp++;
				if (*lwsp)
					lwsp++;
			}
			if (*lwsp == '"')
				lwsp++;
		} else {
			while (*lwsp && *lwsp != ' ' && *lwsp != '\t')
				lwsp++;
		}
		len = (gsize)(lwsp - word);
		if (*linelen > 1 && *linelen + len > FOLD_LEN) {
			linewrap(out);
			*linelen = 1;
		}
		g_string_append_len(out, word, len);
		*linelen += len;
		word = lwsp;
		while (*word == ' ' || *word == '\t')
			word++;
		if (*word && (*lwsp == ' ' || *lwsp == '\t')) {
			g_string_append_c(out, ' ');
			(*linelen)++;
		}
	}
}

/* put_mailbox - "field: name <addr>" (or just addr) encoded and folded as GMime writes one
 * mailbox (addr: a checked ASCII addr-spec, so no IDNA step changes it) */
static void put_mailbox(GString *out, const char *field, const char *name, const char *addr)
{
	gsize linelen = strlen(field) + 2, alen = strlen(addr);

	g_string_append(out, field);
	g_string_append_len(out, ": ", 2);
	if (name && *name) {
		char *enc = g_mime_utils_header_encode_phrase(NULL, name, NULL);
		gsize len = strlen(enc);

		if (linelen + len > FOLD_LEN && len > FOLD_LEN) {
			append_folded_name(out, &linelen, enc);
		} else {
			if (linelen + len > FOLD_LEN && linelen > 1) {
				linewrap(out);
				linelen = 1;
			}
			g_string_append_len(out, enc, len);
			linelen += len;
		}
		g_free(enc);
		if (linelen + alen + 3 >= FOLD_LEN) {
			g_string_append_len(out, "\r\n\t<", 4);
			linelen = 2;
		} else {
			g_string_append_len(out, " <", 2);
			linelen += 2;
		}
		g_string_append_len(out, addr, alen);
		g_string_append_c(out, '>');
	} else {
		if (linelen + alen > FOLD_LEN)
			linewrap(out);
		g_string_append_len(out, addr, alen);
	}
	g_string_append_len(out, "\r\n", 2);
}

/* put_text_part - Content-Type and Content-Transfer-Encoding of a text/SUBTYPE part, a
 * blank line, then the body encoded as text_part() and GMime's writer encode it (no line
 * end added) */
static void put_text_part(GString *out, const char *subtype, const char *text)
{
	GMimeContentEncoding enc;
	gsize len;
	char *canon = crlf(text, &enc, &len);

	g_string_append_printf(out, "Content-Type: text/%s; charset=utf-8\r\n"
			       "Content-Transfer-Encoding: %s\r\n\r\n", subtype,
			       g_mime_content_encoding_to_string(enc));
	if (enc == GMIME_CONTENT_ENCODING_7BIT) {
		g_string_append_len(out, canon, (gssize)len);
	} else {
		/* the encoders write LF line ends (QP drops the CR of CRLF) */
		gsize max = enc == GMIME_CONTENT_ENCODING_BASE64 ? GMIME_BASE64_ENCODE_LEN(len)
							       : GMIME_QP_ENCODE_LEN(len);
		char *buf = g_malloc(max + 1);
		int state = enc == GMIME_CONTENT_ENCODING_BASE64 ? 0 : -1;
		guint32 save = 0;
		gsize n = enc == GMIME_CONTENT_ENCODING_BASE64 ?
			g_mime_encoding_base64_encode_close((const guchar *)canon, len,
							    (guchar *)buf, &state, &save) :
			g_mime_encoding_quoted_encode_close((const guchar *)canon, len,
							    (guchar *)buf, &state, &save);

		buf[n] = '\0';
		put_lf(out, buf);
		g_free(buf);
	}
	g_free(canon);
}

/* write_direct - the message of build() without GMime objects (no attachments); irt: the
 * answered Message-ID (in_reply_to_id) or NULL; size_hint: the expected size */
static GBytes *write_direct(const PmConfig *cfg, const ComposeOpts *o, const Rendered *r,
			    const char *irt, gsize size_hint)
{
	GString *out = g_string_sized_new(size_hint);
	char *from_addr = config_from_address(cfg);
	char *to_name = o->to_name ? compose_header_value(o->to_name) : NULL;
	char *id = message_id(cfg);
	GDateTime *now = g_date_time_new_now_utc();
	char *date = g_mime_utils_header_format_date(now);

	g_string_append_printf(out, "Date: %s\r\n", date);
	put_mailbox(out, "From", r->from_name, from_addr);
	put_mailbox(out, "To", to_name, o->to);
	if (o->reply_to)
		put_mailbox(out, "Reply-To", NULL, o->reply_to);
	put_unstructured(out, "Subject", r->subject ? r->subject : "", "utf-8");
	g_string_append_printf(out, "Message-Id: <%s>\r\n", id);
	if (irt)    /* GMime writes one Message-ID unfolded, whatever its length (< 900) */
		g_string_append_printf(out, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", irt,
				       irt);
	if (o->list_name)
		list_headers_each(cfg, o, put_direct_header, out);
	if (o->auto_reply)
		put_unstructured(out, "Auto-Submitted", "auto-replied", NULL);
	else if (o->auto_generated)
		put_unstructured(out, "Auto-Submitted", "auto-generated", NULL);
	put_unstructured(out, COMPOSE_LOOP_HEADER, cfg->domain, "utf-8");
	g_string_append_len(out, "MIME-Version: 1.0\r\n", 19);
	if (r->html) {
		char b[COMPOSE_BOUNDARY_SIZE];

		compose_boundary(b);
		g_string_append_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\""
				       "\r\n\r\n--%s\r\n", b, b);
		put_text_part(out, "plain", r->text);
		g_string_append_printf(out, "\r\n--%s\r\n", b);
		put_text_part(out, "html", r->html);
		g_string_append_printf(out, "\r\n--%s--\r\n", b);
	} else {
		put_text_part(out, "plain", r->text);
		if (out->str[out->len - 1] != '\n')    /* as GMime ends a single-part message */
			g_string_append_len(out, "\r\n", 2);
	}
	g_date_time_unref(now);
	g_free(date);
	g_free(id);
	g_free(to_name);
	g_free(from_addr);
	return g_string_free_to_bytes(out);
}

/* compose - render template name with data and build the message for o->to; general:
 * always through GMime objects */
static GBytes *compose(const PmConfig *cfg, const char *name, JsonNode *data,
		       const ComposeOpts *o, gboolean general, char **used, GError **error)
{
	Rendered r = { NULL, NULL, NULL, NULL };
	GMimeMessage *m;
	GMimeFormatOptions *fo;
	GMimeStream *out;
	GByteArray *ba;
	guint size_hint;

	if (!name_ok(name, FALSE)) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "bad template name '%s'", name ? name : "");
		return NULL;
	}
	if (!check_opts(cfg, o, error))
		return NULL;
	if (!render_all(cfg, name, o->lang, data, &r, used, error)) {
		rendered_clear(&r);
		return NULL;
	}
	if (o->subject) {
		g_free(r.subject);
		r.subject = compose_header_value(o->subject);
	}
	if (r.subject == NULL) {
		g_set_error(error, PM_ERROR, EX_CONFIG, "template %s.txt has no Subject:", *used);
		rendered_clear(&r);
		return NULL;
	}
	size_hint = 2048 + (guint)(strlen(r.text) + (r.html ? strlen(r.html) : 0)) * 3 / 2;
	if (!general && (o->n_attachments <= 0 || !o->attachments)) {
		char *irt = o->in_reply_to ? in_reply_to_id(o->in_reply_to) : NULL;
		GBytes *b = write_direct(cfg, o, &r, irt, size_hint);

		g_free(irt);
		rendered_clear(&r);
		return b;
	}
	m = build(cfg, o, &r);
	rendered_clear(&r);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	ba = g_byte_array_sized_new(size_hint);
	out = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(out), FALSE);
	g_mime_object_write_to_stream(GMIME_OBJECT(m), fo, out);
	g_object_unref(out);
	g_mime_format_options_free(fo);
	g_object_unref(m);
	return g_byte_array_free_to_bytes(ba);
}

static void log_rendered(const char *name);

/*
 * render_other_languages - the test suite's check of every language's set: with
 * $PEERMAIL_TEMPLATE_LOG set in strict mode, a message rendered in one language is also
 * rendered (and logged) in every other language folder that has it, with the same data,
 * so each flow's real data proves the French set too. FALSE with error when one fails.
 */
static gboolean render_other_languages(const PmConfig *cfg, const char *name, JsonNode *data,
				       const char *used, GError **error)
{
	GDir *dir = g_dir_open(cfg->templates, 0, NULL);
	const char *lang;
	gboolean ok = TRUE;

	while (ok && dir && (lang = g_dir_read_name(dir)) != NULL) {
		char *path = g_strdup_printf("%s/%s/%s.txt", cfg->templates, lang, name);
		char *mine = g_strdup_printf("%s/%s", lang, name);
		Rendered r = { NULL, NULL, NULL, NULL };
		char *other = NULL;

		if (strcmp(mine, used) != 0 && g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			ok = render_all(cfg, name, lang, data, &r, &other, error);
			if (ok)
				log_rendered(other);
		}
		rendered_clear(&r);
		g_free(other);
		g_free(mine);
		g_free(path);
	}
	if (dir)
		g_dir_close(dir);
	return ok;
}

/* compose_message - render template name with data and build the message for o->to */
GBytes *compose_message(const PmConfig *cfg, const char *name, JsonNode *data,
			const ComposeOpts *o, GError **error)
{
	char *used = NULL;
	GBytes *b = compose(cfg, name, data, o, FALSE, &used, error);
	const char *log = g_getenv("PEERMAIL_TEMPLATE_LOG");

	if (b && template_strict() && log && *log) {
		log_rendered(used);
		if (!render_other_languages(cfg, name, data, used, error))
			b = (g_bytes_unref(b), NULL);
	}
	g_free(used);
	return b;
}

/* log_rendered - strict mode: append name (LANG/NAME) to $PEERMAIL_TEMPLATE_LOG (the test
 * suite's record of which templates its flows rendered) */
static void log_rendered(const char *name)
{
	const char *path = g_getenv("PEERMAIL_TEMPLATE_LOG");
	FILE *f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "%s\n", name);
	fclose(f);
}

/* compose_message_general - compose_message always through GMime's object tree (tests) */
GBytes *compose_message_general(const PmConfig *cfg, const char *name, JsonNode *data,
				const ComposeOpts *o, GError **error)
{
	char *used = NULL;
	GBytes *b = compose(cfg, name, data, o, TRUE, &used, error);

	g_free(used);
	return b;
}

/* ==== `template render` ==== */

/* load_data - the JSON in path, or an empty object for NULL; caller unrefs */
static JsonNode *load_data(const char *path, GError **error)
{
	JsonParser *p;
	JsonNode *root = NULL;
	GError *e = NULL;

	if (path == NULL)
		return json_node_init_object(json_node_alloc(), json_object_new());
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "cannot read data file %s", path);
		return NULL;
	}
	p = json_parser_new();
	if (json_parser_load_from_file(p, path, &e)) {
		root = json_node_copy(json_parser_get_root(p));
	} else {
		/* json-glib messages carry LINE:COLUMN; prefix the file */
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s:%s", path, e->message);
		g_error_free(e);
	}
	g_object_unref(p);
	if (root == NULL && error && *error == NULL)
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s: empty data", path);
	return root;
}

/* compose_render_file - render a template file for an organizer to check */
char *compose_render_file(const PmConfig *cfg, const char *file, const char *data_file,
			  const char *partials, GError **error)
{
	char *text = NULL, *out = NULL, *dir = NULL;
	JsonNode *data = NULL, *ctx[2] = { NULL, NULL };
	Template *t;
	GError *e = NULL;

	if (!g_file_get_contents(file, &text, NULL, &e)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "cannot read template %s: %s", file,
			    e->message);
		g_error_free(e);
		goto out;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "%s: not valid UTF-8", file);
		goto out;
	}
	dir = partials ? g_strdup(partials) : g_path_get_dirname(file);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, PM_ERROR, EX_NOINPUT, "partials folder %s does not exist", dir);
		goto out;
	}
	if ((data = load_data(data_file, error)) == NULL)
		goto out;
	ctx[0] = cfg ? compose_defaults(cfg) : NULL;
	ctx[1] = data;
	if ((t = template_parse(text, &e)) != NULL)
		out = template_expand(t, ctx[0] ? ctx : ctx + 1, ctx[0] ? 2 : 1,
				      g_str_has_suffix(file, ".html"), template_partials_dir, dir,
				      &e);
	template_unref(t);
	if (out == NULL) {
		/* "line N: ..." becomes "FILE:N: ..." */
		int line = 0, used = 0;

		if (sscanf(e->message, "line %d: %n", &line, &used) == 1 && used > 0)
			g_set_error(error, PM_ERROR, EX_DATAERR, "%s:%d: %s", file, line,
				    e->message + used);
		else
			g_set_error(error, PM_ERROR, EX_DATAERR, "%s: %s", file, e->message);
		g_error_free(e);
	}
out:
	if (ctx[0])
		json_node_unref(ctx[0]);
	if (data)
		json_node_unref(data);
	g_free(dir);
	g_free(text);
	return out;
}
