package io.headroom.tools;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.model.ScanReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the demo snapshot bundled with the app from REAL probe output captured in the lab
 * (src/test/resources/fixtures/lab-v2/*.txt from the v2 lab, lab/ from v1; one compose scenario per "VM"): each
 * capture is replayed
 * through the normal engine, so every number in the demo is one the probe read. Not a test:
 * run {@code java -cp target/test-classes:target/classes:target/lib/* io.headroom.tools.DemoSnapshotBuilder [DIR [OUT]]}.
 */
public final class DemoSnapshotBuilder {
    private DemoSnapshotBuilder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures/lab");
        Path out = Path.of(args.length > 1 ? args[1] : "src/main/resources/io/headroom/demo/demo.headroom.json");
        Map<String, String> targets = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("s\\d.*\\.txt")).sorted().toList()) {
                String name = "vm-" + f.getFileName().toString().replaceFirst("\\.txt$", "");
                targets.put(name, "/fixtures/" + dir.getFileName() + "/" + f.getFileName());
            }
        }
        List<String> order = new ArrayList<>(targets.keySet());
        ScanEngine engine = new ScanEngine(FixtureRunners.of(targets), "demo");
        ScanReport report = engine.scan(order, ScanOptions.DEFAULTS, ScanListener.NONE);
        // s9 stands for a VM whose budget is smaller than its two workers' limits together: its lab test scans it with
        // a reserve (ScenarioTruth); the demo does the same, as an operator would with --reserve: the budget is set to
        // 1.5 limits, between one and both.
        String s9 = order.stream().filter(t -> t.startsWith("vm-s9")).findFirst().orElse(null);
        if (s9 != null) {
            var open = engine.scanOne(s9, new ScanOptions(0L, ScanOptions.DEFAULTS.timeout(), 1));
            long limit = open.daskContainers().stream().mapToLong(c -> c.cgroupLimitBytes() == null ? 0 : c.cgroupLimitBytes()).max().orElse(0);
            long reserve = Math.max(0, open.budgetBytes() - limit * 3 / 2);
            var h = engine.scanOne(s9, new ScanOptions(reserve, ScanOptions.DEFAULTS.timeout(), 1));
            List<io.headroom.model.HostReport> hosts = new ArrayList<>(report.hosts());
            hosts.replaceAll(x -> x.target().equals(s9) ? h : x);
            report = new ScanReport(report.headroomVersion(), report.startedEpochMillis(), hosts);
        }
        Snapshots.write(report, out);
        System.out.println("wrote " + out + " with " + report.hosts().size() + " hosts");
    }
}
