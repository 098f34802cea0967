/* SPDX-License-Identifier: MIT */
/* The settings the relay reads; owned by perchd, swapped whole on reload. */
#ifndef PERCH_RELAY_CONFIG_H
#define PERCH_RELAY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct relay_network {
    uint8_t addr[16]; /* IPv4 addresses as ::ffff:a.b.c.d */
    int prefix_len;   /* in IPv6 terms */
};

/* Failed-login throttling per address group (relay/throttle.c). */
struct relay_throttle_config {
    int fail_limit;          /* failed logins within fail_period that block; 0 = off */
    uint64_t fail_period_ms; /* failures older than this are forgotten */
    uint64_t fail_delay_ms;  /* each failure after the first in a period waits this longer */
    uint64_t block_min_ms;   /* the first block; each next one lasts twice as long */
    uint64_t block_max_ms;   /* ... up to this */
};

struct relay_config {
    char *password;      /* may be empty only with a stored hash */
    char *password_hash; /* "pbkdf2+sha512:ITER:SALT_HEX:HASH_HEX" or NULL */
    char *totp_secret;   /* base32, empty = no TOTP */
    char *hash_algos;    /* patterns: "*", "pbkdf2+*,!plain" */
    char *api_version;   /* announced by GET /api/version: "0.4.1" or "0.6.0" */
    int hash_iterations;
    int time_window_s;
    int totp_window;
    int compression; /* 0 = none, 1..100 */
    int max_clients; /* authenticated connections */
    struct relay_throttle_config throttle;
    int unauth_max;                 /* connections not authenticated yet, in total */
    int unauth_max_per_addr;        /* ... from one address group (IPv4 address, IPv6 /64) */
    uint64_t auth_timeout_ms;       /* from accept to the first authenticated request */
    struct relay_network *networks; /* allowed client networks; none = all */
    size_t n_networks;
    size_t max_header_bytes;
    size_t max_body_bytes;
    int max_json_depth;
    uint64_t request_timeout_ms;  /* a started request must complete within this */
    uint64_t idle_timeout_ms;     /* an idle keep-alive connection is closed after this */
    uint64_t ws_ping_interval_ms; /* a silent WebSocket client is pinged after this */
    uint64_t ws_ping_timeout_ms;  /* and closed if nothing arrives within this */
    size_t write_queue_max;
    uint64_t close_grace_ms;
    unsigned char token_key[32]; /* the data dir's secret for login tokens (token.h) */
    bool token_key_set;
    uint64_t token_lifetime_ms; /* 0: no tokens */
};

#endif
