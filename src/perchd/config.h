/* SPDX-License-Identifier: MIT */
/* perchd's configuration: one options table, an INI file (libinih), validated whole. */
#ifndef PERCH_PERCHD_CONFIG_H
#define PERCH_PERCHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "irc/irc.h"
#include "relay/config.h"

struct perchd_config {
    struct relay_config relay;
    struct irc_timing irc;
    char *tls_listen;   /* "" = no TLS listener */
    char *plain_listen; /* "" = no plain listener */
    char *tls_cert;     /* absolute after perchd_config_load() */
    char *tls_key;
    char *allowed_networks;
    char *log_level;
    int max_lines;
    int store_max_age_days;               /* 0 = no age limit */
    int store_max_lines;                  /* per history; 0 = no count limit */
    struct irc_network_def *irc_networks; /* [irc.server.NAME] sections, checked */
    size_t n_irc_networks;
    uint64_t store_index_delay_ms;
    bool metrics_relay;   /* GET /metrics on the relay's listeners, with credentials */
    char *metrics_listen; /* "" = no loopback metrics listener */
};

/* Fills cfg with the defaults of the options table. */
void perchd_config_defaults(struct perchd_config *cfg);
/*
 * Reads path over the defaults and validates everything; relative file names are
 * taken from dir. Returns 0, or -1 with a one-line reason in err (cfg then holds
 * nothing to free).
 */
int perchd_config_load(struct perchd_config *cfg, const char *path, const char *dir, char *err,
                       size_t err_len);
void perchd_config_fini(struct perchd_config *cfg);
/* Writes a commented config with every option at its default, password set. */
int perchd_config_write_default(const char *path, const char *password, char *err, size_t err_len);

/* The name of the first option that differs and cannot change without a restart, or NULL. */
const char *perchd_config_fixed_change(const struct perchd_config *a,
                                       const struct perchd_config *b);

#endif
