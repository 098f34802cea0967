/* SPDX-License-Identifier: MIT */
/* The descriptors an upgrade state names, each named once. */
#include "upgrade_fds.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/xalloc.h"

static int
fds_compare(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static void
fds_collect(const struct pjson *number, int **fds, size_t *n, size_t *cap)
{
    int fd = (int)pjson_integer(number, 0, INT_MAX, -1);

    if (fd < 0)
        return;
    if (*n == *cap)
        *fds = xrealloc(*fds, (*cap = *cap ? 2 * *cap : 16) * sizeof(**fds));
    (*fds)[(*n)++] = fd;
}

int
perchd_upgrade_check_fds(const struct pjson *state, char *err, size_t err_len)
{
    const struct pjson *relay = pjson_get(state, "relay");
    int *fds = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    fds_collect(pjson_get(state, "reply_fd"), &fds, &n, &cap);
    fds_collect(pjson_get(state, "lock_fd"), &fds, &n, &cap);
    pjson_for_each (l, pjson_get(relay, "listeners"))
        fds_collect(pjson_get(l, "fd"), &fds, &n, &cap);
    pjson_for_each (c, pjson_get(relay, "clients"))
        fds_collect(pjson_get(c, "fd"), &fds, &n, &cap);
    pjson_for_each (link, pjson_get(pjson_get(state, "irc"), "links")) {
        if (pjson_true(pjson_get(link, "kept")))
            fds_collect(pjson_get(link, "fd"), &fds, &n, &cap);
    }
    if (n > 1)
        qsort(fds, n, sizeof(*fds), fds_compare);
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (fds[i] == fds[i - 1]) {
            snprintf(err, err_len, "descriptor %d is named twice", fds[i]);
            rc = -1;
        }
    }
    free(fds);
    return rc;
}
