/* SPDX-License-Identifier: MIT */
/* Start-up: the stored buffers, hotlist and counters become the core's; their lines stay
 * on disk until a client asks for them, so start-up does not grow with the history. */
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "core/state.h"
#include "internal.h"

static struct pjson *
load_meta(struct store *st, const char *key)
{
    sqlite3_stmt *s = store__stmt(st, STORE_GET_META);
    struct pjson *value = NULL;

    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        value = pjson_parse((const char *)sqlite3_column_text(s, 0),
                            (size_t)sqlite3_column_bytes(s, 0), 64);
    sqlite3_reset(s);
    return value;
}

char *
store_meta_get(struct store *st, const char *key)
{
    sqlite3_stmt *s = store__stmt(st, STORE_GET_META);
    char *value = NULL;

    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        value = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return value;
}

int
store_load(struct store *st, struct core *core, char *err, size_t err_len)
{
    struct pjson *state = pjson_object(), *buffers = pjson_array(), *hotlist, *last_id;
    sqlite3_stmt *s;
    int rc = -1, step;

    st->core = core;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, log_id, history_from, state FROM buffers ORDER BY number",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
        pjson_free(state);
        pjson_free(buffers);
        return -1;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct store__buffer *sb = store__buffer_put(st, sqlite3_column_int64(s, 0));
        struct pjson *saved = pjson_parse((const char *)sqlite3_column_text(s, 3),
                                          (size_t)sqlite3_column_bytes(s, 3), 64);
        sb->log_id = sqlite3_column_int64(s, 1);
        sb->history_from = sqlite3_column_int64(s, 2);
        if (saved)
            pjson_push(buffers, saved);
    }
    /* A damaged file is refused before anything is written over it. */
    if (step != SQLITE_DONE) {
        snprintf(err, err_len, "cannot use %s: %s" STORE_UNTOUCHED, st->path,
                 sqlite3_errmsg(st->db));
        sqlite3_finalize(s);
        pjson_free(state);
        pjson_free(buffers);
        return -1;
    }
    sqlite3_finalize(s);
    if (pjson_size(buffers) == 0) {
        /* A new database: the core starts as it is. */
        pjson_free(buffers);
        pjson_free(state);
        return 0;
    }
    hotlist = load_meta(st, "hotlist");
    last_id = load_meta(st, "last_id");
    pjson_add_int(state, "last_id", pjson_int64(last_id));
    pjson_add(state, "buffers", buffers);
    pjson_add(state, "hotlist", pjson_is_array(hotlist) ? hotlist : pjson_array());
    if (!pjson_is_array(hotlist))
        pjson_free(hotlist);
    pjson_free(last_id);
    if (core_state_restore(core, state) < 0) {
        snprintf(err, err_len, "%s: the stored buffers are not valid (the file is kept)", st->path);
        goto out;
    }
    for (size_t i = 0; i < st->buffers_cap; i++) {
        struct core_buffer *b =
            st->buffers[i].id ? core_buffer_by_id(core, st->buffers[i].id) : NULL;
        if (b && b->type == CORE_BUFFER_FORMATTED &&
            store__continue_history(st, b, &st->buffers[i]) < 0) {
            snprintf(err, err_len, "cannot use %s: %s" STORE_UNTOUCHED, st->path,
                     sqlite3_errmsg(st->db));
            goto out;
        }
    }
    rc = 0;
out:
    pjson_free(state);
    return rc;
}
