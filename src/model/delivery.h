/*
 * delivery.h - compiled petitions mailed to their targets (legislators), each target
 * receiving the signers of its own district (or all, for a target without a district),
 * with a cover letter and a CSV attachment.
 *
 * Owns: the targets, petition_targets, deliveries, delivery_holes and delivery_replies
 * tables (every write to them is here); what the petitions' delivery columns mean
 * (disclose, schedule; petition.h writes them); compiling a delivery (what it covers, so
 * nothing is sent twice or skipped), the CSV, and delivery schedules (on request, on
 * close, at milestones, every N days).
 * Not: the districts table and the postcode -> district rule (district.h), building
 * MIME (compose), the queue and sending (outbox), inbound routing of reply+TOKEN mail
 * (inbound calls delivery_record_reply).
 *
 * Two files: delivery.c is the SQL side (targets, settings, the streamed CSV and the
 * compiler, listings, what is due or failed); produce/delivery_send.c turns compiled parts
 * into outbox rows (cover letter, Reply-To token), forwards replies, alerts on failures and
 * runs the schedules (the scheduler task).
 *
 * What a delivery covers: each (petition, target) pair has its own sequence. A delivery
 * covers the confirmed signatures with from_signature < id <= upto_signature, where
 * from_signature is the previous delivery's upto_signature, plus any signature that was
 * still pending when an earlier delivery's range passed over it and is confirmed now
 * (delivery_holes remembers those), so a late confirmation is neither lost nor sent twice.
 * A target whose share is empty gets no message and its range does not move.
 *
 * THREADS: any thread, with that thread's own PmDb.
 */
#ifndef PM_DELIVERY_H
#define PM_DELIVERY_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "base/config.h"
#include "base/db.h"
#include "model/petition.h"
#include "base/token.h"

/* A delivery's status, stored as its name (delivery_status_name) in deliveries.status */
typedef enum {
	DELIVERY_STATUS_QUEUED,
	DELIVERY_STATUS_SENT,
	DELIVERY_STATUS_FAILED
} DeliveryStatus;

/* delivery_status_name - "queued", "sent" or "failed": the name stored and printed */
const char *delivery_status_name(DeliveryStatus status);

/* delivery_status_parse - the status named s into *status; FALSE for an unknown name */
gboolean delivery_status_parse(const char *s, DeliveryStatus *status);

/* ==== Targets ==== */

typedef struct {
	gint64 id;
	char *name;
	char *email;        /* lower-cased addr-spec */
	char *title;        /* NULL: none */
	char *district;     /* NULL: receives every signature */
	char **petitions;   /* slugs it receives (target_list only; else NULL) */
} Target;

/* target_free - destroy; returns NULL */
Target *target_free(Target *t);

/*
 * target_salutation - how a letter addresses a target: "Councillor Nora North". The title
 * is put before the name unless the name already starts with it or with a common title
 * (Cllr, Councillor, Mayor, Dr, MP, Sen., Rep., ...); an abbreviation of the title itself
 * ("Cllr" for "Councillor", "Sen." for "Senator") becomes the title. Caller frees.
 */
char *target_salutation(const char *title, const char *name);

/*
 * target_add - create the target with address email, or update the one that has it
 * (name always; title and district when given), and attach it to the petitions named in
 * slugs (NULL-terminated, may be NULL). EX_DATAERR for a bad address, EX_NOUSER for an
 * unknown petition. The caller holds the transaction. Returns the id or 0.
 */
gint64 target_add(PmDb *db, const PmConfig *cfg, const char *name, const char *email,
		  const char *title, const char *district, char **slugs, GError **error);

/*
 * target_update - change target id in place (NULL: unchanged; district "" clears it, so
 * the target receives every signature). Its deliveries and their sequence are kept, so a
 * corrected address gets what failed. EX_NOUSER for an unknown id, EX_DATAERR for a bad
 * or taken address. The caller holds the transaction.
 */
gboolean target_update(PmDb *db, gint64 id, const char *name, const char *email,
		       const char *title, const char *district, GError **error);

/* target_list - every target with the petitions it receives (Target*, the array frees
 * them), oldest first */
GPtrArray *target_list(PmDb *db, GError **error);

/* target_list_for - the targets of petition_id (Target*, the array frees them) */
GPtrArray *target_list_for(PmDb *db, gint64 petition_id, GError **error);

/* ==== Per-petition settings ==== */

/* The fields a CSV may carry; "email" only when the organizer lists it explicitly. */
#define DELIVERY_FIELDS "name,postcode,district,comment,signed_at,email"

