package io.headroom.analysis;

import io.headroom.model.CgroupMemory;
import io.headroom.model.CgroupMode;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.HostFacts;
import io.headroom.model.MemInfo;
import io.headroom.model.OomEvent;
import io.headroom.model.ProcessFacts;
import io.headroom.model.SectionProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds host facts for analyzer tests: a v1 host with Dask worker containers. */
final class TestFacts {
    static final long GIB = 1L << 30;
    static final long V1_UNLIMITED = 9223372036854771712L;

    long memTotal = 16 * GIB;
    long memAvailable = 12 * GIB;
    int cpus = 4;
    final List<ContainerFacts> containers = new ArrayList<>();
    final Map<String, String> dotEnv = new HashMap<>();
    final List<OomEvent> ooms = new ArrayList<>();
    String envValue;
    /** Null: docker answered; else why the container list could not be read. */
    String dockerProblem;
    /** False: /proc/meminfo could not be read. */
    boolean memInfoRead = true;
    /** Hard RLIMIT_RSS of the next workers' processes (null: unlimited). */
    Long rssLimit;
    /** The distributed version the next workers' containers show. */
    String daskVersion = "2022.12.1+ds.1";
    /** The next workers' own environment as /proc/PID/environ shows it (null: not read). */
    Map<String, String> environ;
    /** The next workers' interpreter and its options, before the dask-worker script. */
    List<String> python = List.of("/usr/bin/python3");
    private int nextPid = 1000;

    /** A container running {@code dask-worker tcp://s:8786 ARGS} under v1 with the given limits (null = unlimited). */
    ContainerFacts worker(String name, Long hardLimit, Long softLimit, long usage, Map<String, String> env, String... args) {
        String id = String.format("%064x", containers.size() + 1);
        int launcher = nextPid++;
        int child = nextPid++;
        Map<String, String> files = new HashMap<>();
        files.put("/sys/fs/cgroup/memory/memory.limit_in_bytes", Long.toString(hardLimit == null ? V1_UNLIMITED : hardLimit));
        files.put("/sys/fs/cgroup/memory/memory.soft_limit_in_bytes", Long.toString(softLimit == null ? V1_UNLIMITED : softLimit));
        files.put("/proc/self/exe", python.get(0));
        files.put("/proc/self/environ", environ == null ? "<unreadable>" : "read 100");
        DaskView view = new DaskView(memTotal, files, environ);
        List<String> argv = new ArrayList<>(python);
        argv.addAll(List.of("/usr/bin/dask-worker", "tcp://s:8786"));
        argv.addAll(List.of(args));
        ProcessFacts p1 = new ProcessFacts(launcher, 1, argv, "dask-worker", rssLimit, cpus, 100L << 20,
                List.of(daskVersion), view);
        ProcessFacts p2 = new ProcessFacts(child, launcher,
                List.of("/usr/bin/python3", "-c", "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=11)", "--multiprocessing-fork"),
                "python3", rssLimit, cpus, 80L << 20, List.of(daskVersion), view);
        CgroupMemory cg = new CgroupMemory(1, "/sys/fs/cgroup/memory/docker/" + id, hardLimit, softLimit, null, null,
                usage, usage, 0L, 0L, null, null, Map.of());
        ContainerFacts c = new ContainerFacts(id, name, "dask:test", argv.subList(python.size(), argv.size()), launcher, "running", null,
                false, 0, hardLimit, softLimit, null, "proj", "worker", "/srv/proj", List.of("docker-compose.yml"),
                env, cg, List.of(p1, p2), List.of());
        containers.add(c);
        return c;
    }

    HostFacts build() {
        MemInfo mem = memInfoRead ? new MemInfo(memTotal, memAvailable, Map.of("MemTotal", memTotal, "MemAvailable", memAvailable)) : null;
        List<SectionProblem> problems = dockerProblem == null ? List.of()
                : List.of(new SectionProblem("docker-ps", "-", SectionProblem.Kind.UNAVAILABLE, dockerProblem));
        return new HostFacts("vm1", 1, 0, "vm1", "6.1.0", cpus, CgroupMode.V1, mem, containers, Map.of(), dotEnv,
                envValue, ooms, problems, dockerProblem == null);
    }
}
