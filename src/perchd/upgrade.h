/* SPDX-License-Identifier: MIT */
/*
 * Upgrade in place: the `upgrade` event to synced clients, TLS clients closed with 1012
 * and close_notify, the state saved, listeners and plain connections kept across execve
 * of the perchd binary on disk, and everything restored by the new process.
 */
#ifndef PERCH_PERCHD_UPGRADE_H
#define PERCH_PERCHD_UPGRADE_H

#include <stddef.h>

struct perchd;

/* Starts an upgrade. reply_fd (or -1) gets "ok" from the new process or "error: ..." from
 * this one. Returns 0 when started, -1 with err when refused at once. */
int perchd_upgrade(struct perchd *d, int reply_fd, char *err, size_t err_len);
/* In the new process: restores the state file written by the old one. 0 or -1 with err. */
int perchd_upgrade_restore(struct perchd *d, char *err, size_t err_len);

/* A normal start warns about a state file an unfinished upgrade left behind (kept). */
void perchd_upgrade_check_leftover(struct perchd *d);

#endif
