/*
 * renderers.c - the table of send-time renderers.
 *
 * One line per kind rendered at send time, e.g.
 *   { OUTBOX_NEWSLETTER, render, prepare, build, free_prepared },
 * (the last three optional: with them the sender builds copies in worker threads).
 */
#include "produce/newsletter_render.h"
#include "run/renderers.h"

const OutboxRenderer renderers_default[] = {
	{ OUTBOX_NEWSLETTER, newsletter_render, newsletter_prepare, newsletter_build,
	  newsletter_prepared_free },
	{ .render = NULL }    /* end of table */
};

/* renderer_entry - look kind up in table (ends at the first NULL render) */
const OutboxRenderer *renderer_entry(const OutboxRenderer *table, OutboxKind kind)
{
	if (table == NULL)
		table = renderers_default;
	for (; table->render; table++)
		if (table->kind == kind)
			return table;
	return NULL;
}

/* renderer_find - the render function of kind in table, or NULL */
OutboxRenderFn renderer_find(const OutboxRenderer *table, OutboxKind kind)
{
	const OutboxRenderer *e = renderer_entry(table, kind);

	return e ? e->render : NULL;
}
