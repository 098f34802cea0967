/* SPDX-License-Identifier: MIT */
/*
 * The streaming encoder (relay/encode.c) against the tree-of-nodes encoder it replaced,
 * kept here as the reference: byte-identical JSON for many lines, buffers, nicklists and
 * hotlists, with odd characters, colour codes, invalid UTF-8 and large ids, in every
 * colour mode.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "base/timefmt.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "relay/encode.h"
#include "unit_test.h"

/* ---- the reference: the encoder as it was, building a pjson tree ---- */

static void
ref_colored(struct pjson *obj, const char *key, const char *text, enum core_color_mode colors)
{
    char *converted = core_color_convert(text, colors);

    pjson_add_str(obj, key, converted);
    free(converted);
}

static void
ref_color_name(struct pjson *obj, const char *key, const char *name, enum core_color_mode colors)
{
    char *rendered = core_color_name_render(name, colors);

    pjson_add_str(obj, key, rendered);
    free(rendered);
}

static void
ref_date(struct pjson *obj, const char *key, int64_t us)
{
    char text[TIMEFMT_ISO_LEN];

    timefmt_iso(us, text);
    pjson_add_str(obj, key, text);
}

static struct pjson *
ref_encode_line(const struct core_line *line, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();
    struct pjson *tags = pjson_array();

    pjson_add_int(obj, "id", line->id);
    pjson_add_int(obj, "y", line->y);
    ref_date(obj, "date", line->date_us);
    ref_date(obj, "date_printed", line->printed_us);
    pjson_add_bool(obj, "displayed", line->displayed);
    pjson_add_bool(obj, "highlight", line->highlight);
    pjson_add_int(obj, "notify_level", line->notify_level);
    ref_colored(obj, "prefix", line->prefix, colors);
    ref_colored(obj, "message", line->message, colors);
    for (size_t i = 0; i < line->n_tags; i++)
        pjson_push(tags, pjson_string(line->tags[i]));
    pjson_add(obj, "tags", tags);
    return obj;
}

static struct pjson *
ref_encode_lines(const struct core_buffer *buffer, long n, enum core_color_mode colors)
{
    struct pjson *arr = pjson_array();
    size_t count = core_buffer_line_count(buffer);
    size_t start = 0, end = count;

    /* -(n + 1) + 1 is -n without overflowing on LONG_MIN. */
    if (n < 0 && (size_t)(-(n + 1)) + 1 < count)
        start = count - ((size_t)(-(n + 1)) + 1);
    else if (n > 0 && (size_t)n < count)
        end = (size_t)n;
    else if (n == 0)
        end = 0;
    for (size_t i = start; i < end; i++)
        pjson_push(arr, ref_encode_line(core_buffer_line_at(buffer, i), colors));
    return arr;
}

static struct pjson *
ref_encode_nick(const struct core_nick *nick, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();

    pjson_add_int(obj, "id", nick->id);
    pjson_add_int(obj, "parent_group_id", nick->group->id);
    pjson_add_str(obj, "prefix", nick->prefix);
    pjson_add_str(obj, "prefix_color_name", nick->prefix_color_name);
    ref_color_name(obj, "prefix_color", nick->prefix_color_name, colors);
    pjson_add_str(obj, "name", nick->name);
    pjson_add_str(obj, "color_name", nick->color_name);
    ref_color_name(obj, "color", nick->color_name, colors);
    pjson_add_bool(obj, "visible", nick->visible);
    return obj;
}

static struct pjson *
ref_encode_group(const struct core_nick_group *group, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();
    struct pjson *groups = pjson_array();
    struct pjson *nicks = pjson_array();
    struct list *pos;

    pjson_add_int(obj, "id", group->id);
    pjson_add_int(obj, "parent_group_id", group->parent ? group->parent->id : -1);
    pjson_add_str(obj, "name", group->name);
    pjson_add_str(obj, "color_name", group->color_name);
    ref_color_name(obj, "color", group->color_name, colors);
    pjson_add_bool(obj, "visible", group->visible);
    list_for_each (pos, &group->groups) {
        pjson_push(groups, ref_encode_group(list_entry(pos, struct core_nick_group, link), colors));
    }
    list_for_each (pos, &group->nicks) {
        pjson_push(nicks, ref_encode_nick(list_entry(pos, struct core_nick, link), colors));
    }
    pjson_add(obj, "groups", groups);
    pjson_add(obj, "nicks", nicks);
    return obj;
}

static struct pjson *
ref_kv_object(const struct core_kv *kv, size_t n)
{
    struct pjson *obj = pjson_object();

    for (size_t i = 0; i < n; i++)
        pjson_add_str(obj, kv[i].key, kv[i].value);
    return obj;
}

static struct pjson *
ref_keys(const struct core_buffer *buffer)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < buffer->n_keys; i++) {
        struct pjson *k = pjson_object();
        pjson_add_str(k, "key", buffer->keys[i].key);
        pjson_add_str(k, "command", buffer->keys[i].value);
        pjson_push(arr, k);
    }
    return arr;
}

