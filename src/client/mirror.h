/* SPDX-License-Identifier: MIT */
/*
 * The relay's buffers as perch knows them: which buffers there are, the last line shown of
 * each, and paging back after a reconnect so that every line is shown once and in order. Fed
 * the relay's messages as they come (untrusted: anything may be in them), it tells the view
 * what to show and asks for pages through a callback. No I/O.
 */
#ifndef PERCH_CLIENT_MIRROR_H
#define PERCH_CLIENT_MIRROR_H

#include <stddef.h>

struct live_view;
struct client_mirror;

/* What a message said about the relay's process. */
enum client_mirror_news {
    CLIENT_MIRROR_NOTHING,
    CLIENT_MIRROR_GOODBYE, /* quit or upgrade: the connection ends on purpose */
    CLIENT_MIRROR_BACK,    /* upgrade_ended: the relay goes on, on this connection */
};

/* colors is the colors= of the pages asked for; send(send_data, json) sends a request. */
struct client_mirror *client_mirror_new(const struct live_view *view, const char *colors,
                                        void (*send)(void *data, const char *json),
                                        void *send_data);
/* Accepts NULL. */
void client_mirror_free(struct client_mirror *m);
/* One text message of the relay: an event, or the answer to a request (the initial sync's
 * answer has the request id "initial_sync"). */
enum client_mirror_news client_mirror_feed(struct client_mirror *m, const char *msg, size_t len);
/* The connection is gone: lines held while paging back are dropped unshown (the next initial
 * sync brings them again). */
void client_mirror_disconnected(struct client_mirror *m);

#endif
