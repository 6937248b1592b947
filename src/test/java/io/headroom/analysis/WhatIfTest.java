package io.headroom.analysis;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What-if on real v2-lab captures (2 CPUs, Dask 2024.12.1): the scan's facts changed, the scan's model run again. */
class WhatIfTest {
    private static final long GIB = 1L << 30;

    private static HostReport scan(String fixture) throws Exception {
        return new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t").scanOne("vm", ScanOptions.DEFAULTS);
    }

    private static ContainerReport only(HostReport h) {
        assertEquals(1, h.daskContainers().size(), h.daskContainers().toString());
        return h.daskContainers().get(0);
    }

    private static List<FindingCode> codes(HostReport h, String container) {
        return h.findings().stream().filter(f -> f.container() == null || f.container().equals(container)).map(f -> f.code()).toList();
    }

    @Test
    void noChangeGivesTheScanBack() throws Exception {
        HostReport h = scan("/fixtures/lab-v2/s2-seed-env.txt");
        String name = only(h).facts().name();
        HostReport same = WhatIf.apply(h, name, new WhatIf.Change(only(h).cgroupLimitBytes(), null, null));
        assertEquals(h.findings(), same.findings());
        assertEquals(only(h).workers(), only(same).workers());
        assertEquals(h.budgetBytes(), same.budgetBytes());
    }

    @Test
    void theRecommendedLimitEndsNoLimit() throws Exception {
        HostReport h = scan("/fixtures/lab-v2/s1-no-limit.txt");
        String name = only(h).facts().name();
        assertTrue(codes(h, name).contains(FindingCode.NO_LIMIT));
        long rec = RecommendedLimit.forContainer(h.findings(), name);
        HostReport after = WhatIf.apply(h, name, new WhatIf.Change(rec, null, null));
        assertEquals(rec, only(after).cgroupLimitBytes());
        assertFalse(codes(after, name).contains(FindingCode.NO_LIMIT), codes(after, name).toString());
        DaskWorker w = only(after).workers().get(0);
        assertEquals(rec, w.systemLimitBytes(), "Dask reads the new limit from the cgroup file: " + w.derivation());
        assertEquals("healthy", WhatIfComparison.verdict(after, name));
        assertTrue(WhatIfComparison.verdict(h, name).startsWith("critical: NO_LIMIT"));
    }

    @Test
    void removingTheLimitIsNoLimit() throws Exception {
        HostReport h = scan("/fixtures/lab-v2/s2-seed-env.txt");
        String name = only(h).facts().name();
        HostReport after = WhatIf.apply(h, name, new WhatIf.Change(0L, null, null));
        assertEquals(null, only(after).cgroupLimitBytes());
        assertTrue(codes(after, name).contains(FindingCode.NO_LIMIT), codes(after, name).toString());
        assertEquals(h.facts().memInfo().memTotalBytes() / 2, only(after).workers().get(0).memoryLimitBytes(),
                "MemTotal × 1/2 (1 thread of 2 CPUs)");
    }

    @Test
    void bothFixesOfTheFractionFindingWork() throws Exception {
        HostReport h = scan("/fixtures/lab-v2/s2-seed-env.txt");
        String name = only(h).facts().name();
        assertTrue(codes(h, name).contains(FindingCode.DASK_USES_FRACTION_OF_LIMIT));
        assertEquals(GIB / 2, only(h).workers().get(0).memoryLimitBytes());

        HostReport explicit = WhatIf.apply(h, name, new WhatIf.Change(null, "1GiB", null));
        assertEquals(GIB, only(explicit).workers().get(0).memoryLimitBytes());
        assertEquals((long) (0.95 * GIB), only(explicit).workers().get(0).terminateBytes());
        assertFalse(codes(explicit, name).contains(FindingCode.DASK_USES_FRACTION_OF_LIMIT));

        HostReport two = WhatIf.apply(h, name, new WhatIf.Change(null, null, "2"));
        assertEquals(2, only(two).workers().size(), "two worker processes");
        for (DaskWorker w : only(two).workers()) {
            assertEquals(GIB / 2, w.memoryLimitBytes(), "each: 1 GiB × 1 thread / 2 CPUs");
        }
        assertFalse(codes(two, name).contains(FindingCode.DASK_USES_FRACTION_OF_LIMIT), "2 workers × 1 thread = 2 CPUs");

        HostReport above = WhatIf.apply(h, name, new WhatIf.Change(null, "4GiB", null));
        assertTrue(codes(above, name).contains(FindingCode.DASK_LIMIT_ABOVE_CGROUP), codes(above, name).toString());
        HostReport none = WhatIf.apply(h, name, new WhatIf.Change(null, null, "0"));
        assertTrue(codes(none, name).contains(FindingCode.WORKER_WONT_START), codes(none, name).toString());
    }

    @Test
    void theRowsSayWhatChanged() throws Exception {
        HostReport h = scan("/fixtures/lab-v2/s2-seed-env.txt");
        String name = only(h).facts().name();
        List<WhatIfComparison.Row> rows = WhatIfComparison.rows(h, WhatIf.apply(h, name, new WhatIf.Change(2 * GIB, null, null)), name);
        assertEquals(new WhatIfComparison.Row("cgroup limit", "1.00 GiB (1,073,741,824 bytes)", "2.00 GiB (2,147,483,648 bytes)"), rows.get(0));
        assertEquals(new WhatIfComparison.Row("Dask budget", "512.0 MiB (536,870,912 bytes)", "1.00 GiB (1,073,741,824 bytes)"), rows.get(1));
        assertEquals(new WhatIfComparison.Row("nanny restarts at", "486.4 MiB", "972.8 MiB"), rows.get(4));
        assertEquals("verdict", rows.get(rows.size() - 1).label());
        assertThrows(IllegalArgumentException.class, () -> WhatIf.apply(h, "nope", new WhatIf.Change(GIB, null, null)));
    }
}
