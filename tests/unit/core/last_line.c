/* SPDX-License-Identifier: MIT */
#include "last_line.h"

#include "core/core.h"

const char *
last_message(const struct core_buffer *b)
{
    size_t n = core_buffer_line_count(b);

    return n ? core_buffer_line_at(b, n - 1)->message : "";
}

const char *
last_prefix(const struct core_buffer *b)
{
    size_t n = core_buffer_line_count(b);

    return n && core_buffer_line_at(b, n - 1)->prefix ? core_buffer_line_at(b, n - 1)->prefix : "";
}
