/*
 * member_record.c - everything stored about a member, read from each table.
 *
 * DIAGNOSTICS: EX_NOUSER for an unknown member; database errors as db.c maps them.
 */
#include "model/member_record.h"

/* subscription_free - a MemberSubscription */
static void subscription_free(gpointer p)
{
	MemberSubscription *x = p;

	g_free(x->list);
	g_free(x);
}

/* signature_free - a MemberSignature */
static void signature_free(gpointer p)
{
	MemberSignature *x = p;

	g_free(x->petition);
	g_free(x->comment);
	g_free(x);
}

/* story_free - a MemberStory */
static void story_free(gpointer p)
{
	MemberStory *x = p;

	g_free(x->petition);
	g_free(x->text);
	g_free(x);
}

/* bounce_free - a MemberBounce */
static void bounce_free(gpointer p)
{
	MemberBounce *x = p;

	g_free(x->address);
	g_free(x->status);
	g_free(x->diagnostic);
	g_free(x);
}

/* read_subscription - list name, status, since */
static gpointer read_subscription(sqlite3_stmt *st)
{
	MemberSubscription *x = g_new0(MemberSubscription, 1);

	x->list = db_col_text(st, 0);
	subscription_status_parse((const char *)sqlite3_column_text(st, 1), &x->status);
	x->since = sqlite3_column_int64(st, 2);
	return x;
}

/* read_signature - petition, status, source, comment, signed at */
static gpointer read_signature(sqlite3_stmt *st)
{
	MemberSignature *x = g_new0(MemberSignature, 1);

	x->petition = db_col_text(st, 0);
	signature_status_parse((const char *)sqlite3_column_text(st, 1), &x->status);
	signature_source_parse((const char *)sqlite3_column_text(st, 2), &x->source);
	x->comment = db_col_text(st, 3);
	x->signed_at = sqlite3_column_int64(st, 4);
	return x;
}

/* read_story - id, petition, status, text */
static gpointer read_story(sqlite3_stmt *st)
{
	MemberStory *x = g_new0(MemberStory, 1);

	x->id = sqlite3_column_int64(st, 0);
	x->petition = db_col_text(st, 1);
	story_status_parse((const char *)sqlite3_column_text(st, 2), &x->status);
	x->text = db_col_text(st, 3);
	return x;
}

/* read_bounce - at, address, status, permanent, diagnostic */
static gpointer read_bounce(sqlite3_stmt *st)
{
	MemberBounce *x = g_new0(MemberBounce, 1);

	x->at = sqlite3_column_int64(st, 0);
	x->address = db_col_text(st, 1);
	x->status = db_col_text(st, 2);
	x->permanent = sqlite3_column_int(st, 3) != 0;
	x->diagnostic = db_col_text(st, 4);
	return x;
}

/* member_record_need - everything stored about a member */
MemberRecord *member_record_need(PmDb *db, const PmConfig *cfg, const char *email,
				 GError **error)
{
	Member *m = member_need(db, cfg, email, error);
	MemberRecord *r;
	gboolean ok;

	if (m == NULL)
		return NULL;
	r = g_new0(MemberRecord, 1);
	r->member = m;
	r->lists = g_ptr_array_new_with_free_func(subscription_free);
	r->signatures = g_ptr_array_new_with_free_func(signature_free);
	r->stories = g_ptr_array_new_with_free_func(story_free);
	r->bounces = g_ptr_array_new_with_free_func(bounce_free);
	ok = db_rows_into(db, db_query(db, error,
			"SELECT l.name, s.status, coalesce(s.status_changed, s.updated_at) FROM "
			"subscriptions s JOIN lists l "
			"ON l.id = s.list_id WHERE s.member_id = ? ORDER BY l.name", "i", m->id),
			 r->lists, read_subscription, error) &&
	     db_rows_into(db, db_query(db, error,
			"SELECT p.slug, s.status, s.source, s.comment, coalesce(s.confirmed_at, "
			"s.created_at) FROM signatures s JOIN petitions p ON p.id = s.petition_id "
			"WHERE s.member_id = ? ORDER BY s.id", "i", m->id), r->signatures,
			 read_signature, error) &&
	     db_rows_into(db, db_query(db, error,
			"SELECT s.id, p.slug, s.status, s.text FROM stories s LEFT JOIN petitions p "
			"ON p.id = s.petition_id WHERE s.member_id = ? ORDER BY s.id", "i", m->id),
			 r->stories, read_story, error) &&
	     db_rows_into(db, db_query(db, error,
			"SELECT created_at, address, status, permanent, diagnostic FROM bounces "
			"WHERE member_id = ? ORDER BY id", "i", m->id), r->bounces, read_bounce,
			 error);
	return ok ? r : member_record_free(r);
}

/* member_record_free - destroy */
MemberRecord *member_record_free(MemberRecord *r)
{
	if (r) {
		member_free(r->member);
		g_ptr_array_unref(r->lists);
		g_ptr_array_unref(r->signatures);
		g_ptr_array_unref(r->stories);
		g_ptr_array_unref(r->bounces);
		g_free(r);
	}
	return NULL;
}
