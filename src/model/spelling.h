/*
 * spelling.h - finding the rows that hold any spelling of a person's address.
 *
 * Owns: the search that forgetting needs in tables whose rows name no member (answers to
 * strangers, notices, the inbound log): candidates narrowed by the key's domains with SQL,
 * then each address compared by key (mail/address address_has_key). Not: writing; each
 * table's owner runs the search on its own table and changes its own rows.
 * THREADS: any thread, with that thread's own connection.
 */
#ifndef PEERMAIL_SPELLING_H
#define PEERMAIL_SPELLING_H

#include "base/config.h"
#include "base/db.h"

/*
 * spelling_ids - a JSON array ("[1,5]") of the ids of the rows sql finds whose address
 * columns hold a spelling of key. sql selects the id first and one or more address columns
 * after it, and takes ?1, a LIKE pattern "%@DOMAIN" for each of the key's domains.
 * NULL with error; caller frees.
 */
char *spelling_ids(PmDb *db, const PmConfig *cfg, const char *key, const char *sql,
		   GError **error);

#endif
