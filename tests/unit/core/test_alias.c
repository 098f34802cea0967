/* SPDX-License-Identifier: MIT */
/* Aliases as WeeChat's alias plugin has them: defaults, arguments, running, /alias. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "core/alias.h"
#include "core/color.h"
#include "core/command.h"
#include "core/completion.h"
#include "core/core.h"
#include "last_line.h"
#include "unit_test.h"

/* What the recording command was given, one "buffer: args" per call. */
struct record {
    char calls[8][128];
    int n;
};

static int
rec_cmd(struct core_buffer *buffer, const struct core_args *args)
{
    struct record *r = args->data;

    if (r->n < 8)
        snprintf(r->calls[r->n++], sizeof(r->calls[0]), "%s: %s", buffer->full_name,
                 args->argc > 1 ? args->eol[1] : "");
    return 0;
}

static const struct core_command rec_cmds[] = {
    { "rec", "[text]", "record", "alpha|beta", rec_cmd },
    { NULL, NULL, NULL, NULL, NULL },
};

struct fixture {
    struct core *core;
    struct core_buffer *chan;
    struct record rec;
    int changed;
};

static void
on_changed(void *data)
{
    ((struct fixture *)data)->changed++;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int err;

    f->core = core_new(100, "0.1.0");
    f->chan = core_buffer_open(f->core, "irc", "net.#c", CORE_BUFFER_FORMATTED, &err);
    core_buffer_set_localvar(f->chan, "nick", "alice");
    core_buffer_set_localvar(f->chan, "channel", "#c");
    core_command_register(f->core, "test", rec_cmds, &f->rec);
    core_set_host(f->core, &(struct core_host){ .aliases_changed = on_changed, .data = f });
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
expect_replaced(const char *alias_args, const char *user_args, const char *expected)
{
    char *got = core_alias_replace_args(alias_args, user_args);

    assert_string_equal(got, expected);
    free(got);
}

/* Every form alias_replace_args knows, with too few arguments and the escaped "$". */
static void
test_replace_args(void **state)
{
    (void)state;
    expect_replaced("join", "#a", "join");
    expect_replaced("whois $1 $1", "bob", "whois bob bob");
    expect_replaced("x $2-", "a b  c d", "x b c d");
    expect_replaced("x $-2", "a b c", "x a b");
    expect_replaced("x $2-3", "a b c d", "x b c");
    expect_replaced("x $2-9", "a b c", "x b c");
    expect_replaced("x $*", " a  b ", "x  a  b ");
    expect_replaced("x $&", "say \"hi\"", "x say \\\"hi\\\"");
    expect_replaced("x $~", "a b c", "x c");
    expect_replaced("x $~", "", "x ");
    expect_replaced("x $3", "a b", "x ");
    expect_replaced("x \\$1 $0 $ $x", "a", "x $1 $0 $ $x");
    expect_replaced("$1$2", "a b", "ab");
}

/* WeeChat's defaults are there, sorted, and /alias missing brings a deleted one back. */
static void
test_defaults_and_missing(void **state)
{
    struct fixture *f = *state;
    const struct core_alias *j = core_alias_find(f->core, "j");

    assert_non_null(j);
    assert_string_equal(j->command, "join");
    assert_int_equal(f->core->n_aliases, 32);
    for (size_t i = 1; i < f->core->n_aliases; i++)
        assert_true(strcmp(f->core->aliases[i - 1].name, f->core->aliases[i].name) < 0);
    assert_string_equal(core_alias_find(f->core, "msgbuf")->completion, "%(buffers_plugins_names)");
    assert_int_equal(core_command_input(f->chan, "/alias del w*"), 0);
    assert_null(core_alias_find(f->core, "wii"));
    assert_null(core_alias_find(f->core, "w"));
    assert_non_null(core_alias_find(f->core, "umode"));
    assert_int_equal(f->core->n_aliases, 26);
    assert_string_equal(last_message(f->core->core_buffer), "Alias \"ww\" removed");
    assert_int_equal(core_command_input(f->chan, "/alias missing"), 0);
    assert_int_equal(f->core->n_aliases, 32);
    assert_string_equal(last_message(f->core->core_buffer), "Alias created: \"ww\" => \"whowas\"");
    assert_int_equal(f->changed, 2);
}

/* Arguments follow the last command unless one asked for them; each command gets the
 * buffer's local variables; text without "/" is a command too. */
static void
test_run_commands(void **state)
{
    struct fixture *f = *state;

    core_alias_set(f->core, "two", "/rec first;rec second", NULL);
    assert_int_equal(core_command_input(f->chan, "/two a b"), 0);
    assert_int_equal(f->rec.n, 2);
    assert_string_equal(f->rec.calls[0], "irc.net.#c: first");
    assert_string_equal(f->rec.calls[1], "irc.net.#c: second a b");
    core_alias_set(f->core, "ask", "rec $2 to $channel as $nick, $unknown \\; $1;rec done", NULL);
    assert_int_equal(core_command_input(f->chan, "/ask x y"), 0);
    assert_string_equal(f->rec.calls[2], "irc.net.#c: y to #c as alice, $unknown ; x");
    assert_string_equal(f->rec.calls[3], "irc.net.#c: done");
    /* In the core buffer $nick is not a local variable and stays. */
    core_alias_set(f->core, "me2", "rec $nick", NULL);
    assert_int_equal(core_command_input(f->core->core_buffer, "/me2"), 0);
    assert_string_equal(f->rec.calls[4], "core.weechat: $nick");
    /* An alias runs before a command of its name. */
    core_alias_set(f->core, "rec", "/command test rec shadowed", NULL);
    assert_int_equal(core_command_input(f->chan, "/rec"), 0);
    assert_string_equal(f->rec.calls[5], "irc.net.#c: shadowed");
}

/* An alias calling itself, directly or through another, stops with WeeChat's error; one that
 * deletes itself or closes its buffer while it runs goes on safely. */
static void
test_circular_and_self_changing(void **state)
{
    struct fixture *f = *state;

    core_alias_set(f->core, "ping1", "ping2", NULL);
    core_alias_set(f->core, "ping2", "rec a;ping1", NULL);
    assert_int_equal(core_command_input(f->chan, "/ping1"), 0);
    assert_int_equal(f->rec.n, 1);
    assert_string_equal(last_message(f->core->core_buffer),
                        "alias: error, circular reference when calling alias \"ping1\"");
    assert_string_equal(last_prefix(f->core->core_buffer), CORE_PREFIX_ERROR);
    core_alias_set(f->core, "gone", "alias del gone;rec after", NULL);
    assert_int_equal(core_command_input(f->chan, "/gone"), 0);
    assert_null(core_alias_find(f->core, "gone"));
    assert_string_equal(f->rec.calls[1], "irc.net.#c: after");
    /* A thousand "$*" of 2000 bytes each would make 2 MB: refused, nothing run. */
    char stars[2100] = "rec ", args[2001];
    for (int i = 0; i < 1000; i++)
        strcat(stars, "$*");
    memset(args, 'a', 2000);
    args[2000] = '\0';
    assert_null(core_alias_replace_args(stars, args));
    core_alias_set(f->core, "big", stars, NULL);
    char *typed = malloc(2010);
    snprintf(typed, 2010, "/big %s", args);
    assert_int_equal(core_command_input(f->chan, typed), -E2BIG);
    free(typed);
    assert_int_equal(f->rec.n, 2);
    assert_string_equal(last_message(f->core->core_buffer),
                        "alias: error, alias \"big\" makes a command longer than 1048576 bytes");
    core_alias_set(f->core, "bye2", "buffer close;rec where", NULL);
    assert_int_equal(core_command_input(f->chan, "/bye2"), 0);
    assert_null(core_buffer_by_full_name(f->core, "irc.net.#c"));
    f->chan = NULL;
    assert_string_equal(f->rec.calls[2], "core.weechat: where");
}

/* /alias list, add, addreplace, addcompletion, rename and their errors, in the core buffer. */
static void
test_alias_command_texts(void **state)
{
    struct fixture *f = *state;
    struct core_buffer *cb = f->core->core_buffer;

    assert_int_equal(core_command_input(f->chan, "/alias list wi"), 0);
    assert_string_equal(last_message(cb), "  wii \x19"
                                          "28=>\x19"
                                          "01 whois $1 $1");
    assert_int_equal(core_command_input(f->chan, "/alias list msgbuf"), 0);
    assert_string_equal(last_message(cb), "  msgbuf \x19"
                                          "28=>\x19"
                                          "01 command -buffer $1 * /input send $2-  \x19"
                                          "28(\x19"
                                          "01completion: %(buffers_plugins_names)\x19"
                                          "28)\x19"
                                          "01");
    assert_int_equal(core_command_input(f->chan, "/alias list nothing"), 0);
    assert_string_equal(last_message(cb), "No alias found matching \"nothing\"");
    assert_int_equal(core_command_input(f->chan, "/alias add /hi /rec hello $1"), 0);
    assert_string_equal(last_message(cb), "Alias created: \"hi\" => \"/rec hello $1\"");
    assert_int_equal(core_command_input(f->chan, "/alias add hi /rec x"), -EEXIST);
    assert_string_equal(last_message(cb), "Alias \"hi\" already exists");
    assert_int_equal(core_command_input(f->chan, "/alias addreplace hi /rec bye"), 0);
    assert_string_equal(last_message(cb), "Alias updated: \"hi\" => \"/rec bye\"");
    assert_int_equal(core_command_input(f->chan, "/alias addcompletion %%rec hc /rec"), 0);
    assert_string_equal(core_alias_find(f->core, "hc")->completion, "%%rec");
    assert_int_equal(core_command_input(f->chan, "/alias add a/b /rec"), -EINVAL);
    assert_string_equal(last_message(cb), "alias: error creating alias \"a/b\" => \"/rec\"");
    /* Not UTF-8: two such names could not be told apart once saved. */
    assert_int_equal(core_command_input(f->chan, "/alias add a\xff /rec"), -EINVAL);
    assert_null(core_alias_find(f->core, "a\xff"));
    assert_int_equal(core_command_input(f->chan, "/alias rename hi hey"), 0);
    assert_string_equal(last_message(cb), "Alias \"hi\" has been renamed to \"hey\"");
    assert_int_equal(core_command_input(f->chan, "/alias rename hi x"), -ENOENT);
    assert_string_equal(last_message(cb), "Alias \"hi\" not found");
    assert_int_equal(core_command_input(f->chan, "/alias rename hey j"), -EEXIST);
    assert_string_equal(last_message(cb), "Alias \"j\" already exists");
    assert_int_equal(core_command_input(f->chan, "/alias add x"), -EINVAL);
    assert_string_equal(last_message(cb), "Too few arguments for command \"/alias add\" (help on "
                                          "command: /help alias)");
    assert_int_equal(core_command_input(f->chan, "/alias frob"), -EINVAL);
    assert_string_equal(last_message(cb),
                        "Error with command \"/alias frob\" (help on command: /help alias)");
    /* created, updated, renamed: three saves; errors none. */
    assert_int_equal(f->changed, 4);
    assert_int_equal(core_command_input(f->chan, "/hey"), 0);
    assert_string_equal(f->rec.calls[0], "irc.net.#c: bye");
}

/* An alias completes as its target command, or with the completion it was given. */
static void
test_completion(void **state)
{
    struct fixture *f = *state;
    struct core_completion c;

    core_alias_set(f->core, "r", "rec", NULL);
    core_alias_set(f->core, "r2", "r", NULL);
    core_alias_set(f->core, "own", "rec", "gamma|delta");
    core_completion_run(f->chan, "/r2 al", -1, &c);
    assert_int_equal(c.n_list, 1);
    assert_string_equal(c.list[0], "alpha");
    core_completion_fini(&c);
    core_completion_run(f->chan, "/own ", -1, &c);
    assert_int_equal(c.n_list, 2);
    assert_string_equal(c.list[0], "delta");
    core_completion_fini(&c);
    core_completion_run(f->chan, "/wi", -1, &c);
    assert_int_equal(c.n_list, 3); /* wi, wii, window */
    assert_string_equal(c.list[1], "wii");
    core_completion_fini(&c);
    core_completion_run(f->chan, "/alias del ms", -1, &c);
    assert_int_equal(c.n_list, 1);
    assert_string_equal(c.list[0], "msgbuf");
    core_completion_fini(&c);
}

/* Saved and loaded back the same; entries that cannot be aliases are skipped. */
static void
test_save_and_load(void **state)
{
    struct fixture *f = *state;
    struct pjson *saved, *bad;
    char *text;
    const char *bad_text = "[{\"name\":\"ok\",\"command\":\"rec\"},{\"name\":\"a b\",\"command\":"
                           "\"x\"},{\"name\":\"n\"},{\"name\":\"c\",\"command\":\"x\","
                           "\"completion\":5},7,{\"name\":\"ok\",\"command\":\"dup\"}]";

    core_alias_set(f->core, "mine", "rec $1", "alpha");
    core_alias_del(f->core, "j");
    saved = core_alias_save(f->core);
    text = pjson_print(saved, NULL);
    core_alias_defaults(f->core);
    assert_non_null(core_alias_find(f->core, "j"));
    assert_int_equal(core_alias_load(f->core, saved), 0);
    assert_null(core_alias_find(f->core, "j"));
    assert_string_equal(core_alias_find(f->core, "mine")->completion, "alpha");
    pjson_free(saved);
    saved = core_alias_save(f->core);
    char *again = pjson_print(saved, NULL);
    assert_string_equal(again, text);
    free(again);
    free(text);
    pjson_free(saved);
    bad = pjson_parse(bad_text, strlen(bad_text), 8);
    assert_int_equal(core_alias_load(f->core, bad), 5);
    assert_int_equal(f->core->n_aliases, 1);
    assert_string_equal(core_alias_find(f->core, "ok")->command, "rec");
    pjson_free(bad);
}

/* /command runs one plugin's command (no alias), in another buffer, or several with -s. */
static void
test_command_command(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(
        core_command_input(f->core->core_buffer, "/command -buffer irc.net.#c test rec x"), 0);
    assert_string_equal(f->rec.calls[0], "irc.net.#c: x");
    assert_int_equal(core_command_input(f->chan, "/command core rec y"), -ENOENT);
    assert_string_equal(last_message(f->chan), "Unknown command \"rec\" (type /help for help)");
    assert_int_equal(core_command_input(f->chan, "/command nope rec"), -ENOENT);
    assert_string_equal(last_message(f->chan), "Plugin \"nope\" not found");
    assert_int_equal(core_command_input(f->chan, "/command -buffer nope test rec"), -ENOENT);
    assert_string_equal(last_message(f->chan), "Buffer \"nope\" not found");
    core_alias_set(f->core, "rec", "command test rec via alias", NULL);
    assert_int_equal(core_command_input(f->chan, "/command test /rec z"), 0);
    assert_string_equal(f->rec.calls[1], "irc.net.#c: z");
    assert_int_equal(core_command_input(f->chan, "/command * rec"), 0);
    assert_string_equal(f->rec.calls[2], "irc.net.#c: via alias");
    core_alias_del(f->core, "rec");
    assert_int_equal(core_command_input(f->chan, "/command -s /rec 1;/rec 2\\;3"), 0);
    assert_string_equal(f->rec.calls[3], "irc.net.#c: 1");
    assert_string_equal(f->rec.calls[4], "irc.net.#c: 2;3");
    assert_int_equal(core_command_input(f->chan, "/command core"), -EINVAL);
    assert_int_equal(core_command_input(f->chan, "/print -beep"), 0);
    assert_string_equal(last_message(f->chan), "Too few arguments for command \"/command\" (help "
                                               "on command: /help command)");
}

/* Commands run by commands nest only so deep and so long: a line of a thousand "/input
 * send" or a long command run by /command is refused with WeeChat's error; what follows
 * runs as usual. */
static void
test_nesting_is_bounded(void **state)
{
    struct fixture *f = *state;
    size_t n = 1000, unit = strlen("/input send ");
    char *line = malloc(n * unit + 16), *big = malloc(CORE_COMMAND_NESTED_BYTES + 64);

    for (size_t i = 0; i < n; i++)
        memcpy(line + i * unit, "/input send ", unit);
    strcpy(line + n * unit, "/rec deep");
    assert_int_equal(core_command_input(f->chan, line), -ELOOP);
    assert_int_equal(f->rec.n, 0);
    assert_string_equal(last_message(f->core->core_buffer),
                        "Too many calls to command \"input\" (looping)");
    assert_int_equal(f->core->command_depth, 0);
    assert_int_equal((int)f->core->command_nested, 0);
    /* Long on its own, fine; as long run by another, refused. */
    memcpy(big, "/command * /rec ", 16);
    memset(big + 16, 'a', CORE_COMMAND_NESTED_BYTES);
    big[16 + CORE_COMMAND_NESTED_BYTES] = '\0';
    assert_int_equal(core_command_input(f->chan, big + 11), 0);
    assert_int_equal(f->rec.n, 1);
    assert_int_equal(core_command_input(f->chan, big), -ELOOP);
    assert_int_equal(f->rec.n, 1);
    assert_string_equal(last_message(f->core->core_buffer),
                        "Too many calls to command \"rec\" (looping)");
    assert_int_equal(core_command_input(f->chan, "/command * /input send /rec ok"), 0);
    assert_string_equal(f->rec.calls[1], "irc.net.#c: ok");
    free(line);
    free(big);
}

/* Input that may end the process is answered before it runs: /quit and /upgrade, and what
 * leads to them through aliases and commands that run commands. */
static void
test_what_may_end_the_process(void **state)
{
    struct fixture *f = *state;
    const char *ends[] = { "/quit",
                           "/upgrade",
                           "/bye",
                           "/exit now",
                           "/signoff",
                           "/command core quit",
                           "/command -s /print a;/quit",
                           "/input send /upgrade",
                           "/allserv /quit",
                           "/msgbuf x y",
                           "/m bob I quit",
                           "/ends" };
    const char *stays[] = { "/j #a",  "/msg bob quit", "/print quit", "hello /quit",
                            "//quit", "/m bob hello",  "/quitter",    "/command core print x",
                            "/stays" };

    core_alias_set(f->core, "ends", "print a;bye", NULL);
    core_alias_set(f->core, "stays", "print a;j #b", NULL);
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        if (!core_command_ends_process(f->core, ends[i]))
            fail_msg("%s should end the process", ends[i]);
    }
    for (size_t i = 0; i < sizeof(stays) / sizeof(stays[0]); i++) {
        if (core_command_ends_process(f->core, stays[i]))
            fail_msg("%s should not end the process", stays[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace_args),
        cmocka_unit_test_setup_teardown(test_defaults_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_circular_and_self_changing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias_command_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nesting_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_may_end_the_process, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
