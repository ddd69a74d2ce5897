/*
 * fuzz_rules.c - the rule file loader and compiler on arbitrary bytes; when a
 * file loads, its rules are also run over the input itself. The input is also
 * read as one pattern: the width and prefix readers must not crash, and when
 * the prefix reader claims a literal start, a match of the pattern (over the
 * input itself, after the prefix) must begin with it.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"

static void check_prefix(const uint8_t *data, size_t size)
{
    char *pat = malloc(size + 1), pre[64];
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
    pcre2_match_context *mc = NULL;
    unsigned char *subject = NULL;
    size_t n, width, reach;
    PCRE2_SIZE off;
    int code, rc;

    if (!pat)
        return;
    memcpy(pat, data, size);
    pat[size] = '\0';
    (void)leakscan_pattern_reach(pat, &width, &reach);
    n = leakscan_pattern_prefix(pat, pre, sizeof(pre));
    if (!n || strlen(pat) != size || strstr(pat, "\\K"))
        goto out; /* \K moves where a match is said to start */
    re = pcre2_compile((PCRE2_SPTR)pat, size, PCRE2_MULTILINE, &code, &off, NULL);
    md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
    mc = pcre2_match_context_create(NULL);
    subject = malloc(2 * size + n + 1);
    if (!re || !md || !mc || !subject)
        goto out;
    pcre2_set_match_limit(mc, 100000);
    pcre2_set_depth_limit(mc, 1000);
    /* the input, the prefix, the input again: text where the pattern may well match */
    memcpy(subject, data, size);
    memcpy(subject + size, pre, n);
    memcpy(subject + size + n, data, size);
    rc = pcre2_match(re, subject, 2 * size + n, 0, 0, md, mc);
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        /* keywords are found caseless: the start is the prefix, case aside */
        unsigned char set[32], stop;
        size_t min, max, k, left;
        if (ov[0] + n > 2 * size + n || strncasecmp((const char *)subject + ov[0], pre, n))
            abort();
        /* a run of the class after the prefix, ending at the stop byte (leakscan_pattern_stop) */
        if (leakscan_pattern_stop(pat, n, set, &min, &max, &stop)) {
            const unsigned char *d = subject + ov[0] + n;
            left = 2 * size - ov[0];
            for (k = 0; k < left && k <= max && (set[d[k] >> 3] & (1u << (d[k] & 7))); k++)
                ;
            if (k < min || k > max || k >= left || d[k] != stop)
                abort();
        }
    }
out:
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    free(subject);
    free(pat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(void *p, const struct leakscan_finding *f)
{
    (void)p;
    (void)f;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_scanner *sc = NULL;
    struct leakscan_sink sink = {drop, NULL, NULL};
    struct leakscan_blob blob = {{0}, (const char *)data, size};
    struct leakscan_err err;

    check_prefix(data, size);
    leakscan_err_init(&err);
    if (leakscan_ruleset_new(&rs, &err))
        return 0;
    if (leakscan_ruleset_load_yaml(rs, "fuzz.yaml", (const char *)data, size, 0, &err) == 0 &&
        leakscan_ruleset_compile(rs, &err) == 0 && leakscan_scanner_new(&sc, rs, NULL, &err) == 0)
        leakscan_scanner_scan(sc, &blob, &sink, &err);
    leakscan_scanner_free(sc);
    leakscan_ruleset_free(rs);
    return 0;
}
