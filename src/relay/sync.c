/* SPDX-License-Identifier: MIT */
/* Sync fan-out: each core event becomes one envelope per colour mode, sent to every
 * synced WebSocket client that wants it (reference §9). */
#include <limits.h>
#include <stdlib.h>

#include "base/jsonw.h"
#include "base/rbuf.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "encode.h"
#include "internal.h"
#include "ws/frame.h"
#include "ws/session.h"

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
    case CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED:
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

static void
sync_body(struct jsonw *w, const struct core_event *ev, enum sync_kind kind,
          enum core_color_mode colors)
{
    struct relay_buffer_opts opts = { .colors = colors };

    switch (kind) {
    case SYNC_BUFFER_FULL:
        /* buffer_opened carries every line and the nicklist; the others neither. */
        opts.lines = LONG_MAX;
        opts.lines_free = LONG_MAX;
        opts.nicks = true;
        jsonw_member_str(w, "body_type", "buffer");
        jsonw_key(w, "body");
        relay_encode_buffer(w, ev->buffer, &opts);
        return;
    case SYNC_BUFFER:
        jsonw_member_str(w, "body_type", "buffer");
        jsonw_key(w, "body");
        relay_encode_buffer(w, ev->buffer, &opts);
        return;
    case SYNC_LINE:
        jsonw_member_str(w, "body_type", "line");
        jsonw_key(w, "body");
        relay_encode_line(w, ev->line, colors);
        return;
    case SYNC_GROUP:
        jsonw_member_str(w, "body_type", "nick_group");
        jsonw_key(w, "body");
        relay_encode_group(w, ev->group, colors);
        return;
    case SYNC_NICK:
        jsonw_member_str(w, "body_type", "nick");
        jsonw_key(w, "body");
        relay_encode_nick(w, ev->nick, colors);
        return;
    default:
        jsonw_member_null(w, "body_type");
        jsonw_member_null(w, "body");
    }
}

/* Kinds of compressed frames of one event shared (beyond them, each client compresses). */
#define SYNC_DEFLATED_MAX 4

/* An event encoded once per colour mode its clients use, waiting for the commit. Each mode's
 * envelope is framed once (a server frame is not masked): every client of that mode without
 * compression is sent the very same frame. */
struct relay__pending_event {
    struct list link;
    uint64_t seq;
    enum core_event_type type;
    int64_t buffer_id;
    int64_t line_id; /* line events: -1 otherwise */
    struct rbuf *frames[3];
    const char *texts[3]; /* the envelopes inside the frames, for clients that compress */
    size_t lens[3];

    /* Compressed frames shared by clients whose compressor starts afresh each message. */
    struct {
        unsigned key;
        enum core_color_mode mode;
        struct rbuf *frame;
    } deflated[SYNC_DEFLATED_MAX];

    size_t n_deflated;
};

/* The event envelope, members in the reference's order, framed. */
static void
sync_envelope(struct relay__pending_event *pe, const struct core_event *ev, enum sync_kind kind,
              enum core_color_mode colors)
{
    struct buf text;
    struct jsonw w;

    buf_init(&text, (size_t)-1);
    ws_frame_begin(&text);
    jsonw_init(&w, &text);
    jsonw_object_begin(&w);
    jsonw_member_int(&w, "code", 0);
    jsonw_member_str(&w, "message", "Event");
    jsonw_member_str(&w, "event_name", core_event_name(ev->type));
    jsonw_member_int(&w, "buffer_id", ev->buffer_id);
    sync_body(&w, ev, kind, colors);
    jsonw_object_end(&w);
    pe->frames[colors] = ws_frame_end(&text, &pe->texts[colors], &pe->lens[colors]);
}

static void
sync_on_event(const struct core_event *ev, void *data)
{
    struct relay *relay = data;
    enum sync_kind kind = sync_kind_of(ev->type);
    struct relay__pending_event *pe = NULL;
    struct list *pos;

    /* Answers kept from before this event may be out of date now. */
    relay__cache_clear(relay);
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
        if (!pe->frames[mode])
            sync_envelope(pe, ev, kind, mode);
    }
    if (!pe)
        return;
    list_append(&relay->pending_events, &pe->link);
}

