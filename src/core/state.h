/* SPDX-License-Identifier: MIT */
/* The whole core as JSON, for the upgrade hand-over: saved before execve, restored after. */
#ifndef PERCH_CORE_STATE_H
#define PERCH_CORE_STATE_H

struct core;
struct pjson;

/* Every buffer (ids, numbers, properties, lines, nicklist, input), the hotlist and the id
 * counter. The caller frees the result. */
struct pjson *core_state_save(const struct core *core);
/* Replaces the core's buffers and hotlist with a saved state, without events.
 * Returns 0, or -1 when the state is malformed (the core is then left as it was). */
int core_state_restore(struct core *core, const struct pjson *state);

#endif
