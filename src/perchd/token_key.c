/* SPDX-License-Identifier: MIT */
/* The data dir's secret for login tokens (relay/token.h): DIR/token.key, 64 hex digits, made
 * on first use with mode 0600. Deleting it (and restarting) revokes every token. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/hex.h"
#include "base/log.h"
#include "perchd.h"
#include "tls/crypto.h"

#define KEY_HEX (2 * sizeof(((struct relay_config *)0)->token_key))

static int
token_key_create(const char *path, struct relay_config *cfg)
{
    char hex[KEY_HEX + 2];
    int fd;

    if (tls_random(cfg->token_key, sizeof(cfg->token_key)) < 0)
        return -EIO;
    hex_encode(cfg->token_key, sizeof(cfg->token_key), hex);
    hex[KEY_HEX] = '\n';
    hex[KEY_HEX + 1] = '\0';
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, hex, strlen(hex));
    int rc = n == (ssize_t)strlen(hex) && fsync(fd) == 0 ? 0 : -EIO;
    close(fd);
    tls_cleanse(hex, sizeof(hex));
    if (rc < 0)
        unlink(path);
    return rc;
}

void
perchd_token_key_load(const char *dir, struct relay_config *cfg)
{
    char path[4096], hex[KEY_HEX + 2] = "";
    FILE *f;
    int rc = 0;

    cfg->token_key_set = false;
    if ((size_t)snprintf(path, sizeof(path), "%s/token.key", dir) >= sizeof(path))
        return;
    f = fopen(path, "re");
    if (!f && errno == ENOENT)
        rc = token_key_create(path, cfg);
    else if (!f)
        rc = -errno;
    if (f) {
        size_t n = fread(hex, 1, sizeof(hex) - 1, f);
        fclose(f);
        while (n && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
            n--;
        if (n != KEY_HEX || hex_decode(hex, n, cfg->token_key) < 0) {
            log_warn("%s: not 64 hex digits: login tokens are off (delete it to make a new one)",
                     path);
            rc = 1;
        }
        tls_cleanse(hex, sizeof(hex));
    }
    if (rc < 0)
        log_warn("%s: %s: login tokens are off", path, strerror(-rc));
    cfg->token_key_set = rc == 0;
}
