/* SPDX-License-Identifier: MIT */
/* The store's retention, run by a timer of perchd's loop in small steps. */
#ifndef PERCH_PERCHD_RETENTION_H
#define PERCH_PERCHD_RETENTION_H

struct perchd;

/* Sets up the timer (stopped); call once the store is open. */
void perchd_retention_init(struct perchd *d);
/* Gives the store the rules of d->cfg ([store]) and starts or stops the timer to match;
 * at start and after each reload. */
void perchd_retention_apply(struct perchd *d);
/* Closes the timer (quit, or a start that failed). */
void perchd_retention_close(struct perchd *d);

#endif
