/* SPDX-License-Identifier: MIT */
/* The IRC building blocks: ISUPPORT and case mapping, CTCP, the line reader, flood control
 * and reconnection backoff. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/backoff.h"
#include "irc/autojoin.h"
#include "irc/ctcp.h"
#include "irc/flood.h"
#include "irc/isupport.h"
#include "irc/masks.h"
#include "irc/message.h"
#include "irc/modelist.h"
#include "irc/reader.h"
#include "unit_test.h"

static void
apply_005(struct irc_isupport *is, const char *line)
{
    struct irc_message m;

    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    irc_isupport_apply(is, &m);
    irc_message_fini(&m);
}

static void
test_isupport(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    /* RFC 1459 until the server says otherwise. */
    assert_int_equal(irc_isupport_prefix_mode(&is, '@'), 'o');
    assert_true(irc_isupport_is_channel(&is, "&local"));
    assert_int_equal(is.casemapping, IRC_CASEMAPPING_RFC1459);
    apply_005(&is, ":s 005 me PREFIX=(qaohv)~&@%+ CHANTYPES=# CASEMAPPING=ascii "
                   "NETWORK=Test\\x20Net LINELEN=1024 EXCEPTS :are supported by this server");
    assert_string_equal(is.prefix_modes, "qaohv");
    assert_string_equal(is.prefix_chars, "~&@%+");
    assert_int_equal(irc_isupport_prefix_mode(&is, '%'), 'h');
    assert_int_equal(irc_isupport_mode_prefix(&is, 'h'), '%');
    assert_int_equal(irc_isupport_mode_prefix(&is, 'b'), 0);
    assert_int_equal(irc_isupport_mode_prefix(&is, 0), 0);
    assert_int_equal(irc_isupport_prefix_rank(&is, 'q'), 0);
    assert_int_equal(irc_isupport_prefix_rank(&is, '+'), 4);
    assert_int_equal(irc_isupport_prefix_rank(&is, 'x'), -1);
    assert_false(irc_isupport_is_channel(&is, "&local"));
    assert_true(irc_isupport_is_channel(&is, "#perch"));
    assert_int_equal(is.casemapping, IRC_CASEMAPPING_ASCII);
    assert_int_equal(is.linelen, 1024);
    assert_string_equal(irc_isupport_get(&is, "NETWORK"), "Test Net");
    assert_string_equal(irc_isupport_get(&is, "EXCEPTS"), "");
    /* A later 005 may take a token back; a malformed PREFIX keeps the defaults. */
    apply_005(&is, ":s 005 me -EXCEPTS PREFIX=(ov)@ :are supported");
    assert_null(irc_isupport_get(&is, "EXCEPTS"));
    assert_string_equal(is.prefix_modes, "ov");
    assert_string_equal(is.prefix_chars, "@+");
    irc_isupport_fini(&is);
}

/* MODES: how many changes with an argument one MODE line may carry. */
static void
test_isupport_modes(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    assert_int_equal(is.modes, 4); /* unsaid */
    apply_005(&is, ":s 005 me MODES=6 :are supported");
    assert_int_equal(is.modes, 6);
    apply_005(&is, ":s 005 me MODES :are supported"); /* no limit said: the default */
    assert_int_equal(is.modes, 4);
    apply_005(&is, ":s 005 me MODES=0 :are supported");
    assert_int_equal(is.modes, 1);
    apply_005(&is, ":s 005 me MODES=100000 :are supported");
    assert_int_equal(is.modes, 128);
    apply_005(&is, ":s 005 me MODES=5x :are supported");
    assert_int_equal(is.modes, 4);
    apply_005(&is, ":s 005 me MODES=3 :are supported");
    apply_005(&is, ":s 005 me -MODES :are supported");
    assert_int_equal(is.modes, 4);
    irc_isupport_fini(&is);
}

