package io.headroom.analysis;

import io.headroom.model.CgroupMemory;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import io.headroom.model.OomEvent;
import io.headroom.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.headroom.analysis.TestFacts.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzerTest {
    private static final long RESERVE = 512L << 20;

    private static HostReport analyze(TestFacts f) {
        return new Analyzer(RESERVE).analyze(f.build(), 1);
    }

    private static List<FindingCode> codes(HostReport r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    private static Finding finding(HostReport r, FindingCode code) {
        return r.findings().stream().filter(x -> x.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + codes(r)));
    }

    @Test
    void budgetIsMemAvailablePlusDaskWorkingSetMinusReserve() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, 2 * GIB, Map.of());
        HostReport r = analyze(f);
        assertEquals(12 * GIB + 2 * GIB - RESERVE, r.budgetBytes());
        assertEquals(RESERVE, r.reserveBytes());
    }

    @Test
    void healthyLimitBelowBudgetHasNoWarnings() {
        TestFacts f = new TestFacts();
        f.worker("w", 12 * GIB, null, 1 * GIB, Map.of());
        HostReport r = analyze(f);
        assertTrue(r.findings().stream().noneMatch(x -> x.severity() != Severity.INFO), codes(r).toString());
        DaskWorker w = r.daskContainers().get(0).workers().get(0);
        // auto with 4 threads (CPU_COUNT // 1) on 4 CPUs: the whole cgroup limit
        assertEquals(12 * GIB, w.memoryLimitBytes());
        assertEquals((long) Math.floor(0.95 * 12 * GIB), w.terminateBytes());
    }

    @Test
    void noLimitIsCriticalAndRecommendsTheBudget() {
        TestFacts f = new TestFacts();
        f.worker("w", null, null, GIB, Map.of());
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.NO_LIMIT);
        assertEquals(Severity.CRITICAL, x.severity());
        assertEquals("w", x.container());
        long budget = 12 * GIB + GIB - RESERVE;
        assertEquals(budget / (1 << 20) * (1 << 20), x.recommendedLimitBytes());
        // Dask falls back to the host total
        assertEquals(f.memTotal, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
        assertTrue(x.message().contains("OOM killer"), x.message());
    }

    @Test
    void limitAboveWhatTheVmCanGiveIsCritical() {
        TestFacts f = new TestFacts();
        f.worker("w", 15 * GIB, null, GIB, Map.of());
        HostReport r = analyze(f);
        assertEquals(Severity.CRITICAL, finding(r, FindingCode.LIMIT_ABOVE_AVAILABLE).severity());
    }

    @Test
    void overcommitWhenLimitsTogetherExceedTheBudget() {
        TestFacts f = new TestFacts();
        f.worker("a", 8 * GIB, null, GIB, Map.of());
        f.worker("b", 8 * GIB, null, GIB, Map.of());
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.OVERCOMMIT);
        assertEquals(Severity.CRITICAL, x.severity());
        long budget = 12 * GIB + 2 * GIB - RESERVE;
        assertEquals(budget / 2 / (1 << 20) * (1 << 20), x.recommendedLimitBytes());
        assertFalse(codes(r).contains(FindingCode.LIMIT_ABOVE_AVAILABLE), "each alone fits");
    }

    @Test
    void softLimitShrinksDasksBudget() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, 4 * GIB, GIB, Map.of());
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.RESERVATION_SHRINKS_DASK);
        assertTrue(x.message().contains("memory.soft_limit_in_bytes"), x.message());
        assertEquals(4 * GIB, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
    }

    /** Dask takes the hard RLIMIT_RSS as its system limit (distributed/system.py memory_limit); lab s12. */
    @Test
    void rssRlimitShrinksDasksBudget() {
        TestFacts f = new TestFacts();
        f.rssLimit = 384L << 20;
        f.worker("w", GIB, null, GIB / 8, Map.of());
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.RLIMIT_SHRINKS_DASK);
        assertEquals(Severity.WARNING, x.severity());
        // the container's one recommended limit (RecommendedLimit): this VM has room, so WASTED_HEADROOM's share
        assertEquals(RecommendedLimit.forContainer(r.findings(), "w"), x.recommendedLimitBytes());
        assertEquals(finding(r, FindingCode.WASTED_HEADROOM).recommendedLimitBytes(), x.recommendedLimitBytes());
        assertTrue(x.message().contains("RLIMIT_RSS (384.0 MiB)") && x.message().contains("1.00 GiB"), x.message());
        assertEquals(384L << 20, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
        assertFalse(codes(r).contains(FindingCode.RESERVATION_SHRINKS_DASK), codes(r).toString());
    }

    @Test
    void rssRlimitAboveTheLimitChangesNothing() {
        TestFacts f = new TestFacts();
        f.rssLimit = 2 * GIB;
        f.worker("w", GIB, null, GIB / 8, Map.of());
        HostReport r = analyze(f);
        assertFalse(codes(r).contains(FindingCode.RLIMIT_SHRINKS_DASK), codes(r).toString());
        assertEquals(GIB, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
    }

    @Test
    void workersTogetherAboveTheCgroupLimit() {
        TestFacts f = new TestFacts();
        f.worker("w", 4 * GIB, null, GIB, Map.of(), "--nworkers", "2", "--memory-limit", "3GiB");
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.DASK_LIMIT_ABOVE_CGROUP);
        assertTrue(x.message().contains("2 Dask workers"), x.message());
        assertEquals(2, r.daskContainers().get(0).workers().size());
    }

    @Test
    void explicitLimitAboveTheCgroupIsClampedAndReported() {
        TestFacts f = new TestFacts();
        f.worker("w", 2 * GIB, null, GIB, Map.of(), "--memory-limit", "64GiB");
        HostReport r = analyze(f);
        assertEquals(2 * GIB, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
        assertTrue(finding(r, FindingCode.DASK_LIMIT_ABOVE_CGROUP).message().contains("ignores"));
    }

    @Test
    void decimalDaskSizeNextToBinaryDockerSize() {
        TestFacts f = new TestFacts();
        f.worker("w", 4 * GIB, null, GIB, Map.of(), "--memory-limit", "4G");
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.UNIT_CONFUSION);
        assertTrue(x.message().contains("4000000000"), x.message());
        assertTrue(x.message().contains("4294967296"), x.message());
        assertEquals(4_000_000_000L, r.daskContainers().get(0).workers().get(0).memoryLimitBytes());
    }

    @Test
    void oomKillsFromTheCgroupAndTheKernelLog() {
        TestFacts f = new TestFacts();
        ContainerFacts c = f.worker("w", 4 * GIB, null, GIB, Map.of());
        CgroupMemory cg = c.cgroup();
        f.containers.set(0, c.with(new CgroupMemory(1, cg.directory(), cg.hardLimitBytes(), null, null, null,
                cg.usageBytes(), cg.peakBytes(), 0L, 3L, null, null, Map.of()), c.processes()));
        f.ooms.add(new OomEvent("Memory cgroup out of memory: Killed process 1001 (python3)", 1001, "python3",
                "/docker/" + c.id(), c.id()));
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.OOM_KILLS);
        assertTrue(x.message().contains("3 processes"), x.message());
        assertTrue(x.message().contains("Killed process 1001"), x.message());
    }

    @Test
    void wastedHeadroomIsInfo() {
        TestFacts f = new TestFacts();
        f.worker("w", 2 * GIB, null, GIB, Map.of());
        HostReport r = analyze(f);
        assertEquals(Severity.INFO, finding(r, FindingCode.WASTED_HEADROOM).severity());
    }

    @Test
    void theSeedsSedOneLinerLeavesAValueComposeCannotRead() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of());
        // what `grep -i memavailable /proc/meminfo | sed 's/[a-zA-Z]+:\s+//'` prints: the whole line
        f.dotEnv.put("/srv/proj/.env", "MemAvailable:   12582912 kB");
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.ENV_VALUE_INVALID);
        assertEquals(Severity.CRITICAL, x.severity());
        assertTrue(x.message().contains("literal"), x.message());
    }

    @Test
    void aKilobyteValueWithoutUnitIsFlagged() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of());
        f.dotEnv.put("/srv/proj/.env", "12582912");
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.ENV_VALUE_INVALID);
        assertEquals(12582912L * 1024, x.recommendedLimitBytes());
    }

    @Test
    void validBytesValueIsAccepted() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of());
        f.dotEnv.put("/srv/proj/.env", Long.toString(12 * GIB));
        assertFalse(codes(analyze(f)).contains(FindingCode.ENV_VALUE_INVALID));
    }

    @Test
    void thresholdOverridesFromTheContainerEnvironment() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE", "False",
                "DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE", "0.5"));
        DaskWorker w = analyze(f).daskContainers().get(0).workers().get(0);
        assertEquals(null, w.terminateBytes());
        assertEquals((long) Math.floor(0.5 * 8 * GIB), w.pauseBytes());
    }

    /** dask/config.py interpret_value (≥ 2024.2.1, dask/dask#10926): "false" is False; 2022.12.1 keeps the string. */
    @Test
    void theWordFalseTurnsSpillingOffFrom2024_2_1() {
        Map<String, String> env = Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "false");
        TestFacts f = new TestFacts();
        f.daskVersion = "2024.12.1";
        f.worker("w", 8 * GIB, null, GIB, env);
        DaskWorker w = analyze(f).daskContainers().get(0).workers().get(0);
        assertEquals(null, w.spillBytes());
        assertTrue(w.derivation().stream().anyMatch(d -> d.contains("read as False") && d.contains("off")), w.derivation().toString());

        TestFacts old = new TestFacts();
        old.worker("w", 8 * GIB, null, GIB, env);
        DaskWorker o = analyze(old).daskContainers().get(0).workers().get(0);
        assertEquals((long) Math.floor(0.7 * 8 * GIB), o.spillBytes());
        assertTrue(o.derivation().stream().anyMatch(d -> d.contains("from 2024.2.1 it would be False")), o.derivation().toString());
    }

    /** --no-nanny: no NannyMemoryManager (distributed/nanny.py:259 at 2026.7.1), so no restart threshold. */
    @Test
    void noNannyMeansNoRestart() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of(), "--no-nanny");
        DaskWorker w = analyze(f).daskContainers().get(0).workers().get(0);
        assertTrue(w.noNanny());
        assertEquals(null, w.terminateBytes());
        assertEquals((long) Math.floor(0.8 * 8 * GIB), w.pauseBytes());
        assertEquals("no restart at 95%: no nanny", w.noNannyText());
        assertTrue(w.derivation().stream().anyMatch(d -> d.startsWith("no restart at 95%: no nanny")), w.derivation().toString());
        assertEquals("no restart at 95%: no nanny", io.headroom.engine.report.ContainerFigures.of(
                analyze(f).daskContainers().get(0)).terminateNote());
    }

    /** distributed/cli/dask_worker.py:294-304 at 2026.7.1: these exit at start-up; a finding with Dask's words, no budget. */
    @Test
    void workersDaskRefusesAreAFindingNotABudget() {
        List<List<String>> refused = List.of(List.of("--nworkers", "0"), List.of("--nworkers", "-5"),
                List.of("--nworkers", "2", "--no-nanny"), List.of("--nthreads", "abc"), List.of("--memory-limit", "5 foos"));
        List<String> why = List.of("Must specify --nworkers so that there's at least one process.",
                "Must specify --nworkers so that there's at least one process.",
                "You cannot use the --no-nanny argument when n_workers > 1.", "--nthreads abc is not an integer",
                "--memory-limit 5 foos");
        for (int i = 0; i < refused.size(); i++) {
            TestFacts f = new TestFacts();
            f.worker("w", 8 * GIB, null, GIB, Map.of(), refused.get(i).toArray(String[]::new));
            HostReport r = analyze(f);
            Finding x = finding(r, FindingCode.WORKER_WONT_START);
            assertEquals(Severity.CRITICAL, x.severity());
            assertTrue(x.message().contains(why.get(i)), x.message());
            assertTrue(r.daskContainers().get(0).workers().isEmpty(), refused.get(i).toString());
            assertFalse(codes(r).contains(FindingCode.NO_WORKER_PROCESS), codes(r).toString());
        }
    }

    /** A negative limit is kept by Dask (worker_memory.py:451-484): every result spilled, no pause, no restart. */
    @Test
    void negativeMemoryLimitIsModelledAndExplained() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of(), "--memory-limit", "-1GB");
        HostReport r = analyze(f);
        DaskWorker w = r.daskContainers().get(0).workers().get(0);
        assertTrue(w.negativeLimit());
        assertEquals(null, w.memoryLimitBytes());
        // the nanny keeps -1e9; the worker re-parses it as a fraction of its 8 GiB system limit
        assertEquals(java.math.BigInteger.valueOf(-1_000_000_000L), w.nannyLimitExact());
        assertEquals(java.math.BigInteger.valueOf(-1_000_000_000L).multiply(java.math.BigInteger.valueOf(8 * GIB)),
                w.memoryLimitExact());
        assertEquals(null, w.terminateBytes());
        assertEquals(null, w.pauseBytes());
        Finding x = finding(r, FindingCode.NEGATIVE_MEMORY_LIMIT);
        assertTrue(x.message().contains("written to disk as soon as it is computed"), x.message());
    }

    /** --memory-limit 1B: the nanny divides by 1 byte and restarts the worker at once; the worker holds 8 GiB. */
    @Test
    void oneByteNannyLimitRestartsTheWorkerAgainAndAgain() {
        TestFacts f = new TestFacts();
        f.worker("w", 8 * GIB, null, GIB, Map.of(), "--memory-limit", "1B");
        HostReport r = analyze(f);
        DaskWorker w = r.daskContainers().get(0).workers().get(0);
        assertEquals(8 * GIB, w.memoryLimitBytes());
        assertEquals(0L, w.terminateBytes());
        assertEquals(Severity.CRITICAL, finding(r, FindingCode.RESTART_LOOP).severity());
    }

    @Test
    void findingsAreSortedMostSevereFirst() {
        TestFacts f = new TestFacts();
        f.worker("a", null, null, GIB, Map.of());
        f.worker("b", 2 * GIB, null, GIB, Map.of(), "--memory-limit", "2G");
        HostReport r = analyze(f);
        List<Severity> sev = r.findings().stream().map(Finding::severity).toList();
        for (int i = 1; i < sev.size(); i++) {
            assertTrue(sev.get(i - 1).compareTo(sev.get(i)) >= 0, sev.toString());
        }
        assertNotNull(r.worstSeverity());
    }

    // ------------------------------------------------------------------ what the scan could not see (issue 23)

    @Test
    void containersThatCouldNotBeListedAreIncompleteNeverOk() {
        TestFacts f = new TestFacts();
        f.dockerProblem = "docker: timed out after 20 s";
        f.ooms.add(new OomEvent("Out of memory: Killed process 4242 (python3)", 4242, "python3", null, null));
        f.ooms.add(new OomEvent("Out of memory: Killed process 4243 (python3)", 4243, "python3", null, null));
        HostReport r = analyze(f);
        Finding x = finding(r, FindingCode.SCAN_INCOMPLETE);
        assertEquals(Severity.WARNING, x.severity());
        assertTrue(x.message().contains("could not be listed (docker: timed out after 20 s)"), x.message());
        assertTrue(x.message().contains("the 2 OOM kills in the kernel log could not be tied to a container"), x.message());
        assertFalse(r.complete());
        assertEquals("incomplete", r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.equals("the container list (docker ps): could not be read: docker: timed out after 20 s")),
                r.errors().toString());
    }

    @Test
    void permissionDeniedIsItsOwnFindingAndAlsoIncomplete() {
        TestFacts f = new TestFacts();
        f.dockerProblem = "permission denied while trying to connect to the Docker daemon socket";
        HostReport r = analyze(f);
        assertEquals(List.of(FindingCode.DOCKER_NOT_PERMITTED), codes(r));
        assertEquals("incomplete", r.status());
    }

    @Test
    void noMeminfoIsIncomplete() {
        TestFacts f = new TestFacts();
        f.memInfoRead = false;
        HostReport r = analyze(f);
        assertTrue(finding(r, FindingCode.SCAN_INCOMPLETE).message().contains("MemAvailable could not be read"));
        assertEquals("incomplete", r.status());
    }

    @Test
    void criticalWinsOverIncompleteInTheStatusWordButCompleteStaysFalse() {
        TestFacts f = new TestFacts();
        f.memInfoRead = true;
        f.worker("w", null, null, GIB, Map.of());
        HostReport ok = analyze(f);
        assertTrue(ok.complete());
        assertEquals("critical", ok.status());
        TestFacts g = new TestFacts();
        HostReport empty = analyze(g);
        assertEquals("ok", empty.status(), "a VM without Dask containers, seen whole, is ok");
    }
}
