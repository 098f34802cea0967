/* SPDX-License-Identifier: MIT */
/* Which history each buffer of the core writes to: a map by buffer id, and the logs table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "internal.h"

static size_t
buffers_slot(const struct store *st, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ull;

    return (size_t)(h >> 32) & (st->buffers_cap - 1);
}

struct store__buffer *
store__buffer_get(struct store *st, int64_t id)
{
    if (!st->buffers_cap || id == 0)
        return NULL;
    for (size_t i = buffers_slot(st, id);; i = (i + 1) & (st->buffers_cap - 1)) {
        if (st->buffers[i].id == id)
            return &st->buffers[i];
        if (st->buffers[i].id == 0)
            return NULL;
    }
}

static void
buffers_grow(struct store *st)
{
    struct store__buffer *old = st->buffers;
    size_t old_cap = st->buffers_cap;

    st->buffers_cap = old_cap ? old_cap * 2 : 64;
    st->buffers = xcalloc(st->buffers_cap, sizeof(*st->buffers));
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].id)
            continue;
        size_t j = buffers_slot(st, old[i].id);
        while (st->buffers[j].id)
            j = (j + 1) & (st->buffers_cap - 1);
        st->buffers[j] = old[i];
    }
    free(old);
}

struct store__buffer *
store__buffer_put(struct store *st, int64_t id)
{
    struct store__buffer *sb = store__buffer_get(st, id);

    if (sb)
        return sb;
    if ((st->buffers_used + 1) * 2 > st->buffers_cap)
        buffers_grow(st);
    size_t i = buffers_slot(st, id);
    while (st->buffers[i].id)
        i = (i + 1) & (st->buffers_cap - 1);
    st->buffers[i] = (struct store__buffer){ .id = id, .log_id = -1 };
    st->buffers_used++;
    return &st->buffers[i];
}

/* Linear probing: the entries after a removed one move up to where a lookup finds them. */
void
store__buffer_remove(struct store *st, int64_t id)
{
    struct store__buffer *sb = store__buffer_get(st, id);
    size_t mask = st->buffers_cap - 1, hole;

    if (!sb)
        return;
    hole = (size_t)(sb - st->buffers);
    st->buffers[hole].id = 0;
    st->buffers_used--;
    for (size_t i = (hole + 1) & mask; st->buffers[i].id; i = (i + 1) & mask) {
        size_t home = buffers_slot(st, st->buffers[i].id);
        /* The entry may fill the hole when its home is not between the hole and it. */
        if ((i > hole && (home <= hole || home > i)) || (i < hole && home <= hole && home > i)) {
            st->buffers[hole] = st->buffers[i];
            st->buffers[i].id = 0;
            hole = i;
        }
    }
}

void
store__buffers_free(struct store *st)
{
    free(st->buffers);
    st->buffers = NULL;
    st->buffers_cap = st->buffers_used = 0;
}

static bool
buffers_log_in_use(struct store *st, int64_t log_id, int64_t except)
{
    for (size_t i = 0; i < st->buffers_cap; i++) {
        if (st->buffers[i].id && st->buffers[i].id != except && st->buffers[i].log_id == log_id)
            return true;
    }
    return false;
}

int64_t
store__log_for(struct store *st, const char *full_name, int64_t buffer_id, bool *created)
{
    sqlite3_stmt *s = store__stmt(st, STORE_FIND_LOG);
    int64_t log_id = -1;

    sqlite3_bind_text(s, 1, full_name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        log_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *created = false;
    if (log_id >= 0 && !buffers_log_in_use(st, log_id, buffer_id)) {
        s = store__stmt(st, STORE_LOG_BUFFER);
        sqlite3_bind_int64(s, 1, buffer_id);
        sqlite3_bind_int64(s, 2, log_id);
        if (sqlite3_step(s) != SQLITE_DONE)
            store__fail(st, "cannot write to");
        sqlite3_reset(s);
        return log_id;
    }
    /* The name is taken by an open buffer (two buffers cannot share one): this history
     * gets a name of its own, which the buffer's next rename or close leaves behind. */
    char *name = xstrdup(full_name);
    if (log_id >= 0) {
        size_t len = strlen(full_name) + 32;
        free(name);
        name = xmalloc(len);
        snprintf(name, len, "%s#%lld", full_name, (long long)buffer_id);
    }
    s = store__stmt(st, STORE_NEW_LOG);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, buffer_id);
    log_id = sqlite3_step(s) == SQLITE_DONE ? sqlite3_last_insert_rowid(st->db) : -1;
    *created = log_id >= 0;
    if (log_id < 0)
        store__fail(st, "cannot write to");
    sqlite3_reset(s);
    free(name);
    return log_id;
}
