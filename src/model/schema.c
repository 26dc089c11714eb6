/*
 * schema.c - the database schema, one migration per entry, applied in order by db_open.
 *
 * Migration N brings user_version from N-1 to N. Never edit a migration that has shipped;
 * add a new one (and raise DB_SCHEMA_VERSION). Times are unix seconds (INTEGER). Addresses
 * are stored normalized as keys; members.address keeps the one a person gave (mail goes
 * there). Each table has one writing module: docs/architecture.md, "Table
 * owners" (tests/check_arch.py owners holds the tree to it).
 */
#include "model/schema.h"

static const char *const migrations[] = {
/* 1: the first schema */
"CREATE TABLE members ("
"  id INTEGER PRIMARY KEY,"
"  email TEXT UNIQUE,"                       /* normalized; NULL once forgotten */
"  name TEXT, postcode TEXT, district TEXT,"
"  status TEXT NOT NULL DEFAULT 'active'"
"    CHECK (status IN ('active','bouncing','unsubscribed','forgotten')),"
"  bounce_score REAL NOT NULL DEFAULT 0,"
"  bounce_at INTEGER,"                       /* last bounce, for decay */
"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"

"CREATE TABLE lists ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
"  title TEXT NOT NULL,"
"  mode TEXT NOT NULL DEFAULT 'announce' CHECK (mode IN ('announce','discussion')),"
"  created_at INTEGER NOT NULL);"

"CREATE TABLE subscriptions ("
"  list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,"
"  member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,"
"  status TEXT NOT NULL CHECK (status IN ('pending','active','unsubscribed','bouncing')),"
"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
"  PRIMARY KEY (list_id, member_id)) WITHOUT ROWID;"
"CREATE INDEX subscriptions_member ON subscriptions(member_id);"

"CREATE TABLE petitions ("
"  id INTEGER PRIMARY KEY,"
"  slug TEXT NOT NULL UNIQUE COLLATE NOCASE,"
"  title TEXT NOT NULL, text TEXT NOT NULL DEFAULT '',"
"  goal INTEGER NOT NULL DEFAULT 0,"
"  closes_at INTEGER,"
"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft','open','closed')),"
"  disclose TEXT NOT NULL DEFAULT 'name,district,comment,signed_at',"  /* CSV fields shown to targets */
"  milestone INTEGER NOT NULL DEFAULT 0,"    /* highest milestone already announced */
"  deliver_every_days INTEGER NOT NULL DEFAULT 0,"    /* deliveries: every N days (0: never) */
"  deliver_on_close INTEGER NOT NULL DEFAULT 0,"      /* deliver when the petition closes */
"  deliver_at_milestones INTEGER NOT NULL DEFAULT 0," /* deliver when a milestone is crossed */
"  delivered_close INTEGER NOT NULL DEFAULT 0,"       /* the on-close delivery was made */
"  delivered_milestone INTEGER NOT NULL DEFAULT 0,"   /* highest milestone delivered at */
"  deliver_periodic_at INTEGER,"             /* last every-N-days check */
"  deliver_requested_at INTEGER,"            /* `deliver SLUG` without --now: next run compiles */
"  created_at INTEGER NOT NULL);"

"CREATE TABLE targets ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL, email TEXT NOT NULL, title TEXT, district TEXT,"
"  created_at INTEGER NOT NULL);"
"CREATE UNIQUE INDEX targets_email ON targets(email);"
"CREATE TABLE petition_targets ("
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,"
"  PRIMARY KEY (petition_id, target_id)) WITHOUT ROWID;"

"CREATE TABLE districts ("                  /* postcode or prefix -> district */
"  prefix TEXT PRIMARY KEY, district TEXT NOT NULL) WITHOUT ROWID;"

"CREATE TABLE signatures ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"
"  status TEXT NOT NULL CHECK (status IN ('pending','confirmed')),"
"  source TEXT NOT NULL DEFAULT 'reply',"    /* reply, writing, import */
"  name TEXT, district TEXT,"                /* for imported signatures without a member */
"  comment TEXT,"
"  message_id TEXT,"
"  already_noted INTEGER NOT NULL DEFAULT 0," /* an 'already signed' note went out */
"  created_at INTEGER NOT NULL, confirmed_at INTEGER,"
"  UNIQUE (petition_id, member_id));"
"CREATE INDEX signatures_petition ON signatures(petition_id, status, id);"

"CREATE TABLE stories ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER REFERENCES petitions(id) ON DELETE SET NULL,"
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),"
"  subject TEXT, text TEXT NOT NULL,"
"  inbound_id INTEGER REFERENCES inbound(id),"  /* the original message */
"  created_at INTEGER NOT NULL, moderated_at INTEGER);"
"CREATE INDEX stories_petition ON stories(petition_id, status);"

