/* SPDX-License-Identifier: MIT */
/* Channels and private conversations of a network: their buffers, nicks and nicklists,
 * laid out as WeeChat's irc plugin lays them out. */
#ifndef PERCH_IRC_CHANNEL_H
#define PERCH_IRC_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/list.h"
#include "base/name_index.h"
#include "modelist.h"

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
    char *account;     /* extended-join, account-notify, WHOX; NULL: none known */
    char *realname;    /* extended-join, setname, WHO; NULL: none known */
    bool away;         /* away-notify, WHO's "G": the nicklist shows it (nicklist_away) */
};

/* A catch-up awaited (catchup.c): the live lines held until its batch came. */
struct irc_catchup {
    bool pending;
    uint64_t since_ms;
    char **held; /* raw lines, in order */
    size_t n_held;
};

struct irc_channel {
    struct list link; /* in server->channels */
    struct irc_server *server;
    enum irc_channel_type type;
    char *name;
    struct core_buffer *buffer;
    struct list nicks; /* struct irc_nick */
    /* nicks, speakers and joins_filtered by name: big channels look one up at each line */
    struct name_index nick_index, speaker_index, join_filtered_index;
    bool joined; /* we are in it (channels) */
    bool rejoin; /* joined when the link was lost: join again on reconnect */
    char *key;
    char *modes;                /* "+ntl 50" as WeeChat keeps them, or NULL */
    char *topic;                /* as the server sent it (TOPIC, 332 once joined), or NULL */
    struct list speakers;       /* struct irc_speaker, the latest first: smart filter, completion */
    struct list joins_filtered; /* struct irc_join_filtered, the latest first */
    bool names_done;            /* the first 366 came (MODE #chan asked) */
    bool has_quit;              /* private: the nick quit, its return is said */
    bool got_324;               /* a 324 came: the next ones are shown */
    unsigned who_checks; /* our own WHOs after the join not answered yet: their replies hidden */
    char names_filter;   /* /names -X until the 366: '#' the count alone, '*' no mode, a mode */
    struct irc_catchup catchup;
    struct irc_modelists modelists; /* bans, exceptions, invites, quiets */
};

/* A nick that spoke in a channel, and when (seconds): joins, parts, quits and nick changes
 * of nicks silent for longer than the smart filter's delay are tagged irc_smart_filter;
 * nicks complete with the latest speakers first. */
struct irc_speaker {
    struct list link;
    char *nick;
    int64_t at;
};

/* A join hidden by the smart filter, with the lines to unmask if the nick speaks soon: the
 * join and the nick's later nick changes (irc_channel_join_smart_filtered_unmask). */
#define IRC_JOIN_FILTERED_LINES 8

struct irc_join_filtered {
    struct list link;
    char *nick;
    int64_t at;
    int64_t lines[IRC_JOIN_FILTERED_LINES];
    size_t n_lines;
};

/* irc.look.smart_filter_join_unmask (minutes) in seconds. */
#define IRC_SMART_FILTER_JOIN_UNMASK_S (30 * 60)

/* irc.look.smart_filter_delay (minutes) in seconds. */
#define IRC_SMART_FILTER_DELAY_S (5 * 60)
/* Speakers remembered per channel at most (the oldest go first). */
#define IRC_SPEAKERS_MAX 2000

/* A server's channel_index, by name (its casemapping whichever it is). */
void irc_channel_index_init(struct name_index *index);
struct irc_channel *irc_channel_find(struct irc_server *s, const char *name);
/* Puts c, made by irc_channel_new, in its server's channels. */
void irc_channel_attach(struct irc_channel *c);
/* Finds or creates the channel or private conversation, with its buffer (an existing
 * buffer of that name, e.g. restored from the store, is taken over). */
/* A channel or private conversation of s, in no list and without its buffer yet. */
struct irc_channel *irc_channel_new(struct irc_server *s, const char *name,
                                    enum irc_channel_type type);
struct irc_channel *irc_channel_open(struct irc_server *s, const char *name,
                                     enum irc_channel_type type);
