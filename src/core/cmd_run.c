/* SPDX-License-Identifier: MIT */
/* Commands that run another input quietly, several times or later: /mute, /repeat, /wait,
 * with WeeChat's arguments and errors. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "command.h"
#include "core.h"
#include "schedule.h"

/* /repeat without -interval runs everything before it returns: bounded, with the runs of
 * the /repeat inside it (/repeat 10000 /repeat 10000 ...) counted too, so that no input can
 * hold the loop for hours. */
#define REPEAT_AT_ONCE_MAX 10000

static void
repeat_too_many(struct core_buffer *buffer)
{
    core_command_error(buffer, "repeat: at most %d runs without -interval", REPEAT_AT_ONCE_MAX);
}

static void
scheduled_full(struct core_buffer *buffer, const char *command)
{
    core_command_error(buffer, "%s: too many inputs waiting to run (at most %d)", command,
                       CORE_SCHEDULE_MAX);
}

int
core_cmd_mute(struct core_buffer *buffer, const struct core_args *args)
{
    struct core *core = buffer->core;
    enum core_mute mode = CORE_MUTE_ALL, old_mode = core->mute;
    int64_t mute_id = -1, old_id = core->mute_buffer_id;
    const char *command;
    int first = 1;

    /* "/mute" alone does nothing, as in WeeChat. */
    if (args->argc < 2)
        return 0;
    if (strcmp(args->argv[1], "-core") == 0) {
        mode = CORE_MUTE_BUFFER;
        mute_id = core->core_buffer->id;
        first = 2;
    } else if (strcmp(args->argv[1], "-current") == 0) {
        mode = CORE_MUTE_BUFFER;
        mute_id = buffer->id;
        first = 2;
    } else if (strcmp(args->argv[1], "-buffer") == 0) {
        if (args->argc < 3) {
            core_command_error_few_args(buffer, args, "-buffer");
            return -EINVAL;
        }
        /* A buffer not found mutes them all, as WeeChat does. */
        struct core_buffer *b = core_buffer_by_full_name(core, args->argv[2]);
        if (b) {
            mode = CORE_MUTE_BUFFER;
            mute_id = b->id;
        }
        first = 3;
    } else if (strcmp(args->argv[1], "-all") == 0) {
        first = 2; /* every buffer is muted by default since WeeChat 1.0 */
    }
    if (args->argc <= first)
        return 0;
    command = args->eol[first];
    /* The command's "/" may be left out. */
    size_t len = strlen(command) + 2;
    char *line = xmalloc(len);
    snprintf(line, len, "%s%s", command[0] == '/' ? "" : "/", command);
    core->mute = mode;
    core->mute_buffer_id = mute_id;
    int rc = core_command_input(buffer, line);
    core->mute = old_mode;
    core->mute_buffer_id = old_id;
    free(line);
    return rc;
}

int
core_cmd_repeat(struct core_buffer *buffer, const struct core_args *args)
{
    int64_t interval = 0;
    int first = 1;
    char *end;
    long count;

    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (args->argc >= 5 && strcmp(args->argv[1], "-interval") == 0) {
        if (core_parse_delay(args->argv[2], 1000000, &interval) < 0) {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
        /* WeeChat's timers count milliseconds: less is none. */
        interval -= interval % 1000;
        first = 3;
    }
    count = strtol(args->argv[first], &end, 10);
    if (*end || end == args->argv[first] || count < 1 || count > INT32_MAX) {
        core_command_error(buffer, "Invalid number: \"%s\"", args->argv[first]);
        return -EINVAL;
    }
    if (interval == 0 && count > REPEAT_AT_ONCE_MAX) {
        repeat_too_many(buffer);
        return -EINVAL;
    }
    if (interval > 0 && count > 1 && buffer->core->n_scheduled >= CORE_SCHEDULE_MAX) {
        scheduled_full(buffer, "repeat");
        return -ENOSPC;
    }
    /* Copied: a run may close the buffer or change what args point into. */
    char *text = xstrdup(args->eol[first + 1]);
    char *name = xstrdup(buffer->full_name);
    struct core *core = buffer->core;
    /* The outermost /repeat starts the count of runs, and ends it. */
    bool outermost = core->repeat_runs == 0;
    for (int i = 1; i <= (interval ? 1 : count) && buffer; i++) {
        if (core->repeat_runs++ >= REPEAT_AT_ONCE_MAX) {
            repeat_too_many(buffer);
            break;
        }
        core_repeat_run(buffer, text, i, (int)count);
        buffer = core_buffer_by_full_name(core, name);
    }
    if (outermost)
        core->repeat_runs = 0;
    if (interval && count > 1 && buffer)
        core_schedule_repeat(buffer, text, interval, 2, (int)count);
    free(text);
    free(name);
    return 0;
}

int
core_cmd_wait(struct core_buffer *buffer, const struct core_args *args)
{
    int64_t delay;

    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (core_parse_delay(args->argv[1], 1000000, &delay) < 0 || delay < 1) {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    if (core_schedule_wait(buffer, args->eol[2], delay - delay % 1000) < 0) {
        scheduled_full(buffer, "wait");
        return -ENOSPC;
    }
    return 0;
}
