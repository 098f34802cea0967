/* SPDX-License-Identifier: MIT */
/* Paging back after a reconnect: until the last line shown, bounded, never looping. */
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "client/resync.h"
#include "unit_test.h"

/* Lines first..last (ids), oldest first, parsed as they come from the relay. */
static struct pjson *
lines(int64_t first, int64_t last)
{
    size_t cap = 64 + (size_t)(last >= first ? last - first + 1 : 0) * 48, len = 1;
    char *text = malloc(cap);
    struct pjson *arr;

    text[0] = '[';
    for (int64_t id = first; id <= last; id++)
        len += (size_t)snprintf(text + len, cap - len, "%s{\"id\":%lld,\"message\":\"text\"}",
                                id == first ? "" : ",", (long long)id);
    snprintf(text + len, cap - len, "]");
    arr = pjson_parse(text, len + 1, 8);
    free(text);
    assert_non_null(arr);
    return arr;
}

struct seen {
    int64_t ids[64000];
    size_t n;
};

static void
collect(void *data, const struct pjson *line)
{
    struct seen *s = data;

    assert_true(s->n < sizeof(s->ids) / sizeof(s->ids[0]));
    s->ids[s->n++] = (int64_t)pjson_number(pjson_get(line, "id"));
}

static struct seen *
shown(const struct client_resync *r)
{
    struct seen *s = calloc(1, sizeof(*s));

    client_resync_each(r, collect, s);
    return s;
}

/* Feeds r the page the relay has for its before=, as perchd answers lines=-N&before=ID. */
static bool
page_from(struct client_resync *r, int64_t oldest_in_relay)
{
    int64_t before = client_resync_before(r);
    int64_t first = before - CLIENT_RESYNC_PAGE_LINES;
    struct pjson *page = lines(first < oldest_in_relay ? oldest_in_relay : first, before - 1);
    bool more = client_resync_page(r, page);

    pjson_free(page);
    return more;
}

static void
test_nothing_missing_or_nothing_shown_yet_needs_no_paging(void **state)
{
    struct pjson *snapshot = lines(100, 199), *empty = pjson_array();

    (void)state;
    assert_null(client_resync_new(-1, snapshot));
    assert_null(client_resync_new(99, snapshot));
    assert_null(client_resync_new(150, snapshot));
    assert_null(client_resync_new(250, snapshot));
    assert_null(client_resync_new(10, empty));
    assert_non_null(snapshot);
    client_resync_free(NULL);
    pjson_free(snapshot);
    pjson_free(empty);
}

static void
test_pages_back_to_the_last_line_shown_then_everything_in_order(void **state)
{
    struct pjson *snapshot = lines(2010, 3009), *live = lines(3010, 3012);
    struct client_resync *r = client_resync_new(9, snapshot);
    struct seen *s;

    (void)state;
    assert_non_null(r);
    assert_int_equal(client_resync_before(r), 2010);
    assert_int_equal(client_resync_missing(r), 2000);
    assert_true(page_from(r, 0));
    assert_int_equal(client_resync_before(r), 1010);
    pjson_for_each (line, live)
        assert_true(client_resync_hold(r, line));
    assert_false(page_from(r, 0));
    assert_int_equal(client_resync_missing(r), 0);
    s = shown(r);
    assert_int_equal(s->n, 3003);
    for (size_t i = 0; i < s->n; i++)
        assert_int_equal(s->ids[i], 10 + (int64_t)i);
    free(s);
    client_resync_free(r);
    pjson_free(snapshot);
    pjson_free(live);
}

static void
test_lines_already_shown_in_the_last_page_are_not_kept(void **state)
{
    struct pjson *snapshot = lines(1000, 1999);
    struct client_resync *r = client_resync_new(500, snapshot);
    struct seen *s;

    (void)state;
    assert_false(page_from(r, 0));
    s = shown(r);
    assert_int_equal(s->n, 1499);
    assert_int_equal(s->ids[0], 501);
    assert_int_equal(s->ids[s->n - 1], 1999);
    free(s);
    client_resync_free(r);
    pjson_free(snapshot);
}

