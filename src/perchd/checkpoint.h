/* SPDX-License-Identifier: MIT */
/* The history's write-ahead log copied into the database file by a worker thread. */
#ifndef PERCH_PERCHD_CHECKPOINT_H
#define PERCH_PERCHD_CHECKPOINT_H

struct perchd;

void perchd_checkpoint_start(struct perchd *d);
void perchd_checkpoint_close(struct perchd *d);

#endif
