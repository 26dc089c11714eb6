/*
 * commands.c - every peermail command, declared once: the table cli.c runs.
 *
 * A row gives the command's words, its positional arguments, its run function (cmd_*.c),
 * what it needs (CMD_* flags), its options (fields of CmdOpts), a summary for lists and
 * the synopsis, the text of `CMD --help`, and the lines docs/cli.md shows under it (the
 * JSON it prints). Rows are in the synopsis's order; CMD_SECTION starts a paragraph.
 * docs/cli.md's command list is `peermail help --synopsis` (t_cli.sh checks it).
 */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "model/delivery.h"

#define F(field) offsetof(CmdOpts, field)
#define STR(name, field, value, help) \
	{ name, G_OPTION_ARG_STRING, F(field), value, help, 0, 0 }
#define NEED_STR(name, field, value, help) \
	{ name, G_OPTION_ARG_STRING, F(field), value, help, OPT_REQUIRED, 0 }
#define PATH(name, field, value, help) \
	{ name, G_OPTION_ARG_FILENAME, F(field), value, help, 0, 0 }
#define NEED_PATH(name, field, value, help) \
	{ name, G_OPTION_ARG_FILENAME, F(field), value, help, OPT_REQUIRED, 0 }
#define MANY(name, field, value, help) \
	{ name, G_OPTION_ARG_STRING_ARRAY, F(field), value, help, 0, 0 }
#define FLAG(name, field, help) \
	{ name, G_OPTION_ARG_NONE, F(field), NULL, help, 0, 0 }
#define OR_FLAG(name, field, help) \
	{ name, G_OPTION_ARG_NONE, F(field), NULL, help, OPT_OR_PREVIOUS, 0 }
#define INT(name, field, value, help, initial) \
	{ name, G_OPTION_ARG_INT, F(field), value, help, 0, initial }
#define INT64(name, field, value, help) \
	{ name, G_OPTION_ARG_INT64, F(field), value, help, 0, 0 }
#define OPTS(...) ((const CmdOpt[]){ __VA_ARGS__, { NULL, 0, 0, NULL, NULL, 0, 0 } })

#define DB (CMD_CONFIG | CMD_DB)

