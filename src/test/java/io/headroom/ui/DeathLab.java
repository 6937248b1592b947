package io.headroom.ui;

import io.headroom.analysis.Analyzer;
import io.headroom.engine.CapturedDeaths;
import io.headroom.model.CgroupMemory;
import io.headroom.model.CgroupMode;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.MemInfo;
import io.headroom.model.ProcessFacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The issue-20 death lab for UI tests: the real output of the deaths script on this host after
 * {@code lab/projects/i20-deaths} killed its workers ({@code fixtures/deaths/v1-deaths-script-output.txt}, podman,
 * cgroup v1, Dask 2022.12.1), and a scan of the same VM modelled on that project's compose file (worker-fast:
 * 256 MiB, auto on 2 CPUs; worker-slow: 768 MiB, {@code --nthreads 1 --memory-limit 200MiB}) with the
 * containers' real ids, analysed by the real {@link Analyzer}.
 */
final class DeathLab {
    static final String FAST = "55848ba8d12576bdf422cbd10648cb00a11a7f715361c72845ecc3be0dd7c325";
    static final String SLOW = "7f2f008f904d1b55f6f37ab14553fe1c3506d086bd0e385cd9a3e81593de60bc";
    static final String FAST_NAME = "i20-deaths_worker-fast_1";
    static final String SLOW_NAME = "i20-deaths_worker-slow_1";
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    private static final long V1_UNLIMITED = 9223372036854771712L;

    private DeathLab() {
    }

    static String scriptOutput() {
        try (InputStream in = DeathLab.class.getResourceAsStream("/fixtures/deaths/v1-deaths-script-output.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real deaths, parsed and joined with {@code report} by the real assembler and {@code DeathJoin}. */
    static DeathTimeline timeline(HostReport report) {
        return CapturedDeaths.join("local", report, scriptOutput(), "abc", null);
    }

    static HostReport report() {
        List<ContainerFacts> cs = new ArrayList<>();
        cs.add(worker(FAST, FAST_NAME, "worker-fast", 256 * MIB, 120 * MIB, List.of("--name", "fast")));
        cs.add(worker(SLOW, SLOW_NAME, "worker-slow", 768 * MIB, 150 * MIB,
                List.of("--name", "slow", "--nthreads", "1", "--memory-limit", "200MiB")));
        long total = 8 * GIB;
        MemInfo mem = new MemInfo(total, 5 * GIB, Map.of("MemTotal", total, "MemAvailable", 5 * GIB));
        HostFacts f = new HostFacts("local", 1, 0, "lab-v1", "6.1.0", 2, CgroupMode.V1, mem, cs, Map.of(), Map.of(), null,
                List.of(), List.of(), true);
        return new Analyzer(null).analyze(f, 1);
    }

    private static ContainerFacts worker(String id, String name, String service, long limit, long usage, List<String> args) {
        Map<String, String> files = new HashMap<>();
        files.put("/sys/fs/cgroup/memory/memory.limit_in_bytes", Long.toString(limit));
        files.put("/sys/fs/cgroup/memory/memory.soft_limit_in_bytes", Long.toString(V1_UNLIMITED));
        files.put("/proc/self/exe", "/usr/bin/python3");
        files.put("/proc/self/environ", "<unreadable>");
        DaskView view = new DaskView(8 * GIB, files, null);
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", "/usr/bin/dask-worker", "tcp://scheduler:8786"));
        argv.addAll(args);
        ProcessFacts p1 = new ProcessFacts(7, 1, argv, "dask-worker", null, 2, 100L << 20, List.of("2022.12.1+ds.1"), view);
        ProcessFacts p2 = new ProcessFacts(10, 7, List.of("/usr/bin/python3", "-c",
                "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=11)", "--multiprocessing-fork"),
                "python3", null, 2, 80L << 20, List.of("2022.12.1+ds.1"), view);
        CgroupMemory cg = new CgroupMemory(1, "/sys/fs/cgroup/memory/libpod_parent/libpod-" + id, limit, null, null, null,
                usage, usage, 0L, 0L, null, null, Map.of());
        return new ContainerFacts(id, name, "localhost/headroom-dask:2022.12.1", argv.subList(1, argv.size()), 7, "running", null,
                false, 0, limit, null, null, "i20-deaths", service, "/srv/i20-deaths", List.of("docker-compose.yml"),
                Map.of(), cg, List.of(p1, p2), List.of());
    }
}
