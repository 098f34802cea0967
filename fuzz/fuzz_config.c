/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes perchd.conf as perchd reads it at start-up and at every reload (SIGHUP): the INI
 * text, every option's value, the [irc.server.NAME] sections and the checks of the whole.
 * A file is either taken, whole and valid, or refused with a one-line reason; a taken one
 * read again gives the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/log.h"
#include "perchd/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
load(const char *path, struct perchd_config *cfg, char *err, size_t err_len)
{
    err[0] = '\0';
    return perchd_config_load(cfg, path, "/nonexistent-perch-dir", err, err_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct perchd_config cfg, again;
    char path[64], err[512], err2[512];
    int fd = memfd_create("perchd.conf", 0), rc;

    log_set_level(LOG_LEVEL_ERROR);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    rc = load(path, &cfg, err, sizeof(err));
    if (rc < 0) {
        /* A reason for the log, on one line. */
        if (!err[0] || strchr(err, '\n'))
            abort();
    } else {
        if (load(path, &again, err2, sizeof(err2)) != 0 ||
            perchd_config_fixed_change(&cfg, &again) != NULL)
            abort();
        perchd_config_fini(&again);
        perchd_config_fini(&cfg);
    }
    close(fd);
    return 0;
}
