/* SPDX-License-Identifier: MIT */
/* The IRC fuzz targets' core, IRC client and loop (highlights on "perch" and "alert"). */
#include "irc_fixture.h"

#include <stdlib.h>

#include "base/log.h"
#include "core/core.h"
#include "irc/irc.h"

static const struct irc_timing fuzz_irc_timing = {
    .connect_timeout_ms = 60000,
    .ping_interval_ms = 60000,
    .ping_timeout_ms = 60000,
    .reconnect_first_ms = 1000,
    .reconnect_max_ms = 60000,
    .close_grace_ms = 0,
    .highlight_words = "perch,alert",
    .auto_away = "",
    .anti_flood_ms = 2000,
    .anti_flood_burst = 5,
    .nick_regain_ms = 60000,
    .catchup_max = 100,
    .catchup_timeout_ms = 10000,
};

void
fuzz_irc_start(struct fuzz_irc *f)
{
    log_set_level(LOG_LEVEL_ERROR);
    uv_loop_init(&f->loop);
    f->core = core_new(200, "fuzz");
    f->irc = irc_new(&f->loop, f->core, &fuzz_irc_timing);
}

void
fuzz_irc_finish(struct fuzz_irc *f)
{
    uv_run(&f->loop, UV_RUN_NOWAIT);
    irc_free(f->irc);
    core_free(f->core);
    if (uv_loop_close(&f->loop) != 0)
        abort();
}
