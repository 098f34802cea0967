/* SPDX-License-Identifier: MIT */
/* IRCv3 batches (held lines, nesting, tags added, limits) and labels of our commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irc/batch.h"
#include "irc/label.h"
#include "irc/message.h"
#include "unit_test.h"

/* What ready_cb saw: "type:line|line;" per batch, in order. */
struct seen {
    char text[4096];
};

static void
seen_batch(const struct irc_batch *b, void *data)
{
    struct seen *seen = data;
    size_t used = strlen(seen->text);

    used +=
        (size_t)snprintf(seen->text + used, sizeof(seen->text) - used, "%s:", irc_batch_type(b));
    for (size_t i = 0; i < b->n_lines; i++)
        used += (size_t)snprintf(seen->text + used, sizeof(seen->text) - used, "%s%s", i ? "|" : "",
                                 b->lines[i]);
    snprintf(seen->text + used, sizeof(seen->text) - used, ";");
}

/* Feeds one line: a BATCH opens or ends, another line is held or comes at once (said as
 * "now:line;"). */
static void
feed(struct irc_batches *bs, const char *line, struct seen *seen)
{
    struct irc_message m;

    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    if (strcmp(m.command, "BATCH") == 0 && m.params[0][0] == '+')
        irc_batches_start(bs, &m);
    else if (strcmp(m.command, "BATCH") == 0)
        irc_batches_end(bs, m.params[0] + 1, seen_batch, seen);
    else if (!irc_batches_hold(bs, &m, line, strlen(line)))
        snprintf(seen->text + strlen(seen->text), sizeof(seen->text) - strlen(seen->text),
                 "now:%s;", line);
    irc_message_fini(&m);
}

static void
test_lines_wait_for_their_batch(void **state)
{
    struct irc_batches bs;
    struct seen seen = { "" };

    (void)state;
    irc_batches_init(&bs);
    feed(&bs, ":srv BATCH +a netsplit hub leaf", &seen);
    feed(&bs, "@batch=a :x!u@h QUIT :hub leaf", &seen);
    feed(&bs, ":y!u@h PRIVMSG #c :not in it", &seen);
    feed(&bs, "@batch=zz :z!u@h QUIT :unknown batch", &seen);
    assert_string_equal(seen.text, "now::y!u@h PRIVMSG #c :not in it;"
                                   "now:@batch=zz :z!u@h QUIT :unknown batch;");
    assert_non_null(irc_batches_find(&bs, "a"));
    feed(&bs, ":srv BATCH -a", &seen);
    assert_string_equal(seen.text + strlen(seen.text) -
                            strlen("netsplit:@batch=a :x!u@h QUIT "
                                   ":hub leaf;"),
                        "netsplit:@batch=a :x!u@h QUIT :hub leaf;");
    assert_null(irc_batches_find(&bs, "a"));
    assert_int_equal(bs.n_open, 0);
    assert_int_equal(bs.bytes, 0);
    /* An end for nothing changes nothing. */
    feed(&bs, ":srv BATCH -a", &seen);
    irc_batches_fini(&bs);
}

/* A nested batch comes after its parent, even when it ended first. */
static void
test_nested_batches_come_parent_first(void **state)
{
    struct irc_batches bs;
    struct seen seen = { "" };

    (void)state;
    irc_batches_init(&bs);
    feed(&bs, ":srv BATCH +p outer", &seen);
    feed(&bs, "@batch=p :srv BATCH +c inner", &seen);
    feed(&bs, "@batch=c :a PRIVMSG #c :1", &seen);
    feed(&bs, "@batch=p :a PRIVMSG #c :2", &seen);
    feed(&bs, "@batch=p :srv BATCH -c", &seen);
    assert_string_equal(seen.text, "");
    feed(&bs, ":srv BATCH -p", &seen);
    assert_string_equal(seen.text, "outer:@batch=p :a PRIVMSG #c :2;"
                                   "inner:@batch=c :a PRIVMSG #c :1;");
    assert_int_equal(bs.n_open, 0);
    irc_batches_fini(&bs);
}

static void
test_bad_and_too_many_batches(void **state)
{
    struct irc_batches bs;
    struct irc_message m;
    char line[64];

    (void)state;
    irc_batches_init(&bs);
    static const char *const bad[] = { "BATCH +", "BATCH +r", "BATCH -r x", "BATCH r x",
                                       "PRIVMSG +r x" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(irc_message_parse(bad[i], strlen(bad[i]), &m), 0);
        assert_int_equal(irc_batches_start(&bs, &m), -EINVAL);
        irc_message_fini(&m);
    }
    for (int i = 0; i <= IRC_BATCHES_MAX; i++) {
        snprintf(line, sizeof(line), "BATCH +r%d t", i);
        assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
        assert_int_equal(irc_batches_start(&bs, &m), i < IRC_BATCHES_MAX ? 0 : -ENOSPC);
        irc_message_fini(&m);
    }
    assert_int_equal(irc_message_parse("BATCH +r0 t", 11, &m), 0);
    assert_int_equal(irc_batches_start(&bs, &m), -EEXIST);
    irc_message_fini(&m);
    irc_batches_fini(&bs);
    assert_int_equal(bs.n_open, 0);
}

