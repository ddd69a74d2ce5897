/*
 * baseline.c - earlier reports as a filter. cJSON with explicit lengths
 * (cJSON_ParseWithLengthOpts): its global error pointer is not used.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/baseline.h"
#include "leakscan/buf.h"

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct leakscan_baseline_entry *)a)->fingerprint,
                  ((const struct leakscan_baseline_entry *)b)->fingerprint);
}

static char *dup_field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) && v->valuestring ? strdup(v->valuestring) : strdup("");
}

int leakscan_baseline_load(struct leakscan_baseline *bl, const char *path, struct leakscan_err *err)
{
    struct leakscan_buf b;
    char chunk[65536];
    const char *end = NULL;
    cJSON *root = NULL;
    const cJSON *findings, *f;
    size_t n;
    FILE *fp;
    int rc = 0;

    memset(bl, 0, sizeof(*bl));
    leakscan_buf_init(&b);
    fp = fopen(path, "rb");
    if (!fp)
        return leakscan_err_set(err, errno == ENOENT ? LEAKSCAN_ENOTFOUND : LEAKSCAN_EIO,
                                "%s: cannot open the baseline: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (leakscan_buf_add(&b, chunk, n)) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            break;
        }
    if (!rc && ferror(fp))
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "%s: read error", path);
    fclose(fp);
    if (rc)
        goto out;
    root = cJSON_ParseWithLengthOpts(b.data ? b.data : "", b.len, &end, 0);
    if (!root) {
        size_t off = end && b.data ? (size_t)(end - b.data) : 0, line = 1, i;
        for (i = 0; i < off && i < b.len; i++)
            line += b.data[i] == '\n';
        rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                              "%s:%zu: not a JSON document (a baseline is a leakscan --format "
                              "json report)",
                              path, line);
        goto out;
    }
    findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsArray(findings)) {
        rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                              "%s: no \"findings\" list (a baseline is a leakscan --format json "
                              "report)",
                              path);
        goto out;
    }
    bl->v = calloc((size_t)cJSON_GetArraySize(findings) + 1, sizeof(*bl->v));
    if (!bl->v) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(f, findings)
    {
        const cJSON *fp_item = cJSON_GetObjectItemCaseSensitive(f, "fingerprint");
        struct leakscan_baseline_entry *e;
        if (!cJSON_IsString(fp_item) || !fp_item->valuestring)
            continue;
        e = &bl->v[bl->n];
        e->fingerprint = strdup(fp_item->valuestring);
        e->rule_id = dup_field(f, "rule_id");
        e->path = dup_field(f, "path");
        if (!e->fingerprint || !e->rule_id || !e->path) {
            bl->n++;
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        bl->n++;
    }
    qsort(bl->v, bl->n, sizeof(*bl->v), cmp_entry);
out:
    cJSON_Delete(root);
    leakscan_buf_release(&b);
    if (rc)
        leakscan_baseline_release(bl);
    return rc;
}

void leakscan_baseline_release(struct leakscan_baseline *bl)
{
    size_t i;

    for (i = 0; i < bl->n; i++) {
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): n > 0 only once v is allocated */
        free(bl->v[i].fingerprint);
        free(bl->v[i].rule_id);
        free(bl->v[i].path);
    }
    free(bl->v);
    memset(bl, 0, sizeof(*bl));
}

int leakscan_baseline_match(struct leakscan_baseline *bl, const struct leakscan_finding *f)
{
    size_t lo = 0, hi = bl->n, mid, k;
    int c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(bl->v[mid].fingerprint, f->fingerprint);
        if (c == 0) {
            /* mark every entry with this fingerprint (a report may list it twice) */
            for (k = mid; k > 0 && !strcmp(bl->v[k - 1].fingerprint, f->fingerprint); k--)
                ;
            for (; k < bl->n && !strcmp(bl->v[k].fingerprint, f->fingerprint); k++)
                bl->v[k].used = 1;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