/* The relay's gather array holds at least n frames. */
static struct rbuf **
sync_gather(struct relay *relay, size_t n)
{
    if (n > relay->cap_gather) {
        relay->cap_gather = n < 64 ? 64 : n;
        relay->gather = xrealloc(relay->gather, relay->cap_gather * sizeof(*relay->gather));
    }
    return relay->gather;
}

/* A compressed frame of pe for c: shared with the clients of the same key and mode when
 * its compressor starts afresh each message, else c's own. NULL when none can be made. */
static struct rbuf *
sync_deflated(struct relay__pending_event *pe, struct relay__client *c, unsigned key)
{
    enum core_color_mode mode = c->sync.colors;
    struct rbuf *f;

    for (size_t i = 0; key != WS_FRAME_KEY_OWN && i < pe->n_deflated; i++) {
        if (pe->deflated[i].key == key && pe->deflated[i].mode == mode)
            return rbuf_ref(pe->deflated[i].frame);
    }
    f = ws_session_frame_text(c->ws, pe->texts[mode], pe->lens[mode]);
    if (f && key != WS_FRAME_KEY_OWN && pe->n_deflated < SYNC_DEFLATED_MAX) {
        pe->deflated[pe->n_deflated].key = key;
        pe->deflated[pe->n_deflated].mode = mode;
        pe->deflated[pe->n_deflated++].frame = rbuf_ref(f);
    }
    return f;
}

/* The frames of events for c, in order: the shared frame of its mode, or a compressed one.
 * Each is a reference the caller lets go. */
static size_t
sync_frames_for(struct relay *relay, struct relay__client *c, struct rbuf **frames)
{
    enum core_color_mode mode = c->sync.colors;
    unsigned key = ws_session_frame_key(c->ws);
    struct list *pos;
    size_t n = 0;

    list_for_each (pos, &relay->pending_events) {
        struct relay__pending_event *pe = list_entry(pos, struct relay__pending_event, link);
        struct rbuf *f;
        if (!sync_wants(c, pe->type) || c->sync.since >= pe->seq || !pe->frames[mode])
            continue;
        f = key == WS_FRAME_KEY_PLAIN ? rbuf_ref(pe->frames[mode]) : sync_deflated(pe, c, key);
        if (f)
            frames[n++] = f;
    }
    return n;
}

/* Each synced client gets the events of this flush in one write. */
static void
sync_send(struct relay *relay, size_t n_events)
{
    struct rbuf **frames = sync_gather(relay, n_events);
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        size_t n;
        if (c->mode != RELAY_MODE_WEBSOCKET || !c->sync.enabled || !c->conn)
            continue;
        n = sync_frames_for(relay, c, frames);
        if (!n)
            continue;
        relay__client_hold(c);
        relay->metrics.events_sent += n;
        relay__ws_flush(c, frames, n);
        relay__client_release(c);
        for (size_t i = 0; i < n; i++)
            rbuf_unref(frames[i]);
    }
}

static void
sync_event_free(struct relay__pending_event *pe)
{
    list_remove(&pe->link);
    for (int i = 0; i < 3; i++)
        rbuf_unref(pe->frames[i]);
    for (size_t i = 0; i < pe->n_deflated; i++)
        rbuf_unref(pe->deflated[i].frame);
    free(pe);
}

void
relay__sync_flush(struct relay *relay)
{
    struct list *pos, *tmp;
    size_t n = 0;

    /* A line its commit could not store was taken back: it is never announced. */
    list_for_each_safe (pos, tmp, &relay->pending_events) {
        struct relay__pending_event *pe = list_entry(pos, struct relay__pending_event, link);
        if (pe->line_id >= 0 && relay->store.lost &&
            relay->store.lost(relay->store.data, pe->buffer_id, pe->line_id)) {
            sync_event_free(pe);
            relay__cache_clear(relay);
        } else {
            n++;
        }
    }
    if (n)
        sync_send(relay, n);
    while (!list_is_empty(&relay->pending_events))
        sync_event_free(list_entry(relay->pending_events.next, struct relay__pending_event, link));
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
    free(relay->gather);
    relay->gather = NULL;
    relay->cap_gather = 0;
    relay__cache_clear(relay);
}
