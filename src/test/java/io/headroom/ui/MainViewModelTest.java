package io.headroom.ui;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.inventory.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main screen's ViewModel, synchronously, without the FX thread. */
class MainViewModelTest {
    private static final String V1 = "/fixtures/probe/podman-cgroup-v1-hybrid.txt";

    @TempDir
    Path dir;

    private MainViewModel vm(Map<String, String> fixtures) {
        return new MainViewModel(new ScanEngine(FixtureRunners.of(fixtures), "test"), BackgroundExecutor.synchronous(),
                dir.resolve("clusters.yaml"));
    }

    @Test
    void keepsAFewIdleConnectionsWarmAndAllOfThemInLiveMode() {
        List<Integer> caps = new java.util.ArrayList<>();
        io.headroom.engine.ProbeRunners fixtures = FixtureRunners.of(Map.of("local", V1));
        io.headroom.engine.ProbeRunners recording = new io.headroom.engine.ProbeRunners() {
            @Override
            public io.headroom.probe.ProbeRunner forTarget(String target) throws io.headroom.probe.ProbeException {
                return fixtures.forTarget(target);
            }

            @Override
            public void keepWarm(int connections) {
                caps.add(connections);
            }
        };
        MainViewModel vm = new MainViewModel(new ScanEngine(recording, "test"), BackgroundExecutor.synchronous(),
                dir.resolve("clusters.yaml"));
        assertEquals(List.of(MainViewModel.IDLE_WARM_CONNECTIONS), caps, "a one-off scan keeps a few");
        vm.liveProperty().set(true);
        vm.liveProperty().set(false);
        assertEquals(List.of(32, io.headroom.engine.ProbeRunners.ALL, 32), caps, "live mode keeps every host's connection");
    }

    @Test
    void startsOnLocalAndScansIt() {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        assertEquals(MainViewModel.LOCAL, vm.selectedClusterProperty().get());
        assertEquals(1, vm.hosts().size());
        assertTrue(vm.readOnlyProperty().get(), "read-only is the default");
        vm.scan();
        HostRow row = vm.hosts().get(0);
        assertEquals(HostRow.Status.CRITICAL, row.statusProperty().get());
        assertEquals(25276510208L, row.memTotalProperty().get());
        assertEquals(row.reportProperty().get().budgetBytes(), row.budgetProperty().get());
        assertEquals("unlimited", row.daskLimitsProperty().get(), "one Dask container has no limit");
        var worst = row.reportProperty().get().findings().get(0);
        assertEquals(io.headroom.model.Severity.CRITICAL, worst.severity());
        assertEquals(worst.code() + " (" + worst.container() + ")", row.worstProperty().get());
        assertEquals(MainViewModel.Source.LIVE, vm.sourceProperty().get());
        assertFalse(vm.scanningProperty().get());
        assertEquals(row, vm.selectedHostProperty().get());
        assertEquals(1, vm.memAvailableHistory("local").size());
    }

    @Test
    void clusterWithAnUnreachableHost() {
        MainViewModel vm = vm(Map.of("vm-a", V1));
        vm.loadClusters();
        vm.addCluster(new Cluster("prod", List.of("vm-a", "vm-b"), null, null, null, null, null));
        assertEquals("prod", vm.selectedClusterProperty().get().name());
        assertTrue(Files.exists(dir.resolve("clusters.yaml")));
        vm.scan();
        HostRow b = vm.hosts().stream().filter(r -> r.target().equals("vm-b")).findFirst().orElseThrow();
        assertEquals(HostRow.Status.UNREACHABLE, b.statusProperty().get());
        assertEquals("unreachable: name not found: vm-b", b.statusTextProperty().get());
        assertTrue(vm.statusProperty().get().contains("1 unreachable"), vm.statusProperty().get());
        vm.filterProperty().set("unreach");
        assertEquals(1, vm.filteredHosts().size());
        vm.filterProperty().set("");
        assertEquals(2, vm.filteredHosts().size());
    }

    @Test
    void liveModeKeepsHistory() {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        vm.liveProperty().set(true);
        vm.liveTick();
        vm.liveTick();
        vm.liveTick();
        assertEquals(3, vm.memAvailableHistory("local").size());
        assertEquals(3, vm.usageHistory("local", "hr-basic_worker_1").size());
    }

    @Test
    void aRedactedSnapshotCarriesNoHostname() throws Exception {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        vm.scan();
        String hostname = vm.hosts().get(0).reportProperty().get().facts().hostname();
        Path f = dir.resolve("shared.headroom.json");
        vm.saveSnapshot(f, true);
        assertTrue(vm.statusProperty().get().startsWith("Saved a redacted snapshot"), vm.statusProperty().get());
        String json = Files.readString(f);
        assertTrue(!json.contains("\"" + hostname + "\""), "the hostname '" + hostname + "' is still in the snapshot");
        MainViewModel other = vm(Map.of());
        other.openSnapshot(f);
        String shown = other.hosts().get(0).reportProperty().get().facts().hostname();
        assertTrue(shown.startsWith("host-"), shown);
    }

