/* SPDX-License-Identifier: MIT */
/* Sorted (id, item) pairs: binary search to find, memmove to insert and remove. */
#include "id_index.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
id_index_fini(struct id_index *ix)
{
    free(ix->v);
    *ix = (struct id_index){ 0 };
}

/* The position of the first entry whose id is not below id. */
static size_t
id_index_bound(const struct id_index *ix, int64_t id)
{
    size_t lo = 0, hi = ix->n;

    /* New ids are the highest: no search for them. */
    if (ix->n && ix->v[ix->n - 1].id < id)
        return ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void
id_index_put(struct id_index *ix, int64_t id, void *item)
{
    size_t at = id_index_bound(ix, id);

    if (at < ix->n && ix->v[at].id == id) {
        ix->v[at].item = item;
        return;
    }
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 16;
        ix->v = xrealloc(ix->v, ix->cap * sizeof(*ix->v));
    }
    memmove(ix->v + at + 1, ix->v + at, (ix->n - at) * sizeof(*ix->v));
    ix->v[at] = (struct id_index_entry){ .id = id, .item = item };
    ix->n++;
}

void *
id_index_get(const struct id_index *ix, int64_t id)
{
    size_t at = id_index_bound(ix, id);

    return at < ix->n && ix->v[at].id == id ? ix->v[at].item : NULL;
}

bool
id_index_remove(struct id_index *ix, int64_t id)
{
    size_t at = id_index_bound(ix, id);

    if (at == ix->n || ix->v[at].id != id)
        return false;
    memmove(ix->v + at, ix->v + at + 1, (ix->n - at - 1) * sizeof(*ix->v));
    ix->n--;
    return true;
}

void
id_index_clear(struct id_index *ix)
{
    ix->n = 0;
}
