/* SPDX-License-Identifier: MIT */
/* WeeChat commands as clients send them: /buffer set, /input, /hotlist, and their errors. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "core/color.h"
#include "core/command.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "core/state.h"
#include "last_line.h"
#include "unit_test.h"

struct fixture {
    struct core *core;
    struct core_buffer *a; /* core.a with 3 lines */
    struct core_buffer *b; /* core.b with 2 lines */
};

static void
print_level(struct core_buffer *b, const char *tags)
{
    struct core_line_spec spec = { .message = "x", .tags = tags, .y = -1 };

    core_buffer_print(b, &spec);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int err;

    f->core = core_new(100, "0.1.0");
    f->a = core_buffer_open(f->core, "core", "a", CORE_BUFFER_FORMATTED, &err);
    f->b = core_buffer_open(f->core, "core", "b", CORE_BUFFER_FORMATTED, &err);
    for (int i = 0; i < 3; i++)
        print_level(f->a, "notify_message");
    for (int i = 0; i < 2; i++)
        print_level(f->b, "notify_highlight");
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

static const struct core_hotlist_entry *
hotlist_of(struct core *core, const struct core_buffer *b)
{
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        if (e->buffer == b)
            return e;
    }
    return NULL;
}

/* Runs a command in buffer b, expecting rc, and returns how many lines it printed. */
static size_t
run(struct core_buffer *b, const char *command, int rc)
{
    size_t before = core_buffer_line_count(b);

    assert_int_equal(core_command_input(b, command) < 0 ? -1 : 0, rc);
    return core_buffer_line_count(b) - before;
}

static void
test_weechatrn_buffer_switch_prints_nothing(void **state)
{
    struct fixture *f = *state;

    assert_non_null(hotlist_of(f->core, f->a));
    assert_int_equal(run(f->a, "/buffer set hotlist -1", 0), 0);
    assert_int_equal(run(f->a, "/input set_unread_current_buffer", 0), 0);
    assert_null(hotlist_of(f->core, f->a));
    assert_int_equal(f->a->last_read_line_id, core_buffer_line_at(f->a, 2)->id);
    /* The other buffer is untouched. */
    assert_non_null(hotlist_of(f->core, f->b));
    assert_int_equal(f->b->last_read_line_id, -1);
}

static void
test_set_unread_for_all_buffers(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(run(f->a, "/input set_unread", 0), 0);
    assert_int_equal(f->a->last_read_line_id, 2);
    assert_int_equal(f->b->last_read_line_id, 1);
    assert_int_equal(run(f->a, "/buffer set unread 2", 0), 0);
    assert_int_equal(f->a->last_read_line_id, 0);
    assert_int_equal(run(f->a, "/buffer set unread nope", -1), 1);
    assert_string_equal(last_message(f->a),
                        "buffer: invalid value \"nope\" for property \"unread\"");
}

static void
test_buffer_set_hotlist_adds_with_priority(void **state)
{
    struct fixture *f = *state;
    const struct core_hotlist_entry *e;

    run(f->a, "/buffer set hotlist -1", 0);
    assert_int_equal(run(f->a, "/buffer set hotlist 2", 0), 0);
    e = hotlist_of(f->core, f->a);
    assert_non_null(e);
    assert_int_equal(e->priority, 2);
    assert_int_equal(e->count[2], 1);
    /* Above 3 counts as 3. */
    run(f->a, "/buffer set hotlist 7", 0);
    assert_int_equal(hotlist_of(f->core, f->a)->priority, 3);
    assert_int_equal(run(f->a, "/buffer set hotlist x", -1), 1);
}

static void
test_notify_level_gates_the_hotlist(void **state)
{
    struct fixture *f = *state;

    run(f->a, "/hotlist remove", 0);
    assert_int_equal(run(f->a, "/buffer set notify highlight", 0), 0);
    assert_int_equal(f->a->notify, CORE_BUFFER_NOTIFY_HIGHLIGHT);
    print_level(f->a, "notify_message");
    assert_null(hotlist_of(f->core, f->a));
    print_level(f->a, "notify_private");
    assert_int_equal(hotlist_of(f->core, f->a)->priority, 2);
    run(f->a, "/buffer notify none", 0);
    run(f->a, "/hotlist remove", 0);
    print_level(f->a, "notify_highlight");
    assert_null(hotlist_of(f->core, f->a));
    assert_int_equal(run(f->a, "/buffer notify", 0), 1);
    assert_string_equal(last_message(f->a), "Notify for \"core.a\": \"none\"");
    run(f->a, "/buffer set notify -1", 0);
    assert_int_equal(f->a->notify, CORE_BUFFER_NOTIFY_ALL);
    assert_int_equal(run(f->a, "/buffer notify loud", -1), 1);
    assert_string_equal(last_message(f->a), "Unable to set notify level \"loud\"");
}

