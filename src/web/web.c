/*
 * web.c - the public HTTP face on GNU libmicrohttpd (see web.h).
 *
 * A request is answered in two steps as libmicrohttpd calls the handler: the first call
 * only checks the method and the path and sets up the body buffer (POST); later calls
 * feed the body, capped at WEB_MAX_BODY (over it: 413); the last one answers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "web/web.h"
#include "base/db.h"
#include "base/lazylib.h"
#include "base/json.h"
#include "base/log.h"
#include "base/pm.h"
#include "base/ratelimit.h"
#include "inbound/inbound.h"
#include "inbound/route.h"
#include "mail/address.h"
#include "model/delivery.h"
#include "model/district.h"
#include "model/list.h"
#include "model/member.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "model/schema.h"
#include "model/signature.h"
#include "model/stats.h"
#include "model/story.h"
#include "produce/milestone.h"

#define WEB_MAX_BODY 8192
#define WEB_MAX_PATH 256
#define WEB_SIGN_PER_IP 10          /* sign attempts per client address ... */
#define WEB_SIGN_WINDOW 3600        /* ... per this many seconds */
#define WEB_SIGN_TABLE 10000        /* client addresses counted at once (oldest evicted) */
#define WEB_PAGE_TTL (G_USEC_PER_SEC)   /* a rendered petition page is served this long */
#define WEB_CACHE_SWEEP 1024        /* entries beyond which expired pages are dropped */

#ifndef PM_LIBMICROHTTPD_SONAME
#define PM_LIBMICROHTTPD_SONAME "libmicrohttpd.so.12"
#endif

/* libmicrohttpd, and the GnuTLS it links (whose start-up alone cost `receive` more than
 * its own work), loaded on first use; the names stay the header's own. */
#define MHD_FUNCS(X) \
	X(MHD_add_response_header) \
	X(MHD_create_response_from_buffer) \
	X(MHD_destroy_response) \
	X(MHD_get_connection_info) \
	X(MHD_get_daemon_info) \
	X(MHD_lookup_connection_value) \
	X(MHD_queue_response) \
	X(MHD_start_daemon) \
	X(MHD_stop_daemon)

#define MHD_SLOT(f) __typeof__(f) *f;
#define MHD_SYM(f) { #f, (gpointer *)&mhd.f },
static struct {
	MHD_FUNCS(MHD_SLOT)
} mhd;
static const LazySym mhd_syms[] = { MHD_FUNCS(MHD_SYM) { NULL, NULL } };
static LazyLib mhd_lib = { PM_LIBMICROHTTPD_SONAME, mhd_syms, 0, NULL };
#define MHD_add_response_header (*mhd.MHD_add_response_header)
#define MHD_create_response_from_buffer (*mhd.MHD_create_response_from_buffer)
#define MHD_destroy_response (*mhd.MHD_destroy_response)
#define MHD_get_connection_info (*mhd.MHD_get_connection_info)
#define MHD_get_daemon_info (*mhd.MHD_get_daemon_info)
#define MHD_lookup_connection_value (*mhd.MHD_lookup_connection_value)
#define MHD_queue_response (*mhd.MHD_queue_response)
#define MHD_start_daemon (*mhd.MHD_start_daemon)
#define MHD_stop_daemon (*mhd.MHD_stop_daemon)

struct PmWeb {
	const PmConfig *cfg;
	const PmSecret *key;
	struct MHD_Daemon *daemon;
	unsigned port;
	RateLimit *attempts;        /* sign attempts per client address (bounded) */
	gint64 deadline;            /* microseconds a request may take to arrive */
	GMutex conns_lock;          /* guards conns, the WebConn in it, stopping */
	GCond conns_cond;           /* signals stopping to the watchdog */
	GHashTable *conns;          /* WebConn* set: the open connections */
	gboolean stopping;
	GThread *watchdog;          /* cuts connections past their deadline */
	GMutex cache_lock;          /* guards cache */
	GHashTable *cache;          /* slug -> WebCached*: rendered `/p/SLUG` pages */
};

/* A rendered petition page (without a postcode) and when it was made. */
typedef struct {
	gint64 at;                  /* monotonic microseconds */
	GBytes *html;
} WebCached;

/* One open connection: when its current request began to arrive. */
typedef struct {
	int fd;
	gint64 start;               /* monotonic microseconds */
	gboolean cut;
} WebConn;

/* One request in progress. */
typedef struct {
	GString *body;
	gboolean too_big;
} WebReq;

/* The database connection of each worker thread (opened on first use). */
static void web_db_close(gpointer db)
{
	db_close(db);
}
static GPrivate web_db = G_PRIVATE_INIT(web_db_close);

/* db_of_thread - this thread's connection; NULL with error */
static PmDb *db_of_thread(const PmWeb *w, GError **error)
{
	PmDb *db = g_private_get(&web_db);

	if (db == NULL && (db = db_open(w->cfg->database, schema_peermail(), FALSE, error)))
		g_private_set(&web_db, db);
	return db;
}

static const char WEB_CSS[] =
	"body{font-family:sans-serif;max-width:46em;margin:1em auto;padding:0 1em;color:#222}\n"
	"h1{font-size:1.6em}progress{width:100%;height:1.4em}\n"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}\n"
	".closed{background:#fee;padding:.5em}.button{display:inline-block;padding:.4em 1em;"
	"background:#2a6;color:#fff;text-decoration:none;border:0;font-size:1em}\n"
	"blockquote{border-left:3px solid #ccc;margin:.5em 0;padding-left:.8em}\n"
	".hp{position:absolute;left:-9999px}\n"
	"svg{max-width:100%;height:auto}input,textarea{max-width:100%;box-sizing:border-box}\n"
	"table{display:block;max-width:100%;overflow-x:auto}\n";

/* ==== Answers ==== */

/* answer_to - queue status with body (copied), the security headers and, when location is
 * not NULL, a Location (a path of ours) */
static enum MHD_Result answer_to(struct MHD_Connection *conn, unsigned status, const char *type,
				 const char *body, size_t len, const char *location)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (location)
		MHD_add_response_header(r, "Location", location);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; img-src 'self'; "
				"form-action 'self' mailto:; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cache-Control", status == 200 ? "public, max-age=10" : "no-store");
	if (status == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* answer - queue status with body (copied) and the security headers */
static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *type,
			      const char *body, size_t len)
{
	return answer_to(conn, status, type, body, len, NULL);
}

/* esc - HTML-escaped s (NULL: ""); caller frees */
static char *esc(const char *s)
{
	return g_markup_escape_text(s ? s : "", -1);
}

/* put - append s escaped to page */
static void put(GString *page, const char *s)
{
	char *e = esc(s);

	g_string_append(page, e);
	g_free(e);
}

/* summary - text as one line of at most about 200 characters, cut at a word; caller frees */
static char *summary(const char *text)
{
	char **words = g_strsplit_set(text ? text : "", " \t\r\n", -1);
	GString *out = g_string_new(NULL);

	for (char **w = words; *w; w++) {
		if (**w == '\0')
			continue;
		if (out->len + strlen(*w) > 200) {
			g_string_append(out, "\u2026");
			break;
		}
		if (out->len)
			g_string_append_c(out, ' ');
		g_string_append(out, *w);
	}
	g_strfreev(words);
	return pm_clean_text_len(out->str, 1024);
}