static void
test_a_relay_that_ignores_before_ends_it_with_the_gap_counted(void **state)
{
    struct pjson *snapshot = lines(2000, 2999), *again = lines(2000, 2999),
                 *newer = lines(2005, 3004);
    struct client_resync *r = client_resync_new(99, snapshot);
    struct seen *s;

    (void)state;
    assert_false(client_resync_page(r, again));
    assert_int_equal(client_resync_missing(r), 1900);
    assert_false(client_resync_page(r, newer));
    assert_int_equal(client_resync_before(r), 2000);
    s = shown(r);
    assert_int_equal(s->n, 1000);
    assert_int_equal(s->ids[0], 2000);
    free(s);
    client_resync_free(r);
    pjson_free(snapshot);
    pjson_free(again);
    pjson_free(newer);
}

static void
test_nothing_older_left_ends_it(void **state)
{
    struct pjson *snapshot = lines(3000, 3999), *empty = pjson_array(), *odd = pjson_array();
    struct pjson *no_id = pjson_object(), *text_id = pjson_object();
    struct client_resync *r = client_resync_new(10, snapshot);

    (void)state;
    /* Lines 10..1999 are gone (retention): pages reach 2000, then nothing older comes. */
    assert_true(page_from(r, 2000));
    assert_false(page_from(r, 2000));
    assert_int_equal(client_resync_missing(r), 1989);
    client_resync_free(r);
    r = client_resync_new(10, snapshot);
    assert_false(client_resync_page(r, empty));
    pjson_add_str(text_id, "id", "5");
    pjson_add_str(no_id, "message", "no id");
    pjson_push(odd, no_id);
    pjson_push(odd, text_id);
    assert_false(client_resync_page(r, odd));
    assert_false(client_resync_page(r, NULL));
    assert_int_equal(client_resync_missing(r), 2989);
    client_resync_free(r);
    pjson_free(snapshot);
    pjson_free(empty);
    pjson_free(odd);
}

static void
test_paging_is_bounded(void **state)
{
    struct pjson *snapshot = lines(100000, 100999);
    struct client_resync *r = client_resync_new(0, snapshot);
    int pages = 1;
    struct seen *s;

    (void)state;
    while (page_from(r, 0))
        pages++;
    assert_int_equal(pages, CLIENT_RESYNC_MAX_PAGES);
    assert_false(page_from(r, 0));
    assert_int_equal(client_resync_missing(r),
                     100000 - CLIENT_RESYNC_MAX_PAGES * CLIENT_RESYNC_PAGE_LINES - 1);
    s = shown(r);
    assert_int_equal(s->n, CLIENT_RESYNC_MAX_PAGES * CLIENT_RESYNC_PAGE_LINES + 1000);
    for (size_t i = 1; i < s->n; i++)
        assert_int_equal(s->ids[i], s->ids[i - 1] + 1);
    free(s);
    client_resync_free(r);
    pjson_free(snapshot);
}

static void
test_holding_is_bounded(void **state)
{
    struct pjson *snapshot = lines(5000, 5999), *live = lines(6000, 6000 + CLIENT_RESYNC_MAX_HELD);
    struct client_resync *r = client_resync_new(0, snapshot);
    size_t held = 1000;

    (void)state;
    pjson_for_each (line, live) {
        held++;
        if (!client_resync_hold(r, line))
            break;
    }
    assert_int_equal(held, CLIENT_RESYNC_MAX_HELD);
    client_resync_free(r);
    pjson_free(snapshot);
    pjson_free(live);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_missing_or_nothing_shown_yet_needs_no_paging),
        cmocka_unit_test(test_pages_back_to_the_last_line_shown_then_everything_in_order),
        cmocka_unit_test(test_lines_already_shown_in_the_last_page_are_not_kept),
        cmocka_unit_test(test_a_relay_that_ignores_before_ends_it_with_the_gap_counted),
        cmocka_unit_test(test_nothing_older_left_ends_it),
        cmocka_unit_test(test_paging_is_bounded),
        cmocka_unit_test(test_holding_is_bounded),
    };

    return cmocka_run_group_tests_name("resync", tests, NULL, NULL);
}
