package io.headroom.analysis;

import io.headroom.model.DeathCause;
import io.headroom.model.DeathEvidence;
import io.headroom.model.DeathTimeline;
import io.headroom.model.MemoryEvents;
import io.headroom.model.WorkerDeath;
import io.headroom.probe.DeathEvidenceAssembler;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deaths script's later sources (issue 20) joined on real output: {@code v1-deaths-script-output-counters.txt}
 * (this host: podman, cgroup v1, Dask 2022.12.1; the i20-deaths lab run as project i20e-deaths beside a 10-worker
 * bench project, captured 2026-12-06, nonce {@code abc}). The kernel killed worker-fast's worker at 02:56:18.73; its
 * cgroup's {@code memory.oom_control} counted {@code oom_kill 1} and {@code memory.failcnt} 104.
 */
class DeathSourcesJoinTest {
    static final String FAST = "4ae0a21ea0716fb8c73f49ec3414d218cfc2bb5c1356fbb60db4d1e6891d395c";
    static final String SLOW = "b9218d747515543c728175c30861dcb96f5e15413d83bf4ce2b78aa83175fb7c";
    static final Instant SINCE = Instant.parse("2026-12-06T02:55:00Z");

    static DeathEvidence v1() {
        return DeathEvidenceAssembler.assemble(DeathJoinTest.fixture("v1-deaths-script-output-counters.txt"), "abc", SINCE);
    }

    @Test
    void v1CountersAreReadForEveryRunningDaskContainer() {
        DeathEvidence e = v1();
        assertEquals(13, e.memoryEvents().size(), "every Dask container running then: i20e-deaths (3) and the bench project (10)");
        assertEquals(new MemoryEvents(null, 1L, null, null, 104L), e.memoryEvents().get(FAST));
        assertEquals(new MemoryEvents(null, 0L, null, null, 0L), e.memoryEvents().get(SLOW));
        assertTrue(e.engineEvents().isEmpty(), "podman's docker API sends no oom/die events for a worker killed under its nanny");
        assertTrue(e.bootUnits().isEmpty());
        assertEquals(List.of("boot units: no systemd on this VM: boot units not read"), e.problems());
    }