/* page_open_meta - the page head with title, and for sharing (NULL: none) a description
 * and the page's address (Open Graph, all escaped) */
static GString *page_open_meta(const char *title, const char *description, const char *url)
{
	GString *p = g_string_new("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				  "<meta name=\"viewport\" content=\"width=device-width\"><title>");

	put(p, title);
	g_string_append(p, "</title>");
	if (description) {
		char *d = summary(description);

		g_string_append(p, "<meta name=\"description\" content=\"");
		put(p, d);
		g_string_append(p, "\"><meta property=\"og:type\" content=\"website\">"
				"<meta property=\"og:title\" content=\"");
		put(p, title);
		g_string_append(p, "\"><meta property=\"og:description\" content=\"");
		put(p, d);
		g_string_append(p, "\"><meta name=\"twitter:card\" content=\"summary\">");
		g_free(d);
	}
	if (url) {
		g_string_append(p, "<meta property=\"og:url\" content=\"");
		put(p, url);
		g_string_append(p, "\"><link rel=\"canonical\" href=\"");
		put(p, url);
		g_string_append(p, "\">");
	}
	g_string_append(p, "<link rel=\"stylesheet\" href=\"/style.css\"></head><body>\n");
	return p;
}

/* page_open - the page head with title (escaped) */
static GString *page_open(const char *title)
{
	return page_open_meta(title, NULL, NULL);
}

/* answer_page - close page and answer with it; frees page */
static enum MHD_Result answer_page(struct MHD_Connection *conn, unsigned status, GString *page)
{
	enum MHD_Result r;

	g_string_append(page, "</body></html>\n");
	r = answer(conn, status, "text/html; charset=utf-8", page->str, page->len);
	g_string_free(page, TRUE);
	return r;
}

/* answer_message - a short page: heading and one sentence */
static enum MHD_Result answer_message(struct MHD_Connection *conn, unsigned status,
				      const char *heading, const char *text)
{
	GString *p = page_open(heading);

	g_string_append(p, "<h1>");
	put(p, heading);
	g_string_append(p, "</h1><p id=\"message\">");
	put(p, text);
	g_string_append(p, "</p>\n");
	return answer_page(conn, status, p);
}

/* answer_form_error - answer_message and a link back to the petition's form */
static enum MHD_Result answer_form_error(struct MHD_Connection *conn, unsigned status,
					 const char *text, const char *slug)
{
	GString *p = page_open("Not signed");

	g_string_append(p, "<h1>Not signed</h1><p id=\"message\">");
	put(p, text);
	g_string_append(p, "</p>\n<p><a id=\"back\" href=\"/p/");
	put(p, slug);
	g_string_append(p, "#sign-form\">Back to the petition</a></p>\n");
	return answer_page(conn, status, p);
}

/* answer_error - 500 for a database error (logged; the page says nothing more) */
static enum MHD_Result answer_error(struct MHD_Connection *conn, GError *e)
{
	log_err("web: %s", e ? e->message : "unknown error");
	g_clear_error(&e);
	return answer_message(conn, 500, "Something went wrong", "Please try again later.");
}

/* ==== Petitions ==== */

static void sign_form(GString *p, const char *slug);

/* page_index - `/`: the open petitions */
static enum MHD_Result page_index(const PmWeb *w, PmDb *db, struct MHD_Connection *conn)
{
	GError *e = NULL;
	GArray *ids = petition_list_ids(db, &e);
	GString *p;

	if (ids == NULL)
		return answer_error(conn, e);
	p = page_open("Petitions");
	g_string_append(p, "<h1>Petitions</h1>\n<ul id=\"petitions\">\n");
	for (guint i = 0; i < ids->len; i++) {
		Petition *pt = petition_get(db, g_array_index(ids, gint64, i), NULL);
		gint64 confirmed = 0, pending = 0;

		if (pt && pt->status == PETITION_STATUS_OPEN &&
		    petition_counts(db, pt->id, &confirmed, &pending, NULL)) {
			g_string_append(p, "<li><a href=\"/p/");
			put(p, pt->slug);
			g_string_append(p, "\">");
			put(p, pt->title);
			g_string_append_printf(p, "</a> <span class=\"count\">%" G_GINT64_FORMAT
					       " signatures</span></li>\n", confirmed);
		}
		petition_free(pt);
	}
	g_string_append(p, "</ul>\n");
	g_array_unref(ids);
	return answer_page(conn, 200, p);
}

/* chart_svg - signatures over time as an inline SVG (cumulative, one point per day) */
static void chart_svg(GString *p, const GPtrArray *by_day)
{
	const int W = 600, H = 160;
	gint64 total = 0, cum = 0;

	for (guint i = 0; by_day && i < by_day->len; i++)
		total += ((StatsCount *)g_ptr_array_index(by_day, i))->count;
	g_string_append_printf(p, "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
			       "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
			       "<title>Signatures over time</title>"
			       "<rect width=\"%d\" height=\"%d\" fill=\"#f6f6f6\"/>", W, H + 20, W,
			       H + 20, W, H + 20);
	if (by_day && by_day->len > 0 && total > 0) {
		guint n = by_day->len;

		g_string_append(p, "<polyline fill=\"none\" stroke=\"#2a6\" stroke-width=\"3\" points=\"");
		if (n == 1)
			g_string_append_printf(p, "0,%d ", H);
		for (guint i = 0; i < n; i++) {
			StatsCount *c = g_ptr_array_index(by_day, i);
			int x = n == 1 ? W : (int)((gint64)W * i / (n - 1));
			int y;

			cum += c->count;
			y = H - (int)(cum * (H - 10) / total);
			g_string_append_printf(p, "%d,%d ", x, y);
		}
		g_string_append(p, "\"/>");
		g_string_append(p, "<text x=\"4\" y=\"");
		g_string_append_printf(p, "%d\" font-size=\"12\">", H + 16);
		put(p, ((StatsCount *)g_ptr_array_index(by_day, 0))->name);
		g_string_append_printf(p, "</text><text x=\"%d\" y=\"%d\" font-size=\"12\" "
				       "text-anchor=\"end\">", W - 4, H + 16);
		put(p, ((StatsCount *)g_ptr_array_index(by_day, n - 1))->name);
		g_string_append_printf(p, " (%" G_GINT64_FORMAT ")</text>", total);
	}
	g_string_append(p, "</svg>\n");
}

/* targets_of - the names (and titles) of targets for district (NULL: everyone's), escaped */
static void targets_of(GString *p, const GPtrArray *targets, const char *district)
{
	gboolean first = TRUE;

	for (guint i = 0; targets && i < targets->len; i++) {
		const Target *t = g_ptr_array_index(targets, i);

		if (g_strcmp0(t->district, district) != 0)
			continue;
		if (!first)
			g_string_append(p, ", ");
		first = FALSE;
		put(p, t->name);
		if (t->title) {
			g_string_append(p, " (");
			put(p, t->title);
			g_string_append(p, ")");
		}
	}
	if (first)
		g_string_append(p, "&#8212;");
}

/* cached_free - destroy a cache entry */
static void cached_free(gpointer p)
{
	WebCached *c = p;

	g_bytes_unref(c->html);
	g_free(c);
}

