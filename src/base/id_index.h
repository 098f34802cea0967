/* SPDX-License-Identifier: MIT */
/* Items by a numeric id that never changes, in an array sorted by id: a lookup among
 * thousands (a buffer by id, at each line stored) is a binary search, and ids handed out
 * in increasing order are appended. */
#ifndef PERCH_BASE_ID_INDEX_H
#define PERCH_BASE_ID_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct id_index_entry {
    int64_t id;
    void *item;
};

struct id_index {
    struct id_index_entry *v;
    size_t n, cap;
};

void id_index_fini(struct id_index *ix);

/* item under id, replacing the one there was. */
void id_index_put(struct id_index *ix, int64_t id, void *item);

/* The item under id, NULL if none. */
void *id_index_get(const struct id_index *ix, int64_t id);

/* Takes id out; false if it was not there. */
bool id_index_remove(struct id_index *ix, int64_t id);

/* Every entry out, none freed. */
void id_index_clear(struct id_index *ix);

#endif
