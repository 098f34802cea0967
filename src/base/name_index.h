/* SPDX-License-Identifier: MIT */
/* An array of pointers kept sorted by the items' names, beside the list that owns them,
 * so that finding one among thousands (a big channel's nicks) is a binary search. */
#ifndef PERCH_BASE_NAME_INDEX_H
#define PERCH_BASE_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>

struct name_index {
    void **items;
    size_t n, cap;
    const char *(*name_of)(const void *item);
    /* the order: <0, 0, >0 as strcmp; a coarse one (case aside) keeps the names that a finer
     * equality matches together, for find */
    int (*cmp)(const char *a, const char *b);
};

void name_index_init(struct name_index *ix, const char *(*name_of)(const void *item),
                     int (*cmp)(const char *a, const char *b));
void name_index_fini(struct name_index *ix);

/* The position of the first item sorting after name (upper) or not before it (!upper). */
size_t name_index_bound(const struct name_index *ix, const char *name, bool upper);

/* Among the items whose names equal name by the index's order, the first for which
 * exact(name, its name, ctx) is 0 (a finer equality: the same case, a server's casemapping);
 * exact NULL: the first of them. NULL if none. */
void *name_index_find(const struct name_index *ix, const char *name,
                      int (*exact)(const char *a, const char *b, const void *ctx), const void *ctx);

/* Adds item after those whose names equal its own; returns its position. */
size_t name_index_insert(struct name_index *ix, void *item);

/* Takes item out, found by its name then by identity; false if it was not there. Call it
 * before the item's name changes. */
bool name_index_remove(struct name_index *ix, const void *item);

/* Every item out, none freed. */
void name_index_clear(struct name_index *ix);

#endif
