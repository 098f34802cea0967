/* SPDX-License-Identifier: MIT */
/* The exposition writer: both formats byte for byte, escaped labels, cumulative histogram
 * buckets in canonical seconds, and a full buffer reported. */
#include <string.h>

#include "base/histogram.h"
#include "base/openmetrics.h"
#include "unit_test.h"

static void
write_sample_families(struct openmetrics *om)
{
    struct openmetrics_label labels[] = { { "kind", "http" }, { "transport", "tls" } };

    openmetrics_family(om, "x_requests", OPENMETRICS_COUNTER, "Requests");
    openmetrics_sample(om, labels, 2, 7);
    openmetrics_family(om, "x_open", OPENMETRICS_GAUGE, "Open");
    openmetrics_sample(om, NULL, 0, 3);
}

static void
test_openmetrics_names_counters_without_total_and_ends_with_eof(void **state)
{
    struct buf out;
    struct openmetrics om;

    (void)state;
    buf_init(&out, 4096);
    openmetrics_init(&om, &out, OPENMETRICS_TEXT);
    write_sample_families(&om);
    assert_true(openmetrics_finish(&om));
    assert_string_equal(out.data, "# HELP x_requests Requests\n"
                                  "# TYPE x_requests counter\n"
                                  "x_requests_total{kind=\"http\",transport=\"tls\"} 7\n"
                                  "# HELP x_open Open\n"
                                  "# TYPE x_open gauge\n"
                                  "x_open 3\n"
                                  "# EOF\n");
    buf_fini(&out);
}

static void
test_prometheus_names_counters_with_total_and_has_no_eof(void **state)
{
    struct buf out;
    struct openmetrics om;

    (void)state;
    buf_init(&out, 4096);
    openmetrics_init(&om, &out, OPENMETRICS_PROMETHEUS);
    write_sample_families(&om);
    assert_true(openmetrics_finish(&om));
    assert_string_equal(out.data, "# HELP x_requests_total Requests\n"
                                  "# TYPE x_requests_total counter\n"
                                  "x_requests_total{kind=\"http\",transport=\"tls\"} 7\n"
                                  "# HELP x_open Open\n"
                                  "# TYPE x_open gauge\n"
                                  "x_open 3\n");
    assert_string_equal(openmetrics_content_type(OPENMETRICS_PROMETHEUS),
                        "text/plain; version=0.0.4; charset=utf-8");
    assert_string_equal(openmetrics_content_type(OPENMETRICS_TEXT),
                        "application/openmetrics-text; version=1.0.0; charset=utf-8");
    buf_fini(&out);
}

static void
test_label_values_escaped(void **state)
{
    struct openmetrics_label label = { "network", "a\"b\\c\nd" };
    struct buf out;
    struct openmetrics om;

    (void)state;
    buf_init(&out, 4096);
    openmetrics_init(&om, &out, OPENMETRICS_TEXT);
    openmetrics_family(&om, "x", OPENMETRICS_GAUGE, "X");
    openmetrics_sample(&om, &label, 1, 1);
    assert_non_null(strstr(out.data, "x{network=\"a\\\"b\\\\c\\nd\"} 1\n"));
    buf_fini(&out);
}

static void
test_histogram_buckets_cumulative_in_canonical_seconds(void **state)
{
    struct histogram h = { 0 };
    struct buf out;
    struct openmetrics om;

    (void)state;
    histogram_observe(&h, 100);     /* on a bound: that bucket */
    histogram_observe(&h, 101);     /* just above: the next */
    histogram_observe(&h, 900000);  /* 0.9 s */
    histogram_observe(&h, 9000000); /* past the last bound: +Inf only */
    assert_int_equal(h.count, 4);
    assert_int_equal(h.sum_us, 100 + 101 + 900000 + 9000000);
    buf_init(&out, 8192);
    openmetrics_init(&om, &out, OPENMETRICS_TEXT);
    openmetrics_family(&om, "x_seconds", OPENMETRICS_HISTOGRAM, "X");
    openmetrics_histogram(&om, NULL, 0, &h);
    assert_true(openmetrics_finish(&om));
    assert_non_null(strstr(out.data, "x_seconds_bucket{le=\"0.0001\"} 1\n"
                                     "x_seconds_bucket{le=\"0.00025\"} 2\n"));
    assert_non_null(strstr(out.data, "x_seconds_bucket{le=\"0.5\"} 2\n"
                                     "x_seconds_bucket{le=\"1.0\"} 3\n"
                                     "x_seconds_bucket{le=\"2.5\"} 3\n"
                                     "x_seconds_bucket{le=\"+Inf\"} 4\n"
                                     "x_seconds_count 4\n"
                                     "x_seconds_sum 9.900201\n"
                                     "# EOF\n"));
    buf_fini(&out);
}

static void
test_full_buffer_reported(void **state)
{
    struct buf out;
    struct openmetrics om;

    (void)state;
    buf_init(&out, 64);
    openmetrics_init(&om, &out, OPENMETRICS_TEXT);
    write_sample_families(&om);
    assert_false(openmetrics_finish(&om));
    assert_true(out.len <= 64);
    buf_fini(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openmetrics_names_counters_without_total_and_ends_with_eof),
        cmocka_unit_test(test_prometheus_names_counters_with_total_and_has_no_eof),
        cmocka_unit_test(test_label_values_escaped),
        cmocka_unit_test(test_histogram_buckets_cumulative_in_canonical_seconds),
        cmocka_unit_test(test_full_buffer_reported),
    };

    return cmocka_run_group_tests_name("openmetrics", tests, NULL, NULL);
}
