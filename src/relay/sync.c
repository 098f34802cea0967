/* SPDX-License-Identifier: MIT */
/* Sync fan-out: each core event becomes one envelope per colour mode, sent to every
 * synced WebSocket client that wants it (reference §9). */
#include <limits.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "encode.h"
#include "internal.h"

enum sync_kind {
    SYNC_BUFFER, /* body: buffer without lines and nicks */
    SYNC_BUFFER_FULL,
    SYNC_LINE,
    SYNC_GROUP,
    SYNC_NICK,
    SYNC_NULL,
    SYNC_SKIP, /* not a protocol event */
};

static enum sync_kind
sync_kind_of(enum core_event_type type)
{
    switch (type) {
    case CORE_EVENT_BUFFER_OPENED:
        return SYNC_BUFFER_FULL;
    case CORE_EVENT_BUFFER_LINE_ADDED:
    case CORE_EVENT_BUFFER_LINE_DATA_CHANGED:
        return SYNC_LINE;
    case CORE_EVENT_NICKLIST_GROUP_ADDED:
    case CORE_EVENT_NICKLIST_GROUP_CHANGED:
    case CORE_EVENT_NICKLIST_GROUP_REMOVING:
        return SYNC_GROUP;
    case CORE_EVENT_NICKLIST_NICK_ADDED:
    case CORE_EVENT_NICKLIST_NICK_CHANGED:
    case CORE_EVENT_NICKLIST_NICK_REMOVING:
        return SYNC_NICK;
    case CORE_EVENT_BUFFER_CLOSED:
    case CORE_EVENT_UPGRADE:
    case CORE_EVENT_UPGRADE_ENDED:
    case CORE_EVENT_QUIT:
        return SYNC_NULL;
    case CORE_EVENT_HOTLIST_CHANGED:
    case CORE_EVENT_COUNT:
        return SYNC_SKIP;
    default:
        return SYNC_BUFFER;
    }
}

static bool
sync_wants(const struct relay__client *c, enum core_event_type type)
{
    if (c->mode != RELAY_MODE_WEBSOCKET || !c->sync.enabled || !c->conn)
        return false;
    if (type >= CORE_EVENT_NICKLIST_GROUP_ADDED && type <= CORE_EVENT_NICKLIST_NICK_REMOVING)
        return c->sync.nicks;
    if (type >= CORE_EVENT_INPUT_TEXT_CHANGED && type <= CORE_EVENT_INPUT_PROMPT_CHANGED)
        return c->sync.input;
    return true;
}

static struct pjson *
sync_body(const struct core_event *ev, enum sync_kind kind, enum core_color_mode colors,
          const char **body_type)
{
    struct relay_buffer_opts opts = { .colors = colors };

    switch (kind) {
    case SYNC_BUFFER_FULL:
    case SYNC_BUFFER:
        /* buffer_opened carries every line and the nicklist; the others neither. */
        if (kind == SYNC_BUFFER_FULL) {
            opts.lines = LONG_MAX;
            opts.lines_free = LONG_MAX;
            opts.nicks = true;
        }
        *body_type = "buffer";
        return relay_encode_buffer(ev->buffer, &opts);
    case SYNC_LINE:
        *body_type = "line";
        return relay_encode_line(ev->line, colors);
    case SYNC_GROUP:
        *body_type = "nick_group";
        return relay_encode_group(ev->group, colors);
    case SYNC_NICK:
        *body_type = "nick";
        return relay_encode_nick(ev->nick, colors);
    default:
        *body_type = NULL;
        return pjson_null();
    }
}

/* The event envelope, members in the reference's order; caller frees. */
static char *
sync_envelope(const struct core_event *ev, enum sync_kind kind, enum core_color_mode colors,
              size_t *len)
{
    struct pjson *o = pjson_object();
    const char *body_type = NULL;
    struct pjson *body = sync_body(ev, kind, colors, &body_type);
    char *text;

    pjson_add_int(o, "code", 0);
    pjson_add_str(o, "message", "Event");
    pjson_add_str(o, "event_name", core_event_name(ev->type));
    pjson_add_int(o, "buffer_id", ev->buffer_id);
    if (body_type)
        pjson_add_str(o, "body_type", body_type);
    else
        pjson_add_null(o, "body_type");
    pjson_add(o, "body", body);
    text = pjson_print(o, len);
    pjson_free(o);
    return text;
}

/* An event encoded once per colour mode its clients use, waiting for the commit. */
struct relay__pending_event {
    struct list link;
    uint64_t seq;
    enum core_event_type type;
    int64_t buffer_id;
    int64_t line_id; /* line events: -1 otherwise */
    char *texts[3];
    size_t lens[3];
};

static void
sync_on_event(const struct core_event *ev, void *data)
{
    struct relay *relay = data;
    enum sync_kind kind = sync_kind_of(ev->type);
    struct relay__pending_event *pe = NULL;
    struct list *pos;

    /* The iteration ends with a flush even when nobody is synced: the store commits
     * there, so a change is durable within one iteration. */
    uv_prepare_start(&relay->flush_prepare, relay__flush_prepare_cb);
    uv_check_start(&relay->flush_check, relay__flush_check_cb);
    if (kind == SYNC_SKIP)
        return;
    relay->event_seq++;
    /* Encoded now (the event's objects live only during this call), sent after the
     * commit: every client of a mode gets the same bytes. */
    list_for_each (pos, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        enum core_color_mode mode = c->sync.colors;
        if (!sync_wants(c, ev->type))
            continue;
        if (!pe) {
            pe = xcalloc(1, sizeof(*pe));
            pe->seq = relay->event_seq;
            pe->type = ev->type;
            pe->buffer_id = ev->buffer_id;
            pe->line_id = kind == SYNC_LINE ? ev->line->id : -1;
        }
        if (!pe->texts[mode])
            pe->texts[mode] = sync_envelope(ev, kind, mode, &pe->lens[mode]);
    }
    if (!pe)
        return;
    list_append(&relay->pending_events, &pe->link);
}

static void
sync_send(struct relay *relay, const struct relay__pending_event *pe)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        enum core_color_mode mode = c->sync.colors;
        if (!sync_wants(c, pe->type) || c->sync.since >= pe->seq || !pe->texts[mode])
            continue;
        relay__client_hold(c);
        relay->metrics.events_sent++;
        relay__ws_send(c, pe->texts[mode], pe->lens[mode]);
        relay__client_release(c);
    }
}

void
relay__sync_flush(struct relay *relay)
{
    while (!list_is_empty(&relay->pending_events)) {
        struct relay__pending_event *pe =
            list_entry(relay->pending_events.next, struct relay__pending_event, link);
        list_remove(&pe->link);
        /* A line its commit could not store was taken back: it is never announced. */
        if (pe->line_id < 0 || !relay->store.lost ||
            !relay->store.lost(relay->store.data, pe->buffer_id, pe->line_id))
            sync_send(relay, pe);
        for (int i = 0; i < 3; i++)
            free(pe->texts[i]);
        free(pe);
    }
    if (relay->store.forget_lost)
        relay->store.forget_lost(relay->store.data);
    uv_prepare_stop(&relay->flush_prepare);
    uv_check_stop(&relay->flush_check);
}

void
relay__sync_init(struct relay *relay)
{
    relay->event_sub = core_event_subscribe(&relay->core->bus, sync_on_event, relay);
}

void
relay__sync_fini(struct relay *relay)
{
    relay__sync_flush(relay);
    core_event_unsubscribe(&relay->core->bus, relay->event_sub);
    relay->event_sub = NULL;
}
