/* SPDX-License-Identifier: MIT */
/*
 * PBKDF2 logins off the event loop. A derivation costs milliseconds of CPU by design; on the
 * loop a flood of wrong guesses would stall every client. It runs on libuv's thread pool, at
 * most RELAY_AUTH_JOBS_MAX at once so that a flood takes neither every worker nor every core;
 * the other logins wait in arrival order. Each verdict comes back on the loop, where the client
 * dispatches its waiting request again (relay__client_login_done).
 *
 * A handshake choosing PBKDF2 also starts deriving the key its client is about to send, salted
 * with the time now (relay__login_ahead_start): the client and perchd then derive at the same
 * time instead of one after the other. One such key at a time, only with a free slot, so a
 * flood of handshakes costs at most one derivation at once and never delays a login.
 */
#include <stdlib.h>

#include "auth.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "internal.h"
#include "net/conn.h"
#include "throttle.h"

struct relay__auth_job {
    uv_work_t work;
    struct list link; /* in relay->auth_waiting until it runs */
    struct relay__client *client;
    struct relay_auth_derivation *deriv;
    bool running;
};

/* The key derived ahead of a login (relay->ahead). */
struct relay__login_ahead {
    uv_work_t work;
    struct relay *relay; /* NULL once the relay is freed: then its end only frees it */
    struct relay_auth_derivation *deriv;
    bool running;
    struct list waiters; /* struct relay__auth_job whose key it derives, oldest first */
};

static void login_job_after(uv_work_t *work, int status);

/* On a worker thread: nothing but the derivation's own memory is touched. */
static void
login_job_work(uv_work_t *work)
{
    struct relay__auth_job *job = work->data;

    relay_auth_derive(job->deriv);
}

static void
login_job_run(struct relay *relay, struct relay__auth_job *job)
{
    job->running = true;
    relay->n_auth_running++;
    /* It fails only without a work callback: a programmer's error. */
    if (uv_queue_work(relay->loop, &job->work, login_job_work, login_job_after) != 0)
        abort();
}

/* Records the verdict on the client (none when the job did not run) and hands it back. */
static void
login_job_end(struct relay__auth_job *job, bool derived)
{
    struct relay__client *c = job->client;

    c->auth_job = NULL;
    c->auth_decided = derived;
    c->auth_error = derived ? relay_auth_verdict(job->deriv) : NULL;
    relay_auth_derivation_free(job->deriv);
    free(job);
    relay__client_login_done(c);
}

/*
 * Starts waiting jobs while a slot is free. One whose address was blocked while it waited does
 * not run: its client's login, dispatched again, finds the block and answers 429 without any
 * hashing (and a verdict would tell nothing a blocked address may learn).
 */
static void
login_jobs_pump(struct relay *relay)
{
    while (relay->n_auth_running < RELAY_AUTH_JOBS_MAX && !list_is_empty(&relay->auth_waiting)) {
        struct relay__auth_job *job =
            list_entry(relay->auth_waiting.next, struct relay__auth_job, link);
        list_remove(&job->link);
        if (relay_throttle_check(relay->throttle, &job->client->peer, uv_now(relay->loop)))
            login_job_end(job, false);
        else
            login_job_run(relay, job);
    }
}

/* On the loop. The verdict is counted before the next job starts: a failure that blocks the
 * address keeps the logins waiting behind it from hashing. */
static void
login_job_after(uv_work_t *work, int status)
{
    struct relay__auth_job *job = work->data;
    struct relay *relay = job->client->relay;

    relay->n_auth_running--;
    login_job_end(job, status == 0);
    login_jobs_pump(relay);
}

