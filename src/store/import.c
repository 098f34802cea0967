/* SPDX-License-Identifier: MIT */
/* perchd --import-weechat-logs: WeeChat log files into histories perch does not have yet. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "core/line.h"
#include "internal.h"
#include "weechatlog.h"

/* A longer line of a file does not parse; a message with its continuation lines stops
 * growing at the second limit (the lines past it do not parse either). */
#define IMPORT_LINE_MAX    (64 * 1024)
#define IMPORT_MESSAGE_MAX (1024 * 1024)

/* One file being read into one history, in one transaction. */
struct import_file {
    struct store *st;
    FILE *f;
    int64_t log_id;
    int64_t next_id; /* ids of a history count from 0, in the order of the file */
    struct buf line;
    /* The message read last waits for continuation lines before it is written. */
    bool pending;
    int64_t date_us;
    char *prefix;
    struct buf message;
    size_t n_lines, n_bad;
    bool failed;
};

/* Reads a line without its line feed (or CR LF); false at the end of the file. */
static bool
import_read_line(struct import_file *im, bool *too_long)
{
    char chunk[4096];
    bool any = false;

    buf_reset(&im->line);
    *too_long = false;
    while (fgets(chunk, sizeof(chunk), im->f)) {
        size_t len = strlen(chunk);
        bool eol = len && chunk[len - 1] == '\n';
        any = true;
        if (eol)
            len--;
        if (!*too_long && buf_append(&im->line, chunk, len) < 0)
            *too_long = true;
        if (eol)
            break;
    }
    if (im->line.len && im->line.data[im->line.len - 1] == '\r')
        im->line.data[--im->line.len] = '\0';
    return any;
}

/* Writes the waiting message as the history's next line, with its search entry. */
static void
import_flush(struct import_file *im)
{
    struct core_line_spec spec = {
        .prefix = im->prefix,
        .message = im->message.data ? im->message.data : "",
        .date_us = im->date_us,
        .y = -1,
    };
    struct core_line *line;

    if (!im->pending)
        return;
    im->pending = false;
    line = core_line_new(&spec, im->date_us);
    line->id = im->next_id++;
    if (!im->failed && !store__write_line(im->st, im->log_id, line))
        im->failed = true;
    im->n_lines++;
    core_line_free(line);
    free(im->prefix);
    im->prefix = NULL;
    buf_reset(&im->message);
}

static void
import_take_line(struct import_file *im, bool too_long)
{
    const char *text = im->line.data ? im->line.data : "";
    struct store_weechatlog_line parsed;

    if (!too_long && store_weechatlog_parse(text, im->line.len, &parsed) == 0) {
        import_flush(im);
        im->pending = true;
        im->date_us = parsed.date_us;
        im->prefix = xstrndup(parsed.prefix, parsed.prefix_len);
        if (buf_append(&im->message, parsed.message, parsed.message_len) == 0)
            return;
        im->pending = false;
        free(im->prefix);
        im->prefix = NULL;
    } else if (!too_long && im->pending &&
               im->message.len + 1 + im->line.len <= IMPORT_MESSAGE_MAX) {
        /* WeeChat writes the further lines of a message without a date. */
        buf_append_char(&im->message, '\n');
        buf_append(&im->message, text, im->line.len);
        return;
    }
    im->n_bad++;
}

static bool
import_exists(struct store *st, const char *sql, int64_t log_id)
{
    sqlite3_stmt *s;
    bool found = true;

    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, log_id);
        found = sqlite3_step(s) != SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return found;
}

/*
 * The history a file may go into: ids count up with time in each history, so lines
 * older than the stored ones would need ids below them. Only a history perch does not
 * have (*log_id -1), or one with no line and no buffer to continue its ids, takes a file.
 * NULL, or why the file is skipped.
 */
static const char *
import_target(struct store *st, const char *name, int64_t *log_id)
{
    sqlite3_stmt *s = store__stmt(st, STORE_FIND_LOG);

    *log_id = -1;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        *log_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (*log_id < 0)
        return NULL;
    if (import_exists(st, "SELECT 1 FROM lines WHERE log_id = ?", *log_id))
        return "it holds lines already";
    if (import_exists(st, "SELECT 1 FROM buffers WHERE log_id = ?", *log_id))
        return "a buffer writes to it";
    return NULL;
}

