package io.headroom.analysis;

import io.headroom.analysis.dask.DaskVersion;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathCause;
import io.headroom.model.DeathEvidence;
import io.headroom.model.DeathTimeline;
import io.headroom.model.EngineState;
import io.headroom.model.HostReport;
import io.headroom.model.KernelOomKill;
import io.headroom.model.WorkerDeath;
import io.headroom.probe.parse.DaskLogParser;
import io.headroom.probe.parse.EngineStateParser;
import io.headroom.probe.parse.KernelOomParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DeathJoin} on the real deaths of the issue-20 lab ({@code lab/projects/i20-deaths} on this host: podman,
 * cgroup v1, Dask 2022.12.1; captured 2026-12-05 into {@code fixtures/deaths}) and on the bad inputs the issue
 * lists: each of those gives an uncertain death with why, never a wrong verdict.
 */
class DeathJoinTest {
    static final String FAST = "55848ba8d12576bdf422cbd10648cb00a11a7f715361c72845ecc3be0dd7c325";
    static final String SLOW = "7f2f008f904d1b55f6f37ab14553fe1c3506d086bd0e385cd9a3e81593de60bc";
    static final String SCHED = "364444cbd39d67c0cc0de104d7845ea31206526a57e8779b85f755cb88fc82b3";