/* "*" is the only wildcard; [ ] \ ? are a nick's own characters, folded as the server does. */
static void
test_mask_match(void **state)
{
    const enum irc_casemapping rfc = IRC_CASEMAPPING_RFC1459;

    (void)state;
    assert_true(irc_mask_match(rfc, "bob", "bob"));
    assert_true(irc_mask_match(rfc, "BOB", "bob"));
    assert_false(irc_mask_match(rfc, "bob", "bobby"));
    assert_false(irc_mask_match(rfc, "bobby", "bob"));
    assert_true(irc_mask_match(rfc, "*", "anyone"));
    assert_true(irc_mask_match(rfc, "b*", "bob"));
    assert_true(irc_mask_match(rfc, "*b", "bob"));
    assert_true(irc_mask_match(rfc, "b*b", "bob"));
    assert_true(irc_mask_match(rfc, "b*b", "bb"));
    assert_true(irc_mask_match(rfc, "*o*", "bob"));
    assert_true(irc_mask_match(rfc, "a*b*c", "aXbYbZc"));
    assert_false(irc_mask_match(rfc, "a*b*c", "aXbYcZ"));
    assert_true(irc_mask_match(rfc, "**", ""));
    assert_false(irc_mask_match(rfc, "", "bob"));
    assert_true(irc_mask_match(rfc, "[away]", "[away]"));
    assert_false(irc_mask_match(rfc, "[away]", "a"));
    assert_true(irc_mask_match(rfc, "{away}", "[AWAY]"));
    assert_false(irc_mask_match(IRC_CASEMAPPING_ASCII, "{away}", "[away]"));
    assert_false(irc_mask_match(rfc, "b?b", "bob"));
    assert_true(irc_mask_match(rfc, "b?b", "b?b"));
}

static void
test_mask_default_ban(void **state)
{
    char *m;

    (void)state;
    m = irc_mask_default_ban("alice@example.org");
    assert_string_equal(m, "*!alice@example.org");
    free(m);
    /* An ident the server could not verify says nothing about the user. */
    m = irc_mask_default_ban("~bob@127.0.0.1");
    assert_string_equal(m, "*!*@127.0.0.1");
    free(m);
    m = irc_mask_default_ban("@host");
    assert_string_equal(m, "*!*@host");
    free(m);
    assert_null(irc_mask_default_ban(NULL));
    assert_null(irc_mask_default_ban("nohost"));
    assert_null(irc_mask_default_ban("user@"));
}

/* Numbers as WeeChat gives them: from 1 per listing, the last plus one for a new mask, kept
 * when a mask goes. */
static void
test_modelist(void **state)
{
    struct irc_modelists lists = { 0 };
    struct irc_modelist *bans;

    (void)state;
    bans = irc_modelists_get(&lists, 'b');
    assert_ptr_equal(irc_modelists_get(&lists, 'b'), bans);
    assert_null(irc_modelists_find(&lists, 'e'));
    assert_int_equal(irc_modelist_received(bans, "a!*@*", "op!u@h", 10), 1);
    assert_int_equal(irc_modelist_received(bans, "b!*@*", NULL, 0), 2);
    irc_modelist_end(bans);
    irc_modelist_add(bans, "c!*@*", "op", 11);
    irc_modelist_remove(bans, "a!*@*");
    irc_modelist_remove(bans, "nothing");
    assert_null(irc_modelist_mask(bans, 1));
    assert_string_equal(irc_modelist_mask(bans, 2), "b!*@*");
    assert_string_equal(irc_modelist_mask(bans, 3), "c!*@*");
    assert_string_equal(bans->items[1].setter, "op");
    assert_null(bans->items[0].setter);
    /* A date no clock gives is kept as none. */
    irc_modelist_add(bans, "d!*@*", NULL, -5);
    irc_modelist_add(bans, "e!*@*", NULL, IRC_MODELIST_WHEN_MAX + 1);
    assert_int_equal(bans->items[2].when, 0);
    assert_int_equal(bans->items[3].when, 0);
    irc_modelist_remove(bans, "d!*@*");
    irc_modelist_remove(bans, "e!*@*");
    /* Listed again: the list starts anew. */
    assert_int_equal(irc_modelist_received(bans, "c!*@*", NULL, 0), 1);
    irc_modelist_end(bans);
    assert_int_equal(bans->n, 1);
    assert_string_equal(irc_modelist_mask(bans, 1), "c!*@*");
    /* An end with no reply: the list is empty. */
    irc_modelist_end(bans);
    assert_int_equal(bans->n, 0);
    assert_null(irc_modelist_mask(bans, 1));
    /* Bounded: masks past the limit are not kept, and lists per channel are too. */
    for (int i = 0; i < IRC_MODELIST_ITEMS_MAX; i++)
        assert_int_equal(irc_modelist_received(bans, "m", NULL, 0), i + 1);
    assert_int_equal(irc_modelist_received(bans, "more", NULL, 0), 0);
    irc_modelist_add(bans, "more", NULL, 0);
    assert_int_equal(bans->n, IRC_MODELIST_ITEMS_MAX);
    for (int i = 1; i < IRC_MODELISTS_MAX; i++)
        assert_non_null(irc_modelists_get(&lists, (char)('A' + i)));
    assert_null(irc_modelists_get(&lists, 'z'));
    irc_modelists_fini(&lists);
}

