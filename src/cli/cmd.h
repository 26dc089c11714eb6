/*
 * cmd.h - the run functions of the command table (commands.c), one cmd_*.c file per
 * group. Each gets its arguments parsed and what it needs opened (cli.h), calls one
 * function of the lower layers and prints; no SQL and no business rules here.
 *
 * THREADS: main thread only.
 */
#ifndef PM_CMD_H
#define PM_CMD_H

#include "cli/cli.h"

/* cmd_help.c */
gboolean cmd_help(CmdCtx *c, GError **error);

/* cmd_init.c */
gboolean cmd_init(CmdCtx *c, GError **error);
gboolean cmd_check_config(CmdCtx *c, GError **error);

/* cmd_receive.c, cmd_inspect.c, cmd_template.c, cmd_run.c */
gboolean cmd_receive(CmdCtx *c, GError **error);
gboolean cmd_inspect(CmdCtx *c, GError **error);
gboolean cmd_template_render(CmdCtx *c, GError **error);
gboolean cmd_run(CmdCtx *c, GError **error);

/* cmd_web.c */
gboolean cmd_web(CmdCtx *c, GError **error);

/* cmd_list.c */
gboolean cmd_list_create(CmdCtx *c, GError **error);
gboolean cmd_list_show(CmdCtx *c, GError **error);
gboolean cmd_list_ls(CmdCtx *c, GError **error);

/* cmd_member.c */
gboolean cmd_member_add(CmdCtx *c, GError **error);
gboolean cmd_member_import(CmdCtx *c, GError **error);
gboolean cmd_member_export(CmdCtx *c, GError **error);
gboolean cmd_member_show(CmdCtx *c, GError **error);
gboolean cmd_member_forget(CmdCtx *c, GError **error);

/* cmd_petition.c */
gboolean cmd_petition_create(CmdCtx *c, GError **error);
gboolean cmd_petition_open(CmdCtx *c, GError **error);
gboolean cmd_petition_close(CmdCtx *c, GError **error);
gboolean cmd_petition_show(CmdCtx *c, GError **error);
gboolean cmd_petition_signatures(CmdCtx *c, GError **error);
gboolean cmd_petition_import(CmdCtx *c, GError **error);
gboolean cmd_petition_ls(CmdCtx *c, GError **error);
gboolean cmd_petition_moderate(CmdCtx *c, GError **error);

/* cli_actor - who acts from the command line, as petition histories record it: cli:USER;
 * caller frees (cmd_fraud.c) */
char *cli_actor(void);

/* cmd_fraud.c */
gboolean cmd_petition_suspects(CmdCtx *c, GError **error);
gboolean cmd_petition_clear(CmdCtx *c, GError **error);
gboolean cmd_petition_invalidate(CmdCtx *c, GError **error);
gboolean cmd_petition_history(CmdCtx *c, GError **error);
gboolean cmd_petition_update_ls(CmdCtx *c, GError **error);
gboolean cmd_petition_update_approve(CmdCtx *c, GError **error);
gboolean cmd_petition_update_reject(CmdCtx *c, GError **error);

/* cmd_target.c, cmd_district.c, cmd_deliver.c */
gboolean cmd_target_add(CmdCtx *c, GError **error);
gboolean cmd_target_edit(CmdCtx *c, GError **error);
gboolean cmd_target_ls(CmdCtx *c, GError **error);
gboolean cmd_district_import(CmdCtx *c, GError **error);
gboolean cmd_district_ls(CmdCtx *c, GError **error);
gboolean cmd_deliver(CmdCtx *c, GError **error);
gboolean cmd_delivery_ls(CmdCtx *c, GError **error);
gboolean cmd_delivery_config(CmdCtx *c, GError **error);

/* cmd_story.c */
gboolean cmd_story_ls(CmdCtx *c, GError **error);
gboolean cmd_story_approve(CmdCtx *c, GError **error);
gboolean cmd_story_reject(CmdCtx *c, GError **error);

/* cmd_newsletter.c */
gboolean cmd_newsletter_create(CmdCtx *c, GError **error);
gboolean cmd_newsletter_translate(CmdCtx *c, GError **error);
gboolean cmd_newsletter_preview(CmdCtx *c, GError **error);
gboolean cmd_newsletter_schedule(CmdCtx *c, GError **error);
gboolean cmd_newsletter_send(CmdCtx *c, GError **error);
gboolean cmd_newsletter_cancel(CmdCtx *c, GError **error);
gboolean cmd_newsletter_status(CmdCtx *c, GError **error);
gboolean cmd_newsletter_ls(CmdCtx *c, GError **error);

/* cmd_outbox.c, cmd_stats.c */
gboolean cmd_outbox(CmdCtx *c, GError **error);
gboolean cmd_outbox_flush(CmdCtx *c, GError **error);
gboolean cmd_stats(CmdCtx *c, GError **error);

/* cmd_dns.c */
gboolean cmd_dns_records(CmdCtx *c, GError **error);

#endif
