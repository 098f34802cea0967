/* SPDX-License-Identifier: MIT */
/* Full-text search: the call into the history store and the result's memory. */
#include "search.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "line.h"

int
core_search(struct core *core, const struct core_search_query *q, struct core_search_result *out)
{
    const struct core_history *h = &core->history;

    memset(out, 0, sizeof(*out));
    if (!h->search)
        return -ENOTSUP;
    return h->search(h->data, q, out);
}

void
core_search_result_fini(struct core_search_result *r)
{
    for (size_t i = 0; i < r->n_matches; i++) {
        free(r->matches[i].buffer_name);
        core_line_free(r->matches[i].line);
    }
    free(r->matches);
    r->matches = NULL;
    r->n_matches = 0;
}
