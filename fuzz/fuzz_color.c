/* SPDX-License-Identifier: MIT */
/* Fuzzes colour conversions: IRC to WeeChat codes, then to each output mode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/color.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *weechat;

    memcpy(text, data, size);
    text[size] = '\0';
    weechat = core_color_from_irc(text);
    free(core_color_convert(weechat, CORE_COLOR_ANSI));
    free(core_color_convert(weechat, CORE_COLOR_STRIP));
    /* Raw WeeChat codes from anywhere must convert safely too. */
    free(core_color_convert(text, CORE_COLOR_ANSI));
    free(core_color_convert(text, CORE_COLOR_STRIP));
    free(weechat);
    free(text);
    return 0;
}
