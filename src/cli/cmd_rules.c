/*
 * cmd_rules.c - `leakscan rules list | show ID | test [FILE...]`.
 */
#include "config.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "leakscan/lint.h"

static char *config_in(const char *dir)
{
    size_t n = strlen(dir) + sizeof("/.leakscan.yaml");
    char *p = malloc(n);
    struct stat st;

    if (!p)
        return NULL;
    snprintf(p, n, "%s%s.leakscan.yaml", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/");
    if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(p);
        return NULL;
    }
    return p;
}

/*
 * `.leakscan.yaml` in the scanned root: the first PATH ("." by default), or
 * else the top of the work tree it is in (`leakscan src/` in a repository
 * keeps the repository's config).
 */
static char *auto_config(const struct cli_opts *o)
{
    const char *root = o->nargs ? o->args[0] : ".";
    git_repository *repo = NULL;
    char *p = config_in(root);

    if (p)
        return p;
    if (git_repository_open_ext(&repo, root, 0, NULL) == 0 && git_repository_workdir(repo))
        p = config_in(git_repository_workdir(repo));
    git_repository_free(repo);
    return p;
}

/* The base of a range scan (--since-commit REV, --log-range A..B), or NULL. */
static const char *range_base(const struct cli_opts *o)
{
    static const char head[] = "HEAD";

    if (o->mode != MODE_HISTORY)
        return NULL;
    if (o->since_commit)
        return o->since_commit;
    if (o->log_range)
        return o->log_range[0] == '.' ? head : o->log_range;
    return NULL;
}

/*
 * In a range scan the config comes from the base revision, not from the
 * checked-out branch: a pull request must not relax the gate that judges
 * it (allow everything, disable rules, raise fail_on). No config at the base:
 * none at all. --config (chosen by whoever runs CI) is used as given.
 */
static int base_config(struct leakscan_config *cfg, struct leakscan_ruleset *rs,
                       const struct cli_opts *o, struct leakscan_err *err)
{
    const char *base = range_base(o), *dots = strstr(base, "..");
    size_t blen = dots ? (size_t)(dots - base) : strlen(base);
    git_repository *repo = NULL;
    git_object *obj = NULL;
    char spec[1024];
    int rc = 0;

    if (!blen || blen >= sizeof(spec) - sizeof(":.leakscan.yaml"))
        return 0; /* "..B": HEAD, whose config is the checked-out one's history */
    snprintf(spec, sizeof(spec), "%.*s:.leakscan.yaml", (int)blen, base);
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    if (git_repository_open_ext(&repo, o->nargs ? o->args[0] : ".", 0, NULL) == 0 &&
        git_revparse_single(&obj, repo, spec) == 0 && git_object_type(obj) == GIT_OBJECT_BLOB) {
        const git_blob *b = (const git_blob *)obj;
        rc = leakscan_config_load_text(cfg, rs, spec, git_blob_rawcontent(b),
                                       (size_t)git_blob_rawsize(b), err);
    }
    if (!rc && !o->quiet) {
        char *here = auto_config(o);
        if (here)
            fprintf(stderr,
                    "leakscan: note: a range scan reads .leakscan.yaml from %.*s, not "
                    "from the checked-out tree\n",
                    (int)blen, base);
        free(here);
    }
    git_object_free(obj);
    git_repository_free(repo);
    return rc;
}

/* made by gen_prefilter at build time */
extern const unsigned char *const leakscan_builtin_prefilters[2];
extern const size_t leakscan_builtin_prefilter_sizes[2];

void cli_offer_prefilters(struct leakscan_ruleset *rs)
{
    size_t i;

    for (i = 0; i < 2; i++)
        leakscan_ruleset_offer_prefilter(rs, leakscan_builtin_prefilters[i],
                                         leakscan_builtin_prefilter_sizes[i]);
}

