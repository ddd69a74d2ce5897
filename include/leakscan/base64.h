/*
 * base64.h - one base64 decoder for every user (decode-and-rescan, the
 * Kubernetes Secret `data` values, JWT validation).
 */
#ifndef LEAKSCAN_BASE64_H
#define LEAKSCAN_BASE64_H

#include <stddef.h>

/* The 6-bit value of a base64 character (standard and URL-safe alphabets), or -1. */
int leakscan_base64_value(unsigned char c);

/*
 * Decode s[0..len): standard or URL-safe alphabet, padding optional, ASCII
 * whitespace skipped when skip_space. out must have room for len / 4 * 3 + 3
 * bytes. Returns the decoded length, or (size_t)-1 when s is not base64 (a
 * foreign byte, data after padding, or one stray character at the end).
 */
size_t leakscan_base64_decode(unsigned char *out, const char *s, size_t len, int skip_space);

#endif
