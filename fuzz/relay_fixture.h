/* SPDX-License-Identifier: MIT */
/*
 * A relay over a small chat core for the fuzz targets that reach the api protocol:
 * a core with an IRC server buffer, a channel with lines and a nicklist, and a free
 * buffer. Building it costs more than most requests, so it is kept between inputs
 * and replaced after a request ran an input command: every run starts from the
 * same state.
 */
#ifndef PERCH_FUZZ_RELAY_FIXTURE_H
#define PERCH_FUZZ_RELAY_FIXTURE_H

#include <stdbool.h>
#include <uv.h>

struct pjson;
struct relay_config;

/* The loop of every relay a target makes: one for the whole process (making one per input
 * would cost more system calls than the code under test); each run leaves it empty. */
uv_loop_t *relay_fixture_loop(void);

/* The relay settings the targets use: cheap PBKDF2, JSON depth 32, api 0.6.0. */
const struct relay_config *relay_fixture_config(void);

/*
 * Routes one request as the relay would, with cfg (which must live as long as the
 * process; another one is swapped in as a reload would): body NULL when none was
 * sent. Checks that the printed answer is UTF-8, runs the input it queued (POST
 * /api/input) through the core's commands. Returns the status.
 */
int relay_fixture_route(const struct relay_config *cfg, const char *method, const char *target,
                        const struct pjson *body, bool is_websocket);

#endif
