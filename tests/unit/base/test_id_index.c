/* SPDX-License-Identifier: MIT */
/* Items by id: appended or inserted in order, found, replaced, removed, whatever order the
 * ids come in. */
#include "base/id_index.h"
#include "unit_test.h"

static void
assert_sorted(const struct id_index *ix)
{
    for (size_t i = 1; i < ix->n; i++)
        assert_true(ix->v[i - 1].id < ix->v[i].id);
}

static void
test_puts_in_any_order_and_finds(void **state)
{
    static int items[1000];
    struct id_index ix = { 0 };

    (void)state;
    /* Increasing ids (appended), then ids in between and below (inserted). */
    for (int i = 0; i < 1000; i += 2)
        id_index_put(&ix, i, &items[i]);
    for (int i = 999; i > 0; i -= 2)
        id_index_put(&ix, i, &items[i]);
    assert_int_equal(ix.n, 1000);
    assert_sorted(&ix);
    for (int i = 0; i < 1000; i++)
        assert_ptr_equal(id_index_get(&ix, i), &items[i]);
    assert_null(id_index_get(&ix, -1));
    assert_null(id_index_get(&ix, 1000));
    /* The same id again replaces its item. */
    id_index_put(&ix, 500, &items[0]);
    assert_int_equal(ix.n, 1000);
    assert_ptr_equal(id_index_get(&ix, 500), &items[0]);
    id_index_fini(&ix);
    assert_int_equal(ix.n, 0);
    assert_null(id_index_get(&ix, 0));
}

static void
test_removes_only_its_id(void **state)
{
    int a, b, c;
    struct id_index ix = { 0 };

    (void)state;
    id_index_put(&ix, 30, &c);
    id_index_put(&ix, 10, &a);
    id_index_put(&ix, 20, &b);
    assert_true(id_index_remove(&ix, 20));
    assert_false(id_index_remove(&ix, 20));
    assert_false(id_index_remove(&ix, 25));
    assert_int_equal(ix.n, 2);
    assert_ptr_equal(id_index_get(&ix, 10), &a);
    assert_null(id_index_get(&ix, 20));
    assert_ptr_equal(id_index_get(&ix, 30), &c);
    assert_true(id_index_remove(&ix, 30));
    assert_true(id_index_remove(&ix, 10));
    assert_false(id_index_remove(&ix, 10));
    id_index_put(&ix, 5, &a);
    id_index_clear(&ix);
    assert_int_equal(ix.n, 0);
    assert_null(id_index_get(&ix, 5));
    id_index_fini(&ix);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_puts_in_any_order_and_finds),
        cmocka_unit_test(test_removes_only_its_id),
    };

    return cmocka_run_group_tests_name("id_index", tests, NULL, NULL);
}
