/* SPDX-License-Identifier: MIT */
/*
 * Input run later or again (/wait, /repeat -interval). Entries wait in the core by due time
 * on the monotonic clock; the host runs core_schedule_run() when core_schedule_next_us()
 * comes, and hears from host.schedule_changed whenever that time may have moved. Like
 * WeeChat's timers, entries do not outlive the process: a restart or an upgrade drops them.
 */
#ifndef PERCH_CORE_SCHEDULE_H
#define PERCH_CORE_SCHEDULE_H

#include <stdint.h>

struct core;
struct core_buffer;

/* Inputs that may wait at once; one more is refused. */
#define CORE_SCHEDULE_MAX 1000

struct core_scheduled {
    struct core_scheduled *next; /* the next due, or due at the same time and added later */
    int64_t due_us;
    int64_t interval_us;
    uint64_t added;    /* core->schedule_added when added: a run takes only older ones */
    char *buffer_name; /* looked up when due: a buffer closed meanwhile drops the entry */
    char *text;
    int count; /* /repeat: runs in all, ${repeat_*} expanded; 0: /wait, text as typed */
    int index; /* /repeat: the number of the next run, from 1 */
};

/*
 * Parses a delay as WeeChat's /wait and /repeat take it: digits, then a unit among us, ms,
 * s, m and h, or none for default_unit_us. Returns 0 with *us set, or -EINVAL (no digits,
 * a sign, another unit, or more than INT64_MAX microseconds).
 */
int core_parse_delay(const char *text, int64_t default_unit_us, int64_t *us);

/* Runs text in buffer after delay_us (/wait); -ENOSPC when CORE_SCHEDULE_MAX wait. */
int core_schedule_wait(struct core_buffer *buffer, const char *text, int64_t delay_us);
/* Runs run number index of a /repeat of count now: text with ${repeat_count},
 * ${repeat_index}, ${repeat_index0}, ${repeat_revindex}, ${repeat_revindex0},
 * ${repeat_first} and ${repeat_last} replaced, as command or text. */
void core_repeat_run(struct core_buffer *buffer, const char *text, int index, int count);
/* Runs numbers index..count of a /repeat every interval_us from now; -ENOSPC as above. */
int core_schedule_repeat(struct core_buffer *buffer, const char *text, int64_t interval_us,
                         int index, int count);

/* When the first entry is due (monotonic microseconds), or -1 when none waits. */
int64_t core_schedule_next_us(const struct core *core);
/* Runs every entry due by now_us that waited before this call. */
void core_schedule_run(struct core *core, int64_t now_us);
void core_schedule_free(struct core *core);

#endif
