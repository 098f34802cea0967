/* SPDX-License-Identifier: MIT */
/* The chat core and relay the api-level fuzz targets route requests through. */
#include "relay_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/json.h"
#include "base/log.h"
#include "base/rbuf.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "http/url.h"
#include "relay/config.h"
#include "relay/internal.h"
#include "relay/relay.h"
#include "relay/router.h"

struct relay_fixture {
    struct core *core;
    struct relay *relay;
    const struct relay_config *cfg;
};

/* Lines with WeeChat colour codes, attributes and tags, as IRC messages leave them. */
static const struct core_line_spec fixture_lines[] = {
    { .prefix = "--",
      .message = "Welcome to \x19"
                 "F09Libera\x1c",
      .tags = "irc_001" },
    { .prefix = "\x19"
                "F12alice",
      .message = "hi \x1a\x01"
                 "bob\x1b\x01 \x19*05,02x",
      .tags = "irc_privmsg,notify_message,nick_alice,log1" },
    { .prefix = "\x19"
                "F@00208bob",
      .message = "perch: ping",
      .tags = "irc_privmsg,notify_highlight,nick_bob" },
    { .prefix = "<--", .message = "carol has quit", .tags = "irc_quit,notify_none" },
};

uv_loop_t *
relay_fixture_loop(void)
{
    static uv_loop_t loop;
    static bool ready;

    if (!ready) {
        uv_loop_init(&loop);
        ready = true;
    }
    return &loop;
}

static void
fixture_fill_channel(struct core_buffer *b)
{
    struct core_nick_group *ops, *voiced;

    core_buffer_set_title(b, "perch \x19"
                             "F03development\x1c | https://example.org");
    core_buffer_set_localvar(b, "type", "channel");
    core_buffer_set_localvar(b, "nick", "perch");
    core_buffer_set_nicklist(b, true);
    ops = core_nicklist_add_group(b, NULL, "000|o", "weechat.color.nicklist_group", true);
    voiced = core_nicklist_add_group(b, NULL, "001|v", NULL, true);
    core_nicklist_add_nick(b, ops, "alice", NULL, "@", "lightgreen", true);
    core_nicklist_add_nick(b, voiced, "bob", "lightred", "+", "yellow", true);
    core_nicklist_add_nick(b, voiced, "perch", "weechat.color.chat_nick_self", " ", NULL, false);
    for (size_t i = 0; i < sizeof(fixture_lines) / sizeof(fixture_lines[0]); i++) {
        struct core_line_spec spec = fixture_lines[i];
        spec.y = -1;
        spec.date_us = 1700000000000000 + (int64_t)i * 1000000;
        core_buffer_print(b, &spec);
    }
}

static struct relay_fixture *
fixture_new(const struct relay_config *cfg)
{
    struct relay_fixture *f = xcalloc(1, sizeof(*f));
    struct core_line_spec free_line = { .message = "free \x19"
                                                   "B03line",
                                        .y = 2 };
    struct core_buffer *b;
    int err;

    log_set_level(LOG_LEVEL_ERROR);
    f->core = core_new(100, "4.5.0");
    /* Ids are wall-clock microseconds: starting from a fixed one far ahead makes the
     * ids of the buffers below the same in every run, so inputs naming them replay. */
    f->core->last_id = 4000000000000000;
    core_buffer_open(f->core, "irc", "server.libera", CORE_BUFFER_FORMATTED, &err);
    b = core_buffer_open(f->core, "irc", "libera.#perch", CORE_BUFFER_FORMATTED, &err);
    fixture_fill_channel(b);
    b = core_buffer_open(f->core, "core", "free", CORE_BUFFER_FREE, &err);
    core_buffer_print(b, &free_line);
    f->relay = relay_new(relay_fixture_loop(), f->core, cfg, "4.5.0");
    f->cfg = cfg;
    return f;
}

static void
fixture_free(struct relay_fixture *f)
{
    relay_stop(f->relay);
    relay_free(f->relay);
    uv_run(relay_fixture_loop(), UV_RUN_DEFAULT);
    core_free(f->core);
    free(f);
}

/* What the relay sends is JSON text, and goes in WebSocket text frames: UTF-8 always
 * (RFC 8259 8.1, RFC 6455 5.6), whatever bytes the request carried. */
static void
check_printed(const struct rbuf *body)
{
    char *repaired = utf8_repair(body->data, body->len);

    if (strlen(repaired) != body->len || memcmp(body->data, repaired, body->len) != 0)
        abort();
    free(repaired);
}

/* The fixture every request goes through, built on first use. */
static struct relay_fixture *fixture_kept;

static struct relay_fixture *
fixture_for(const struct relay_config *cfg)
{
    if (!fixture_kept)
        fixture_kept = fixture_new(cfg);
    if (fixture_kept->cfg != cfg) {
        relay_set_config(fixture_kept->relay, cfg);
        fixture_kept->cfg = cfg;
    }
    return fixture_kept;
}

int
relay_fixture_route(const struct relay_config *cfg, const char *method, const char *target,
                    const struct pjson *body, bool is_websocket)
{
    struct relay_fixture *f = fixture_for(cfg);
    struct relay_request req = {
        .method = method,
        .target = target,
        .body = body,
        .body_sent = body != NULL,
        .is_websocket = is_websocket,
    };
    struct relay_response resp = { 0 };
    int status;

    http_url_parse(target, &req.url);
    (void)relay_route_needs_auth(&req);
    relay_route(f->relay, &req, &resp);
    if (relay_response_body(&resp))
        check_printed(relay_response_body(&resp));
    status = resp.status;
    /* The relay runs an acknowledged input on the next loop turn: run it now. */
    if (resp.input_command) {
        relay__queue_input(f->relay, &resp);
        relay_run_pending_inputs(f->relay);
        /* The command may have changed the core: the next request gets a new one. It is
         * built now, so that this run frees about what it allocates and libFuzzer's
         * leak check (run when a run allocates more than it frees) stays quiet. */
        fixture_free(f);
        fixture_kept = fixture_new(cfg);
    }
    relay_response_fini(&resp);
    http_url_fini(&req.url);
    return status;
}

const struct relay_config *
relay_fixture_config(void)
{
    static const struct relay_config cfg = {
        .password = (char *)"secret",
        .totp_secret = (char *)"",
        .hash_algos = (char *)"*",
        .api_version = (char *)"0.6.0",
        .hash_iterations = 2,
        .max_json_depth = 32,
    };

    return &cfg;
}
