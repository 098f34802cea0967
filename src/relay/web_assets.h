/* SPDX-License-Identifier: MIT */
/* The web client's files, embedded at build time by scripts/webgen.py (web_assets.c). */
#ifndef PERCH_RELAY_WEB_ASSETS_H
#define PERCH_RELAY_WEB_ASSETS_H

#include <stddef.h>

enum relay_web_variant {
    RELAY_WEB_IDENTITY,
    RELAY_WEB_GZIP,
    RELAY_WEB_ZSTD,
    RELAY_WEB_N_VARIANTS,
};

struct relay_web_bytes {
    const unsigned char *data; /* NULL when this variant was not made (not smaller, no zstd) */
    size_t len;
};

struct relay_web_asset {
    const char *path;         /* "/index.html", "/js/app.js" */
    const char *content_type; /* by extension */
    const char *cache;        /* the Cache-Control value */
    const char *etag;         /* SHA-256 prefix of the identity bytes, hex, unquoted */
    struct relay_web_bytes variants[RELAY_WEB_N_VARIANTS];
};

/* Sorted by path; relay_web_n_assets entries, then one of NULLs (an empty web/ stays valid C). */
extern const struct relay_web_asset relay_web_assets[];
extern const size_t relay_web_n_assets;

#endif
