/* SPDX-License-Identifier: MIT */
/* Checks of the core that fuzz targets run after their input changed it; each aborts. */
#ifndef PERCH_FUZZ_CORE_CHECK_H
#define PERCH_FUZZ_CORE_CHECK_H

struct core;
struct pjson;

/* The core is whole: one core buffer (plugin core), buffer ids and full names unique,
 * numbers 1..n in order, no id past last_id, every formatted buffer's line ids and its
 * counter in range and all different, every free buffer's line i at y = i, every input
 * cursor inside its input. */
void fuzz_core_check(const struct core *core);
/* core_state_restore(core, state), checked: the state is taken whole (the core is then
 * whole as above) or refused with the core left exactly as it was. */
int fuzz_core_restore(struct core *core, const struct pjson *state);
/* The core is whole (as above), and its state, saved, reads back into a new core that
 * saves it the same: what perchd writes for an upgrade and into its store, it can always
 * start from. */
void fuzz_core_check_state(const struct core *core);

#endif
