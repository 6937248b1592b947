package io.headroom.model;

import java.util.List;

/**
 * A process inside a container that looks like part of Dask (or a multiprocessing child).
 *
 * @param pid                 host pid
 * @param ppid                host parent pid
 * @param argv                command line, one element per argument
 * @param name                the kernel's short name (comm)
 * @param rssLimitHardBytes   hard RLIMIT_RSS ("Max resident set" in /proc/PID/limits); null when unlimited
 * @param cpusAllowed         number of CPUs in Cpus_allowed_list (what sched_getaffinity returns), or null
 * @param rssBytes            VmRSS in bytes, or null
 * @param daskVersions        Dask {@code distributed} versions found in the container's Python paths
 * @param view                the files as the process sees them, or null when not readable
 */
public record ProcessFacts(
        int pid,
        int ppid,
        List<String> argv,
        String name,
        Long rssLimitHardBytes,
        Integer cpusAllowed,
        Long rssBytes,
        List<String> daskVersions,
        DaskView view) {

    public ProcessFacts {
        argv = List.copyOf(argv);
        daskVersions = List.copyOf(daskVersions);
    }
}
