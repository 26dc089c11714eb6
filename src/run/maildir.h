/*
 * maildir.h - the maildir transport: each outgoing message written to a Maildir instead of
 * being sent (config transport = "maildir"; demos, dry runs, tests).
 *
 * Owns: unique file names, tmp/ then fsync then rename into new/, and the Return-Path and
 * Delivered-To headers a delivering MTA would prepend. Not: which rows to write (sender).
 *
 * THREADS: any thread; each delivery writes its own file (tmp/ then rename into new/).
 */
#ifndef PM_MAILDIR_H
#define PM_MAILDIR_H

#include <glib.h>

/*
 * maildir_deliver - write message (CRLF or LF; stored as given) to dir/new with
 * "Return-Path: <return_path>" and "Delivered-To: recipient" prepended. Creates dir/tmp,
 * dir/new and dir/cur when missing. Returns FALSE with an EX_TEMPFAIL/EX_CANTCREAT error.
 */
gboolean maildir_deliver(const char *dir, const char *return_path, const char *recipient,
			 GBytes *message, GError **error);

#endif
