/*
 * cpus.c - the CPUs this process may use (see cpus.h). The cgroup of the
 * process is read from /proc/self/cgroup; a v2 limit may be set on any
 * ancestor, so the smallest on the way up counts. Inside a container the
 * cgroup root is the container's own, so its limit is read there too.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leakscan/cpus.h"

unsigned leakscan_cpu_quota(const char *text)
{
    char *end;
    long long quota, period;

    if (!text)
        return 0;
    quota = strtoll(text, &end, 10);
    if (end == text || quota <= 0 || *end != ' ')
        return 0; /* "max", -1, or not a number */
    text = end + 1;
    period = strtoll(text, &end, 10);
    if (end == text || period <= 0 || (*end && *end != '\n'))
        return 0;
    quota = (quota + period - 1) / period;
    return quota > 0xffff ? 0xffff : (unsigned)quota;
}

/* The first line of a file, or "" when it cannot be read. */
static void first_line(const char *path, char *buf, size_t size)
{
    FILE *fp = fopen(path, "re");

    buf[0] = '\0';
    if (!fp)
        return;
    if (!fgets(buf, (int)size, fp))
        buf[0] = '\0';
    fclose(fp);
}

static unsigned smaller(unsigned a, unsigned b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

/* The quota of a v2 cgroup and its ancestors: the smallest set, or 0. */
static unsigned quota_v2(const char *cg)
{
    char path[4200], text[128];
    size_t len = strlen(cg);
    unsigned q = 0;

    for (;;) {
        while (len > 1 && cg[len - 1] == '/')
            len--;
        snprintf(path, sizeof(path), "/sys/fs/cgroup%.*s/cpu.max", (int)(len > 1 ? len : 0), cg);
        first_line(path, text, sizeof(text));
        q = smaller(q, leakscan_cpu_quota(text));
        if (len <= 1)
            return q;
        while (len > 1 && cg[len - 1] != '/')
            len--;
    }
}

/* The quota of a v1 cgroup of the cpu controller (its own path, or the root in a container). */
static unsigned quota_v1(const char *cg)
{
    static const char *const mounts[] = {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"};
    char path[4200], quota[64], period[64], text[130];
    size_t m, r;

    for (m = 0; m < sizeof(mounts) / sizeof(mounts[0]); m++) {
        for (r = 0; r < 2; r++) {
            const char *at = r ? "" : strcmp(cg, "/") ? cg : "";
            snprintf(path, sizeof(path), "%s%s/cpu.cfs_quota_us", mounts[m], at);
            first_line(path, quota, sizeof(quota));
            snprintf(path, sizeof(path), "%s%s/cpu.cfs_period_us", mounts[m], at);
            first_line(path, period, sizeof(period));
            if (!quota[0] || !period[0])
                continue;
            quota[strcspn(quota, "\n")] = '\0';
            snprintf(text, sizeof(text), "%s %s", quota, period);
            return leakscan_cpu_quota(text);
        }
    }
    return 0;
}

/* 1 when the comma-separated list of controllers has "cpu". */
static int has_cpu(const char *ctl)
{
    size_t n;

    for (; *ctl; ctl += n + (ctl[n] == ',')) {
        n = strcspn(ctl, ",");
        if (n == 3 && !strncmp(ctl, "cpu", 3))
            return 1;
    }
    return 0;
}

/* The CPU quota of this process's cgroup, or 0 for none. */
static unsigned cgroup_quota(void)
{
    char line[4096];
    unsigned q = 0;
    FILE *fp = fopen("/proc/self/cgroup", "re");

    if (!fp)
        return 0;
    /* "hierarchy:controllers:path"; v2 is "0::path" */
    while (fgets(line, sizeof(line), fp)) {
        char *ctl = strchr(line, ':'), *cg;
        if (!ctl || !(cg = strchr(ctl + 1, ':')))
            continue;
        *ctl++ = '\0';
        *cg++ = '\0';
        cg[strcspn(cg, "\n")] = '\0';
        if (*cg != '/')
            continue;
        if (!strcmp(line, "0") && !*ctl)
            q = smaller(q, quota_v2(cg));
        else if (has_cpu(ctl))
            q = smaller(q, quota_v1(cg));
    }
    fclose(fp);
    return q;
}

unsigned leakscan_ncpus(void)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = online > 0 ? (unsigned)online : 1u, q;
    cpu_set_t set;

    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0 &&
        (unsigned)CPU_COUNT(&set) < n)
        n = (unsigned)CPU_COUNT(&set);
    q = cgroup_quota();
    return q && q < n ? q : n;
}
