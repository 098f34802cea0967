/* SPDX-License-Identifier: MIT */
#include "schedule.h"

#include "base/timefmt.h"
#include "core/core.h"
#include "perchd.h"

static void
schedule_tick(uv_timer_t *timer)
{
    struct perchd *d = timer->data;

    /* Sets the timer again through perchd_schedule_changed. */
    core_schedule_run(d->core, timefmt_monotonic_us());
}

void
perchd_schedule_init(struct perchd *d)
{
    uv_timer_init(d->loop, &d->schedule_timer);
    d->schedule_timer.data = d;
    d->schedule_on = true;
}

void
perchd_schedule_changed(void *data)
{
    struct perchd *d = data;
    int64_t due = core_schedule_next_us(d->core), now = timefmt_monotonic_us();

    if (!d->schedule_on)
        return;
    if (due < 0) {
        uv_timer_stop(&d->schedule_timer);
        return;
    }
    /* Rounded up: a timer that fires a little early would find nothing due. */
    uv_timer_start(&d->schedule_timer, schedule_tick,
                   due <= now ? 0 : (uint64_t)(due - now + 999) / 1000, 0);
}

void
perchd_schedule_close(struct perchd *d)
{
    if (!d->schedule_on)
        return;
    d->schedule_on = false;
    uv_close((uv_handle_t *)&d->schedule_timer, NULL);
}
