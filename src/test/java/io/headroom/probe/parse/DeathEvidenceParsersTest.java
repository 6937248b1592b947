package io.headroom.probe.parse;

import io.headroom.model.DaskLogEvent;
import io.headroom.model.DaskLogEvent.Kind;
import io.headroom.model.KernelOomKill;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.headroom.probe.parse.V2Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20's evidence parsers on real captures: the kernel's OOM lines of this host (podman, cgroup v1,
 * {@code dmesg --time-format iso}) and of the v2 lab VM (Docker 26, systemd scope, monotonic), and the
 * Dask 2022.12.1 logs of the issue-20 lab ({@code lab/projects/i20-deaths}, {@code docker logs --timestamps}).
 */
class DeathEvidenceParsersTest {
    private static final String PODMAN_ID = "98243c7c0c07d9859eccf086df50b79f8a54855cbef31d0075bad577a963b2bb";
    private static final String V2_ID = "137cb0007e77335f5ca60bdf373df641fe9c7503ac29f0090683f40c1214d5cd";

    @Test
    void podmanV1CgroupOomHasWallClockTimeAndContainer() {
        List<KernelOomKill> kills = KernelOomParser.parseKills(resource("/fixtures/deaths/v1-podman-dmesg-iso.txt"));
        assertEquals(2, kills.size());
        KernelOomKill k = kills.get(1);
        assertEquals(Instant.parse("2026-12-05T20:47:54.268355Z"), k.time());
        assertEquals(28909, k.pid());
        assertEquals("python3", k.processName());
        assertTrue(k.cgroupOom());
        assertEquals("/libpod_parent/libpod-" + PODMAN_ID, k.memcg());
        assertEquals(PODMAN_ID, k.containerId());
        assertEquals(2, k.lines().size());
    }

    @Test
    void v2SystemdScopeMonotonicHasNoWallClockTime() {
        List<KernelOomKill> kills = KernelOomParser.parseKills(resource("/fixtures/deaths/v2-docker-dmesg-monotonic.txt"));
        assertEquals(1, kills.size());
        assertNull(kills.get(0).time());
        assertEquals(V2_ID, kills.get(0).containerId());
        assertTrue(kills.get(0).cgroupOom());
    }

    @Test
    void journalctlShortIsoGlobalOom() {
        String text = "2026-12-05T21:00:01+0000 vm kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),"
                + "cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/docker-" + V2_ID + ".scope,task=python3,pid=4242,uid=0\n"
                + "2026-12-05T21:00:01+0000 vm kernel: Out of memory: Killed process 4242 (python3) total-vm:1kB\n";
        KernelOomKill k = KernelOomParser.parseKills(text).get(0);
        assertFalse(k.cgroupOom());
        assertEquals(Instant.parse("2026-12-05T21:00:01Z"), k.time());
        assertEquals(V2_ID, k.containerId());
        assertEquals(4242, k.pid());
    }

    @Test
    void cgroupPathsOfEveryEngine() {
        String id = V2_ID;
        assertEquals(id, ContainerIds.fromCgroupPath("/docker/" + id));
        assertEquals(id, ContainerIds.fromCgroupPath("/system.slice/docker-" + id + ".scope"));
        assertEquals(id, ContainerIds.fromCgroupPath("/libpod_parent/libpod-" + id));
        assertEquals(id, ContainerIds.fromCgroupPath("/machine.slice/libpod-" + id + ".scope/container"));
        assertEquals(id, ContainerIds.fromCgroupPath("/kubepods/burstable/pod1/cri-containerd-" + id + ".scope"));
        assertNull(ContainerIds.fromCgroupPath("/user.slice/user-1000.slice/session-3.scope"));
        assertNull(ContainerIds.fromCgroupPath("/"));
        assertNull(ContainerIds.fromCgroupPath(null));
    }

