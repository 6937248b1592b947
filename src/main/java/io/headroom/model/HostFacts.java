package io.headroom.model;

import java.util.List;
import java.util.Map;

/**
 * Everything one probe run learned about a host.
 *
 * @param target           the target as the user named it (e.g. {@code local}, {@code user@vm:22})
 * @param probeVersion     the probe's format version
 * @param epochSeconds     the host's clock when probed
 * @param hostname         the host's name
 * @param kernelRelease    uname -r
 * @param cpuCount         online CPUs
 * @param cgroupMode       from mountinfo
 * @param memInfo          /proc/meminfo, or null when unreadable
 * @param containers       running containers (Dask or not)
 * @param composeFiles     compose files named by container labels, by path
 * @param dotEnvValues     AVAILABLE_MEMORY_FOR_DASK as written in each compose project's .env, by .env path
 * @param environmentValue AVAILABLE_MEMORY_FOR_DASK in the probe's environment or /etc/environment, or null
 * @param oomEvents        kernel OOM lines
 * @param problems         sections that were unavailable, truncated or unreadable
 * @param dockerAvailable  whether the docker CLI answered
 */
public record HostFacts(
        String target,
        int probeVersion,
        long epochSeconds,
        String hostname,
        String kernelRelease,
        int cpuCount,
        CgroupMode cgroupMode,
        MemInfo memInfo,
        List<ContainerFacts> containers,
        Map<String, ComposeFile> composeFiles,
        Map<String, String> dotEnvValues,
        String environmentValue,
        List<OomEvent> oomEvents,
        List<SectionProblem> problems,
        boolean dockerAvailable) {

    public HostFacts {
        containers = List.copyOf(containers);
        composeFiles = Map.copyOf(composeFiles);
        dotEnvValues = Map.copyOf(dotEnvValues);
        oomEvents = List.copyOf(oomEvents);
        problems = List.copyOf(problems);
    }
}
