/*
 * address.h - mail addresses: normalization, and peermail's own local parts.
 *
 * Owns: what a valid address is (the one addr-spec rule, for members, targets, bounce
 * reports and every address compose writes), how a member's address is normalized
 * (lower-cased, optional Gmail dot and +tag rules), how peermail's addresses are formed (sign+SLUG, LIST+subscribe, KEYWORD+TOKEN)
 * and how a recipient address is routed back to its meaning. Not: what a route does
 * (that is inbound's).
 *
 * THREADS: any thread.
 */
#ifndef PM_ADDRESS_H
#define PM_ADDRESS_H

#include <glib.h>
#include "base/config.h"

/*
 * address_is_valid - TRUE if addr is a plain addr-spec peermail can write in a header and
 * send to: an ASCII dot-atom local part of at most 64 octets (no quotes, comments, display
 * names, spaces or controls), '@', and a domain of two or more labels of letters, digits
 * and inner hyphens; at most 254 octets in all.
 */
gboolean address_is_valid(const char *addr);

/*
 * address_given - addr as the person gave it, for writing to and showing: trimmed and
 * angle brackets dropped, NULL unless address_is_valid; case, dots and +tags kept (they
 * may name another mailbox). Caller frees.
 */
char *address_given(const char *addr);

/*
 * address_normalize - a comparable form of addr: trimmed, angle brackets dropped, then
 * NULL unless address_is_valid; lower-cased (almost every provider is case-insensitive),
 * and the configured Gmail/tag rules applied. Only a key for finding the same person
 * again: mail goes to address_given's form, never to this one. Caller frees.
 */
char *address_normalize(const PmConfig *cfg, const char *addr);

/* address_has_key - TRUE when addr (any spelling) normalizes to key */
gboolean address_has_key(const PmConfig *cfg, const char *addr, const char *key);

/*
 * address_key_domains - the lower-case domains whose addresses may normalize to a key in
 * key_domain (gmail.com also stands for googlemail.com when gmail_dots is on), to narrow a
 * search before address_normalize compares; NULL-terminated, g_strfreev.
 */
char **address_key_domains(const PmConfig *cfg, const char *key_domain);

typedef enum {
	ROUTE_NONE = 0,     /* not for us: unknown keyword or domain */
	ROUTE_HELP,         /* help@ */
	ROUTE_SIGN,         /* sign+SLUG (no token) */
	ROUTE_STORY,        /* story+SLUG (no token) */
	ROUTE_LIST_POST,    /* LIST@ */
	ROUTE_LIST_SUBSCRIBE,
	ROUTE_LIST_UNSUBSCRIBE,
	ROUTE_LIST_HELP,
	ROUTE_TOKEN,        /* KEYWORD+TOKEN or sign+SLUG+TOKEN: see keyword and token */
	ROUTE_OWNER,        /* mail for people: the From mailbox (team@, team+x@), postmaster@,
			     * abuse@, owner@, owner+x@, LIST+owner@ (arg LIST) */
	ROUTE_START         /* start@ (petitions.start_keyword): a member starts a petition */
} RouteKind;

typedef struct {
	RouteKind kind;
	char *keyword;      /* first part of the local part, lower-case */
	char *arg;          /* SLUG or LIST name, lower-case, or NULL */
	char *token;        /* token text for ROUTE_TOKEN, lower-case */
} Route;

/*
 * address_route - what recipient (full address) means for peermail. The domain must be
 * cfg->domain (case-insensitive). Lists are not looked up here: "news+subscribe" gives
 * ROUTE_LIST_SUBSCRIBE with arg "news" whether or not the list exists.
 */
void address_route(const PmConfig *cfg, const char *recipient, Route *out);

/*
 * address_names_list - TRUE when NAME@domain would reach a list called name: not a
 * keyword, help@, the start keyword, the From mailbox or another address for people.
 * The one rule for which list names are free.
 */
gboolean address_names_list(const PmConfig *cfg, const char *name);

/* route_clear - free the strings of a route */
void route_clear(Route *r);

/*
 * address_make - "keyword[+arg][+token]@domain" using the configured delimiter; NULL
 * parts are left out. When the local part would exceed 64 octets, arg is dropped (the
 * token alone identifies everything). Caller frees.
 */
char *address_make(const PmConfig *cfg, const char *keyword, const char *arg,
		   const char *token);

/*
 * address_redact - addr with every token in its local part cut to its first 6
 * characters and "...", for logs (a whole token in a log would let its reader act for
 * the member). Caller frees; NULL gives "-".
 */
char *address_redact(const char *addr);

/* address_keyword_purpose - the token purpose a keyword implies, or 0 */
int address_keyword_purpose(const char *keyword);

#endif
