/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes aliases: each line of the input is typed in one of three buffers (picked by its
 * first byte: the core buffer, a channel-like buffer with local variables, a free buffer),
 * through the core's commands (/alias add, del, rename, missing, /command, /buffer,
 * /print, /wait, /repeat, /mute...) and every alias the lines define, with their arguments
 * and the buffers' local variables put in, and a registered command that only counts its
 * calls; what waits runs after each line as if due. No IRC and no
 * network: nothing here can connect. After the lines, the aliases must save and load back
 * the same, and the core must be whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "core/alias.h"
#include "core/command.h"
#include "core/core.h"
#include "core_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count_cmd(struct core_buffer *buffer, const struct core_args *args)
{
    (void)buffer;
    (*(int *)args->data)++;
    return 0;
}

static const struct core_command fuzz_cmds[] = {
    { "rec", "[text]", "count", "alpha|beta", count_cmd },
    { NULL, NULL, NULL, NULL, NULL },
};

static const char *const buffer_names[] = { "core.weechat", "core.chan", "core.free" };

/* Saved, loaded into a new core and saved again: the same text. */
static void
check_aliases_round_trip(const struct core *core)
{
    struct pjson *saved = core_alias_save(core);
    char *text = pjson_print(saved, NULL);
    struct core *other = core_new(10, "fuzz");
    struct pjson *again;
    char *text2;

    if (core_alias_load(other, saved) != 0)
        abort();
    again = core_alias_save(other);
    text2 = pjson_print(again, NULL);
    if (strcmp(text, text2) != 0)
        abort();
    for (size_t i = 1; i < core->n_aliases; i++) {
        if (strcmp(core->aliases[i - 1].name, core->aliases[i].name) >= 0)
            abort();
    }
    free(text);
    free(text2);
    pjson_free(saved);
    pjson_free(again);
    core_free(other);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct core *core = core_new(200, "fuzz");
    struct core_buffer *chan;
    int calls = 0, err;

    core_command_register(core, "test", fuzz_cmds, &calls);
    chan = core_buffer_open(core, "core", "chan", CORE_BUFFER_FORMATTED, &err);
    core_buffer_set_localvar(chan, "nick", "perchy");
    core_buffer_set_localvar(chan, "channel", "#perch");
    core_buffer_set_localvar(chan, "server", "net");
    core_buffer_open(core, "core", "free", CORE_BUFFER_FREE, &err);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len > 0) {
            struct core_buffer *b = core_buffer_by_full_name(
                core, buffer_names[(unsigned char)p[0] % (sizeof(buffer_names) / sizeof(char *))]);
            char *text = strndup(p + 1, len - 1);
            core_command_input(b ? b : core->core_buffer, text);
            free(text);
        }
        /* What /wait and /repeat -interval left runs as if due (one step each). */
        core_schedule_run(core, INT64_MAX);
        p += len + 1;
    }
    if (core->alias_depth != 0 || core->repeat_runs != 0 || core->mute != CORE_MUTE_NONE)
        abort();
    check_aliases_round_trip(core);
    fuzz_core_check(core);
    core_free(core);
    return 0;
}