int cli_read_rules(struct leakscan_ruleset **out, struct leakscan_config *cfg,
                   const struct cli_opts *o)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    char *autocfg = NULL;
    size_t i;
    int rc;

    leakscan_err_init(&err);
    leakscan_config_init(cfg);
    *out = NULL;
    rc = leakscan_ruleset_new(&rs, &err);
    if (!rc)
        rc = leakscan_ruleset_load_builtin(rs, &err);
    if (!rc)
        cli_offer_prefilters(rs);
    cli_git_ready(o); /* the config may be found, or read, through git */
    if (!rc && !o->nconfigs && o->use_auto_config && range_base(o))
        rc = base_config(cfg, rs, o, &err);
    else if (!rc && !o->nconfigs && o->use_auto_config && (autocfg = auto_config(o)) != NULL)
        rc = leakscan_config_load(cfg, rs, autocfg, &err);
    for (i = 0; !rc && i < o->nconfigs; i++)
        rc = leakscan_config_load(cfg, rs, o->configs[i], &err);
    if (!rc)
        leakscan_ruleset_set_redact(rs, o->redact_rules);
    free(autocfg);
    if (rc) {
        cli_error("%s", err.msg);
        leakscan_ruleset_free(rs);
        leakscan_config_release(cfg);
        /* a config file that cannot be read is a configuration error too */
        return rc == LEAKSCAN_EIO || rc == LEAKSCAN_ENOTFOUND ? EXIT_USAGE : cli_exit_for(rc);
    }
    *out = rs;
    return 0;
}

int cli_load_rules(struct leakscan_ruleset **out, struct leakscan_config *cfg,
                   const struct cli_opts *o)
{
    struct leakscan_err err;
    int ex = cli_read_rules(out, cfg, o), rc;

    if (ex)
        return ex;
    leakscan_err_init(&err);
    if ((rc = leakscan_ruleset_compile(*out, &err))) {
        cli_error("%s", err.msg);
        leakscan_ruleset_free(*out);
        *out = NULL;
        leakscan_config_release(cfg);
        return cli_exit_for(rc);
    }
    return 0;
}