/* Past the byte limit a line comes at once instead of waiting. */
static void
test_held_bytes_are_bounded(void **state)
{
    struct irc_batches bs;
    struct irc_message m;
    static char line[8000];
    size_t held = 0;

    (void)state;
    irc_batches_init(&bs);
    assert_int_equal(irc_message_parse("BATCH +r t", 10, &m), 0);
    assert_int_equal(irc_batches_start(&bs, &m), 0);
    irc_message_fini(&m);
    memcpy(line, "@batch=r PRIVMSG #c :", 21);
    memset(line + 21, 'x', sizeof(line) - 22);
    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    while (irc_batches_hold(&bs, &m, line, strlen(line)))
        held++;
    irc_message_fini(&m);
    assert_int_equal(held, IRC_BATCH_BYTES_MAX / strlen(line));
    assert_true(bs.bytes <= IRC_BATCH_BYTES_MAX);
    irc_batches_fini(&bs);
    assert_int_equal(bs.bytes, 0);
}

/* A held line gets the BATCH line's tags it lacks, after its own (time, label...). */
static void
test_batch_tags_added_to_its_lines(void **state)
{
    struct irc_batches bs;
    struct irc_message m;
    const char *held = "@batch=r;msgid=1 :a PRIVMSG #c :hi";

    (void)state;
    irc_batches_init(&bs);
    const char *start = "@time=2026-01-02T03:04:05.678Z;label=p7;msgid=0 BATCH +r labeled-response";
    assert_int_equal(irc_message_parse(start, strlen(start), &m), 0);
    assert_int_equal(irc_batches_start(&bs, &m), 0);
    irc_message_fini(&m);
    assert_int_equal(irc_message_parse(held, strlen(held), &m), 0);
    assert_true(irc_batches_hold(&bs, &m, held, strlen(held)));
    irc_message_fini(&m);
    const struct irc_batch *b = irc_batches_find(&bs, "r");
    assert_int_equal(irc_batch_message(b, 0, &m), 0);
    assert_int_equal(m.n_tags, 4);
    assert_string_equal(m.tags[0].key, "batch");
    assert_string_equal(m.tags[1].key, "msgid");
    assert_string_equal(m.tags[1].value, "1");
    assert_string_equal(m.tags[2].key, "time");
    assert_string_equal(m.tags[3].key, "label");
    assert_string_equal(irc_message_tag(&m, "label"), "p7");
    irc_message_fini(&m);
    assert_int_equal(irc_batch_message(b, 1, &m), -EINVAL);
    irc_batches_fini(&bs);
}

/* Before a hand-over every open batch comes out, parents first. */
static void
test_flush_gives_everything(void **state)
{
    struct irc_batches bs;
    struct seen seen = { "" };

    (void)state;
    irc_batches_init(&bs);
    feed(&bs, ":srv BATCH +p outer", &seen);
    feed(&bs, "@batch=p :srv BATCH +c inner", &seen);
    feed(&bs, "@batch=c :a PRIVMSG #c :1", &seen);
    irc_batches_flush(&bs, seen_batch, &seen);
    assert_string_equal(seen.text, "outer:;inner:@batch=c :a PRIVMSG #c :1;");
    assert_int_equal(bs.n_open, 0);
    irc_batches_fini(&bs);
}

static void
test_labels_match_and_are_bounded(void **state)
{
    struct irc_labels ls;
    char first[IRC_LABEL_LEN], label[IRC_LABEL_LEN], last[IRC_LABEL_LEN];

    (void)state;
    irc_labels_init(&ls);
    irc_labels_add(&ls, IRC_LABEL_REGAIN, first);
    irc_labels_add(&ls, IRC_LABEL_USER, label);
    assert_string_not_equal(first, label);
    assert_int_equal(irc_labels_kind(&ls, first), IRC_LABEL_REGAIN);
    assert_int_equal(irc_labels_kind(&ls, label), IRC_LABEL_USER);
    assert_int_equal(irc_labels_kind(&ls, "nope"), IRC_LABEL_NONE);
    assert_int_equal(irc_labels_kind(&ls, NULL), IRC_LABEL_NONE);
    irc_labels_done(&ls, label);
    assert_int_equal(irc_labels_kind(&ls, label), IRC_LABEL_NONE);
    irc_labels_done(&ls, label);
    /* Never answered: the oldest go first. */
    for (int i = 0; i < IRC_LABELS_MAX; i++)
        irc_labels_add(&ls, IRC_LABEL_USER, last);
    assert_int_equal(ls.n_pending, IRC_LABELS_MAX);
    assert_int_equal(irc_labels_kind(&ls, first), IRC_LABEL_NONE);
    assert_int_equal(irc_labels_kind(&ls, last), IRC_LABEL_USER);
    irc_labels_fini(&ls);
    assert_int_equal(ls.n_pending, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_wait_for_their_batch),
        cmocka_unit_test(test_nested_batches_come_parent_first),
        cmocka_unit_test(test_bad_and_too_many_batches),
        cmocka_unit_test(test_held_bytes_are_bounded),
        cmocka_unit_test(test_batch_tags_added_to_its_lines),
        cmocka_unit_test(test_flush_gives_everything),
        cmocka_unit_test(test_labels_match_and_are_bounded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
