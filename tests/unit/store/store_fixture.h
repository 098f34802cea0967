/* SPDX-License-Identifier: MIT */
/* A store in a directory of its own, following a new core: perchd's start on an empty data
 * dir, for the store's unit tests. */
#ifndef PERCH_TEST_STORE_FIXTURE_H
#define PERCH_TEST_STORE_FIXTURE_H

struct core;
struct store;

struct store_fixture {
    char dir[64];
    char path[96]; /* dir/perch.db */
    struct core *core;
    struct store *store;
};

/* cmocka setup and teardown: *state is the fixture; teardown closes the store and removes
 * the directory with everything the test left in it. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);
/* Closes the store and the core, then opens both again from the file: perchd's restart. */
void store_fixture_reopen(struct store_fixture *f);

#endif
