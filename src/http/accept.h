/* SPDX-License-Identifier: MIT */
/* Content negotiation: what an Accept header (RFC 9110 12.5.1) says of a media type. */
#ifndef PERCH_HTTP_ACCEPT_H
#define PERCH_HTTP_ACCEPT_H

/*
 * The quality, in thousandths (0..1000), that the Accept header value accept gives
 * media_type ("type/subtype", lower case): that of its most specific matching range
 * (type/subtype, then type/x, then x/x with x a star); 1000 when accept is NULL (no header
 * accepts anything); -1 when no range matches. Ranges with a malformed q are ignored.
 */
int http_accept_quality(const char *accept, const char *media_type);

#endif
