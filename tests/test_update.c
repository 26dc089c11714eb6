/* test_update.c - a creator's updates to the signers, in the model: model/petition_update
 * (pending, decided once, Mustache checked, forgotten) and the audience of a petition's
 * signers in model/newsletter (counted signers only, minus those who stopped its updates;
 * the same answer at expansion and at send time) */
#include <string.h>
#include <sysexits.h>
#include "harness.h"
#include "fixture.h"
#include "base/pm.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "model/petition.h"
#include "model/petition_update.h"
#include "model/schema.h"
#include "model/signature.h"

static PmConfig *cfg;
static PmDb *db;
static gint64 pid;

static void setup(void)
{
	cfg = fixture_config();
	db = fixture_db("u.db");
	pid = petition_create(db, cfg, "buses", "Night buses", "", 0, 0, NULL);
}

/* signer - addr's signature on pid, confirmed or not; the member's id */
static gint64 signer(const char *addr, gboolean confirmed)
{
	SignResult r;
	gint64 m = member_upsert(db, cfg, addr, NULL, NULL, NULL, FALSE, NULL);

	signature_add(db, pid, m, confirmed, SIGNATURE_SOURCE_REPLY, NULL, NULL, &r, NULL);
	return m;
}

/* in_audience - member m is still in newsletter nid's audience at send time */
static gboolean in_audience(gint64 nid, gint64 m)
{
	gboolean found = FALSE;
	NewsletterStatus ns;
	SubscriptionStatus ss = SUBSCRIPTION_STATUS_NONE;
	Member mb = { 0 };

	newsletter_copy_state(db, nid, m, &found, &ns, &ss, &mb, NULL);
	g_free(mb.email);
	g_free(mb.address);
	g_free(mb.name);
	g_free(mb.postcode);
	g_free(mb.district);
	g_free(mb.lang);
	return found && ss == SUBSCRIPTION_STATUS_ACTIVE;
}

TEST(updates)
{
	GError *e = NULL;
	gint64 creator = signer("ann@example.org", TRUE), a, b, n = -1;
	gboolean moved = FALSE;
	PetitionUpdate *u;

	a = petition_update_add(db, pid, creator, "News", "Hello {{member.first_name}}", &e);
	OK(a > 0 && e == NULL, "an update with Mustache is recorded");
	b = petition_update_add(db, pid, creator, "Broken", "{{#open}} never closed", &e);
	INT_EQ(b, 0, "invalid Mustache is refused");
	INT_EQ(e ? e->code : 0, EX_DATAERR, "with EX_DATAERR");
	g_clear_error(&e);
	OK(petition_update_pending(db, pid, &n, NULL) && n == 1, "one pending");
	OK(petition_update_decide(db, a, FALSE, "private names", "org@example.net", 100, &moved,
				  NULL) && moved, "rejected");
	OK(petition_update_decide(db, a, TRUE, NULL, "org2@example.net", 200, &moved, NULL) &&
	   !moved, "a second decision changes nothing");
	u = petition_update_need(db, a, NULL);
	OK(u && u->status == PETITION_UPDATE_REJECTED, "it stays rejected");
	STR_EQ(u ? u->reason : NULL, "private names", "with its reason");
	STR_EQ(u ? u->decided_by : NULL, "org@example.net", "and who decided");
	petition_update_free(u);
	OK(petition_update_need(db, 999, &e) == NULL && e && e->code == EX_NOUSER,
	   "an unknown update is EX_NOUSER");
	g_clear_error(&e);
	b = petition_update_add(db, pid, creator, "Again", "Pending text", NULL);
	OK(petition_update_forget_member(db, creator, 300, NULL), "forget the creator");
	u = petition_update_need(db, b, NULL);
	OK(u && u->status == PETITION_UPDATE_REJECTED && *u->body == '\0' && *u->subject == '\0',
	   "a forgotten creator's pending update is emptied and rejected");
	STR_EQ(u ? u->reason : NULL, "forgotten", "reason: forgotten");
	petition_update_free(u);
}

TEST(audience)
{
	gint64 joe = signer("joe@example.org", TRUE), pat = signer("pat@example.org", FALSE);
	gint64 uma = signer("uma@example.org", TRUE), nid, count = -1, added = 0;
	gboolean changed = FALSE;
	Newsletter *n;

	/* ann (the creator, from the test above), joe and uma are counted; pat is pending */
	OK(newsletter_signers(db, pid, &count, NULL), "count the signers");
	INT_EQ(count, 3, "the counted signers");
	member_mark_unsubscribed(db, uma, pm_now(), NULL);
	newsletter_signers(db, pid, &count, NULL);
	INT_EQ(count, 2, "a member unsubscribed from everything is left out");
	nid = newsletter_create_update(db, pid, "News", "Hello", "org@example.net", NULL);
	n = newsletter_need(db, nid, NULL);
	OK(n && n->audience == NEWSLETTER_AUDIENCE_SIGNERS && n->list_id == 0 &&
	   n->status == NEWSLETTER_STATUS_SCHEDULED, "an update: signers, no list, scheduled");
	newsletter_free(n);
	OK(in_audience(nid, joe), "joe is in its audience at send time");
	OK(!in_audience(nid, pat), "pat (pending) is not");
	OK(signature_stop_updates(db, pid, joe, pm_now(), &changed, NULL) && changed,
	   "joe stops this petition's updates");
	OK(signature_stop_updates(db, pid, joe, pm_now(), &changed, NULL) && !changed,
	   "a second time changes nothing");
	OK(!in_audience(nid, joe), "and is out of its audience at send time");
	OK(newsletter_expand(db, pm_now(), 10, 0, &added, NULL), "expand");
	INT_EQ(added, 1, "one copy: ann only (joe stopped, pat pending, uma unsubscribed)");
}

int main(void)
{
	setup();
	RUN(updates);
	RUN(audience);
	db_close(db);
	return harness_done();
}
