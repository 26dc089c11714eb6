/*
 * lazylib.h - optional shared libraries loaded on first use.
 *
 * `peermail receive` runs once per incoming message, and most of its time used to go to the
 * dynamic loader: every library the program links is mapped and relocated at each start.
 * The libraries only some commands need (libesmtp with OpenSSL for sending, libxml2 with
 * ICU for HTML replies) are therefore not linked: the module that uses one lists the
 * functions it calls in a LazyLib and loads them (GModule) the first time it needs them.
 *
 * THREADS: any thread; loading is serialized by a mutex and happens once.
 */
#ifndef PEERMAIL_LAZYLIB_H
#define PEERMAIL_LAZYLIB_H

#include <glib.h>

typedef struct {
	const char *name;       /* symbol */
	gpointer *slot;         /* where its address goes */
} LazySym;

typedef struct {
	const char *soname;     /* e.g. "libesmtp.so.6" */
	const LazySym *syms;    /* ends with { NULL, NULL } */
	/* private: filled by lazylib_load */
	gint state;             /* 0 not tried, 1 loaded, -1 failed */
	char *why;              /* the failure, kept for later callers */
} LazyLib;

/* lazylib_load - load lib and fill its slots once (thread-safe); later calls return the
 * first outcome. FALSE with error when the library or one of its symbols is missing. */
gboolean lazylib_load(LazyLib *lib, GError **error);

#endif
