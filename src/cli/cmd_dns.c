/*
 * cmd_dns.c - `peermail dns-records`: the SPF, DKIM and DMARC TXT records to publish.
 */
#include "cli/cmd.h"
#include "mail/dkim.h"

/* cmd_dns_records - dkim_dns_records for the configuration */
gboolean cmd_dns_records(CmdCtx *c, GError **error)
{
	char *text = dkim_dns_records(c->cfg, error);

	if (text == NULL)
		return FALSE;
	g_string_append(c->out, text);
	g_free(text);
	return TRUE;
}
