/* SPDX-License-Identifier: MIT */
/*
 * Durable history (SQLite, one file, WAL): buffers with their properties, every line of
 * formatted buffers, the hotlist and the id counters. Changes are written as the core
 * announces them, in one transaction per loop iteration (bounded), and committed before
 * anything is sent to a client (store_commit).
 */
#ifndef PERCH_STORE_STORE_H
#define PERCH_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct core;
struct histogram;
struct store;

/* Opens or creates the database at path and brings its schema up to date. A database
 * written by a newer perchd is refused, untouched. NULL with a reason in err. */
struct store *store_open(const char *path, char *err, size_t err_len);
/* Commits what is pending and closes. Accepts NULL. */
void store_close(struct store *st);

/* Replaces the core's buffers, hotlist and id counters with the stored ones, each
 * formatted buffer with its last max_lines lines. Nothing stored yet: nothing changes.
 * 0, or -1 with a reason in err. */
int store_load(struct store *st, struct core *core, char *err, size_t err_len);
/* Starts writing every change the core announces (call before anything else subscribes,
 * so that a reopened buffer has its history before others hear of it), and answers
 * the core's history requests. */
void store_follow(struct store *st, struct core *core);
/* Takes the core's buffers as they are (after an upgrade restored them from memory):
 * any the database does not know are added with their lines. 0, or -1 with err. */
int store_attach(struct store *st, char *err, size_t err_len);
/* Stops following the core (before it is freed). */
void store_unfollow(struct store *st);
/* One short step (about a millisecond) of search index upkeep: waiting entries written
 * or segments merged. True when more work waits (call again soon). */
bool store_index_step(struct store *st);
/* How long a stored line's entry waits for the others of its batch (default 100 ms). */
void store_index_delay_set(struct store *st, uint64_t ms);

/* A named value kept with the history (the IRC networks' settings): NULL when absent;
 * caller frees. */
char *store_meta_get(struct store *st, const char *key);
/* Written in the open transaction, committed with it. */
void store_meta_put(struct store *st, const char *key, const char *value);

/* Commits the open transaction. On failure everything since the last commit is rolled
 * back, its lines are removed from the core (they were never shown) and -1 is returned;
 * the buffers stay marked for the next commit. */
int store_commit(struct store *st);
/* True for a line a failed commit took back from the core (until store_forget_lost). */
bool store_line_lost(const struct store *st, int64_t buffer_id, int64_t line_id);
void store_forget_lost(struct store *st);
/* How long the commits that had something to write took (for metrics; owned by st). */
const struct histogram *store_commit_latency(const struct store *st);
/* Copies the write-ahead log into the database file (and fsyncs it) through a connection
 * of its own: safe from another thread while the loop writes. 0, or SQLite's result code,
 * which store_checkpoint_error() names (busy, disk full, ...). */
int store_checkpoint(const char *path);
const char *store_checkpoint_error(int rc);
const char *store_path(const struct store *st);
/* The reason of the last failure ("" when none). */
const char *store_error(const struct store *st);

/* Lines written per transaction at most: a flood is committed in steps this size. */
#define STORE_BATCH_MAX 2000

/* ---- retention (retention.c) ---- */

/* The rules: lines older than max_age_days go (except those an open buffer holds in
 * memory), and each history keeps its max_lines_per_buffer newest ids (in memory or
 * not); 0 turns a rule off. Takes effect at the next step. */
void store_retention_set(struct store *st, int max_age_days, int64_t max_lines_per_buffer);
/* True when a rule is on (the caller then calls store_retention_step regularly). */
bool store_retention_enabled(const struct store *st);
/* Deletes at most max_rows lines (with their search entries), oldest first, looking at a
 * few histories per call, then hands freed pages back to the file system. Commits the
 * open batch first and runs in a transaction of its own, closed before it returns.
 * Returns the lines deleted, or -1 when the database refused (logged once). */
int store_retention_step(struct store *st, int64_t now_us, size_t max_rows);

/* ---- tools, run while no daemon uses the database (check.c, export.c, import.c) ---- */

/* Runs SQLite's and the search index's integrity checks on the database at path (never
 * created). Prints "ok" or one problem per line on out. 0 when ok, 1 when problems were
 * found, -1 when it could not check (reason in err). */
int store_check(const char *path, FILE *out, char *err, size_t err_len);
/* Writes each history of the database at path with lines as dir/<name>.weechatlog in
 * WeeChat's logger format (local time, colours stripped); files there are never
 * overwritten. Reports each file on out. 0, or -1 with a reason in err. */
int store_export_logs(const char *path, const char *dir, FILE *out, char *err, size_t err_len);
/* Imports dir/ *.weechatlog (named after the buffer, as WeeChat's default mask) into the
 * database at path (created if needed): a file goes into the history of its name only
 * when that history holds no line and no buffer, whole or not at all. Reports each file
 * on out (lines imported, lines that did not parse, files skipped). 0, or -1 when a
 * file or the database failed (reason in err; the other files are still imported). */
int store_import_logs(const char *path, const char *dir, FILE *out, char *err, size_t err_len);

#endif