static void
test_casemapping(void **state)
{
    (void)state;
    assert_int_equal(irc_casecmp(IRC_CASEMAPPING_RFC1459, "Nick[a]~", "nick{A}^"), 0);
    assert_true(irc_casecmp(IRC_CASEMAPPING_STRICT_RFC1459, "a~", "a^") != 0);
    assert_int_equal(irc_casecmp(IRC_CASEMAPPING_STRICT_RFC1459, "A\\", "a|"), 0);
    assert_true(irc_casecmp(IRC_CASEMAPPING_ASCII, "a[", "a{") != 0);
    assert_int_equal(irc_casecmp(IRC_CASEMAPPING_ASCII, "#PeRcH", "#perch"), 0);
    assert_true(irc_casecmp(IRC_CASEMAPPING_ASCII, "ab", "abc") < 0);
}

static void
test_ctcp(void **state)
{
    char *cmd, *args;
    struct buf out;

    (void)state;
    assert_true(irc_ctcp_parse("\001ACTION waves hello\001", &cmd, &args));
    assert_string_equal(cmd, "ACTION");
    assert_string_equal(args, "waves hello");
    free(cmd);
    free(args);
    /* Lower case and a missing closing \001, as some clients send. */
    assert_true(irc_ctcp_parse("\001version", &cmd, &args));
    assert_string_equal(cmd, "VERSION");
    assert_string_equal(args, "");
    free(cmd);
    free(args);
    assert_false(irc_ctcp_parse("plain text", &cmd, &args));
    assert_false(irc_ctcp_parse("\001", &cmd, &args));
    assert_false(irc_ctcp_parse("\001\001", &cmd, &args));
    buf_init(&out, 512);
    assert_int_equal(irc_ctcp_format(&out, "PING", "12345"), 0);
    assert_int_equal(irc_ctcp_format(&out, "VERSION", NULL), 0);
    assert_string_equal(out.data, "\001PING 12345\001\001VERSION\001");
    buf_fini(&out);
}

struct lines {
    char got[8][64];
    int n;
};

static void
on_line(const char *line, size_t len, void *data)
{
    struct lines *l = data;

    memcpy(l->got[l->n], line, len);
    l->got[l->n++][len] = '\0';
}

static void
test_reader(void **state)
{
    struct irc_reader r;
    struct lines l = { .n = 0 };
    const char *stream = "PING :a\r\n\r\nPRIVMSG #c :0123456789abcdef\r\nNOTICE x :";

    (void)state;
    irc_reader_init(&r, 20);
    /* Byte by byte or at once, the same lines. */
    for (size_t i = 0; i < strlen(stream); i++)
        irc_reader_feed(&r, stream + i, 1, on_line, &l);
    irc_reader_feed(&r, "y\n", 2, on_line, &l);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.got[0], "PING :a");
    /* Too long: cut at the limit, the rest of that line skipped and counted. */
    assert_string_equal(l.got[1], "PRIVMSG #c :01234567");
    assert_string_equal(l.got[2], "NOTICE x :y");
    assert_int_equal(r.too_long, 1);
    irc_reader_fini(&r);
}

