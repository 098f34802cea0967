/* SPDX-License-Identifier: MIT */
/* Completion of command names, command arguments, buffer names and nicks. */
#ifndef PERCH_CORE_COMPLETION_H
#define PERCH_CORE_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>

struct core_buffer;

struct core;

struct core_completion {
    const char *context; /* "command", "command_arg" or "auto" */
    char *base_word;
    int position_replace; /* byte offset where base_word starts */
    bool add_space;
    char **list;
    size_t n_list;
    size_t n_front; /* items placed at the beginning (most recent speakers, ...) */
    size_t n_back;  /* items placed at the end (our own nick) */
    bool unsorted;  /* once an item went first or last, later sorted ones are appended */
};

/* Where an offered word goes: sorted (case ignored), first, or last (WeeChat's list
 * positions; as in WeeChat, a sorted word offered after a first or last one is appended). */
enum core_completion_where {
    CORE_COMPLETION_SORT,
    CORE_COMPLETION_BEGINNING,
    CORE_COMPLETION_END,
};

/*
 * A provider of the template item %name (an "irc_channels" provider serves
 * "%irc_channels"): it offers words with core_completion_offer(). It returns false when
 * it has nothing to do with buffer, and core's own item of that name (only %nicks,
 * %buffers and %commands exist) then runs. The text before the completed word is
 * c->base_word's context; data is the hook's.
 */
typedef bool (*core_completion_cb)(struct core_completion *c, const struct core_buffer *buffer,
                                   void *data);
/* Registers (or, with the same name, replaces) a provider; name is copied. */
void core_completion_hook(struct core *core, const char *name, core_completion_cb cb, void *data);
/* Removes the providers registered with data. */
void core_completion_unhook(struct core *core, void *data);
void core_completion_hooks_free(struct core *core);
/*
 * Offers word when it starts with the word being completed (case ignored for nicks).
 * A nick completed at the start of the line gets WeeChat's nick_completer ": " and no
 * added space; a word already offered is not offered again, except that a word placed
 * at the beginning moves there.
 */
void core_completion_offer(struct core_completion *c, const char *word, bool nick,
                           enum core_completion_where where);

/*
 * Completes the word that ends at position (in characters; negative = end of text)
 * in text typed in buffer. Fills *out; release it with core_completion_fini().
 */
void core_completion_run(const struct core_buffer *buffer, const char *text, long position,
                         struct core_completion *out);
void core_completion_fini(struct core_completion *c);

#endif
