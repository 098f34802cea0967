/* SPDX-License-Identifier: MIT */
/* Channels and private conversations of a network: their buffers, nicks and nicklists,
 * laid out as WeeChat's irc plugin lays them out. */
#ifndef PERCH_IRC_CHANNEL_H
#define PERCH_IRC_CHANNEL_H

#include <stdbool.h>

#include "base/list.h"

struct core_buffer;
struct irc_server;

enum irc_channel_type {
    IRC_CHANNEL,
    IRC_PRIVATE,
};

struct irc_nick {
    struct list link;
    char *name;
    char *host;        /* user@host, or NULL */
    char prefixes[33]; /* every prefix char held, in PREFIX order */
};

struct irc_channel {
    struct list link; /* in server->channels */
    struct irc_server *server;
    enum irc_channel_type type;
    char *name;
    struct core_buffer *buffer;
    struct list nicks; /* struct irc_nick */
    bool joined;       /* we are in it (channels) */
    bool rejoin;       /* joined when the link was lost: join again on reconnect */
    char *key;
    char **speakers; /* nicks that spoke, the latest last (completion.c) */
    size_t n_speakers;
};

struct irc_channel *irc_channel_find(struct irc_server *s, const char *name);
/* Finds or creates the channel or private conversation, with its buffer (an existing
 * buffer of that name, e.g. restored from the store, is taken over). */
struct irc_channel *irc_channel_open(struct irc_server *s, const char *name,
                                     enum irc_channel_type type);
void irc_channel_free(struct irc_channel *c);

struct irc_nick *irc_channel_nick_find(struct irc_channel *c, const char *name);
/* Adds or updates a nick ("@+alice" with multi-prefix prefixes), in the nicklist too. */
struct irc_nick *irc_channel_nick_add(struct irc_channel *c, const char *name_with_prefixes,
                                      const char *host);
void irc_channel_nick_remove(struct irc_channel *c, const char *name);
void irc_channel_nick_rename(struct irc_channel *c, const char *old, const char *new_name);
/* Gives or takes a prefix mode (o, v, ...) from a nick. */
void irc_channel_nick_mode(struct irc_channel *c, const char *name, char mode, bool give);
/* Empties the nick list and the nicklist (we left, or the link is gone). */
void irc_channel_nicks_clear(struct irc_channel *c);
/* The highest prefix char of a nick, "" when none. */
const char *irc_channel_nick_prefix(const struct irc_channel *c, const struct irc_nick *n);

#endif
