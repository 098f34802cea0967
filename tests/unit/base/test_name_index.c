/* SPDX-License-Identifier: MIT */
/* Pointers sorted by name: each insert lands after its equals, a find picks the finer match
 * among the coarse equals, a remove takes the very item out and nothing else. */
#include <string.h>
#include <strings.h>

#include "base/name_index.h"
#include "unit_test.h"

struct item {
    const char *name;
};

static const char *
item_name(const void *item)
{
    return ((const struct item *)item)->name;
}

static int
same_case(const char *a, const char *b, const void *ctx)
{
    (void)ctx;
    return strcmp(a, b);
}

static void
assert_order(const struct name_index *ix, const struct item *const *expected, size_t n)
{
    assert_int_equal(ix->n, n);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(ix->items[i], expected[i]);
}

static void
test_inserts_after_equals_and_finds_the_exact_one(void **state)
{
    struct item b1 = { "b" }, a = { "a" }, b2 = { "B" }, c = { "c" }, b3 = { "b" };
    struct name_index ix;

    (void)state;
    name_index_init(&ix, item_name, strcasecmp);
    assert_null(name_index_find(&ix, "b", NULL, NULL));
    assert_int_equal(name_index_insert(&ix, &b1), 0);
    assert_int_equal(name_index_insert(&ix, &a), 0);
    assert_int_equal(name_index_insert(&ix, &c), 2);
    assert_int_equal(name_index_insert(&ix, &b2), 2);
    assert_int_equal(name_index_insert(&ix, &b3), 3);
    assert_order(&ix, (const struct item *[]){ &a, &b1, &b2, &b3, &c }, 5);
    assert_int_equal(name_index_bound(&ix, "B", false), 1);
    assert_int_equal(name_index_bound(&ix, "B", true), 4);
    assert_int_equal(name_index_bound(&ix, "0", true), 0);
    assert_int_equal(name_index_bound(&ix, "z", false), 5);
    assert_ptr_equal(name_index_find(&ix, "B", NULL, NULL), &b1);
    assert_ptr_equal(name_index_find(&ix, "B", same_case, NULL), &b2);
    assert_ptr_equal(name_index_find(&ix, "b", same_case, NULL), &b1);
    assert_null(name_index_find(&ix, "bb", NULL, NULL));
    assert_null(name_index_find(&ix, "A", same_case, NULL));
    name_index_fini(&ix);
}

static void
test_removes_the_very_item(void **state)
{
    struct item b1 = { "b" }, b2 = { "b" }, b3 = { "b" }, stranger = { "b" }, a = { "a" };
    struct name_index ix;

    (void)state;
    name_index_init(&ix, item_name, strcasecmp);
    for (int i = 0; i < 1000; i++) {
        name_index_insert(&ix, &a);
        assert_true(name_index_remove(&ix, &a));
    }
    name_index_insert(&ix, &b1);
    name_index_insert(&ix, &b2);
    name_index_insert(&ix, &b3);
    name_index_insert(&ix, &a);
    assert_false(name_index_remove(&ix, &stranger));
    assert_true(name_index_remove(&ix, &b2));
    assert_false(name_index_remove(&ix, &b2));
    assert_order(&ix, (const struct item *[]){ &a, &b1, &b3 }, 3);
    assert_true(name_index_remove(&ix, &b3));
    assert_true(name_index_remove(&ix, &a));
    assert_order(&ix, (const struct item *[]){ &b1 }, 1);
    name_index_clear(&ix);
    assert_int_equal(ix.n, 0);
    assert_false(name_index_remove(&ix, &b1));
    assert_null(name_index_find(&ix, "b", NULL, NULL));
    name_index_fini(&ix);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inserts_after_equals_and_finds_the_exact_one),
        cmocka_unit_test(test_removes_the_very_item),
    };

    return cmocka_run_group_tests_name("name_index", tests, NULL, NULL);
}
