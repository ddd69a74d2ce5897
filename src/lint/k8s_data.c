/*
 * k8s_data.c - secrets in manifests: Secret objects (literal values, and
 * base64 `data` decoded and run through the secret rules), ConfigMaps with
 * credential-named keys, and container env literals under credential names.
 *
 * The byte scanner already reports secrets written literally in a file
 * (stringData, ConfigMap and env values), so the secret rules run here only
 * over what it cannot see: decoded base64. The other checks are about where
 * a credential sits, not what it is.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"
#include "leakscan/base64.h"
#include "leakscan/scanner.h"

/* ---- credential names and values ---- */

#define MAX_WORDS 16
#define MAX_WORD 24

/* Split an identifier into lower-case words: DB_PASSWORD, dbPassword, APIKey, api-key. */
static size_t split_words(const char *s, size_t len, char words[MAX_WORDS][MAX_WORD])
{
    size_t n = 0, w = 0, i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        int upper = c >= 'A' && c <= 'Z';
        int boundary = 0;

        if (alnum && w && upper && i > 0) {
            unsigned char p = (unsigned char)s[i - 1];
            unsigned char q = i + 1 < len ? (unsigned char)s[i + 1] : 0;
            /* "dbPassword" splits before P; "APIKey" splits before K */
            boundary = (p >= 'a' && p <= 'z') || (p >= '0' && p <= '9') ||
                       (p >= 'A' && p <= 'Z' && q >= 'a' && q <= 'z');
        }
        if (!alnum || boundary) {
            if (w) {
                words[n][w < MAX_WORD ? w : MAX_WORD - 1] = '\0';
                if (++n == MAX_WORDS)
                    return n;
                w = 0;
            }
            if (!alnum)
                continue;
        }
        if (w < MAX_WORD - 1)
            words[n][w] = (char)(upper ? c - 'A' + 'a' : c);
        w++;
    }
    if (w) {
        words[n][w < MAX_WORD ? w : MAX_WORD - 1] = '\0';
        n++;
    }
    return n;
}

static int in_list(const char *w, const char *const *list)
{
    size_t i;

    for (i = 0; list[i]; i++)
        if (!strcmp(w, list[i]))
            return 1;
    return 0;
}

int k8s_credential_name(const char *s, size_t len)
{
    static const char *const single[] = {
        "password",  "passwd",    "passphrase", "pwd",          "pass",       "secret",
        "token",     "apikey",    "credential", "credentials",  "privatekey", "secretkey",
        "accesskey", "authtoken", "accountkey", "clientsecret", "masterkey",  NULL};
    /* <word> key: api key, private key, signing key... */
    static const char *const before_key[] = {"api",     "private",    "access", "auth",
                                             "signing", "encryption", "master", "session",
                                             "account", "secret",     NULL};
    /*
     * A last word that makes the name describe the credential rather than
     * hold it: TOKEN_TTL, PASSWORD_FILE, SECRET_NAME, ACCESS_KEY_ID.
     */
    static const char *const describes[] = {
        "file",      "files",      "path",     "dir",        "directory",  "name",     "names",
        "ref",       "reference",  "ttl",      "expiry",     "expiration", "expires",  "expire",
        "lifetime",  "timeout",    "interval", "period",     "length",     "len",      "size",
        "min",       "max",        "enabled",  "enable",     "disabled",   "required", "header",
        "type",      "mode",       "url",      "uri",        "endpoint",   "location", "policy",
        "audience",  "issuer",     "version",  "count",      "limit",      "duration", "format",
        "prefix",    "suffix",     "id",       "ids",        "namespace",  "mount",    "field",
        "algorithm", "alg",        "kind",     "provider",   "store",      "backend",  "source",
        "env",       "var",        "rotation", "schedule",   "threshold",  "strength", "regex",
        "pattern",   "hint",       "label",    "selector",   "seconds",    "secs",     "ms",
        "minutes",   "hours",      "days",     "retries",    "usage",      "scope",    "scopes",
        "method",    "host",       "port",     "user",       "username",   "lookup",   "cache",
        "config",    "key_ref",    "arn",      "annotation", "secretref",  "keyref",   "claim",
        "audiences", "complexity", "reset",    "hash",       "salt",       "rounds",   "cost",
        "policy",    "public",     NULL};
    /* run-together names: PGPASSWORD, MYSQLROOTPASSWORD, csrftoken */
    static const char *const endings[] = {"password", "passwd",     "secret", "token",
                                          "apikey",   "passphrase", NULL};
    char words[MAX_WORDS][MAX_WORD];
    size_t n = split_words(s, len, words), i, j, wl, el;
    int hit = 0;

    for (i = 0; i < n && !hit; i++) {
        if (in_list(words[i], single) ||
            (i + 1 < n && !strcmp(words[i + 1], "key") && in_list(words[i], before_key)))
            hit = 1;
        wl = strlen(words[i]);
        for (j = 0; endings[j] && !hit; j++) {
            el = strlen(endings[j]);
            hit = wl > el && !strcmp(words[i] + wl - el, endings[j]);
        }
    }
    if (!hit)
        return 0;
    return !in_list(words[n - 1], describes);
}

