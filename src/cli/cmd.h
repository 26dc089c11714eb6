/*
 * cmd.h - the command handlers main() dispatches to. Each lives in its cmd_*.c file and
 * only parses arguments, calls the modules and prints; no business logic here.
 */
#ifndef PM_CMD_H
#define PM_CMD_H

#include "cli/cli.h"

gboolean cmd_init(int argc, char **argv, GError **error);
gboolean cmd_check_config(int argc, char **argv, GError **error);
gboolean cmd_receive(int argc, char **argv, GError **error);
gboolean cmd_inspect(int argc, char **argv, GError **error);
gboolean cmd_template(int argc, char **argv, GError **error);
gboolean cmd_run(int argc, char **argv, GError **error);
gboolean cmd_outbox(int argc, char **argv, GError **error);
gboolean cmd_member(int argc, char **argv, GError **error);
gboolean cmd_list(int argc, char **argv, GError **error);
gboolean cmd_petition(int argc, char **argv, GError **error);
gboolean cmd_story(int argc, char **argv, GError **error);
gboolean cmd_newsletter(int argc, char **argv, GError **error);
gboolean cmd_stats(int argc, char **argv, GError **error);
gboolean cmd_target(int argc, char **argv, GError **error);
gboolean cmd_district(int argc, char **argv, GError **error);
gboolean cmd_deliver(int argc, char **argv, GError **error);
gboolean cmd_delivery(int argc, char **argv, GError **error);
gboolean cmd_dns_records(int argc, char **argv, GError **error);

#endif
