/* SPDX-License-Identifier: MIT */
/*
 * Failed-login throttling per address group (an IPv4 address, an IPv6 /64): failures
 * within a period are answered more and more slowly, then the group is blocked for a
 * period that doubles with each block, up to a maximum. A success forgets the group.
 * The table has a maximum size; when it is full the least useful entry goes.
 */
#ifndef PERCH_RELAY_THROTTLE_H
#define PERCH_RELAY_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct pjson;
struct relay_peer;
struct relay_throttle;

/* cfg is read until relay_throttle_set_config() replaces it (owned by the caller). */
struct relay_throttle *relay_throttle_new(const struct relay_throttle_config *cfg,
                                          size_t max_groups);
void relay_throttle_set_config(struct relay_throttle *t, const struct relay_throttle_config *cfg);
/* Accepts NULL. */
void relay_throttle_free(struct relay_throttle *t);

/* Milliseconds the address's group stays blocked, 0 when it may try a login. Call it before
 * checking credentials: a blocked group gets no answer about them, right or wrong. */
uint64_t relay_throttle_check(struct relay_throttle *t, const struct relay_peer *addr,
                              uint64_t now_ms);
/*
 * Counts a failed login (a wrong secret, not a missing one). Returns how long to hold the
 * answer back (0 for the first failure of a period). The failure that reaches the limit
 * blocks the group and logs it, once per block; failures while blocked are not counted.
 */
uint64_t relay_throttle_fail(struct relay_throttle *t, const struct relay_peer *addr,
                             uint64_t now_ms);
/* A successful login: the group starts afresh. */
void relay_throttle_success(struct relay_throttle *t, const struct relay_peer *addr);
/* Groups remembered (for tests and figures). */
size_t relay_throttle_count(const struct relay_throttle *t);

/* The table as JSON with times relative to now (caller frees), and back (upgrade). */
struct pjson *relay_throttle_save(const struct relay_throttle *t, uint64_t now_ms);
void relay_throttle_restore(struct relay_throttle *t, const struct pjson *saved, uint64_t now_ms);

#endif