"CREATE TABLE newsletters ("
"  id INTEGER PRIMARY KEY,"
"  list_id INTEGER NOT NULL REFERENCES lists(id),"
"  petition_id INTEGER REFERENCES petitions(id),"
"  subject TEXT NOT NULL, body TEXT NOT NULL,"  /* Markdown + Mustache */
"  template TEXT NOT NULL DEFAULT 'newsletter',"
"  skip_signed INTEGER NOT NULL DEFAULT 0,"
"  status TEXT NOT NULL DEFAULT 'draft'"
"    CHECK (status IN ('draft','scheduled','sending','sent','cancelled')),"
"  scheduled_at INTEGER,"
"  cursor INTEGER NOT NULL DEFAULT 0,"       /* last member id expanded into the outbox */
"  recipients INTEGER NOT NULL DEFAULT 0,"
"  created_by TEXT,"                          /* organizer address when mailed in */
"  expanded_at INTEGER,"                      /* every recipient is in the outbox */
"  created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER);"
"CREATE INDEX newsletters_due ON newsletters(status, scheduled_at);"

"CREATE TABLE deliveries ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,"
"  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),"
"  reason TEXT,"                              /* manual, close, milestone, periodic */
"  from_signature INTEGER NOT NULL DEFAULT 0," /* covers signature ids > from .. <= upto */
"  upto_signature INTEGER NOT NULL DEFAULT 0,"
"  signatures INTEGER NOT NULL DEFAULT 0,"    /* in this target's share */
"  total INTEGER NOT NULL DEFAULT 0,"
"  outbox_id INTEGER,"
"  csv_bytes INTEGER NOT NULL DEFAULT 0,"    /* uncompressed CSV size */
"  gzipped INTEGER NOT NULL DEFAULT 0,"      /* the CSV went out gzip'd (above the threshold) */
"  since_at INTEGER,"                         /* the previous delivery to this target, if any */
"  failure TEXT,"                             /* why it failed (SMTP reply or bounce) */
"  alerted_at INTEGER,"                       /* organizers were told of the failure */
"  created_at INTEGER NOT NULL, sent_at INTEGER);"
"CREATE INDEX deliveries_target ON deliveries(petition_id, target_id, id);"
"CREATE INDEX deliveries_status ON deliveries(status);"
"CREATE TABLE delivery_holes ("             /* signatures pending when a delivery covered their id */
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,"
"  signature_id INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,"
"  delivery_id INTEGER,"                      /* the delivery that carried it once confirmed */
"  PRIMARY KEY (petition_id, target_id, signature_id)) WITHOUT ROWID;"
"CREATE INDEX delivery_holes_signature ON delivery_holes(signature_id);"
"CREATE TABLE delivery_replies ("
"  id INTEGER PRIMARY KEY,"
"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
"  sender TEXT, subject TEXT, text TEXT, inbound_id INTEGER REFERENCES inbound(id),"
"  created_at INTEGER NOT NULL);"
"CREATE INDEX delivery_replies_delivery ON delivery_replies(delivery_id);"

