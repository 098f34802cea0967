/* SPDX-License-Identifier: MIT */
/*
 * Catch-up with IRCv3 draft/chathistory: what a channel or private buffer missed while perch
 * was away (a network cut, a server restart, perchd restarted or upgraded) is fetched when
 * the buffer is back: a channel at our JOIN, a private buffer when the server's welcome
 * burst has ended. CHATHISTORY LATEST asks for the newest lines after the last one stored
 * (by its msgid, else by its server time; all of them, "*", for a buffer with none), at most
 * [irc] catchup_max and the server's CHATHISTORY limit.
 *
 * The answer is a chathistory batch: its lines are shown with their own times and tags,
 * except those the buffer has already (same msgid). Lines arriving live for that buffer
 * while the answer is awaited wait for it (at most IRC_CATCHUP_HELD_MAX lines, and [irc]
 * catchup_timeout), then come after it, except those the batch had: the buffer keeps the
 * server's order, each line once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/xalloc.h"
#include "batch.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "message.h"

/* Live lines held while a catch-up is awaited; past this they come at once. */
#define IRC_CATCHUP_HELD_MAX 1000
/* Stored lines searched for the reference and for msgids already shown. */
#define IRC_CATCHUP_SCAN_MAX 2000

static bool
catchup_enabled(const struct irc_server *s)
{
    return s->irc->timing.catchup_max > 0 && irc__cap_enabled(s, "draft/chathistory") &&
           irc__cap_enabled(s, "batch");
}

/* The value of the line tag "irc_tag_KEY=" (not NUL-terminated: up to a comma), or NULL. */
static const char *
catchup_line_tag(const struct core_line *line, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);

    for (size_t i = 0; i < line->n_tags; i++) {
        if (strncmp(line->tags[i], prefix, n) == 0) {
            *len = strlen(line->tags[i] + n);
            return line->tags[i] + n;
        }
    }
    return NULL;
}

/* A message from the server (what CHATHISTORY returns), not one of perch's own lines. */
static bool
catchup_is_message(const struct core_line *line)
{
    for (size_t i = 0; i < line->n_tags; i++) {
        if (!strcmp(line->tags[i], "irc_privmsg") || !strcmp(line->tags[i], "irc_notice"))
            return true;
    }
    return false;
}

/* "msgid=ID", "timestamp=TIME" of the newest message stored that has one, or "*". */
static char *
catchup_reference(struct core_buffer *b)
{
    size_t n = core_buffer_lines_fill(b, IRC_CATCHUP_SCAN_MAX), len;

    for (size_t i = n; i-- > 0;) {
        const struct core_line *line = core_buffer_line_at(b, i);
        if (!catchup_is_message(line))
            continue;
        const char *msgid = catchup_line_tag(line, "irc_tag_msgid=", &len);
        if (msgid && len) {
            char *ref = xmalloc(len + 7);
            memcpy(ref, "msgid=", 6);
            memcpy(ref + 6, msgid, len + 1);
            return ref;
        }
        if (catchup_line_tag(line, "irc_tag_time=", &len)) {
            char iso[TIMEFMT_ISO_LEN], *ref = xmalloc(TIMEFMT_ISO_LEN + 10);
            /* Milliseconds, as the specification writes them: "...SS.mmmZ". */
            timefmt_iso(line->date_us, iso);
            memcpy(iso + 23, "Z", 2);
            memcpy(ref, "timestamp=", 10);
            memcpy(ref + 10, iso, strlen(iso) + 1);
            return ref;
        }
    }
    return xstrdup("*");
}

void
irc__catchup_start(struct irc_server *s, struct irc_channel *c)
{
    const char *limit_token = irc_isupport_get(&s->isupport, "CHATHISTORY");
    long limit = s->irc->timing.catchup_max, server_limit;
    char limit_text[24], *ref;

    if (!catchup_enabled(s) || !c->buffer || c->catchup.pending)
        return;
    /* CHATHISTORY=N: the most one request may ask for (0 or none: no limit). */
    server_limit = limit_token ? strtol(limit_token, NULL, 10) : 0;
    if (server_limit > 0 && server_limit < limit)
        limit = server_limit;
    ref = catchup_reference(c->buffer);
    snprintf(limit_text, sizeof(limit_text), "%ld", limit);
    const char *params[] = { "LATEST", c->name, ref, limit_text };
    if (irc__server_send(s, "CHATHISTORY", params, 4) == 0) {
        c->catchup.pending = true;
        c->catchup.since_ms = uv_now(s->irc->loop);
        /* Lines held are shown after catchup_timeout even if nothing else comes. */
        irc__server_timer_within(s, s->irc->timing.catchup_timeout_ms);
    }
    free(ref);
}

void
irc__catchup_privates(struct irc_server *s)
{
    struct list *pos;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->type == IRC_PRIVATE)
            irc__catchup_start(s, c);
    }
}

