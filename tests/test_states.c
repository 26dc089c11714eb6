/*
 * test_states.c - the states' name tables: every value's name parses back to it, unknown
 * names are refused, and each table names exactly the values the schema's CHECK allows.
 */
#include "harness.h"
#include "base/pm.h"
#include "model/schema.h"
#include "inbound/message.h"
#include "model/delivery.h"
#include "model/list.h"
#include "model/member.h"
#include "model/newsletter.h"
#include "model/petition_update.h"
#include "model/outbox.h"
#include "model/petition.h"
#include "model/signature.h"
#include "model/story.h"

/*
 * ROUND_TRIP - for Type's values first..last: a name, which parses back to the value;
 * unknown, empty, NULL and upper-cased names refused. Collects the names into the
 * GPtrArray names (borrowed strings) for check_schema.
 */
#define ROUND_TRIP(Type, name_fn, parse_fn, first, last, names) do { \
	Type back_; \
	char *upper_ = g_ascii_strup(name_fn(first), -1); \
	for (int i_ = (first); i_ <= (int)(last); i_++) { \
		const char *n_ = name_fn((Type)i_); \
		char *what_ = g_strdup_printf(#Type " %d: named \"%s\", parsed back", i_, \
					      n_ ? n_ : "(null)"); \
		OK(n_ != NULL && parse_fn(n_, &back_) && back_ == (Type)i_, what_); \
		g_free(what_); \
		g_ptr_array_add((names), (gpointer)n_); \
	} \
	OK(!parse_fn("nonsense", &back_), #Type ": an unknown name refused"); \
	OK(!parse_fn("", &back_), #Type ": an empty name refused"); \
	OK(!parse_fn(NULL, &back_), #Type ": NULL refused"); \
	OK(!parse_fn(upper_, &back_), #Type ": names are exact (upper case refused)"); \
	g_free(upper_); \
} while (0)

/* cmp_str - g_ptr_array_sort order of two strings */
static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* schema_check_names - the names in the CHECK (column IN (...)) of table as the last
 * migration that creates it (or rebuilds it as TABLE_new) has it, sorted and
 * comma-joined; NULL when there is none. Caller frees. */
static char *schema_check_names(const char *table, const char *column)
{
	char *head = g_strdup_printf("CREATE TABLE %s (", table);
	char *rebuilt = g_strdup_printf("CREATE TABLE %s_new (", table);
	const DbSchema *sc = schema_peermail();
	const char *start = NULL, *end;
	char *block, *pattern, *out = NULL;
	GMatchInfo *mi = NULL;
	GRegex *re;

	for (int v = sc->count - 1; v >= 0 && start == NULL; v--)
		if ((start = strstr(sc->migrations[v], rebuilt)) == NULL)
			start = strstr(sc->migrations[v], head);
	g_free(head);
	g_free(rebuilt);
	if (start == NULL)
		return NULL;
	end = strstr(start + 1, "CREATE ");
	block = end ? g_strndup(start, end - start) : g_strdup(start);
	pattern = g_strdup_printf("CHECK \\(%s IN \\(([^)]*)\\)\\)", column);
	re = g_regex_new(pattern, 0, 0, NULL);
	if (g_regex_match(re, block, 0, &mi)) {
		char *list = g_match_info_fetch(mi, 1);
		char **v = g_strsplit(list, ",", -1);
		GPtrArray *a = g_ptr_array_new();

		for (char **p = v; *p; p++) {
			g_strstrip(*p);
			if (**p == '\'')
				memmove(*p, *p + 1, strlen(*p));
			if (g_str_has_suffix(*p, "'"))
				(*p)[strlen(*p) - 1] = '\0';
			g_ptr_array_add(a, *p);
		}
		g_ptr_array_sort(a, cmp_str);
		g_ptr_array_add(a, NULL);
		out = g_strjoinv(",", (char **)a->pdata);
		g_ptr_array_free(a, TRUE);
		g_strfreev(v);
		g_free(list);
	}
	g_match_info_free(mi);
	g_regex_unref(re);
	g_free(pattern);
	g_free(block);
	return out;
}

/* check_schema - names (consumed) are exactly those table.column's CHECK allows */
static void check_schema(GPtrArray *names, const char *table, const char *column)
{
	char *want = schema_check_names(table, column), *got, *what;

	g_ptr_array_sort(names, cmp_str);
	g_ptr_array_add(names, NULL);
	got = g_strjoinv(",", (char **)names->pdata);
	what = g_strdup_printf("the names are those %s.%s's CHECK allows", table, column);
	STR_EQ(got, want, what);
	g_free(what);
	g_free(got);
	g_free(want);
	g_ptr_array_free(names, TRUE);
}

TEST(name_index)
{
	static const char *const names[] = { "one", NULL, "three" };

	INT_EQ(pm_name_index(names, G_N_ELEMENTS(names), "one"), 0, "first name");
	INT_EQ(pm_name_index(names, G_N_ELEMENTS(names), "three"), 2, "a hole is skipped");
	INT_EQ(pm_name_index(names, G_N_ELEMENTS(names), "two"), -1, "unknown: -1");
	INT_EQ(pm_name_index(names, G_N_ELEMENTS(names), NULL), -1, "NULL: -1");
	INT_EQ(pm_name_index(names, 1, "three"), -1, "only n entries are looked at");
}

TEST(members)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(MemberStatus, member_status_name, member_status_parse,
		   MEMBER_STATUS_ACTIVE, MEMBER_STATUS_FORGOTTEN, names);
	check_schema(names, "members", "status");
	OK(member_status_name((MemberStatus)99) == NULL, "no name for a value out of the table");
}

TEST(subscriptions)
{
	GPtrArray *names = g_ptr_array_new();
	SubscriptionStatus s;

	ROUND_TRIP(SubscriptionStatus, subscription_status_name, subscription_status_parse,
		   SUBSCRIPTION_STATUS_PENDING, SUBSCRIPTION_STATUS_BOUNCING, names);
	check_schema(names, "subscriptions", "status");
	OK(subscription_status_name(SUBSCRIPTION_STATUS_NONE) == NULL,
	   "no subscription has no stored name");
	OK(!subscription_status_parse("none", &s), "and no name parses to it");
}

TEST(petitions)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(PetitionStatus, petition_status_name, petition_status_parse,
		   PETITION_STATUS_DRAFT, PETITION_STATUS_WITHDRAWN, names);
	check_schema(names, "petitions", "status");
}

TEST(signatures)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(SignatureStatus, signature_status_name, signature_status_parse,
		   SIGNATURE_STATUS_PENDING, SIGNATURE_STATUS_INVALID, names);
	check_schema(names, "signatures", "status");
	names = g_ptr_array_new();
	ROUND_TRIP(SignatureSource, signature_source_name, signature_source_parse,
		   SIGNATURE_SOURCE_REPLY, SIGNATURE_SOURCE_WEB, names);
	STR_EQ(signature_source_name(SIGNATURE_SOURCE_REPLY), "reply",
	       "the schema's default source is the first");
	g_ptr_array_free(names, TRUE);
}