    @Test
    void daskLogOfTheLabNannyRestart() {
        List<DaskLogEvent> events = DaskLogParser.parse("c1", resource("/fixtures/deaths/v1-worker-slow-log.txt"));
        DaskLogEvent restart = events.stream().filter(e -> e.kind() == Kind.NANNY_RESTART).findFirst().orElseThrow();
        assertEquals("tcp://10.89.0.4:43371", restart.workerAddress());
        assertEquals(10, restart.pid());
        assertEquals(95, restart.number());
        assertEquals(Instant.parse("2026-12-05T23:40:36.474Z"), restart.time(), "Dask's milliseconds, agreeing with podman's second");
        DaskLogEvent killed = events.stream().filter(e -> e.kind() == Kind.KILLED_BY_SIGNAL).findFirst().orElseThrow();
        assertEquals(10, killed.pid());
        assertEquals(15, killed.number());
        assertTrue(events.stream().anyMatch(e -> e.kind() == Kind.UNMANAGED_HIGH));
    }

    @Test
    void everyBandsMessageShape() {
        DaskLogEvent old = DaskLogParser.line("c", "distributed.nanny - WARNING - Worker exceeded 95% memory budget. Restarting");
        assertEquals(Kind.NANNY_RESTART, old.kind());
        assertEquals(95, old.number());
        assertNull(old.pid());
        DaskLogEvent pause = DaskLogParser.line("c", "2024-12-05 10:00:00,001 - distributed.worker.memory - WARNING - "
                + "Worker is at 81% memory usage. Pausing worker.  Process memory: 1.62 GiB -- Worker memory limit: 2.00 GiB");
        assertEquals(Kind.PAUSED, pause.kind());
        assertEquals(81, pause.number());
        assertEquals(Instant.parse("2024-12-05T10:00:00.001Z"), pause.time());
        DaskLogEvent exited = DaskLogParser.line("c", "Worker process 77 exited with status 1");
        assertEquals(Kind.EXITED, exited.kind());
        assertEquals(77, exited.pid());
        assertEquals(1, exited.number());
        DaskLogEvent unknown = DaskLogParser.line("c", "Worker process 78 was killed by unknown signal");
        assertEquals(Kind.KILLED_BY_SIGNAL, unknown.kind());
        assertNull(unknown.number());
        DaskLogEvent failed = DaskLogParser.line("c", "2026-12-05 10:00:00,001 - distributed.scheduler - INFO - Task "
                + "('hog-abc', 0) marked as failed because 1 workers died while trying to run it");
        assertEquals(Kind.TASK_FAILED, failed.kind());
        assertEquals("('hog-abc', 0)", failed.taskKey());
        assertEquals(1, failed.number());
        assertNull(DaskLogParser.line("c", "distributed.worker - INFO - Start worker at: tcp://1.2.3.4:1"));
    }

    @Test
    void ansiColoursBinaryNoiseAndHugeLines() {
        String ansi = "\u001b[33m2026-12-05 10:00:00,500 - distributed.nanny - INFO - Worker process 9 was killed by signal 9\u001b[0m";
        DaskLogEvent e = DaskLogParser.parse("c", ansi + "\n").get(0);
        assertEquals(9, e.pid());
        assertEquals(9, e.number());
        assertFalse(e.line().contains("\u001b"));
        String huge = "x".repeat(5_000_000) + " Worker process 1 was killed by signal 9\n\u0000\u0001\uFFFD\n";
        List<DaskLogEvent> none = DaskLogParser.parse("c", huge);
        assertTrue(none.isEmpty(), "a multi-MB line is cut before its tail is read");
    }

    @Test
    void engineAndDaskClocksThatDisagreeKeepTheEngines() {
        Instant t = DaskLogParser.time("2026-12-05T10:00:00.000000000Z 2026-12-05 11:00:00,000 - x");
        assertEquals(Instant.parse("2026-12-05T10:00:00Z"), t);
    }
}
