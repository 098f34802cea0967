/* SPDX-License-Identifier: MIT */
/* The api relay server: listeners, clients, and the protocol on top of the core. */
#ifndef PERCH_RELAY_RELAY_H
#define PERCH_RELAY_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "config.h"

struct core;
struct net_conn;
struct relay;
struct tls_context;

/* The relay reads cfg (owned by the caller) until relay_set_config() replaces it. */
struct relay *relay_new(uv_loop_t *loop, struct core *core, const struct relay_config *cfg,
                        const char *version);
/* Listens on "host:port"; tls NULL for plain HTTP. Returns 0 or -1 with err set. */
int relay_listen(struct relay *relay, const char *host_port, struct tls_context *tls, char *err,
                 size_t err_len);

/* Durable history: the relay commits before any byte leaves for a client, so nothing is
 * shown that is not stored. */
struct relay_store_ops {
    /* 0, or -1: what changed since the last commit is not stored (its lines are gone). */
    int (*commit)(void *data);
    /* True for a line that a failed commit took back: its event is not sent. */
    bool (*lost)(void *data, int64_t buffer_id, int64_t line_id);
    /* The lost lines were dealt with. */
    void (*forget_lost)(void *data);
    /* Why the last commit failed. */
    const char *(*error)(void *data);
    void *data;
};

void relay_set_store(struct relay *relay, const struct relay_store_ops *ops);
/* Called when the first WebSocket client arrives (attached) and when the last leaves. */
void relay_set_presence_cb(struct relay *relay, void (*cb)(void *data, bool attached), void *data);
bool relay_clients_attached(const struct relay *relay);
/* Commits, then sends the events waiting since the last call (done at the end of each
 * loop iteration and before each request, so events keep their order with answers). */
void relay_flush(struct relay *relay);
/* Stored lines went without an event (retention): answers kept for repeated requests are
 * dropped, so none shows a line that is gone. */
void relay_forget_answers(struct relay *relay);
/* New settings and certificate for new requests/connections; open connections stay. */
void relay_set_config(struct relay *relay, const struct relay_config *cfg);
void relay_set_tls(struct relay *relay, struct tls_context *tls);
/* Runs the inputs already answered with 204 but not yet executed (before a quit or an
 * upgrade, so that an acknowledged line is never lost). */
void relay_run_pending_inputs(struct relay *relay);
/* Stops listening and starts closing every client (each through the closing path). */
void relay_stop(struct relay *relay);
/* ---- upgrade hand-over ---- */
struct pjson;

/* Stops accepting (new connections wait in the backlog for the new process), closes
 * what cannot cross execve (TLS, deflate, half-read requests or frames) with the
 * upgrade goodbye, and pauses the plain connections that will. */
void relay_upgrade_prepare(struct relay *relay);
/* True once the closes are done and the kept connections have flushed; other_kept
 * connections not the relay's (IRC links) cross too and are not waited for. */
bool relay_upgrade_ready(const struct relay *relay, size_t other_kept);
/* The kept connections whose answers are still being sent get their goodbye after them
 * instead of crossing mid-answer; returns how many. */
size_t relay_upgrade_close_unflushed(struct relay *relay);
/* The exec failed: the kept connections go on in this process. */
void relay_upgrade_abort(struct relay *relay);
/* Listener and client state to hand over (caller frees), and the descriptors to keep. */
struct pjson *relay_save(const struct relay *relay);
/* Every descriptor relay_save() names (caller frees), with room for extra more. */
int *relay_save_fds(const struct relay *relay, size_t extra, size_t *n_fds);
/* Adopts the saved listeners and clients in the new process. 0, or -1 with err. tls is
 * NULL when the new config has no TLS listener: a saved TLS listener is then closed. */
int relay_restore(struct relay *relay, const struct pjson *state, struct tls_context *tls,
                  char *err, size_t err_len);

/* Frees the relay once relay_stop() was called and the loop ran the closes. */
void relay_free(struct relay *relay);

#endif