static void
test_hotlist_clear_mask_and_restore(void **state)
{
    struct fixture *f = *state;

    /* a: message (1), b: highlight (3). Mask 2 = message only. */
    assert_int_equal(run(f->core->core_buffer, "/hotlist clear 2", 0), 0);
    assert_null(hotlist_of(f->core, f->a));
    assert_non_null(hotlist_of(f->core, f->b));
    run(f->a, "/hotlist restore", 0);
    assert_int_equal(hotlist_of(f->core, f->a)->count[1], 3);
    run(f->a, "/hotlist clear highest", 0);
    assert_null(hotlist_of(f->core, f->b));
    assert_non_null(hotlist_of(f->core, f->a));
    run(f->a, "/hotlist clear", 0);
    assert_true(list_is_empty(&f->core->hotlist));
    run(f->a, "/hotlist restore -all", 0);
    assert_non_null(hotlist_of(f->core, f->a));
    assert_non_null(hotlist_of(f->core, f->b));
    run(f->a, "/hotlist add private", 0);
    assert_int_equal(hotlist_of(f->core, f->a)->priority, 2);
    assert_int_equal(run(f->a, "/hotlist clear 0", -1), 1);
    assert_int_equal(run(f->a, "/hotlist add loud", -1), 1);
    assert_int_equal(run(f->a, "/input hotlist_remove_buffer", 0), 0);
    assert_null(hotlist_of(f->core, f->a));
}

static void
test_typos_get_weechat_errors(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(run(f->a, "/buffer set hotlst 1", -1), 1);
    assert_string_equal(
        last_message(f->a),
        "Error with command \"/buffer set hotlst 1\" (help on command: /help buffer)");
    assert_int_equal(run(f->a, "/input set_unred", -1), 1);
    assert_string_equal(last_message(f->a),
                        "Error with command \"/input set_unred\" (help on command: /help input)");
    assert_int_equal(run(f->a, "/buffer set", -1), 1);
    assert_string_equal(
        last_message(f->a),
        "Too few arguments for command \"/buffer set\" (help on command: /help buffer)");
    assert_int_equal(run(f->a, "/hotlist", -1), 1);
    assert_int_equal(run(f->a, "/buffer nosuchbuffer", -1), 1);
    assert_string_equal(
        last_message(f->a),
        "Error with command \"/buffer nosuchbuffer\" (help on command: /help buffer)");
}

static void
test_meaningless_ones_say_so_once(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(run(f->a, "/buffer set display 1", 0), 1);
    assert_non_null(strstr(last_message(f->a), "has no effect in perchd"));
    assert_int_equal(run(f->a, "/input history_previous", 0), 1);
    assert_non_null(strstr(last_message(f->a), "has no effect in perchd"));
    assert_int_equal(run(f->a, "/buffer merge 2", 0), 1);
    assert_int_equal(run(f->a, "/buffer core.b", 0), 1);
    /* Merged buffers do not exist: these do nothing, silently, as in WeeChat. */
    assert_int_equal(run(f->a, "/input switch_active_buffer", 0), 0);
    assert_int_equal(run(f->a, "/input zoom_merged_buffer", 0), 0);
    assert_int_equal(run(f->a, "/buffer switch", 0), 0);
}

static void
test_buffer_set_properties(void **state)
{
    struct fixture *f = *state;

    run(f->a, "/buffer set title \"quoted title\"", 0);
    assert_string_equal(f->a->title, "quoted title");
    run(f->a, "/buffer set hidden 1", 0);
    assert_true(f->a->hidden);
    run(f->a, "/buffer set hidden off", 0);
    assert_false(f->a->hidden);
    run(f->a, "/buffer set localvar_set_away gone", 0);
    assert_string_equal(core_buffer_localvar(f->a, "away"), "gone");
    run(f->a, "/buffer set localvar_del_away", 0);
    assert_null(core_buffer_localvar(f->a, "away"));
    run(f->a, "/buffer set number 1", 0);
    assert_int_equal(f->a->number, 1);
    run(f->a, "/buffer set key_bind_meta-x /print hi", 0);
    assert_int_equal(f->a->n_keys, 1);
    assert_string_equal(f->a->keys[0].value, "/print hi");
    run(f->a, "/buffer set key_unbind_*", 0);
    assert_int_equal(f->a->n_keys, 0);
    run(f->a, "/buffer set nicklist_case_sensitive 1", 0);
    assert_true(f->a->nicklist_case_sensitive);
    run(f->a, "/buffer set input hello world", 0);
    run(f->a, "/buffer set input_pos 5", 0);
    assert_string_equal(f->a->input, "hello world");
    assert_int_equal(f->a->input_position, 5);
    run(f->a, "/input delete_next_word", 0);
    assert_string_equal(f->a->input, "hello");
    run(f->a, "/buffer set type free", 0);
    assert_int_equal(f->a->type, CORE_BUFFER_FREE);
    assert_int_equal(core_buffer_line_count(f->a), 0);
    assert_int_equal(run(f->a, "/buffer set type odd", -1), 1);
}