void irc_channel_free(struct irc_channel *c);

struct irc_nick *irc_channel_nick_find(struct irc_channel *c, const char *name);
/* Adds n, made elsewhere (a hand-over), to c's nicks, not to the nicklist. */
void irc_channel_nick_attach(struct irc_channel *c, struct irc_nick *n);
/* Adds or updates a nick ("@+alice" with multi-prefix prefixes), in the nicklist too. */
struct irc_nick *irc_channel_nick_add(struct irc_channel *c, const char *name_with_prefixes,
                                      const char *host);
void irc_channel_nick_remove(struct irc_channel *c, const char *name);
void irc_channel_nick_rename(struct irc_channel *c, const char *old, const char *new_name);
/* A private buffer following its nick's change (irc_channel_pv_rename): the channel's name,
 * its buffer's name, short name and "channel" local variable. Returns -EEXIST (nothing
 * changed) when another buffer has that name already. */
int irc_channel_private_rename(struct irc_channel *c, const char *nick);
/* The nick's away state: its nicklist colour follows (irc_nick_set_away). */
void irc_channel_nick_set_away(struct irc_channel *c, struct irc_nick *n, bool away);
/* Replaces one of the nick's strings (host, account, realname) by a copy of value (NULL:
 * none). */
void irc_channel_nick_set_text(char **field, const char *value);
/* Gives or takes a prefix mode (o, v, ...) from a nick. */
void irc_channel_nick_mode(struct irc_channel *c, const char *name, char mode, bool give);
/* Empties the nick list and the nicklist (we left, or the link is gone). */
void irc_channel_nicks_clear(struct irc_channel *c);
/* The topic as the server sent it (NULL or "": none), shown as the old one on a change. */
void irc_channel_set_topic(struct irc_channel *c, const char *topic);
/* The network's autojoin follows our joins and parts, with the channel's key (the
 * networks are saved: a restart joins them again). */
void irc_channel_autojoin(struct irc_channel *c, bool joined);
/* The modes (NULL: none) and the buffer's "modes" property; "" while not joined. */
void irc_channel_set_modes(struct irc_channel *c, const char *modes);
/* The list of a list mode (CHANMODES type A) of a channel, created when missing; NULL for
 * other modes and other conversations. */
struct irc_modelist *irc_channel_modelist(struct irc_channel *c, char mode);
/* True once the channel has nicks (we are in it and names came). */
bool irc_channel_has_nicks(const struct irc_channel *c);
/* The buffer's input_prompt from our nick, our prefix here and our user modes. */
void irc_channel_update_prompt(struct irc_channel *c);
/* nick spoke at now (seconds); entries past the delay are forgotten. */
void irc_channel_speaking(struct irc_channel *c, const char *nick, int64_t now);
/* A speaker saved by a hand-over, older than those already restored; false (nothing done)
 * past the bound or when the nick is there already. */
bool irc_channel_speaker_restore(struct irc_channel *c, const char *nick, int64_t at);
/* True when nick spoke within the smart filter delay before now. */
bool irc_channel_spoke_recently(struct irc_channel *c, const char *nick, int64_t now);
/* The nick's speaking time follows its new name. */
void irc_channel_speaker_rename(struct irc_channel *c, const char *old, const char *new_name);
/* A smart-filtered join of nick (line id) at now; nick changes of that nick add their line
 * (line -1: only the name follows). Bounded like the speakers. */
void irc_channel_join_filtered_add(struct irc_channel *c, const char *nick, int64_t now,
                                   int64_t line);
void irc_channel_join_filtered_rename(struct irc_channel *c, const char *old, const char *new_name,
                                      int64_t line);
void irc_channel_join_filtered_remove(struct irc_channel *c, const char *nick);
/* nick spoke: its join (and nick changes since) lose irc_smart_filter when the join is not
 * older than the unmask delay (buffer_line_data_changed each); the entry is forgotten. */
void irc_channel_join_filtered_unmask(struct irc_channel *c, const char *nick, int64_t now);

#endif
