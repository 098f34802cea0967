/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the lines of WeeChat log files as perchd --import-weechat-logs reads them (their
 * messages are what anyone on IRC sent): each line of the input is parsed; a parsed line's
 * fields must lie in the line, and its date, written as WeeChat's logger writes it (in
 * UTC here: TZ is set once), must parse back to the same second.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/weechatlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_line(const char *line, size_t len)
{
    struct store_weechatlog_line parsed;
    char date[STORE_WEECHATLOG_DATE_LEN];
    int64_t again;

    if (store_weechatlog_parse(line, len, &parsed) < 0)
        return;
    if (parsed.prefix < line || parsed.prefix + parsed.prefix_len > line + len ||
        parsed.message < line || parsed.message + parsed.message_len > line + len ||
        memchr(parsed.prefix, '\t', parsed.prefix_len))
        abort();
    /* Dates before 1970 are refused, but an offset may move one there. */
    if (parsed.date_us < 0)
        return;
    store_weechatlog_date(parsed.date_us, date);
    if (store_weechatlog_parse_date(date, strlen(date), &again) < 0 ||
        again != parsed.date_us / 1000000 * 1000000)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;

    setenv("TZ", "UTC", 0);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        check_line(p, len);
        p += len + 1;
    }
    return 0;
}
