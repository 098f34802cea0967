/* SPDX-License-Identifier: MIT */
/* /mute, /repeat and /wait as WeeChat has them, and the core's schedule of waiting inputs
 * (run here by hand, as perchd's timer runs it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "core/command.h"
#include "core/core.h"
#include "core/schedule.h"
#include "last_line.h"
#include "unit_test.h"

struct fixture {
    struct core *core;
    struct core_buffer *chan;
    char sent[16][64]; /* text sent to chan, in order */
    int n_sent;
    int n_text;  /* every text sent, also past the 16 kept */
    int changed; /* host.schedule_changed calls */
};

static void
chan_input(struct core_buffer *buffer, const char *text, void *data)
{
    struct fixture *f = data;

    (void)buffer;
    f->n_text++;
    if (f->n_sent < 16)
        snprintf(f->sent[f->n_sent++], sizeof(f->sent[0]), "%s", text);
}

static void
on_schedule_changed(void *data)
{
    ((struct fixture *)data)->changed++;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int err;

    f->core = core_new(100, "0.1.0");
    f->chan = core_buffer_open(f->core, "core", "chan", CORE_BUFFER_FORMATTED, &err);
    core_buffer_set_input_cb(f->chan, chan_input, f);
    core_set_host(f->core,
                  &(struct core_host){ .schedule_changed = on_schedule_changed, .data = f });
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    core_free(f->core);
    free(f);
    return 0;
}

