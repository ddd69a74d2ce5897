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

/* base64 values (both alphabets); 64: '=', 65: white space, 66: anything else */
static const unsigned char value[256] = {
    ['\t'] = 65, ['\n'] = 65, ['\r'] = 65, [' '] = 65, ['='] = 64, ['A'] = 0,  ['B'] = 1,
    ['C'] = 2,   ['D'] = 3,   ['E'] = 4,   ['F'] = 5,  ['G'] = 6,  ['H'] = 7,  ['I'] = 8,
    ['J'] = 9,   ['K'] = 10,  ['L'] = 11,  ['M'] = 12, ['N'] = 13, ['O'] = 14, ['P'] = 15,
    ['Q'] = 16,  ['R'] = 17,  ['S'] = 18,  ['T'] = 19, ['U'] = 20, ['V'] = 21, ['W'] = 22,
    ['X'] = 23,  ['Y'] = 24,  ['Z'] = 25,  ['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29,
    ['e'] = 30,  ['f'] = 31,  ['g'] = 32,  ['h'] = 33, ['i'] = 34, ['j'] = 35, ['k'] = 36,
    ['l'] = 37,  ['m'] = 38,  ['n'] = 39,  ['o'] = 40, ['p'] = 41, ['q'] = 42, ['r'] = 43,
    ['s'] = 44,  ['t'] = 45,  ['u'] = 46,  ['v'] = 47, ['w'] = 48, ['x'] = 49, ['y'] = 50,
    ['z'] = 51,  ['0'] = 52,  ['1'] = 53,  ['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57,
    ['6'] = 58,  ['7'] = 59,  ['8'] = 60,  ['9'] = 61, ['+'] = 62, ['-'] = 62, ['/'] = 63,
    ['_'] = 63,
};

size_t leakscan_base64_decode(unsigned char *out, const char *s, size_t len, int skip_space)
{
    unsigned acc = 0, v;
    int bits = 0, pad = 0;
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        /* the table holds 0 for every byte not listed: 'A' is told apart below */
        v = value[c];
        if (v == 0 && c != 'A')
            return (size_t)-1;
        if (v >= 64) {
            if (v == 65 && skip_space)
                continue;
            if (v != 64)
                return (size_t)-1;
            pad++;
            continue;
        }
        if (pad)
            return (size_t)-1;
        acc = (acc << 6) | v;
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