static int ci_eq(const char *s, size_t len, const char *w)
{
    size_t i;

    if (strlen(w) != len)
        return 0;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}

static int has_sub(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++)
        if (!memcmp(s + i, needle, n))
            return 1;
    return 0;
}

int k8s_credential_value(const char *s, size_t len)
{
    static const char *const not_secret[] = {
        "true", "false",     "yes",      "no",      "on",       "off",      "null", "none",
        "nil",  "undefined", "disabled", "enabled", "required", "optional", NULL};
    static const char *const cred_words[] = {"secret", "token", "password", "passwd",
                                             "key",    "cred",  "pass",     NULL};
    size_t i, digits = 0, spaces = 0, name_chars = 0;

    if (len < 4 || k8s_is_placeholder(s, len))
        return 0;
    for (i = 0; not_secret[i]; i++)
        if (ci_eq(s, len, not_secret[i]))
            return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        digits += (c >= '0' && c <= '9') || c == '.';
        spaces += c == ' ';
        name_chars += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }
    if (digits == len)
        return 0; /* a number: a TTL, a port, a length */
    if (spaces >= 3)
        return 0; /* prose: "Enter the password of the admin account" */
    if (s[0] == '/' || !strncmp(s, "./", 2) || !strncmp(s, "../", 3) || !strncmp(s, "~/", 2) ||
        !strncmp(s, "file:", 5))
        return 0; /* a path to where the secret is mounted */
    if (has_sub(s, len, "://") && !memchr(s, '@', len))
        return 0; /* an address without credentials in it */
    if (name_chars == len && memchr(s, '-', len)) {
        /* a resource name that refers to a Secret: "db-password-secret" */
        for (i = 0; cred_words[i]; i++)
            if (has_sub(s, len, cred_words[i]))
                return 0;
    }
    return 1;
}

/* ---- base64 ---- */

/* Decode into a new NUL-terminated buffer: 0, 1 when not base64, LEAKSCAN_ENOMEM. */
static int b64_decode(const char *s, size_t len, char **out, size_t *outlen)
{
    unsigned char *buf = malloc(len / 4 * 3 + 4);
    size_t n;

    *out = NULL;
    *outlen = 0;
    if (!buf)
        return LEAKSCAN_ENOMEM;
    n = leakscan_base64_decode(buf, s, len, 1);
    if (n == (size_t)-1) {
        free(buf);
        return 1;
    }
    buf[n] = '\0';
    *out = (char *)buf;
    *outlen = n;
    return 0;
}

/* ---- Secret and ConfigMap ---- */

/* Certificates are public: a TLS Secret's tls.crt or ca.crt is not a leak. */
static int public_only(const char *s, size_t len)
{
    return has_sub(s, len, "-----BEGIN CERTIFICATE-----") && !has_sub(s, len, "PRIVATE KEY");
}

/* A value is literal when it is not a template or placeholder (a multi-line file always is). */
static int literal_value(const char *s, size_t len)
{
    if (!len || public_only(s, len))
        return 0;
    if (memchr(s, '\n', len))
        return !has_sub(s, len, "{{");
    return !k8s_is_placeholder(s, len);
}

struct decoded_scan {
    const struct k8s_obj *ob;
    const struct leakscan_node *at;
    const char *field; /* "data.api-key" */
    const struct leakscan_sink *outer;
};

static int on_decoded_finding(void *p, const struct leakscan_finding *fd)
{
    struct decoded_scan *d = p;

    /* a token that fails its structural check was already lowered by the scanner */
    return k8s_report(d->ob, "k8s-secret-value", fd->validated == 0 ? (int)fd->severity : -1, d->at,
                      fd->fingerprint,
                      "%s decodes (base64) to a secret: %s (rule %s: %s); rotate it, and keep "
                      "it out of the manifest",
                      d->field, fd->message ? fd->message : fd->rule_id, fd->rule_id,
                      fd->secret ? fd->secret : "");
}