typedef struct {
	char *disclose;       /* comma-separated, from DELIVERY_FIELDS */
	int every_days;       /* 0: no periodic delivery */
	gboolean on_close;
	gboolean at_milestones;
	gint64 requested_at;  /* a `deliver` awaiting the next run, 0: none */
} DeliverySettings;

/* delivery_settings_get - read petition_id's settings into *s (free with _clear) */
gboolean delivery_settings_get(PmDb *db, gint64 petition_id, DeliverySettings *s,
			       GError **error);

/*
 * delivery_configure_of - `delivery config SLUG ...`: petition slug's settings changed as
 * delivery_configure says (nothing given: nothing written) and read back into *s (free
 * with _clear). Returns the petition (caller frees), or NULL (EX_NOUSER as
 * petition_need, EX_USAGE for an unknown field).
 */
Petition *delivery_configure_of(PmDb *db, const char *slug, const char *fields,
				int every_days, int on_close, int at_milestones,
				DeliverySettings *s, GError **error);

/* delivery_settings_clear - free the strings of *s */
void delivery_settings_clear(DeliverySettings *s);

/*
 * delivery_disclose_normalize - fields checked against DELIVERY_FIELDS, spaces and
 * duplicates dropped; NULL with EX_USAGE naming an unknown field. Caller frees.
 */
char *delivery_disclose_normalize(const char *fields, GError **error);

/*
 * delivery_configure - set what is disclosed (fields NULL: unchanged) and the schedule
 * (every_days < 0, on_close < 0, at_milestones < 0: unchanged).
 */
gboolean delivery_configure(PmDb *db, gint64 petition_id, const char *fields, int every_days,
			    int on_close, int at_milestones, GError **error);

/* delivery_request - ask the next run to compile petition_id (`deliver` without --now) */
gboolean delivery_request(PmDb *db, gint64 petition_id, GError **error);

/* ==== The streamed CSV ==== */

typedef struct DeliveryCsv DeliveryCsv;

/*
 * delivery_csv_new - a CSV writer with a header row of the disclosed fields (normalized
 * list). Rows go into a growing buffer; once it passes gzip_above bytes (0: never) the
 * writer switches to a gzip stream, so memory stays near the threshold plus the
 * compressed size.
 */
DeliveryCsv *delivery_csv_new(const char *disclose, gint64 gzip_above);

/*
 * delivery_csv_add - one signature; values indexed like DELIVERY_FIELDS (name, postcode,
 * district, comment, signed_at, email), NULL for none; only disclosed ones are written.
 * Every cell is quoted; one starting with = + - @ (or a tab or CR) gets a leading '
 * so spreadsheets do not run it as a formula.
 */
void delivery_csv_add(DeliveryCsv *c, const char *const values[6]);

/*
 * delivery_csv_finish - the CSV (gzip'd when it passed the threshold; *gzipped says so),
 * *raw gets the uncompressed size. The writer is freed. Caller owns the bytes.
 */
GBytes *delivery_csv_finish(DeliveryCsv *c, gboolean *gzipped, gint64 *raw);

/* delivery_csv_free - discard an unfinished writer; returns NULL */
DeliveryCsv *delivery_csv_free(DeliveryCsv *c);


/* ==== Compiling ==== */

/* One target's share of a delivery, handed to the sink. Everything is borrowed. */
typedef struct {
	gint64 delivery_id;       /* the row just inserted (status queued) */
	const Petition *petition;
	const Target *target;
	const char *reason;       /* manual, close, milestone, periodic */
	JsonNode *data;           /* cover-letter data (see delivery_compile) */
	GBytes *csv;              /* the attachment */
	gboolean gzipped;
	gint64 count;             /* signatures in this share */
} DeliveryPart;

/*
 * A sink turns one part into a message and queues it; it returns the outbox row id in
 * *outbox_id (0: none). FALSE with error aborts the compile (the caller rolls back).
 */
typedef gboolean (*DeliverySink)(PmDb *db, const DeliveryPart *part, gint64 *outbox_id,
				 gpointer user, GError **error);

/*
 * delivery_compile - compile petition_id for each of its targets in one pass over the
 * signatures (streamed from SQLite, never loaded as objects): insert a deliveries row per
 * target with a non-empty share and hand it to sink. Cover-letter data: petition {slug,
 * title, text, goal, signatures, url}, target {name, title, district, email, signatures
 * (= district_total)}, count (this share), total (all confirmed), district_total (this
 * target's signatures over all its deliveries), new_since (the previous delivery's date, "" for the first), first (boolean), reason,
 * stories (approved, at most 5), signatures (up to 20 disclosed comments of this share:
 * [{name, district, comment, signed_at}]), delivery {id}. The caller holds the
 * transaction. *queued gets the number of parts; 0 with no targets or nothing new.
 * EX_DATAERR when the petition has no targets.
 */
