/* SPDX-License-Identifier: MIT */
/* The daemon's state, passed down instead of globals. */
#ifndef PERCH_PERCHD_PERCHD_H
#define PERCH_PERCHD_PERCHD_H

#include <stdbool.h>
#include <uv.h>

#include "config.h"

struct core;
struct relay;
struct tls_context;

struct perchd {
    uv_loop_t *loop;
    char *dir;
    char *config_path;
    char *tls_listen_override;
    char *plain_listen_override;
    struct perchd_config cfg;
    struct core *core;
    struct relay *relay;
    struct tls_context *tls;
    uv_signal_t sig_term;
    uv_signal_t sig_int;
    uv_signal_t sig_hup;
    bool quitting;
};

/* Creates the data dir, config, certificate and password on first run.
 * Returns 0, or -1 after printing why. */
int perchd_firstrun(struct perchd *d);
/* Loads (or reloads) the config, applying PERCH_PASSWORD and command-line
 * overrides; on failure the running config is kept. Returns 0 or -1. */
int perchd_load_config(struct perchd *d, struct perchd_config *out, char *err, size_t err_len);

#endif
