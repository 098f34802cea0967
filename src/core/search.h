/* SPDX-License-Identifier: MIT */
/* Full-text search of the stored history: what is asked and what comes back. */
#ifndef PERCH_CORE_SEARCH_H
#define PERCH_CORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

struct core;
struct core_line;

/* The most matches one search returns. */
#define CORE_SEARCH_MAX 1000

struct core_search_query {
    const char *text;   /* FTS5 query syntax; not empty */
    const char *buffer; /* NULL: every history; else an open buffer's id or full name, or
                         * the id or name of a closed buffer whose history is stored */
    /* Paging. before < 0: none. before_buffer < 0: before is a line id of `buffer`
     * (matches with a smaller id). Else (before_buffer, before) names a stored line, and
     * the matches are those stored before it. */
    int64_t before;
    int64_t before_buffer;
    size_t max; /* 1..CORE_SEARCH_MAX */
};

struct core_search_match {
    /* The open buffer writing that history, else the last buffer that did (closed), and
     * its full name (for a closed one, the name its history is kept under). */
    int64_t buffer_id;
    char *buffer_name;
    struct core_line *line;
};

struct core_search_result {
    struct core_search_match *matches; /* newest first (in storage order) */
    size_t n_matches;
    char error[256]; /* why the search failed, when it did */
};

/*
 * Runs q against the core's history. Returns 0 with the matches in *out, or:
 * -EINVAL the query text is not valid (out->error says why), -ENOENT q->buffer names no
 * buffer or history, -ESRCH the paging line (before_buffer, before) is not stored,
 * -EIO the store failed (out->error), -ENOTSUP no history store. Free *out with
 * core_search_result_fini() whatever the return.
 */
int core_search(struct core *core, const struct core_search_query *q,
                struct core_search_result *out);
void core_search_result_fini(struct core_search_result *r);

#endif
