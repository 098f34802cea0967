/* SPDX-License-Identifier: MIT */
/* Following the core: each change written as it is announced, committed in batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "core/state.h"
#include "internal.h"

static void
write_mark_dirty(struct store *st, struct store__buffer *sb)
{
    if (!sb->dirty)
        st->n_dirty++;
    sb->dirty = true;
}

/* The store's entry for a buffer, with its history resolved. */
static struct store__buffer *
write_entry(struct store *st, const struct core_buffer *b)
{
    struct store__buffer *sb = store__buffer_get(st, b->id);

    if (!sb) {
        sb = store__buffer_put(st, b->id);
        write_mark_dirty(st, sb);
    }
    if (sb->log_id < 0 && store__writing(st))
        sb->log_id = store__log_for(st, b->full_name, b->id, &sb->log_fresh);
    return sb;
}

static void
write_remember(struct store__written **list, size_t *n, size_t *cap, int64_t buffer_id,
               int64_t line_id)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *list = xrealloc(*list, *cap * sizeof(**list));
    }
    (*list)[(*n)++] = (struct store__written){ buffer_id, line_id };
}

static void
write_line(struct store *st, const struct core_buffer *b, const struct core_line *line)
{
    struct store__buffer *sb = write_entry(st, b);

    if (!store__writing(st) || !store__write_line(st, sb->log_id, line))
        store__fail(st, "cannot write to");
    write_remember(&st->written, &st->n_written, &st->cap_written, b->id, line->id);
    if (++st->tx_lines >= STORE_BATCH_MAX)
        store_commit(st);
}

static bool
write_line_data(struct store *st, int64_t log_id, const struct core_line *line)
{
    char *tags = store__join_tags(line);
    sqlite3_stmt *s = store__stmt(st, STORE_UPDATE_LINE);
    bool ok;

    sqlite3_bind_int(s, 1, line->displayed);
    sqlite3_bind_int(s, 2, line->highlight);
    sqlite3_bind_int(s, 3, line->notify_level);
    sqlite3_bind_text(s, 4, tags, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, log_id);
    sqlite3_bind_int64(s, 6, line->id);
    ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    free(tags);
    return ok;
}

static void
write_line_changed(struct store *st, const struct core_buffer *b, const struct core_line *line)
{
    struct store__buffer *sb = write_entry(st, b);

    write_remember(&st->changed, &st->n_changed, &st->cap_changed, b->id, line->id);
    if (store__writing(st) && !write_line_data(st, sb->log_id, line))
        store__fail(st, "cannot write to");
}

/* Gives the buffer's history the buffer's name; a closed history of that name is kept
 * under a name of its own. Nothing to do when the names agree already. */
