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

struct core;
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
/* False after a write failed, until a commit succeeds again. */
bool store_healthy(const struct store *st);
/* The reason of the last failure ("" when none). */
const char *store_error(const struct store *st);

/* Lines written per transaction at most: a flood is committed in steps this size. */
#define STORE_BATCH_MAX 2000

#endif
