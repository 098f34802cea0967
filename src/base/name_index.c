/* SPDX-License-Identifier: MIT */
/* Sorted pointers: binary search to find, memmove to insert and remove. */
#include "name_index.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
name_index_init(struct name_index *ix, const char *(*name_of)(const void *item),
                int (*cmp)(const char *a, const char *b))
{
    *ix = (struct name_index){ .name_of = name_of, .cmp = cmp };
}

void
name_index_fini(struct name_index *ix)
{
    free(ix->items);
    ix->items = NULL;
    ix->n = ix->cap = 0;
}

size_t
name_index_bound(const struct name_index *ix, const char *name, bool upper)
{
    size_t lo = 0, hi = ix->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = ix->cmp(name, ix->name_of(ix->items[mid]));
        if (cmp > 0 || (upper && cmp == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void *
name_index_find(const struct name_index *ix, const char *name,
                int (*exact)(const char *a, const char *b, const void *ctx), const void *ctx)
{
    for (size_t at = name_index_bound(ix, name, false); at < ix->n; at++) {
        const char *its = ix->name_of(ix->items[at]);
        if (ix->cmp(name, its) != 0)
            break;
        if (!exact || exact(name, its, ctx) == 0)
            return ix->items[at];
    }
    return NULL;
}

size_t
name_index_insert(struct name_index *ix, void *item)
{
    size_t at = name_index_bound(ix, ix->name_of(item), true);

    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 8;
        ix->items = xrealloc(ix->items, ix->cap * sizeof(*ix->items));
    }
    memmove(ix->items + at + 1, ix->items + at, (ix->n - at) * sizeof(*ix->items));
    ix->items[at] = item;
    ix->n++;
    return at;
}

bool
name_index_remove(struct name_index *ix, const void *item)
{
    const char *name = ix->name_of(item);
    size_t at = name_index_bound(ix, name, false);

    while (at < ix->n && ix->items[at] != item && ix->cmp(name, ix->name_of(ix->items[at])) == 0)
        at++;
    if (at == ix->n || ix->items[at] != item)
        return false;
    memmove(ix->items + at, ix->items + at + 1, (ix->n - at - 1) * sizeof(*ix->items));
    ix->n--;
    return true;
}

void
name_index_clear(struct name_index *ix)
{
    ix->n = 0;
}