static void on_decoded_diag(void *p, const struct leakscan_origin *o, const char *msg)
{
    struct decoded_scan *d = p;

    if (d->outer->diag)
        d->outer->diag(d->outer->payload, o, msg);
}

/* Run the secret rules over a decoded value; findings at the value's position. */
static int scan_decoded(const struct k8s_obj *ob, const struct leakscan_node *value,
                        const char *field, const char *data, size_t len)
{
    struct k8s_file *f = ob->f;
    struct decoded_scan d;
    struct leakscan_sink sink;
    struct leakscan_blob blob;

    if (!f->sc || !len)
        return 0;
    d.ob = ob;
    d.at = value;
    d.field = field;
    d.outer = f->sink;
    sink.finding = on_decoded_finding;
    sink.diag = on_decoded_diag;
    sink.payload = &d;
    memset(&blob, 0, sizeof(blob));
    blob.origin = *f->origin; /* rules scoped by path see the manifest's path */
    blob.data = data;
    blob.len = len;
    return leakscan_scanner_scan(f->sc, &blob, &sink, f->err);
}

struct literals {
    size_t n;
    const struct leakscan_node *first; /* key of the first literal value */
    char names[160];
};

static void add_literal(struct literals *l, const char *section, const struct leakscan_node *key)
{
    size_t used = strlen(l->names);

    if (!l->n++)
        l->first = key;
    if (l->n <= 3)
        snprintf(l->names + used, sizeof(l->names) - used, "%s%s.%s", used ? ", " : "", section,
                 key->value);
    else if (l->n == 4)
        snprintf(l->names + used, sizeof(l->names) - used, ", ...");
}

/* Base64 maps: Secret `data`, ConfigMap `binaryData`. */
static int check_base64_map(const struct k8s_obj *ob, const char *section, struct literals *lit)
{
    const struct leakscan_node *map = k8s_get(ob->root, section, NULL);
    char field[256];
    size_t i;
    int rc;

    if (!map || map->type != LEAKSCAN_NODE_MAP)
        return 0;
    for (i = 0; i < map->count; i++) {
        const struct leakscan_node *k = map->items[2 * i], *v = map->items[2 * i + 1];
        char *dec = NULL;
        size_t dlen;

        if (!k8s_str(k) || !k8s_str(v) || !v->len || k8s_is_placeholder(v->value, v->len))
            continue;
        rc = b64_decode(v->value, v->len, &dec, &dlen);
        if (rc == LEAKSCAN_ENOMEM)
            return rc;
        if (rc)
            continue; /* not base64: the API server would refuse it; nothing decoded to judge */
        if (lit && literal_value(dec, dlen))
            add_literal(lit, section, k);
        snprintf(field, sizeof(field), "%s.%s", section, k->value);
        rc = scan_decoded(ob, v, field, dec, dlen);
        free(dec);
        if (rc)
            return rc;
    }
    return 0;
}

int k8s_check_secret(const struct k8s_obj *ob)
{
    const struct leakscan_node *sd = k8s_get(ob->root, "stringData", NULL);
    struct literals lit;
    size_t i;
    int rc;

    memset(&lit, 0, sizeof(lit));
    if ((rc = check_base64_map(ob, "data", &lit)) != 0)
        return rc;
    /* stringData is plain text: the byte scanner has seen it, only count it */
    if (sd && sd->type == LEAKSCAN_NODE_MAP) {
        for (i = 0; i < sd->count; i++) {
            const struct leakscan_node *k = sd->items[2 * i], *v = sd->items[2 * i + 1];

            if (k8s_str(k) && k8s_str(v) && literal_value(v->value, v->len))
                add_literal(&lit, "stringData", k);
        }
    }
    if (!lit.n)
        return 0;
    return k8s_report(ob, "k8s-secret-literal", -1, lit.first, NULL,
                      "Secret committed with %zu literal value%s (%s): keep the values in a "
                      "secret manager and sync them (External Secrets, Sealed Secrets, SOPS)",
                      lit.n, lit.n == 1 ? "" : "s", lit.names);
}

