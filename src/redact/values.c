/*
 * values.c - known secret values (--values-from-env, --values-file) as
 * literal rules, with their base64 and URL-encoded forms.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "leakscan/redact.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of the value placed at byte offset `shift` (0..2) of an encoded stream,
   keeping only the characters that depend on the value alone */
static char *b64_stable(const unsigned char *v, size_t len, unsigned shift, size_t *outlen)
{
    size_t total = len + shift, n = 0, i, first, last;
    unsigned char *in = calloc(total + 3, 1);
    char *enc = malloc((total + 2) / 3 * 4 + 4), *res;

    if (!in || !enc) {
        free(in);
        free(enc);
        return NULL;
    }
    memcpy(in + shift, v, len);
    for (i = 0; i < total; i += 3) {
        unsigned x = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        size_t rest = total - i, k;
        /*
         * A last group of 1 or 2 bytes: its first 1 or 2 characters depend on
         * the value alone, whatever follows it in the stream.
         */
        size_t chars = rest >= 3 ? 4 : rest;
        for (k = 0; k < chars; k++)
            enc[n++] = b64[x >> (18 - 6 * k) & 63];
    }
    /* chars touching the shifted-in bytes, and a trailing partial group, vary with context */
    first = shift == 0 ? 0 : shift == 1 ? 2 : 3;
    last = n;
    free(in);
    if (last <= first) {
        free(enc);
        return NULL;
    }
    res = malloc(last - first + 1);
    if (res) {
        memcpy(res, enc + first, last - first);
        res[last - first] = '\0';
        *outlen = last - first;
    }
    free(enc);
    return res;
}

/*
 * The value percent-encoded as different encoders write it: `keep` are the
 * bytes left as they are (RFC 3986 unreserved; encodeURIComponent also keeps
 * !'()*), `lower` hex digits in lower case, `plus` a space as '+' (forms).
 */
static char *url_encode(const char *v, size_t len, const char *keep, int lower, int plus,
                        size_t *outlen)
{
    const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
    char *o = malloc(len * 3 + 1);
    size_t i, n = 0;

    if (!o)
        return NULL;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (c && strchr(keep, c))) {
            o[n++] = (char)c;
        } else if (c == ' ' && plus) {
            o[n++] = '+';
        } else {
            o[n++] = '%';
            o[n++] = hex[c >> 4];
            o[n++] = hex[c & 15];
        }
    }
    o[n] = '\0';
    *outlen = n;
    return o;
}

int leakscan_redact_add_value(struct leakscan_ruleset *rs, const char *value, size_t len,
                              struct leakscan_err *err)
{
    unsigned shift;
    size_t n;
    char *enc;
    int rc;

    if (len < 4)
        return leakscan_err_set(
            err, LEAKSCAN_EUSAGE,
            "a known value of %zu byte(s) would mask ordinary text (4 at least)", len);
    rc = leakscan_ruleset_add_literal(rs, "known-value", "known secret value", value, len, err);
    for (shift = 0; !rc && shift < 3; shift++) {
        enc = b64_stable((const unsigned char *)value, len, shift, &n);
        if (enc && n >= 8)
            rc = leakscan_ruleset_add_literal(rs, "known-value-base64",
                                              "known secret value, base64-encoded", enc, n, err);
        free(enc);
    }
    {
        /* RFC 3986, encodeURIComponent, lower-case hex, and form encoding */
        static const struct {
            const char *keep;
            int lower, plus;
        } forms[] = {{"-_.~", 0, 0}, {"-_.~!'()*", 0, 0}, {"-_.~", 1, 0}, {"-_.*", 0, 1}};
        char *seen[4] = {NULL, NULL, NULL, NULL};
        size_t f, k, lens[4] = {0, 0, 0, 0};
        for (f = 0; !rc && f < 4; f++) {
            int dup = 0;
            if (!(enc = url_encode(value, len, forms[f].keep, forms[f].lower, forms[f].plus, &n)))
                break;
            dup = n == len && !memcmp(enc, value, len);
            for (k = 0; k < f && !dup; k++)
                dup = seen[k] && lens[k] == n && !memcmp(seen[k], enc, n);
            if (!dup)
                rc = leakscan_ruleset_add_literal(rs, "known-value-url",
                                                  "known secret value, URL-encoded", enc, n, err);
            seen[f] = enc;
            lens[f] = n;
        }
        for (f = 0; f < 4; f++)
            free(seen[f]);
    }
    return rc;
}