/* cache_get - the page of slug rendered less than WEB_PAGE_TTL ago (a new reference), or
 * NULL */
static GBytes *cache_get(PmWeb *w, const char *slug)
{
	WebCached *c;
	GBytes *html = NULL;
	char *k = g_ascii_strdown(slug, -1);

	g_mutex_lock(&w->cache_lock);
	if ((c = g_hash_table_lookup(w->cache, k)) != NULL &&
	    g_get_monotonic_time() - c->at < WEB_PAGE_TTL)
		html = g_bytes_ref(c->html);
	g_mutex_unlock(&w->cache_lock);
	g_free(k);
	return html;
}

/* cached_expired - g_hash_table_foreach_remove: an entry older than WEB_PAGE_TTL */
static gboolean cached_expired(gpointer key, gpointer value, gpointer now)
{
	return *(gint64 *)now - ((WebCached *)value)->at >= WEB_PAGE_TTL;
}

/* cache_put - keep html (borrowed) as slug's page (or "SLUG.json", "SLUG/count.json").
 * Only existing petitions get here and the key is folded to lower case as slugs are
 * compared (COLLATE NOCASE: /p/PARK is /p/park), so the table holds at most three entries
 * per petition; expired entries are dropped whenever it holds more than WEB_CACHE_SWEEP */
static void cache_put(PmWeb *w, const char *slug, GBytes *html)
{
	WebCached *c = g_new0(WebCached, 1);

	c->at = g_get_monotonic_time();
	c->html = g_bytes_ref(html);
	g_mutex_lock(&w->cache_lock);
	if (g_hash_table_size(w->cache) > WEB_CACHE_SWEEP)
		g_hash_table_foreach_remove(w->cache, cached_expired, &c->at);
	g_hash_table_replace(w->cache, g_ascii_strdown(slug, -1), c);
	g_mutex_unlock(&w->cache_lock);
}

/* cache_clear - forget every page (after a change made through this server) */
static void cache_clear(PmWeb *w)
{
	g_mutex_lock(&w->cache_lock);
	g_hash_table_remove_all(w->cache);
	g_mutex_unlock(&w->cache_lock);
}

/* page_petition - `/p/SLUG`; postcode: the visitor's postcode box (NULL: none) */
static enum MHD_Result page_petition(PmWeb *w, PmDb *db, struct MHD_Connection *conn,
				     const char *slug, const char *postcode)
{
	GError *e = NULL;
	PetitionStats *s;
	GPtrArray *targets = NULL, *deliveries = NULL;
	JsonNode *stories = NULL;
	const Petition *pt;
	GString *p;
	gint64 toward;
	char *sign, *subject;
	GBytes *html;
	enum MHD_Result r;

	if (postcode && *postcode == '\0')
		postcode = NULL;
	/* without a postcode the page is the same for everyone: served from the cache */
	if (postcode == NULL && (html = cache_get(w, slug)) != NULL) {
		r = answer(conn, 200, "text/html; charset=utf-8", g_bytes_get_data(html, NULL),
			   g_bytes_get_size(html));
		g_bytes_unref(html);
		return r;
	}
	if ((s = stats_petition_need(db, slug, TRUE, &e)) == NULL) {
		if (e && e->code == EX_NOUSER) {
			g_clear_error(&e);
			return answer_message(conn, 404, "Not found", "There is no such petition.");
		}
		return answer_error(conn, e);
	}
	pt = s->petition;
	if (!petition_is_published(pt)) {   /* a draft, or started by mail and not published */
		stats_petition_free(s);
		return answer_message(conn, 404, "Not found", "There is no such petition.");
	}
	if ((targets = target_list_for(db, pt->id, &e)) == NULL ||
	    (deliveries = delivery_list(db, pt->slug, &e)) == NULL ||
	    (stories = story_list_json(db, pt->id, 20, &e)) == NULL) {
		if (targets)
			g_ptr_array_unref(targets);
		if (deliveries)
			g_ptr_array_unref(deliveries);
		stats_petition_free(s);
		return answer_error(conn, e);
	}
	{
		const char *base = w->cfg->base_url;
		char *url = base ? g_strdup_printf("%.*s/p/%s", (int)(strlen(base) -
						   (g_str_has_suffix(base, "/") ? 1 : 0)), base,
						   pt->slug) : NULL;

		p = page_open_meta(pt->title, pt->text ? pt->text : pt->title, url);
		g_free(url);
	}
	g_string_append(p, "<h1 id=\"title\">");
	put(p, pt->title);
	g_string_append(p, "</h1>\n");
	if (pt->status == PETITION_STATUS_CLOSED)
		g_string_append(p, "<p class=\"closed\" id=\"closed\">This petition is closed. "
				"Thank you to everyone who signed.</p>\n");
	g_string_append(p, "<div id=\"text\">");
	{
		char **paras = g_strsplit(pt->text ? pt->text : "", "\n\n", -1);

		for (char **q = paras; *q; q++) {
			g_string_append(p, "<p>");
			put(p, *q);
			g_string_append(p, "</p>");
		}
		g_strfreev(paras);
	}
	g_string_append(p, "</div>\n<h2>Addressed to</h2><p id=\"targets\">");
	for (guint i = 0; i < targets->len; i++) {
		const Target *t = g_ptr_array_index(targets, i);

		if (i)
			g_string_append(p, "; ");
		put(p, t->name);
		if (t->title) {
			g_string_append(p, ", ");
			put(p, t->title);
		}
		if (t->district) {
			g_string_append(p, " (");
			put(p, t->district);
			g_string_append(p, ")");
		}
	}
	if (targets->len == 0)
		g_string_append(p, "&#8212;");
	g_string_append(p, "</p>\n");
	/* the goal, or once past it the next milestone */
	toward = pt->goal > 0 && s->confirmed >= pt->goal ? milestone_next(pt->goal, s->confirmed)
							  : pt->goal;
	g_string_append_printf(p, "<p><strong id=\"count\">%" G_GINT64_FORMAT "</strong> "
			       "signatures", s->confirmed);
	if (toward > 0)
		g_string_append_printf(p, " of <span id=\"goal\">%" G_GINT64_FORMAT "</span>",
				       toward);
	g_string_append(p, "</p>\n");
	if (toward > 0)
		g_string_append_printf(p, "<progress id=\"progress\" max=\"%" G_GINT64_FORMAT "\" "
				       "value=\"%" G_GINT64_FORMAT "\">%" G_GINT64_FORMAT
				       "%%</progress>\n", toward, MIN(s->confirmed, toward),
				       s->confirmed * 100 / toward);
	g_string_append(p, "<h2>Signatures over time</h2>\n");
	chart_svg(p, s->by_day);
	/* ways to sign */
	sign = address_make(w->cfg, "sign", pt->slug, NULL);
	subject = g_uri_escape_string(pt->title, NULL, FALSE);
	if (pt->status == PETITION_STATUS_OPEN) {
		char *href = g_strdup_printf("mailto:%s?subject=%s%s", sign, "Sign%3A%20", subject);

		g_string_append(p, "<h2>Sign</h2><p><a class=\"button\" id=\"mailto\" href=\"");
		put(p, href);
		g_string_append(p, "\">Sign by email</a> (send any message to ");
		put(p, sign);
		g_string_append(p, "; we will ask you to confirm), or fill in this form:</p>\n");
		sign_form(p, pt->slug);
		g_free(href);
	}
	g_free(subject);
	g_free(sign);
	/* the postcode box */
	g_string_append(p, "<h2>Your district</h2><form id=\"postcode-form\" method=\"get\" action=\"/p/");
	put(p, pt->slug);
	g_string_append(p, "\"><label>Postcode <input name=\"postcode\" maxlength=\"16\"></label> "
			"<button type=\"submit\">Find</button></form>\n");
	if (postcode) {
		char *d = district_for_postcode(db, postcode, NULL);

		g_string_append(p, "<p id=\"district\">");
		if (d) {
			g_string_append(p, "Your district is <strong>");
			put(p, d);
			g_string_append(p, "</strong>; it is represented by ");
			targets_of(p, targets, d);
			g_string_append(p, ".");
		} else {
			g_string_append(p, "We do not know the district of this postcode.");
		}
		g_string_append(p, "</p>\n");
		g_free(d);
	}
	/* by district */
	g_string_append(p, "<h2>By district</h2><table id=\"districts\"><tr><th>District</th>"
			"<th>Signatures</th><th>Target</th></tr>\n");
	for (guint i = 0; s->by_district && i < s->by_district->len; i++) {
		const StatsCount *c = g_ptr_array_index(s->by_district, i);

		g_string_append(p, "<tr><td>");
		put(p, c->name);
		g_string_append_printf(p, "</td><td>%" G_GINT64_FORMAT "</td><td>", c->count);
		targets_of(p, targets, c->name);
		g_string_append(p, "</td></tr>\n");
	}
	g_string_append(p, "</table>\n");
	/* approved stories: their text only, never who wrote them */
	{
		JsonArray *a = json_node_get_array(stories);

		if (json_array_get_length(a) > 0) {
			g_string_append(p, "<h2>Stories</h2><div id=\"stories\">\n");
			for (guint i = 0; i < json_array_get_length(a); i++) {
				JsonObject *o = json_array_get_object_element(a, i);

				g_string_append(p, "<blockquote>");
				put(p, json_object_get_string_member_with_default(o, "text", ""));
				g_string_append(p, "</blockquote>\n");
			}
			g_string_append(p, "</div>\n");
		}
	}
	/* the delivery timeline */
	if (deliveries->len > 0) {
		gint64 last = 0;

		g_string_append(p, "<h2>Deliveries</h2><table id=\"deliveries\"><tr><th>To</th>"
				"<th>When</th><th>Signatures</th><th>Replies</th></tr>\n");
		for (guint i = 0; i < deliveries->len; i++) {
			const DeliveryRow *d = g_ptr_array_index(deliveries, i);
			char *when = d->sent_at ? pm_time_iso(d->sent_at) : NULL;

			g_string_append(p, "<tr><td>");
			put(p, d->target.name);
			g_string_append(p, "</td><td>");
			put(p, when ? when : "not yet sent");
			g_string_append_printf(p, "</td><td>%" G_GINT64_FORMAT "</td><td>%u</td></tr>\n",
					       d->signatures, d->replies ? d->replies->len : 0);
			if (d->sent_at)
				last = MAX(last, d->total);
			g_free(when);
		}
		g_string_append(p, "</table>\n");
		if (last > 0)
			g_string_append_printf(p, "<p id=\"since\">%" G_GINT64_FORMAT " signatures "
					       "since the last delivery.</p>\n",
					       MAX(s->confirmed - last, 0));
	}
	json_node_unref(stories);
	g_ptr_array_unref(deliveries);
	g_ptr_array_unref(targets);
	stats_petition_free(s);
	if (postcode)
		return answer_page(conn, 200, p);
	g_string_append(p, "</body></html>\n");
	html = g_string_free_to_bytes(p);
	cache_put(w, slug, html);
	r = answer(conn, 200, "text/html; charset=utf-8", g_bytes_get_data(html, NULL),
		   g_bytes_get_size(html));
	g_bytes_unref(html);
	return r;
}

