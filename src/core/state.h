/* SPDX-License-Identifier: MIT */
/* The whole core as JSON, for the upgrade hand-over: saved before execve, restored after. */
#ifndef PERCH_CORE_STATE_H
#define PERCH_CORE_STATE_H

#include <stdbool.h>

struct core;
struct core_buffer;
struct pjson;

/* Every buffer (ids, numbers, properties, lines, nicklist, input), the hotlist and the id
 * counter. The caller frees the result. */
struct pjson *core_state_save(const struct core *core);
/* One buffer as core_state_save() writes it; for_storage leaves out the lines of a
 * formatted buffer and the nicklist. */
struct pjson *core_state_buffer(const struct core_buffer *b, bool for_storage);
/* The hotlist as core_state_save() writes it. */
struct pjson *core_state_hotlist(const struct core *core);
/* Replaces the core's buffers and hotlist with a saved state, without events.
 * Returns 0, or -1 when the state is malformed (the core is then left as it was). */
int core_state_restore(struct core *core, const struct pjson *state);

#endif
