/* SPDX-License-Identifier: MIT */
/* Names shared between net/ files only. */
#ifndef PERCH_NET_INTERNAL_H
#define PERCH_NET_INTERNAL_H

#include <uv.h>

#include "conn.h"

struct tls_context;

/* Creates a connection for a freshly accepted socket (tls may be NULL). */
struct net_conn *net__conn_new(uv_loop_t *loop, struct tls_context *tls);
uv_stream_t *net__conn_stream(struct net_conn *conn);
/* Starts reading; closes the connection on failure. */
void net__conn_start(struct net_conn *conn);

#endif
