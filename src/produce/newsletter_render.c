/*
 * newsletter_render.c - one member's copy of a newsletter, built at send time; previews;
 * the scheduler task and the `newsletter send --wait` loop.
 *
 * Per copy: Mustache over the Markdown source with the member's data (escape_html FALSE)
 * gives the text part's body; that through template_markdown gives body_html; both go into
 * the newsletter's template with {member, list, petition, sign_address, unsubscribe_address,
 * unsubscribe_url, stories, newsletter:{id, subject}, body, body_html}; the subject is
 * Mustache too, rendered first. A member whose language has a translation of the newsletter
 * (newsletter_translate) gets its subject and body; every member gets the template (and
 * its footer) of their language, and the petition's plural forms in it. Linked to a petition,
 * Reply-To is the member's sign+SLUG+TOKEN; list headers carry leave+TOKEN. A creator's
 * update to a petition's signers (audience signers: no list) carries unfollow+TOKEN
 * instead (it stops that petition's updates) under List-Id SLUG.updates.DOMAIN.
 *
 * The parts shared by every copy (the newsletter row, list, petition and stories as JSON,
 * the parsed templates) are cached per newsletter id for NL_CACHE_TTL seconds. The cache
 * is this file's only mutable state and lives in the main thread (the registry gives
 * renderers no user pointer); newsletter_cache_clear() frees it.
 *
 * THREADS: newsletter_prepare (main thread: every SQL statement) snapshots the member and
 * takes a reference on the shared parts; newsletter_build (any thread, several at once)
 * only reads them: the JSON nodes are sealed (immutable; json-glib refcounts atomically),
 * templates are expanded concurrently as template.h allows, compose_message locks its own
 * cache. The reference keeps the parts alive when the cache drops them meanwhile.
 *
 * DIAGNOSTICS: a copy that must not go out any more (newsletter cancelled, member
 * unsubscribed, bouncing or forgotten since expansion) is marked cancelled in the outbox
 * and the renderer returns an error saying why, so the sender sends nothing.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "mail/address.h"
#include "mail/compose.h"
#include "model/list.h"
#include "base/log.h"
#include "model/member.h"
#include "produce/milestone.h"
#include "produce/newsletter_render.h"
#include "model/newsletter.h"
#include "model/petition.h"
#include "base/plural.h"
#include "base/pm.h"
#include "model/story.h"
#include "mail/template.h"

#define NL_CACHE_TTL 60         /* seconds before shared parts (counts, stories) are re-read */
#define NL_STORIES 5            /* approved stories offered to a newsletter's templates */

typedef struct {
	Newsletter *n;
	List *list;
	char *slug;             /* linked petition's slug, or NULL */
	char *updates_id;       /* audience signers: SLUG.updates, its List-Id's name */
	JsonNode *list_json;
	JsonNode *petition_json;    /* NULL when not linked */
	JsonNode *stories_json;
	Template *subject_t;    /* parsed once per newsletter */
	Template *body_t;
	GPtrArray *langs;       /* Translation*: the other languages' subject and body */
	gint64 loaded;
	gint ref;               /* atomic: the cache's and each prepared copy's */
} Shared;

static GHashTable *cache;      /* gint64 id -> Shared*; main thread only */

/* One translation, parsed. */
typedef struct {
	char *lang;
	Template *subject_t;
	Template *body_t;
} Translation;

/* translation_free - GDestroyNotify for Translation */
static void translation_free(gpointer p)
{
	Translation *t = p;

	g_free(t->lang);
	template_unref(t->subject_t);
	template_unref(t->body_t);
	g_free(t);
}

