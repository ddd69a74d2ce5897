/*
 * cpus.h - how many threads to run when `--jobs` is not given: the CPUs
 * this process may use. On a CI runner or in a container that is often
 * fewer than the machine has: `taskset` and cpusets narrow the affinity,
 * and a CPU limit (`docker run --cpus 2`, a Kubernetes limit) is a cgroup
 * quota. Threads over that only queue for the quota.
 */
#ifndef LEAKSCAN_CPUS_H
#define LEAKSCAN_CPUS_H

/* CPUs online, narrowed by the affinity mask and the cgroup CPU quota; at least 1. */
unsigned leakscan_ncpus(void);

/*
 * The CPUs a cgroup quota allows, rounded up, from the text of a cgroup v2
 * `cpu.max` ("150000 100000": 2) or v1's quota and period joined by a space;
 * 0 when there is no limit ("max", "-1 100000") or the text is not one.
 */
unsigned leakscan_cpu_quota(const char *text);

#endif