/* json_petition - `/p/SLUG.json` (full) or `/p/SLUG/count.json` (count_only) */
static enum MHD_Result json_petition(PmWeb *w, PmDb *db, struct MHD_Connection *conn,
				     const char *slug, gboolean count_only)
{
	GError *e = NULL;
	PetitionStats *s;
	JsonBuilder *b;
	/* cached like the page, under the path's own ending */
	char *key = g_strconcat(slug, count_only ? "/count.json" : ".json", NULL), *text;
	GBytes *json = cache_get(w, key);
	enum MHD_Result r;

	if (json) {
		r = answer(conn, 200, "application/json", g_bytes_get_data(json, NULL),
			   g_bytes_get_size(json));
		g_bytes_unref(json);
		g_free(key);
		return r;
	}
	s = stats_petition_need(db, slug, !count_only, &e);
	if (s == NULL || !petition_is_published(s->petition)) {
		g_free(key);
		stats_petition_free(s);
		if (e && e->code != EX_NOUSER)
			return answer_error(conn, e);
		g_clear_error(&e);
		return answer_message(conn, 404, "Not found", "There is no such petition.");
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_put_str(b, "slug", s->petition->slug);
	json_put_int(b, "signatures", s->confirmed);
	json_put_int(b, "goal", s->petition->goal);
	json_put_str(b, "status", petition_status_name(s->petition->status));
	if (!count_only) {
		json_put_str(b, "title", s->petition->title);
		json_put_str(b, "text", s->petition->text);
		json_put_time(b, "closes_at", s->petition->closes_at);
		json_put_array(b, "by_district");
		for (guint i = 0; s->by_district && i < s->by_district->len; i++) {
			StatsCount *c = g_ptr_array_index(s->by_district, i);

			json_builder_begin_object(b);
			json_put_str(b, "district", c->name);
			json_put_int(b, "signatures", c->count);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_put_array(b, "by_day");
		for (guint i = 0; s->by_day && i < s->by_day->len; i++) {
			StatsCount *c = g_ptr_array_index(s->by_day, i);

			json_builder_begin_object(b);
			json_put_str(b, "day", c->name);
			json_put_int(b, "signatures", c->count);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	stats_petition_free(s);
	text = json_text(b, FALSE);
	g_object_unref(b);
	json = g_bytes_new_take(text, strlen(text));
	cache_put(w, key, json);
	r = answer(conn, 200, "application/json", g_bytes_get_data(json, NULL),
		   g_bytes_get_size(json));
	g_bytes_unref(json);
	g_free(key);
	return r;
}

/* ==== One-click unsubscribe (RFC 8058) ==== */

/* as_mail - the form as the message its sender could have written to address to: From:
 * email alone (no display name: a name typed on a page goes to the inbound step
 * directly, inbound_process_named, since a header would be decoded again), the comment as
 * its text (GMime writes the headers: no injection), marked as the web form's
 * (inbound_web_mark) */
static GBytes *as_mail(const PmConfig *cfg, const PmSecret *key, const char *email,
		       const char *to, const char *subject, const char *text)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	char *id = g_mime_utils_generate_message_id(cfg->domain), *mark;
	GDateTime *now;
	char *raw;
	GBytes *b;

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, NULL, email);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL, to);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_message_id(m, id);
	now = g_date_time_new_now_utc();
	g_mime_message_set_date(m, now);
	g_date_time_unref(now);
	mark = inbound_web_mark(key, id);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Peermail-Source", mark, NULL);
	g_free(mark);
	g_mime_text_part_set_text(part, text ? text : "");
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	raw = g_mime_object_to_string(GMIME_OBJECT(m), NULL);
	b = g_bytes_new_take(raw, strlen(raw));
	g_object_unref(part);
	g_object_unref(m);
	g_free(id);
	return b;
}

/* body_is_one_click - does body (of content type ctype) carry List-Unsubscribe=One-Click? */
static gboolean body_is_one_click(const char *ctype, const GString *body)
{
	gboolean yes = FALSE;

	if (ctype == NULL)
		return FALSE;
	if (g_ascii_strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		char **pairs = g_strsplit(body->str, "&", 16);

		for (char **q = pairs; *q && !yes; q++) {
			char *v = g_uri_unescape_string(g_strstrip(*q), NULL);

			yes = v && strcmp(v, "List-Unsubscribe=One-Click") == 0;
			g_free(v);
		}
		g_strfreev(pairs);
	} else if (g_ascii_strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		/* a part named List-Unsubscribe whose value is One-Click */
		const char *n = strstr(body->str, "name=\"List-Unsubscribe\"");
		const char *v = n ? strstr(n, "\r\n\r\n") : NULL;

		yes = v && strncmp(v + 4, "One-Click\r\n", 11) == 0;
	}
	return yes;
}

/* unfollow - /u/TOKEN of a petition's update (TOKEN_UNFOLLOW t): GET shows a button,
 * POST with One-Click stops that petition's updates to the token's signer, as mail to
 * unfollow+TOKEN would, through the inbound pipeline (inbound/route.c do_unfollow). The
 * way back (a one-time follow+TOKEN) goes by mail to the member's own address, never on
 * this page: update copies carry /u/TOKEN, so a forwarded copy passes it on */
static enum MHD_Result unfollow(const PmWeb *w, PmDb *db, struct MHD_Connection *conn,
				const char *method, const char *token, const Token *t,
				const WebReq *req)
{
	GError *e = NULL;
	Petition *p = petition_get(db, t->object, &e);
	Member *mb = p ? member_get(db, t->member, &e) : NULL;
	enum MHD_Result r;

	if (p == NULL || mb == NULL) {
		petition_free(p);
		if (e)
			return answer_error(conn, e);
		return answer_message(conn, 404, "Unknown link",
				      "This unsubscribe link is not valid or has expired.");
	}
	if (strcmp(method, "POST") != 0) {
		GString *page = page_open("Unsubscribe");
		char *title = esc(p->title);

		g_string_append_printf(page, "<h1>Unsubscribe</h1><p>Stop receiving updates about "
				       "<strong>%s</strong>?</p><form id=\"unsubscribe\" "
				       "method=\"post\" action=\"/u/", title);
		put(page, token);
		g_string_append(page, "\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
				"value=\"One-Click\"><button class=\"button\" type=\"submit\">"
				"Unsubscribe</button></form>\n");
		g_free(title);
		r = answer_page(conn, 200, page);
	} else if (!body_is_one_click(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								  "Content-Type"), req->body)) {
		r = answer_message(conn, 400, "Bad request",
				   "A one-click unsubscribe sends List-Unsubscribe=One-Click.");
	} else if (mb->email == NULL) {
		/* forgotten: nothing goes to them; a sender's retry gets the same answer */
		r = answer_message(conn, 200, "Unsubscribed", "You will receive no more updates.");
	} else {
		InboundOutcome out = { 0 };
		char *to = address_make(w->cfg, "unfollow", NULL, token);
		GBytes *raw = as_mail(w->cfg, w->key, member_address(mb), to, "Unsubscribe", "");

		if (!inbound_process(db, w->cfg, w->key, raw, member_address(mb), to, &out, &e)) {
			r = answer_error(conn, e);
		} else {
			/* the same words whatever happened (whoever posts a forwarded link
			 * learns nothing): the way back is mailed only when this stopped them */
			char *text = g_strdup_printf("You will receive no more updates about %s. "
						     "If this stopped them, the way back was sent "
						     "to your own address.", p->title);

			log_info("web: one-click unfollow: petition %s, member %" G_GINT64_FORMAT
				 ": %s", p->slug, mb->id, out.result);
			r = answer_message(conn, 200, "Unsubscribed", text);
			g_free(text);
		}
		inbound_outcome_clear(&out);
		g_bytes_unref(raw);
		g_free(to);
	}
	member_free(mb);
	petition_free(p);
	return r;
}