/* shared_unref - drop a reference; frees with the last one (any thread) */
static void shared_unref(gpointer p)
{
	Shared *s = p;

	if (!g_atomic_int_dec_and_test(&s->ref))
		return;
	newsletter_free(s->n);
	list_free(s->list);
	g_free(s->slug);
	g_free(s->updates_id);
	if (s->list_json)
		json_node_unref(s->list_json);
	if (s->petition_json)
		json_node_unref(s->petition_json);
	if (s->stories_json)
		json_node_unref(s->stories_json);
	template_unref(s->subject_t);
	template_unref(s->body_t);
	if (s->langs)
		g_ptr_array_unref(s->langs);
	g_free(s);
}

/* newsletter_cache_clear - free the cached shared parts */
void newsletter_cache_clear(void)
{
	if (cache)
		g_hash_table_destroy(cache);
	cache = NULL;
}

/* shared_get - the shared parts of newsletter id, loaded or cached; borrowed */
static Shared *shared_get(PmDb *db, const PmConfig *cfg, gint64 id, GError **error)
{
	Shared *s;
	GPtrArray *langs;
	gint64 members = 0, now = pm_now();

	if (cache == NULL)
		cache = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, shared_unref);
	s = g_hash_table_lookup(cache, &id);
	if (s && now - s->loaded < NL_CACHE_TTL)
		return s;
	if (s)
		g_hash_table_remove(cache, &id);
	s = g_new0(Shared, 1);
	s->ref = 1;
	s->loaded = now;
	if ((s->n = newsletter_need(db, id, error)) == NULL)
		goto fail;
	if (s->n->audience == NEWSLETTER_AUDIENCE_SIGNERS) {
		/* a creator's update to the petition's signers: no list */
		s->list_json = json_node_init_null(json_node_alloc());
	} else if ((s->list = list_get(db, s->n->list_id, error)) == NULL) {
		if (error && *error == NULL)
			g_set_error(error, PM_ERROR, EX_NOUSER, "newsletter %" G_GINT64_FORMAT
				    ": its list is gone", id);
		goto fail;
	} else {
		subscription_count_active(db, s->list->id, &members, NULL);
		s->list_json = list_to_json(cfg, s->list, members);
	}
	if (s->n->petition_id) {
		Petition *p = petition_get(db, s->n->petition_id, error);

		if (p == NULL)
			goto fail;
		s->slug = g_strdup(p->slug);
		s->updates_id = g_strconcat(p->slug, ".updates", NULL);
		s->petition_json = petition_to_json(db, cfg, p);
		petition_free(p);
	}
	if ((s->stories_json = story_list_json(db, s->n->petition_id, NL_STORIES, error)) == NULL)
		goto fail;
	if ((s->subject_t = template_parse(s->n->subject, error)) == NULL ||
	    (s->body_t = template_parse(s->n->body, error)) == NULL) {
		g_prefix_error(error, "newsletter %" G_GINT64_FORMAT ": ", id);
		goto fail;
	}
	if ((langs = newsletter_translations(db, id, error)) == NULL)
		goto fail;
	s->langs = g_ptr_array_new_with_free_func(translation_free);
	for (guint i = 0; i < langs->len; i++) {
		const NewsletterTranslation *nt = langs->pdata[i];
		Translation *t = g_new0(Translation, 1);

		t->lang = g_strdup(nt->lang);
		g_ptr_array_add(s->langs, t);
		if ((t->subject_t = template_parse(nt->subject, error)) == NULL ||
		    (t->body_t = template_parse(nt->body, error)) == NULL) {
			g_prefix_error(error, "newsletter %" G_GINT64_FORMAT " (%s): ", id, nt->lang);
			g_ptr_array_unref(langs);
			goto fail;
		}
	}
	g_ptr_array_unref(langs);
	/* immutable from now on: copies are built from them in several threads */
	json_node_seal(s->list_json);
	json_node_seal(s->stories_json);
	if (s->petition_json)
		json_node_seal(s->petition_json);
	g_hash_table_insert(cache, &s->n->id, s);
	return s;
fail:
	shared_unref(s);
	return NULL;
}