static int64_t
import_new_log(struct store *st, const char *name)
{
    sqlite3_stmt *s = store__stmt(st, STORE_NEW_LOG);
    int64_t id;

    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, -1);
    id = sqlite3_step(s) == SQLITE_DONE ? sqlite3_last_insert_rowid(st->db) : -1;
    sqlite3_reset(s);
    return id;
}

/* Reads the whole file in the open transaction; false when something failed. */
static bool
import_read(struct import_file *im, const char *name)
{
    bool too_long;

    if (im->log_id < 0 && (im->log_id = import_new_log(im->st, name)) < 0)
        return false;
    while (!im->failed && import_read_line(im, &too_long))
        import_take_line(im, too_long);
    import_flush(im);
    return !im->failed;
}

/* One file, whole or not at all. 0 (imported, or skipped with the reason), -1 (err). */
static int
import_one(struct store *st, const char *path, const char *name, FILE *out, char *err,
           size_t err_len)
{
    struct import_file im = { .st = st };
    const char *skip = import_target(st, name, &im.log_id);
    bool ok;

    if (skip) {
        fprintf(out,
                "skipped %s: perch has a history \"%s\" and %s (files go only into new "
                "histories)\n",
                path, name, skip);
        return 0;
    }
    if (!(im.f = fopen(path, "re"))) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    buf_init(&im.line, IMPORT_LINE_MAX);
    buf_init(&im.message, IMPORT_MESSAGE_MAX);
    ok = store__exec(st, "BEGIN IMMEDIATE") == 0 && import_read(&im, name);
    if (ok && ferror(im.f))
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
    else if (!ok)
        snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
    ok = ok && !ferror(im.f);
    if (ok && im.n_lines == 0) {
        fprintf(out, "skipped %s: no line to import (%zu did not parse)\n", path, im.n_bad);
        store__exec(st, "ROLLBACK");
        store__index_rolled_back(st);
    } else if (ok && store__index_drain(st) && store__exec(st, "COMMIT") == 0) {
        store__index_committed(st);
        fprintf(out, "imported %s: %zu lines into \"%s\", %zu lines did not parse\n", path,
                im.n_lines, name, im.n_bad);
    } else {
        if (ok)
            snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
        store__exec(st, "ROLLBACK");
        store__index_rolled_back(st);
        ok = false;
    }
    fclose(im.f);
    buf_fini(&im.line);
    buf_fini(&im.message);
    free(im.prefix);
    return ok ? 0 : -1;
}

static int
import_compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files dir/ *.weechatlog, sorted; NULL with err when dir cannot be read. */
static char **
import_list(const char *dir, size_t *n, char *err, size_t err_len)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t suffix_len = strlen(STORE_WEECHATLOG_SUFFIX);

    *n = 0;
    if (!d) {
        snprintf(err, err_len, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= suffix_len || strcmp(e->d_name + len - suffix_len, STORE_WEECHATLOG_SUFFIX))
            continue;
        names = xrealloc(names, (*n + 1) * sizeof(*names));
        names[(*n)++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof(*names), import_compare_names);
    return names ? names : xcalloc(1, sizeof(*names));
}

int
store_import_logs(const char *path, const char *dir, FILE *out, char *err, size_t err_len)
{
    size_t n, n_failed = 0, suffix_len = strlen(STORE_WEECHATLOG_SUFFIX);
    char **names = import_list(dir, &n, err, err_len), file_err[600];
    struct store *st;

    if (!names)
        return -1;
    st = n ? store_open(path, err, err_len) : NULL;
    for (size_t i = 0; st && i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *file = xmalloc(len), *name = xstrndup(names[i], strlen(names[i]) - suffix_len);
        struct stat sb;
        snprintf(file, len, "%s/%s", dir, names[i]);
        if (stat(file, &sb) == 0 && !S_ISREG(sb.st_mode)) {
            fprintf(out, "skipped %s: not a file\n", file);
        } else if (import_one(st, file, name, out, file_err, sizeof(file_err)) < 0) {
            fprintf(out, "failed %s\n", file_err);
            n_failed++;
        }
        free(file);
        free(name);
    }
    if (n == 0)
        fprintf(out, "no %s file in %s\n", STORE_WEECHATLOG_SUFFIX, dir);
    if (st && n_failed)
        snprintf(err, err_len, "%zu of %zu files could not be imported (listed above)", n_failed,
                 n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (n && !st)
        return -1;
    store_close(st);
    return n_failed ? -1 : 0;
}
