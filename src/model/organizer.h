/*
 * organizer.h - who the organizers are: the one rule behind every notice to them and every
 * check that an address may moderate, post to a list or broadcast.
 *
 * Owns: the organizers of a list (its own and the global `organizers`: global organizers
 * organize every list) and of everything not tied to one list (petitions, stories,
 * deliveries: the global ones and every list's); each person once (compared by the
 * normalized key, address_normalize), written as configured (mail goes there), in
 * configuration order, global ones first; and the
 * fallback: when none is configured, the campaign's own From mailbox, which reaches the
 * organizers (conf/peermail.conf). Reads the configuration only; no table.
 * Not: telling them (produce/notify.h), what they may do (the inbound routes).
 * THREADS: may be called from several threads (the configuration is read-only).
 */
#ifndef PM_ORGANIZER_H
#define PM_ORGANIZER_H

#include <glib.h>
#include "base/config.h"

/* organizer_list - the organizers of list (NULL: of everything), never empty: addresses
 * as configured (char *), free with g_ptr_array_unref */
GPtrArray *organizer_list(const PmConfig *cfg, const char *list);

/* organizer_is - TRUE if addr is one of organizer_list(cfg, list), by normalized key */
gboolean organizer_is(const PmConfig *cfg, const char *list, const char *addr);

#endif
