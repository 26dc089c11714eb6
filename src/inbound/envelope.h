/*
 * envelope.h - before a message is parsed: reading it within the size limit, and its
 * envelope from what a local delivery agent tells us.
 *
 * Owns: inbound_read_fd (limits.max_message_size) and the envelope from the environment
 * (Postfix pipe(8)/local(8), Exim). Needs GLib only: no GMime, no SQLite, so that the
 * thin `peermail` front (cli/front.c) reads and addresses a message exactly as the
 * in-process pipeline does. Not: parsing (message.h), the pipeline (inbound.h).
 * DIAGNOSTICS: EX_DATAERR over the limit, EX_TEMPFAIL for read errors (PM_ERROR).
 * THREADS: any thread.
 */
#ifndef PM_INBOUND_ENVELOPE_H
#define PM_INBOUND_ENVELOPE_H

#include <glib.h>
#include "base/config.h"

/*
 * inbound_read_fd - read a whole message from fd into memory, at most max octets.
 * Over the limit: EX_DATAERR ("message too large"); read errors: EX_TEMPFAIL.
 * Returns new bytes (caller unrefs) or NULL.
 */
GBytes *inbound_read_fd(int fd, gint64 max, GError **error);

/*
 * inbound_envelope_from_env - fill in what the caller did not give: sender and recipient from the
 * environment a local delivery agent sets (SENDER; ORIGINAL_RECIPIENT, RECIPIENT,
 * LOCAL_PART_PREFIX+LOCAL_PART+LOCAL_PART_SUFFIX@DOMAIN (Exim), LOCAL+EXTENSION@DOMAIN
 * (Postfix local)). *sender and *recipient are owned strings (g_free) or NULL; an argument
 * already set is kept.
 */
void inbound_envelope_from_env(const PmConfig *cfg, char **sender, char **recipient);

#endif
