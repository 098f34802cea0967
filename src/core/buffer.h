/* SPDX-License-Identifier: MIT */
/* A buffer: named, numbered, with lines, local variables, keys, input and a nicklist. */
#ifndef PERCH_CORE_BUFFER_H
#define PERCH_CORE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/list.h"
#include "highlight.h"
#include "line.h"
#include "nicklist.h"

struct core;
struct core_buffer;

enum core_buffer_type {
    CORE_BUFFER_FORMATTED,
    CORE_BUFFER_FREE,
};

/* WeeChat's buffer notify levels: which line priorities reach the hotlist. */
enum core_buffer_notify {
    CORE_BUFFER_NOTIFY_NONE,      /* nothing */
    CORE_BUFFER_NOTIFY_HIGHLIGHT, /* highlights and private messages */
    CORE_BUFFER_NOTIFY_MESSAGE,   /* and messages */
    CORE_BUFFER_NOTIFY_ALL,       /* and everything else (the default) */
};

struct core_hotlist_entry;

struct core_kv {
    char *key;
    char *value;
};

/* Called with text typed in the buffer that is not a command. Buffers without it
 * take no text. */
typedef void (*core_buffer_input_cb)(struct core_buffer *buffer, const char *text, void *data);

/* Read-only outside core/: every change goes through a function below so the
 * matching event is emitted. */
struct core_buffer {
    struct list link; /* in core->buffers, ordered by number */
    struct core *core;
    int64_t id;
    int number;
    char *plugin;    /* "core", "irc" */
    char *name;      /* "weechat", "libera.#perch" */
    char *full_name; /* plugin "." name */
    char *short_name;
    enum core_buffer_type type;
    bool hidden;
    char *title;
    char *modes;
    char *input_prompt;
    char *input;
    int input_position; /* in characters */
    bool input_multiline;
    bool nicklist;
    bool nicklist_case_sensitive;
    bool nicklist_display_groups;
    bool time_displayed;
    struct core_kv *localvars; /* "plugin" and "name" first */
    size_t n_localvars;
    struct core_kv *keys; /* key -> command */
    size_t n_keys;
    /* Formatted buffers: lines[first..n_lines) oldest first. Free buffers: lines[y]. */
    struct core_line **lines;
    size_t first;
    size_t n_lines;
    size_t cap_lines;
    /* Formatted buffers: memory holds the newest lines of the history, and older ones
     * than lines[first] may be in the store (core_buffer_lines_fill brings them in). */
    bool history_older;
    int64_t next_line_id; /* never reused, not reset by clear */
    /* The read marker, as WeeChat keeps it: the id of the last read line (-1: none),
     * and whether the marker sits before the first line (then every line is unread).
     * Clients see both "none" states as last_read_line_id -1. Formatted buffers only. */
    int64_t last_read_line_id;
    bool first_line_not_read;
    enum core_buffer_notify notify;
    struct core_hotlist_entry *hotlist;         /* its entry in core->hotlist, or NULL */
    struct core_hotlist_entry *hotlist_removed; /* for /hotlist restore; owned */
    struct core_nick_group *nicklist_root;
    struct core_highlight highlight; /* highlight_* and hotlist_max_level_nicks */
    core_buffer_input_cb input_cb;
    void *input_data;
};

/* Number of stored lines and the i-th of them (oldest first). */
size_t core_buffer_line_count(const struct core_buffer *buffer);
const struct core_line *core_buffer_line_at(const struct core_buffer *buffer, size_t i);
const struct core_line *core_buffer_line_by_id(const struct core_buffer *buffer, int64_t id);
/*
 * Memory as a cache of the history: a buffer restored from the store starts with none
 * of its lines in memory, so start-up does not grow with the history. This brings the
 * stored lines just older than memory's first in, until memory holds want lines (at most
 * max_lines) or the history has no more. Nothing a client sees changes: no event.
 * Returns the number of lines in memory.
 */
size_t core_buffer_lines_fill(struct core_buffer *buffer, size_t want);
/* Value of a local variable or NULL. */
const char *core_buffer_localvar(const struct core_buffer *buffer, const char *key);

