/*
 * secret.c - placeholders, entropy, CRC-32 validation, fingerprint, preview.
 */
#include "config.h"

#include <git2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/base64.h"
#include "leakscan/secret.h"

double leakscan_entropy(const char *s, size_t len)
{
    size_t counts[256] = {0};
    double h = 0.0;
    size_t i;

    if (!len)
        return 0.0;
    for (i = 0; i < len; i++)
        counts[(unsigned char)s[i]]++;
    for (i = 0; i < 256; i++) {
        if (counts[i]) {
            double p = (double)counts[i] / (double)len;
            h -= p * log2(p);
        }
    }
    return h;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Case-insensitive substring search of a lowercase needle. */
static int ci_contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle), i, j;

    if (n > len)
        return 0;
    for (i = 0; i + n <= len; i++) {
        for (j = 0; j < n; j++)
            if (lower((unsigned char)s[i + j]) != needle[j])
                break;
        if (j == n)
            return 1;
    }
    return 0;
}

static int contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++)
        if (!memcmp(s + i, needle, n))
            return 1;
    return 0;
}

/*
 * `$NAME` is a variable reference: an identifier, upper case (shell, .env) or
 * without digits (`$dbPassword` in PHP). `$ecureP4ssw0rd` is a password.
 */
static int is_var_ref(const char *s, size_t len)
{
    size_t i;
    int upper = 1, digits = 0;

    if (!len ||
        !(s[0] == '_' || (lower((unsigned char)s[0]) >= 'a' && lower((unsigned char)s[0]) <= 'z')))
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(is_alnum(c) || c == '_'))
            return 0;
        upper &= !(c >= 'a' && c <= 'z');
        digits |= c >= '0' && c <= '9';
    }
    return upper || !digits;
}

static const char *const template_marks[] = {
    "${", "$(", "{{", "}}", "%(", "getenv(", "environ[", "environ.get(", "process.env", "ENV["};

static const char *const placeholder_words[] = {
    "your",      "_here",     "-here",      "goeshere", "placeholder", "changeme",
    "change_me", "replaceme", "replace_me", "insert",   "redacted",    "dummy",
    "fake",      "sample",    "example",    "xxxx",     "****"};

int leakscan_is_placeholder(const char *s, size_t len)
{
    size_t counts[256] = {0};
    size_t i, alnum = 0, max = 0, run = 1;

    if (!len)
        return 1;
    for (i = 0; i < sizeof(template_marks) / sizeof(*template_marks); i++)
        if (contains(s, len, template_marks[i]))
            return 1;
    if (s[0] == '$' && is_var_ref(s + 1, len - 1))
        return 1;
    if (s[0] == '<' && s[len - 1] == '>')
        return 1;
    if (len >= 7 && !memcmp(s + len - 7, "EXAMPLE", 7))
        return 1;
    if (contains(s, len, "EXAMPLEKEY"))
        return 1;
    for (i = 0; i < sizeof(placeholder_words) / sizeof(*placeholder_words); i++)
        if (ci_contains(s, len, placeholder_words[i]))
            return 1;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c))
            continue;
        alnum++;
        if (++counts[c] > max)
            max = counts[c];
    }
    if (alnum && max * 10 > alnum * 4)
        return 1;
    /* a filler tail: "sk-ant-xxx", "token_***" */
    for (i = len; i > 0 && (s[i - 1] == 'x' || s[i - 1] == 'X' || s[i - 1] == '*' ||
                            s[i - 1] == '.' || s[i - 1] == '#');
         i--)
        ;
    if (len - i >= 3 && (i == 0 || s[i - 1] == '-' || s[i - 1] == '_' || s[i - 1] == '.' ||
                         s[i - 1] == ':' || s[i - 1] == '/' || s[i - 1] == '='))
        return 1;
    for (i = 1; i < len; i++) {
        unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
        if (is_alnum(a) && is_alnum(b) && b == a + 1) {
            if (++run >= 6)
                return 1;
        } else {
            run = 1;
        }
    }
    return 0;
}

