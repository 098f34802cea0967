/* SPDX-License-Identifier: MIT */
/* WeeChat colour codes read into styled runs: every code form, and nothing left as text. */
#include <stdio.h>
#include <string.h>

#include "client/tui/wcolor.h"
#include "unit_test.h"

/*
 * The runs of text as "<fg/bg/attrs>text", adjacent runs of one style merged; "-" is the
 * default colour, attributes are b(old) r(everse) i(talic) u(nderline) k (blink) d(im).
 */
static const char *
describe_n(const char *text, size_t len)
{
    static char out[4096];
    struct tui_wcolor_reader r;
    struct tui_wcolor_run run;
    struct tui_wcolor_style last = { -3, -3, 0 };
    size_t o = 0;

    out[0] = '\0';
    client_tui_wcolor_init(&r, text, len);
    while (client_tui_wcolor_next(&r, &run)) {
        assert_true(run.len > 0);
        for (size_t i = 0; i < run.len; i++)
            assert_true((unsigned char)run.text[i] >= 0x20 && run.text[i] != 0x7f);
        if (run.style.fg != last.fg || run.style.bg != last.bg || run.style.attrs != last.attrs) {
            char fg[16] = "-", bg[16] = "-", attrs[8] = "";
            size_t a = 0;
            if (run.style.fg >= 0)
                snprintf(fg, sizeof(fg), "%d", run.style.fg);
            if (run.style.bg >= 0)
                snprintf(bg, sizeof(bg), "%d", run.style.bg);
            for (int bit = 0; bit < 6; bit++) {
                if (run.style.attrs & (1u << bit))
                    attrs[a++] = "briukd"[bit];
            }
            attrs[a] = '\0';
            o += (size_t)snprintf(out + o, sizeof(out) - o, "<%s/%s/%s>", fg, bg, attrs);
            last = run.style;
        }
        o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s", (int)run.len, run.text);
    }
    return out;
}

static const char *
describe(const char *text)
{
    return describe_n(text, strlen(text));
}

static void
test_plain_text_is_one_default_run(void **state)
{
    (void)state;
    assert_string_equal(describe("hello wörld 日本"), "<-/-/>hello wörld 日本");
    assert_string_equal(describe(""), "");
}

/* What perchd makes of "/print ^Bbold^B x ^C04red^C text" (issue 8). */
static void
test_irc_formatting_as_perchd_stores_it(void **state)
{
    (void)state;
    assert_string_equal(describe("\032\001bold\033\001 x \031F04red\031F00\031B00 text"),
                        "<-/-/b>bold<-/-/> x <9/-/>red<-/-/> text");
}

static void
test_foreground_basic_and_extended(void **state)
{
    (void)state;
    assert_string_equal(describe("\031F05green\031F@00214orange"), "<2/-/>green<214/-/>orange");
    /* WeeChat's basic colours, default to white, in their order. */
    assert_string_equal(describe("\031F00a\031F01b\031F02c\031F09d\031F14e\031F15f"),
                        "<-/-/>a<0/-/>b<8/-/>c<4/-/>d<14/-/>e<7/-/>f");
    /* "white" text is drawn in the terminal's foreground, as WeeChat does; 255 is real. */
    assert_string_equal(describe("\031F16w\031F@00015x"), "<-/-/>w<15/-/>x");
}

static void
test_foreground_attributes_replace_or_keep(void **state)
{
    (void)state;
    assert_string_equal(describe("\031F*!10x"), "<12/-/br>x");
    assert_string_equal(describe("\031F@*_%.00100x"), "<100/-/bukd>x");
    assert_string_equal(describe("\031F/03a\031F04b"), "<1/-/i>a<9/-/>b");
    assert_string_equal(describe("\031F/03a\031F|*04b\031F@|00004c"), "<1/-/i>a<9/-/bi>b<4/-/bi>c");
}

static void
test_background_basic_and_extended(void **state)
{
    (void)state;
    assert_string_equal(describe("\032\001\031B05x\031B@00017y\031B16z"),
                        "<-/2/b>x<-/17/b>y<-/15/b>z");
}

static void
test_foreground_and_background_both_separators(void **state)
{
    (void)state;
    assert_string_equal(describe("\031*03,05a\031*04~06b"), "<1/2/>a<9/10/>b");
    assert_string_equal(describe("\031*@00100~@00200a\031*@!00001,07b"), "<100/200/>a<1/3/r>b");
    /* Attributes come after '*' (the first is the code, the second bold); without '|' the
     * code removes the attributes it does not name. */
    assert_string_equal(describe("\032\001\031*03,05x"), "<1/2/>x");
    assert_string_equal(describe("\031**08,02x"), "<11/8/b>x");
    /* Without its background the code changes nothing, as in WeeChat. */
    assert_string_equal(describe("\031F03a\031*05b"), "<1/-/>ab");
}

