/* SPDX-License-Identifier: MIT */
/* Comma-separated lists: items in order, blanks around them dropped, empty ones skipped, the
 * walk stopped by the callback. */
#include <stdio.h>
#include <string.h>

#include "base/strlist.h"
#include "unit_test.h"

struct seen {
    char text[128]; /* the items joined by "|" */
    int stop_after; /* 0: never stop */
    int count;
};

static bool
collect(void *data, const char *item, size_t len)
{
    struct seen *s = data;
    size_t used = strlen(s->text);

    snprintf(s->text + used, sizeof(s->text) - used, "%s%.*s", used ? "|" : "", (int)len, item);
    return ++s->count != s->stop_after;
}

static const char *
walk(const char *list, struct seen *s)
{
    s->text[0] = '\0';
    s->count = 0;
    strlist_each(list, collect, s);
    return s->text;
}

static void
test_items_stripped_and_empty_ones_skipped(void **state)
{
    struct seen s = { .stop_after = 0 };

    (void)state;
    assert_string_equal(walk("a,b,c", &s), "a|b|c");
    assert_string_equal(walk("  a b , ,,  c  ,", &s), "a b|c");
    assert_string_equal(walk(",,, ,", &s), "");
    assert_int_equal(s.count, 0);
    assert_string_equal(walk("", &s), "");
    assert_string_equal(walk(NULL, &s), "");
    assert_string_equal(walk("only", &s), "only");
}

static void
test_callback_stops_the_walk(void **state)
{
    struct seen s = { .stop_after = 2 };

    (void)state;
    s.text[0] = '\0';
    assert_false(strlist_each("a, b, c, d", collect, &s));
    assert_string_equal(s.text, "a|b");
    s.stop_after = 9;
    s.count = 0;
    s.text[0] = '\0';
    assert_true(strlist_each("a, b, c, d", collect, &s));
    assert_string_equal(s.text, "a|b|c|d");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_stripped_and_empty_ones_skipped),
        cmocka_unit_test(test_callback_stops_the_walk),
    };

    return cmocka_run_group_tests_name("strlist", tests, NULL, NULL);
}
