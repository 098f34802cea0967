/* SPDX-License-Identifier: MIT */
/* Colour conversions: WeeChat codes to ANSI and stripped text, IRC codes to WeeChat. */
#include <stdint.h>
#include <stdlib.h>

#include "core/color.h"
#include "unit_test.h"

/* The line of fixtures/buffer_lines_colors.json in WeeChat codes. */
static const char fixture_weechat[] = "\x19"
                                      "F03red\x1c \x1a\x01"
                                      "bold\x1b\x01 \x19"
                                      "F*10text";

static void
assert_converts(const char *in, enum core_color_mode mode, const char *expected)
{
    char *out = core_color_convert(in, mode);

    assert_string_equal(out, expected);
    free(out);
}

static void
test_weechat_to_ansi_matches_reference_fixture(void **state)
{
    (void)state;
    assert_converts(fixture_weechat, CORE_COLOR_ANSI,
                    "\x1b[31mred\x1b[0m \x1b[1mbold\x1b[21m \x1b[1m\x1b[94mtext");
}

static void
test_weechat_mode_keeps_codes(void **state)
{
    (void)state;
    assert_converts(fixture_weechat, CORE_COLOR_WEECHAT, fixture_weechat);
}

static void
test_strip_removes_every_code(void **state)
{
    (void)state;
    assert_converts(fixture_weechat, CORE_COLOR_STRIP, "red bold text");
    assert_converts("\x19"
                    "F@00248bob\x19"
                    "B05x\x19"
                    "*03,05y",
                    CORE_COLOR_STRIP, "bobxy");
}

static void
test_extended_and_background_colors_to_ansi(void **state)
{
    (void)state;
    assert_converts("\x19"
                    "F@00248bob",
                    CORE_COLOR_ANSI, "\x1b[38;5;248mbob");
    assert_converts("\x19"
                    "B05x",
                    CORE_COLOR_ANSI, "\x1b[42mx");
    assert_converts("\x19"
                    "*03,05y",
                    CORE_COLOR_ANSI, "\x1b[31m\x1b[42my");
}

static void
test_irc_codes_become_weechat_codes(void **state)
{
    char *out;

    (void)state;
    out = core_color_from_irc("\x02"
                              "b\x02 \x03"
                              "04red\x0f \x1d"
                              "i\x1d \x1f"
                              "u\x1f \x16r\x16 \x03"
                              "12,01c \x03"
                              "52x");
    /* WeeChat's irc plugin forms: '|' keeps bold and the rest, fg~bg together. */
    assert_string_equal(out, "\x1a\x01"
                             "b\x1b\x01 \x19"
                             "F|04red\x1c \x1a\x03i\x1b\x03 \x1a\x04u\x1b"
                             "\x04 \x1a\x02r\x1b\x02 \x19"
                             "*|10~01c \x19"
                             "F@|00196x");
    free(out);
    /* A bare ^C ends colours only (WeeChat's resetcolor); ^C99 is the default colour. */
    out = core_color_from_irc("\x02\x03"
                              "04a\x03"
                              "b\x03"
                              "99,02c");
    assert_string_equal(out, "\x1a\x01\x19"
                             "F|04a\x19\x1c"
                             "b\x19"
                             "B09c");
    assert_converts(out, CORE_COLOR_ANSI, "\x1b[1m\x1b[91ma\x1b[39m\x1b[49mb\x1b[44mc");
    free(out);
}

static void
test_irc_text_cannot_inject_weechat_codes(void **state)
{
    char *out = core_color_from_irc("a\x19"
                                    "F03b\x1c");

    (void)state;
    assert_string_equal(out, "aF03b");
    free(out);
}