/* unsubscribe - /u/TOKEN: GET shows a button, POST with One-Click unsubscribes (from a
 * list; or, for a petition update's token, from that petition's updates) */
static enum MHD_Result unsubscribe(const PmWeb *w, PmDb *db, struct MHD_Connection *conn,
				   const char *method, const char *token, const WebReq *req)
{
	GError *e = NULL;
	Token t;
	List *l = NULL;
	Member *mb = NULL;
	enum MHD_Result r;

	if (token_looks_like(token) && token_decode(w->key, token, TOKEN_UNFOLLOW, &t, NULL))
		return unfollow(w, db, conn, method, token, &t, req);
	if (!token_looks_like(token) || !token_decode(w->key, token, TOKEN_UNSUBSCRIBE, &t, NULL))
		return answer_message(conn, 404, "Unknown link",
				      "This unsubscribe link is not valid or has expired.");
	if ((l = list_get(db, t.object, &e)) == NULL || (mb = member_get(db, t.member, &e)) == NULL) {
		list_free(l);
		if (e)
			return answer_error(conn, e);
		return answer_message(conn, 404, "Unknown link",
				      "This unsubscribe link is not valid or has expired.");
	}
	if (strcmp(method, "POST") != 0) {
		GString *p = page_open("Unsubscribe");
		char *title = esc(l->title ? l->title : l->name);

		g_string_append_printf(p, "<h1>Unsubscribe</h1><p>Stop receiving mail from "
				       "<strong>%s</strong>?</p><form id=\"unsubscribe\" "
				       "method=\"post\" action=\"/u/", title);
		put(p, token);
		g_string_append(p, "\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
				"value=\"One-Click\"><button class=\"button\" type=\"submit\">"
				"Unsubscribe</button></form>\n");
		g_free(title);
		r = answer_page(conn, 200, p);
	} else if (!body_is_one_click(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								  "Content-Type"), req->body)) {
		r = answer_message(conn, 400, "Bad request",
				   "A one-click unsubscribe sends List-Unsubscribe=One-Click.");
	} else if (!db_begin(db, &e) ||
		   !subscription_set(db, l->id, mb->id, SUBSCRIPTION_STATUS_UNSUBSCRIBED, &e) ||
		   !db_commit(db, &e)) {
		db_rollback(db);
		r = answer_error(conn, e);
	} else {
		char *title = g_strdup_printf("You will receive no more mail from %s.",
					      l->title ? l->title : l->name);

		log_info("web: one-click unsubscribe: list %s, member %" G_GINT64_FORMAT, l->name,
			 mb->id);
		r = answer_message(conn, 200, "Unsubscribed", title);
		g_free(title);
	}
	member_free(mb);
	list_free(l);
	return r;
}

/* ==== Signing on the web ==== */

