package io.headroom.analysis;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.model.Finding;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import io.headroom.model.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DASK_USES_FRACTION_OF_LIMIT on the lab's captures (both platforms, 2 CPUs each): Dask's auto budget is
 * the limit × min(1, nthreads / CPUs) (distributed/worker_memory.py, parse_memory_limit), proven byte for
 * byte against identity.json by ScenarioTruthV1IT / V2IT.
 */
class DaskUsesFractionOfLimitTest {
    private static HostReport scan(String fixture) throws Exception {
        return new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t")
                .scan(List.of("vm"), ScanOptions.DEFAULTS, ScanListener.NONE).hosts().get(0);
    }

    /** The finding on the scenario's containers (the v1 captures also hold the lab's always-on hr-basic project). */
    private static List<Finding> fractions(HostReport h) {
        return h.findings().stream().filter(f -> f.code() == FindingCode.DASK_USES_FRACTION_OF_LIMIT)
                .filter(f -> !f.container().startsWith("hr-basic")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fixtures/lab/s2-seed-env.txt", "/fixtures/lab-v2/s2-seed-env.txt"})
    void oneThreadOfTwoCpusGivesDaskHalfTheLimitAndSaysBothFixes(String fixture) throws Exception {
        HostReport h = scan(fixture);
        List<Finding> f = fractions(h);
        assertEquals(1, f.size(), h.findings().toString());
        Finding x = f.get(0);
        assertEquals(Severity.INFO, x.severity(), "no danger: Dask stays below the kernel's limit");
        assertEquals(null, x.recommendedLimitBytes(), "the fix is in Dask's options, not the compose limit");
        long worker = h.daskContainers().stream().filter(c -> c.facts().name().equals(x.container())).findFirst().orElseThrow()
                .workers().get(0).memoryLimitBytes();
        assertEquals(1L << 29, worker, "1 GiB × 1/2");
        assertTrue(x.message().startsWith("Dask in " + x.container() + " gets 512.0 MiB of the container's 1.00 GiB limit:"
                + " with --memory-limit auto each worker gets the limit × min(1, threads / CPUs) = 1.00 GiB × 1/2 (1 thread, 2 CPUs)."
                + " 512.0 MiB of the container is left to the kernel: Dask spills at 358.4 MiB and its nanny restarts the worker at"
                + " 486.4 MiB while the container still has room."), x.message());
        assertTrue(x.message().endsWith("Either give Dask the limit: --memory-limit 1073741824 (spill at 716.8 MiB, restart at"
                + " 972.8 MiB), or run as many threads as CPUs: --nthreads 2 (the whole 1.00 GiB, more tasks at once)."), x.message());
        assertTrue(h.worstSeverity() == null || h.worstSeverity().compareTo(Severity.WARNING) < 0, "the seed's fix stays healthy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fixtures/lab-v2/s9-overcommit.txt", "/fixtures/lab/s9-overcommit.txt"})
    void eachContainerOfTheOvercommitHasItsOwn(String fixture) throws Exception {
        assertEquals(2, fractions(scan(fixture)).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/fixtures/lab/s7-nworkers.txt",          // 2 workers × 1 thread = 2 CPUs: the whole limit
            "/fixtures/lab/s6-fraction.txt",          // --memory-limit 0.5: asked for, not auto
            "/fixtures/lab/s8-dask-above-cgroup.txt", // explicit --memory-limit
            "/fixtures/lab/s1-no-limit.txt",          // no limit: NO_LIMIT says it
            "/fixtures/lab/s3-limit-above-host.txt",  // system limit is MemTotal, not the cgroup limit
            "/fixtures/lab/s4-reservation.txt",       // RESERVATION_SHRINKS_DASK says it
            "/fixtures/lab-v2/s12-rlimit-rss.txt",    // RLIMIT_SHRINKS_DASK says it
            "/fixtures/lab-v2/s0-oom-kill.txt"})      // default nthreads = CPUs
    void notWhenDaskHasTheWholeLimitOrAnotherFindingExplainsIt(String fixture) throws Exception {
        assertEquals(List.of(), fractions(scan(fixture)));
    }
}
