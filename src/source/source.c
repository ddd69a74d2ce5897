/*
 * source.c - shared helpers of sources.
 */
#include "config.h"

#include <stdlib.h>

#include "leakscan/source.h"

void leakscan_source_free(struct leakscan_source *src)
{
    if (!src)
        return;
    if (src->free)
        src->free(src->payload);
    free(src);
}
