/*
 * fuzz_baseline.c - the baseline loader (a JSON report) and the config loader
 * on arbitrary bytes, through a temporary file as the CLI reads them.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "leakscan/baseline.h"
#include "leakscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/leakscan-fuzz-XXXXXX";
    struct leakscan_baseline bl;
    struct leakscan_config cfg;
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    int fd = mkstemp(path);

    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    leakscan_err_init(&err);
    if (leakscan_baseline_load(&bl, path, &err) == 0)
        leakscan_baseline_release(&bl);
    leakscan_config_init(&cfg);
    if (leakscan_ruleset_new(&rs, &err) == 0) {
        if (leakscan_config_load(&cfg, rs, path, &err) == 0)
            leakscan_ruleset_compile(rs, &err);
        leakscan_ruleset_free(rs);
    }
    leakscan_config_release(&cfg);
    unlink(path);
    return 0;
}