    @Test
    void snapshotsSaveAndOpen() {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        vm.scan();
        Path f = dir.resolve("s.headroom.json");
        vm.saveSnapshot(f);
        assertTrue(Files.exists(f), vm.statusProperty().get());
        MainViewModel other = vm(Map.of());
        other.openSnapshot(f);
        assertEquals(MainViewModel.Source.SNAPSHOT, other.sourceProperty().get());
        assertEquals("SNAPSHOT s.headroom.json", other.sourceTextProperty().get());
        assertEquals("snapshot " + f.toAbsolutePath(), other.reportSourceProperty().get());
        assertEquals("Headroom — s.headroom.json (snapshot, offline) — " + f.toAbsolutePath(), other.windowTitleProperty().get());
        var facts = other.hosts().get(0).reportProperty().get().facts();
        var empty = new io.headroom.model.HostReport("vm", facts, 1L, 0, List.of(), List.of(), List.of(), 1);
        assertTrue(new HostDetailViewModel(empty).chart().noDask().startsWith("No Dask worker containers: looked at "
                + facts.containers().size() + " running containers via `docker ps`"));
        assertEquals(HostRow.Status.CRITICAL, other.hosts().get(0).statusProperty().get());
        other.openSnapshot(dir.resolve("missing.json"));
        assertTrue(other.statusProperty().get().startsWith("Cannot open"), other.statusProperty().get());
    }

    @Test
    void demoIsBundledAndMarked() {
        MainViewModel vm = vm(Map.of());
        vm.openDemo();
        assertEquals(MainViewModel.Source.DEMO, vm.sourceProperty().get(), vm.statusProperty().get());
        assertTrue(vm.sourceTextProperty().get().startsWith("DEMO"));
        assertTrue(vm.hosts().size() >= 2, "the demo shows a cluster of several VMs");
        assertNotNull(vm.selectedHostProperty().get().reportProperty().get());
    }

    @Test
    void hostDetailChartCarriesSources() {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        vm.scan();
        HostDetailViewModel d = new HostDetailViewModel(vm.hosts().get(0).reportProperty().get());
        HostDetailViewModel.Chart c = d.chart();
        assertEquals(25276510208L, c.memTotal().bytes());
        assertTrue(c.memTotal().tooltip().contains("25,276,510,208 bytes"), c.memTotal().tooltip());
        HostDetailViewModel.Bar worker = c.bars().stream().filter(b -> b.name().equals("hr-basic_worker_1")).findFirst().orElseThrow();
        assertEquals(2147483648L, worker.limit().bytes());
        assertTrue(worker.limit().source().endsWith("memory.limit_in_bytes"), worker.limit().source());
        assertEquals(1073741824L, worker.daskLimit().bytes());
        assertEquals((long) Math.floor(0.95 * 1073741824L), worker.terminate());
        var lines = HostDetailViewModel.lines(d.composeFiles().get(0));
        assertTrue(lines.stream().anyMatch(l -> l.memory() && l.text().contains("mem_limit")), lines.toString());
    }

    @Test
    void exportsTheShownScanAsAReport() throws Exception {
        MainViewModel vm = vm(Map.of("local", V1));
        vm.loadClusters();
        Path md = dir.resolve("r.md");
        assertEquals(null, vm.reportInput());
        vm.exportReport(vm.reportInput(), md, io.headroom.engine.report.ReportWriter.Format.MARKDOWN, Map::of);
        assertTrue(vm.statusProperty().get().startsWith("Nothing to export yet"), vm.statusProperty().get());
        vm.scan();
        MainViewModel.ReportInput in = vm.reportInput();
        String preview = MainViewModel.reportPreview(in);
        assertTrue(preview.contains("- Source: live scan of cluster local (1 host(s))"), preview);
        assertTrue(preview.contains("![headroom chart of local](headroom-report-chart-1-local.png)"), preview);
        vm.scan(); // a live refresh after the preview: the export keeps the previewed scan
        assertTrue(vm.reportInput().report() != in.report());
        byte[] png = {1, 2, 3};
        vm.exportReport(in, md, io.headroom.engine.report.ReportWriter.Format.MARKDOWN, () -> Map.of("local", png));
        assertTrue(Files.readString(md).contains("- Scanned at: " + java.time.Instant.ofEpochMilli(in.report().startedEpochMillis())));
        assertEquals("Exported the report to " + md + " (+1 chart picture(s) beside it)", vm.statusProperty().get());
        assertTrue(Files.readString(md).contains("![headroom chart of local](r-chart-1-local.png)"));
        assertTrue(java.util.Arrays.equals(png, Files.readAllBytes(dir.resolve("r-chart-1-local.png"))));
        Path html = dir.resolve("r.html");
        vm.exportReport(in, html, io.headroom.engine.report.ReportWriter.Format.HTML, () -> Map.of("local", png));
        assertTrue(Files.readString(html).contains("data:image/png;base64,AQID"));
        vm.exportReport(in, dir.resolve("no-such-dir-file").resolve("x").resolve("r.html"), io.headroom.engine.report.ReportWriter.Format.HTML,
                () -> { throw new java.io.IOException("disk full"); });
        assertTrue(vm.statusProperty().get().startsWith("Cannot export the report to ") && vm.statusProperty().get().endsWith("disk full"),
                vm.statusProperty().get());
    }
}