static bool
write_log_name(struct store *st, const struct core_buffer *b, const struct store__buffer *sb)
{
    sqlite3_stmt *s = store__stmt(st, STORE_FIND_LOG);
    int64_t other = -1;
    char archived[600];
    bool ok = true;

    sqlite3_bind_text(s, 1, b->full_name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        other = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (other == sb->log_id)
        return true;
    if (other >= 0) {
        snprintf(archived, sizeof(archived), "%.500s#%lld", b->full_name, (long long)other);
        s = store__stmt(st, STORE_RENAME_LOG);
        sqlite3_bind_text(s, 1, archived, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, other);
        ok = sqlite3_step(s) == SQLITE_DONE;
        sqlite3_reset(s);
    }
    s = store__stmt(st, STORE_RENAME_LOG);
    sqlite3_bind_text(s, 1, b->full_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, sb->log_id);
    ok = ok && sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    return ok;
}

/* A renamed buffer takes its history along. */
static void
write_renamed(struct store *st, const struct core_buffer *b)
{
    struct store__buffer *sb = write_entry(st, b);

    sb->renamed = true;
    if (store__writing(st) && !write_log_name(st, b, sb))
        store__fail(st, "cannot write to");
}

/* The buffer's row goes at the commit, so that a failed batch's closes are retried. */
static void
write_closed(struct store *st, int64_t buffer_id)
{
    struct store__buffer *sb = store__buffer_get(st, buffer_id);

    if (st->n_closed == st->cap_closed) {
        st->cap_closed = st->cap_closed ? st->cap_closed * 2 : 16;
        st->closed = xrealloc(st->closed, st->cap_closed * sizeof(*st->closed));
    }
    st->closed[st->n_closed++] = buffer_id;
    if (sb && sb->dirty)
        st->n_dirty--;
    store__buffer_remove(st, buffer_id);
    st->meta_dirty = true;
}

/* A buffer opened under the name of a stored history shows its last lines again. */
static void
write_opened(struct store *st, const struct core_buffer *opened)
{
    struct core_buffer *b = core_buffer_by_id(st->core, opened->id);
    struct store__buffer *sb;

    if (!b)
        return;
    sb = write_entry(st, b);
    write_mark_dirty(st, sb);
    st->meta_dirty = true;
    if (b->type == CORE_BUFFER_FORMATTED && !sb->log_fresh)
        store__continue_history(st, b, sb);
}

static void
write_on_event(const struct core_event *ev, void *data)
{
    struct store *st = data;
    const struct core_buffer *b = ev->buffer;

    switch (ev->type) {
    case CORE_EVENT_QUIT:
    case CORE_EVENT_UPGRADE:
        store__commit(st, true);
        return;
    case CORE_EVENT_UPGRADE_ENDED:
    case CORE_EVENT_NICKLIST_GROUP_ADDED:
    case CORE_EVENT_NICKLIST_GROUP_CHANGED:
    case CORE_EVENT_NICKLIST_GROUP_REMOVING:
    case CORE_EVENT_NICKLIST_NICK_ADDED:
    case CORE_EVENT_NICKLIST_NICK_CHANGED:
    case CORE_EVENT_NICKLIST_NICK_REMOVING:
    case CORE_EVENT_COUNT:
        return;
    case CORE_EVENT_HOTLIST_CHANGED:
        st->meta_dirty = true;
        return;
    case CORE_EVENT_BUFFER_CLOSED:
        write_closed(st, ev->buffer_id);
        return;
    case CORE_EVENT_BUFFER_OPENED:
        write_opened(st, b);
        return;
    case CORE_EVENT_BUFFER_LINE_ADDED:
        if (b->type == CORE_BUFFER_FORMATTED) {
            write_line(st, b, ev->line);
            return;
        }
        break;
    case CORE_EVENT_BUFFER_LINE_DATA_CHANGED:
        if (b->type == CORE_BUFFER_FORMATTED) {
            write_line_changed(st, b, ev->line);
            return;
        }
        break;
    case CORE_EVENT_BUFFER_RENAMED:
        write_renamed(st, b);
        break;
    case CORE_EVENT_BUFFER_CLEARED:
    case CORE_EVENT_BUFFER_TYPE_CHANGED:
        /* The lines stay stored (search finds them) but the buffer shows none of them. */
        write_entry(st, b)->history_from = b->next_line_id;
        break;
    default:
        break;
    }
    if (b)
        write_mark_dirty(st, write_entry(st, b));
}

bool
store__write_buffer(struct store *st, const struct core_buffer *b, const struct store__buffer *sb)
{
    struct pjson *state = core_state_buffer(b, true);
    size_t len;
    char *text = pjson_print(state, &len);
    sqlite3_stmt *s = store__stmt(st, STORE_UPSERT_BUFFER);
    bool ok;

    sqlite3_bind_int64(s, 1, b->id);
    sqlite3_bind_int64(s, 2, sb->log_id);
    sqlite3_bind_int(s, 3, b->number);
    sqlite3_bind_int64(s, 4, sb->history_from);
    sqlite3_bind_text(s, 5, text, (int)len, SQLITE_STATIC);
    ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    free(text);
    pjson_free(state);
    return ok;
}

static bool
write_meta(struct store *st, const char *key, const char *value)
{
    sqlite3_stmt *s = store__stmt(st, STORE_SET_META);
    bool ok;

    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    return ok;
}

void
store_meta_put(struct store *st, const char *key, const char *value)
{
    if (!store__writing(st) || !write_meta(st, key, value))
        store__fail(st, "cannot write to");
}

static bool
write_closed_rows(struct store *st)
{
    for (size_t i = 0; i < st->n_closed; i++) {
        sqlite3_stmt *s = store__stmt(st, STORE_DELETE_BUFFER);
        bool ok;
        sqlite3_bind_int64(s, 1, st->closed[i]);
        ok = sqlite3_step(s) == SQLITE_DONE;
        sqlite3_reset(s);
        if (!ok)
            return false;
    }
    return true;
}

/* Lines changed in a failed batch get their data again, as memory holds it now. */
static bool
write_changed_again(struct store *st)
{
    for (size_t i = 0; i < st->n_changed_redo; i++) {
        struct core_buffer *b = core_buffer_by_id(st->core, st->changed[i].buffer_id);
        const struct core_line *line = b ? core_buffer_line_by_id(b, st->changed[i].line_id) : NULL;
        const struct store__buffer *sb = store__buffer_get(st, st->changed[i].buffer_id);
        if (line && sb && sb->log_id >= 0 && !write_line_data(st, sb->log_id, line))
            return false;
    }
    return true;
}

static bool
write_buffer_state(struct store *st, struct store__buffer *sb)
{
    const struct core_buffer *b = core_buffer_by_id(st->core, sb->id);

    if (!b)
        return true;
    if (sb->log_id < 0)
        sb->log_id = store__log_for(st, b->full_name, b->id, &sb->log_fresh);
    if (st->tx_failed)
        return true;
    return (!sb->renamed || write_log_name(st, b, sb)) && store__write_buffer(st, b, sb);
}

/* Properties, numbers and the hotlist go once per commit, however often they changed;
 * so do closes. Nothing runs once a statement of the batch has failed. */
static void
write_pending_state(struct store *st)
{
    for (size_t i = 0; i < st->buffers_cap && st->n_dirty && !st->tx_failed; i++) {
        struct store__buffer *sb = &st->buffers[i];
        if (sb->id && sb->dirty && !write_buffer_state(st, sb))
            store__fail(st, "cannot write to");
    }
    if (!st->tx_failed && (!write_closed_rows(st) || !write_changed_again(st)))
        store__fail(st, "cannot write to");
    if (st->meta_dirty && !st->tx_failed) {
        struct pjson *hot = core_state_hotlist(st->core);
        char *text = pjson_print(hot, NULL), last_id[32];
        snprintf(last_id, sizeof(last_id), "%lld", (long long)st->core->last_id);
        if (!write_meta(st, "hotlist", text) || !write_meta(st, "last_id", last_id))
            store__fail(st, "cannot write to");
        free(text);
        pjson_free(hot);
    }
}

static void
write_committed(struct store *st)
{
    for (size_t i = 0; i < st->buffers_cap; i++) {
        st->buffers[i].dirty = false;
        st->buffers[i].log_fresh = false;
        st->buffers[i].renamed = false;
    }
    st->n_dirty = 0;
    st->meta_dirty = false;
    st->n_closed = 0;
    st->n_changed = st->n_changed_redo = 0;
    if (!st->healthy)
        log_info("store: %s written again (%zu lines could not be stored meanwhile)", st->path,
                 st->n_lines_refused);
    st->n_lines_refused = 0;
    st->healthy = true;
    st->error[0] = '\0';
}

/* Nothing of the batch is stored: its lines leave the core before anyone sees them,
 * histories created in it are looked up again, and everything else it wrote (buffer
 * rows, names, closes, changed lines, the hotlist) is written again by the next commit. */
static void
write_rolled_back(struct store *st)
{
    size_t forgotten = 0;

    store__exec(st, "ROLLBACK");
    store__index_rolled_back(st);
    for (size_t i = 0; i < st->n_written; i++) {
        struct core_buffer *b = core_buffer_by_id(st->core, st->written[i].buffer_id);
        if (b && core_buffer_line_by_id(b, st->written[i].line_id)) {
            core_buffer_forget_line(b, st->written[i].line_id);
            forgotten++;
        }
        st->lost = xrealloc(st->lost, (st->n_lost + 1) * sizeof(*st->lost));
        st->lost[st->n_lost++] = st->written[i];
    }
    for (size_t i = 0; i < st->buffers_cap; i++) {
        struct store__buffer *sb = &st->buffers[i];
        if (!sb->id)
            continue;
        if (sb->log_fresh)
            sb->log_id = -1;
        sb->log_fresh = false;
        write_mark_dirty(st, sb);
    }
    st->meta_dirty = true;
    st->n_changed_redo = st->n_changed;
    st->retry_at_us = timefmt_monotonic_us() + STORE_RETRY_US;
    /* Once per streak: a busy daemon on a full disk would log each of its batches. */
    if (forgotten && !st->n_lines_refused)
        log_error("store: %zu lines could not be stored and are not shown (%s); further ones "
                  "are counted until it can write again",
                  forgotten, st->error);
    st->n_lines_refused += forgotten;
}

int
store__commit(struct store *st, bool forced)
{
    int rc = 0;

    bool index = store__index_due(st, forced);

    if (!st->in_tx && !st->meta_dirty && !st->n_dirty && !st->n_closed && !st->n_changed_redo &&
        !index)
        return 0;
    /* While writes fail, state alone (no new line) is tried again at most this often:
     * each try may wait out a lock, and the loop must not stall at every turn. */
    if (!st->in_tx && !st->healthy && !forced && timefmt_monotonic_us() < st->retry_at_us)
        return -1;
    int64_t start_us = timefmt_monotonic_us();
    store__begin(st);
    if (!st->tx_failed)
        write_pending_state(st);
    if (!st->tx_failed && index && !store__index_drain(st))
        store__fail(st, "cannot write to");
    if (!st->tx_failed && store__exec(st, "COMMIT") == 0) {
        write_committed(st);
        store__index_committed(st);
    } else {
        if (!st->tx_failed)
            store__fail(st, "cannot commit to");
        write_rolled_back(st);
        rc = -1;
    }
    st->in_tx = false;
    st->tx_failed = false;
    st->tx_lines = 0;
    st->n_written = 0;
    histogram_observe(&st->commit_latency, (uint64_t)(timefmt_monotonic_us() - start_us));
    return rc;
}

const struct histogram *
store_commit_latency(const struct store *st)
{
    return &st->commit_latency;
}

int
store_commit(struct store *st)
{
    return store__commit(st, false);
}

bool
store_line_lost(const struct store *st, int64_t buffer_id, int64_t line_id)
{
    for (size_t i = 0; i < st->n_lost; i++) {
        if (st->lost[i].buffer_id == buffer_id && st->lost[i].line_id == line_id)
            return true;
    }
    return false;
}

void
store_forget_lost(struct store *st)
{
    free(st->lost);
    st->lost = NULL;
    st->n_lost = 0;
}

void
store_follow(struct store *st, struct core *core)
{
    st->core = core;
    st->sub = core_event_subscribe(&core->bus, write_on_event, st);
    store__history_init(st);
}

void
store_unfollow(struct store *st)
{
    if (!st->sub)
        return;
    core_event_unsubscribe(&st->core->bus, st->sub);
    st->sub = NULL;
    st->core->history = (struct core_history){ 0 };
}

/* Failures that end by themselves (a lock released, space freed): perchd may start
 * and refuse inputs until then. */
static bool
write_failure_passes(const struct store *st)
{
    return st->error_code == SQLITE_BUSY || st->error_code == SQLITE_LOCKED ||
           st->error_code == SQLITE_FULL || st->error_code == SQLITE_IOERR;
}

/* A buffer the database does not know: it gets a history, and its lines are written. */
static void
write_attach_new(struct store *st, struct core_buffer *b)
{
    struct store__buffer *sb = write_entry(st, b);

    write_mark_dirty(st, sb);
    if (b->type != CORE_BUFFER_FORMATTED)
        return;
    /* A history of that name exists (imported, or left by a closed buffer): an empty
     * buffer shows its last lines and continues its ids, as a reopened one does. */
    if (!sb->log_fresh && sb->log_id >= 0 && core_buffer_line_count(b) == 0)
        store__continue_history(st, b, sb);
    for (size_t i = 0; i < core_buffer_line_count(b); i++) {
        if (!store__writing(st) || !store__write_line(st, sb->log_id, core_buffer_line_at(b, i)))
            store__fail(st, "cannot write to");
    }
}

int
store_attach(struct store *st, char *err, size_t err_len)
{
    struct list *pos;

    list_for_each (pos, &st->core->buffers) {
        struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        struct store__buffer *sb = store__buffer_get(st, b->id);
        sqlite3_stmt *s;
        if (sb)
            continue;
        s = store__stmt(st, STORE_SELECT_BUFFER);
        sqlite3_bind_int64(s, 1, b->id);
        if (sqlite3_step(s) == SQLITE_ROW) {
            sb = store__buffer_put(st, b->id);
            sb->log_id = sqlite3_column_int64(s, 0);
            sb->history_from = sqlite3_column_int64(s, 1);
        }
        sqlite3_reset(s);
        /* Unknown here: a first start, or a state from a perchd without a store. */
        if (!sb)
            write_attach_new(st, b);
    }
    st->meta_dirty = true;
    if (store__commit(st, true) == 0)
        return 0;
    if (write_failure_passes(st)) {
        log_warn("store: perchd starts without writing to %s for now; inputs are refused "
                 "(503) until it can",
                 st->path);
        return 0;
    }
    snprintf(err, err_len, "%s", st->error);
    return -1;
}