"CREATE TABLE outbox ("
"  id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL CHECK (kind IN ('response','newsletter','delivery','probe','preview','notice')),"
"  ref_id INTEGER,"                           /* newsletter, delivery, ... id */
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"
"  list_id INTEGER REFERENCES lists(id),"
"  recipient TEXT NOT NULL,"
"  sender TEXT,"                              /* envelope sender; NULL: bounce+TOKEN of this row */
"  status TEXT NOT NULL DEFAULT 'queued'"
"    CHECK (status IN ('queued','sending','sent','deferred','failed','cancelled')),"
"  attempts INTEGER NOT NULL DEFAULT 0,"
"  next_attempt INTEGER NOT NULL DEFAULT 0,"
"  claimed_by TEXT,"                          /* owner of a 'sending' claim: host:pid:start */
"  smtp_code INTEGER, smtp_status TEXT, smtp_text TEXT,"
"  relay TEXT,"                              /* smtp host name (or 'maildir') of the last attempt */
"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sent_at INTEGER);"
"CREATE TABLE outbox_message ("             /* apart, so status updates never rewrite it */
"  outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,"
"  message BLOB NOT NULL);"                   /* rendered message; no row: rendered at send time */
"CREATE UNIQUE INDEX outbox_once ON outbox(ref_id, member_id) WHERE kind = 'newsletter';"
"CREATE INDEX outbox_due ON outbox(status, next_attempt);"
"CREATE INDEX outbox_recipient ON outbox(recipient, created_at);"
"CREATE INDEX outbox_sent ON outbox(relay, sent_at) WHERE status = 'sent';"  /* hourly limits */

"CREATE TABLE inbound ("
"  id INTEGER PRIMARY KEY,"
"  message_id TEXT,"
"  digest TEXT NOT NULL UNIQUE,"             /* Message-ID or content hash: idempotency */
"  sender TEXT, recipient TEXT, from_addr TEXT, subject TEXT,"
"  kind TEXT NOT NULL,"                       /* message, autoreply, bounce, feedback */
"  action TEXT NOT NULL,"                     /* sign, confirm, story, subscribe, ... */
"  result TEXT NOT NULL,"                     /* recorded, ignored, refused, ... */
"  raw BLOB,"                                 /* kept for stories and delivery replies */
"  created_at INTEGER NOT NULL);"

"CREATE TABLE bounces ("
"  id INTEGER PRIMARY KEY,"
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"
"  outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,"
"  address TEXT, status TEXT, permanent INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT 'bounce',"
"  diagnostic TEXT, created_at INTEGER NOT NULL);"
"CREATE INDEX bounces_member ON bounces(member_id, created_at);"

"CREATE TABLE events ("                     /* anonymous counters kept after forget */
"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref_id INTEGER, created_at INTEGER NOT NULL);"
,
/* 2: people who asked to be forgotten are not imported or added again by organizers */
"CREATE TABLE suppressions ("
"  digest TEXT PRIMARY KEY,"                 /* HMAC-SHA256 of the normalized address */
"  reason TEXT NOT NULL,"                     /* forgotten */
"  created_at INTEGER NOT NULL) WITHOUT ROWID;"
,
/* 3: one-time tokens (join, bye, confirm, broadcast) act once */
"CREATE TABLE token_uses ("
"  digest TEXT PRIMARY KEY,"                 /* HMAC-SHA256 of purpose and token text */
"  purpose INTEGER NOT NULL,"
"  used_at INTEGER NOT NULL) WITHOUT ROWID;"
,
/* 4: members' languages and newsletters' bodies per language */
"ALTER TABLE members ADD COLUMN lang TEXT;"   /* BCP 47 primary subtag ("fr"); NULL: default */
"CREATE TABLE newsletter_langs ("            /* one subject and body per other language */
"  newsletter_id INTEGER NOT NULL REFERENCES newsletters(id) ON DELETE CASCADE,"
"  lang TEXT NOT NULL,"
"  subject TEXT NOT NULL,"
"  body TEXT NOT NULL,"
"  PRIMARY KEY (newsletter_id, lang)) WITHOUT ROWID;"
,
/* 5: the address as the person gave it (case, dots, +tags): mail goes there; email stays
 * the normalized key that finds the same person again. NULL (older rows): email. */
"ALTER TABLE members ADD COLUMN address TEXT;"
,
/* 6: against fraud (issue 16 B): signatures over a signing limit are 'suspect' until an
 * organizer clears them, invalidated ones 'invalid' (kept, held_status says what they
 * were, invalidation_id which invalidation marked them); events carry who and what, so
 * a petition's moderation, invalidations, clearings and alerts are its history. The
 * signatures table is rebuilt for its CHECK; delivery_holes (ON DELETE CASCADE) are
 * kept aside across the rebuild (OR IGNORE: since db.c migrates with foreign keys off,
 * the drop no longer cascades and they are still there). */