static void
test_parse_delay(void **state)
{
    int64_t us;

    (void)state;
    assert_int_equal(core_parse_delay("5", 1000000, &us), 0);
    assert_true(us == 5000000);
    assert_int_equal(core_parse_delay("250ms", 1000000, &us), 0);
    assert_true(us == 250000);
    assert_int_equal(core_parse_delay("7us", 1000000, &us), 0);
    assert_true(us == 7);
    assert_int_equal(core_parse_delay("2m", 1000000, &us), 0);
    assert_true(us == 120000000);
    assert_int_equal(core_parse_delay("1h", 1000000, &us), 0);
    assert_true(us == 3600000000);
    assert_int_equal(core_parse_delay("0", 1000000, &us), 0);
    assert_true(us == 0);
    const char *bad[] = { "",
                          "-1",
                          "+1",
                          "s",
                          "1x",
                          "1 s",
                          "1sec",
                          "1.5",
                          "99999999999999999h",
                          "99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(core_parse_delay(bad[i], 1000000, &us), -EINVAL);
}

static void
test_mute_keeps_lines_out_of_the_buffers_it_names(void **state)
{
    struct fixture *f = *state;
    struct core_buffer *core_buf = f->core->core_buffer;
    size_t core_lines = core_buffer_line_count(core_buf);

    core_command_input(f->chan, "/mute /print -buffer core.chan hidden");
    assert_int_equal(core_buffer_line_count(f->chan), 0);
    /* Without "/", and the error of an unknown command is muted too. */
    core_command_input(f->chan, "/mute nosuchcommand");
    assert_int_equal(core_buffer_line_count(core_buf), core_lines);
    /* -current: only this buffer. */
    core_command_input(f->chan, "/mute -current /print -buffer core.chan a");
    core_command_input(f->chan, "/mute -current /print -buffer core.weechat b");
    assert_int_equal(core_buffer_line_count(f->chan), 0);
    assert_string_equal(last_message(core_buf), "b");
    /* -core: only the core buffer. */
    core_command_input(f->chan, "/mute -core /print -buffer core.weechat c");
    core_command_input(f->chan, "/mute -core /print -buffer core.chan d");
    assert_string_equal(last_message(core_buf), "b");
    assert_string_equal(last_message(f->chan), "d");
    /* -buffer name; a name not found mutes every buffer. */
    core_command_input(f->chan, "/mute -buffer core.chan /print -buffer core.chan e");
    core_command_input(f->chan, "/mute -buffer core.nope /print -buffer core.weechat f");
    core_command_input(f->chan, "/mute -all /print -buffer core.weechat g");
    assert_string_equal(last_message(f->chan), "d");
    assert_string_equal(last_message(core_buf), "b");
    /* Muting ends with its command; "/mute" alone does nothing. */
    core_command_input(f->chan, "/mute");
    core_command_input(f->chan, "/mute -current");
    core_command_input(f->chan, "/print -buffer core.chan h");
    assert_string_equal(last_message(f->chan), "h");
    core_command_input(f->chan, "/mute -buffer");
    assert_string_equal(
        last_message(f->chan),
        "Too few arguments for command \"/mute -buffer\" (help on command: /help mute)");
    /* Text given to /mute runs as a command: "hello" is /hello, not sent. */
    assert_int_equal(f->n_sent, 0);
}

static void
test_repeat_runs_at_once_with_its_variables(void **state)
{
    struct fixture *f = *state;

    core_command_input(f->chan, "/repeat 3 /print -buffer core.chan ${repeat_index}/${repeat_count}"
                                " ${repeat_index0} ${repeat_revindex} ${repeat_revindex0}"
                                " ${repeat_first}${repeat_last} ${other}");
    assert_int_equal(core_buffer_line_count(f->chan), 3);
    assert_string_equal(core_buffer_line_at(f->chan, 0)->message, "1/3 0 3 2 10 ${other}");
    assert_string_equal(core_buffer_line_at(f->chan, 1)->message, "2/3 1 2 1 00 ${other}");
    assert_string_equal(core_buffer_line_at(f->chan, 2)->message, "3/3 2 1 0 01 ${other}");
    /* A long run of "${" comes out as typed, the variable after it replaced. */
    size_t n = 200000;
    const char *head = "/repeat 1 /print -buffer core.chan ";
    char *line = malloc(strlen(head) + 2 * n + sizeof("${repeat_index}"));
    strcpy(line, head);
    for (size_t i = 0; i < n; i++)
        memcpy(line + strlen(head) + 2 * i, "${", 2);
    strcpy(line + strlen(head) + 2 * n, "${repeat_index}");
    core_command_input(f->chan, line);
    free(line);
    const char *long_message = last_message(f->chan);
    assert_int_equal(strlen(long_message), 2 * n + 1);
    assert_string_equal(long_message + 2 * n, "1");
    /* Text is sent to the buffer, as typed. */
    core_command_input(f->chan, "/repeat 2 hello ${repeat_index}");
    assert_int_equal(f->n_sent, 2);
    assert_string_equal(f->sent[1], "hello 2");
    assert_int_equal(f->core->n_scheduled, 0);
    assert_int_equal(f->changed, 0);
}

static void
test_repeat_refuses_bad_arguments(void **state)
{
    struct fixture *f = *state;
    struct core_buffer *b = f->chan;

    assert_int_equal(core_command_input(b, "/repeat 3"), -EINVAL);
    assert_string_equal(
        last_message(b),
        "Too few arguments for command \"/repeat\" (help on command: /help repeat)");
    const char *numbers[] = { "0", "-2", "x", "3x", "99999999999" };
    char line[64], error[64];
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        snprintf(line, sizeof(line), "/repeat %s /print x", numbers[i]);
        assert_int_equal(core_command_input(b, line), -EINVAL);
        snprintf(error, sizeof(error), "Invalid number: \"%s\"", numbers[i]);
        assert_string_equal(last_message(b), error);
    }
    assert_int_equal(core_command_input(b, "/repeat -interval 1x 2 /print x"), -EINVAL);
    assert_string_equal(
        last_message(b),
        "Error with command \"/repeat -interval 1x 2 /print x\" (help on command: /help repeat)");
    assert_int_equal(core_command_input(b, "/repeat 10001 /print x"), -EINVAL);
    assert_string_equal(last_message(b), "repeat: at most 10000 runs without -interval");
    /* Nothing ran. */
    assert_int_equal(core_buffer_line_count(b), 8);
    assert_int_equal(f->core->n_scheduled, 0);
    /* Runs of a /repeat inside another count too: 10,000 runs in all (49 outer runs of 201
     * and one of 151), then an error for the inner /repeat and one for the outer. */
    core_command_input(b, "/repeat 200 /repeat 200 x");
    assert_int_equal(f->n_text, 49 * 200 + 150);
    assert_string_equal(last_message(b), "repeat: at most 10000 runs without -interval");
    /* And the count starts again with the next input. */
    core_command_input(b, "/repeat 2 /print -buffer core.chan y");
    assert_string_equal(last_message(b), "y");
}

static void
test_repeat_with_an_interval_runs_the_first_now_the_others_when_due(void **state)
{
    struct fixture *f = *state;
    int64_t start = timefmt_monotonic_us(), due;

    core_command_input(f->chan, "/repeat -interval 2s 3 run ${repeat_index}");
    assert_int_equal(f->n_sent, 1);
    assert_string_equal(f->sent[0], "run 1");
    assert_int_equal(f->changed, 1);
    due = core_schedule_next_us(f->core);
    assert_true(due >= start + 2000000 && due <= timefmt_monotonic_us() + 2000000);
    /* Not yet due: nothing runs. */
    core_schedule_run(f->core, due - 1);
    assert_int_equal(f->n_sent, 1);
    core_schedule_run(f->core, due);
    assert_int_equal(f->n_sent, 2);
    assert_string_equal(f->sent[1], "run 2");
    assert_true(core_schedule_next_us(f->core) == due + 2000000);
    /* A late run takes one due entry per run, not all the missed ones at once. */
    core_schedule_run(f->core, due + 60000000);
    assert_int_equal(f->n_sent, 3);
    assert_string_equal(f->sent[2], "run 3");
    assert_true(core_schedule_next_us(f->core) == -1);
    assert_int_equal(f->core->n_scheduled, 0);
}