/* petition_for - the shared petition data with signatures_one in lang's plural form: the
 * shared node itself when it is right already, else a copy; caller unrefs */
static JsonNode *petition_for(const PmConfig *cfg, const Shared *sh, const char *lang)
{
	JsonObject *o = json_node_get_object(sh->petition_json);
	gint64 n = json_object_get_int_member(o, "signatures");
	gboolean one = plural_is_one(lang ? lang : cfg->language, n);
	JsonNode *copy;

	if (one == json_object_get_boolean_member(o, "signatures_one"))
		return json_node_ref(sh->petition_json);
	copy = json_node_copy(sh->petition_json);
	json_object_set_boolean_member(json_node_get_object(copy), "signatures_one", one);
	return copy;
}

/* set_str - a string member, or null */
static void set_str(JsonObject *o, const char *k, const char *v)
{
	if (v)
		json_object_set_string_member(o, k, v);
	else
		json_object_set_null_member(o, k);
}

/*
 * render_copy - the message of newsletter sh for member m to address to. personal: tokens
 * for this member (FALSE for a preview to someone who is not a member: the plain sign+SLUG
 * and LIST+unsubscribe addresses stand in).
 */
static GBytes *render_copy(const PmConfig *cfg, const PmSecret *key, Shared *sh,
			   const Member *m, const char *to, gboolean personal, GError **error)
{
	JsonObject *o = json_object_new();
	JsonNode *data = json_node_init_object(json_node_alloc(), o);
	JsonObject *nl = json_object_new();     /* owned by o once set */
	char *sign = NULL, *unsub = NULL, *url = NULL, *text = NULL, *html = NULL;
	char *subject = NULL;
	GBytes *msg = NULL;
	ComposeOpts opts = { 0 };
	const Template *subject_t = sh->subject_t, *body_t = sh->body_t;

	json_object_set_member(o, "member", member_to_json(m));
	json_object_set_member(o, "list", json_node_ref(sh->list_json));
	json_object_set_member(o, "stories", json_node_ref(sh->stories_json));
	json_object_set_int_member(nl, "id", sh->n->id);
	json_object_set_object_member(o, "newsletter", nl);
	if (sh->petition_json)
		json_object_set_member(o, "petition", petition_for(cfg, sh, m->lang));
	for (guint i = 0; m->lang && i < sh->langs->len; i++) {
		const Translation *t = sh->langs->pdata[i];

		if (strcmp(t->lang, m->lang) == 0) {
			subject_t = t->subject_t;
			body_t = t->body_t;
		}
	}
	if (personal) {
		/* a list's copy leaves the list; a petition update's stops that petition's
		 * updates (unfollow+TOKEN, the same token behind the one-click URL) */
		Token tu = { TOKEN_UNSUBSCRIBE, sh->list ? sh->list->id : 0, m->id, 0 };
		char *t;

		if (sh->list == NULL)
			tu = (Token){ TOKEN_UNFOLLOW, sh->n->petition_id, m->id, 0 };
		t = token_encode(key, &tu);
		unsub = address_make(cfg, sh->list ? "leave" : "unfollow", NULL, t);
		if (cfg->base_url)
			url = g_strdup_printf("%s/u/%s", cfg->base_url, t);
		g_free(t);
		if (sh->slug) {
			Token ts = { TOKEN_SIGN, sh->n->petition_id, m->id, 0 };

			t = token_encode(key, &ts);
			sign = address_make(cfg, "sign", sh->slug, t);
			g_free(t);
		}
	} else if (sh->list) {
		unsub = address_make(cfg, sh->list->name, "unsubscribe", NULL);
		if (sh->slug)
			sign = address_make(cfg, "sign", sh->slug, NULL);
	} else {
		/* a preview of an update to someone who is not a member: no real token */
		unsub = address_make(cfg, "help", NULL, NULL);
		if (sh->slug)
			sign = address_make(cfg, "sign", sh->slug, NULL);
	}
	set_str(o, "sign_address", sign);
	set_str(o, "unsubscribe_address", unsub);
	set_str(o, "unsubscribe_url", url);

	if ((subject = template_expand(subject_t, &data, 1, FALSE, NULL, NULL, error)) == NULL ||
	    (json_object_set_string_member(nl, "subject", subject),
	     (text = template_expand(body_t, &data, 1, FALSE, NULL, NULL, error)) == NULL)) {
		g_prefix_error(error, "newsletter %" G_GINT64_FORMAT ": ", sh->n->id);
		goto out;
	}
	html = template_markdown(text);
	json_object_set_string_member(o, "body", text);
	json_object_set_string_member(o, "body_html", html);

	opts.to = to;
	opts.to_name = m->name;
	opts.lang = m->lang;
	opts.reply_to = sign;
	if (sh->list) {
		opts.list_name = sh->list->name;
		opts.list_title = sh->list->title;
		opts.list_discussion = g_strcmp0(sh->list->mode, "discussion") == 0;
	} else {
		/* List-Id SLUG.updates.DOMAIN; List-Unsubscribe stops this petition's updates */
		opts.list_name = sh->updates_id;
		opts.list_title = json_object_get_string_member(
			json_node_get_object(sh->petition_json), "title");
		opts.list_updates = TRUE;
	}
	opts.unsubscribe_mailto = unsub;
	opts.unsubscribe_url = url;
	opts.subject = subject;
	msg = compose_message(cfg, sh->n->template_name, data, &opts, error);
out:
	json_node_unref(data);
	json_object_unref(o);
	g_free(sign);
	g_free(unsub);
	g_free(url);
	g_free(text);
	g_free(html);
	g_free(subject);
	return msg;
}

