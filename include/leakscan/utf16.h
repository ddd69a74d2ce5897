/*
 * utf16.h - UTF-16 text (Windows editors write config files that way) as
 * UTF-8, so the rules, which are written for bytes, see it.
 */
#ifndef LEAKSCAN_UTF16_H
#define LEAKSCAN_UTF16_H

#include <stddef.h>

#include "buf.h"

/* 1 (little endian) or 2 (big endian) when data starts with a UTF-16 byte order mark; else 0. */
int leakscan_utf16_bom(const char *data, size_t len);

/*
 * Append the UTF-16 text after the byte order mark to out as UTF-8
 * (`order` from leakscan_utf16_bom). An unpaired surrogate or a trailing odd
 * byte becomes U+FFFD. 0 or LEAKSCAN_ENOMEM.
 */
int leakscan_utf16_to_utf8(const char *data, size_t len, int order, struct leakscan_buf *out);

#endif