/* A partial line handed to a new reader (an upgrade) is continued by the next bytes: every
 * split point of the stream gives the same lines, none lost or doubled. */
static void
test_reader_partial_line_crosses_to_a_new_reader(void **state)
{
    const char *stream = "PING :a\r\nPRIVMSG #c :hello\r\nNOTICE x :y\r\n";
    size_t n = strlen(stream);

    (void)state;
    for (size_t cut = 0; cut <= n; cut++) {
        struct irc_reader old, new;
        struct lines l = { .n = 0 };
        const char *partial;
        size_t len;
        irc_reader_init(&old, 64);
        irc_reader_feed(&old, stream, cut, on_line, &l);
        partial = irc_reader_partial(&old, &len);
        irc_reader_init(&new, 64);
        irc_reader_restore(&new, partial, len, old.skipping);
        irc_reader_fini(&old);
        irc_reader_feed(&new, stream + cut, n - cut, on_line, &l);
        assert_int_equal(l.n, 3);
        assert_string_equal(l.got[1], "PRIVMSG #c :hello");
        assert_string_equal(l.got[2], "NOTICE x :y");
        irc_reader_partial(&new, &len);
        assert_int_equal(len, 0);
        irc_reader_fini(&new);
    }
}

/* Tokens put back as kept (unescaped) act as the 005 that brought them. */
static void
test_isupport_put_derives_like_apply(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    irc_isupport_put(&is, "PREFIX", "(qov)~@+");
    irc_isupport_put(&is, "NETWORK", "Test Net");
    irc_isupport_put(&is, "CASEMAPPING", "ascii");
    assert_string_equal(is.prefix_chars, "~@+");
    assert_int_equal(is.casemapping, IRC_CASEMAPPING_ASCII);
    assert_string_equal(irc_isupport_get(&is, "NETWORK"), "Test Net");
    irc_isupport_put(&is, "NETWORK", "Other");
    assert_int_equal(is.n, 3);
    assert_string_equal(irc_isupport_get(&is, "NETWORK"), "Other");
    irc_isupport_fini(&is);
}

static void
test_flood(void **state)
{
    struct irc_flood f;
    int sent = 0;

    (void)state;
    irc_flood_init(&f, 4, 2000, 1000);
    while (irc_flood_take(&f, 1000))
        sent++;
    assert_int_equal(sent, 4);
    assert_int_equal(irc_flood_wait(&f, 1000), 2001);
    assert_false(irc_flood_take(&f, 2999));
    assert_true(irc_flood_take(&f, 3000));
    /* Idle time refills up to the burst, not past it. */
    assert_int_equal(irc_flood_wait(&f, 100000), 0);
    sent = 0;
    while (irc_flood_take(&f, 100000))
        sent++;
    assert_int_equal(sent, 4);
    irc_flood_init(&f, 1, 0, 0);
    for (int i = 0; i < 100; i++)
        assert_true(irc_flood_take(&f, 0));
}

static void
test_backoff(void **state)
{
    struct backoff b = { .min_ms = 0, .first_ms = 1000, .max_ms = 600000 };

    (void)state;
    /* Full jitter: the random number picks anywhere up to the doubling cap. */
    assert_int_equal(backoff_next(&b, 0), 0);
    assert_int_equal(backoff_next(&b, UINT32_MAX), UINT32_MAX % 2001);
    assert_int_equal(backoff_next(&b, 4000), 4000);
    for (int i = 0; i < 100; i++)
        assert_true(backoff_next(&b, UINT32_MAX) <= 600000);
    assert_int_equal(backoff_next(&b, 599999), 599999);
    backoff_reset(&b);
    assert_int_equal(backoff_next(&b, 5000), 5000 % 1001);
}

