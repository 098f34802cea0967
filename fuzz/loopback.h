/* SPDX-License-Identifier: MIT */
/* Real loopback sockets for the fuzz targets that take descriptors over (the *_restore
 * ones), and the check that nothing else of the process was touched. */
#ifndef PERCH_FUZZ_LOOPBACK_H
#define PERCH_FUZZ_LOOPBACK_H

#include <netinet/in.h>

/* A listening socket on 127.0.0.1 (a port of the kernel's choice, written to sa). */
int fuzz_loopback_listen(struct sockaddr_in *sa);
/* A socket connected to sa, and the listener's end of it. Each aborts on failure; a signal
 * (libFuzzer's timers) interrupting either is waited out. */
int fuzz_loopback_connect(const struct sockaddr_in *sa);
int fuzz_loopback_accept(int listener);
/* fd moved to descriptor at (fd closed). */
void fuzz_place(int fd, int at);

/* How many descriptors fuzz_fd_snapshot() looks at. */
#define FUZZ_FDS_WATCHED 1024
/* Each descriptor's flags (-1: closed) into flags[2 * FUZZ_FDS_WATCHED], those in
 * [first_own, first_own + n_own) (the target's own) left out. */
void fuzz_fd_snapshot(int *flags, int first_own, int n_own);

#endif