TEST(stories)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(StoryStatus, story_status_name, story_status_parse,
		   STORY_STATUS_PENDING, STORY_STATUS_REJECTED, names);
	check_schema(names, "stories", "status");
}

TEST(newsletters)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(NewsletterStatus, newsletter_status_name, newsletter_status_parse,
		   NEWSLETTER_STATUS_DRAFT, NEWSLETTER_STATUS_CANCELLED, names);
	check_schema(names, "newsletters", "status");
	names = g_ptr_array_new();
	ROUND_TRIP(NewsletterAudience, newsletter_audience_name, newsletter_audience_parse,
		   NEWSLETTER_AUDIENCE_LIST, NEWSLETTER_AUDIENCE_SIGNERS, names);
	check_schema(names, "newsletters", "audience");
}

TEST(petition_updates)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(PetitionUpdateStatus, petition_update_status_name,
		   petition_update_status_parse, PETITION_UPDATE_PENDING, PETITION_UPDATE_REJECTED,
		   names);
	check_schema(names, "petition_updates", "status");
}

TEST(deliveries)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(DeliveryStatus, delivery_status_name, delivery_status_parse,
		   DELIVERY_STATUS_QUEUED, DELIVERY_STATUS_FAILED, names);
	check_schema(names, "deliveries", "status");
}

TEST(outbox)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(OutboxStatus, outbox_status_name, outbox_status_parse,
		   OUTBOX_STATUS_QUEUED, OUTBOX_STATUS_CANCELLED, names);
	check_schema(names, "outbox", "status");
	names = g_ptr_array_new();
	ROUND_TRIP(OutboxKind, outbox_kind_name, outbox_kind_parse,
		   OUTBOX_RESPONSE, OUTBOX_NOTICE, names);
	check_schema(names, "outbox", "kind");
}

TEST(inbound)
{
	GPtrArray *names = g_ptr_array_new();

	ROUND_TRIP(InboundKind, inbound_kind_name, inbound_kind_parse,
		   INBOUND_KIND_MESSAGE, INBOUND_KIND_FEEDBACK, names);
	STR_EQ(inbound_kind_name(0), "message", "a context not yet classified is a message");
	g_ptr_array_free(names, TRUE);
}

int main(void)
{
	RUN(name_index);
	RUN(members);
	RUN(subscriptions);
	RUN(petitions);
	RUN(signatures);
	RUN(stories);
	RUN(newsletters);
	RUN(petition_updates);
	RUN(deliveries);
	RUN(outbox);
	RUN(inbound);
	return harness_done();
}
