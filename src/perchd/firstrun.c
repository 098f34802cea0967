/* SPDX-License-Identifier: MIT */
/* First run in an empty data dir: config, self-signed certificate, random password. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "lock.h"
#include "perchd.h"
#include "tls/context.h"
#include "tls/crypto.h"

/* mkdir -p with mode 0700 for what it creates. */
static int
firstrun_mkdirs(const char *path)
{
    char tmp[4096];
    size_t len = strlen(path);

    if (len >= sizeof(tmp))
        return -ENAMETOOLONG;
    memcpy(tmp, path, len + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

/* 24 characters from an unambiguous alphabet: about 136 bits. */
static int
firstrun_password(char out[25])
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char bytes[24];

    if (tls_random(bytes, sizeof(bytes)) < 0)
        return -EIO;
    for (size_t i = 0; i < sizeof(bytes); i++)
        out[i] = alphabet[bytes[i] % (sizeof(alphabet) - 1)];
    out[24] = '\0';
    return 0;
}

static int
firstrun_config(struct perchd *d)
{
    char password[25], err[512];
    const char *env = getenv("PERCH_PASSWORD");

    if (access(d->config_path, F_OK) == 0)
        return 0;
    if (!env && firstrun_password(password) < 0) {
        fprintf(stderr, "perchd: cannot generate a password\n");
        return -1;
    }
    if (perchd_config_write_default(d->config_path, env ? "" : password, err, sizeof(err)) < 0) {
        fprintf(stderr, "perchd: %s\n", err);
        return -1;
    }
    fprintf(stderr, "perchd: created %s\n", d->config_path);
    if (!env)
        fprintf(stderr,
                "perchd: relay password (shown once, stored in the config): %s\n"
                "perchd: try: curl -k -u plain:%s https://127.0.0.1:9000/api/version\n",
                password, password);
    return 0;
}

static int
firstrun_certificate(struct perchd *d)
{
    char err[512], tls_dir[4096];

    if (access(d->cfg.tls_cert, F_OK) == 0 || access(d->cfg.tls_key, F_OK) == 0)
        return 0;
    snprintf(tls_dir, sizeof(tls_dir), "%s", d->cfg.tls_cert);
    char *slash = strrchr(tls_dir, '/');
    if (slash) {
        *slash = '\0';
        firstrun_mkdirs(tls_dir);
    }
    if (tls_selfsigned_create(d->cfg.tls_cert, d->cfg.tls_key, "perchd", err, sizeof(err)) < 0) {
        fprintf(stderr, "perchd: %s\n", err);
        return -1;
    }
    fprintf(stderr, "perchd: created a self-signed certificate %s\n", d->cfg.tls_cert);
    return 0;
}

int
perchd_firstrun(struct perchd *d)
{
    char err[512];
    int rc = firstrun_mkdirs(d->dir);

    if (rc < 0) {
        fprintf(stderr, "perchd: cannot create %s: %s\n", d->dir, strerror(-rc));
        return -1;
    }
    /* One daemon per data dir from here on, so that even the first run's files are made
     * by one process. After an upgrade the lock comes with the state instead. */
    if (!d->restore && (d->lock_fd = perchd_lock_acquire(d->dir, err, sizeof(err))) < 0) {
        fprintf(stderr, "perchd: %s\n", err);
        return -1;
    }
    if (firstrun_config(d) < 0)
        return -1;
    if (perchd_load_config(d, &d->cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "perchd: %s\n", err);
        return -1;
    }
    if (d->cfg.tls_listen[0] && firstrun_certificate(d) < 0)
        return -1;
    return 0;
}