static void
test_wait_runs_later_in_its_buffer_if_it_still_exists(void **state)
{
    struct fixture *f = *state;
    int64_t due;
    int err;

    assert_int_equal(core_command_input(f->chan, "/wait 10ms /print -buffer core.chan later"), 0);
    assert_int_equal(core_command_input(f->chan, "/wait 1 sent later"), 0);
    assert_int_equal(core_buffer_line_count(f->chan), 0);
    due = core_schedule_next_us(f->core);
    core_schedule_run(f->core, due);
    assert_string_equal(last_message(f->chan), "later");
    assert_int_equal(f->n_sent, 0);
    core_schedule_run(f->core, core_schedule_next_us(f->core));
    assert_int_equal(f->n_sent, 1);
    assert_string_equal(f->sent[0], "sent later");
    /* A buffer closed meanwhile: the input is dropped, even if one of its name comes back. */
    core_command_input(f->chan, "/wait 1 /print -buffer core.chan gone");
    core_buffer_close(f->chan);
    core_schedule_run(f->core, core_schedule_next_us(f->core));
    assert_int_equal(f->core->n_scheduled, 0);
    f->chan = core_buffer_open(f->core, "core", "chan", CORE_BUFFER_FORMATTED, &err);
    core_schedule_run(f->core, INT64_MAX);
    assert_int_equal(core_buffer_line_count(f->chan), 0);
}

static void
test_wait_refuses_bad_arguments_and_too_many(void **state)
{
    struct fixture *f = *state;
    struct core_buffer *b = f->chan;

    assert_int_equal(core_command_input(b, "/wait 5"), -EINVAL);
    assert_string_equal(last_message(b),
                        "Too few arguments for command \"/wait\" (help on command: /help wait)");
    assert_int_equal(core_command_input(b, "/wait 0 /print x"), -EINVAL);
    assert_string_equal(last_message(b),
                        "Error with command \"/wait 0 /print x\" (help on command: /help wait)");
    assert_int_equal(core_command_input(b, "/wait soon /print x"), -EINVAL);
    for (int i = 0; i < CORE_SCHEDULE_MAX; i++)
        assert_int_equal(core_command_input(b, "/wait 1h /print x"), 0);
    assert_int_equal(core_command_input(b, "/wait 1h /print x"), -ENOSPC);
    assert_string_equal(last_message(b), "wait: too many inputs waiting to run (at most 1000)");
    assert_int_equal(core_command_input(b, "/repeat -interval 1h 2 /print y"), -ENOSPC);
    assert_int_equal(f->core->n_scheduled, CORE_SCHEDULE_MAX);
}

static void
test_an_input_that_waits_again_runs_at_the_next_run(void **state)
{
    struct fixture *f = *state;
    int64_t now = timefmt_monotonic_us();

    /* Each run schedules the next, due at once: one per run, never a loop. */
    core_command_input(f->chan, "/wait 1us /wait 1us /wait 1us sent");
    core_schedule_run(f->core, now + 10000000);
    assert_int_equal(f->core->n_scheduled, 1);
    core_schedule_run(f->core, now + 10000000);
    assert_int_equal(f->n_sent, 0);
    core_schedule_run(f->core, now + 10000000);
    assert_int_equal(f->n_sent, 1);
    assert_int_equal(f->core->n_scheduled, 0);
}

static void
test_mute_and_repeat_of_quit_end_the_process(void **state)
{
    struct fixture *f = *state;

    assert_true(core_command_ends_process(f->core, "/mute /quit"));
    assert_true(core_command_ends_process(f->core, "/mute -current upgrade"));
    assert_true(core_command_ends_process(f->core, "/repeat 2 /quit"));
    assert_false(core_command_ends_process(f->core, "/repeat 2 /print quitting"));
    assert_false(core_command_ends_process(f->core, "/wait 1 /quit"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_delay),
        cmocka_unit_test_setup_teardown(test_mute_keeps_lines_out_of_the_buffers_it_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_repeat_runs_at_once_with_its_variables, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_repeat_refuses_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_repeat_with_an_interval_runs_the_first_now_the_others_when_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_runs_later_in_its_buffer_if_it_still_exists,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_refuses_bad_arguments_and_too_many, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_input_that_waits_again_runs_at_the_next_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_mute_and_repeat_of_quit_end_the_process, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
