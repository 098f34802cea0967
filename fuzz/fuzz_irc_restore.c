/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes IRC's part of an upgrade state as a new process takes it over (upgrade.c's check
 * that no descriptor is named twice, then irc_load with the state handed over): any JSON,
 * over two saved networks ("fuzz", "spare") and a real loopback connection at a fixed
 * descriptor (910) whose server end (911) and listener (912) the target keeps. "@peer" in
 * the input stands for that connection's peer address, which a fuzzer could not guess.
 *
 * Whatever the state says, every other descriptor of the process stays as it was, and the
 * core stays whole while a link taken over reads a server's session. Held again for the
 * next upgrade, the networks save a state that a second new process (its core restored from
 * the first's) takes over and saves again unchanged: what perchd writes, it reads back.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/json.h"
#include "base/list.h"
#include "core/core.h"
#include "core/state.h"
#include "core_check.h"
#include "irc/internal.h"
#include "irc/irc.h"
#include "irc/server_config.h"
#include "irc_fixture.h"
#include "loopback.h"
#include "net/socket_check.h"
#include "perchd/upgrade_fds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The link a state may take over (910), its server's end (911) and listener (912). */
enum {
    LINK_FD = 910,
    SERVER_FD = 911,
    LISTENER_FD = 912,
    N_OWN_FDS = 3
};

/* What the server says next on a link taken over: to its channels, its nicks and us. */
static const char session[] = ":irc.test PING :lag\r\n"
                              ":alice!a@h JOIN #perch\r\n"
                              ":alice!a@h PRIVMSG #perch :hi perchy\r\n"
                              ":bob!b@h NICK bobby\r\n"
                              ":op!o@h MODE #perch +ov-o bobby bobby alice\r\n"
                              ":carol!c@h PART #perch :bye\r\n"
                              ":op!o@h KICK #perch alice :out\r\n"
                              ":dave!d@h QUIT :gone\r\n"
                              ":irc.test 353 perchy = #perch :@op +dave eve\r\n"
                              ":irc.test 366 perchy #perch :End of /NAMES list.\r\n"
                              ":irc.test 332 perchy #perch :a topic\r\n"
                              ":eve!e@h PRIVMSG perchy :\001ACTION waves\001\r\n"
                              ":irc.test 730 perchy :alice!a@h,bob\r\n"
                              ":perchy!u@h NICK perchy_\r\n";

/* A new connection through the process's loopback listener (made once: a port bound per
 * run would run out while closed ones wait in TIME_WAIT), at LINK_FD and SERVER_FD; its
 * peer's name. */
static void
open_link(char *peer, size_t peer_len)
{
    static struct sockaddr_in sa;
    int link;

    if (!sa.sin_port)
        fuzz_place(fuzz_loopback_listen(&sa), LISTENER_FD);
    link = fuzz_loopback_connect(&sa);
    fuzz_place(fuzz_loopback_accept(LISTENER_FD), SERVER_FD);
    fuzz_place(link, LINK_FD);
    if (net_socket_peer_name(LINK_FD, peer, peer_len) < 0)
        abort();
}

/* The link's end, closed at once (RST): the next run's connection needs no TIME_WAIT gone. */
static void
close_link(void)
{
    struct linger now = { .l_onoff = 1, .l_linger = 0 };

    setsockopt(SERVER_FD, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
    close(SERVER_FD);
    close(LINK_FD);
}

static struct irc_server *
add_network(struct irc *irc, const char *name)
{
    struct irc_server_config *cfg;
    char err[256];

    /* Nothing listens on port 1: a link that is not taken over fails at once. */
    cfg = irc_server_config_new(name, err, sizeof(err));
    if (!cfg || irc_server_config_set(cfg, "addresses", "127.0.0.1/1", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "nicks", "perchy,perchy_", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "autojoin", "#perch", err, sizeof(err)) < 0)
        abort();
    return irc__server_new(irc, cfg);
}

static void
remove_all(struct irc *irc)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &irc->servers)
        irc__server_remove(list_entry(pos, struct irc_server, link), "done");
}

/* The networks as the store saves them, made once. */
static const struct pjson *
networks(void)
{
    static struct pjson *saved;
    struct fuzz_irc f;

    if (saved)
        return saved;
    fuzz_irc_start(&f);
    add_network(f.irc, "fuzz");
    add_network(f.irc, "spare");
    saved = irc_save(f.irc);
    remove_all(f.irc);
    fuzz_irc_finish(&f);
    return saved;
}

/*
 * One new process: its core from core_state (NULL: a new one), the links of irc_state taken
 * over, the session read on each (first only), then everything held for the next upgrade.
 * Returns that upgrade's IRC state; *core_out gets its core's. The process then ends as an
 * exec would end it for the link: its own teardown never reaches the socket.
 */
static struct pjson *
new_process(const struct pjson *core_state, const struct pjson *irc_state, bool first,
            struct pjson **core_out)
{
    struct pjson *saved;
    struct fuzz_irc f;
    struct list *pos;
    int fds[2], n, keep = -1;

