/* SPDX-License-Identifier: MIT */
/* The chat core: buffers in number order, the hotlist, id counters and the event bus. */
#ifndef PERCH_CORE_CORE_H
#define PERCH_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alias.h"
#include "base/id_index.h"
#include "base/list.h"
#include "base/name_index.h"
#include "buffer.h"
#include "event.h"
#include "schedule.h"

/* Hooks into the process that hosts the core (perchd), for commands that act on it. */
struct core_host {
    void (*quit)(void *data, const char *message);
    /* Starts an upgrade; returns 0, or -1 with a reason in err. */
    int (*upgrade)(void *data, char *err, size_t err_len);
    /* Reloads the host's config file (/reload); returns 0 with the file's path in msg, or
     * -1 with the reason. May be NULL. */
    int (*reload)(void *data, char *msg, size_t msg_len);
    /* The aliases changed (/alias): the host saves them. May be NULL. */
    void (*aliases_changed)(void *data);
    /* When the first input waiting to run (schedule.h) is due may have changed. May be NULL
     * (then nothing runs them). */
    void (*schedule_changed)(void *data);
    void *data;
};

enum core_mute {
    CORE_MUTE_NONE,
    CORE_MUTE_ALL,    /* no line printed in a formatted buffer */
    CORE_MUTE_BUFFER, /* none in the buffer mute_buffer_id */
};

struct core_search_query;
struct core_search_result;

/* Where history beyond memory lives (the store). Lines returned are the caller's: free each
 * with core_line_free() and the array with free(). */
struct core_history {
    /* Lines of a formatted buffer with above < id < below (either may be -1: no bound),
     * oldest first: the newest max of them when newest, else the oldest max. */
    size_t (*lines)(void *data, const struct core_buffer *b, int64_t above, int64_t below,
                    size_t max, bool newest, struct core_line ***out);
    /* One line by id, or NULL. */
    struct core_line *(*line)(void *data, const struct core_buffer *b, int64_t id);
    /* Full-text search of every stored line, cleared ones too (see core/search.h for the
     * query, the result and the return codes; out is zeroed by the caller). */
    int (*search)(void *data, const struct core_search_query *q, struct core_search_result *out);
    void *data;
};

/* Commands another component registered (command.h). */
struct core_command_set {
    const char *plugin; /* "irc": what /command names them by */
    const struct core_command *commands;
    void *data;
};

struct core {
    struct list buffers;               /* struct core_buffer, by number */
    struct id_index buffers_by_id;     /* the same buffers by id: looked up at each line stored */
    struct name_index buffers_by_name; /* and by full name (unique): looked up at each join */
    struct list hotlist;               /* struct core_hotlist_entry */
    struct core_event_bus bus;
    struct core_buffer *core_buffer; /* "core.weechat": never closed */
    int64_t last_id;                 /* last buffer/group/nick id handed out */
    size_t max_lines;                /* lines kept in memory per formatted buffer */
    struct core_host host;
    struct core_history history; /* all NULL: memory only */
    struct core_command_set *command_sets;
    size_t n_command_sets;
    const char *version; /* shown in the core buffer's title */
    int64_t started_us;  /* when perchd started, kept across upgrades (/uptime) */
    struct core_completion_hook *completion_hooks;
    size_t n_completion_hooks;
    struct core_alias *aliases; /* sorted by name (alias.h) */
    size_t n_aliases;
    char *alias_running[CORE_ALIAS_DEPTH]; /* the aliases being run, outermost first */
    int alias_depth;
    int command_depth;                /* commands being run, one inside another */
    size_t command_nested;            /* bytes of those run by another */
    struct core_scheduled *scheduled; /* inputs waiting to run, the first due first */
    size_t n_scheduled;
    uint64_t schedule_added; /* entries ever added */
    int repeat_runs;         /* runs of the /repeat running (and those inside it) so far */
    enum core_mute mute;     /* what /mute keeps from being printed while its command runs */
    int64_t mute_buffer_id;  /* CORE_MUTE_BUFFER's */
    char *highlight_words;   /* words that highlight in every buffer (weechat.look.highlight) */
    int hotlist_paused;      /* > 0: new lines add nothing to the hotlist */
};

/* Creates the core with its core buffer ("core.weechat"). max_lines >= 1. */
struct core *core_new(size_t max_lines, const char *version);
/* Closes every buffer without events and frees the core. Accepts NULL. */
void core_free(struct core *core);
void core_set_host(struct core *core, const struct core_host *host);
/* The words that highlight in every buffer (comma-separated, as highlight_words). */
void core_set_highlight_words(struct core *core, const char *words);

/* A unique, increasing id: wall-clock microseconds, bumped past the last one. */
int64_t core_next_id(struct core *core);

/*
 * Opens a buffer named plugin.name at the end of the list; emits buffer_opened.
 * Returns NULL with *err = -EEXIST (name taken) or -EINVAL (empty or bad name).
 */
struct core_buffer *core_buffer_open(struct core *core, const char *plugin, const char *name,
                                     enum core_buffer_type type, int *err);
/* Emits buffer_closing, removes nicks and groups (with events), emits
 * buffer_closed, renumbers the buffers after it (buffer_moved) and frees it.
 * The core buffer cannot be closed: returns -EPERM. */
int core_buffer_close(struct core_buffer *buffer);
/* Moves a buffer to number (clamped); emits buffer_moved for each renumbered buffer. */
void core_buffer_move(struct core_buffer *buffer, int number);

struct core_buffer *core_buffer_by_full_name(const struct core *core, const char *full_name);
struct core_buffer *core_buffer_by_id(const struct core *core, int64_t id);
/* By id when the text is a decimal integer, else by full name; "(?i)" prefix makes
 * the name match case-insensitive (reference §6.3). */
struct core_buffer *core_buffer_search(const struct core *core, const char *text);

void core_emit(struct core *core, enum core_event_type type, const struct core_buffer *buffer);
/* Emits a process event (quit, upgrade, upgrade_ended) with buffer_id -1. */
void core_emit_process(struct core *core, enum core_event_type type);

#endif
