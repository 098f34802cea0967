/* SPDX-License-Identifier: MIT */
/* The core: buffers, line ids, free buffers, nicklist, hotlist, events and commands. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8_case.h"
#include "core/command.h"
#include "core/completion.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "last_line.h"
#include "unit_test.h"

struct recorder {
    char names[64][40];
    int64_t ids[64];
    int n;
};

static void
record(const struct core_event *ev, void *data)
{
    struct recorder *r = data;

    if (ev->type == CORE_EVENT_HOTLIST_CHANGED || r->n >= 64)
        return;
    snprintf(r->names[r->n], sizeof(r->names[0]), "%s", core_event_name(ev->type));
    r->ids[r->n] = ev->buffer_id;
    r->n++;
}

static int
setup(void **state)
{
    struct core *core = core_new(100, "0.1.0");

    *state = core;
    return 0;
}

static int
teardown(void **state)
{
    core_free(*state);
    return 0;
}

static void
print(struct core_buffer *b, const char *msg)
{
    struct core_line_spec spec = { .message = msg, .y = -1 };

    core_buffer_print(b, &spec);
}

static void
test_core_buffer_exists_and_ids_increase(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *a = core_buffer_open(core, "core", "a", CORE_BUFFER_FORMATTED, &err);
    struct core_buffer *b = core_buffer_open(core, "core", "b", CORE_BUFFER_FORMATTED, &err);

    assert_string_equal(core->core_buffer->full_name, "core.weechat");
    assert_int_equal(core->core_buffer->number, 1);
    assert_true(a->id > core->core_buffer->id);
    assert_true(b->id > a->id);
    assert_int_equal(b->number, 3);
    assert_null(core_buffer_open(core, "core", "a", CORE_BUFFER_FORMATTED, &err));
    assert_int_equal(err, -EEXIST);
    assert_null(core_buffer_open(core, "core", "", CORE_BUFFER_FORMATTED, &err));
    assert_ptr_equal(core_buffer_search(core, "core.b"), b);
    char id[32];
    snprintf(id, sizeof(id), "%lld", (long long)b->id);
    assert_ptr_equal(core_buffer_search(core, id), b);
    assert_ptr_equal(core_buffer_search(core, "(?i)CORE.B"), b);
}

static void
test_line_ids_never_reused_after_clear(void **state)
{
    struct core *core = *state;

    print(core->core_buffer, "one");
    print(core->core_buffer, "two");
    core_buffer_clear(core->core_buffer);
    print(core->core_buffer, "three");
    assert_int_equal(core_buffer_line_count(core->core_buffer), 1);
    assert_int_equal(core_buffer_line_at(core->core_buffer, 0)->id, 2);
    assert_int_equal(core_buffer_line_at(core->core_buffer, 0)->y, -1);
}

static void
test_formatted_buffer_keeps_max_lines(void **state)
{
    struct core *core = *state;
    char msg[16];

    for (int i = 0; i < 250; i++) {
        snprintf(msg, sizeof(msg), "%d", i);
        print(core->core_buffer, msg);
    }
    assert_int_equal(core_buffer_line_count(core->core_buffer), 100);
    assert_string_equal(core_buffer_line_at(core->core_buffer, 0)->message, "150");
    assert_string_equal(core_buffer_line_at(core->core_buffer, 99)->message, "249");
    assert_non_null(core_buffer_line_by_id(core->core_buffer, 249));
    assert_null(core_buffer_line_by_id(core->core_buffer, 149));
}

static void
test_free_buffer_lines_by_y_with_fillers(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *f = core_buffer_open(core, "core", "free", CORE_BUFFER_FREE, &err);
    struct core_line_spec spec = { .message = "fourth", .y = 3, .tags = "notify_highlight" };

    print(f, "first");
    core_buffer_print(f, &spec);
    assert_int_equal(core_buffer_line_count(f), 4);
    assert_int_equal(core_buffer_line_at(f, 2)->date_us, 0);
    assert_int_equal(core_buffer_line_at(f, 3)->id, 3);
    assert_false(core_buffer_line_at(f, 3)->highlight);
    assert_int_equal(core_buffer_line_at(f, 3)->notify_level, 0);
    spec.message = "rewritten";
    spec.y = 0;
    core_buffer_print(f, &spec);
    assert_int_equal(core_buffer_line_count(f), 4);
    assert_string_equal(core_buffer_line_at(f, 0)->message, "rewritten");
}

static void
test_events_for_buffer_changes_in_order(void **state)
{
    struct core *core = *state;
    struct recorder r = { .n = 0 };
    void *sub = core_event_subscribe(&core->bus, record, &r);
    int err;
    struct core_buffer *b = core_buffer_open(core, "core", "x", CORE_BUFFER_FORMATTED, &err);
    struct core_nick_group *g = core_nicklist_add_group(b, NULL, "000|o", NULL, true);

    core_nicklist_add_nick(b, g, "alice", NULL, "@", "lightgreen", true);
    core_buffer_set_title(b, "t");
    core_buffer_set_title(b, "t"); /* unchanged: no event */
    assert_int_equal(core_buffer_set_name(b, "y"), 0);
    print(b, "hello");
    core_buffer_set_input(b, "abc", 3);
    core_buffer_set_input(b, "abc", 0);
    core_buffer_close(b);
    const char *expected[] = {
        "buffer_opened",        "nicklist_group_added",    "nicklist_nick_added",
        "buffer_title_changed", "buffer_localvar_changed", "buffer_renamed",
        "buffer_line_added",    "input_text_changed",      "input_text_cursor_moved",
        "buffer_closing",       "nicklist_nick_removing",  "nicklist_group_removing",
        "buffer_closed"
    };
    assert_int_equal(r.n, (int)(sizeof(expected) / sizeof(expected[0])));
    for (int i = 0; i < r.n; i++)
        assert_string_equal(r.names[i], expected[i]);
    assert_true(r.ids[r.n - 1] > 0);
    core_event_unsubscribe(&core->bus, sub);
}

