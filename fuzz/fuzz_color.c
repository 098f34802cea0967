/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes colours in every direction: IRC formatting to WeeChat codes, WeeChat codes
 * (converted from IRC, or raw from anywhere) to ANSI, WeeChat and stripped text, and
 * the input as a colour name, mode name and nick. Stripped text must hold no code
 * bytes, and WeeChat mode must give the text back unchanged. perch's terminal reader
 * (client/tui/wcolor.c) reads the same texts, as a relay may send them: its runs must
 * be text of the input in order, without a control byte, in colours it can draw.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/wcolor.h"
#include "core/color.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_stripped(const char *text)
{
    char *plain = core_color_convert(text, CORE_COLOR_STRIP);

    if (strlen(plain) > strlen(text) || strpbrk(plain, "\x19\x1a\x1b\x1c"))
        abort();
    free(plain);
}

static bool
style_drawable(const struct tui_wcolor_style *s)
{
    unsigned all =
        WCOLOR_BOLD | WCOLOR_REVERSE | WCOLOR_ITALIC | WCOLOR_UNDERLINE | WCOLOR_BLINK | WCOLOR_DIM;

    return s->fg >= -1 && s->fg <= 255 && s->bg >= -1 && s->bg <= 255 && !(s->attrs & ~all);
}

static void
check_client_reader(const char *text)
{
    size_t len = strlen(text);
    const char *after_last = text;
    struct tui_wcolor_reader r;
    struct tui_wcolor_run run;

    client_tui_wcolor_init(&r, text, len);
    while (client_tui_wcolor_next(&r, &run)) {
        if (run.len == 0 || run.text < after_last || run.text + run.len > text + len ||
            !style_drawable(&run.style))
            abort();
        for (size_t i = 0; i < run.len; i++) {
            if ((unsigned char)run.text[i] < 0x20 || run.text[i] == 0x7f)
                abort();
        }
        after_last = run.text + run.len;
    }
}

static void
convert_all(const char *weechat)
{
    char *same = core_color_convert(weechat, CORE_COLOR_WEECHAT);

    if (strcmp(same, weechat) != 0)
        abort();
    free(same);
    free(core_color_convert(weechat, CORE_COLOR_ANSI));
    check_stripped(weechat);
    check_client_reader(weechat);
}

static void
use_as_name(const char *name)
{
    static const enum core_color_mode modes[] = { CORE_COLOR_ANSI, CORE_COLOR_WEECHAT,
                                                  CORE_COLOR_STRIP };
    enum core_color_mode mode;

    (void)core_color_name_is_valid(name);
    (void)core_color_mode_parse(name, &mode);
    if (!core_color_for_nick(name))
        abort();
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        char *rendered = core_color_name_render(name, modes[i]);
        /* A rendered WeeChat colour is itself valid input for the converter. */
        convert_all(rendered);
        free(rendered);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *weechat;

    memcpy(text, data, size);
    text[size] = '\0';
    weechat = core_color_from_irc(text);
    convert_all(weechat);
    free(weechat);
    convert_all(text);
    use_as_name(text);
    free(text);
    return 0;
}
