/* SPDX-License-Identifier: MIT */
/* The IRC component: its networks, saved and restored, and its endings. */
#include "irc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/completion.h"
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
    irc__list_buffer_closing(irc, ev->buffer);
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
            bool private = c->type == IRC_PRIVATE;
            c->buffer = NULL;
            irc_channel_free(c);
            /* Its partner is not watched any more. */
            if (private)
                irc__monitor_sync(s);
        }
    }
}

struct irc *
irc_new(uv_loop_t *loop, struct core *core, const struct irc_timing *timing)
{
    struct irc *irc = xcalloc(1, sizeof(*irc));

    irc->loop = loop;
    irc->core = core;
    list_init(&irc->servers);
    list_init(&irc->ignores);
    irc_sts_policies_init(&irc->sts);
    irc_set_timing(irc, timing);
    irc__commands_register(irc);
    irc__completion_register(irc);
    irc->sub = core_event_subscribe(&core->bus, irc_on_event, irc);
    return irc;
}

void
irc_set_timing(struct irc *irc, const struct irc_timing *timing)
{
    char *words = xstrdup(timing->highlight_words ? timing->highlight_words : "");
    char *away = xstrdup(timing->auto_away ? timing->auto_away : "");
    struct list *pos;

    free(irc->timing.highlight_words);
    free(irc->timing.auto_away);
    irc->timing = *timing;
    irc->timing.highlight_words = words;
    irc->timing.auto_away = away;
    core_set_highlight_words(irc->core, words);
    if (irc->timing.anti_flood_burst < 1)
        irc->timing.anti_flood_burst = 1;
    list_for_each (pos, &irc->servers)
        irc__server_flood_reset(list_entry(pos, struct irc_server, link));
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

/* The file's options over a network's; they were checked when the file was read. */
static void
irc_apply_def(struct irc_server_config *cfg, const struct irc_network_def *def)
{
    char err[300];

    for (size_t i = 0; i < def->n_options; i++) {
        if (irc_server_config_set(cfg, def->options[i], def->values[i], err, sizeof(err)) < 0)
            log_warn("irc: [irc.server.%s] %s: %s", def->name, def->options[i], err);
    }
    /* As /server add: only port 6667 named, and no tls option: a plain network. */
    for (size_t i = 0; i < def->n_options; i++) {
        if (!strcmp(def->options[i], "tls"))
            return;
    }
    for (size_t i = 0; i < cfg->n_addresses; i++) {
        if (cfg->addresses[i].port != 6667)
            return;
    }
    cfg->tls = false;
}

int
irc_network_def_check(const struct irc_network_def *def, char *err, size_t err_len)
{
    struct irc_server_config *cfg = irc_server_config_new(def->name, err, err_len);
    char why[300];

    if (!cfg)
        return -1;
    for (size_t i = 0; i < def->n_options; i++) {
        if (irc_server_config_set(cfg, def->options[i], def->values[i], why, sizeof(why)) < 0) {
            snprintf(err, err_len, "[irc.server.%s] %s: %s", def->name, def->options[i], why);
            irc_server_config_free(cfg);
            return -1;
        }
    }
    if (!cfg->n_addresses) {
        snprintf(err, err_len, "[irc.server.%s]: addresses is missing", def->name);
        irc_server_config_free(cfg);
        return -1;
    }
    irc_server_config_free(cfg);
    return 0;
}

static const struct irc_network_def *
irc_find_def(const char *name, const struct irc_network_def *defs, size_t n_defs)
{
    for (size_t i = 0; i < n_defs; i++) {
        if (strcmp(defs[i].name, name) == 0)
            return &defs[i];
    }
    return NULL;
}

void
irc_load(struct irc *irc, const struct pjson *saved, const struct irc_network_def *defs,
         size_t n_defs)
{
    char err[300];

    pjson_for_each (item, saved) {
        struct irc_server_config *cfg = irc_server_config_load(item);
        const struct irc_network_def *def;
        struct irc_server *s;
        if (!cfg || irc__server_find(irc, cfg->name)) {
            log_warn("irc: a saved network is not valid, skipped");
            irc_server_config_free(cfg);
            continue;
        }
        if ((def = irc_find_def(cfg->name, defs, n_defs)))
            irc_apply_def(cfg, def);
        s = irc__server_new(irc, cfg);
        if (irc__handover_take(s))
            continue;
        if (cfg->autoconnect || pjson_true(pjson_get(item, "connected")))
            irc__server_connect(s);
    }
    for (size_t i = 0; i < n_defs; i++) {
        struct irc_server_config *cfg;
        if (irc__server_find(irc, defs[i].name) ||
            !(cfg = irc_server_config_new(defs[i].name, err, sizeof(err))))
            continue;
        irc_apply_def(cfg, &defs[i]);
        struct irc_server *s = irc__server_new(irc, cfg);
        if (cfg->autoconnect)
            irc__server_connect(s);
    }
    irc__handover_done(irc);
}

void
irc_reload_defs(struct irc *irc, const struct irc_network_def *defs, size_t n_defs)
{
    char err[300];

    for (size_t i = 0; i < n_defs; i++) {
        struct irc_server *s = irc__server_find(irc, defs[i].name);
        struct irc_server_config *cfg;
        /* As /set: a running link uses the new options from its next connection. */
        if (s) {
            irc_apply_def(s->cfg, &defs[i]);
            continue;
        }
        if (!(cfg = irc_server_config_new(defs[i].name, err, sizeof(err))))
            continue;
        irc_apply_def(cfg, &defs[i]);
        s = irc__server_new(irc, cfg);
        log_info("irc: network %s added from the config file", defs[i].name);
        if (cfg->autoconnect)
            irc__server_connect(s);
    }
    irc__changed(irc);
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
    /* The policies' expiries count from now (the links close): saved before they go. */
    irc__sts_quit(irc);
    list_for_each_safe (pos, tmp, &irc->servers)
        irc__server_remove(list_entry(pos, struct irc_server, link), message);
}

void
irc_free(struct irc *irc)
{
    if (!irc)
        return;
    core_event_unsubscribe(&irc->core->bus, irc->sub);
    irc__ignores_free(irc);
    irc_sts_policies_fini(&irc->sts);
    core_completion_unhook(irc->core, irc);
    pjson_free(irc->handover);
    tls_context_unref(irc->tls_verify);
    tls_context_unref(irc->tls_insecure);
    free(irc->timing.highlight_words);
    free(irc->timing.auto_away);
    free(irc);
}