static void
test_color_names(void **state)
{
    char *s;

    (void)state;
    assert_true(core_color_name_is_valid("lightgreen"));
    assert_true(core_color_name_is_valid("248"));
    assert_true(core_color_name_is_valid("bar_fg"));
    assert_true(core_color_name_is_valid("weechat.color.nicklist_group"));
    assert_false(core_color_name_is_valid("nosuchcolor"));
    assert_false(core_color_name_is_valid("256"));
    assert_true(core_color_name_is_valid(core_color_for_nick("alice")));
    /* WeeChat's default nick colours (djb2 variant over code points, stop chars "_|["),
     * worked out independently of the C code. */
    assert_string_equal(core_color_for_nick("alice"), "lightblue");
    assert_string_equal(core_color_for_nick("bob"), "248");
    assert_string_equal(core_color_for_nick("bob_away"), "248");
    assert_string_equal(core_color_for_nick("_bob"), "70");
    assert_string_equal(core_color_for_nick("\xc3\xb1o\xc3\xb1o"), "212");
    assert_string_equal(core_color_for_nick("|nick|away"), "142");
    assert_string_equal(core_color_for_nick("FlashCode"), "lightcyan");
    s = core_color_name_render("lightgreen", CORE_COLOR_ANSI);
    assert_string_equal(s, "\x1b[92m");
    free(s);
    s = core_color_name_render("weechat.color.nicklist_group", CORE_COLOR_ANSI);
    assert_string_equal(s, "\x1b[32m");
    free(s);
    s = core_color_name_render("bar_fg", CORE_COLOR_ANSI);
    assert_string_equal(s, "\x1b[39m");
    free(s);
    s = core_color_name_render("yellow", CORE_COLOR_STRIP);
    assert_string_equal(s, "");
    free(s);
    s = core_color_name_render("yellow", CORE_COLOR_WEECHAT);
    assert_string_equal(s, "\x19"
                           "F08");
    free(s);
}

static void
test_mode_names(void **state)
{
    enum core_color_mode m;

    (void)state;
    assert_int_equal(core_color_mode_parse("weechat", &m), 0);
    assert_int_equal(m, CORE_COLOR_WEECHAT);
    assert_true(core_color_mode_parse("ANSI", &m) < 0);
    assert_true(core_color_mode_parse("", &m) < 0);
}

/* gui_color_encode_ansi (gui-color.c) renders an option colour "\x19NN" as a full reset, then
 * the option's colour from gui_color_build with WeeChat's defaults (core-config.c), as 256-colour
 * numbers of the no-bold table used on terminals of 16 colours or more. */
static void
test_option_colors_to_ansi_use_weechat_defaults(void **state)
{
    (void)state;
    /* chat_nick_self (15): white, terminal colour 15. */
    assert_converts("\x19"
                    "15me",
                    CORE_COLOR_ANSI, "\x1b[0m\x1b[38;5;15m\x1b[49mme");
    /* chat_host (27): cyan (6); chat_delimiters (28): 22; chat_channel (13): white. */
    assert_converts("\x19"
                    "27h\x19"
                    "28(\x19"
                    "13#c",
                    CORE_COLOR_ANSI,
                    "\x1b[0m\x1b[38;5;6m\x1b[49mh\x1b[0m\x1b[38;5;22m\x1b[49m("
                    "\x1b[0m\x1b[38;5;15m\x1b[49m#c");
    /* chat (1): default; chat_highlight (29): yellow on 124. */
    assert_converts("\x19"
                    "01a\x19"
                    "29b",
                    CORE_COLOR_ANSI, "\x1b[0m\x1b[39m\x1b[49ma\x1b[0m\x1b[38;5;11m\x1b[48;5;124mb");
    /* No option 47 or 99: the code is dropped; stripped and weechat forms as before. */
    assert_converts("\x19"
                    "47x\x19"
                    "99y",
                    CORE_COLOR_ANSI, "xy");
    assert_converts("\x19"
                    "15me",
                    CORE_COLOR_STRIP, "me");
    assert_string_equal(core_color_option_name(15), "chat_nick_self");
    assert_string_equal(core_color_option_name(27), "chat_host");
    assert_string_equal(core_color_option_name(28), "chat_delimiters");
    assert_string_equal(core_color_option_name(13), "chat_channel");
    assert_null(core_color_option_name(47));
    assert_null(core_color_option_name(-1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weechat_to_ansi_matches_reference_fixture),
        cmocka_unit_test(test_weechat_mode_keeps_codes),
        cmocka_unit_test(test_strip_removes_every_code),
        cmocka_unit_test(test_extended_and_background_colors_to_ansi),
        cmocka_unit_test(test_irc_codes_become_weechat_codes),
        cmocka_unit_test(test_irc_text_cannot_inject_weechat_codes),
        cmocka_unit_test(test_color_names),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_option_colors_to_ansi_use_weechat_defaults),
    };

    return cmocka_run_group_tests_name("color", tests, NULL, NULL);
}