gboolean delivery_compile(PmDb *db, const PmConfig *cfg, gint64 petition_id,
			  const char *reason, DeliverySink sink, gpointer user, int *queued,
			  GError **error);

/* delivery_need_targets - TRUE when petition p has targets; else FALSE with EX_DATAERR
 * "petition 'SLUG' has no targets": the one rule that a delivery needs a target */
gboolean delivery_need_targets(PmDb *db, const Petition *p, GError **error);

/* ==== Listing ==== */

/* A target's reply to a delivery. */
typedef struct {
	char *sender, *subject, *text;
	gint64 created_at;
} DeliveryReply;

/* A delivery as `delivery ls` shows it. */
typedef struct {
	gint64 id;
	char *petition;           /* slug */
	Target target;            /* name, email, title, district (id 0) */
	DeliveryStatus status;    /* queued with its mail sent: sent */
	char *reason;
	gint64 from_signature, upto_signature, signatures, total, csv_bytes;
	gboolean gzipped;
	gint64 created_at;
	gint64 sent_at;           /* 0: not sent */
	char *failure;            /* NULL: none */
	char *outbox_status;      /* its message's outbox row: NULL when there is none */
	gint64 smtp_code;
	char *smtp_text;
	GPtrArray *replies;       /* DeliveryReply*, oldest first */
} DeliveryRow;

/* delivery_list - deliveries (DeliveryRow*, the array frees them), oldest first; petition:
 * a slug (NULL: every petition; unknown: EX_NOUSER as petition_need) */
GPtrArray *delivery_list(PmDb *db, const char *petition, GError **error);

/* ==== Following deliveries (for delivery_send.c) ==== */

/* One delivery with its target, for notices. Free with delivery_info_free. */
typedef struct {
	gint64 id;
	gint64 petition_id;
	Target target;        /* owned strings */
	gint64 signatures;    /* in this delivery */
	char *reason;         /* manual, close, milestone, periodic */
	gint64 created_at;
} DeliveryInfo;

/* delivery_info_get - delivery id and its target; NULL (no error) when absent */
DeliveryInfo *delivery_info_get(PmDb *db, gint64 id, GError **error);

/* delivery_info_free - destroy; returns NULL */
DeliveryInfo *delivery_info_free(DeliveryInfo *d);

/* delivery_reply_add - record a target's reply to delivery_id (inbound_id 0: no original
 * kept). The caller holds the transaction. */
gboolean delivery_reply_add(PmDb *db, gint64 delivery_id, const char *sender,
			    const char *subject, const char *text, gint64 inbound_id,
			    GError **error);

/* delivery_sync_sent - queued deliveries whose outbox row was sent become sent (dated when
 * the row went out) */
gboolean delivery_sync_sent(PmDb *db, GError **error);

/* A delivery whose message failed or bounced, and what its outbox row says. */
typedef struct {
	gint64 id;
	char *outbox_status;  /* failed, cancelled, or sent when it bounced later */
	int smtp_code;        /* 0: none */
	char *smtp_status;    /* NULL: none */
	char *smtp_text;      /* NULL: none */
	char *bounce;         /* a permanent bounce's status and diagnostic, NULL: none */
} DeliveryFailure;

/*
 * delivery_failures - deliveries created after since, queued or sent and not alerted on,
 * whose outbox row failed or was cancelled or whose message bounced permanently
 * (GArray of DeliveryFailure, the array frees their strings); NULL with error.
 */
GArray *delivery_failures(PmDb *db, gint64 since, GError **error);

/* delivery_mark_failed - delivery id failed (why) and its organizers are told at now;
 * nothing when they were told already. The caller holds the transaction. */
gboolean delivery_mark_failed(PmDb *db, gint64 id, const char *why, gint64 now,
			      GError **error);

/* A petition with targets and a schedule that may make a delivery due. */
typedef struct {
	gint64 id;
	gint64 goal;
	gboolean requested;           /* `deliver` without --now awaits */
	gboolean closed;              /* closed (or past its date) and not delivered on close */
	gboolean on_close, milestones;
	gint64 delivered_milestone;
	gint64 every_days;
	gint64 last;                  /* the last delivery or periodic check (or creation) */
} DeliveryDue;

/* delivery_due_list - petitions with targets and a request or a schedule, as of now
 * (GArray of DeliveryDue); NULL with error */
GArray *delivery_due_list(PmDb *db, gint64 now, GError **error);

#endif
