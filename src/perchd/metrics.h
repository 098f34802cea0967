/* SPDX-License-Identifier: MIT */
/* perchd's metrics: the whole exposition (relay, store, IRC) and where it is served. */
#ifndef PERCH_PERCHD_METRICS_H
#define PERCH_PERCHD_METRICS_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/openmetrics.h"
#include "net/conn.h"

struct perchd;

/* Writes one scrape's exposition into out (a relay_metrics_cb; data is the perchd); false
 * when it did not fit in out's maximum. */
bool perchd_metrics_write(void *data, enum openmetrics_format format, struct buf *out);
/* Gives the relay its /metrics as [metrics] relay says (at start and after each reload). */
void perchd_metrics_apply(struct perchd *d);
/* Opens the loopback listener of [metrics] listen, if set. 0, or -1 after logging why. */
int perchd_metrics_listen(struct perchd *d);
/* Closes that listener and its connections with reason (quit, upgrade). */
void perchd_metrics_stop(struct perchd *d, enum net_close_reason reason);

#endif
