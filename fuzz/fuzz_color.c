/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes colours in every direction: IRC formatting to WeeChat codes, WeeChat codes
 * (converted from IRC, or raw from anywhere) to ANSI, WeeChat and stripped text, and
 * the input as a colour name, mode name and nick. Stripped text must hold no code
 * bytes, and WeeChat mode must give the text back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static void
convert_all(const char *weechat)
{
    char *same = core_color_convert(weechat, CORE_COLOR_WEECHAT);

    if (strcmp(same, weechat) != 0)
        abort();
    free(same);
    free(core_color_convert(weechat, CORE_COLOR_ANSI));
    check_stripped(weechat);
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
