/*
 * cmd_dns.c - `peermail dns-records`: the SPF, DKIM and DMARC TXT records to publish.
 */
#include <stdio.h>
#include "cli/cmd.h"
#include "mail/dkim.h"

/* cmd_dns_records - print dkim_dns_records for the configuration */
gboolean cmd_dns_records(int argc, char **argv, GError **error)
{
	const PmConfig *cfg;
	char *text;

	if (!cli_parse(&argc, &argv, NULL, "Print the SPF, DKIM and DMARC TXT records to "
		       "publish for the configured domain and DKIM keys (zone-file syntax).",
		       NULL, error))
		return FALSE;
	if (argc != 1)
		return cli_usage_error(error, "dns-records");
	if ((cfg = cli_config(error)) == NULL || (text = dkim_dns_records(cfg, error)) == NULL)
		return FALSE;
	fputs(text, stdout);
	g_free(text);
	return TRUE;
}
