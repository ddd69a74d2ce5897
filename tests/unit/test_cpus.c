/*
 * test_cpus.c - the default number of threads follows what the process may
 * use: the affinity mask (taskset, cpusets) and a cgroup CPU quota (a
 * container's --cpus, a Kubernetes limit), never more than the CPUs online.
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include "config.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "leakscan/cpus.h"

static void test_quota_text(void **state)
{
    (void)state;
    /* cgroup v2 cpu.max, and v1's quota and period joined */
    assert_int_equal(leakscan_cpu_quota("max 100000\n"), 0);
    assert_int_equal(leakscan_cpu_quota("-1 100000"), 0);
    assert_int_equal(leakscan_cpu_quota("200000 100000\n"), 2);
    assert_int_equal(leakscan_cpu_quota("150000 100000"), 2); /* 1.5 CPUs: 2 threads */
    assert_int_equal(leakscan_cpu_quota("50000 100000"), 1);
    assert_int_equal(leakscan_cpu_quota("1 100000"), 1);
    assert_int_equal(leakscan_cpu_quota("400000 100000"), 4);
    /* not a quota */
    assert_int_equal(leakscan_cpu_quota(""), 0);
    assert_int_equal(leakscan_cpu_quota(NULL), 0);
    assert_int_equal(leakscan_cpu_quota("100000"), 0);
    assert_int_equal(leakscan_cpu_quota("100000 0"), 0);
    assert_int_equal(leakscan_cpu_quota("0 100000"), 0);
    assert_int_equal(leakscan_cpu_quota("100000 x"), 0);
    assert_int_equal(leakscan_cpu_quota("100000 100000 junk"), 0);
}

static void test_affinity(void **state)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t all, one;
    int cpu;

    (void)state;
    assert_true(leakscan_ncpus() >= 1);
    assert_true(online < 1 || leakscan_ncpus() <= (unsigned)online);
    /* narrowed to one CPU (taskset -c N): one thread */
    assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
    for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &all); cpu++)
        ;
    assert_true(cpu < CPU_SETSIZE);
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
    assert_int_equal(leakscan_ncpus(), 1);
    assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
    assert_true(leakscan_ncpus() <= (unsigned)CPU_COUNT(&all));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_quota_text),
                                       cmocka_unit_test(test_affinity)};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