static void
test_input_return_and_send_run_as_typed(void **state)
{
    struct fixture *f = *state;

    run(f->a, "/input insert /print -buffer core.b from input", 0);
    run(f->a, "/input return", 0);
    assert_string_equal(f->a->input, "");
    assert_string_equal(last_message(f->b), "from input");
    run(f->a, "/input send /print -buffer core.b sent", 0);
    assert_string_equal(last_message(f->b), "sent");
}

static void
test_print_dates_out_of_range_are_refused(void **state)
{
    struct fixture *f = *state;
    const char *bad[] = { "99999999999999",        "253402300800",         "0",
                          "-99999999999999999999", "+9223372036854775807", "-9223372036854775808",
                          "+253402300800" };
    char command[96];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(command, sizeof(command), "/print -date %s x", bad[i]);
        assert_int_equal(run(f->a, command, -1), 1);
        assert_non_null(strstr(last_message(f->a), "Error with command \"/print -date"));
    }
    assert_int_equal(run(f->a, "/print -date 253402300799 last second", 0), 1);
    assert_true(core_buffer_line_at(f->a, core_buffer_line_count(f->a) - 1)->date_us ==
                253402300799LL * 1000000);
    assert_int_equal(run(f->a, "/print -date -60 a minute ago", 0), 1);
}

static const struct core_line *
newest(const struct core_buffer *b)
{
    return core_buffer_line_at(b, core_buffer_line_count(b) - 1);
}

/* WeeChat's /print options: prefixes, -core, -current, a typed "\t", and its usage error. */
static void
test_print_options_as_weechat(void **state)
{
    struct fixture *f = *state;
    struct core_buffer *core_buf = f->core->core_buffer;
    const char *prefixes[][2] = { { "-action", CORE_PREFIX_ACTION },
                                  { "-error", CORE_PREFIX_ERROR },
                                  { "-join", CORE_PREFIX_JOIN },
                                  { "-network", CORE_PREFIX_NETWORK },
                                  { "-quit", CORE_PREFIX_QUIT } };
    char command[128];

    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        snprintf(command, sizeof(command), "/print %s bob\\tleft", prefixes[i][0]);
        assert_int_equal(run(f->a, command, 0), 1);
        assert_string_equal(newest(f->a)->prefix, prefixes[i][1]);
        /* With a prefix option the text is not split. */
        assert_string_equal(newest(f->a)->message, "bob\\tleft");
    }
    /* A "\t" typed as two characters splits, as in WeeChat; a real tab too. */
    assert_int_equal(run(f->a, "/print bob\\thello\\tthere", 0), 1);
    assert_string_equal(newest(f->a)->prefix, "bob");
    assert_string_equal(newest(f->a)->message, "hello\\tthere");
    assert_int_equal(run(f->a, "/print alice\thi", 0), 1);
    assert_string_equal(newest(f->a)->prefix, "alice");
    assert_string_equal(newest(f->a)->message, "hi");
    size_t core_lines = core_buffer_line_count(core_buf);
    assert_int_equal(run(f->a, "/print -core -switch in core", 0), 0);
    assert_int_equal(core_buffer_line_count(core_buf), core_lines + 1);
    assert_string_equal(last_message(core_buf), "in core");
    assert_int_equal(run(f->a, "/print -core -current here", 0), 1);
    assert_string_equal(last_message(f->a), "here");
    /* Nothing printed in a buffer for -stdout and -stderr. */
    assert_int_equal(run(f->a, "/print -stdout", 0), 0);
    const char *bad[] = { "/print -frob x", "/print -buffer core.nope x", "/print -buffer",
                          "/print -y -1 x", "/print -tags" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(run(f->a, bad[i], -1), 1);
        snprintf(command, sizeof(command),
                 "Error with command \"%s\" (help on command: /help print)", bad[i]);
        assert_string_equal(last_message(f->a), command);
    }
}