    static String fixture(String name) {
        try (InputStream in = DeathJoinTest.class.getResourceAsStream("/fixtures/deaths/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeathEvidence labEvidence() {
        List<DaskLogEvent> events = new ArrayList<>();
        events.addAll(DaskLogParser.parse(FAST, fixture("v1-worker-fast-log.txt")));
        events.addAll(DaskLogParser.parse(SLOW, fixture("v1-worker-slow-log.txt")));
        events.addAll(DaskLogParser.parse(SCHED, fixture("v1-scheduler-log.txt")));
        return new DeathEvidence(null, KernelOomParser.parseKills(fixture("v1-fast-dmesg-iso.txt")), events,
                EngineStateParser.parse(fixture("v1-engine-state.txt")), Map.of(), Set.of(), false, List.of());
    }

    @Test
    void labKernelOomInContainerIsJoinedWithTheNannysEcho() {
        DeathTimeline t = DeathJoin.join("local", labEvidence(), null);
        WorkerDeath k = t.deaths().stream().filter(d -> d.cause() == DeathCause.KERNEL_OOM_CONTAINER).findFirst().orElseThrow();
        assertEquals(FAST, k.containerId());
        assertEquals("i20-deaths_worker-fast_1", k.container());
        assertEquals(Instant.parse("2026-12-05T23:42:07.624047Z"), k.time());
        assertEquals(7879, k.hostPid());
        assertEquals(10, k.workerPid(), "the nanny's 'Worker process 10 was killed by signal 9', 0.6 s after the kernel");
        assertNull(k.uncertain());
        assertEquals(3, k.evidence().size());
        assertTrue(t.deaths().stream().noneMatch(d -> d.cause() == DeathCause.KILLED_BY_SIGNAL && FAST.equals(d.containerId())
                && Integer.valueOf(10).equals(d.workerPid()) && d.time().isAfter(Instant.parse("2026-12-05T23:42:00Z"))),
                "the echo is not a second death");
    }

    @Test
    void labNannyRestartAt95PercentWithItsPauseAndWarning() {
        DeathTimeline t = DeathJoin.join("local", labEvidence(), null);
        WorkerDeath n = t.deaths().stream().filter(d -> d.cause() == DeathCause.DASK_NANNY_RESTART && SLOW.equals(d.containerId()))
                .findFirst().orElseThrow();
        assertEquals(Instant.parse("2026-12-05T23:40:36.474Z"), n.time());
        assertEquals("tcp://10.89.0.4:43371", n.workerAddress());
        assertEquals(10, n.workerPid());
        assertEquals(2, n.evidence().size());
        assertTrue(n.fix().contains("95%"), n.fix());
        assertTrue(t.warnings().stream().anyMatch(w -> w.kind() == DaskLogEvent.Kind.PAUSED && SLOW.equals(w.containerId())));
        long unmanaged = t.warnings().stream().filter(w -> w.kind() == DaskLogEvent.Kind.UNMANAGED_HIGH && SLOW.equals(w.containerId())).count();
        assertEquals(1, unmanaged, "one run of 100 ms warnings is folded into one mark");
        assertTrue(t.deaths().stream().noneMatch(d -> d.cause() == DeathCause.KILLED_BY_SIGNAL && SLOW.equals(d.containerId())),
                "the SIGTERM that follows the restart line is its echo");
    }

    @Test
    void limitBudgetAndFixComeFromTheScansModel() {
        TestFacts f = new TestFacts();
        ContainerFacts c = f.worker("w", 2 * TestFacts.GIB, null, TestFacts.GIB, Map.of());
        HostReport r = new Analyzer(512L << 20).analyze(f.build(), 1);
        KernelOomKill k = new KernelOomKill(Instant.parse("2026-12-05T10:00:00Z"), 4000, "python3", true,
                "/docker/" + c.id(), c.id(), List.of("Memory cgroup out of memory: Killed process 4000 (python3)"));
        EngineState st = new EngineState(c.id(), "w", "running", false, 0, null, null, 0);
        DeathTimeline t = DeathJoin.join("vm1", new DeathEvidence(null, List.of(k), List.of(), Map.of(c.id(), st), Map.of(),
                Set.of(), false, List.of()), r);
        WorkerDeath d = t.deaths().get(0);
        assertEquals(2 * TestFacts.GIB, d.limitBytes());
        assertEquals(2 * TestFacts.GIB, d.budgetBytes(), "auto on 4 threads of 4 CPUs: the whole limit");
        assertEquals("worker", d.service());
        assertTrue(d.fix().contains("--memory-limit 1.80 GiB"), d.fix());
    }

    /**
     * A memory-cgroup OOM whose {@code oom_memcg} is a slice above the container (a systemd slice's MemoryMax): the
     * container's own limit was not what ran out, so the death is uncertain and says whose limit it was. A container
     * with no limit whose worker the engine says was OOM-killed (no kernel line) is the VM's OOM, with Dask's budget
     * and its 95% in the fix.
     */
    @Test
    void parentSliceLimitIsUncertainAndUnlimitedContainerOomIsTheVms() {
        TestFacts f = new TestFacts();
        ContainerFacts c = f.worker("w", 2 * TestFacts.GIB, null, TestFacts.GIB, Map.of());
        HostReport r = new Analyzer(512L << 20).analyze(f.build(), 1);
        KernelOomKill k = new KernelOomKill(Instant.parse("2026-12-05T10:00:00Z"), 4000, "python3", true,
                "/analytics.slice/docker-" + c.id() + ".scope", c.id(), List.of("Memory cgroup out of memory: Killed process 4000 (python3)"),
                "/analytics.slice");
        assertTrue(k.parentLimit());
        EngineState st = new EngineState(c.id(), "w", "running", false, 0, null, null, 0);
        WorkerDeath d = DeathJoin.join("vm1", new DeathEvidence(null, List.of(k), List.of(), Map.of(c.id(), st), Map.of(),
                Set.of(), false, List.of()), r).deaths().get(0);
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, d.cause());
        assertTrue(d.uncertain().contains("the limit reached was /analytics.slice's"), d.uncertain());

        TestFacts g = new TestFacts();
        ContainerFacts u = g.worker("u", null, null, TestFacts.GIB, Map.of());
        HostReport ru = new Analyzer(512L << 20).analyze(g.build(), 1);
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        DaskLogEvent sigkill = DaskLogParser.parse(u.id(), "2026-12-05T10:00:01.000000000Z 2026-12-05 10:00:01,000 - "
                + "distributed.nanny - INFO - Worker process 13 was killed by signal 9\n").get(0);
        io.headroom.model.EngineEvent oom = new io.headroom.model.EngineEvent(t, "oom", u.id(), null, "u");
        WorkerDeath host = DeathJoin.join("vm1", new DeathEvidence(null, List.of(), List.of(sigkill),
                Map.of(u.id(), new EngineState(u.id(), "u", "running", true, 0, null, null, 0)), Map.of(), Set.of(), true,
                List.of(), List.of(oom), List.of()), ru).deaths().get(0);
        assertEquals(DeathCause.KERNEL_OOM_HOST, host.cause(), host.toString());
        assertTrue(host.fix().contains("Dask's budget (") && host.fix().contains("before the nanny's restart at 95%"), host.fix());
    }

    @Test
    void clockDisagreementPidReuseRecreatedContainerAndMonotonicAreUncertain() {
        String id = FAST;
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        KernelOomKill far = new KernelOomKill(t0, 500, "python3", true, null, id, List.of("k1"));
        KernelOomKill again = new KernelOomKill(t0.plusSeconds(3600), 500, "python3", true, null, id, List.of("k2"));
        KernelOomKill gone = new KernelOomKill(t0.plusSeconds(7200), 600, "python3", true, null, SCHED.replace('3', '4'), List.of("k3"));
        KernelOomKill mono = new KernelOomKill(null, 700, "python3", false, null, null, List.of("[ 12.0] Out of memory"));
        DaskLogEvent echo = DaskLogParser.line(id, "2026-12-05 10:04:00,000 - distributed.nanny - INFO - Worker process 9 was killed by signal 9");
        EngineState st = new EngineState(id, "w", "running", false, 0, null, null, 0);
        DeathTimeline t = DeathJoin.join("vm", new DeathEvidence(null, List.of(far, again, gone, mono), List.of(echo),
                Map.of(id, st), Map.of(), Set.of(), false, List.of()), null);
        assertEquals(4, t.deaths().size());
        WorkerDeath first = t.deaths().get(0);
        assertTrue(first.uncertain().contains("clocks disagree"), first.uncertain());
        assertTrue(first.uncertain().contains("PID was reused"), first.uncertain());
        assertEquals(9, first.workerPid());
        assertTrue(t.deaths().get(2).uncertain().contains("no longer lists"), t.deaths().get(2).uncertain());
        WorkerDeath last = t.deaths().get(3);
        assertEquals(DeathCause.KERNEL_OOM_HOST, last.cause());
        assertTrue(last.uncertain().contains("no wall-clock time"));
        assertTrue(t.deaths().stream().allMatch(d -> d.cause() == DeathCause.KERNEL_OOM_CONTAINER || d.cause() == DeathCause.KERNEL_OOM_HOST),
                "never a wrong verdict");
    }

    @Test
    void truncatedLogAndUnreadableKernelLogAreUncertain() {
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        KernelOomKill k = new KernelOomKill(t0, 500, "python3", true, null, FAST, List.of("k1"));
        EngineState st = new EngineState(FAST, "w", "running", false, 0, null, null, 0);
        DeathTimeline t = DeathJoin.join("vm", new DeathEvidence(null, List.of(k), List.of(), Map.of(FAST, st), Map.of(),
                Set.of(FAST), false, List.of()), null);
        assertTrue(t.deaths().get(0).uncertain().contains("cut at its cap"));

        DaskLogEvent sigkill = DaskLogParser.line(SLOW, "2026-12-05 10:00:00,000 - distributed.nanny - INFO - Worker process 9 was killed by signal 9");
        DeathTimeline u = DeathJoin.join("vm", new DeathEvidence(null, List.of(), List.of(sigkill), Map.of(), Map.of(),
                Set.of(), true, List.of("kernel log not readable")), null);
        assertEquals(DeathCause.KILLED_BY_SIGNAL, u.deaths().get(0).cause());
        assertTrue(u.deaths().get(0).uncertain().contains("may be an OOM kill"));
        assertEquals(List.of("kernel log not readable"), u.problems());
    }

    @Test
    void exitedContainerAndPoisonTask() {
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        EngineState dead = new EngineState(SLOW, "w2", "exited", false, 137, t0.minusSeconds(60), t0, 2);
        EngineState oom = new EngineState(FAST, "w1", "exited", true, 137, t0.minusSeconds(60), t0.plusSeconds(1), 0);
        DaskLogEvent k1 = DaskLogParser.line(SLOW, "2026-12-05 09:59:00,000 - distributed.nanny - INFO - Worker process 9 was killed by signal 9");
        DaskLogEvent failed = DaskLogParser.line(SCHED, "2026-12-05 10:00:05,000 - distributed.scheduler - INFO - Task hog-1 marked as "
                + "failed because 1 workers died while trying to run it");
        DeathTimeline t = DeathJoin.join("vm", new DeathEvidence(t0.minusSeconds(3600), List.of(), List.of(k1, failed),
                Map.of(SLOW, dead, FAST, oom), Map.of(), Set.of(), false, List.of()), null);
        assertEquals(List.of(DeathCause.KILLED_BY_SIGNAL, DeathCause.CONTAINER_EXITED, DeathCause.KERNEL_OOM_CONTAINER),
                t.deaths().stream().map(WorkerDeath::cause).toList());
        DeathTimeline.PoisonTask p = t.poison().get(0);
        assertEquals("hog-1", p.key());
        assertEquals(0, p.allowedFailures(), "no scan, no version: Dask >= 2023.8.0's rule, the line counts the deaths");
        assertEquals(1, p.deaths().size(), "ts.suspicious deaths before the scheduler gave up");

        // 2022.12.1 logs self.allowed_failures: 1 allowed, so 2 deaths (scheduler.py of Debian's python3-distributed)
        List<DeathTimeline.PoisonTask> old = DeathJoin.poison(List.of(k1, failed), t.deaths(), id -> DaskVersion.of(2022, 12, 1));
        assertEquals(1, old.get(0).allowedFailures());
        assertEquals(2, old.get(0).deaths().size(), "allowed-failures + 1 deaths");
        // 2023.8.0 is the first with ts.suspicious (dask/distributed c8ec28361, #8029)
        assertEquals(1, DeathJoin.poison(List.of(k1, failed), t.deaths(), id -> DaskVersion.of(2023, 8, 0)).get(0).deaths().size());
        assertEquals(2, DeathJoin.poison(List.of(k1, failed), t.deaths(), id -> DaskVersion.of(2023, 7, 1)).get(0).deaths().size());
    }

    /**
     * The v2 lab's case (2024.12.1, two containers each running a scheduler and a worker, allowed-failures 0): the slow
     * container's scheduler gave up after its own worker's death; the other container's kernel kill 35 s before is not
     * its death.
     */
    @Test
    void aSchedulerCountsOnlyItsOwnContainersDeathsWhenItHasAny() {
        Instant t0 = Instant.parse("2026-12-06T06:35:09.936Z");
        WorkerDeath kernel = new WorkerDeath(t0, DeathCause.KERNEL_OOM_CONTAINER, null, FAST, "fast", null, null, 954, 18,
                268435456L, null, "fix", List.of());
        WorkerDeath nanny = new WorkerDeath(t0.plusSeconds(35), DeathCause.DASK_NANNY_RESTART, null, SLOW, "slow", null,
                "tcp://127.0.0.1:40015", null, 13, 805306368L, 209715200L, "fix", List.of());
        DaskLogEvent slowFailed = DaskLogParser.line(SLOW, "2026-12-06 06:35:45,183 - distributed.scheduler - ERROR - Task"
                + " i20e-slow-task marked as failed because 1 workers died while trying to run it");
        DaskLogEvent fastFailed = DaskLogParser.line(FAST, "2026-12-06 06:35:10,374 - distributed.scheduler - ERROR - Task"
                + " i20e-fast-task marked as failed because 1 workers died while trying to run it");
        List<DeathTimeline.PoisonTask> p = DeathJoin.poison(List.of(fastFailed, slowFailed), List.of(kernel, nanny),
                id -> DaskVersion.of(2024, 12, 1));
        assertEquals(List.of(kernel), p.get(0).deaths());
        assertEquals(List.of(nanny), p.get(1).deaths());
        assertEquals(0, p.get(1).allowedFailures());
    }
    /** The unit whose value goes into a fix: boot-snippet's when installed, else a renamed or operator's unit found by content. */
    @Test
    void theMemoryUnitIsTheDefaultElseARenamedOneThatIsInstalled() {
        io.headroom.model.BootUnitRun missing = unit(io.headroom.model.BootUnitRun.MEMORY_UNIT, "not-found", null);
        io.headroom.model.BootUnitRun compose = unit(io.headroom.model.BootUnitRun.COMPOSE_UNIT, "loaded", 0);
        io.headroom.model.BootUnitRun renamed = unit("dask-mem.service", "loaded", 0);
        assertEquals(renamed, DeathJoin.memoryUnit(List.of(missing, compose, renamed)));
        assertTrue(DeathJoin.bootNote(List.of(missing, compose, renamed)).contains("dask-mem.service ran at"),
                DeathJoin.bootNote(List.of(missing, compose, renamed)));
        io.headroom.model.BootUnitRun installed = unit(io.headroom.model.BootUnitRun.MEMORY_UNIT, "loaded", 0);
        assertEquals(installed, DeathJoin.memoryUnit(List.of(installed, compose, renamed)), "the default wins when installed");
        assertEquals(missing, DeathJoin.memoryUnit(List.of(missing, compose)), "no other: the default, not installed");
        assertTrue(DeathJoin.bootNote(List.of(missing, compose)).startsWith("No boot unit measures MemAvailable"));
        assertEquals(null, DeathJoin.memoryUnit(List.of()));
    }

    private static io.headroom.model.BootUnitRun unit(String name, String load, Integer exit) {
        return new io.headroom.model.BootUnitRun(name, load, exit == null ? "inactive" : "active", exit == null ? null : "success",
                exit, exit == null ? null : java.time.Instant.parse("2026-12-06T06:00:00Z"), exit == null ? null : 2147483648L,
                "/srv/dask/.env", List.of());
    }
}
