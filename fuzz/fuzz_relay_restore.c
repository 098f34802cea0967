/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the relay's part of an upgrade state as a new process takes it over (upgrade.c's
 * check that no descriptor is named twice, then relay_restore): any JSON, with real
 * loopback sockets at fixed descriptors that the state may name, a listener (900), two
 * accepted connections (901, 902) and their peers (903, 904). Whatever the state says,
 * every other descriptor of the process stays as it was (open or closed, same flags):
 * a number names anything in a new process, its database and its event loop included.
 * What was adopted must then carry an event fanned out to each client in its colour mode,
 * and close cleanly.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "base/json.h"
#include "base/log.h"
#include "core/core.h"
#include "loopback.h"
#include "perchd/upgrade_fds.h"
#include "relay/config.h"
#include "relay/relay.h"
#include "relay_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The descriptors a state may take: listener, two connections, their peers. */
enum {
    FIRST_OWN_FD = 900,
    N_OWN_FDS = 5
};

/* The listener and two connections through it, at 900..904. */
static void
open_own_sockets(void)
{
    struct sockaddr_in sa;
    int listener = fuzz_loopback_listen(&sa);

    for (int i = 0; i < 2; i++) {
        int peer = fuzz_loopback_connect(&sa);
        fuzz_place(fuzz_loopback_accept(listener), FIRST_OWN_FD + 1 + i);
        fuzz_place(peer, FIRST_OWN_FD + 3 + i);
    }
    fuzz_place(listener, FIRST_OWN_FD);
}

/* The api targets' settings, with room for the connections a state hands over and
 * timers that never fire during a run. */
static const struct relay_config *
fuzz_config(void)
{
    static struct relay_config cfg;

    if (!cfg.password) {
        cfg = *relay_fixture_config();
        cfg.max_clients = cfg.unauth_max = cfg.unauth_max_per_addr = 8;
        cfg.auth_timeout_ms = cfg.request_timeout_ms = cfg.idle_timeout_ms = 60000;
        cfg.ws_ping_interval_ms = cfg.ws_ping_timeout_ms = 60000;
        cfg.max_header_bytes = 8192;
        cfg.max_body_bytes = 65536;
        cfg.write_queue_max = 1 << 20;
    }
    return &cfg;
}

/* One take-over of relay_state; checked: nothing but the fixed descriptors changed. */
static void
take_over(const struct pjson *relay_state, bool checked)
{
    static int before[2 * FUZZ_FDS_WATCHED], after[2 * FUZZ_FDS_WATCHED];
    struct core_line_spec spec = { .prefix = "alice",
                                   .message = "hi \x19"
                                              "05x",
                                   .y = -1 };
    struct core *core = core_new(50, "4.5.0");
    struct relay *relay = relay_new(relay_fixture_loop(), core, fuzz_config(), "4.5.0");
    struct core_buffer *b;
    char err[256];
    int open_err;

    open_own_sockets();
    fuzz_fd_snapshot(before, FIRST_OWN_FD, N_OWN_FDS);
    (void)relay_restore(relay, relay_state, NULL, err, sizeof(err));
    /* An event for every adopted client, in its colour mode, and its delivery. */
    b = core_buffer_open(core, "irc", "libera.#perch", CORE_BUFFER_FORMATTED, &open_err);
    core_buffer_print(b, &spec);
    relay_flush(relay);
    uv_run(relay_fixture_loop(), UV_RUN_NOWAIT);
    relay_stop(relay);
    relay_free(relay);
    uv_run(relay_fixture_loop(), UV_RUN_DEFAULT);
    fuzz_fd_snapshot(after, FIRST_OWN_FD, N_OWN_FDS);
    if (checked && memcmp(before, after, sizeof(before)) != 0)
        abort();
    for (int fd = FIRST_OWN_FD; fd < FIRST_OWN_FD + N_OWN_FDS; fd++)
        close(fd);
    core_free(core);
}

/* libuv keeps a descriptor for its loop's life once a stream is used (its spare for
 * EMFILE): a first take-over of everything opens it before any run is checked. */
static void
warm_up(void)
{
    static const char full[] = "{\"listeners\":[{\"fd\":900}],\"clients\":[{\"fd\":901,"
                               "\"websocket\":true,\"sync\":true},{\"fd\":902}]}";
    static bool done;
    struct pjson *state;

    if (done)
        return;
    done = true;
    /* As perchd: a write to a closed connection fails with EPIPE, it does not kill. */
    signal(SIGPIPE, SIG_IGN);
    state = pjson_parse(full, sizeof(full) - 1, 8);
    take_over(state, false);
    pjson_free(state);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pjson *relay_state = pjson_parse((const char *)data, size, 32), *state;
    char err[256];

    if (!relay_state)
        return 0;
    log_set_level(LOG_LEVEL_ERROR);
    warm_up();
    state = pjson_object();
    pjson_add(state, "relay", relay_state);
    /* A state naming one descriptor twice is refused before anything takes one. */
    if (perchd_upgrade_check_fds(state, err, sizeof(err)) == 0)
        take_over(relay_state, true);
    pjson_free(state);
    return 0;
}
