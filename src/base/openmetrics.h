/* SPDX-License-Identifier: MIT */
/*
 * Writes metrics as OpenMetrics 1.0 text, or as the Prometheus 0.0.4 text format older
 * scrapers ask for: families with # HELP and # TYPE, counters' "_total" samples, histograms'
 * cumulative buckets, escaped label values, "# EOF" at the end. Text only: no I/O.
 */
#ifndef PERCH_BASE_OPENMETRICS_H
#define PERCH_BASE_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "histogram.h"

enum openmetrics_format {
    OPENMETRICS_TEXT,       /* application/openmetrics-text; version=1.0.0 */
    OPENMETRICS_PROMETHEUS, /* text/plain; version=0.0.4 */
};

enum openmetrics_type {
    OPENMETRICS_COUNTER,
    OPENMETRICS_GAUGE,
    OPENMETRICS_HISTOGRAM,
};

struct openmetrics_label {
    const char *name; /* [a-z_]+, written as is */
    const char *value;
};

/* A family being written; the output goes to a caller's buffer. */
struct openmetrics {
    struct buf *out;
    enum openmetrics_format format;
    const char *family;
    enum openmetrics_type type;
    bool failed; /* out reached its maximum */
};

/* The Content-Type header value of a format. */
const char *openmetrics_content_type(enum openmetrics_format format);
/* Starts writing into out (appended to; out keeps its owner). */
void openmetrics_init(struct openmetrics *om, struct buf *out, enum openmetrics_format format);
/* Starts a family: name without the "_total" of counters (added where each format wants it);
 * help is plain text without backslashes or newlines. */
void openmetrics_family(struct openmetrics *om, const char *name, enum openmetrics_type type,
                        const char *help);
/* A counter's or gauge's sample of the current family, with n_labels labels (values
 * escaped here). */
void openmetrics_sample(struct openmetrics *om, const struct openmetrics_label *labels,
                        size_t n_labels, uint64_t value);
/* A histogram's samples (buckets in seconds, _count, _sum). */
void openmetrics_histogram(struct openmetrics *om, const struct openmetrics_label *labels,
                           size_t n_labels, const struct histogram *h);
/* Ends the exposition ("# EOF" in OpenMetrics). False when out reached its maximum on the
 * way (the text is then incomplete). */
bool openmetrics_finish(struct openmetrics *om);

#endif
