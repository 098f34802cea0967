/* SPDX-License-Identifier: MIT */
/*
 * Answers kept for the next client asking the same thing: the JSON text of GET /api/buffers
 * answers, by request target, shared by reference. Any core event may change them, so the
 * first one drops them all; only answers read from memory are kept (paging reads the store).
 */
#include <stdlib.h>
#include <string.h>

#include "base/rbuf.h"
#include "base/xalloc.h"
#include "internal.h"

static void
cache_entry_clear(struct relay__cached *e)
{
    free(e->target);
    rbuf_unref(e->body);
    memset(e, 0, sizeof(*e));
}

void
relay_forget_answers(struct relay *relay)
{
    relay__cache_clear(relay);
}

void
relay__cache_clear(struct relay *relay)
{
    if (!relay->n_cached)
        return;
    for (size_t i = 0; i < RELAY_CACHE_ENTRIES; i++)
        cache_entry_clear(&relay->cache[i]);
    relay->n_cached = 0;
}

bool
relay__cache_get(struct relay *relay, const char *target, struct relay_response *resp)
{
    for (size_t i = 0; i < RELAY_CACHE_ENTRIES && relay->n_cached; i++) {
        struct relay__cached *e = &relay->cache[i];
        if (!e->target || strcmp(e->target, target) != 0)
            continue;
        resp->status = 200;
        resp->body_type = e->body_type;
        resp->body_text = rbuf_ref(e->body);
        return true;
    }
    return false;
}

void
relay__cache_put(struct relay *relay, const char *target, const struct relay_response *resp)
{
    struct relay__cached *e;

    if (resp->status != 200 || !resp->body_text || resp->body_text->len > RELAY_CACHE_BODY_MAX)
        return;
    /* The slots are taken in turn: the oldest answer goes first. */
    e = &relay->cache[relay->cache_next];
    relay->cache_next = (relay->cache_next + 1) % RELAY_CACHE_ENTRIES;
    if (e->target)
        relay->n_cached--;
    cache_entry_clear(e);
    e->target = xstrdup(target);
    e->body_type = resp->body_type;
    e->body = rbuf_ref(resp->body_text);
    relay->n_cached++;
}
