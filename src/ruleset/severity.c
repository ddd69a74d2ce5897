/*
 * severity.c - severity names.
 */
#include "config.h"

#include <strings.h>

#include "leakscan/errors.h"
#include "leakscan/severity.h"

static const char *const names[] = {"info", "low", "medium", "high", "critical"};

const char *leakscan_severity_name(enum leakscan_severity s)
{
    if ((unsigned)s > LEAKSCAN_SEV_CRITICAL)
        return "unknown";
    return names[s];
}

int leakscan_severity_parse(enum leakscan_severity *out, const char *name)
{
    unsigned i;

    for (i = 0; i <= LEAKSCAN_SEV_CRITICAL; i++) {
        if (!strcasecmp(name, names[i])) {
            *out = (enum leakscan_severity)i;
            return 0;
        }
    }
    return LEAKSCAN_EUSAGE;
}