uint32_t leakscan_crc32(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t crc = 0xffffffffu;
    size_t i;
    int k;

    /* bitwise: only validated tokens (a few per file at most) reach this */
    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* prefix_ + 30 random base62 + 6 base62 digits of crc32(random). */
static int check_crc_token(const char *s, size_t len)
{
    const char *us = memchr(s, '_', len);
    const char *body;
    char want[6];
    uint32_t crc;
    int i;

    if (!us || (size_t)(s + len - (us + 1)) != 36)
        return 0;
    body = us + 1;
    crc = leakscan_crc32(body, 30);
    for (i = 5; i >= 0; i--) {
        want[i] = base62[crc % 62];
        crc /= 62;
    }
    return memcmp(want, body + 30, 6) == 0;
}

/* base64url of a JWT part into out (cap bytes, NUL-terminated); the decoded length, or 0. */
static size_t b64url(const char *s, size_t n, char *out, size_t cap)
{
    size_t dl;

    if (n / 4 * 3 + 3 >= cap)
        n = (cap - 4) / 3 * 4; /* the start is enough to see a JSON object */
    dl = leakscan_base64_decode((unsigned char *)out, s, n, 0);
    if (dl == (size_t)-1)
        return 0;
    out[dl] = '\0';
    return dl;
}

/* header.payload.signature: both decode to JSON objects, and the header names an alg */
static int check_jwt(const char *s, size_t len)
{
    const char *d1 = memchr(s, '.', len), *d2;
    char head[1024], body[2048];
    size_t hl, bl;

    if (!d1 || !(d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - s))))
        return 0;
    hl = b64url(s, (size_t)(d1 - s), head, sizeof(head));
    bl = b64url(d1 + 1, (size_t)(d2 - d1 - 1), body, sizeof(body));
    if (!hl || head[0] != '{' || !strstr(head, "\"alg\""))
        return 0;
    return bl && body[0] == '{';
}

int leakscan_validate(enum leakscan_validate how, const char *s, size_t len)
{
    switch (how) {
    case LEAKSCAN_VALIDATE_GITHUB_CRC32:
    case LEAKSCAN_VALIDATE_NPM_CRC32:
        return check_crc_token(s, len);
    case LEAKSCAN_VALIDATE_MARKER:
        return 1;
    case LEAKSCAN_VALIDATE_JWT:
        return check_jwt(s, len);
    default:
        return -1;
    }
}

int leakscan_fingerprint(char out[41], const char *rule_id, const char *s, size_t len)
{
    git_oid oid;
    char stack[512];
    size_t idlen = strlen(rule_id);
    size_t total = idlen + 1 + len;
    char *tmp = total <= sizeof(stack) ? stack : malloc(total);
    int rc;

    if (!tmp)
        return -1;
    memcpy(tmp, rule_id, idlen);
    tmp[idlen] = '\0';
    memcpy(tmp + idlen + 1, s, len);
    rc = git_odb_hash(&oid, tmp, total, GIT_OBJECT_BLOB);
    if (tmp != stack)
        free(tmp);
    if (rc)
        return -1;
    git_oid_tostr(out, 41, &oid);
    return 0;
}

size_t leakscan_preview(char *out, size_t outsz, const char *s, size_t len)
{
    static const char ell[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t keep = 0, tail = 0, i, n = 0, scan;
    const char *nl;

    if (outsz == 0)
        return 0;
    nl = memchr(s, '\n', len);
    if (nl && len >= 10 && !memcmp(s, "-----BEGIN", 10)) {
        /* PEM: the BEGIN line names the key type and holds no secret */
        keep = (size_t)(nl - s);
        if (keep && s[keep - 1] == '\r')
            keep--;
        if (keep > 60)
            keep = 60;
    } else {
        if (nl)
            len = (size_t)(nl - s);
        /* the structural prefix: up to the last separator in the first half */
        scan = len / 2 < 16 ? len / 2 : 16;
        for (i = 0; i < scan; i++)
            if (s[i] == '-' || s[i] == '_' || s[i] == '.')
                keep = i + 1;
        /* a prefix is short next to the whole: a passphrase's separators are not one */
        if (keep && keep <= len / 3)
            keep += 2;
        else
            keep = len / 4 < 4 ? len / 4 : 4;
        if (keep > len / 2)
            keep = len / 2;
        tail = len >= 20 ? 2 : 0;
    }
    for (i = 0; i < keep && n + 1 < outsz; i++)
        out[n++] = s[i];
    for (i = 0; i < 3 && n + 1 < outsz; i++)
        out[n++] = ell[i];
    for (i = len - tail; i < len && n + 1 < outsz; i++)
        out[n++] = s[i];
    out[n] = '\0';
    return n;
}