/* client_ip - the client's address; behind a proxy on loopback, its X-Real-IP; caller frees */
static char *client_ip(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "unknown";
	const char *real;

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  sizeof(buf));
	}
	real = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP");
	if (real && (strcmp(buf, "127.0.0.1") == 0 || strcmp(buf, "::1") == 0) &&
	    strlen(real) < INET6_ADDRSTRLEN && strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
		return g_strdup(real);
	return g_strdup(buf);
}

/* ip_allowed - count one sign attempt of ip; FALSE when over WEB_SIGN_PER_IP in the window */
static gboolean ip_allowed(PmWeb *w, const char *ip)
{
	return ratelimit_hit(w->attempts, ip, pm_now());
}

/* sign_form - the web form of petition slug */
static void sign_form(GString *p, const char *slug)
{
	g_string_append(p, "<form id=\"sign-form\" method=\"post\" action=\"/p/");
	put(p, slug);
	/* no name here: anyone can type anyone's address; the name is asked on the
	 * confirmation page (/c/TOKEN), which only the person's own mail leads to */
	g_string_append(p, "/sign\"><p><label>Email <input type=\"email\" name=\"email\" "
			"maxlength=\"254\" required></label></p><p><label>Postcode <input "
			"name=\"postcode\" maxlength=\"16\"></label></p><p><label>Comment "
			"(optional)<br><textarea name=\"comment\" rows=\"3\" cols=\"40\" "
			"maxlength=\"2000\"></textarea></label></p><p class=\"hp\"><label>Leave "
			"this empty <input name=\"website\" tabindex=\"-1\" autocomplete=\"off\">"
			"</label></p><p><button class=\"button\" type=\"submit\">Sign</button> "
			"We will send you an email to confirm.</p></form>\n");
}

/* form_value - a cleaned form field (NULL when absent or empty); caller frees */
static char *form_value(GHashTable *form, const char *key, gssize max)
{
	const char *v = form ? g_hash_table_lookup(form, key) : NULL;
	char *c;

	if (v == NULL || !g_utf8_validate(v, -1, NULL))
		return NULL;
	c = pm_clean_text_len(v, max);
	if (c && *g_strstrip(c) == '\0') {
		g_free(c);
		c = NULL;
	}
	return c;
}

/* sign_sent - the one answer to a sign form that was read: the same page whether a
 * confirmation went, the address had signed, or the daily limit kept the mail back, so
 * that the page tells nobody what mail an address got (the person learns it by mail) */
static enum MHD_Result sign_sent(struct MHD_Connection *conn)
{
	return answer_message(conn, 200, "Check your mail",
			      "If this address can sign, a confirmation is on its way: reply to "
			      "it, or follow the link in it, to confirm your signature. Nothing "
			      "there? Look in your spam folder, or try again tomorrow.");
}

/* sign - POST /p/SLUG/sign: a pending signature and the same confirmation request as
 * mail to sign+SLUG, through the inbound pipeline; refusals of the form are pages that
 * say why, but what happened to the address is never told (sign_sent) */
static enum MHD_Result sign(PmWeb *w, PmDb *db, struct MHD_Connection *conn, const char *slug,
			    const WebReq *req)
{
	const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	GHashTable *form = NULL;
	char *email = NULL, *addr = NULL, *postcode = NULL;
	char *comment = NULL;
	char *ip = client_ip(conn), *to = NULL, *hp = NULL;
	Petition *p = NULL;
	GError *e = NULL;
	enum MHD_Result r;

	if (ctype && g_ascii_strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0)
		form = g_uri_parse_params(req->body->str, req->body->len, "&",
					  G_URI_PARAMS_WWW_FORM, NULL);
	email = form_value(form, "email", 254);
	postcode = form_value(form, "postcode", 16);
	comment = form_value(form, "comment", 2000);
	hp = form_value(form, "website", 100);
	if ((p = petition_find(db, slug, &e)) == NULL || !petition_is_published(p)) {
		r = e ? answer_error(conn, g_steal_pointer(&e))
		      : answer_message(conn, 404, "Not found", "There is no such petition.");
	} else if (form == NULL) {
		r = answer_message(conn, 400, "Bad request", "The form could not be read.");
	} else if (hp) {
		log_info("web: sign form with the honeypot filled, from %s: refused", ip);
		r = answer_message(conn, 400, "Not signed",
				   "This form was filled in automatically; nothing was done.");
	} else if (!petition_is_open(p)) {
		r = answer_message(conn, 409, "Petition closed",
				   "This petition is closed and takes no more signatures.");
	} else if (email == NULL || (addr = address_given(email)) == NULL) {
		r = answer_form_error(conn, 400, "Please give a valid email address.", p->slug);
	} else if (!ip_allowed(w, ip)) {
		r = answer_message(conn, 429, "Too many attempts",
				   "Too many signatures were sent from your network in the last "
				   "hour. Please try again later, or sign by email.");
	} else {
		/* always the inbound pipeline: the pending signature is recorded, and only the
		 * mail is held back by the daily limit (inbound/route.c respond: the web
		 * form's answers at most one a day per address); the page is the same */
		InboundOutcome out = { 0 };
		GBytes *raw;
		char *subject = g_strdup_printf("Sign: %s", p->title);

		to = address_make(w->cfg, "sign", p->slug, NULL);
		raw = as_mail(w->cfg, w->key, addr, to, subject, comment);
		g_free(subject);
		/* the postcode given waits with the pending signature: the member gets it
		 * (and so a district) only by confirming (inbound/route.c adopt_postcode) */
		if (!inbound_process_form(db, w->cfg, w->key, raw, addr, to, NULL, postcode,
					  &out, &e)) {
			r = answer_error(conn, g_steal_pointer(&e));
		} else {
			log_info("web: sign %s from %s: %s %s", p->slug, ip, out.action, out.result);
			/* "already" and "limited" too: a page never tells whether an address
			 * signed or got mail; the person is told by mail (already_signed) */
			r = sign_sent(conn);
		}
		inbound_outcome_clear(&out);
		g_bytes_unref(raw);
	}
	if (form)
		g_hash_table_unref(form);
	petition_free(p);
	g_free(email);
	g_free(addr);
	g_free(postcode);
	g_free(comment);
	g_free(hp);
	g_free(ip);
	g_free(to);
	return r;
}

/* confirm - /c/TOKEN: GET shows the name box and a button; POST confirms, as a reply to
 * confirm+TOKEN would, with the name typed there handed to the inbound step directly
 * (never through a header); it becomes the member's name, replacing one stored before (a
 * member's name comes only from their own act: inbound/route.c adopt_name) */
