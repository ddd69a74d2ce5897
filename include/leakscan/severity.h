/*
 * severity.h - finding severities, ordered so that comparisons work.
 */
#ifndef LEAKSCAN_SEVERITY_H
#define LEAKSCAN_SEVERITY_H

enum leakscan_severity {
    LEAKSCAN_SEV_INFO = 0,
    LEAKSCAN_SEV_LOW,
    LEAKSCAN_SEV_MEDIUM,
    LEAKSCAN_SEV_HIGH,
    LEAKSCAN_SEV_CRITICAL
};

/* "critical", "high", ... Never NULL. */
const char *leakscan_severity_name(enum leakscan_severity s);

/* Parse a name (case-insensitive). 0, or LEAKSCAN_EUSAGE for an unknown one. */
int leakscan_severity_parse(enum leakscan_severity *out, const char *name);

#endif
