/* SPDX-License-Identifier: MIT */
/*
 * A relay over a small chat core for the fuzz targets that reach the api protocol.
 * Building it costs more than most requests, so it is kept between inputs and only
 * rebuilt after an input changed it: every run starts from the same state.
 */
#ifndef PERCH_FUZZ_RELAY_FIXTURE_H
#define PERCH_FUZZ_RELAY_FIXTURE_H

#include <stdbool.h>

struct pjson;
struct relay_config;
struct relay_fixture;

/* The fixture for cfg (which must live as long as the process): a core with an IRC
 * server buffer, a channel with lines and a nicklist, and a free buffer, served by a
 * relay. Rebuilt first when the last request changed the core; another cfg is swapped
 * in as a reload would. */
struct relay_fixture *relay_fixture_get(const struct relay_config *cfg);
/*
 * Routes one request as the relay would (body NULL when none was sent), prints the
 * response and runs the input it queued (POST /api/input: the core may change).
 * Returns the status.
 */
int relay_fixture_route(struct relay_fixture *f, const char *method, const char *target,
                        const struct pjson *body, bool is_websocket);

#endif
