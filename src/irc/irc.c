/* SPDX-License-Identifier: MIT */
/* The IRC component: its networks, saved and restored, and its endings. */
#include "irc.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "tls/context.h"

/* A buffer closed by the user (/buffer close, /close): a channel is left, a conversation
 * forgotten, a network's server buffer ends its link. */
static void
irc_on_event(const struct core_event *ev, void *data)
{
    struct irc *irc = data;
    struct list *pos, *cpos, *ctmp;

    if (ev->type != CORE_EVENT_BUFFER_CLOSING)
        return;
    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (s->buffer == ev->buffer) {
            s->buffer = NULL;
            irc__server_disconnect(s, NULL, false);
        }
        list_for_each_safe (cpos, ctmp, &s->channels) {
            struct irc_channel *c = list_entry(cpos, struct irc_channel, link);
            if (c->buffer != ev->buffer)
                continue;
            if (c->type == IRC_CHANNEL && c->joined) {
                const char *params[] = { c->name };
                irc__server_send(s, "PART", params, 1);
            }
            c->buffer = NULL;
            irc_channel_free(c);
        }
    }
}

struct irc *
irc_new(uv_loop_t *loop, struct core *core, const struct irc_timing *timing)
{
    struct irc *irc = xcalloc(1, sizeof(*irc));
    char err[256];

    irc->loop = loop;
    irc->core = core;
    irc_set_timing(irc, timing);
    list_init(&irc->servers);
    irc->tls_verify = tls_context_new_client(NULL, true, err, sizeof(err));
    if (!irc->tls_verify)
        log_warn("irc: no TLS context with the system's CAs: %s", err);
    irc->tls_insecure = tls_context_new_client(NULL, false, err, sizeof(err));
    irc__commands_register(irc);
    irc->sub = core_event_subscribe(&core->bus, irc_on_event, irc);
    return irc;
}

void
irc_set_timing(struct irc *irc, const struct irc_timing *timing)
{
    char *words = xstrdup(timing->highlight_words ? timing->highlight_words : "");
    char *away = xstrdup(timing->auto_away ? timing->auto_away : "");

    free(irc->timing.highlight_words);
    free(irc->timing.auto_away);
    irc->timing = *timing;
    irc->timing.highlight_words = words;
    irc->timing.auto_away = away;
}

void
irc_set_clients_attached(struct irc *irc, bool attached)
{
    struct list *pos;

    irc->clients_attached = attached;
    list_for_each (pos, &irc->servers)
        irc__server_auto_away(list_entry(pos, struct irc_server, link));
}

void
irc_set_changed_cb(struct irc *irc, void (*cb)(void *data), void *data)
{
    irc->changed_cb = cb;
    irc->changed_data = data;
}

struct pjson *
irc_save(const struct irc *irc)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        struct pjson *o;
        if (s->removing)
            continue;
        o = irc_server_config_save(s->cfg);
        /* Always on: a network the user connected stays connected across restarts. */
        pjson_add_bool(o, "connected", s->wanted || s->resume);
        pjson_push(arr, o);
    }
    return arr;
}

void
irc_load(struct irc *irc, const struct pjson *saved)
{
    pjson_for_each (item, saved) {
        struct irc_server_config *cfg = irc_server_config_load(item);
        struct irc_server *s;
        if (!cfg || irc__server_find(irc, cfg->name)) {
            log_warn("irc: a saved network is not valid, skipped");
            irc_server_config_free(cfg);
            continue;
        }
        s = irc__server_new(irc, cfg);
        if (irc__handover_take(s))
            continue;
        if (cfg->autoconnect || pjson_true(pjson_get(item, "connected")))
            irc__server_connect(s);
    }
    irc__handover_done(irc);
}

void
irc_suspend(struct irc *irc, const char *message)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        s->resume = s->wanted;
        if (!s->removing && irc__server_can_hand_over(s)) {
            /* Kept for the new process; a loss meanwhile reconnects there, not here. */
            s->wanted = false;
            irc__server_hold(s);
            continue;
        }
        irc__server_disconnect(s, message, false);
    }
    irc__changed(irc);
}

void
irc_resume(struct irc *irc)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (s->held) {
            s->wanted = s->resume;
            irc__server_release(s);
        } else if (s->resume && !s->removing) {
            irc__server_connect(s);
        }
        s->resume = false;
    }
}

void
irc_quit(struct irc *irc, const char *message)
{
    struct list *pos, *tmp;

    irc->quitting = true;
    list_for_each_safe (pos, tmp, &irc->servers)
        irc__server_remove(list_entry(pos, struct irc_server, link), message);
}

void
irc_free(struct irc *irc)
{
    if (!irc)
        return;
    core_event_unsubscribe(&irc->core->bus, irc->sub);
    pjson_free(irc->handover);
    tls_context_unref(irc->tls_verify);
    tls_context_unref(irc->tls_insecure);
    free(irc->timing.highlight_words);
    free(irc->timing.auto_away);
    free(irc);
}
