/* SPDX-License-Identifier: MIT */
/*
 * The control socket (DIR/control.sock, owner only): `perchd --quit`, `--reload` and
 * `--upgrade` ask the running daemon of a data dir to act, and wait for the outcome.
 */
#ifndef PERCH_PERCHD_CONTROL_H
#define PERCH_PERCHD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

struct perchd;

/* Listens on DIR/control.sock. Returns 0, or -1 with a reason in err (another daemon
 * already serves this dir, or the socket cannot be made). */
int perchd_control_listen(struct perchd *d, char *err, size_t err_len);
/* Stops listening, removes the socket file and closes clients still sending. */
void perchd_control_close(struct perchd *d);
/* Closes the client connection whose descriptor is fd (an upgrade's requester, once
 * it has its answer). */
void perchd_control_release(struct perchd *d, int fd);

/* True when fd is a control client's connection to DIR/control.sock (an upgrade's
 * requester, handed over): nothing else gets the upgrade's answer. */
bool perchd_control_is_client(const char *dir, int fd);

/* The client side: sends command ("quit", "reload", "upgrade") to the daemon of dir,
 * prints the outcome and returns the process exit code (0 done, 1 failed or no daemon). */
int perchd_control_run(const char *dir, const char *command);

#endif