/* skip - this copy must not go out: cancel the row and say why */
static GBytes *skip(PmDb *db, gint64 outbox_id, GError **error, const char *why)
{
	outbox_cancel_claimed(db, outbox_id, why, pm_now(), NULL);
	g_set_error(error, PM_ERROR, EX_NOUSER, "%s", why);
	return NULL;
}

/* A copy prepared in the main thread, built in any (newsletter_prepare). */
typedef struct {
	const PmConfig *cfg;
	const PmSecret *key;
	Shared *sh;             /* a reference */
	Member m;               /* owned strings */
	char *to;
} Prepared;

/* newsletter_prepared_free - destroy a prepared copy (any thread) */
void newsletter_prepared_free(gpointer p)
{
	Prepared *pr = p;

	if (pr == NULL)
		return;
	if (pr->sh)
		shared_unref(pr->sh);
	g_free(pr->m.email);
	g_free(pr->m.address);
	g_free(pr->m.name);
	g_free(pr->m.postcode);
	g_free(pr->m.district);
	g_free(pr->m.lang);
	g_free(pr->to);
	g_free(pr);
}

/* newsletter_prepare - checks, skips and snapshots for one copy (main thread) */
gpointer newsletter_prepare(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			    const OutboxRow *row, GError **error)
{
	GError *e = NULL;
	Prepared *pr = g_new0(Prepared, 1);
	Member *m = &pr->m;
	NewsletterStatus ns = NEWSLETTER_STATUS_DRAFT;
	SubscriptionStatus ss = SUBSCRIPTION_STATUS_NONE;
	gboolean found = FALSE;
	Shared *sh;

	pr->cfg = cfg;
	pr->key = key;
	/* checked again now: the member may have left since the expansion */
	if (!newsletter_copy_state(db, row->ref_id, row->member_id, &found, &ns, &ss, m, &e))
		g_propagate_error(error, e);
	else if (!found)
		g_set_error(error, PM_ERROR, EX_NOUSER, "no newsletter %" G_GINT64_FORMAT,
			    row->ref_id);
	else if (ns == NEWSLETTER_STATUS_CANCELLED)
		skip(db, row->id, error, "newsletter cancelled");
	else if (m->email == NULL || m->status != MEMBER_STATUS_ACTIVE)
		skip(db, row->id, error, "member no longer active");
	else if (ss != SUBSCRIPTION_STATUS_ACTIVE)
		skip(db, row->id, error, "member no longer subscribed");
	else if ((sh = shared_get(db, cfg, row->ref_id, error)) != NULL) {
		g_atomic_int_inc(&sh->ref);
		pr->sh = sh;
		pr->to = g_strdup(row->recipient);
	}
	if (pr->sh == NULL) {
		newsletter_prepared_free(pr);
		return NULL;
	}
	return pr;
}