/* Adds a line (formatted: at the end; free: at spec->y, replacing a line there,
 * filler lines for skipped y); updates the hotlist; emits buffer_line_added.
 * Returns the stored line, or NULL when /mute keeps it from the buffer. */
const struct core_line *core_buffer_print(struct core_buffer *buffer,
                                          const struct core_line_spec *spec);
/* Moves the id counter of a formatted buffer forward to next_line_id (never back). */
void core_buffer_continue_ids(struct core_buffer *buffer, int64_t next_line_id);
/* Removes line id without an event: a line that could not be stored is never shown. */
void core_buffer_forget_line(struct core_buffer *buffer, int64_t id);
/* Replaces the tags of line id (comma-separated, may be empty); emits
 * buffer_line_data_changed. Returns -ENOENT for an unknown line. */
int core_buffer_set_line_tags(struct core_buffer *buffer, int64_t id, const char *tags);
/* Removes every line (ids keep counting) and the read marker; emits buffer_cleared. */
void core_buffer_clear(struct core_buffer *buffer);

/*
 * Moves the read marker with WeeChat's "/buffer set unread" argument: "" after the
 * last line, "0" removed, "-N"/"+N" N lines older/newer, "N" the N newest lines
 * unread. Free buffers have no marker (ignored). Emits buffer_changed when the
 * marker moved. Returns -EINVAL (nothing changed) when arg is not one of those.
 */
int core_buffer_set_unread(struct core_buffer *buffer, const char *arg);
/* Sets the notify level; emits nothing (the protocol has no field for it). */
void core_buffer_set_notify(struct core_buffer *buffer, enum core_buffer_notify notify);
/* WeeChat's name of a notify level ("none", "highlight", "message", "all"). */
const char *core_buffer_notify_name(enum core_buffer_notify notify);
/* "none".."all" or "0".."3"; returns -EINVAL for anything else. */
int core_buffer_notify_parse(const char *text, enum core_buffer_notify *notify);
/* Formatted <-> free: the lines go (WeeChat does the same); emits buffer_type_changed. */
void core_buffer_set_type(struct core_buffer *buffer, enum core_buffer_type type);

void core_buffer_set_title(struct core_buffer *buffer, const char *title);
void core_buffer_set_modes(struct core_buffer *buffer, const char *modes);
void core_buffer_set_short_name(struct core_buffer *buffer, const char *short_name);
/* Returns -EEXIST if another buffer has the new full name, -EINVAL if name is empty. */
int core_buffer_set_name(struct core_buffer *buffer, const char *name);
void core_buffer_set_hidden(struct core_buffer *buffer, bool hidden);
void core_buffer_set_time_displayed(struct core_buffer *buffer, bool displayed);
void core_buffer_set_input_prompt(struct core_buffer *buffer, const char *prompt);
/* Sets input text and cursor (characters, clamped); emits input_text_changed or,
 * when only the cursor moved, input_text_cursor_moved. */
void core_buffer_set_input(struct core_buffer *buffer, const char *text, int position);
/* Sets (added/changed) or, with value NULL, removes a local variable. "plugin" and
 * "name" cannot be changed this way: returns -EPERM. */
int core_buffer_set_localvar(struct core_buffer *buffer, const char *key, const char *value);
void core_buffer_set_key(struct core_buffer *buffer, const char *key, const char *command);
/* Removes the key binding (or every binding for "*"). Returns -ENOENT if none matched. */
int core_buffer_unset_key(struct core_buffer *buffer, const char *key);
/* Flags without an event of their own: each emits buffer_changed when it changes. */
void core_buffer_set_nicklist(struct core_buffer *buffer, bool enabled);
void core_buffer_set_nicklist_case_sensitive(struct core_buffer *buffer, bool enabled);
void core_buffer_set_nicklist_display_groups(struct core_buffer *buffer, bool enabled);
void core_buffer_set_input_multiline(struct core_buffer *buffer, bool enabled);
void core_buffer_set_input_cb(struct core_buffer *buffer, core_buffer_input_cb cb, void *data);

#endif