static struct pjson *
ref_encode_buffer(const struct core_buffer *b, const struct relay_buffer_opts *opts)
{
    struct pjson *obj = pjson_object();
    long n = b->type == CORE_BUFFER_FREE ? opts->lines_free : opts->lines;

    pjson_add_int(obj, "id", b->id);
    pjson_add_str(obj, "name", b->full_name);
    pjson_add_str(obj, "short_name", b->short_name);
    pjson_add_int(obj, "number", b->number);
    pjson_add_str(obj, "type", b->type == CORE_BUFFER_FREE ? "free" : "formatted");
    pjson_add_bool(obj, "hidden", b->hidden);
    ref_colored(obj, "title", b->title, opts->colors);
    ref_colored(obj, "modes", b->modes, opts->colors);
    ref_colored(obj, "input_prompt", b->input_prompt, opts->colors);
    pjson_add_str(obj, "input", b->input);
    pjson_add_int(obj, "input_position", b->input_position);
    pjson_add_bool(obj, "input_multiline", b->input_multiline);
    pjson_add_bool(obj, "nicklist", b->nicklist);
    pjson_add_bool(obj, "nicklist_case_sensitive", b->nicklist_case_sensitive);
    pjson_add_bool(obj, "nicklist_display_groups", b->nicklist_display_groups);
    pjson_add_bool(obj, "time_displayed", b->time_displayed);
    pjson_add(obj, "local_variables", ref_kv_object(b->localvars, b->n_localvars));
    pjson_add(obj, "keys", ref_keys(b));
    if (n != 0)
        pjson_add(obj, "lines", ref_encode_lines(b, n, opts->colors));
    pjson_add_int(obj, "last_read_line_id", b->last_read_line_id);
    if (opts->nicks)
        pjson_add(obj, "nicklist_root", ref_encode_group(b->nicklist_root, opts->colors));
    return obj;
}

static struct pjson *
ref_encode_hotlist(const struct core *core)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        struct pjson *obj = pjson_object();
        struct pjson *count = pjson_array();
        pjson_add_int(obj, "priority", e->priority);
        ref_date(obj, "date", e->date_us);
        pjson_add_int(obj, "buffer_id", e->buffer->id);
        for (int i = 0; i < 4; i++)
            pjson_push(count, pjson_int(e->count[i]));
        pjson_add(obj, "count", count);
        pjson_push(arr, obj);
    }
    return arr;
}

/* ---- generated content ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rng(void)
{
    /* xorshift64*: deterministic, so a failure can be replayed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Text mixing the bytes JSON escapes, colour codes, UTF-8 (valid and not) and plain words. */
static void
odd_text(char *out, size_t cap)
{
    static const char *const pieces[] = {
        "hello",
        " ",
        "\"quoted\"",
        "back\\slash",
        "\t",
        "\n",
        "\r",
        "\b",
        "\f",
        "\x01",
        "\x1f",
        "\x7f",
        "caf\xc3\xa9",
        "\xe2\x82\xac",
        "\xf0\x9f\x90\xa6",
        "\xff",
        "\xc3",
        "\xe2\x82",
        "\xed\xa0\x80",
        "\xc0\xaf",
        "\x19"
        "F03",
        "\x19"
        "F@00123",
        "\x19"
        "*05,02",
        "\x1a\x01",
        "\x1b\x01",
        "\x1c",
        "\x19"
        "b",
        "\x19",
        "\x19"
        "E",
        "</script>",
        "\\u0000",
        "{}[],:",
        "\xc2\xa0",
        "%s%n",
        "\x19\x1c",
        "\x1a",
        "\x1b",
    };
    size_t len = 0, n = rng() % 12;

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
        size_t pl = strlen(p);
        if (len + pl + 1 >= cap)
            break;
        memcpy(out + len, p, pl + 1);
        len += pl;
    }
}

static void
fill_buffer(struct core *core, struct core_buffer *b, int n_lines)
{
    char prefix[256], message[512], tags[256], a[128], c[128];
    struct core_nick_group *groups[4];

    odd_text(a, sizeof(a));
    core_buffer_set_title(b, a);
    odd_text(a, sizeof(a));
    core_buffer_set_modes(b, a);
    odd_text(a, sizeof(a));
    core_buffer_set_input_prompt(b, a);
    core_buffer_set_input(b, "input \"text\"\x01", 3);
    for (int i = 0; i < 6; i++) {
        snprintf(c, sizeof(c), "var%d", i);
        odd_text(a, sizeof(a));
        core_buffer_set_localvar(b, c, a);
        odd_text(a, sizeof(a));
        snprintf(c, sizeof(c), "meta-%d", i);
        core_buffer_set_key(b, c, a);
    }
    for (int i = 0; i < n_lines; i++) {
        struct core_line_spec spec = { .y = -1 };
        odd_text(prefix, sizeof(prefix));
        odd_text(message, sizeof(message));
        snprintf(tags, sizeof(tags), "irc_privmsg,nick_%u,log%d,x\\y\"z%s", rng() % 100, i % 3,
                 i % 7 ? "" : ",notify_highlight");
        spec.prefix = prefix;
        spec.message = message;
        spec.tags = i % 5 || i % 7 == 0 ? tags : "";
        /* Dates before 1970, far ahead, and now (0). */
        spec.date_us = i % 3 == 0 ? 0 : i % 3 == 1 ? -86400000000LL * 365 : 253402300799000000LL;
        core_buffer_print(b, &spec);
    }
    core_buffer_set_nicklist(b, true);
    for (int i = 0; i < 4; i++) {
        snprintf(a, sizeof(a), "%03d|grp\xff%d", i, i);
        groups[i] =
            core_nicklist_add_group(b, i ? groups[i - 1] : NULL, a,
                                    i % 2 ? "weechat.color.nicklist_group" : "lightred", i != 2);
        for (int j = 0; j < 5; j++) {
            odd_text(c, 16);
            snprintf(a, sizeof(a), "nick%d%d%.16s", i, j, c);
            core_nicklist_add_nick(b, groups[i], a, j % 2 ? NULL : "214", j % 3 ? "@" : "",
                                   j % 3 ? "lightgreen" : "bar_fg", j != 1);
        }
    }
    core_hotlist_add(core, b, (int)(rng() % 4), timefmt_now_us());
}