/* One `name = value` / `name: value` line of a file held in a ConfigMap value. */
static int embedded_pair(const char *line, size_t len, const char **name, size_t *nlen,
                         const char **val, size_t *vlen)
{
    size_t i = 0, j;
    int quoted = 0;

    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i < len && (line[i] == '#' || line[i] == ';' || line[i] == '/'))
        return 0;
    if (len - i > 7 && !memcmp(line + i, "export ", 7))
        i += 7;
    if (i < len && line[i] == '"')
        quoted = 1, i++;
    for (j = i; j < len; j++) {
        char c = line[j];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            break;
    }
    if (j == i)
        return 0;
    *name = line + i;
    *nlen = j - i;
    if (quoted && j < len && line[j] == '"')
        j++;
    while (j < len && (line[j] == ' ' || line[j] == '\t'))
        j++;
    if (j >= len || (line[j] != '=' && line[j] != ':'))
        return 0;
    j++;
    while (j < len && (line[j] == ' ' || line[j] == '\t'))
        j++;
    while (len > j && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r' ||
                       line[len - 1] == ','))
        len--;
    if (len - j >= 2 && (line[j] == '"' || line[j] == '\'') && line[len - 1] == line[j])
        j++, len--;
    *val = line + j;
    *vlen = len - j;
    return *vlen > 0;
}

static int check_embedded(const struct k8s_obj *ob, const struct leakscan_node *k,
                          const struct leakscan_node *v)
{
    const char *p = v->value, *end = v->value + v->len, *name, *val;
    size_t nlen, vlen, lineno = 0;
    char detail[256];
    int rc;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

        lineno++;
        if (embedded_pair(p, len, &name, &nlen, &val, &vlen) && k8s_credential_name(name, nlen) &&
            k8s_credential_value(val, vlen)) {
            snprintf(detail, sizeof(detail), "%s/%.*s", k->value, (int)nlen, name);
            rc = k8s_report(ob, "k8s-configmap-credential", -1, k, detail,
                            "ConfigMap data.%s sets %.*s literally (line %zu of the value): "
                            "ConfigMaps are not secret (readable with `get configmaps`, not "
                            "encrypted at rest); move it to a Secret",
                            k->value, (int)nlen, name, lineno);
            if (rc)
                return rc;
        }
        p += len + 1;
    }
    return 0;
}

int k8s_check_configmap(const struct k8s_obj *ob)
{
    const struct leakscan_node *data = k8s_get(ob->root, "data", NULL);
    size_t i;
    int rc;

    if (data && data->type == LEAKSCAN_NODE_MAP) {
        for (i = 0; i < data->count; i++) {
            const struct leakscan_node *k = data->items[2 * i], *v = data->items[2 * i + 1];

            if (!k8s_str(k) || !k8s_str(v))
                continue;
            if (memchr(v->value, '\n', v->len)) {
                rc = check_embedded(ob, k, v);
            } else if (k8s_credential_name(k->value, k->len) &&
                       k8s_credential_value(v->value, v->len)) {
                rc = k8s_report(ob, "k8s-configmap-credential", -1, k, k->value,
                                "ConfigMap key '%s' holds a literal credential: ConfigMaps are "
                                "not secret (readable with `get configmaps`, not encrypted at "
                                "rest); move it to a Secret",
                                k->value);
            } else {
                rc = 0;
            }
            if (rc)
                return rc;
        }
    }
    return check_base64_map(ob, "binaryData", NULL);
}

/* ---- env ---- */

int k8s_check_env(const struct k8s_obj *ob, const struct leakscan_node *container,
                  const char *cname)
{
    const struct leakscan_node *env = k8s_get(container, "env", NULL);
    char detail[256];
    size_t i;
    int rc;

    if (!env || env->type != LEAKSCAN_NODE_SEQ)
        return 0;
    for (i = 0; i < env->count; i++) {
        const struct leakscan_node *e = env->items[i], *vkey;
        const char *name = k8s_str(k8s_get(e, "name", NULL));
        const struct leakscan_node *v = k8s_get(e, "value", &vkey);

        /* valueFrom (secretKeyRef...) is the right way and has no `value` */
        if (!name || !k8s_str(v) || !k8s_credential_name(name, strlen(name)) ||
            !k8s_credential_value(v->value, v->len))
            continue;
        snprintf(detail, sizeof(detail), "%s/%s", cname, name);
        rc = k8s_report(ob, "k8s-env-credential-literal", -1, vkey, detail,
                        "container '%s' sets %s to a literal value: it lands in the manifest, "
                        "the pod spec and `kubectl describe`; use valueFrom.secretKeyRef",
                        cname, name);
        if (rc)
            return rc;
    }
    return 0;
}