    fuzz_irc_start(&f);
    if (core_state && fuzz_core_restore(f.core, core_state) < 0)
        abort();
    irc_set_handover(f.irc, irc_state);
    irc_load(f.irc, networks(), NULL, 0);
    fuzz_core_check(f.core);
    list_for_each (pos, &f.irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (first && s->conn && s->state == IRC_CONNECTED)
            irc__server_read(s, session, sizeof(session) - 1);
    }
    irc_suspend(f.irc, "upgrading");
    fuzz_core_check_state(f.core);
    saved = irc_upgrade_save(f.irc);
    *core_out = core_state_save(f.core);
    /* Only the link at LINK_FD can be held: nothing else ever got a server's welcome. */
    if (irc_upgrade_kept(f.irc) > 1 ||
        ((n = (int)irc_upgrade_fds(f.irc, fds)) == 1 && fds[0] != LINK_FD))
        abort();
    if (n == 1) {
        keep = dup(LINK_FD);
        fuzz_place(socket(AF_INET, SOCK_STREAM, 0), LINK_FD);
    }
    remove_all(f.irc);
    uv_run(&f.loop, UV_RUN_DEFAULT);
    fuzz_irc_finish(&f);
    if (keep >= 0)
        fuzz_place(keep, LINK_FD);
    return saved;
}

/* A state as the next process gets it: written to the file, read back. */
static struct pjson *
written(struct pjson *state, char **text)
{
    struct pjson *read;
    size_t len;

    *text = pjson_print(state, &len);
    pjson_free(state);
    if (!(read = pjson_parse(*text, len, 4096)))
        abort();
    return read;
}

/* The input with every "@peer" written as the link's peer. */
static char *
with_peer(const uint8_t *data, size_t size, const char *peer, size_t *out_len)
{
    static const char token[] = "@peer";
    size_t peer_len = strlen(peer), n = 0;
    char *out = malloc(size * (peer_len > 1 ? peer_len : 1) + 1);

    for (size_t i = 0; i < size;) {
        if (size - i >= sizeof(token) - 1 && memcmp(data + i, token, sizeof(token) - 1) == 0) {
            memcpy(out + n, peer, peer_len);
            n += peer_len;
            i += sizeof(token) - 1;
        } else {
            out[n++] = (char)data[i++];
        }
    }
    *out_len = n;
    return out;
}

static void
take_over(const uint8_t *data, size_t size, bool checked)
{
    static int before[2 * FUZZ_FDS_WATCHED], after[2 * FUZZ_FDS_WATCHED];
    struct pjson *state, *irc_state, *first, *second, *core1, *core2;
    char peer[96], err[256], *text, *first_text, *second_text;
    size_t len;

    open_link(peer, sizeof(peer));
    text = with_peer(data, size, peer, &len);
    irc_state = pjson_parse(text, len, 32);
    free(text);
    state = pjson_object();
    if (irc_state)
        pjson_add(state, "irc", irc_state);
    /* A state naming one descriptor twice is refused before anything takes one. */
    if (!irc_state || perchd_upgrade_check_fds(state, err, sizeof(err)) < 0) {
        pjson_free(state);
        close_link();
        return;
    }
    fuzz_fd_snapshot(before, LINK_FD, N_OWN_FDS);
    first = written(new_process(NULL, irc_state, true, &core1), &first_text);
    core1 = written(core1, &text);
    free(text);
    second = written(new_process(core1, first, false, &core2), &second_text);
    fuzz_fd_snapshot(after, LINK_FD, N_OWN_FDS);
    if (checked && memcmp(before, after, sizeof(before)) != 0)
        abort();
    if (strcmp(first_text, second_text) != 0) {
        fprintf(stderr, "first:  %s\nsecond: %s\n", first_text, second_text);
        abort();
    }
    free(first_text);
    free(second_text);
    pjson_free(first);
    pjson_free(second);
    pjson_free(core1);
    pjson_free(core2);
    pjson_free(state);
    close_link();
}

/* What is made once per process (libuv's thread pool, the resolver's files, the saved
 * networks) is made by a first take-over before any run is checked. */
static void
warm_up(void)
{
    static const char full[] =
        "{\"links\":[{\"name\":\"fuzz\",\"kept\":true,\"fd\":910,\"peer\":\"@peer\","
        "\"nick\":\"perchy\",\"partial\":\"\",\"isupport\":[],\"queue\":[],\"channels\":[]},"
        "{\"name\":\"spare\",\"kept\":true,\"fd\":3,\"peer\":\"@peer\"}]}";
    static bool done;

    if (done)
        return;
    done = true;
    /* As perchd: a write to a closed connection fails with EPIPE, it does not kill. */
    signal(SIGPIPE, SIG_IGN);
    take_over((const uint8_t *)full, sizeof(full) - 1, false);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    warm_up();
    take_over(data, size, true);
    return 0;
}
