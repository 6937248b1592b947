package io.headroom.probe.parse;

import io.headroom.model.CgroupMemory;
import io.headroom.model.CgroupMode;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.HostFacts;
import io.headroom.model.OomEvent;
import io.headroom.model.ProcessFacts;
import io.headroom.probe.HostFactsAssembler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.headroom.probe.parse.V2Fixtures.SCHEDULER_ID;
import static io.headroom.probe.parse.V2Fixtures.STREAM_NONCE;
import static io.headroom.probe.parse.V2Fixtures.WORKER_ID;
import static io.headroom.probe.parse.V2Fixtures.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole probe run on a cgroup v2 + systemd Docker host (fixtures/v2/probe-docker-v2-systemd.txt), through
 * {@link ProbeStreamParser} and {@link HostFactsAssembler}.
 */
class ProbeStreamV2SystemdFixtureTest {
    private static final String WORKER_SCOPE = "/system.slice/docker-" + WORKER_ID + ".scope";
    private static final String SCHEDULER_SCOPE = "/system.slice/docker-" + SCHEDULER_ID + ".scope";
    private static final String PY = "/opt/conda/bin/python3.11";
    private static final String COMPOSE_PATH = "/srv/analytics/docker-compose.yml";
    private static final String SPAWN = "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=%d)";
    private static final List<String> WORKER_ARGS = List.of("worker", "tcp://scheduler:8786", "--nworkers", "2",
            "--nthreads", "1", "--memory-limit", "2GiB");
    private static final long MEM_TOTAL = 16318480L * 1024;

    private static String text;
    private static ProbeStream stream;
    private static HostFacts facts;

    @BeforeAll
    static void parse() {
        text = v2("probe-docker-v2-systemd.txt");
        stream = ProbeStreamParser.parse(text, STREAM_NONCE);
        facts = HostFactsAssembler.assemble("root@dask-host-01:22", stream);
    }

    @Test
    void streamFraming() {
        assertTrue(stream.complete());
        assertEquals(1, stream.version());
        assertEquals(0, stream.stray());
        assertEquals(List.of("meta", "meminfo", "mountinfo", "etc-environment", "kernel-oom", "docker-ps",
                        "docker-inspect", "docker-env", "container-cgroup", "process", "dask-view", "process",
                        "dask-view", "process", "dask-view", "container-cgroup", "process", "dask-view", "compose-file",
                        "dotenv"),
                stream.sections().stream().map(ProbeSection::name).toList());
        assertTrue(stream.sections().stream().allMatch(ProbeSection::ok));
        assertEquals(WORKER_ID + "/4241", stream.all("process").get(1).subject());
        assertEquals("-", stream.first("meta").subject());
        assertEquals("", stream.first("etc-environment").content());
        assertEquals("", stream.first("dotenv").content());
    }

    @Test
    void sameStreamWithAnotherNonceIsAllStray() {
        ProbeStream other = ProbeStreamParser.parse(text, "someothernonce");
        assertFalse(other.complete());
        assertEquals(-1, other.version());
        assertTrue(other.sections().isEmpty());
        assertEquals(text.lines().filter(l -> !l.isEmpty()).count(), other.stray());
    }

    @Test
    void host() {
        assertEquals("root@dask-host-01:22", facts.target());
        assertEquals(1, facts.probeVersion());
        assertEquals(1710410400L, facts.epochSeconds());
        assertEquals("dask-host-01", facts.hostname());
        assertEquals("6.8.0-31-generic", facts.kernelRelease());
        assertEquals(4, facts.cpuCount());
        assertEquals(CgroupMode.V2, facts.cgroupMode());
        assertTrue(facts.dockerAvailable());
        assertNull(facts.environmentValue());
        assertTrue(facts.dotEnvValues().isEmpty());
        assertEquals(List.of(), facts.problems(), "every section is ok");
    }

    @Test
    void memInfo() {
        assertEquals(MEM_TOTAL, facts.memInfo().memTotalBytes());
        assertEquals(9004112L * 1024, facts.memInfo().memAvailableBytes());
        assertEquals(4194300L * 1024, facts.memInfo().fieldsBytes().get("SwapTotal"));
        assertEquals(34359738367L * 1024, facts.memInfo().fieldsBytes().get("VmallocTotal"));
        assertEquals(0L, facts.memInfo().fieldsBytes().get("HugePages_Total"), "no unit: a page count, not KiB");
        assertEquals(55, facts.memInfo().fieldsBytes().size());
    }

