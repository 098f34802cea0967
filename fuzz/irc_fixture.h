/* SPDX-License-Identifier: MIT */
/* What the IRC fuzz targets share: a core and the IRC client on a loop of their own, with
 * timings long enough that no timer fires during a run, and their checked teardown. */
#ifndef PERCH_FUZZ_IRC_FIXTURE_H
#define PERCH_FUZZ_IRC_FIXTURE_H

#include <uv.h>

struct core;
struct irc;

struct fuzz_irc {
    uv_loop_t loop;
    struct core *core;
    struct irc *irc;
};

/* Quiets the log and makes the loop, the core and the IRC client (no network yet). */
void fuzz_irc_start(struct fuzz_irc *f);
/* After the caller removed its networks: runs what that left on the loop, frees the IRC
 * client and the core, and aborts if the loop still holds a handle. */
void fuzz_irc_finish(struct fuzz_irc *f);

#endif