    @Test
    void kernelKillCarriesItsCgroupsCounters() {
        DeathTimeline t = DeathJoin.join("local", v1(), null);
        WorkerDeath k = t.deaths().stream().filter(d -> FAST.equals(d.containerId())).findFirst().orElseThrow();
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, k.cause());
        assertEquals(Instant.parse("2026-12-06T02:56:18.729798Z"), k.time());
        assertEquals(9, k.workerPid());
        assertNull(k.uncertain());
        assertTrue(k.evidence().contains("cgroup counters since the container started: oom_kill 1 failcnt 104"), k.evidence().toString());
        assertTrue(t.problems().stream().noneMatch(p -> p.contains("i20e-deaths_worker-fast_1")), "the one counted kill is shown");
    }

    @Test
    void withoutTheKernelLogTheCounterStillProvesTheContainerOom() {
        DeathEvidence e = v1();
        DeathEvidence noKernel = new DeathEvidence(e.since(), List.of(), e.daskEvents(), e.engineStates(), e.memoryEvents(),
                e.truncatedLogs(), true, e.problems(), e.engineEvents(), e.bootUnits());
        DeathTimeline t = DeathJoin.join("local", noKernel, null);
        WorkerDeath k = t.deaths().stream().filter(d -> FAST.equals(d.containerId())).findFirst().orElseThrow();
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, k.cause(), "not KILLED_BY_SIGNAL: oom_kill 1 and a SIGKILL");
        assertEquals(Instant.parse("2026-12-06T02:56:19.456Z"), k.time(), "the nanny's line: Dask's milliseconds");
        assertEquals(9, k.workerPid());
        assertNull(k.uncertain());
        assertFalse(t.deaths().stream().anyMatch(d -> d.cause() == DeathCause.KILLED_BY_SIGNAL && FAST.equals(d.containerId())));

        DeathEvidence noCounters = new DeathEvidence(e.since(), List.of(), e.daskEvents(), e.engineStates(), java.util.Map.of(),
                e.truncatedLogs(), true, e.problems(), e.engineEvents(), e.bootUnits());
        WorkerDeath s = DeathJoin.join("local", noCounters, null).deaths().stream().filter(d -> FAST.equals(d.containerId()))
                .findFirst().orElseThrow();
        assertEquals(DeathCause.KILLED_BY_SIGNAL, s.cause(), "without the counter, a SIGKILL stays a SIGKILL");
        assertTrue(s.uncertain().contains("may be an OOM kill"), s.uncertain());
    }

    @Test
    void aCounterAboveWhatTheLogsShowIsAProblemNotAGuessedDeath() {
        DeathEvidence e = v1();
        java.util.Map<String, MemoryEvents> more = new java.util.HashMap<>(e.memoryEvents());
        more.put(FAST, new MemoryEvents(null, 3L, null, null, 104L));
        DeathTimeline t = DeathJoin.join("local", new DeathEvidence(e.since(), e.kernelKills(), e.daskEvents(), e.engineStates(),
                more, e.truncatedLogs(), false, e.problems(), e.engineEvents(), e.bootUnits()), null);
        assertEquals(1, t.deaths().stream().filter(d -> FAST.equals(d.containerId())).count());
        assertTrue(t.problems().stream().anyMatch(p -> p.startsWith("the memory cgroup of i20e-deaths_worker-fast_1 counted 3 OOM kill(s)")
                && p.contains("2 of them are in no log read")), t.problems().toString());
    }

    /**
     * The v2 VM (cgroup v2, Docker 26, Dask 2024.12.1), {@code v2-deaths-script-output-oom.txt} captured during DeathsV2IT's
     * first run (2026-12-06, nonce {@code abc}): the kernel killed i20e-it-fast's worker in
     * {@code system.slice/docker-<id>.scope}, docker sent an {@code oom} event, memory.events counted it; the engine's
     * {@code die} events of containers other sessions removed are not worker deaths.
     */
    @Test
    void v2KernelOomWithTheEnginesOomEventCountersAndBootUnit() {
        String fast = "91291bfbe2bf26748d01a07e7d87a54b9905f18f5a011923f3052535bc816b47";
        DeathEvidence e = DeathEvidenceAssembler.assemble(DeathJoinTest.fixture("v2-deaths-script-output-oom.txt"), "abc",
                Instant.parse("2026-12-06T03:20:00Z"));
        assertEquals(new MemoryEvents(2L, 1L, 70L, 0L, null), e.memoryEvents().get(fast));
        assertEquals(6, e.engineEvents().size());
        DeathTimeline t = DeathJoin.join("headroom-lab-v2", e, null);
        assertTrue(t.deaths().stream().noneMatch(d -> d.cause() == DeathCause.CONTAINER_EXITED), t.deaths().toString());
        WorkerDeath k = t.deaths().stream().filter(d -> fast.equals(d.containerId())).findFirst().orElseThrow();
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, k.cause());
        assertEquals("i20e-it-fast", k.container());
        assertEquals(Instant.parse("2026-12-06T03:40:33.324317Z"), k.time(), "dmesg's wall clock of this read (the IT's read said .304837: dmesg --time-format iso converts monotonic time and drifts on the emulated VM)");
        assertEquals(2281, k.hostPid());
        assertEquals(19, k.workerPid());
        assertNull(k.uncertain());
        assertTrue(k.evidence().contains("engine event: 2026-12-06T03:40:38.537439693Z oom i20e-it-fast"), k.evidence().toString());
        assertTrue(k.evidence().contains("cgroup counters since the container started: oom 2 oom_kill 1 max 70 high 0"));
        assertTrue(k.fix().contains("The boot unit ran at 2026-12-06T03:29:57Z, AVAILABLE_MEMORY_FOR_DASK=3094556672 (2.88 GiB)"), k.fix());
    }

    /**
     * A real global OOM on the v2 VM (GlobalOomV2IT's kind, captured by hand 2026-12-06, nonce {@code abc}): a container
     * with no limit (Dask's budget from the VM's total, 3.83 GiB) ran a task that allocated 128 MiB at a time, and the
     * kernel's global OOM killer killed the worker at 3.49 GiB ({@code global_oom}, "Out of memory: Killed process").
     * Docker still sent {@code oom} and set {@code OOMKilled}; {@code memory.events} counted {@code oom 0 oom_kill 1}:
     * the container's limit was never reached. The join says KERNEL_OOM_HOST, keeps the engine's event and the
     * counters as evidence, and the counter check finds no kill missing from the logs.
     */
    @Test
    void v2GlobalOomIsTheVmsNotTheContainersThoughTheEngineSaysOom() {
        String id = "7c37d29647c2e862fa5f4fd097ae5188e8c74e3fec3b6168eac2e36bde47904a";
        DeathEvidence e = DeathEvidenceAssembler.assemble(DeathJoinTest.fixture("v2-deaths-script-output-global-oom.txt"), "abc",
                Instant.parse("2026-12-06T17:30:00Z"));
        assertEquals(new MemoryEvents(0L, 1L, 0L, 0L, null), e.memoryEvents().get(id));
        assertTrue(e.engineStates().get(id).oomKilled(), "the engine sets OOMKilled for a global OOM kill too");
        DeathTimeline t = DeathJoin.join("headroom-lab-v2", e, null);
        assertEquals(1, t.deaths().size(), t.deaths().toString());
        WorkerDeath d = t.deaths().get(0);
        assertEquals(DeathCause.KERNEL_OOM_HOST, d.cause());
        assertEquals("i20g-it-host", d.container());
        assertEquals(Instant.parse("2026-12-06T17:37:30.724622Z"), d.time());
        assertEquals(826, d.hostPid());
        assertEquals(13, d.workerPid());
        assertNull(d.uncertain());
        assertTrue(d.evidence().contains("cgroup counters since the container started: oom 0 oom_kill 1 max 0 high 0"), d.evidence().toString());
        assertTrue(d.evidence().stream().anyMatch(l -> l.contains("oom i20g-it-host")), "the engine's oom event is this kill's: " + d.evidence());
        assertTrue(t.problems().stream().noneMatch(p -> p.contains("in no log read")), t.problems().toString());
        assertEquals(List.of("i20e-host-task"), t.poison().stream().map(p -> p.key()).toList());
    }

    /**
     * The same global OOM with the kernel log unreadable (dmesg refused, no journal): only the nanny's SIGKILL, the
     * engine's {@code oom} event and the cgroup counters remain. The engine's word alone would say "container"; the
     * counters ({@code oom 0}: the limit was never reached) say the VM ran out.
     */
    @Test
    void v2GlobalOomWithoutTheKernelLogIsToldByTheCgroupCounters() {
        DeathEvidence e = DeathEvidenceAssembler.assemble(DeathJoinTest.fixture("v2-deaths-script-output-global-oom.txt"), "abc",
                Instant.parse("2026-12-06T17:30:00Z"));
        DeathEvidence noKernel = new DeathEvidence(e.since(), List.of(), e.daskEvents(), e.engineStates(), e.memoryEvents(),
                e.truncatedLogs(), true, e.problems(), e.engineEvents(), e.bootUnits());
        WorkerDeath d = DeathJoin.join("headroom-lab-v2", noKernel, null).deaths().get(0);
        assertEquals(DeathCause.KERNEL_OOM_HOST, d.cause(), d.toString());
        assertNull(d.uncertain());
        java.util.Map<String, MemoryEvents> none = new java.util.HashMap<>();
        WorkerDeath blind = DeathJoin.join("headroom-lab-v2", new DeathEvidence(e.since(), List.of(), e.daskEvents(),
                e.engineStates(), none, e.truncatedLogs(), true, e.problems(), e.engineEvents(), e.bootUnits()), null).deaths().get(0);
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, blind.cause(), "the engine's word, when nothing else tells");
        assertTrue(blind.uncertain().contains("no kernel line or cgroup counter tells which"), blind.uncertain());
        assertEquals(DeathCause.KERNEL_OOM_HOST, DeathJoin.oomCause(null, new MemoryEvents(null, 2L, null, null, 0L),
                new java.util.ArrayList<>()), "v1: memory.failcnt 0, the limit was never hit");
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, DeathJoin.oomCause(null, new MemoryEvents(3L, 2L, 9L, 0L, null),
                new java.util.ArrayList<>()));
    }
}
