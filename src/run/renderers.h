/*
 * renderers.h - the table of send-time renderers: which function builds the message of an
 * outbox row queued without one (OutboxRenderer, model/outbox.h).
 *
 * Owns: the one table (one line per kind rendered at send time) and looking a kind up.
 * The sender gets its table through sender_new(); NULL there means this table.
 * THREADS: the table is constant; lookups may be called from any thread.
 */
#ifndef PM_RENDERERS_H
#define PM_RENDERERS_H

#include "model/outbox.h"

/* renderers_default - the table; ends with a NULL render */
extern const OutboxRenderer renderers_default[];

/* renderer_entry - the whole entry for kind in table (NULL: renderers_default), or NULL */
const OutboxRenderer *renderer_entry(const OutboxRenderer *table, OutboxKind kind);

/* renderer_find - the render function of kind in table (NULL: renderers_default), or NULL */
OutboxRenderFn renderer_find(const OutboxRenderer *table, OutboxKind kind);

#endif