/* Each name's place in a walk of the group's nicks (or subgroups), joined by spaces. */
static void
assert_nicks(const struct core_nick_group *g, const char *expected)
{
    char got[256] = "";
    struct list *pos;

    list_for_each (pos, &g->nicks) {
        const struct core_nick *n = list_entry(pos, struct core_nick, link);
        strcat(got, got[0] ? " " : "");
        strcat(got, n->name);
    }
    assert_string_equal(got, expected);
}

static void
test_nicklist_keeps_groups_and_nicks_sorted_case_insensitively(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *b = core_buffer_open(core, "core", "x", CORE_BUFFER_FORMATTED, &err);
    struct core_nick_group *v = core_nicklist_add_group(b, NULL, "004|v", NULL, true);
    struct core_nick_group *o = core_nicklist_add_group(b, NULL, "002|o", NULL, true);
    struct list *first = b->nicklist_root->groups.next;

    /* gui_nicklist_insert_group_sorted / _nick_sorted: by name, case aside. */
    assert_ptr_equal(list_entry(first, struct core_nick_group, link), o);
    assert_ptr_equal(list_entry(first->next, struct core_nick_group, link), v);
    const char *names[] = { "me", "Bob", "alice", "\xc3\x89mile", "carol", "\xc3\xa9ric", "bob" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        core_nicklist_add_nick(b, o, names[i], NULL, "@", NULL, true);
    /* "Bob" and "bob" compare equal: the later one goes after; É and é sort past ASCII. */
    assert_nicks(o, "alice Bob bob carol me \xc3\x89mile \xc3\xa9ric");
    core_nicklist_remove_nick(b, core_nicklist_find_nick(b->nicklist_root, "me"));
    core_nicklist_add_nick(b, o, "me", NULL, "@", NULL, true);
    assert_nicks(o, "alice Bob bob carol me \xc3\x89mile \xc3\xa9ric");
    core_buffer_close(b);
}

/* The list and its by_name index hold the same nicks in the same order, sorted. */
static void
assert_nicks_sorted(const struct core_nick_group *g, size_t expected_count)
{
    size_t i = 0;
    struct list *pos;

    list_for_each (pos, &g->nicks) {
        const struct core_nick *n = list_entry(pos, struct core_nick, link);
        assert_true(i < g->by_name.n);
        assert_ptr_equal(g->by_name.items[i], n);
        if (i > 0)
            assert_true(
                utf8_casecmp(((struct core_nick *)g->by_name.items[i - 1])->name, n->name) <= 0);
        i++;
    }
    assert_int_equal(i, expected_count);
    assert_int_equal(g->by_name.n, expected_count);
}

static void
test_nicklist_index_follows_adds_and_removals(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *b = core_buffer_open(core, "core", "x", CORE_BUFFER_FORMATTED, &err);
    struct core_nick_group *g = core_nicklist_add_group(b, NULL, "999|...", NULL, true);
    struct core_nick *added[300];
    char name[32];
    unsigned seed = 7;
    size_t kept = 0;

    for (size_t i = 0; i < 300; i++) {
        seed = seed * 1103515245 + 12345;
        /* Few distinct names: many equal ones, in both cases. */
        snprintf(name, sizeof(name), "%cn%u", (seed >> 16) % 2 ? 'A' : 'a', (seed >> 8) % 40);
        added[i] = core_nicklist_add_nick(b, g, name, NULL, NULL, NULL, true);
    }
    assert_nicks_sorted(g, 300);
    for (size_t i = 0; i < 300; i++) {
        if (i % 3 == 0)
            core_nicklist_remove_nick(b, added[i]);
        else
            kept++;
    }
    assert_nicks_sorted(g, kept);
    /* Found by exact name among those equal case aside; "AN1" equals some, is none. */
    for (size_t i = 1; i < 300; i += 3) {
        struct core_nick *found = core_nicklist_find_nick(b->nicklist_root, added[i]->name);
        assert_non_null(found);
        assert_string_equal(found->name, added[i]->name);
    }
    assert_null(core_nicklist_find_nick(b->nicklist_root, "AN1"));
    core_nicklist_add_nick(b, g, "zz", NULL, NULL, NULL, true);
    core_nicklist_add_nick(b, g, "", NULL, NULL, NULL, true);
    assert_nicks_sorted(g, kept + 2);
    core_nicklist_remove_group(b, g);
    assert_null(core_nicklist_find_nick(b->nicklist_root, "zz"));
    core_buffer_close(b);
}

static void
test_hotlist_priority_counts_and_order(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *a = core_buffer_open(core, "core", "a", CORE_BUFFER_FORMATTED, &err);
    struct core_buffer *b = core_buffer_open(core, "core", "b", CORE_BUFFER_FORMATTED, &err);
    struct core_line_spec msg = { .message = "m", .tags = "notify_message", .y = -1 };
    struct core_line_spec hl = { .message = "h", .tags = "notify_highlight", .y = -1 };
    struct core_line_spec none = { .message = "n", .tags = "notify_none", .y = -1 };

    core_buffer_print(a, &msg);
    core_buffer_print(b, &hl);
    core_buffer_print(a, &msg);
    core_buffer_print(a, &none);
    const struct core_hotlist_entry *first =
        list_entry(core->hotlist.next, struct core_hotlist_entry, link);
    assert_ptr_equal(first->buffer, b);
    assert_int_equal(first->priority, 3);
    const struct core_hotlist_entry *second =
        list_entry(core->hotlist.next->next, struct core_hotlist_entry, link);
    assert_int_equal(second->count[1], 2);
    assert_int_equal(second->count[0], 0);
    core_buffer_close(b);
    assert_ptr_equal(list_entry(core->hotlist.next, struct core_hotlist_entry, link)->buffer, a);
}

static void
test_hotlist_pauses_nest(void **state)
{
    struct core *core = *state;
    int err;
    struct core_buffer *a = core_buffer_open(core, "core", "a", CORE_BUFFER_FORMATTED, &err);
    struct core_line_spec msg = { .message = "m", .tags = "notify_message", .y = -1 };

    core_hotlist_pause(core);
    core_hotlist_pause(core);
    core_buffer_print(a, &msg);
    core_hotlist_resume(core);
    core_buffer_print(a, &msg);
    assert_true(list_is_empty(&core->hotlist));
    assert_int_equal(a->n_lines, 2);
    core_hotlist_resume(core);
    core_hotlist_resume(core); /* one too many: harmless */
    core_buffer_print(a, &msg);
    const struct core_hotlist_entry *e =
        list_entry(core->hotlist.next, struct core_hotlist_entry, link);
    assert_ptr_equal(e->buffer, a);
    assert_int_equal(e->count[1], 1);
}

static void
test_commands_print_buffer_and_errors(void **state)
{
    struct core *core = *state;
    struct core_buffer *cb = core->core_buffer;
    struct core_buffer *nb;

    assert_int_equal(core_command_input(cb, "/print -newbuffer news -tags a,b hello\tworld"), 0);
    nb = core_buffer_by_full_name(core, "core.news");
    assert_non_null(nb);
    assert_string_equal(core_buffer_line_at(nb, 0)->prefix, "hello");
    assert_string_equal(core_buffer_line_at(nb, 0)->message, "world");
    assert_int_equal(core_buffer_line_at(nb, 0)->n_tags, 2);
    assert_int_equal(core_command_input(cb, "/print -buffer core.news -date 1700000000 old"), 0);
    assert_int_equal(core_buffer_line_at(nb, 1)->date_us, 1700000000LL * 1000000);
    assert_true(core_command_input(cb, "/print -date yesterday x") < 0);
    assert_string_equal(last_message(cb),
                        "Error with command \"/print -date yesterday x\" (help on "
                        "command: /help print)");
    assert_true(core_command_input(cb, "/nosuch") < 0);
    assert_string_equal(last_message(cb), "Unknown command \"nosuch\" (type /help for help)");
    assert_true(core_command_input(cb, "plain text") < 0);
    assert_string_equal(last_message(cb), "You can not write text in this buffer");
    assert_true(core_command_input(cb, "/buffer close") < 0);
    assert_int_equal(core_command_input(cb, "/buffer close core.news"), 0);
    assert_null(core_buffer_by_full_name(core, "core.news"));
    assert_int_equal(core_command_input(cb, "/buffer set title hello there"), 0);
    assert_string_equal(cb->title, "hello there");
    assert_int_equal(core_command_input(cb, "/buffer set localvar_set_away yes"), 0);
    assert_string_equal(core_buffer_localvar(cb, "away"), "yes");
    assert_true(core_command_input(cb, "/buffer set localvar_set_plugin x") < 0);
    assert_int_equal(core_command_input(cb, "/help print"), 0);
    assert_int_equal(core_command_input(cb, "/input insert héllo"), 0);
    assert_string_equal(cb->input, "héllo");
    assert_int_equal(cb->input_position, 5);
}

static void
host_quit(void *data, const char *message)
{
    snprintf(data, 64, "%s", message ? message : "(none)");
}

static void
test_quit_calls_the_host(void **state)
{
    struct core *core = *state;
    char got[64] = "";
    struct core_host host = { .quit = host_quit, .data = got };

    assert_true(core_command_input(core->core_buffer, "/quit") < 0);
    core_set_host(core, &host);
    assert_int_equal(core_command_input(core->core_buffer, "/quit see you"), 0);
    assert_string_equal(got, "see you");
}

static void
test_completion_commands_args_and_nicks(void **state)
{
    struct core *core = *state;
    struct core_completion c;
    int err;
    struct core_buffer *ch = core_buffer_open(core, "irc", "net.#c", CORE_BUFFER_FORMATTED, &err);

    core_completion_run(core->core_buffer, "/bu", -1, &c);
    assert_string_equal(c.context, "command");
    assert_string_equal(c.base_word, "bu");
    assert_int_equal(c.position_replace, 1);
    assert_int_equal(c.n_list, 1);
    assert_string_equal(c.list[0], "buffer");
    core_completion_fini(&c);

    core_completion_run(core->core_buffer, "/buffer cl", -1, &c);
    assert_string_equal(c.context, "command_arg");
    assert_int_equal(c.position_replace, 8);
    assert_int_equal(c.n_list, 2); /* clear, close */
    core_completion_fini(&c);

    core_completion_run(core->core_buffer, "/buffer close irc.", -1, &c);
    assert_int_equal(c.n_list, 1);
    assert_string_equal(c.list[0], "irc.net.#c");
    core_completion_fini(&c);

    core_buffer_set_nicklist(ch, true);
    core_nicklist_add_nick(ch, NULL, "bob", NULL, NULL, NULL, true);
    core_nicklist_add_nick(ch, NULL, "carol", NULL, NULL, NULL, true);
    core_completion_run(ch, "b", -1, &c);
    assert_string_equal(c.context, "auto");
    assert_false(c.add_space);
    assert_string_equal(c.list[0], "bob: ");
    core_completion_fini(&c);
    core_completion_run(ch, "hello c", -1, &c);
    assert_true(c.add_space);
    assert_int_equal(c.position_replace, 6);
    assert_string_equal(c.list[0], "carol");
    core_completion_fini(&c);
    core_completion_run(ch, "hé b x", 4, &c); /* cursor after "hé b": characters, not bytes */
    assert_string_equal(c.base_word, "b");
    assert_int_equal(c.position_replace, 4);
    core_completion_fini(&c);
}

static int
hello_cmd(struct core_buffer *buffer, const struct core_args *args)
{
    int *calls = args->data;

    (*calls)++;
    core_command_info(buffer, "hello %s", args->argc > 1 ? args->eol[1] : "");
    return 0;
}

/* Another component's commands run, complete and show in /help like the core's own. */
static void
test_registered_commands(void **state)
{
    struct core *core = *state;
    static const struct core_command cmds[] = {
        { "hello", "[text]", "say hello", "world|there", hello_cmd },
        { NULL, NULL, NULL, NULL, NULL },
    };
    struct core_completion c;
    int calls = 0;
    const struct core_line *last;

    core_command_register(core, "test", cmds, &calls);
    assert_int_equal(core_command_input(core->core_buffer, "/hello big world"), 0);
    assert_int_equal(calls, 1);
    last = core_buffer_line_at(core->core_buffer, core_buffer_line_count(core->core_buffer) - 1);
    assert_string_equal(last->message, "hello big world");
    core_completion_run(core->core_buffer, "/hel", -1, &c);
    assert_int_equal(c.n_list, 2); /* help, hello */
    core_completion_fini(&c);
    core_completion_run(core->core_buffer, "/hello w", -1, &c);
    assert_int_equal(c.n_list, 1);
    assert_string_equal(c.list[0], "world");
    core_completion_fini(&c);
    assert_int_equal(core_command_input(core->core_buffer, "/help hello"), 0);
    last = core_buffer_line_at(core->core_buffer, core_buffer_line_count(core->core_buffer) - 1);
    assert_string_equal(last->message, "  say hello");
}

static bool
things_hook(struct core_completion *c, const struct core_buffer *buffer, void *data)
{
    (void)buffer;
    (void)data;
    core_completion_offer(c, "zeta", true, CORE_COMPLETION_SORT);
    core_completion_offer(c, "beta", true, CORE_COMPLETION_SORT);
    core_completion_offer(c, "zeta", true, CORE_COMPLETION_BEGINNING); /* moves first */
    core_completion_offer(c, "me", true, CORE_COMPLETION_END);
    return true;
}

/* A hooked item keeps its order (first, sorted, last); "||" alternatives are picked by the
 * first argument, as WeeChat picks them. */
static void
test_completion_hooks_positions_and_alternatives(void **state)
{
    struct core *core = *state;
    static const struct core_command cmds[] = {
        { "pick", "", "", "one|two %things || three x|y", hello_cmd },
        { NULL, NULL, NULL, NULL, NULL },
    };
    struct core_completion c;
    int calls = 0;

    core_command_register(core, "test", cmds, &calls);
    core_completion_hook(core, "things", things_hook, NULL);
    core_completion_run(core->core_buffer, "/pick ", -1, &c);
    assert_int_equal(c.n_list, 3);
    assert_string_equal(c.list[0], "one");
    assert_string_equal(c.list[2], "two");
    core_completion_fini(&c);
    core_completion_run(core->core_buffer, "/pick two ", -1, &c);
    assert_int_equal(c.n_list, 3);
    assert_string_equal(c.list[0], "zeta");
    assert_string_equal(c.list[1], "beta");
    assert_string_equal(c.list[2], "me");
    core_completion_fini(&c);
    core_completion_run(core->core_buffer, "/pick three ", -1, &c);
    assert_int_equal(c.n_list, 2);
    assert_string_equal(c.list[0], "x");
    core_completion_fini(&c);
    core_completion_unhook(core, NULL);
    core_completion_run(core->core_buffer, "/pick two ", -1, &c);
    assert_int_equal(c.n_list, 0);
    core_completion_fini(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_core_buffer_exists_and_ids_increase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_ids_never_reused_after_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formatted_buffer_keeps_max_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_buffer_lines_by_y_with_fillers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_for_buffer_changes_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_nicklist_keeps_groups_and_nicks_sorted_case_insensitively, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nicklist_index_follows_adds_and_removals, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hotlist_priority_counts_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotlist_pauses_nest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commands_print_buffer_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_calls_the_host, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completion_commands_args_and_nicks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completion_hooks_positions_and_alternatives, setup,
                                        teardown),
    };

    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
