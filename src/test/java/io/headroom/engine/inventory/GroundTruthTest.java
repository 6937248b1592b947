package io.headroom.engine.inventory;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Predictions on a captured probe run against what a scheduler reports for that worker. */
class GroundTruthTest {
    private static HostReport scan() throws Exception {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/probe/podman-cgroup-v1-hybrid.txt")), "t");
        return engine.scanOne("vm", ScanOptions.DEFAULTS);
    }

    /** identity.json as the scheduler serves it, for the worker process titled in the probe fixture. */
    private static String identity(long memoryLimit) {
        return "{\"address\":\"tcp://10.89.0.4:8786\",\"workers\":{\"tcp://10.89.0.5:36777\":"
                + "{\"host\":\"10.89.0.5\",\"name\":\"tcp://10.89.0.5:36777\",\"nthreads\":1,\"memory_limit\":" + memoryLimit + "}}}";
    }

    @Test
    void matchesByProcessTitleAndAgrees() throws Exception {
        // the probe fixture's worker child is titled "dask worker [tcp://10.89.0.5:36777]"
        String json = identity(1073741824L);
        HostReport r = GroundTruth.attach(scan(), SchedulerDiscovery.parse("u", json));
        var worker = r.daskContainers().stream().filter(c -> c.facts().name().equals("hr-basic_worker_1")).findFirst()
                .orElseThrow().workers().get(0);
        assertEquals(1073741824L, worker.reportedLimitBytes());
        assertEquals(worker.memoryLimitBytes(), worker.reportedLimitBytes());
        assertFalse(r.findings().stream().anyMatch(f -> f.code() == FindingCode.DASK_LIMIT_MISMATCH));
    }

    @Test
    void aDifferentReportedValueIsAMismatch() throws Exception {
        String json = identity(2147483648L);
        HostReport r = GroundTruth.attach(scan(), SchedulerDiscovery.parse("u", json));
        var f = r.findings().stream().filter(x -> x.code() == FindingCode.DASK_LIMIT_MISMATCH).findFirst().orElseThrow();
        assertEquals("hr-basic_worker_1", f.container());
        assertTrue(f.message().contains("2147483648") && f.message().contains("1073741824"), f.message());
    }
}
