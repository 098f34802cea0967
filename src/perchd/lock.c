/* SPDX-License-Identifier: MIT */
/* The data dir lock: held from start to exit, and across upgrades by handing the fd over. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

#define LOCK_FILE "perchd.lock"

int
perchd_lock_acquire(const char *dir, char *err, size_t err_len)
{
    char path[4200];
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, LOCK_FILE) >= sizeof(path)) {
        snprintf(err, err_len, "%s: data dir path too long", dir);
        return -1;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* The lock goes with the process (or the descriptor handed over by an upgrade), so a
     * crashed daemon never leaves a stale one behind. */
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int held = errno == EWOULDBLOCK;
        if (held)
            snprintf(err, err_len, "another perchd already runs for %s", dir);
        else
            snprintf(err, err_len, "%s: %s", path, strerror(errno));
        close(fd);
        return held ? -EAGAIN : -1;
    }
    return fd;
}

int
perchd_lock_adopt(const char *dir, int fd, char *err, size_t err_len)
{
    char path[4200];
    struct stat held, named;

    snprintf(path, sizeof(path), "%s/%s", dir, LOCK_FILE);
    /* flock on the descriptor that holds the lock succeeds again; on any other it fails. */
    if (fd >= 0 && fstat(fd, &held) == 0 && stat(path, &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino &&
        flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    if (fd >= 0)
        log_warn("upgrade: descriptor %d is not the data dir's lock: taking the lock again", fd);
    return perchd_lock_acquire(dir, err, err_len);
}

void
perchd_lock_set_inherited(int fd, bool inherited)
{
    int flags = fcntl(fd, F_GETFD);

    if (fd >= 0 && flags >= 0)
        (void)fcntl(fd, F_SETFD, inherited ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC);
}
