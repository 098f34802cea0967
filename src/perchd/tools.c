/* SPDX-License-Identifier: MIT */
/* The maintenance tools: each runs on a data dir no daemon uses, and says how it went. */
#include "tools.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "store/store.h"

static int
tools_check(const char *db, const char *arg, char *err, size_t err_len)
{
    (void)arg;
    return store_check(db, stdout, err, err_len);
}

static int
tools_export(const char *db, const char *arg, char *err, size_t err_len)
{
    return store_export_logs(db, arg, stdout, err, err_len);
}

static int
tools_import(const char *db, const char *arg, char *err, size_t err_len)
{
    return store_import_logs(db, arg, stdout, err, err_len);
}

static const struct {
    const char *name;
    bool makes_dir; /* the data dir may be new (an import into a fresh one) */
    int (*run)(const char *db, const char *arg, char *err, size_t err_len);
} tools[] = {
    { "check-db", false, tools_check },
    { "export-logs", false, tools_export },
    { "import-weechat-logs", true, tools_import },
};

#define N_TOOLS (sizeof(tools) / sizeof(tools[0]))

int
perchd_tools_run(const char *dir, const char *name, const char *arg)
{
    char db[4200], err[1024] = "";
    size_t i = 0;
    struct stat sb;
    int lock, rc;

    while (i < N_TOOLS && strcmp(tools[i].name, name) != 0)
        i++;
    if (i == N_TOOLS)
        return 1;
    if (tools[i].makes_dir && mkdir(dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "perchd: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    errno = 0;
    if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "perchd: %s: not a data dir (%s)\n", dir,
                errno ? strerror(errno) : "not a directory");
        return 1;
    }
    /* The daemon's own lock: no daemon can start while a tool runs, nor the reverse. */
    lock = perchd_lock_acquire(dir, err, sizeof(err));
    if (lock < 0) {
        fprintf(stderr, "perchd: %s%s%s%s\n", err, lock == -EAGAIN ? ": --" : "",
                lock == -EAGAIN ? name : "",
                lock == -EAGAIN ? " needs the database to itself; stop the daemon first "
                                  "(perchd --quit)"
                                : "");
        return 1;
    }
    snprintf(db, sizeof(db), "%s/perch.db", dir);
    rc = tools[i].run(db, arg, err, sizeof(err));
    fflush(stdout);
    if (rc < 0)
        fprintf(stderr, "perchd: %s\n", err);
    else if (rc > 0)
        fprintf(stderr, "perchd: %s: problems found (listed above)\n", db);
    close(lock);
    return rc == 0 ? 0 : 1;
}