"CREATE TABLE signatures_new ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"
"  status TEXT NOT NULL CHECK (status IN ('pending','confirmed','suspect','invalid')),"
"  source TEXT NOT NULL DEFAULT 'reply',"    /* reply, writing, web, import */
"  name TEXT, district TEXT,"
"  comment TEXT,"
"  message_id TEXT,"
"  already_noted INTEGER NOT NULL DEFAULT 0,"
"  created_at INTEGER NOT NULL, confirmed_at INTEGER,"
"  held_status TEXT,"                         /* an invalid one's status before */
"  invalidation_id INTEGER REFERENCES invalidations(id),"
"  UNIQUE (petition_id, member_id));"
"CREATE TABLE invalidations ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  actor TEXT NOT NULL, reason TEXT, conditions TEXT NOT NULL,"
"  count INTEGER NOT NULL DEFAULT 0,"
"  created_at INTEGER NOT NULL, undone_at INTEGER, undone_by TEXT);"
"INSERT INTO signatures_new(id, petition_id, member_id, status, source, name, district, "
"  comment, message_id, already_noted, created_at, confirmed_at) "
"  SELECT id, petition_id, member_id, status, source, name, district, comment, message_id, "
"  already_noted, created_at, confirmed_at FROM signatures;"
"CREATE TEMP TABLE holes_kept AS SELECT * FROM delivery_holes;"
"DROP TABLE signatures;"
"ALTER TABLE signatures_new RENAME TO signatures;"
"INSERT OR IGNORE INTO delivery_holes SELECT * FROM holes_kept;"
"DROP TABLE holes_kept;"
"CREATE INDEX signatures_petition ON signatures(petition_id, status, id);"
"CREATE INDEX signatures_created ON signatures(petition_id, created_at);"
"CREATE INDEX signatures_member ON signatures(member_id, created_at);"   /* per-address limit */
"CREATE INDEX signatures_when ON signatures(created_at);"   /* a trend's usual share */
"CREATE INDEX signatures_invalidation ON signatures(invalidation_id) "
"  WHERE invalidation_id IS NOT NULL;"
"ALTER TABLE events ADD COLUMN actor TEXT;"  /* who: an organizer, cli:USER, peermail */
"ALTER TABLE events ADD COLUMN detail TEXT;"
"CREATE INDEX events_ref ON events(ref_id, kind, created_at);"
,
/* 7: when a subscription entered its status (member show's "since"; NULL on older rows:
 * updated_at stands in); responses the person asked for, which the daily limit skips;
 * the postcode of an imported signature without a member (paper), for its district */
"ALTER TABLE subscriptions ADD COLUMN status_changed INTEGER;"
"ALTER TABLE outbox ADD COLUMN asked INTEGER NOT NULL DEFAULT 0;"
"ALTER TABLE signatures ADD COLUMN postcode TEXT;"
,
/* 8: each petition's confirmed and pending signatures, kept by SQLite on every signature
 * write: counting them per message grew with the petition (9 ms at 35,000 signatures) */
"CREATE TABLE petition_counts ("
"  petition_id INTEGER PRIMARY KEY REFERENCES petitions(id) ON DELETE CASCADE,"
"  confirmed INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0);"
"INSERT INTO petition_counts(petition_id, confirmed, pending)"
"  SELECT petition_id, sum(status = 'confirmed'), sum(status = 'pending') FROM signatures"
"  GROUP BY petition_id;"
"CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures BEGIN"
"  INSERT INTO petition_counts(petition_id, confirmed, pending)"
"    VALUES (NEW.petition_id, NEW.status = 'confirmed', NEW.status = 'pending')"
"    ON CONFLICT(petition_id) DO UPDATE SET confirmed = confirmed + (NEW.status = 'confirmed'),"
"    pending = pending + (NEW.status = 'pending');"
"END;"
"CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures BEGIN"
"  UPDATE petition_counts SET confirmed = confirmed - (OLD.status = 'confirmed'),"
"    pending = pending - (OLD.status = 'pending') WHERE petition_id = OLD.petition_id;"
"END;"
"CREATE TRIGGER signatures_count_update AFTER UPDATE ON signatures"
"  WHEN OLD.status IS NOT NEW.status OR OLD.petition_id IS NOT NEW.petition_id BEGIN"
"  UPDATE petition_counts SET confirmed = confirmed - (OLD.status = 'confirmed'),"
"    pending = pending - (OLD.status = 'pending') WHERE petition_id = OLD.petition_id;"
"  INSERT INTO petition_counts(petition_id, confirmed, pending)"
"    VALUES (NEW.petition_id, NEW.status = 'confirmed', NEW.status = 'pending')"
"    ON CONFLICT(petition_id) DO UPDATE SET confirmed = confirmed + (NEW.status = 'confirmed'),"
"    pending = pending + (NEW.status = 'pending');"
"END;"
,
/* 9: petitions started by members (issue 16): the states before publication, the creator,
 * the target, moderation; titles in an FTS5 index for the similar-title check. The table
 * is rebuilt (SQLite cannot change a CHECK): db.c migrates with foreign keys off. */