static void print_list(const char *label, char *const *v, size_t n)
{
    size_t i;

    if (!n)
        return;
    printf("%-18s", label);
    for (i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", v[i]);
    putchar('\n');
}

static void print_examples(const char *label, const struct leakscan_example *ex, size_t n)
{
    size_t i;

    if (!n)
        return;
    printf("%s:\n", label);
    for (i = 0; i < n; i++) {
        fputs("  - ", stdout);
        leakscan_write_escaped(stdout, ex[i].text, ex[i].len);
        if (ex[i].path)
            printf("   (as %s)", ex[i].path);
        putchar('\n');
    }
}

static int show(const struct leakscan_ruleset *rs, const char *id)
{
    const struct leakscan_rule *r = leakscan_ruleset_find(rs, id);
    static const char *const how[] = {"none", "github-crc32", "npm-crc32", "marker", "jwt"};

    if (!r) {
        cli_error("no rule with id '%s' (see leakscan rules list)", id);
        return EXIT_USAGE;
    }
    printf("%-18s%s\n", "id:", r->id);
    printf("%-18s%s\n", "name:", r->name);
    printf("%-18s%s\n", "severity:", leakscan_severity_name(r->severity));
    printf("%-18s%s:%u\n", "defined in:", r->file, r->line);
    if (r->disabled)
        printf("%-18s%s\n", "status:", "disabled");
    print_list("keywords:", r->keywords, r->nkeywords);
    printf("%-18s%s\n", "pattern:", r->pattern);
    if (r->secret_group >= 0)
        printf("%-18s%d\n", "secret group:", r->secret_group);
    if (r->min_entropy > 0)
        printf("%-18s%.2f\n", "min entropy:", r->min_entropy);
    if (r->validate)
        printf("%-18s%s\n", "validation:", how[r->validate]);
    if (r->generic)
        printf("%-18s%s\n", "generic:", "yes (yields to specific rules)");
    print_list("allow:", r->allow, r->nallow);
    print_list("paths:", r->paths, r->npaths);
    print_examples("examples", r->examples, r->nexamples);
    print_examples("negative examples", r->negatives, r->nnegatives);
    return EXIT_CLEAN;
}

static int list_lints(void)
{
    const struct leakscan_check *c;
    size_t i;

    for (i = 0; (c = leakscan_lint_check_at(i)) != NULL; i++)
        printf("%-36s %-9s %-10s %s\n", c->id, leakscan_severity_name(c->severity), c->category,
               c->summary);
    fprintf(stderr, "leakscan: %zu lint checks\n", i);
    return EXIT_CLEAN;
}

static int list(const struct leakscan_ruleset *rs)
{
    size_t i, n = leakscan_ruleset_count(rs), on = 0;

    for (i = 0; i < n; i++) {
        const struct leakscan_rule *r = leakscan_ruleset_rule(rs, i);
        printf("%-36s %-9s %s%s\n", r->id, leakscan_severity_name(r->severity), r->name,
               r->disabled ? " (disabled)" : "");
        on += !r->disabled;
    }
    fprintf(stderr, "leakscan: %zu rules (%zu enabled)", n, on);
    {
        /* the count per family (rule file) */
        const char *seen[64];
        size_t counts[64], nf = 0, k;
        for (i = 0; i < n; i++) {
            const struct leakscan_rule *r = leakscan_ruleset_rule(rs, i);
            for (k = 0; k < nf && strcmp(seen[k], r->file); k++)
                ;
            if (k == nf && nf < 64) {
                seen[nf] = r->file;
                counts[nf++] = 0;
            }
            if (k < nf)
                counts[k]++;
        }
        for (k = 0; k < nf; k++)
            fprintf(stderr, "%s %s %zu", k ? "," : ":", seen[k], counts[k]);
    }
    fputc('\n', stderr);
    return EXIT_CLEAN;
}

static int test(const struct cli_opts *o)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_selftest_stats st;
    struct leakscan_err err;
    size_t i;
    int rc;

    leakscan_err_init(&err);
    if (o->nargs > 1) {
        /* only the files given */
        rc = leakscan_ruleset_new(&rs, &err);
        for (i = 1; !rc && i < o->nargs; i++)
            rc = leakscan_ruleset_load_file(rs, o->args[i], 0, &err);
        if (!rc) {
            leakscan_ruleset_set_redact(rs, 1); /* the log rules are tested too */
            rc = leakscan_ruleset_compile(rs, &err);
        }
        if (rc) {
            cli_error("%s", err.msg);
            leakscan_ruleset_free(rs);
            return rc == LEAKSCAN_EIO || rc == LEAKSCAN_ENOTFOUND ? EXIT_USAGE : cli_exit_for(rc);
        }
    } else {
        struct leakscan_config cfg;
        if ((rc = cli_load_rules(&rs, &cfg, o)) != 0)
            return rc;
        leakscan_config_release(&cfg);
    }
    rc = leakscan_ruleset_selftest(rs, stdout, &st, &err);
    leakscan_ruleset_free(rs);
    if (rc) {
        cli_error("rules test: %s", err.msg);
        return EXIT_RUNTIME;
    }
    printf("rules test: %zu rules, %zu examples, %zu negative examples: %zu failure%s\n", st.rules,
           st.examples, st.negatives, st.failures, st.failures == 1 ? "" : "s");
    if (fflush(stdout) != 0)
        return EXIT_RUNTIME;
    return st.failures ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_rules(struct cli_opts *o)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_config cfg;
    const char *sub = o->nargs ? o->args[0] : "list";
    int rc;

    cli_git_ready(o); /* fingerprints are git blob ids */
    if (!strcmp(sub, "test")) {
        o->redact_rules = 1; /* the log rules of `leakscan redact` are tested too */
        return test(o);
    }
    if (!strcmp(sub, "list") && o->lints)
        return list_lints();
    if (strcmp(sub, "list") && strcmp(sub, "show")) {
        cli_error("unknown rules command '%s' (list, show ID, test [FILE...])", sub);
        return EXIT_USAGE;
    }
    if (!strcmp(sub, "show") && o->nargs != 2) {
        cli_error("usage: leakscan rules show ID");
        return EXIT_USAGE;
    }
    if ((rc = cli_load_rules(&rs, &cfg, o)) != 0)
        return rc;
    leakscan_config_release(&cfg);
    rc = !strcmp(sub, "show") ? show(rs, o->args[1]) : list(rs);
    leakscan_ruleset_free(rs);
    if (fflush(stdout) != 0)
        return EXIT_RUNTIME;
    return rc;
}