    @Test
    void oomKillAttributedToTheWorkerByItsScope() {
        assertEquals(1, facts.oomEvents().size());
        OomEvent e = facts.oomEvents().get(0);
        assertEquals(4242, e.pid());
        assertEquals("python3.11", e.processName());
        assertEquals(WORKER_SCOPE, e.memcg());
        assertEquals(WORKER_ID, e.containerId());
        assertTrue(e.line().startsWith("[ 8123.456893] Memory cgroup out of memory: Killed process 4242 (python3.11)"));
    }

    @Test
    void containersInDockerPsOrder() {
        assertEquals(List.of(WORKER_ID, SCHEDULER_ID), facts.containers().stream().map(ContainerFacts::id).toList());
    }

    @Test
    void workerInspect() {
        ContainerFacts w = facts.containers().get(0);
        assertEquals("analytics-worker-1", w.name());
        assertEquals("180ec4495e8a", w.shortId());
        assertEquals("registry.internal/analytics/dask:2024.1.0", w.image());
        assertEquals(concat(List.of("dask"), WORKER_ARGS), w.command());
        assertEquals(4198, w.pid());
        assertEquals("running", w.status());
        assertEquals("2024-03-14T07:02:41.338129512Z", w.startedAt());
        assertTrue(w.oomKilledFlag(), "Docker sets OOMKilled on any OOM kill in the container");
        assertEquals(0, w.restartCount());
        assertEquals(4294967296L, w.memoryLimitBytes());
        assertEquals(2147483648L, w.memoryReservationBytes());
        assertEquals(8589934592L, w.memorySwapBytes());
        assertEquals("analytics", w.composeProject());
        assertEquals("worker", w.composeService());
        assertEquals("/srv/analytics", w.composeWorkingDir());
        assertEquals(List.of(COMPOSE_PATH), w.composeFiles());
        assertEquals(Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "0.7", "MALLOC_TRIM_THRESHOLD_", "65536"), w.env());
    }

    @Test
    void workerCgroupV2() {
        CgroupMemory cg = facts.containers().get(0).cgroup();
        assertNotNull(cg);
        assertEquals(2, cg.version());
        assertEquals("/sys/fs/cgroup" + WORKER_SCOPE, cg.directory());
        assertEquals(4294967296L, cg.hardLimitBytes());
        assertNull(cg.softLimitBytes());
        assertNull(cg.highBytes());
        assertEquals(2147483648L, cg.lowBytes(), "mem_reservation → memory.low");
        assertEquals(2701131776L, cg.usageBytes());
        assertEquals(4294967296L, cg.peakBytes());
        assertEquals(98304000L, cg.inactiveFileBytes());
        assertEquals(2602827776L, cg.workingSetBytes());
        assertEquals(1L, cg.oomKills());
        assertNull(cg.cpuQuotaMicros());
        assertEquals(100000L, cg.cpuPeriodMicros());
        assertEquals("0::" + WORKER_SCOPE, cg.rawFiles().get("/proc/4198/cgroup"));
        assertEquals("4294967296", cg.rawFiles().get("memory.swap.max"));
    }

    @Test
    void workerProcesses() {
        List<ProcessFacts> ps = facts.containers().get(0).processes();
        assertEquals(List.of(4198, 4241, 5377), ps.stream().map(ProcessFacts::pid).toList());

        ProcessFacts launcher = ps.get(0);
        assertEquals(4171, launcher.ppid(), "containerd-shim");
        assertEquals(concat(List.of(PY, "/opt/conda/bin/dask"), WORKER_ARGS), launcher.argv());
        assertEquals("dask", launcher.name());
        assertEquals(148212L * 1024, launcher.rssBytes());

        ProcessFacts first = ps.get(1);
        assertEquals(4198, first.ppid());
        assertEquals(List.of(PY, "-c", SPAWN.formatted(11), "--multiprocessing-fork"), first.argv());
        assertEquals("python3.11", first.name());
        assertEquals(1248376L * 1024, first.rssBytes());

        ProcessFacts second = ps.get(2);
        assertEquals(4198, second.ppid());
        assertEquals(List.of(PY, "-c", SPAWN.formatted(15), "--multiprocessing-fork"), second.argv());
        assertEquals("python3.11", second.name());
        assertEquals(903412L * 1024, second.rssBytes());

        for (ProcessFacts p : ps) {
            assertEquals(List.of("2024.1.0"), p.daskVersions(), "the two identical paths count once");
            assertEquals(4, p.cpusAllowed());
            assertNull(p.rssLimitHardBytes(), "unlimited");
            assertWorkerView(p.view());
        }
    }

    private static void assertWorkerView(DaskView view) {
        assertNotNull(view);
        assertEquals(MEM_TOTAL, view.memTotalBytes());
        assertEquals(Map.of("/sys/fs/cgroup/memory.max", "4294967296", "/sys/fs/cgroup/memory.high", "max",
                "/sys/fs/cgroup/memory.low", "2147483648", "/sys/fs/cgroup/cpu.max", "max 100000"), view.files());
    }

    @Test
    void scheduler() {
        ContainerFacts s = facts.containers().get(1);
        assertEquals("analytics-scheduler-1", s.name());
        assertEquals(List.of("dask", "scheduler", "--host", "0.0.0.0", "--port", "8786", "--dashboard-address", ":8787"),
                s.command());
        assertEquals(3950, s.pid());
        assertFalse(s.oomKilledFlag());
        assertNull(s.memoryLimitBytes());
        assertNull(s.memoryReservationBytes());
        assertNull(s.memorySwapBytes());
        assertEquals("scheduler", s.composeService());
        assertEquals(Map.of(), s.env());

        CgroupMemory cg = s.cgroup();
        assertEquals(2, cg.version());
        assertEquals("/sys/fs/cgroup" + SCHEDULER_SCOPE, cg.directory());
        assertNull(cg.hardLimitBytes());
        assertNull(cg.highBytes());
        assertNull(cg.lowBytes());
        assertEquals(187695104L, cg.usageBytes());
        assertEquals(201326592L, cg.peakBytes());
        assertEquals(20971520L, cg.inactiveFileBytes());
        assertEquals(0L, cg.oomKills());

        assertEquals(1, s.processes().size());
        ProcessFacts p = s.processes().get(0);
        assertEquals(3950, p.pid());
        assertEquals(3927, p.ppid());
        assertEquals("dask", p.name());
        assertEquals(List.of(PY, "/opt/conda/bin/dask", "scheduler", "--host", "0.0.0.0", "--port", "8786",
                "--dashboard-address", ":8787"), p.argv());
        assertEquals(List.of("2024.1.0"), p.daskVersions());
        assertEquals(MEM_TOTAL, p.view().memTotalBytes());
        assertEquals(Map.of("/sys/fs/cgroup/memory.max", "max", "/sys/fs/cgroup/memory.high", "max",
                "/sys/fs/cgroup/memory.low", "0", "/sys/fs/cgroup/cpu.max", "max 100000"), p.view().files());
    }

    @Test
    void composeFile() throws Exception {
        assertEquals(List.of(COMPOSE_PATH), List.copyOf(facts.composeFiles().keySet()));
        ComposeFile f = facts.composeFiles().get(COMPOSE_PATH);
        assertEquals(COMPOSE_PATH, f.path());
        assertEquals("857a5f0ebbaac1162ce5d91dd14655ad661f6d64a2c4928b73cfe490b4276096", f.sha256());
        assertFalse(f.truncated());
        assertTrue(f.content().startsWith("# Analytics Dask cluster, docker compose v2\nname: analytics\n"));
        assertTrue(f.content().contains("    mem_limit: 4g\n    mem_reservation: 2g\n    memswap_limit: 8g\n"));
        assertTrue(f.content().endsWith("    depends_on:\n      - scheduler\n"), "the file's final newline is restored");
        // content round-trips byte for byte: it hashes to what the host computed
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(f.content().getBytes(StandardCharsets.UTF_8)));
        assertEquals(f.sha256(), sha);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
