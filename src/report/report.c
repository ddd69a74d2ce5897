/*
 * report.c - reporter dispatch and the escaping every output needs.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

int leakscan_reporter_new(struct leakscan_reporter **out, FILE *fp,
                          const struct leakscan_report_opts *opts, struct leakscan_err *err)
{
    struct leakscan_reporter *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (!r)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    r->fp = fp;
    r->opts = *opts;
    if (opts->format == LEAKSCAN_FORMAT_JSON)
        leakscan_json_reporter_init(r);
    else if (opts->format == LEAKSCAN_FORMAT_JSONL)
        leakscan_jsonl_reporter_init(r);
    else if (opts->format == LEAKSCAN_FORMAT_SARIF)
        leakscan_sarif_reporter_init(r);
    else
        leakscan_text_reporter_init(r);
    *out = r;
    return 0;
}

int leakscan_reporter_begin(struct leakscan_reporter *r, struct leakscan_err *err)
{
    return r->begin ? r->begin(r, err) : 0;
}

int leakscan_reporter_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                              struct leakscan_err *err)
{
    int rc = r->finding(r, f, err);

    /* a stream is read while it is written: each finding leaves at once */
    if (!rc && r->opts.stream && fflush(r->fp) != 0)
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}

int leakscan_reporter_end(struct leakscan_reporter *r, const struct leakscan_report_end *e,
                          struct leakscan_err *err)
{
    int rc = r->end ? r->end(r, e, err) : 0;

    if (!rc && (fflush(r->fp) != 0 || ferror(r->fp)))
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}

void leakscan_reporter_free(struct leakscan_reporter *r)
{
    if (!r)
        return;
    if (r->release)
        r->release(r);
    free(r);
}

static size_t utf8_seq(const unsigned char *p, size_t n);

int leakscan_write_escaped(FILE *fp, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0, k;

    while (i < len) {
        unsigned c = p[i];
        int c1;

        if (c >= 0x20 && c < 0x7f) {
            i++;
            continue;
        }
        k = c >= 0x80 ? utf8_seq(p + i, len - i) : 0;
        /* C1 controls (U+0080..U+009F) act as escapes on some terminals */
        c1 = k == 2 && c == 0xc2 && p[i + 1] <= 0x9f;
        if (k && !c1) {
            i += k;
            continue;
        }
        if (i > start && fwrite(p + start, 1, i - start, fp) != i - start)
            return -1;
        if (c1) {
            if (fprintf(fp, "\\u{%02x}", p[i + 1]) < 0)
                return -1;
            i += 2;
        } else {
            /* C0, DEL, and bytes that are not valid UTF-8 (raw 0x9b is CSI) */
            if (fprintf(fp, "\\x%02x", c) < 0)
                return -1;
            i++;
        }
        start = i;
    }
    if (len > start && fwrite(p + start, 1, len - start, fp) != len - start)
        return -1;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t k, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        k = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        k = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        k = 4, cp = c & 0x07;
    else
        return 0;
    if (n < k)
        return 0;
    for (i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return k;
}

char *leakscan_utf8_sanitize(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out = malloc(len * 3 + 1), *o = out;
    size_t i = 0, k;

    if (!out)
        return NULL;
    while (i < len) {
        k = utf8_seq(p + i, len - i);
        if (k == 0 || (k == 1 && p[i] == 0)) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(o, p + i, k);
        o += k;
        i += k;
    }
    *o = '\0';
    return out;
}

int leakscan_json_print(FILE *fp, const struct cJSON *root, struct leakscan_err *err)
{
    char *text = cJSON_Print(root);
    size_t len;

    if (!text)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    len = strlen(text);
    if (fwrite(text, 1, len, fp) != len || fputc('\n', fp) == EOF) {
        free(text);
        return leakscan_err_set(err, LEAKSCAN_EIO, "cannot write the report: %s", strerror(errno));
    }
    free(text);
    return 0;
}