"CREATE TABLE petitions_new ("
"  id INTEGER PRIMARY KEY,"
"  slug TEXT NOT NULL UNIQUE COLLATE NOCASE,"
"  title TEXT NOT NULL, text TEXT NOT NULL DEFAULT '',"
"  goal INTEGER NOT NULL DEFAULT 0,"
"  closes_at INTEGER,"
"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft','open','closed',"
"    'started','sponsoring','moderation','rejected','withdrawn')),"
"  disclose TEXT NOT NULL DEFAULT 'name,district,comment,signed_at',"
"  milestone INTEGER NOT NULL DEFAULT 0,"
"  deliver_every_days INTEGER NOT NULL DEFAULT 0,"
"  deliver_on_close INTEGER NOT NULL DEFAULT 0,"
"  deliver_at_milestones INTEGER NOT NULL DEFAULT 0,"
"  delivered_close INTEGER NOT NULL DEFAULT 0,"
"  delivered_milestone INTEGER NOT NULL DEFAULT 0,"
"  deliver_periodic_at INTEGER,"
"  deliver_requested_at INTEGER,"
"  created_at INTEGER NOT NULL,"
"  creator_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"  /* NULL: an organizer's */
"  target TEXT,"                              /* 'To:' line of a started petition */
"  moderation_at INTEGER,"                    /* entered moderation */
"  delay_told_at INTEGER,"                    /* the creator was told moderation is delayed */
"  reason TEXT,"                              /* a rejection's reason code */
"  moderated_by TEXT, moderated_at INTEGER);"
"INSERT INTO petitions_new(id, slug, title, text, goal, closes_at, status, disclose, milestone,"
"  deliver_every_days, deliver_on_close, deliver_at_milestones, delivered_close,"
"  delivered_milestone, deliver_periodic_at, deliver_requested_at, created_at)"
"  SELECT id, slug, title, text, goal, closes_at, status, disclose, milestone,"
"  deliver_every_days, deliver_on_close, deliver_at_milestones, delivered_close,"
"  delivered_milestone, deliver_periodic_at, deliver_requested_at, created_at FROM petitions;"
"DROP TABLE petitions;"
"ALTER TABLE petitions_new RENAME TO petitions;"
"CREATE INDEX petitions_creator ON petitions(creator_id, status);"
"CREATE VIRTUAL TABLE petition_titles USING fts5(title,"
"  tokenize = 'porter unicode61 remove_diacritics 2');"  /* rowid: the petition's id */
"INSERT INTO petition_titles(rowid, title) SELECT id, title FROM petitions;"
"CREATE TRIGGER petition_titles_add AFTER INSERT ON petitions BEGIN"
"  INSERT INTO petition_titles(rowid, title) VALUES (new.id, new.title); END;"
"CREATE TRIGGER petition_titles_drop AFTER DELETE ON petitions BEGIN"
"  DELETE FROM petition_titles WHERE rowid = old.id; END;"
,
/* 10: the daily response limit counts a person, not a spelling: responses carry the
 * normalized key of their recipient (mail goes to the address as given); emptied when the
 * person is forgotten */