static void
test_set_and_remove_every_attribute(void **state)
{
    (void)state;
    assert_string_equal(describe("\032\001a\032\002b\032\003c\032\004d\032\005e\032\006f"),
                        "<-/-/b>a<-/-/br>b<-/-/bri>c<-/-/briu>d<-/-/briuk>e<-/-/briukd>f");
    assert_string_equal(describe("\032\001\032\003a\033\001b\033\003c"),
                        "<-/-/bi>a<-/-/i>b<-/-/>c");
    /* A byte that names no attribute is text again (WeeChat takes only the code byte). */
    assert_string_equal(describe("\032A"), "<-/-/>A");
}

static void
test_resets(void **state)
{
    (void)state;
    /* 0x1C resets everything; 0x19 0x1C only the colours. */
    assert_string_equal(describe("\031*03,05\032\001a\034b"), "<1/2/b>a<-/-/>b");
    assert_string_equal(describe("\032\001\031*|03,05a\031\034b"), "<1/2/b>a<-/-/b>b");
    /* A colour pair of the sender's: unknown colours, default drawn. */
    assert_string_equal(describe("\032\001\031F03a\031@00005b"), "<1/-/>a<-/-/>b");
}

static void
test_emphasis_toggles(void **state)
{
    (void)state;
    assert_string_equal(describe("\031F03a\031Eb\031Ec"), "<1/-/>a<11/54/>b<1/-/>c");
}

static void
test_bar_codes_are_dropped(void **state)
{
    (void)state;
    assert_string_equal(
        describe("a\031bFb\031bDc\031bBd\031b_e\031b-f\031b#g\031bih\031blj\031bsk"),
        "<-/-/>abcdefghjk");
}

/* WeeChat's "Option changed" lines: delimiters, value, chat colours by option number. */
static void
test_chat_colour_numbers(void **state)
{
    (void)state;
    assert_string_equal(describe("Option changed: \03128[\03132on\03128]\03101 done"),
                        "<-/-/>Option changed: <22/-/>[<6/-/>on<22/-/>]<-/-/> done");
    assert_string_equal(describe("\032\001\03129hl\03114nick\03115self\03100sep"),
                        "<11/124/>hl<14/-/>nick<-/-/>self<236/-/>sep");
    assert_string_equal(describe("\03103a\03146b\03147c\03199d"), "<3/-/>a<2/-/>bcd");
}

static void
test_malformed_and_truncated_codes_leave_no_text(void **state)
{
    (void)state;
    assert_string_equal(describe("x\031"), "<-/-/>x");
    assert_string_equal(describe("x\031F"), "<-/-/>x");
    assert_string_equal(describe("x\031F0"), "<-/-/>x");
    assert_string_equal(describe("x\031F@001"), "<-/-/>x");
    assert_string_equal(describe("x\031*05,"), "<-/-/>x");
    assert_string_equal(describe("x\031*05~@12"), "<-/-/>x");
    assert_string_equal(describe("x\032"), "<-/-/>x");
    /* Two bytes that are no number: taken as the code's, nothing applied. */
    assert_string_equal(describe("\031Fab x"), "<-/-/> x");
    /* Numbers no colour has. */
    assert_string_equal(describe("\031F17a\031F@00300b\031B99c"), "<-/-/>abc");
    /* Other control bytes are dropped. */
    assert_string_equal(describe("a\001b\177c\td"), "<-/-/>abcd");
}

/* Every prefix of a line full of codes: no read past the end, no code byte as text. */
static void
test_every_prefix_is_safe(void **state)
{
    static const char line[] =
        "\031F@*_00214a\031*03,05b\031*@00100~@00200c\031B@00017d\03128e\031Ef\031bFg\031\034h\032\001i\033\001j\034k\031@00005l";

    (void)state;
    for (size_t n = 0; n <= sizeof(line) - 1; n++) {
        char copy[sizeof(line)];
        memcpy(copy, line, n);
        describe_n(copy, n);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_is_one_default_run),
        cmocka_unit_test(test_irc_formatting_as_perchd_stores_it),
        cmocka_unit_test(test_foreground_basic_and_extended),
        cmocka_unit_test(test_foreground_attributes_replace_or_keep),
        cmocka_unit_test(test_background_basic_and_extended),
        cmocka_unit_test(test_foreground_and_background_both_separators),
        cmocka_unit_test(test_set_and_remove_every_attribute),
        cmocka_unit_test(test_resets),
        cmocka_unit_test(test_emphasis_toggles),
        cmocka_unit_test(test_bar_codes_are_dropped),
        cmocka_unit_test(test_chat_colour_numbers),
        cmocka_unit_test(test_malformed_and_truncated_codes_leave_no_text),
        cmocka_unit_test(test_every_prefix_is_safe),
    };

    return cmocka_run_group_tests_name("wcolor", tests, NULL, NULL);
}
