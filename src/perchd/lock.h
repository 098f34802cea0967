/* SPDX-License-Identifier: MIT */
/* One daemon per data dir: an flock on DIR/perchd.lock held for the daemon's life. */
#ifndef PERCH_PERCHD_LOCK_H
#define PERCH_PERCHD_LOCK_H

#include <stdbool.h>
#include <stddef.h>

/* Opens and locks DIR/perchd.lock. Returns the descriptor (close-on-exec) to keep
 * open, or with a reason in err -EAGAIN (another process holds it) or -1 (it cannot be
 * made). */
int perchd_lock_acquire(const char *dir, char *err, size_t err_len);
/* The lock an upgrade handed over as descriptor fd (-1: none, from
 * a perchd without one), checked: it must be DIR/perchd.lock,
 * and locked by this process. Anything else is left untouched and the lock is taken anew
 * as perchd_lock_acquire() takes it (so a second daemon for DIR is refused). Returns the
 * descriptor to keep, or as perchd_lock_acquire(). */
int perchd_lock_adopt(const char *dir, int fd, char *err, size_t err_len);
/* Sets or clears close-on-exec on the lock: an upgrade passes it to the new process. */
void perchd_lock_set_inherited(int fd, bool inherited);

#endif