/* The autojoin value follows joins and parts: channels with keys first, keys kept when a
 * join names none, names compared as the network compares them, unchanged is NULL. */
static void
test_autojoin(void **state)
{
    (void)state;
    char *v = irc_autojoin_add("", "#a", NULL, IRC_CASEMAPPING_RFC1459);

    assert_string_equal(v, "#a");
    char *w = irc_autojoin_add(v, "#b", "secret", IRC_CASEMAPPING_RFC1459);
    assert_string_equal(w, "#b,#a secret");
    assert_null(irc_autojoin_add(w, "#B", NULL, IRC_CASEMAPPING_RFC1459));
    assert_null(irc_autojoin_add("#x{", "#X[", NULL, IRC_CASEMAPPING_RFC1459));
    free(v);
    v = irc_autojoin_add(w, "#A", "k2", IRC_CASEMAPPING_RFC1459);
    assert_string_equal(v, "#b,#a secret,k2");
    assert_true(irc_autojoin_has(v, "#B", IRC_CASEMAPPING_RFC1459));
    assert_false(irc_autojoin_has(v, "#c", IRC_CASEMAPPING_RFC1459));
    free(w);
    w = irc_autojoin_remove(v, "#b", IRC_CASEMAPPING_RFC1459);
    assert_string_equal(w, "#a k2");
    assert_null(irc_autojoin_remove(w, "#nowhere", IRC_CASEMAPPING_RFC1459));
    /* What an autojoin value cannot hold is refused. */
    assert_null(irc_autojoin_add(w, "#a,b", NULL, IRC_CASEMAPPING_RFC1459));
    assert_null(irc_autojoin_add(w, "#c", "two words", IRC_CASEMAPPING_RFC1459));
    assert_null(irc_autojoin_add(w, "", NULL, IRC_CASEMAPPING_RFC1459));
    free(v);
    v = irc_autojoin_remove(w, "#A", IRC_CASEMAPPING_RFC1459);
    assert_string_equal(v, "");
    free(v);
    free(w);
}

/* /autojoin addraw and sort: channels merged with their keys; sorted by name (as the server
 * folds case) or with the given ones first; NULL when nothing changes. */
static void
test_autojoin_merge_and_sort(void **state)
{
    const char *order[] = { "#zed", "#B" };
    char *v;

    (void)state;
    v = irc_autojoin_merge("#b", "#c,#a,#b kc", IRC_CASEMAPPING_RFC1459);
    assert_string_equal(v, "#c,#b,#a kc");
    assert_null(irc_autojoin_merge(v, "#A,#c", IRC_CASEMAPPING_RFC1459));
    free(v);
    assert_null(irc_autojoin_merge("#a", "", IRC_CASEMAPPING_RFC1459));
    /* Keyed channels stay first, whatever the order. */
    v = irc_autojoin_sort("#c,#b,#a,#zed kc", IRC_CASEMAPPING_RFC1459, NULL, 0);
    assert_string_equal(v, "#c,#a,#b,#zed kc");
    free(v);
    assert_null(irc_autojoin_sort("#a,#B,#c", IRC_CASEMAPPING_RFC1459, NULL, 0));
    v = irc_autojoin_sort("#a,#b,#c,#zed", IRC_CASEMAPPING_RFC1459, order, 2);
    assert_string_equal(v, "#zed,#b,#a,#c");
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isupport),
        cmocka_unit_test(test_isupport_modes),
        cmocka_unit_test(test_mask_match),
        cmocka_unit_test(test_mask_default_ban),
        cmocka_unit_test(test_modelist),
        cmocka_unit_test(test_casemapping),
        cmocka_unit_test(test_ctcp),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_flood),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_reader_partial_line_crosses_to_a_new_reader),
        cmocka_unit_test(test_isupport_put_derives_like_apply),
        cmocka_unit_test(test_autojoin),
        cmocka_unit_test(test_autojoin_merge_and_sort),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
