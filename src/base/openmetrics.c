/* SPDX-License-Identifier: MIT */
/* The OpenMetrics and Prometheus text exposition formats. */
#include "openmetrics.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const openmetrics_type_names[] = {
    [OPENMETRICS_COUNTER] = "counter",
    [OPENMETRICS_GAUGE] = "gauge",
    [OPENMETRICS_HISTOGRAM] = "histogram",
};

const char *
openmetrics_content_type(enum openmetrics_format format)
{
    return format == OPENMETRICS_TEXT ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                      : "text/plain; version=0.0.4; charset=utf-8";
}

static void
om_put(struct openmetrics *om, const char *text)
{
    if (buf_append_str(om->out, text) < 0)
        om->failed = true;
}

void
openmetrics_init(struct openmetrics *om, struct buf *out, enum openmetrics_format format)
{
    *om = (struct openmetrics){ .out = out, .format = format };
}

/* OpenMetrics names a counter family without "_total"; Prometheus 0.0.4 names it as its
 * samples are named. */
static const char *
om_family_suffix(const struct openmetrics *om)
{
    return om->type == OPENMETRICS_COUNTER && om->format == OPENMETRICS_PROMETHEUS ? "_total" : "";
}

void
openmetrics_family(struct openmetrics *om, const char *name, enum openmetrics_type type,
                   const char *help)
{
    om->family = name;
    om->type = type;
    if (buf_printf(om->out, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, om_family_suffix(om), help,
                   name, om_family_suffix(om), openmetrics_type_names[type]) < 0)
        om->failed = true;
}

/* A label value with backslash, double quote and newline escaped (both formats). */
static void
om_put_escaped(struct openmetrics *om, const char *value)
{
    for (const char *p = value; *p; p++) {
        int rc = *p == '\\'   ? buf_append_str(om->out, "\\\\")
                 : *p == '"'  ? buf_append_str(om->out, "\\\"")
                 : *p == '\n' ? buf_append_str(om->out, "\\n")
                              : buf_append_char(om->out, *p);
        if (rc < 0)
            om->failed = true;
    }
}

/* name{labels[,le="bound"]} without the value. */
static void
om_put_series(struct openmetrics *om, const char *suffix, const struct openmetrics_label *labels,
              size_t n_labels, const char *le)
{
    om_put(om, om->family);
    om_put(om, suffix);
    if (!n_labels && !le)
        return;
    om_put(om, "{");
    for (size_t i = 0; i < n_labels; i++) {
        om_put(om, i ? "," : "");
        om_put(om, labels[i].name);
        om_put(om, "=\"");
        om_put_escaped(om, labels[i].value);
        om_put(om, "\"");
    }
    if (le) {
        om_put(om, n_labels ? ",le=\"" : "le=\"");
        om_put(om, le);
        om_put(om, "\"");
    }
    om_put(om, "}");
}

static void
om_put_value(struct openmetrics *om, uint64_t value)
{
    if (buf_printf(om->out, " %" PRIu64 "\n", value) < 0)
        om->failed = true;
}

void
openmetrics_sample(struct openmetrics *om, const struct openmetrics_label *labels, size_t n_labels,
                   uint64_t value)
{
    om_put_series(om, om->type == OPENMETRICS_COUNTER ? "_total" : "", labels, n_labels, NULL);
    om_put_value(om, value);
}

/* Microseconds as seconds the way OpenMetrics wants bucket bounds: the shortest decimal,
 * with ".0" on whole numbers ("0.00025", "1.0", "2.5"). */
static void
om_seconds(uint64_t us, char *text, size_t len)
{
    char frac[8];
    int n = snprintf(frac, sizeof(frac), "%06" PRIu64, us % 1000000);

    while (n > 1 && frac[n - 1] == '0')
        frac[--n] = '\0';
    snprintf(text, len, "%" PRIu64 ".%s", us / 1000000, frac);
}

void
openmetrics_histogram(struct openmetrics *om, const struct openmetrics_label *labels,
                      size_t n_labels, const struct histogram *h)
{
    uint64_t cumulative = 0;
    char le[32];

    for (size_t i = 0; i < HISTOGRAM_BUCKETS; i++) {
        cumulative += h->counts[i];
        om_seconds(histogram_bound_us(i), le, sizeof(le));
        om_put_series(om, "_bucket", labels, n_labels, le);
        om_put_value(om, cumulative);
    }
    om_put_series(om, "_bucket", labels, n_labels, "+Inf");
    om_put_value(om, h->count);
    om_put_series(om, "_count", labels, n_labels, NULL);
    om_put_value(om, h->count);
    om_put_series(om, "_sum", labels, n_labels, NULL);
    if (buf_printf(om->out, " %" PRIu64 ".%06" PRIu64 "\n", h->sum_us / 1000000,
                   h->sum_us % 1000000) < 0)
        om->failed = true;
}

bool
openmetrics_finish(struct openmetrics *om)
{
    if (om->format == OPENMETRICS_TEXT)
        om_put(om, "# EOF\n");
    return !om->failed;
}