/* newsletter_build - the message of a prepared copy (any thread; no database) */
GBytes *newsletter_build(gpointer prepared, GError **error)
{
	Prepared *pr = prepared;

	return render_copy(pr->cfg, pr->key, pr->sh, &pr->m, pr->to, TRUE, error);
}

/* newsletter_render - the outbox renderer for kind newsletter: prepare, then build */
GBytes *newsletter_render(PmDb *db, const PmConfig *cfg, const PmSecret *key,
			  const OutboxRow *row, GError **error)
{
	gpointer pr = newsletter_prepare(db, cfg, key, row, error);
	GBytes *msg = pr ? newsletter_build(pr, error) : NULL;

	newsletter_prepared_free(pr);
	return msg;
}

/* newsletter_render_for - one copy of newsletter id as member would get it (tests, bench) */
GBytes *newsletter_render_for(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			      const Member *member, GError **error)
{
	Shared *sh = shared_get(db, cfg, id, error);

	return sh ? render_copy(cfg, key, sh, member, member_address(member), TRUE, error) : NULL;
}

/* newsletter_preview - queue one rendered copy to `to` */
gint64 newsletter_preview(PmDb *db, const PmConfig *cfg, const PmSecret *key, gint64 id,
			  const char *to, GError **error)
{
	GError *e = NULL;
	Member *m = member_find(db, cfg, to, &e);
	Member sample = { 0 };
	char *norm = address_given(to);
	Shared *sh;
	GBytes *msg = NULL;
	gint64 oid = 0;

	if (e) {
		g_propagate_error(error, e);
		goto out;
	}
	if (norm == NULL) {
		g_set_error(error, PM_ERROR, EX_DATAERR, "not a valid mail address: %s", to);
		goto out;
	}
	if ((sh = shared_get(db, cfg, id, error)) == NULL)
		goto out;
	if (m == NULL) {
		sample.email = norm;
		sample.name = (char *)"Sample Member";
		sample.status = MEMBER_STATUS_ACTIVE;
	}
	msg = render_copy(cfg, key, sh, m ? m : &sample, norm, m != NULL, error);
	if (msg) {
		OutboxItem item = { .kind = OUTBOX_PREVIEW, .ref_id = id,
				    .member_id = m ? m->id : 0, .recipient = norm, .message = msg };

		oid = outbox_enqueue(db, &item, error);
	}
out:
	if (msg)
		g_bytes_unref(msg);
	member_free(m);
	g_free(norm);
	return oid;
}

/* newsletter_task - the scheduler task: expand due newsletters, mark finished ones sent */
gboolean newsletter_task(PmDb *db, const PmConfig *cfg, const PmSecret *key, GError **error)
{
	gint64 added = 0;

	if (!newsletter_expand(db, pm_now(), 1000, NEWSLETTER_SLICE, &added, error))
		return FALSE;
	if (added > 0)
		log_info("newsletters: %" G_GINT64_FORMAT " copies queued", added);
	return TRUE;
}

gboolean newsletter_refill(gpointer db, gint64 *added, GError **error)
{
	return newsletter_expand_more(db, pm_now(), 1000, NEWSLETTER_SLICE, added, error);
}