static enum MHD_Result confirm(PmWeb *w, PmDb *db, struct MHD_Connection *conn,
			       const char *method, const char *token, const WebReq *req)
{
	const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	GError *e = NULL;
	Token t;
	Member *mb = NULL;
	enum MHD_Result r;

	if (!token_looks_like(token) || !token_decode(w->key, token, TOKEN_CONFIRM, &t, NULL) ||
	    (mb = member_get(db, t.member, &e)) == NULL || mb->email == NULL) {
		member_free(mb);
		if (e)
			return answer_error(conn, e);
		return answer_message(conn, 404, "Unknown link",
				      "This confirmation link is not valid or has expired.");
	}
	if (strcmp(method, "POST") != 0) {
		GString *p = page_open("Confirm your signature");

		g_string_append(p, "<h1>Confirm your signature</h1><form id=\"confirm\" "
				"method=\"post\" action=\"/c/");
		put(p, token);
		g_string_append(p, "\">");
		if (mb->name == NULL || *mb->name == '\0')
			g_string_append(p, "<p><label>Your name <input name=\"name\" "
					"maxlength=\"100\" required></label></p>");
		g_string_append(p, "<button class=\"button\" type=\"submit\">Yes, sign</button>"
				"</form>\n");
		r = answer_page(conn, 200, p);
	} else {
		InboundOutcome out = { 0 };
		char *to = address_make(w->cfg, "confirm", NULL, token);
		GHashTable *form = ctype && g_ascii_strncasecmp(ctype,
					"application/x-www-form-urlencoded", 33) == 0
			? g_uri_parse_params(req->body->str, req->body->len, "&",
					     G_URI_PARAMS_WWW_FORM, NULL) : NULL;
		char *name = form_value(form, "name", 100);
		GBytes *raw = as_mail(w->cfg, w->key, member_address(mb), to, "Confirm", "");

		if (form)
			g_hash_table_unref(form);
		if (!inbound_process_named(db, w->cfg, w->key, raw, member_address(mb), to, name,
					   &out, &e)) {
			if (e->code == EX_NOUSER) {
				g_clear_error(&e);
				r = answer_message(conn, 404, "Unknown link",
						   "This confirmation link is not valid or has expired.");
			} else {
				r = answer_error(conn, e);
			}
		} else if (g_strcmp0(out.result, "closed") == 0) {
			r = answer_message(conn, 409, "Petition closed",
					   "This petition closed before your confirmation.");
		} else {
			r = answer_message(conn, 200, "Thank you",
					   "Your signature is confirmed.");
		}
		inbound_outcome_clear(&out);
		g_bytes_unref(raw);
		g_free(name);
		g_free(to);
	}
	member_free(mb);
	return r;
}

/* ==== Dispatch ==== */

/* path_ok - only the characters our paths use, and no "..": the strict part of parsing */
static gboolean path_ok(const char *url)
{
	size_t n = strlen(url);

	if (n == 0 || n > WEB_MAX_PATH || url[0] != '/' || strstr(url, ".."))
		return FALSE;
	for (const char *c = url; *c; c++)
		if (!g_ascii_isalnum(*c) && !strchr("/._-", *c))
			return FALSE;
	return TRUE;
}

/* route - answer a complete request */
static enum MHD_Result route(PmWeb *w, struct MHD_Connection *conn, const char *url,
			     const char *method, const WebReq *req)
{
	gboolean post = strcmp(method, "POST") == 0;
	GError *e = NULL;
	PmDb *db;

	if (strcmp(url, "/style.css") == 0 && !post)
		return answer(conn, 200, "text/css; charset=utf-8", WEB_CSS, sizeof(WEB_CSS) - 1);
	if (strcmp(url, "/robots.txt") == 0 && !post)
		return answer(conn, 200, "text/plain", "User-agent: *\nDisallow: /u/\n", 29);
	if ((db = db_of_thread(w, &e)) == NULL)
		return answer_error(conn, e);
	if (g_str_has_prefix(url, "/u/") && strchr(url + 3, '/') == NULL)
		return unsubscribe(w, db, conn, method, url + 3, req);
	if (g_str_has_prefix(url, "/c/") && strchr(url + 3, '/') == NULL) {
		enum MHD_Result r = confirm(w, db, conn, method, url + 3, req);

		if (post)
			cache_clear(w);         /* a count changed: show it at once */
		return r;
	}
	if (post && g_str_has_prefix(url, "/p/") && g_str_has_suffix(url, "/sign")) {
		char *slug = g_strndup(url + 3, strlen(url) - 3 - 5);
		enum MHD_Result r = strchr(slug, '/') ? answer_message(conn, 404, "Not found",
								      "There is no such page.")
						      : sign(w, db, conn, slug, req);

		g_free(slug);
		return r;
	}
	if (post)
		return answer_message(conn, 405, "Method not allowed", "This page takes no form.");
	if (strcmp(url, "/") == 0)
		return page_index(w, db, conn);
	if (g_str_has_prefix(url, "/p/")) {
		const char *slug = url + 3;
		const char *slash = strchr(slug, '/');
		enum MHD_Result r;
		char *s;

		if (slash == NULL && g_str_has_suffix(slug, ".json")) {
			s = g_strndup(slug, strlen(slug) - 5);
			r = json_petition(w, db, conn, s, FALSE);
		} else if (slash && strcmp(slash, "/count.json") == 0) {
			s = g_strndup(slug, slash - slug);
			r = json_petition(w, db, conn, s, TRUE);
		} else if (slash == NULL) {
			s = g_strdup(slug);
			r = page_petition(w, db, conn, s,
					  MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
								      "postcode"));
		} else if (strcmp(slash, "/sign") == 0) {
			/* the form's address, copied from the address bar after signing and
			 * shared: the petition itself (the path passed path_ok: no markup) */
			char *to = g_strdup_printf("/p/%.*s", (int)(slash - slug), slug);
			char *body = g_strdup_printf("<!DOCTYPE html>\n<p><a href=\"%s\">%s</a></p>\n",
						     to, to);

			r = answer_to(conn, 303, "text/html; charset=utf-8", body, strlen(body), to);
			g_free(body);
			g_free(to);
			return r;
		} else {
			return answer_message(conn, 404, "Not found", "There is no such page.");
		}
		g_free(s);
		return r;
	}
	return answer_message(conn, 404, "Not found", "There is no such page.");
}

/* on_request - libmicrohttpd's handler: check, gather the body, answer */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	PmWeb *w = cls;
	WebReq *req = *con_cls;

	if (req == NULL) {
		const char *len;

		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
		    strcmp(method, "POST") != 0)
			return answer_message(conn, 405, "Method not allowed",
					      "Only GET, HEAD and POST are served.");
		if (!path_ok(url))
			return answer_message(conn, 400, "Bad request", "This address is not valid.");
		len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (len && g_ascii_strtoull(len, NULL, 10) > WEB_MAX_BODY)
			return answer_message(conn, 413, "Too large", "The request is too large.");
		req = g_new0(WebReq, 1);
		req->body = g_string_new(NULL);
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->body->len + *upload_data_size > WEB_MAX_BODY)
			req->too_big = TRUE;
		else
			g_string_append_len(req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->too_big)
		return answer_message(conn, 413, "Too large", "The request is too large.");
	return route(w, conn, url, method, req);
}

/* on_completed - free the request's state */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	PmWeb *w = cls;
	WebReq *req = *con_cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	/* the next request on this connection gets its own deadline */
	if (ci && ci->socket_context) {
		g_mutex_lock(&w->conns_lock);
		((WebConn *)ci->socket_context)->start = g_get_monotonic_time();
		g_mutex_unlock(&w->conns_lock);
	}
	if (req) {
		g_string_free(req->body, TRUE);
		g_free(req);
		*con_cls = NULL;
	}
}

