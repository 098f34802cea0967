/* SPDX-License-Identifier: MIT */
/* perchd's metrics: composes each module's counters into one exposition, and serves it. */
#include "metrics.h"

#include <stdio.h>
#include <unistd.h>

#include "base/log.h"
#include "irc/irc.h"
#include "metrics_server.h"
#include "perchd.h"
#include "relay/metrics.h"
#include "relay/relay.h"
#include "store/store.h"

#ifndef PERCH_VERSION
#define PERCH_VERSION "0.0.0"
#endif

/* One network's link: 1 for its state, 0 for the others (a gauge per state per network). */
static void
metrics_irc_link(void *data, const char *network, size_t state)
{
    struct openmetrics *om = data;
    const char *name;

    for (size_t i = 0; (name = irc_link_state_name(i)); i++) {
        struct openmetrics_label labels[] = { { "network", network }, { "state", name } };
        openmetrics_sample(om, labels, 2, i == state);
    }
}

/* The resident set from /proc (Prometheus' usual name): what the memory work is judged by. */
static void
metrics_process(struct openmetrics *om)
{
    FILE *f = fopen("/proc/self/statm", "re");
    unsigned long long size, resident;
    bool ok = f && fscanf(f, "%llu %llu", &size, &resident) == 2;

    if (f)
        fclose(f);
    if (!ok)
        return;
    openmetrics_family(om, "process_resident_memory_bytes", OPENMETRICS_GAUGE,
                       "Resident memory size in bytes");
    openmetrics_sample(om, NULL, 0, (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE));
}

bool
perchd_metrics_write(void *data, enum openmetrics_format format, struct buf *out)
{
    struct perchd *d = data;
    struct openmetrics om;

    openmetrics_init(&om, out, format);
    openmetrics_family(&om, "perch_build_info", OPENMETRICS_GAUGE, "perchd's version");
    openmetrics_sample(&om, &(struct openmetrics_label){ "version", PERCH_VERSION }, 1, 1);
    metrics_process(&om);
    relay_metrics_write(d->relay, &om);
    if (d->store) {
        openmetrics_family(&om, "perch_store_commit_seconds", OPENMETRICS_HISTOGRAM,
                           "Time the history's commits took (those with something to write)");
        openmetrics_histogram(&om, NULL, 0, store_commit_latency(d->store));
    }
    openmetrics_family(&om, "perch_irc_link_state", OPENMETRICS_GAUGE,
                       "IRC links: 1 for the state each network's link is in, 0 for the others");
    if (d->irc)
        irc_each_link(d->irc, metrics_irc_link, &om);
    return openmetrics_finish(&om);
}

void
perchd_metrics_apply(struct perchd *d)
{
    relay_set_metrics_cb(d->relay, d->cfg.metrics_relay ? perchd_metrics_write : NULL, d);
}

int
perchd_metrics_listen(struct perchd *d)
{
    char err[512];

    if (!d->cfg.metrics_listen[0] || d->metrics_server)
        return 0;
    d->metrics_server = perchd_metrics_server_new(d->loop, d->cfg.metrics_listen, &d->cfg.relay,
                                                  perchd_metrics_write, d, err, sizeof(err));
    if (!d->metrics_server) {
        log_error("metrics: %s", err);
        return -1;
    }
    return 0;
}

void
perchd_metrics_stop(struct perchd *d, enum net_close_reason reason)
{
    perchd_metrics_server_free(d->metrics_server, reason);
    d->metrics_server = NULL;
}