void
relay__login_job_start(struct relay__client *c, struct relay_auth_derivation *deriv)
{
    struct relay *relay = c->relay;
    struct relay__auth_job *job = xcalloc(1, sizeof(*job));

    job->work.data = job;
    job->client = c;
    job->deriv = deriv;
    list_init(&job->link);
    c->auth_job = job;
    /* Its key is being derived already: it takes that verdict. */
    if (relay->ahead && relay->ahead->running &&
        relay_auth_same_input(deriv, relay->ahead->deriv)) {
        list_append(&relay->ahead->waiters, &job->link);
        return;
    }
    /* The caller has just checked the throttle, so a job with a free slot (nobody waits then)
     * runs at once; either way nothing ends inside the caller. */
    if (relay->n_auth_running < RELAY_AUTH_JOBS_MAX && list_is_empty(&relay->auth_waiting)) {
        login_job_run(relay, job);
    } else {
        list_append(&relay->auth_waiting, &job->link);
        log_debug("conn %llu: login waits for a PBKDF2 slot",
                  (unsigned long long)net_conn_id(c->conn));
    }
}

void
relay__login_job_cancel(struct relay__client *c)
{
    struct relay__auth_job *job = c->auth_job;

    /* A job on a worker thread cannot be taken back: its end frees the client. */
    if (!job || job->running)
        return;
    list_remove(&job->link);
    c->auth_job = NULL;
    relay_auth_derivation_free(job->deriv);
    free(job);
}

static void
login_ahead_free(struct relay__login_ahead *ahead)
{
    relay_auth_derivation_free(ahead->deriv);
    free(ahead);
}

static void
login_ahead_work(uv_work_t *work)
{
    struct relay__login_ahead *ahead = work->data;

    relay_auth_derive(ahead->deriv);
}

/* On the loop: the logins waiting for this key get their verdicts; without the key (the work
 * was cancelled), they queue for their own derivation. */
static void
login_ahead_after(uv_work_t *work, int status)
{
    struct relay__login_ahead *ahead = work->data;
    struct relay *relay = ahead->relay;

    if (!relay) {
        login_ahead_free(ahead);
        return;
    }
    relay->n_auth_running--;
    ahead->running = false;
    while (!list_is_empty(&ahead->waiters)) {
        struct relay__auth_job *job = list_entry(ahead->waiters.next, struct relay__auth_job, link);
        list_remove(&job->link);
        if (status == 0 && relay_auth_use_ahead(job->deriv, ahead->deriv)) {
            log_debug("conn %llu: login decided by the key derived ahead",
                      (unsigned long long)net_conn_id(job->client->conn));
            login_job_end(job, true);
        } else
            list_append(&relay->auth_waiting, &job->link);
    }
    if (status != 0) {
        relay->ahead = NULL;
        login_ahead_free(ahead);
    }
    login_jobs_pump(relay);
}

void
relay__login_ahead_start(struct relay *relay, enum relay_hash_algo algo)
{
    struct relay__login_ahead *ahead = relay->ahead;
    struct relay_auth_derivation *deriv = relay_auth_ahead_new(relay->cfg, algo, timefmt_now_s());

    if (!deriv)
        return;
    /* The same key derived or on its way, another one on its way, or no free slot. */
    if ((ahead && (ahead->running || relay_auth_same_input(ahead->deriv, deriv))) ||
        relay->n_auth_running >= RELAY_AUTH_JOBS_MAX || !list_is_empty(&relay->auth_waiting)) {
        relay_auth_derivation_free(deriv);
        return;
    }
    if (ahead)
        login_ahead_free(ahead);
    ahead = xcalloc(1, sizeof(*ahead));
    ahead->work.data = ahead;
    ahead->relay = relay;
    ahead->deriv = deriv;
    ahead->running = true;
    list_init(&ahead->waiters);
    relay->ahead = ahead;
    relay->n_auth_running++;
    log_debug("handshake: deriving the %s key ahead of its login", relay_hash_algo_name(algo));
    if (uv_queue_work(relay->loop, &ahead->work, login_ahead_work, login_ahead_after) != 0)
        abort();
}

bool
relay__login_ahead_decide(struct relay *relay, struct relay_auth_derivation *deriv)
{
    if (!relay->ahead || relay->ahead->running || !relay_auth_use_ahead(deriv, relay->ahead->deriv))
        return false;
    log_debug("login decided by the key derived ahead");
    return true;
}

void
relay__login_ahead_fini(struct relay *relay)
{
    struct relay__login_ahead *ahead = relay->ahead;

    relay->ahead = NULL;
    if (ahead && ahead->running)
        ahead->relay = NULL;
    else if (ahead)
        login_ahead_free(ahead);
}
