/*
 * text.c - one line per finding, for people:
 *   path:line:column  rule-id  severity  message  preview
 * Colour only when asked (the CLI decides: a terminal, and NO_COLOR unset).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

static const char *sev_color(enum leakscan_severity s)
{
    switch (s) {
    case LEAKSCAN_SEV_CRITICAL:
        return "\033[1;31m";
    case LEAKSCAN_SEV_HIGH:
        return "\033[31m";
    case LEAKSCAN_SEV_MEDIUM:
        return "\033[33m";
    case LEAKSCAN_SEV_LOW:
        return "\033[36m";
    default:
        return "\033[2m";
    }
}

static int text_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                        struct leakscan_err *err)
{
    FILE *fp = r->fp;
    int color = r->opts.color, bad = 0;
    char label[200];
    const char *path = f->origin.path;

    if (!path) {
        /* a commit or tag message: no path, say which */
        snprintf(label, sizeof(label), "(%s)", f->origin.label ? f->origin.label : "message");
        path = label;
    }

    if (color)
        bad |= fputs("\033[35m", fp) < 0;
    bad |= leakscan_write_escaped(fp, path, strlen(path));
    if (color)
        bad |= fputs("\033[0m", fp) < 0;
    bad |= fprintf(fp, ":%u:%u  ", f->line, f->column) < 0;
    if (color)
        bad |= fprintf(fp, "\033[1m%s\033[0m  %s%s\033[0m  ", f->rule_id, sev_color(f->severity),
                       leakscan_severity_name(f->severity)) < 0;
    else
        bad |= fprintf(fp, "%s  %s  ", f->rule_id, leakscan_severity_name(f->severity)) < 0;
    bad |= leakscan_write_escaped(fp, f->message, strlen(f->message));
    if (f->validated == 0)
        bad |= fputs(" (checksum mismatch)", fp) < 0;
    if (f->object) {
        bad |= fputs("  ", fp) < 0;
        bad |= leakscan_write_escaped(fp, f->object, strlen(f->object));
    }
    if (f->secret) {
        bad |= fputs("  ", fp) < 0;
        bad |= leakscan_write_escaped(fp, f->secret, f->secret_len);
    }
    if (f->origin.commit) {
        bad |= fprintf(fp, "  commit %.12s", f->origin.commit) < 0;
    }
    bad |= fputc('\n', fp) == EOF;
    if (bad)
        return leakscan_err_set(err, LEAKSCAN_EIO, "cannot write the report: %s", strerror(errno));
    return 0;
}

void leakscan_text_reporter_init(struct leakscan_reporter *r)
{
    r->finding = text_finding;
}
