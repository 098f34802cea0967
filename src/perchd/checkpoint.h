/* SPDX-License-Identifier: MIT */
/* Upkeep of the history: its write-ahead log copied into the database file by a worker
 * thread, and its search index written and merged in short steps on the loop. */
#ifndef PERCH_PERCHD_CHECKPOINT_H
#define PERCH_PERCHD_CHECKPOINT_H

struct perchd;

void perchd_checkpoint_start(struct perchd *d);
void perchd_checkpoint_close(struct perchd *d);
/* After a commit: index steps go on every few milliseconds while work waits. */
void perchd_index_kick(struct perchd *d);

#endif