/* on_connection - track each connection from its start (MHD_OPTION_NOTIFY_CONNECTION) */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	PmWeb *w = cls;
	WebConn *c;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		c = g_new0(WebConn, 1);
		c->fd = ci ? ci->connect_fd : -1;
		c->start = g_get_monotonic_time();
		g_mutex_lock(&w->conns_lock);
		g_hash_table_add(w->conns, c);
		g_mutex_unlock(&w->conns_lock);
		*socket_context = c;
	} else if ((c = *socket_context) != NULL) {
		/* libmicrohttpd closes the socket after this: the watchdog never sees a reused fd */
		g_mutex_lock(&w->conns_lock);
		g_hash_table_remove(w->conns, c);
		g_mutex_unlock(&w->conns_lock);
		g_free(c);
		*socket_context = NULL;
	}
}

/* watchdog - every quarter second, shut down the sockets of requests older than the
 * deadline: the idle timeout alone never cuts a client that trickles a byte at a time
 * (libmicrohttpd then sees the end of the stream and closes the connection itself) */
static gpointer watchdog(gpointer data)
{
	PmWeb *w = data;

	g_mutex_lock(&w->conns_lock);
	while (!w->stopping) {
		gint64 now = g_get_monotonic_time();
		GHashTableIter it;
		gpointer k;

		g_hash_table_iter_init(&it, w->conns);
		while (g_hash_table_iter_next(&it, &k, NULL)) {
			WebConn *c = k;

			if (!c->cut && c->fd >= 0 && now - c->start > w->deadline) {
				c->cut = TRUE;
				shutdown(c->fd, SHUT_RDWR);
				log_info("web: a request took more than %" G_GINT64_FORMAT
					 " s to arrive: connection cut", w->deadline / G_USEC_PER_SEC);
			}
		}
		g_cond_wait_until(&w->conns_cond, &w->conns_lock, now + G_USEC_PER_SEC / 4);
	}
	g_mutex_unlock(&w->conns_lock);
	return NULL;
}

/* watchdog_stop - end the watchdog thread */
static void watchdog_stop(PmWeb *w)
{
	if (w->watchdog) {
		g_mutex_lock(&w->conns_lock);
		w->stopping = TRUE;
		g_cond_signal(&w->conns_cond);
		g_mutex_unlock(&w->conns_lock);
		g_thread_join(w->watchdog);
		w->watchdog = NULL;
	}
}

/* web_free - free what web_start made (the daemon already stopped) */
static void web_free(PmWeb *w)
{
	watchdog_stop(w);
	ratelimit_free(w->attempts);
	g_hash_table_unref(w->conns);
	g_mutex_clear(&w->conns_lock);
	g_cond_clear(&w->conns_cond);
	g_hash_table_unref(w->cache);
	g_mutex_clear(&w->cache_lock);
	g_free(w);
}

/* parse_addr - "host:port", "[v6]:port" or "port" into ss; FALSE if malformed */
static gboolean parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *colon = strrchr(addr, ':');
	char *host;
	char *end;
	guint64 port;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	gboolean ok;

	memset(ss, 0, sizeof(*ss));
	port = g_ascii_strtoull(colon ? colon + 1 : addr, &end, 10);
	if (*end || end == (colon ? colon + 1 : addr) || port > 65535)
		return FALSE;
	host = colon ? g_strndup(addr, colon - addr) : g_strdup("127.0.0.1");
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		ok = inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1;
		*len = sizeof(*in6);
	} else {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		ok = inet_pton(AF_INET, host, &in4->sin_addr) == 1;
		*len = sizeof(*in4);
	}
	g_free(host);
	return ok;
}

/* listens_on_loopback - TRUE for 127.0.0.0/8 and ::1 */
static gboolean listens_on_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* web_start - see web.h */
PmWeb *web_start(const PmConfig *cfg, const PmSecret *key, const char *addr,
		 const WebLimits *limits, GError **error)
{
	static const WebLimits none = { 0 };
	struct sockaddr_storage ss;
	socklen_t sslen;
	PmWeb *w;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	char *cert = NULL, *tkey = NULL;
	unsigned per_ip;

	if (!lazylib_load(&mhd_lib, error))
		return NULL;

	if (limits == NULL)
		limits = &none;
	per_ip = limits->per_ip ? limits->per_ip : 32u;
	if (!parse_addr(addr, &ss, &sslen)) {
		g_set_error(error, PM_ERROR, EX_USAGE, "%s: not an address (HOST:PORT)", addr);
		return NULL;
	}
	if (!limits->tls_cert != !limits->tls_key) {
		g_set_error(error, PM_ERROR, EX_USAGE, "TLS needs both a certificate and a key file");
		return NULL;
	}
	if (limits->tls_cert) {
		GError *e = NULL;

		if (!g_file_get_contents(limits->tls_cert, &cert, NULL, &e) ||
		    !g_file_get_contents(limits->tls_key, &tkey, NULL, &e)) {
			g_set_error(error, PM_ERROR, EX_NOINPUT, "%s", e->message);
			g_error_free(e);
			g_free(cert);
			return NULL;
		}
		flags |= MHD_USE_TLS;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* on loopback every connection is the proxy's (contrib/nginx), so a per-address
	 * limit would cap all visitors together: there it defaults to the total */
	if (limits->per_ip == 0 && listens_on_loopback(&ss))
		per_ip = limits->connections ? limits->connections : 512u;
	w = g_new0(PmWeb, 1);
	w->cfg = cfg;
	w->key = key;
	w->attempts = ratelimit_new(WEB_SIGN_PER_IP, WEB_SIGN_WINDOW, WEB_SIGN_TABLE);
	w->deadline = (gint64)(limits->timeout ? limits->timeout : 10u) * G_USEC_PER_SEC;
	g_mutex_init(&w->conns_lock);
	g_cond_init(&w->conns_cond);
	w->conns = g_hash_table_new(g_direct_hash, g_direct_equal);
	w->watchdog = g_thread_new("web-watchdog", watchdog, w);
	g_mutex_init(&w->cache_lock);
	w->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cached_free);
	/* the TLS options come last: without TLS they end the list early (MHD_OPTION_END) */
	w->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, w,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, limits->threads ? limits->threads : 4u,
		MHD_OPTION_CONNECTION_LIMIT, limits->connections ? limits->connections : 512u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, limits->timeout ? limits->timeout : 10u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, w,
		cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
		MHD_OPTION_HTTPS_MEM_KEY, tkey,
		MHD_OPTION_END);
	if (tkey)
		memset(tkey, 0, strlen(tkey));
	g_free(tkey);
	g_free(cert);
	if (w->daemon == NULL) {
		g_set_error(error, PM_ERROR, EX_UNAVAILABLE, "cannot listen on %s%s", addr,
			    flags & MHD_USE_TLS ? " (or the certificate and key do not load)" : "");
		web_free(w);
		return NULL;
	}
	info = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
	w->port = info ? info->port : 0;
	log_info("web: listening on %s (port %u%s)", addr, w->port,
		 flags & MHD_USE_TLS ? ", TLS" : "");
	return w;
}

/* web_port - see web.h */
unsigned web_port(const PmWeb *w)
{
	return w ? w->port : 0;
}

/* web_stop - see web.h */
PmWeb *web_stop(PmWeb *w)
{
	if (w) {
		MHD_stop_daemon(w->daemon);
		web_free(w);
	}
	return NULL;
}
