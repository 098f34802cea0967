/* SPDX-License-Identifier: MIT */
/* The store's retention on a timer: a small step each tick, never a long pause. */
#include "retention.h"

#include "base/log.h"
#include "base/timefmt.h"
#include "perchd.h"
#include "relay/relay.h"
#include "store/store.h"

/* A tick a second deleting at most this many lines: a step of 500 took 3 to 8 ms here
 * (2 shared cores), up to 25 ms when the search index merged segments or the log was
 * checkpointed, so clients barely notice; and 500 lines a second still clears a backlog
 * of millions within hours after the rules are first set. A test waits a tick or two,
 * so neither needs to be configurable. */
#define PERCHD_RETENTION_TICK_MS 1000
#define PERCHD_RETENTION_ROWS    500

static void
retention_tick(uv_timer_t *timer)
{
    struct perchd *d = timer->data;
    uint64_t start = uv_hrtime();
    int n = store_retention_step(d->store, timefmt_now_us(), PERCHD_RETENTION_ROWS);

    if (n > 0) {
        log_debug("store: retention deleted %d lines in %.1f ms", n,
                  (double)(uv_hrtime() - start) / 1e6);
        if (d->relay)
            relay_forget_answers(d->relay);
    }
}

void
perchd_retention_init(struct perchd *d)
{
    uv_timer_init(d->loop, &d->retention_timer);
    d->retention_timer.data = d;
}

static void
retention_describe(const struct perchd *d)
{
    int days = d->cfg.store_max_age_days, lines = d->cfg.store_max_lines;

    if (days && lines)
        log_info("store: retention: lines go after %d days, each history keeps at most %d", days,
                 lines);
    else if (days)
        log_info("store: retention: lines go after %d days", days);
    else
        log_info("store: retention: each history keeps at most %d lines", lines);
    if (lines && lines < d->cfg.max_lines)
        log_warn("[store] max_lines_per_buffer (%d) is below [core] max_lines (%d): lines that "
                 "buffers still show are deleted from disk (clients see them until perchd "
                 "restarts)",
                 lines, d->cfg.max_lines);
}

void
perchd_retention_apply(struct perchd *d)
{
    /* A reload while quitting changes nothing: the timer is gone already. */
    if (uv_is_closing((uv_handle_t *)&d->retention_timer))
        return;
    store_index_delay_set(d->store, d->cfg.store_index_delay_ms);
    store_retention_set(d->store, d->cfg.store_max_age_days, d->cfg.store_max_lines);
    if (!store_retention_enabled(d->store)) {
        uv_timer_stop(&d->retention_timer);
        return;
    }
    retention_describe(d);
    if (!uv_is_active((uv_handle_t *)&d->retention_timer))
        uv_timer_start(&d->retention_timer, retention_tick, PERCHD_RETENTION_TICK_MS,
                       PERCHD_RETENTION_TICK_MS);
}

void
perchd_retention_close(struct perchd *d)
{
    if (!uv_is_closing((uv_handle_t *)&d->retention_timer))
        uv_close((uv_handle_t *)&d->retention_timer, NULL);
}