/* The buffer a live message goes to, when it is one whose catch-up is awaited. */
static struct irc_channel *
catchup_target(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c;

    if (m->batch_type || m->n_params < 1 || !m->nick ||
        (strcmp(m->command, "PRIVMSG") != 0 && strcmp(m->command, "NOTICE") != 0))
        return NULL;
    if (irc_isupport_is_channel(&s->isupport, m->params[0]))
        c = irc_channel_find(s, m->params[0]);
    else if (s->nick && irc_casecmp(s->isupport.casemapping, m->nick, s->nick) == 0)
        c = irc_channel_find(s, m->params[0]); /* our own, echoed */
    else
        c = irc_channel_find(s, m->nick);
    return c && c->catchup.pending ? c : NULL;
}

static bool
catchup_has(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++) {
        if (strcmp(ids[i], id) == 0)
            return true;
    }
    return false;
}

static void
catchup_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* The held lines, in order, except those whose msgid the batch showed; then not pending. */
static void
catchup_release(struct irc_server *s, struct irc_channel *c, char *const *shown, size_t n_shown)
{
    char **held = c->catchup.held;
    size_t n = c->catchup.n_held;

    c->catchup = (struct irc_catchup){ 0 };
    for (size_t i = 0; i < n; i++) {
        struct irc_message m;
        if (irc_message_parse(held[i], strlen(held[i]), &m) == 0) {
            if (!catchup_has(shown, n_shown, irc_message_tag(&m, "msgid")))
                irc__server_handle(s, &m, held[i]);
            irc_message_fini(&m);
        }
        free(held[i]);
    }
    free(held);
}

bool
irc__catchup_hold(struct irc_server *s, const struct irc_message *m, const char *raw)
{
    struct irc_channel *c = catchup_target(s, m);

    if (!c)
        return false;
    if (c->catchup.n_held >= IRC_CATCHUP_HELD_MAX ||
        uv_now(s->irc->loop) - c->catchup.since_ms >= s->irc->timing.catchup_timeout_ms) {
        catchup_release(s, c, NULL, 0);
        return false;
    }
    c->catchup.held = xrealloc(c->catchup.held, (c->catchup.n_held + 1) * sizeof(char *));
    c->catchup.held[c->catchup.n_held++] = xstrdup(raw);
    return true;
}

/* The msgids of the newest stored lines: a line the batch repeats is not shown twice. */
static char **
catchup_stored_ids(struct core_buffer *b, size_t *n_out)
{
    size_t n = core_buffer_line_count(b), len, n_ids = 0;
    size_t from = n > IRC_CATCHUP_SCAN_MAX ? n - IRC_CATCHUP_SCAN_MAX : 0;
    char **ids = NULL;

    for (size_t i = from; i < n; i++) {
        const char *id = catchup_line_tag(core_buffer_line_at(b, i), "irc_tag_msgid=", &len);
        if (id && len) {
            ids = xrealloc(ids, (n_ids + 1) * sizeof(*ids));
            ids[n_ids++] = xstrndup(id, len);
        }
    }
    *n_out = n_ids;
    return ids;
}

void
irc__catchup_batch_end(struct irc_server *s, const struct irc_batch *b)
{
    const char *target = b->start.n_params > 2 ? b->start.params[2] : "";
    struct irc_channel *c = irc_channel_find(s, target);
    size_t n_stored = 0, n_shown = 0;
    char **stored = c && c->buffer ? catchup_stored_ids(c->buffer, &n_stored) : NULL;
    char **shown = xcalloc(b->n_lines + 1, sizeof(*shown));

    for (size_t i = 0; i < b->n_lines; i++) {
        struct irc_message m;
        if (irc_batch_message(b, i, &m) < 0)
            continue;
        const char *id = irc_message_tag(&m, "msgid");
        if (!catchup_has(stored, n_stored, id) && !catchup_has(shown, n_shown, id)) {
            m.batch_type = irc_batch_type(b);
            irc__server_handle(s, &m, b->lines[i]);
        }
        if (id)
            shown[n_shown++] = xstrdup(id);
        irc_message_fini(&m);
    }
    if (c && c->catchup.pending)
        catchup_release(s, c, shown, n_shown);
    catchup_ids_free(stored, n_stored);
    catchup_ids_free(shown, n_shown);
}

void
irc__catchup_release_all(struct irc_server *s)
{
    struct list *pos;

    /* Showing a held line may open a private buffer: the walk starts again after each. */
again:
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->catchup.pending) {
            catchup_release(s, c, NULL, 0);
            goto again;
        }
    }
}

uint64_t
irc__catchup_expire(struct irc_server *s, uint64_t now)
{
    uint64_t timeout = s->irc->timing.catchup_timeout_ms, next = UINT64_MAX;
    struct list *pos;

again:
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (!c->catchup.pending)
            continue;
        if (now - c->catchup.since_ms >= timeout) {
            catchup_release(s, c, NULL, 0);
            goto again;
        }
        if (c->catchup.since_ms + timeout - now < next)
            next = c->catchup.since_ms + timeout - now;
    }
    return next;
}

void
irc__catchup_channel_fini(struct irc_channel *c)
{
    for (size_t i = 0; i < c->catchup.n_held; i++)
        free(c->catchup.held[i]);
    free(c->catchup.held);
    c->catchup = (struct irc_catchup){ 0 };
}