static void
test_nick_groups_nest_only_so_deep(void **state)
{
    struct fixture *f = *state;
    char command[96];
    const struct core_nick_group *g;
    int depth = 0;

    assert_int_equal(run(f->a, "/nicklist add_group g0", 0), 0);
    for (int i = 1; i <= CORE_NICKLIST_DEPTH_MAX; i++) {
        snprintf(command, sizeof(command), "/nicklist add_group g%d default g%d", i, i - 1);
        core_command_input(f->a, command);
    }
    for (g = f->a->nicklist_root; !list_is_empty(&g->groups);
         g = list_entry(g->groups.next, struct core_nick_group, link))
        depth++;
    assert_int_equal(depth, CORE_NICKLIST_DEPTH_MAX);
    assert_string_equal(last_message(f->a), "nicklist: groups nest at most 16 deep");
    /* The core refuses it too, whoever asks. */
    assert_null(
        core_nicklist_add_group(f->a, (struct core_nick_group *)(uintptr_t)g, "x", NULL, true));
}

static int
irc_version_cmd(struct core_buffer *buffer, const struct core_args *args)
{
    (void)args;
    core_command_info(buffer, "asked the server");
    return 0;
}

static void
said(struct core_buffer *buffer, const char *text, void *data)
{
    (void)buffer;
    snprintf(data, 128, "%s", text);
}

/* /version is the buffer's plugin's first, as WeeChat picks between same-named commands;
 * /uptime counts from the first start, which an upgrade's state carries; -o says it. */
static void
test_version_uptime_and_whose_command_runs(void **state)
{
    struct fixture *f = *state;
    static const struct core_command irc_cmds[] = {
        { "version", "", "", "", irc_version_cmd },
        { NULL, NULL, NULL, NULL, NULL },
    };
    struct core_buffer *chan, *cb = f->core->core_buffer;
    char typed[128] = "";
    int err;

    core_command_register(f->core, "irc", irc_cmds, NULL);
    chan = core_buffer_open(f->core, "irc", "net.#c", CORE_BUFFER_FORMATTED, &err);
    core_buffer_set_input_cb(chan, said, typed);
    assert_int_equal(run(chan, "/version", 0), 1);
    assert_string_equal(last_message(chan), "asked the server");
    assert_int_equal(run(f->a, "/version", 0), 0);
    assert_string_equal(last_message(cb), "\x19"
                                          "11perchd 0.1.0");
    assert_int_equal(run(chan, "/command core version", 0), 0);
    assert_string_equal(last_message(cb), "\x19"
                                          "11perchd 0.1.0");
    assert_int_equal(run(chan, "/v", 0), 0); /* the default alias: /command core version */
    assert_string_equal(last_message(cb), "\x19"
                                          "11perchd 0.1.0");
    assert_int_equal(run(chan, "/command core version -o", 0), 0);
    assert_string_equal(typed, "perchd 0.1.0");

    f->core->started_us -= (2LL * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000000;
    assert_int_equal(run(f->a, "/uptime", 0), 0);
    assert_non_null(strstr(last_message(cb), "perchd uptime: \x19"
                                             "112 \x19"
                                             "01days \x19"
                                             "1103\x19"
                                             "01:\x19"
                                             "1104\x19"
                                             "01:\x19"
                                             "1105\x19"
                                             "01, started on \x19"
                                             "11"));
    assert_int_equal(run(chan, "/uptime -o", 0), 0);
    assert_true(strncmp(typed, "perchd uptime: 2 days 03:04:05, started on ", 43) == 0);
    assert_int_equal((int)strlen(typed), 43 + 24); /* ctime's "Wed Dec  2 03:31:51 2026" */

    /* An upgrade's state (as text, as perchd hands it over) keeps the start. */
    struct pjson *saved = core_state_save(f->core);
    char *text = pjson_print(saved, NULL);
    struct pjson *parsed = pjson_parse(text, strlen(text), 64);
    struct core *after = core_new(100, "0.1.0");
    assert_int_equal(core_state_restore(after, parsed), 0);
    assert_true(after->started_us == f->core->started_us);
    core_free(after);
    pjson_free(parsed);
    free(text);
    pjson_free(saved);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_weechatrn_buffer_switch_prints_nothing), T(test_set_unread_for_all_buffers),
        T(test_buffer_set_hotlist_adds_with_priority),  T(test_notify_level_gates_the_hotlist),
        T(test_hotlist_clear_mask_and_restore),         T(test_typos_get_weechat_errors),
        T(test_meaningless_ones_say_so_once),           T(test_buffer_set_properties),
        T(test_input_return_and_send_run_as_typed),     T(test_print_options_as_weechat),
        T(test_print_dates_out_of_range_are_refused),   T(test_nick_groups_nest_only_so_deep),
        T(test_version_uptime_and_whose_command_runs),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
