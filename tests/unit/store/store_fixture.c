/* SPDX-License-Identifier: MIT */
#include "store_fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "unit_test.h"

static void
fixture_open(struct store_fixture *f)
{
    char err[256];

    f->core = core_new(100, "0.1.0");
    f->store = store_open(f->path, err, sizeof(err));
    assert_non_null(f->store);
    assert_int_equal(store_load(f->store, f->core, err, sizeof(err)), 0);
    store_follow(f->store, f->core);
    assert_int_equal(store_attach(f->store, err, sizeof(err)), 0);
}

int
store_fixture_setup(void **state)
{
    struct store_fixture *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/perch-store-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/perch.db", f->dir);
    fixture_open(f);
    *state = f;
    return 0;
}

void
store_fixture_reopen(struct store_fixture *f)
{
    store_close(f->store);
    core_free(f->core);
    fixture_open(f);
}

int
store_fixture_teardown(void **state)
{
    struct store_fixture *f = *state;
    DIR *d;
    struct dirent *e;
    char path[400];

    store_close(f->store);
    core_free(f->core);
    if ((d = opendir(f->dir))) {
        while ((e = readdir(d))) {
            snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
            if (e->d_name[0] != '.')
                unlink(path);
        }
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}