const Cmd cli_commands[] = {
	/* ==== Setting up, receiving, running ==== */
	{ "help", "[COMMAND...]", cmd_help, CMD_SECTION,
	  OPTS(FLAG("synopsis", synopsis, "print the command list of docs/cli.md")),
	  "this list, or a command's help",
	  "Print the commands, or the help of one (`peermail help member add`).", NULL },
	{ "init", NULL, cmd_init, CMD_CONFIG, NULL,
	  "create or upgrade the database; create the secret",
	  "Create the database (or upgrade its schema) and the HMAC secret file.", NULL },
	{ "check-config", NULL, cmd_check_config, CMD_CONFIG, NULL,
	  "validate the config; print the effective settings",
	  "Validate the configuration and print the effective settings (secrets left out), then "
	  "one \"missing:\" line per production setting still to fill in: domain, from, "
	  "organizers, transport, the secret file, base_url.",
	  NULL },
	{ "dns-records", NULL, cmd_dns_records, CMD_CONFIG, NULL,
	  "the SPF, DKIM and DMARC TXT records to publish",
	  "Print the SPF, DKIM and DMARC TXT records to publish for the configured domain and "
	  "DKIM keys (zone-file syntax).", NULL },
	{ "receive", "< MESSAGE", cmd_receive, CMD_CONFIG | CMD_MTA | CMD_OWN_MIME,
	  OPTS(STR("sender", sender, "ADDR", "envelope sender (empty for a bounce)"),
	       STR("recipient", recipient, "ADDR", "envelope recipient (the original one)")),
	  "one message on stdin (MTA pipe); records what it means",
	  "Read one message on stdin (as an MTA pipe runs it) and record what it means. "
	  "When `peermail run` is running, the message is handed to it over its local LMTP "
	  "socket (lmtp.socket) and its verdict is the exit status; otherwise it is processed "
	  "here. Every failure other than 65 and 67 exits 75, so that the MTA retries.", NULL },
	{ "run", NULL, cmd_run, CMD_CONFIG | CMD_DB | CMD_SECRET,
	  OPTS(FLAG("once", once, "do everything due now, then exit (cron, tests)"),
	       STR("lmtp", lmtp, "ADDR", "also receive mail by LMTP on HOST:PORT or unix:/path"),
	       STR("socketmap", socketmap, "ADDR", "also answer Postfix's recipient checks "
		   "(socketmap) on HOST:PORT or unix:/path"),
	       STR("http", http, "ADDR", "also serve the web pages on HOST:PORT (see `web`)")),
	  "scheduler and sender (daemon; --once: one pass)",
	  "Run the scheduler and the sender in the foreground: queue what is due and send it. "
	  "SIGTERM finishes the messages in flight and exits; SIGHUP reloads the "
	  "configuration.", NULL },
	{ "web", NULL, cmd_web, CMD_CONFIG | CMD_DB | CMD_SECRET,
	  OPTS(STR("listen", listen, "ADDR", "HOST:PORT to listen on (default 127.0.0.1:8080)"),
	       INT("per-ip", per_ip, "N", "connections per client address (default 32; on loopback the total)", 0),
	       INT("connections", connections, "N", "connections in all (default 512)", 0),
	       INT("timeout", timeout, "SECONDS", "idle time, and the most a request may take to "
		   "arrive, before a connection is cut (default 10)", 0),
	       PATH("tls-cert", tls_cert, "FILE", "serve HTTPS with this PEM certificate chain"),
	       PATH("tls-key", tls_key, "FILE", "and this PEM private key")),
	  "public petition pages and one-click unsubscribe (HTTP daemon)",
	  "Serve the public pages over HTTP until SIGTERM: / (open petitions), /p/SLUG (and "
	  ".json, /count.json), /u/TOKEN (RFC 8058 one-click unsubscribe). Meant to sit behind "
	  "a TLS proxy (docs/web.md).", NULL },
	{ "inspect", "< MESSAGE", cmd_inspect, CMD_CONFIG_OPTIONAL | CMD_JSON,
	  OPTS(STR("sender", sender, "ADDR", "envelope sender to assume (empty: a null sender)")),
	  "how peermail reads a message, recording nothing",
	  "Show how peermail reads a message (kind, sender, Message-ID, bounce recipients, "
	  "reply text, and what a reply to a petition mail would mean: sign, decline, "
	  "unsubscribe, question or withdraw, with the phrase that decided it); records "
	  "nothing and needs no database. A configuration, when there is one, gives the size "
	  "limit and the intent phrases.",
	  "{\"kind\":\"bounce|autoreply|feedback|message\",\"from\",\"message_id\",\"subject\","
	  "\"autoreply\",\n \"bounce\":{\"rule\",\"status\",\"permanent\",\"recipients\":[{\"address\","
	  "\"status\",\"permanent\",\"diagnostic\"}]},\"reply_text\",\"reply_rule\",\n"
	  " \"intent\":{\"name\",\"phrase\",\"language\"}}" },
	{ "template", NULL, NULL, 0, NULL, "render a Mustache template", NULL, NULL },
	{ "template render", "FILE", cmd_template_render, CMD_CONFIG_OPTIONAL,
	  OPTS(PATH("data", data, "FILE.json", "template data (JSON object)"),
	       PATH("partials", partials, "DIR",
		    "folder of NAME.mustache partials (default: FILE's folder)")),
	  "render a Mustache template",
	  "Render a Mustache template with JSON data and print the result. {{x}} is "
	  "HTML-escaped when FILE ends in .html.", NULL },

	/* ==== Lists and members ==== */
	{ "list", NULL, NULL, 0, NULL, "lists and their members", NULL, NULL },
	{ "list create", "NAME", cmd_list_create, DB | CMD_SECTION,
	  OPTS(STR("title", title, "T", "title shown to members"),
	       STR("mode", mode, "announce", "announce (the default; discussion lists do not exist yet)")),
	  "create a list (its address is NAME@domain)", NULL, NULL },
	{ "list show", "NAME", cmd_list_show, DB | CMD_JSON, NULL,
	  "a list and its members by state", NULL,
	  "{\"name\",\"title\",\"mode\",\"members\":{\"active\",\"pending\",\"unsubscribed\","
	  "\"bouncing\"}}" },
	{ "list ls", NULL, cmd_list_ls, DB | CMD_JSON, NULL,
	  "the lists, with their members by state", NULL,
	  "{\"lists\":[list show objects]}" },
	{ "member", NULL, NULL, 0, NULL, "members", NULL, NULL },
	{ "member add", "EMAIL", cmd_member_add, DB | CMD_SECRET | CMD_TXN,
	  OPTS(STR("name", name, "N", "display name"),
	       STR("postcode", postcode, "P", "postcode"),
	       STR("district", district, "D", "district (else from the postcode)"),
	       STR("lang", lang, "LANG", "language of their mail (fr, en...; none: the default)"),
	       MANY("list", lists, "NAME", "subscribe to list (repeatable)")),
	  "add or update a member",
	  "Add a member, or update one, and subscribe them to lists (the organizer's add is "
	  "the consent record). Someone who asked to be forgotten is not added again.", NULL },
	{ "member import", "FILE.csv", cmd_member_import, DB | CMD_SECRET,
	  OPTS(STR("list", list, "NAME", "subscribe everyone to list")),
	  "import members from CSV",
	  "Import members from CSV (header row: email, name, postcode, district, lang in any "
	  "order). Re-importing updates.",
	  "columns: email,name,postcode,district,lang (header row; lang or language)" },
	{ "member export", NULL, cmd_member_export, DB,
	  OPTS(STR("list", list, "NAME", "only this list's members")),
	  "members as CSV on stdout", NULL, NULL },
	{ "member show", "EMAIL", cmd_member_show, DB | CMD_JSON, NULL,
	  "everything stored about a member", NULL,
	  "{\"email\",\"name\",\"status\",\"postcode\",\"district\",\"lang\",\"bounce_score\","
	  "\"created_at\",\n \"lists\":[{\"name\",\"status\",\"since\"}],\n"
	  " \"signatures\":[{\"petition\",\"status\",\"source\",\"comment\",\"signed_at\"}],\n"
	  " \"stories\":[{\"id\",\"petition\",\"status\",\"text\"}],\n"
	  " \"bounces\":[{\"at\",\"address\",\"status\",\"permanent\",\"diagnostic\"}]}" },
	{ "member forget", "EMAIL", cmd_member_forget, DB | CMD_SECRET | CMD_TXN, NULL,
	  "erase a member's personal data, keep anonymous counts",
	  "Erase a member's personal data (GDPR), keeping anonymous counts; no further mail "
	  "goes to them.",
	  "organizers cannot add or import them again" },

	/* ==== Petitions and deliveries ==== */
	{ "petition", NULL, NULL, 0, NULL, "petitions and signatures", NULL, NULL },
	{ "petition create", "SLUG", cmd_petition_create, DB | CMD_SECTION,
	  OPTS(NEED_STR("title", title, "T", "title"),
	       NEED_PATH("text", text, "FILE", "file holding the petition's text"),
	       INT64("goal", goal, "N",
		     "signatures wanted (milestones at 25/50/75/100% and each multiple)"),
	       STR("closes", closes, "DATE", "closing date (YYYY-MM-DD or ISO 8601, local "
		   "time unless a zone is given)")),
	  "create an open petition (signed by mail to sign+SLUG@domain)", NULL, NULL },
	{ "petition open", "SLUG", cmd_petition_open, DB | CMD_TXN, NULL,
	  "accept signatures (a passed closing date is dropped)", NULL, NULL },
	{ "petition close", "SLUG", cmd_petition_close, DB | CMD_TXN, NULL,
	  "refuse new signatures (with a polite reply)", NULL, NULL },
	{ "petition show", "SLUG", cmd_petition_show, DB | CMD_JSON, NULL,
	  "a petition and its signature counts", NULL,
	  "{\"slug\",\"title\",\"status\",\"goal\",\"closes_at\",\"milestone\","
	  "[\"moderation_at\",\"reason\" (started by mail)],\n "
	  "\"signatures\":{\"confirmed\",\"pending\"}, \"by_district\":{\"D\":N,...}}" },
	{ "petition signatures", "SLUG", cmd_petition_signatures, DB,
	  OPTS(FLAG("csv", csv, "CSV (the default; kept for scripts)")),
	  "signatures as CSV",
	  "A petition's signatures as CSV: email, name, postcode, district, status, source, "
	  "comment, signed_at.",
	  "CSV columns include email,name,district,comment,signed_at" },
	{ "petition import", "SLUG FILE.csv", cmd_petition_import, DB | CMD_SECRET, NULL,
	  "signatures gathered elsewhere (paper, another site)",
	  "Import signatures gathered elsewhere (confirmed, source 'import'): columns email, "
	  "name, postcode, district, comment, signed_at.", NULL },
	{ "petition ls", NULL, cmd_petition_ls, DB | CMD_JSON,
	  OPTS(STR("status", status, "STATUS", "only petitions in this state (moderation: the "
		   "queue, with its age)")),
	  "the petitions and their counts", NULL,
	  "{\"petitions\":[petition show objects]}" },
	{ "petition suspects", "SLUG", cmd_petition_suspects, DB | CMD_JSON, NULL,
	  "signatures held as suspect (over a signing limit)",
	  "The petition's signatures held as suspect: over a signing limit (fraud settings), "
	  "recorded, neither counted, shown nor delivered until `petition clear`.",
	  "{\"suspects\":[{\"id\",\"email\",\"source\",\"created_at\",\"confirmed_at\"}]}" },
	{ "petition clear", "SLUG [ADDRESS...]", cmd_petition_clear, DB | CMD_TXN,
	  OPTS(FLAG("all", all, "every suspect signature of the petition"),
	       FLAG("reject", reject_suspects, "invalidate them instead (undoable)")),
	  "count suspect signatures (or --reject them)",
	  "Clear the petition's suspect signatures (--all, or those of the addresses given): "
	  "counted when their signers confirmed, else pending until they do. --reject "
	  "invalidates them instead (an invalidation, undone with `petition invalidate SLUG "
	  "--undo ID`).", NULL },
	{ "petition invalidate", "SLUG", cmd_petition_invalidate, DB | CMD_TXN,
	  OPTS(STR("domain", domain, "D", "signers whose address is at this domain"),
	       STR("postcode", postcode, "P", "signers whose postcode starts so"),
	       STR("since", since, "T", "signed at or after T (YYYY-MM-DD or ISO 8601)"),
	       STR("until", until, "T", "signed before T"),
	       STR("source", source, "web|mail|import", "signed this way"),
	       FLAG("dry-run", dry_run, "print the count only; change nothing"),
	       STR("reason", reason, "TEXT", "why (kept with the invalidation)"),
	       INT64("undo", undo, "ID", "restore exactly the signatures of invalidation ID")),
	  "mark signatures invalid by condition (--dry-run: count)",
	  "Mark the petition's signatures that match every condition given (at least one) "
	  "invalid: kept, "
	  "but left out of counts, pages, exports and deliveries, with who and why recorded. "
	  "Prints the count (--dry-run: only that) and the invalidation's id for --undo.",
	  NULL },
	{ "petition history", "SLUG", cmd_petition_history, DB | CMD_JSON, NULL,
	  "moderation, invalidations, clearings and alerts, with who and when", NULL,
	  "{\"events\":[{\"id\",\"kind\",\"actor\",\"detail\",\"at\"}]}" },
	{ "petition moderate", "SLUG", cmd_petition_moderate, DB | CMD_SECRET,
	  OPTS(FLAG("approve", approve, "publish it: it opens for signatures"),
	       STR("reject", reject, "REASON", "refuse it with a reason code (petitions.reasons)")),
	  "publish or reject a petition started by mail",
	  "Decide a petition started by mail that is in moderation: --approve publishes it, "
	  "--reject REASON refuses it for good with a configured reason code. Its creator and "
	  "sponsors are told (docs/petitions.md).", NULL },
	{ "petition update ls", "SLUG", cmd_petition_update_ls, DB | CMD_JSON, NULL,
	  "its creator's updates to the signers, oldest first",
	  "List the updates a petition's creator mailed to update+SLUG+TOKEN: id, state, "
	  "subject, who decided and why (docs/petitions.md).",
	  "{\"updates\":[{\"id\",\"status\",\"subject\",\"body\",\"reason\","
	  "\"decided_by\",\"decided_at\",\"newsletter\",\"created_at\"}]}" },
	{ "petition update approve", "ID", cmd_petition_update_approve, DB | CMD_SECRET, NULL,
	  "send a pending update to the petition's signers",
	  "Approve a pending update: it becomes a newsletter to the petition's counted signers "
	  "(not those who stopped its updates), sent by the next `peermail run`; its creator is "
	  "told.", NULL },
	{ "petition update reject", "ID", cmd_petition_update_reject, DB | CMD_SECRET,
	  OPTS(NEED_STR("reason", reason, "TEXT", "why (kept, and told to its creator)")),
	  "refuse a pending update with a reason", NULL, NULL },
	{ "target", NULL, NULL, 0, NULL, "targets (legislators) and their petitions", NULL,
	  NULL },
	{ "target add", "NAME", cmd_target_add, DB | CMD_TXN,
	  OPTS(NEED_STR("email", email, "ADDR", "the target's address"),
	       STR("district", district, "D", "their district (none: they receive every "
		   "signature)"),
	       STR("title", title, "T", "e.g. MP, Councillor"),
	       MANY("petition", petitions, "SLUG", "deliver this petition to them (repeatable)")),
	  "add a target (same address: update it)",
	  "Add a target (or update the one with this address) and attach it to petitions.",
	  NULL },
	{ "target edit", "ID", cmd_target_edit, DB | CMD_TXN,
	  OPTS(STR("email", email, "ADDR", "a corrected address"),
	       STR("name", name, "N", "their name"),
	       STR("title", title, "T", "their title (\"\": none)"),
	       STR("district", district, "D", "their district (\"\": every signature)")),
	  "change a target, keeping its deliveries",
	  "Change a target in place; its deliveries are kept, so after a failure the next "
	  "delivery reaches the corrected address.", NULL },
	{ "target ls", NULL, cmd_target_ls, DB | CMD_JSON, NULL,
	  "the targets and their petitions", NULL,
	  "{\"targets\":[{\"id\",\"name\",\"email\",\"title\",\"district\","
	  "\"petitions\":[slug...]}]}" },
	{ "district", NULL, NULL, 0, NULL, "postcode -> district lookup", NULL, NULL },
	{ "district import", "FILE.csv", cmd_district_import, DB,
	  OPTS(FLAG("rederive", rederive, "recompute every member's district from the "
		    "postcode (default: only members without one)")),
	  "load postcode prefixes -> districts",
	  "Import postcode prefixes and their districts (header row; columns postcode_prefix "
	  "or postcode, and district).",
	  "columns: postcode_prefix (or postcode),district (header row)" },
	{ "district ls", NULL, cmd_district_ls, DB | CMD_JSON, NULL,
	  "the postcode prefixes and members per district", NULL,
	  "{\"districts\":[{\"prefix\",\"district\"}],\"members\":{\"D\":N,...}}" },
	{ "deliver", "SLUG", cmd_deliver, DB | CMD_SECRET | CMD_JSON,
	  OPTS(FLAG("now", now, "compile and queue now (default: the next `peermail run` "
		    "does)")),
	  "compile and queue deliveries to the targets",
	  "Compile the petition's new signatures for each of its targets and queue the "
	  "messages.",
	  "{\"petition\",\"status\":\"queued|requested\",\"queued\"}" },
	{ "delivery", NULL, NULL, 0, NULL, "deliveries, replies, settings", NULL, NULL },
	{ "delivery ls", NULL, cmd_delivery_ls, DB | CMD_JSON,
	  OPTS(STR("petition", petition, "SLUG", "only this petition")),
	  "deliveries with their status and replies", NULL,
	  "{\"deliveries\":[{\"id\",\"petition\",\"target\":{\"name\",\"email\",\"title\","
	  "\"district\"},\n \"status\":\"queued|sent|failed\",\"reason\",\"from_signature\","
	  "\"upto_signature\",\"signatures\",\"total\",\n \"csv_bytes\",\"gzipped\","
	  "\"created_at\",\"sent_at\",\"failure\",\n \"outbox\":{\"status\",\"smtp_code\","
	  "\"smtp_text\"},\"replies\":[{\"sender\",\"subject\",\"text\",\"created_at\"}]}]}" },
	{ "delivery config", "SLUG", cmd_delivery_config, DB | CMD_JSON,
	  OPTS(STR("disclose", disclose, "FIELDS",
		   "CSV columns for targets, from " DELIVERY_FIELDS " (email only if listed)"),
	       INT("every", every, "DAYS", "deliver new signatures every N days (0: never)", -1),
	       FLAG("on-close", on_close, "deliver when it closes"),
	       OR_FLAG("no-on-close", no_on_close, "do not"),
	       FLAG("at-milestones", at_milestones, "deliver when a milestone is crossed"),
	       OR_FLAG("no-milestones", no_milestones, "do not")),
	  "show or set what deliveries disclose and when they go out",
	  "Show or set what a petition's deliveries disclose and when they go out.",
	  "FIELDS from " DELIVERY_FIELDS },

	/* ==== Stories ==== */
	{ "story", NULL, NULL, 0, NULL, "members' stories, moderated", NULL, NULL },
	{ "story ls", NULL, cmd_story_ls, DB | CMD_JSON | CMD_SECTION,
	  OPTS(STR("petition", petition, "SLUG", "only this petition's"),
	       STR("status", status, "pending|approved|rejected", "only stories in this state")),
	  "stories, for moderation", NULL,
	  "{\"stories\":[{\"id\",\"petition\",\"author\",\"email\",\"status\",\"subject\","
	  "\"text\",\"created_at\"}]}" },
	{ "story approve", "ID", cmd_story_approve, DB | CMD_TXN, NULL,
	  "approve a story for mailings; its author and the organizers are told", NULL, NULL },
	{ "story reject", "ID", cmd_story_reject, DB | CMD_TXN, NULL,
	  "reject a story (the organizers are told)", NULL, NULL },

	/* ==== Newsletters, the queue, counts ==== */
	{ "newsletter", NULL, NULL, 0, NULL, "newsletters", NULL, NULL },
	{ "newsletter create", NULL, cmd_newsletter_create, DB | CMD_SECTION,
	  OPTS(NEED_STR("list", list, "NAME", "the list it goes to"),
	       NEED_STR("subject", subject, "S", "subject (Mustache)"),
	       NEED_PATH("body", body, "FILE.md", "Markdown + Mustache body"),
	       STR("petition", petition, "SLUG", "link a petition: each copy's Reply-To signs it"),
	       STR("template", template_name, "NAME", "message template (default: newsletter)"),
	       FLAG("skip-signed", skip_signed, "leave out members who signed the petition")),
	  "create a newsletter (a draft); prints its id", NULL, NULL },
	{ "newsletter translate", "ID", cmd_newsletter_translate, DB,
	  OPTS(NEED_STR("lang", lang, "LANG", "the members' language (fr, de...)"),
	       NEED_STR("subject", subject, "S", "subject (Mustache)"),
	       NEED_PATH("body", body, "FILE.md", "Markdown + Mustache body")),
	  "its subject and body for members of one language",
	  "Give a draft or scheduled newsletter its subject and body for members whose "
	  "language is LANG (again: replaces them); the others get the newsletter's own.",
	  NULL },
	{ "newsletter preview", "ID", cmd_newsletter_preview, DB | CMD_SECRET | CMD_TXN,
	  OPTS(NEED_STR("to", to, "ADDR", "the address to send the copy to")),
	  "queue one rendered copy to ADDR",
	  "Queue one rendered copy to ADDR (as that member would get it, or with sample "
	  "data); `peermail run` sends it.", NULL },
	{ "newsletter schedule", "ID", cmd_newsletter_schedule, DB,
	  OPTS(NEED_STR("at", at, "TIME", "when: local time 'YYYY-MM-DD HH:MM' or ISO 8601")),
	  "send at TIME (`peermail run` sends it when due)", NULL, NULL },
	{ "newsletter send", "ID", cmd_newsletter_send, DB | CMD_SECRET,
	  OPTS(FLAG("wait", wait, "send it from this process now, with progress")),
	  "send now (the next `peermail run`, or this process with --wait)", NULL, NULL },
	{ "newsletter cancel", "ID", cmd_newsletter_cancel, DB | CMD_TXN, NULL,
	  "cancel, also mid-send: copies not yet sent are not sent", NULL, NULL },
	{ "newsletter status", "ID", cmd_newsletter_status, DB | CMD_JSON, NULL,
	  "a newsletter's state and counts", NULL,
	  "{\"id\",\"status\",\"subject\",\"list\",\"audience\",\"petition\",\"scheduled_at\","
	  "\"recipients\",\"queued\",\"sent\",\"failed\",\n \"bounced\",\"cancelled\","
	  "\"unsubscribes\"}" },
	{ "newsletter ls", NULL, cmd_newsletter_ls, DB | CMD_JSON, NULL,
	  "the newsletters, newest first", NULL, "{\"newsletters\":[status objects]}" },
	{ "outbox", NULL, cmd_outbox, DB | CMD_JSON, NULL,
	  "messages in the queue by status",
	  "Show how many messages are queued, sending, sent, deferred and failed; `flush` "
	  "makes deferred messages due now.",
	  "{\"queued\",\"sending\",\"sent\",\"deferred\",\"failed\"}" },
	{ "outbox flush", NULL, cmd_outbox_flush, DB, NULL,
	  "retry deferred messages now (like postqueue -f)", NULL, NULL },
	{ "stats", NULL, cmd_stats, DB | CMD_JSON, NULL,
	  "counts for organizers",
	  "Members by status, lists, petitions (by day and district) and newsletters (sent, "
	  "failed, bounced, unsubscribes within 7 days of receiving it). Without --json, the "
	  "same JSON indented.",
	  "{\"members\":{...},\"lists\":[...],\"petitions\":[... with \"by_day\"],"
	  "\"newsletters\":[...]}\n(docs/campaigns.md says what each count means)" },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL }
};
