/* SPDX-License-Identifier: MIT */
/* perchd --export-logs: each history as a WeeChat log file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "core/color.h"
#include "internal.h"
#include "weechatlog.h"

struct export
{
    sqlite3 *db;
    const char *dir;
    FILE *out;
    char *err;
    size_t err_len;
};

/* dir/<name>.weechatlog, a '/' in the name written '_' as WeeChat's replacement_char. */
static char *
export_file_name(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + sizeof(STORE_WEECHATLOG_SUFFIX) + 2;
    char *path = xmalloc(len);

    snprintf(path, len, "%s/%s" STORE_WEECHATLOG_SUFFIX, dir, name);
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p == '/')
            *p = '_';
    }
    return path;
}

static void
export_line(FILE *f, sqlite3_stmt *row)
{
    char date[STORE_WEECHATLOG_DATE_LEN];
    const char *prefix = (const char *)sqlite3_column_text(row, 1);
    const char *message = (const char *)sqlite3_column_text(row, 2);
    char *plain_prefix = core_color_convert(prefix ? prefix : "", CORE_COLOR_STRIP);
    char *plain_message = core_color_convert(message ? message : "", CORE_COLOR_STRIP);

    store_weechatlog_date(sqlite3_column_int64(row, 0), date);
    fprintf(f, "%s\t%s\t%s\n", date, plain_prefix, plain_message);
    free(plain_prefix);
    free(plain_message);
}

/* Writes one history; a file of that name already there is an error, never replaced. */
static int
export_log(struct export *ex, int64_t log_id, const char *name)
{
    char *path = export_file_name(ex->dir, name);
    sqlite3_stmt *s = NULL;
    size_t n = 0;
    FILE *f = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc;

    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        snprintf(ex->err, ex->err_len, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        return -1;
    }
    rc = sqlite3_prepare_v2(
        ex->db, "SELECT date_us, prefix, message FROM lines WHERE log_id = ? ORDER BY id", -1, &s,
        NULL);
    sqlite3_bind_int64(s, 1, log_id);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(s)) != SQLITE_ROW)
            break;
        export_line(f, s);
        n++;
    }
    if (rc != SQLITE_DONE)
        snprintf(ex->err, ex->err_len, "%s: %s", name, sqlite3_errmsg(ex->db));
    sqlite3_finalize(s);
    if (fclose(f) != 0 && rc == SQLITE_DONE) {
        snprintf(ex->err, ex->err_len, "%s: %s", path, strerror(errno));
        rc = SQLITE_IOERR;
    }
    if (rc == SQLITE_DONE)
        fprintf(ex->out, "%s: %zu lines\n", path, n);
    free(path);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Every history holding lines, in the order they were made. */
static int
export_all(struct export *ex)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ex->db,
                                "SELECT id, name FROM logs WHERE EXISTS"
                                " (SELECT 1 FROM lines WHERE log_id = logs.id) ORDER BY id",
                                -1, &s, NULL);

    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(s)) != SQLITE_ROW)
            break;
        if (export_log(ex, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1)) <
            0) {
            sqlite3_finalize(s);
            return -1;
        }
    }
    if (rc != SQLITE_DONE)
        snprintf(ex->err, ex->err_len, "%s", sqlite3_errmsg(ex->db));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
store_export_logs(const char *path, const char *dir, FILE *out, char *err, size_t err_len)
{
    struct export ex = { .dir = dir, .out = out, .err = err, .err_len = err_len };
    int rc;

    err[0] = '\0';
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    ex.db = store__open_file(path, err, err_len);
    if (!ex.db)
        return -1;
    /* One read transaction: the files show the database at one moment. */
    rc = sqlite3_exec(ex.db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? export_all(&ex) : -1;
    if (rc < 0 && !err[0])
        snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(ex.db));
    sqlite3_exec(ex.db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(ex.db);
    return rc;
}
