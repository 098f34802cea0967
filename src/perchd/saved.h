/* SPDX-License-Identifier: MIT */
/* What commands change and perchd keeps in its store, not its config file: the networks
 * added by /server, ignores, STS policies and aliases, each a JSON document in the
 * store's meta table, written with the next commit. */
#ifndef PERCH_PERCHD_SAVED_H
#define PERCH_PERCHD_SAVED_H

struct perchd;

/* The IRC client changed its networks, ignores or STS policies: saves all three. */
void perchd_save_irc(void *data);
/* /alias changed the aliases. */
void perchd_save_aliases(void *data);

/* Saved aliases replace the defaults of a new core; none saved keeps them. */
void perchd_load_aliases(struct perchd *d);
/* STS policies first (a network connects with TLS from its first attempt), then the
 * networks (the config file's over the saved ones), then the ignores. */
void perchd_load_irc(struct perchd *d);

#endif
