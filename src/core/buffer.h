/* SPDX-License-Identifier: MIT */
/* A buffer: named, numbered, with lines, local variables, keys, input and a nicklist. */
#ifndef PERCH_CORE_BUFFER_H
#define PERCH_CORE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/list.h"
#include "line.h"
#include "nicklist.h"

struct core;
struct core_buffer;

enum core_buffer_type {
    CORE_BUFFER_FORMATTED,
    CORE_BUFFER_FREE,
};

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
    int64_t next_line_id; /* never reused, not reset by clear */
    struct core_nick_group *nicklist_root;
    core_buffer_input_cb input_cb;
    void *input_data;
};

/* Number of stored lines and the i-th of them (oldest first). */
size_t core_buffer_line_count(const struct core_buffer *buffer);
const struct core_line *core_buffer_line_at(const struct core_buffer *buffer, size_t i);
const struct core_line *core_buffer_line_by_id(const struct core_buffer *buffer, int64_t id);
/* Value of a local variable or NULL. */
const char *core_buffer_localvar(const struct core_buffer *buffer, const char *key);

/* Adds a line (formatted: at the end; free: at spec->y, replacing a line there,
 * filler lines for skipped y); updates the hotlist; emits buffer_line_added.
 * Returns the stored line. */
const struct core_line *core_buffer_print(struct core_buffer *buffer,
                                          const struct core_line_spec *spec);
/* Replaces the tags of line id (comma-separated, may be empty); emits
 * buffer_line_data_changed. Returns -ENOENT for an unknown line. */
int core_buffer_set_line_tags(struct core_buffer *buffer, int64_t id, const char *tags);
/* Removes every line (ids keep counting); emits buffer_cleared. */
void core_buffer_clear(struct core_buffer *buffer);

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
void core_buffer_set_nicklist(struct core_buffer *buffer, bool enabled);
void core_buffer_set_input_cb(struct core_buffer *buffer, core_buffer_input_cb cb, void *data);

#endif