/* ---- comparisons ---- */

static void
assert_same(struct pjson *tree, const struct buf *streamed)
{
    size_t len;
    char *expected = pjson_print(tree, &len);

    assert_int_equal(streamed->len, len);
    assert_memory_equal(streamed->data, expected, len);
    free(expected);
    pjson_free(tree);
}

static void
streamed_init(struct buf *out, struct jsonw *w)
{
    buf_init(out, (size_t)-1);
    jsonw_init(w, out);
}

static void
test_buffers_lines_nicks_and_hotlist_are_byte_identical(void **state)
{
    static const enum core_color_mode modes[] = { CORE_COLOR_ANSI, CORE_COLOR_STRIP,
                                                  CORE_COLOR_WEECHAT };

    static const long counts[] = { LONG_MAX, -1, -7, 3, 0, LONG_MIN, 1000 };
    struct core *core = core_new(500, "0.1.0");
    struct list *pos;
    int err;

    (void)state;
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof(name), "chan%d", i);
        struct core_buffer *b = core_buffer_open(
            core, "irc", name, i == 5 ? CORE_BUFFER_FREE : CORE_BUFFER_FORMATTED, &err);
        assert_non_null(b);
        fill_buffer(core, b, 40 + i * 30);
    }
    list_for_each (pos, &core->buffers) {
        const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        for (size_t m = 0; m < 3; m++) {
            for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
                struct relay_buffer_opts opts = { .lines = counts[k],
                                                  .lines_free = counts[(k + 1) % 7],
                                                  .nicks = k % 2 == 0,
                                                  .colors = modes[m] };
                struct buf out;
                struct jsonw w;
                streamed_init(&out, &w);
                relay_encode_buffer(&w, b, &opts);
                assert_same(ref_encode_buffer(b, &opts), &out);
                buf_fini(&out);
                streamed_init(&out, &w);
                relay_encode_lines(&w, b, counts[k], modes[m]);
                assert_same(ref_encode_lines(b, counts[k], modes[m]), &out);
                buf_fini(&out);
            }
            struct buf out;
            struct jsonw w;
            streamed_init(&out, &w);
            relay_encode_group(&w, b->nicklist_root, modes[m]);
            assert_same(ref_encode_group(b->nicklist_root, modes[m]), &out);
            buf_fini(&out);
        }
    }
    struct buf out;
    struct jsonw w;
    streamed_init(&out, &w);
    relay_encode_hotlist(&w, core);
    assert_same(ref_encode_hotlist(core), &out);
    buf_fini(&out);
    core_free(core);
}

static void
test_large_ids_and_every_byte_in_a_line(void **state)
{
    struct core_line line = { .id = INT64_MAX,
                              .y = 2147483647,
                              .date_us = INT64_C(-1),
                              .printed_us = INT64_C(1795631181215750),
                              .notify_level = -1 };
    char text[256], tag[2] = { 0 };
    char *tags[255];

    (void)state;
    /* Every byte value once (a C string cannot hold 0), and each alone as a tag. */
    for (int i = 1; i < 256; i++) {
        text[i - 1] = (char)i;
        tags[i - 1] = strdup((tag[0] = (char)i, tag));
    }
    text[255] = '\0';
    line.prefix = text;
    line.message = text + 100;
    line.tags = tags;
    line.n_tags = 255;
    for (int m = 0; m < 3; m++) {
        struct buf out;
        struct jsonw w;
        streamed_init(&out, &w);
        relay_encode_line(&w, &line, (enum core_color_mode)m);
        assert_same(ref_encode_line(&line, (enum core_color_mode)m), &out);
        buf_fini(&out);
    }
    for (int i = 0; i < 255; i++)
        free(tags[i]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffers_lines_nicks_and_hotlist_are_byte_identical),
        cmocka_unit_test(test_large_ids_and_every_byte_in_a_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
