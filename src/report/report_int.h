/*
 * report_int.h - the reporter vtable, shared by report.c, text.c, json.c,
 * sarif.c.
 */
#ifndef LEAKSCAN_REPORT_INT_H
#define LEAKSCAN_REPORT_INT_H

#include "leakscan/report.h"

struct leakscan_reporter {
    FILE *fp;
    struct leakscan_report_opts opts;
    int (*begin)(struct leakscan_reporter *r, struct leakscan_err *err);
    int (*finding)(struct leakscan_reporter *r, const struct leakscan_finding *f,
                   struct leakscan_err *err);
    int (*end)(struct leakscan_reporter *r, const struct leakscan_report_end *e,
               struct leakscan_err *err);
    void (*release)(struct leakscan_reporter *r);
    void *state;
};

struct cJSON;
/* Print a cJSON document and a newline to fp: 0, LEAKSCAN_ENOMEM or LEAKSCAN_EIO. */
int leakscan_json_print(FILE *fp, const struct cJSON *root, struct leakscan_err *err);

void leakscan_text_reporter_init(struct leakscan_reporter *r);
void leakscan_json_reporter_init(struct leakscan_reporter *r);
void leakscan_jsonl_reporter_init(struct leakscan_reporter *r);
void leakscan_sarif_reporter_init(struct leakscan_reporter *r);

#endif
