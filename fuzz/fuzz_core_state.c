/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the core's saved state as perchd reads it back: the upgrade's state file and the
 * store's buffer rows, which a damaged disk, an old bug or a hand edit may have made
 * anything. A state must be taken whole, or refused with the core left as it was. Taken,
 * the core must be whole (fuzz_core_check), keep being whole while lines are printed and
 * inputs edited in every buffer, and save a state that reads back the same.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/log.h"
#include "core/buffer.h"
#include "core/command.h"
#include "core/core.h"
#include "core_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a user or a network does next to each buffer. */
static const char *const inputs[] = {
    "/input insert é-x",     "/input move_previous_char", "/input delete_previous_word",
    "/input move_next_char", "/input transpose_chars",    "/buffer set unread",
    "/buffer set hotlist 2", "/input move_end_of_input",
};

static void
use_buffer(struct core_buffer *b)
{
    struct core_line_spec spec = { .prefix = "fuzz", .message = "next", .y = -1 };

    for (int i = 0; i < 3; i++) {
        spec.y = b->type == CORE_BUFFER_FREE ? i * 3 : -1;
        core_buffer_print(b, &spec);
    }
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        core_command_input(b, inputs[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pjson *state = pjson_parse((const char *)data, size, 64);
    struct core *core;
    int64_t *ids;
    size_t n = 0;
    struct list *pos;

    if (!state)
        return 0;
    log_set_level(LOG_LEVEL_ERROR);
    /* Few lines kept, so that prints push restored ones out. */
    core = core_new(8, "fuzz");
    if (fuzz_core_restore(core, state) == 0) {
        fuzz_core_check_state(core);
        list_for_each (pos, &core->buffers)
            n++;
        ids = calloc(n, sizeof(*ids));
        n = 0;
        list_for_each (pos, &core->buffers)
            ids[n++] = list_entry(pos, struct core_buffer, link)->id;
        for (size_t i = 0; i < n; i++) {
            struct core_buffer *b = core_buffer_by_id(core, ids[i]);
            if (b)
                use_buffer(b);
        }
        free(ids);
        fuzz_core_check_state(core);
    }
    core_free(core);
    pjson_free(state);
    return 0;
}
