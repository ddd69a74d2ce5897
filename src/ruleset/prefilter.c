/*
 * prefilter.c - the keyword prefilter's Vectorscan database: compiled, or
 * taken from one compiled ahead of time (see ruleset.h).
 *
 * An offer is used only where it was made and for the very keywords it was
 * made from: the key (Vectorscan's version, the CPU's platform, then every
 * keyword's flags, length and bytes in order) is compared byte for byte, so
 * a config that adds, disables or reorders a rule, another libhs, or
 * another CPU (Valgrind's too) compiles as before. A database Vectorscan
 * refuses to deserialize also means a compile.
 *
 * A saved prefilter: "LSPF", the key's length (4 bytes, little-endian), the
 * key (the version string and its NUL; tune and CPU features, 4 + 8 bytes;
 * per keyword its flags and length, 4 bytes each, then its bytes), then
 * Vectorscan's serialized database.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset_int.h"

#define MAGIC "LSPF"
#define HEAD 8 /* magic and key length */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The key of lits[0, n): Vectorscan's version and this CPU's platform (the
 * features a database is compiled for: one compiled elsewhere may run, but
 * slower or not at all), then the keywords. NULL when out of memory.
 */
static unsigned char *make_key(const char *const *lits, const unsigned *flags, const size_t *litlen,
                               size_t n, size_t *len)
{
    const char *version = hs_version();
    size_t i, at, vlen = strlen(version), total = vlen + 1 + 12;
    hs_platform_info_t plat;
    unsigned char *k;

    memset(&plat, 0, sizeof(plat));
    if (hs_populate_platform(&plat) != HS_SUCCESS)
        memset(&plat, 0xff, sizeof(plat)); /* unknown: no saved key has this */
    for (i = 0; i < n; i++)
        total += 8 + litlen[i];
    if (!(k = malloc(total)))
        return NULL;
    memcpy(k, version, vlen + 1);
    at = vlen + 1;
    put32(k + at, plat.tune);
    put32(k + at + 4, (uint32_t)plat.cpu_features);
    put32(k + at + 8, (uint32_t)(plat.cpu_features >> 32));
    at += 12;
    for (i = 0; i < n; i++) {
        put32(k + at, flags[i]);
        put32(k + at + 4, (uint32_t)litlen[i]);
        memcpy(k + at + 8, lits[i], litlen[i]);
        at += 8 + litlen[i];
    }
    *len = total;
    return k;
}

/* The database of an offer made for this key, or NULL. */
static hs_database_t *take_offer(const unsigned char *o, size_t len, const unsigned char *key,
                                 size_t key_len)
{
    hs_database_t *db = NULL;

    if (len < HEAD || memcmp(o, MAGIC, 4) || get32(o + 4) != key_len || len - HEAD < key_len ||
        memcmp(o + HEAD, key, key_len))
        return NULL;
    o += HEAD + key_len;
    len -= HEAD + key_len;
    if (hs_deserialize_database((const char *)o, len, &db) != HS_SUCCESS)
        return NULL;
    return db;
}

int leakscan_prefilter_build(struct leakscan_ruleset *rs, const char *const *lits,
                             const unsigned *flags, const unsigned *ids, const size_t *litlen,
                             size_t n, struct leakscan_err *err)
{
    hs_compile_error_t *hserr = NULL;
    size_t i;
    int rc;

    free(rs->pf_key);
    if (!(rs->pf_key = make_key(lits, flags, litlen, n, &rs->pf_key_len)))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    for (i = 0; i < rs->noffers && !rs->db; i++)
        rs->db = take_offer(rs->offer[i], rs->offer_len[i], rs->pf_key, rs->pf_key_len);
    rs->noffers = 0; /* borrowed until now */
    if (rs->db) {
        rs->prebuilt = 1;
        return 0;
    }
    if (hs_compile_lit_multi(lits, flags, ids, litlen, (unsigned)n, HS_MODE_BLOCK, NULL, &rs->db,
                             &hserr) == HS_SUCCESS)
        return 0;
    rc = leakscan_err_set(
        err, LEAKSCAN_EREGEX, "keyword prefilter does not compile (keyword %d): %s",
        hserr ? hserr->expression : -1, hserr && hserr->message ? hserr->message : "unknown error");
    hs_free_compile_error(hserr);
    rs->db = NULL;
    return rc;
}

int leakscan_ruleset_save_prefilter(const struct leakscan_ruleset *rs, unsigned char **out,
                                    size_t *len, struct leakscan_err *err)
{
    char *bytes = NULL;
    size_t n = 0;
    unsigned char *b;

    *out = NULL;
    *len = 0;
    if (!rs->compiled || !rs->db || !rs->pf_key)
        return leakscan_err_set(err, LEAKSCAN_EUSAGE, "no compiled prefilter to save");
    if (hs_serialize_database(rs->db, &bytes, &n) != HS_SUCCESS)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "the prefilter cannot be serialized");
    if (!(b = malloc(HEAD + rs->pf_key_len + n))) {
        free(bytes);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    memcpy(b, MAGIC, 4);
    put32(b + 4, (uint32_t)rs->pf_key_len);
    memcpy(b + HEAD, rs->pf_key, rs->pf_key_len);
    memcpy(b + HEAD + rs->pf_key_len, bytes, n);
    free(bytes);
    *out = b;
    *len = HEAD + rs->pf_key_len + n;
    return 0;
}

void leakscan_ruleset_offer_prefilter(struct leakscan_ruleset *rs, const void *data, size_t len)
{
    if (rs->noffers < LEAKSCAN_MAX_OFFERS && data) {
        rs->offer[rs->noffers] = data;
        rs->offer_len[rs->noffers++] = len;
    }
}

int leakscan_ruleset_prebuilt(const struct leakscan_ruleset *rs)
{
    return rs->prebuilt;
}
