/*
 * base64.c - the decoder.
 */
#include "config.h"

#include "leakscan/base64.h"

int leakscan_base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

size_t leakscan_base64_decode(unsigned char *out, const char *s, size_t len, int skip_space)
{
    unsigned acc = 0;
    int bits = 0, pad = 0, v;
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (skip_space && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        v = leakscan_base64_value(c);
        if (v < 0 || pad)
            return (size_t)-1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (pad > 2 || bits >= 6)
        return (size_t)-1; /* one stray character: not base64 */
    return n;
}
