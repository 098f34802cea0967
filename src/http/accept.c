/* SPDX-License-Identifier: MIT */
/* Accept header matching: media ranges, their q parameter, the most specific match. */
#include "accept.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* One element of the list: its media range, and the parameters after it. */
struct accept_elem {
    const char *range;
    size_t range_len;
    const char *params; /* after the range, up to the element's end */
    size_t params_len;
};

static bool
accept_is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* The first c in [p, end) outside a quoted string, or end. */
static const char *
accept_find(const char *p, const char *end, char c)
{
    bool quoted = false;

    for (; p < end && (quoted || *p != c); p++) {
        if (quoted && *p == '\\' && p + 1 < end)
            p++;
        else if (*p == '"')
            quoted = !quoted;
    }
    return p;
}

static void
accept_split(const char *p, const char *end, struct accept_elem *e)
{
    const char *semi;

    while (p < end && accept_is_ows(*p))
        p++;
    semi = accept_find(p, end, ';');
    e->range = p;
    e->range_len = (size_t)(semi - p);
    while (e->range_len && accept_is_ows(p[e->range_len - 1]))
        e->range_len--;
    e->params = semi < end ? semi + 1 : end;
    e->params_len = (size_t)(end - e->params);
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if not. */
static int
accept_qvalue(const char *p, size_t len)
{
    int q, scale = 100;

    if (!len || (p[0] != '0' && p[0] != '1'))
        return -1;
    q = (p[0] - '0') * 1000;
    if (len == 1)
        return q;
    if (p[1] != '.' || len > 5)
        return -1;
    for (size_t i = 2; i < len; i++, scale /= 10) {
        if (p[i] < '0' || p[i] > '9' || (q == 1000 && p[i] != '0'))
            return -1;
        q += (p[i] - '0') * scale;
    }
    return q;
}

/* The element's q (1000 when absent), or -1 when it is malformed. */
static int
accept_elem_quality(const struct accept_elem *e)
{
    const char *p = e->params, *end = e->params + e->params_len;

    while (p < end) {
        const char *stop = accept_find(p, end, ';');
        while (p < stop && accept_is_ows(*p))
            p++;
        size_t len = (size_t)(stop - p);
        while (len && accept_is_ows(p[len - 1]))
            len--;
        if (len >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            return accept_qvalue(p + 2, len - 2);
        p = stop < end ? stop + 1 : end;
    }
    return 1000;
}

/* 3 for type/subtype, 2 for type/x, 1 for x/x (x a star), 0 when the range does not match. */
static int
accept_specificity(const struct accept_elem *e, const char *media_type)
{
    const char *slash = strchr(media_type, '/');
    size_t type_len = slash ? (size_t)(slash - media_type) : strlen(media_type);

    if (e->range_len == strlen(media_type) && strncasecmp(e->range, media_type, e->range_len) == 0)
        return 3;
    if (e->range_len == type_len + 2 && strncasecmp(e->range, media_type, type_len) == 0 &&
        memcmp(e->range + type_len, "/*", 2) == 0)
        return 2;
    return e->range_len == 3 && memcmp(e->range, "*/*", 3) == 0 ? 1 : 0;
}

int
http_accept_quality(const char *accept, const char *media_type)
{
    int best_spec = 0, best_q = -1;

    if (!accept)
        return 1000;
    const char *last = accept + strlen(accept);
    for (const char *p = accept; p < last;) {
        const char *end = accept_find(p, last, ',');
        struct accept_elem e;
        accept_split(p, end, &e);
        int spec = accept_specificity(&e, media_type), q = spec ? accept_elem_quality(&e) : -1;
        if (q >= 0 && spec > best_spec) {
            best_spec = spec;
            best_q = q;
        }
        p = end < last ? end + 1 : end;
    }
    return best_q;
}