"ALTER TABLE outbox ADD COLUMN recipient_key TEXT;"
"UPDATE outbox SET recipient_key = lower(recipient) WHERE kind = 'response';"
"CREATE INDEX outbox_recipient_key ON outbox(recipient_key, created_at) "
"  WHERE kind = 'response';"
,
/* 11: creators' updates to their signers (issue 16): pending updates an organizer
 * approves; an approved one is a newsletter whose audience is the petition's counted
 * signers, so newsletters may have no list (the table is rebuilt: db.c migrates with
 * foreign keys off); a signer's own "stop updates about this petition" */
"ALTER TABLE signatures ADD COLUMN updates_stopped_at INTEGER;"  /* the signer's own act */
"CREATE TABLE newsletters_new ("
"  id INTEGER PRIMARY KEY,"
"  list_id INTEGER REFERENCES lists(id),"     /* NULL: audience 'signers' */
"  petition_id INTEGER REFERENCES petitions(id),"
"  subject TEXT NOT NULL, body TEXT NOT NULL,"
"  template TEXT NOT NULL DEFAULT 'newsletter',"
"  skip_signed INTEGER NOT NULL DEFAULT 0,"
"  status TEXT NOT NULL DEFAULT 'draft'"
"    CHECK (status IN ('draft','scheduled','sending','sent','cancelled')),"
"  scheduled_at INTEGER,"
"  cursor INTEGER NOT NULL DEFAULT 0,"
"  recipients INTEGER NOT NULL DEFAULT 0,"
"  created_by TEXT,"
"  expanded_at INTEGER,"
"  created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,"
"  audience TEXT NOT NULL DEFAULT 'list' CHECK (audience IN ('list','signers')),"
"  CHECK ((audience = 'list') = (list_id IS NOT NULL)));"
"INSERT INTO newsletters_new(id, list_id, petition_id, subject, body, template, skip_signed,"
"  status, scheduled_at, cursor, recipients, created_by, expanded_at, created_at, started_at,"
"  finished_at) SELECT id, list_id, petition_id, subject, body, template, skip_signed,"
"  status, scheduled_at, cursor, recipients, created_by, expanded_at, created_at, started_at,"
"  finished_at FROM newsletters;"
"DROP TABLE newsletters;"
"ALTER TABLE newsletters_new RENAME TO newsletters;"
"CREATE INDEX newsletters_due ON newsletters(status, scheduled_at);"
"CREATE TABLE petition_updates ("
"  id INTEGER PRIMARY KEY,"
"  petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,"
"  member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,"  /* the creator */
"  subject TEXT NOT NULL, body TEXT NOT NULL,"   /* Markdown + Mustache */
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),"
"  reason TEXT,"                              /* a rejection's reason */
"  decided_by TEXT, decided_at INTEGER,"       /* an organizer's address or cli:USER */
"  newsletter_id INTEGER REFERENCES newsletters(id),"  /* once approved */
"  created_at INTEGER NOT NULL);"
"CREATE INDEX petition_updates_petition ON petition_updates(petition_id, status);"
,
/* 12: the per-domain signing limit is an index range scan: a signature keeps its signer's
 * address domain (lower case, set with the signature by signature.c; NULL without a member
 * and once they are forgotten), indexed with the petition and the time, so counting a rare
 * domain on a petition signed thousands of times in the window reads only that domain's
 * rows (tests/test_fraud.c checks the plan) */
"ALTER TABLE signatures ADD COLUMN domain TEXT;"
"UPDATE signatures SET domain = (SELECT lower(substr(m.email, instr(m.email, '@') + 1)) "
"  FROM members m WHERE m.id = signatures.member_id AND m.email IS NOT NULL) "
"  WHERE member_id IS NOT NULL;"
"CREATE INDEX signatures_domain ON signatures(petition_id, domain, created_at) "
"  WHERE domain IS NOT NULL;"
,
/* 13: the per-petition signing limit reads only an index: the signatures that count
 * (by writing or on the web) by petition and time, with their source, so counting up to
 * the limit (1,000 by default) touches no table row (tests/test_fraud.c checks the plan) */
"CREATE INDEX signatures_counted ON signatures(petition_id, created_at, source) "
"  WHERE source IN ('writing', 'web');"
,
};

G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == DB_SCHEMA_VERSION);

static const DbSchema schema = { migrations, (int)G_N_ELEMENTS(migrations) };

/* schema_peermail - peermail's schema, for db_open */
const DbSchema *schema_peermail(void)
{
	return &schema;
}
