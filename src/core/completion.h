/* SPDX-License-Identifier: MIT */
/* Completion of command names, command arguments, buffer names and nicks. */
#ifndef PERCH_CORE_COMPLETION_H
#define PERCH_CORE_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>

struct core_buffer;

struct core_completion {
    const char *context; /* "command", "command_arg" or "auto" */
    char *base_word;
    int position_replace; /* byte offset where base_word starts */
    bool add_space;
    char **list;
    size_t n_list;
};

/*
 * Completes the word that ends at position (in characters; negative = end of text)
 * in text typed in buffer. Fills *out; release it with core_completion_fini().
 */
void core_completion_run(const struct core_buffer *buffer, const char *text, long position,
                         struct core_completion *out);
void core_completion_fini(struct core_completion *c);

#endif
