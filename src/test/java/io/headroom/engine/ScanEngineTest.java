package io.headroom.engine;

import io.headroom.model.ContainerReport;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on real captured probe output (podman, cgroup v1, Dask 2022.12.1 in the lab). */
class ScanEngineTest {
    private static final String V1 = "/fixtures/probe/podman-cgroup-v1-hybrid.txt";

    private static HostReport scanFixture() throws InterruptedException {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("vm", V1)), "test");
        return engine.scan(List.of("vm"), ScanOptions.DEFAULTS, ScanListener.NONE).hosts().get(0);
    }

    private static ContainerReport container(HostReport r, String name) {
        return r.daskContainers().stream().filter(c -> c.facts().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    @Test
    void capturedHostFacts() throws Exception {
        HostReport r = scanFixture();
        assertTrue(r.scanned());
        assertEquals(25276510208L, r.facts().memInfo().memTotalBytes());
        assertEquals(2, r.facts().cpuCount());
        assertEquals(io.headroom.model.CgroupMode.HYBRID, r.facts().cgroupMode());
        assertTrue(r.facts().dockerAvailable());
    }

    @Test
    void composeWorkerWithTwoGibLimit() throws Exception {
        ContainerReport w = container(scanFixture(), "hr-basic_worker_1");
        assertEquals(2147483648L, w.cgroupLimitBytes());
        assertEquals("hr-basic", w.facts().composeProject());
        assertEquals("worker", w.facts().composeService());
        assertEquals(1, w.workers().size());
        // Dask 2022.12.1 reported 1073741824 for this worker in /json/identity.json (lab capture)
        assertEquals(1073741824L, w.workers().get(0).memoryLimitBytes());
        assertEquals(10513, w.workers().get(0).launcherPid());
        assertEquals(10531, w.workers().get(0).pid());
    }

    @Test
    void unlimitedContainerIsNoLimit() throws Exception {
        HostReport r = scanFixture();
        ContainerReport c = container(r, "hr-cap-nolimit");
        assertNull(c.cgroupLimitBytes());
        assertTrue(r.findings().stream().anyMatch(f -> f.code() == FindingCode.NO_LIMIT && "hr-cap-nolimit".equals(f.container())));
    }

    @Test
    void schedulerIsNotADaskWorkerContainer() throws Exception {
        HostReport r = scanFixture();
        assertFalse(r.daskContainers().stream().anyMatch(c -> c.facts().name().equals("hr-basic_scheduler_1")));
        assertTrue(r.facts().containers().stream().anyMatch(c -> c.name().equals("hr-basic_scheduler_1")));
    }

    @Test
    void composeFileIsRead() throws Exception {
        HostReport r = scanFixture();
        var file = r.facts().composeFiles().get("/work/main/lab/projects/basic/docker-compose.yml");
        assertTrue(file.content().contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"));
        assertEquals(64, file.sha256().length());
    }

    @Test
    void unknownTargetFailsWithItsNameAndOthersStillScan() throws Exception {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("vm", V1)), "test");
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ScanReport report = engine.scan(List.of("vm", "ghost"), ScanOptions.DEFAULTS, new ScanListener() {
            @Override
            public void started(String target) {
                events.add("start " + target);
            }

            @Override
            public void finished(HostReport r) {
                events.add("done " + r.target());
            }
        });
        assertTrue(report.hosts().get(0).scanned());
        HostReport ghost = report.hosts().get(1);
        assertFalse(ghost.scanned());
        assertEquals("ghost: name not found: ghost", ghost.errors().get(0));
        assertTrue(events.containsAll(List.of("start vm", "done vm", "start ghost", "done ghost")), events.toString());
    }

    @Test
    void outputWithoutFramesIsAProbeFailureWithStderr() throws Exception {
        ScanEngine engine = new ScanEngine(t -> (nonce, timeout) ->
                new io.headroom.probe.ProbeRunner.ProbeOutput("", "sh: 1: syntax error", 2, false), "test");
        HostReport r = engine.scanOne("vm", ScanOptions.DEFAULTS);
        assertFalse(r.scanned());
        assertEquals("vm: probe failed: sh: 1: syntax error", r.errors().get(0));
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("vm", V1)), "test");
        var json = ReportJson.toNode(engine.scan(List.of("vm"), ScanOptions.DEFAULTS, ScanListener.NONE));
        var host = json.get("hosts").get(0);
        for (String f : List.of("target", "memTotalBytes", "memAvailableBytes", "budgetBytes", "containers", "findings", "errors")) {
            assertTrue(host.has(f), f);
        }
        var c = host.get("containers").get(0);
        for (String f : List.of("id", "name", "composeProject", "composeService", "composeFiles", "cgroupLimitBytes",
                "usageBytes", "oomKills", "daskWorkers")) {
            assertTrue(c.has(f), f);
        }
        var w = host.get("containers").findValues("daskWorkers").stream().filter(a -> a.size() > 0).findFirst().orElseThrow().get(0);
        for (String f : List.of("pid", "memoryLimitBytes", "nthreads", "daskVersion")) {
            assertTrue(w.has(f), f);
        }
        var finding = host.get("findings").get(0);
        for (String f : List.of("code", "severity", "message", "container", "recommendedLimitBytes")) {
            assertTrue(finding.has(f), f);
        }
        assertTrue(List.of("critical", "warning", "info").contains(finding.get("severity").asText()));
    }
}
