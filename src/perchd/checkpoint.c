/* SPDX-License-Identifier: MIT */
/* Checkpoints on libuv's thread pool: the loop's commits only append to the log, and the
 * fsync of the database file (tens to hundreds of milliseconds on a busy disk) happens
 * where no client waits for it. The search index's batches and merges go in steps of
 * about a millisecond between the loop's turns (store_index_step). */
#include "checkpoint.h"

#include <stdio.h>

#include "base/log.h"
#include "perchd.h"
#include "store/store.h"

#define PERCHD_CHECKPOINT_MS 1000
#define PERCHD_INDEX_STEP_MS 5

static void
checkpoint_work(uv_work_t *req)
{
    struct perchd *d = req->data;

    d->checkpoint_rc = store_checkpoint(d->checkpoint_path);
}

static void
checkpoint_done(uv_work_t *req, int status)
{
    struct perchd *d = req->data;

    d->checkpoint_busy = false;
    if (status == 0 && d->checkpoint_rc != 0)
        log_debug("store: checkpoint of %s deferred (%s)", d->checkpoint_path,
                  store_checkpoint_error(d->checkpoint_rc));
}

static void
checkpoint_tick(uv_timer_t *timer)
{
    struct perchd *d = timer->data;

    perchd_index_kick(d);
    if (d->checkpoint_busy)
        return;
    d->checkpoint_busy = true;
    d->checkpoint_req.data = d;
    if (uv_queue_work(d->loop, &d->checkpoint_req, checkpoint_work, checkpoint_done) < 0)
        d->checkpoint_busy = false;
}

static void
index_tick(uv_timer_t *timer)
{
    struct perchd *d = timer->data;

    if (!store_index_step(d->store))
        uv_timer_stop(timer);
}

void
perchd_index_kick(struct perchd *d)
{
    uv_handle_t *h = (uv_handle_t *)&d->index_timer;

    if (h->data && !uv_is_active(h) && !uv_is_closing(h))
        uv_timer_start(&d->index_timer, index_tick, PERCHD_INDEX_STEP_MS, PERCHD_INDEX_STEP_MS);
}

void
perchd_checkpoint_start(struct perchd *d)
{
    snprintf(d->checkpoint_path, sizeof(d->checkpoint_path), "%s", store_path(d->store));
    uv_timer_init(d->loop, &d->checkpoint_timer);
    d->checkpoint_timer.data = d;
    uv_timer_start(&d->checkpoint_timer, checkpoint_tick, PERCHD_CHECKPOINT_MS,
                   PERCHD_CHECKPOINT_MS);
    uv_timer_init(d->loop, &d->index_timer);
    d->index_timer.data = d;
}

void
perchd_checkpoint_close(struct perchd *d)
{
    if (d->checkpoint_timer.data && !uv_is_closing((uv_handle_t *)&d->checkpoint_timer))
        uv_close((uv_handle_t *)&d->checkpoint_timer, NULL);
    if (d->index_timer.data && !uv_is_closing((uv_handle_t *)&d->index_timer))
        uv_close((uv_handle_t *)&d->index_timer, NULL);
}
