package io.headroom.ui;

import io.headroom.engine.ProbeRunners;
import io.headroom.engine.Redactor;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Inventory;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.ContainerReport;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main window's state: clusters, the overview of the selected cluster's VMs, scans (with
 * per-host progress, cancel and live refresh), snapshots and the demo. No JavaFX nodes; runs
 * synchronously in tests through {@link BackgroundExecutor#synchronous()}.
 */
public final class MainViewModel {
    /** A sidebar entry. {@code cluster} is null for {@code local}. */
    public record ClusterItem(String name, List<String> targets, Cluster cluster) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One point of a live-mode history: when, and bytes. */
    public record Sample(long epochMillis, long bytes) {
    }

    /** A host's live-mode history: MemAvailable and each Dask container's usage, by container name. */
    public record Session(List<Sample> memAvailable, Map<String, List<Sample>> usage) {
    }

    /** Where the shown data comes from. */
    public enum Source { NONE, LIVE, SNAPSHOT, DEMO }

    /** Supplies the chart pictures (PNG bytes by target) for a report; called off the UI thread. */
    @FunctionalInterface
    public interface ChartPictures {
        Map<String, byte[]> png() throws IOException;
    }

    static final String TITLE = "Headroom — memory headroom for Dask clusters";
    /**
     * Connections kept open between scans when live mode is off: two scan batches of the window
     * (it scans 16 hosts at a time). Live mode keeps all.
     */
    static final int IDLE_WARM_CONNECTIONS = 32;
    public static final ClusterItem LOCAL = new ClusterItem("local", List.of(ScanEngine.LOCAL), null);
    /** Samples kept per series (at 10 s per refresh: ~1 hour). */
    static final int HISTORY = 360;

    private final ScanEngine engine;
    private final BackgroundExecutor executor;
    private final Path inventoryFile;
    private final ObservableList<ClusterItem> clusters = FXCollections.observableArrayList(LOCAL);
    private final ObjectProperty<ClusterItem> selectedCluster = new SimpleObjectProperty<>();
    private final ObservableList<HostRow> hosts = FXCollections.observableArrayList();
    private final FilteredList<HostRow> filteredHosts = new FilteredList<>(hosts);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<HostRow> selectedHost = new SimpleObjectProperty<>();
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Select a cluster and press Scan (F5).");
    private final BooleanProperty readOnly = new SimpleBooleanProperty(true);
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.NONE);
    private final StringProperty sourceText = new SimpleStringProperty("");
    private final BooleanProperty live = new SimpleBooleanProperty(false);
    private final IntegerProperty liveSeconds = new SimpleIntegerProperty(10);
    private final IntegerProperty done = new SimpleIntegerProperty(0);
    private final IntegerProperty total = new SimpleIntegerProperty(0);
    private final ObjectProperty<ScanReport> lastReport = new SimpleObjectProperty<>();
    private final Map<String, List<Sample>> history = new HashMap<>();
    private final ObjectProperty<Long> reserveBytes = new SimpleObjectProperty<>();
    /** Where the last report came from, in words, for exported reports. */
    private final StringProperty reportSource = new SimpleStringProperty("");
    /** The window title: says which file is shown, and that it is offline, for snapshots and the demo. */
    private final StringProperty windowTitle = new SimpleStringProperty(TITLE);
    private Path snapshotFile;
    private BackgroundExecutor.Task running;
    private Inventory inventory;

    public MainViewModel(ScanEngine engine, BackgroundExecutor executor, Path inventoryFile) {
        this.engine = engine;
        this.executor = executor;
        this.inventoryFile = inventoryFile;
        // a one-off scan of a large fleet keeps only a few connections open (each costs heap and a
        // thread); live mode keeps every host's (docs/decisions/0014-warm-connection-cap.md)
        engine.keepWarm(IDLE_WARM_CONNECTIONS);
        live.addListener((obs, was, now) -> engine.keepWarm(now ? ProbeRunners.ALL : IDLE_WARM_CONNECTIONS));
        selectedCluster.addListener((obs, old, now) -> showCluster(now));
        selectedCluster.set(LOCAL);
        source.addListener((o, a, now) -> windowTitle.set(titleFor(now)));
        filter.addListener((obs, old, now) -> {
            String f = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            filteredHosts.setPredicate(r -> f.isEmpty() || r.target().toLowerCase(Locale.ROOT).contains(f)
                    || r.statusTextProperty().get().toLowerCase(Locale.ROOT).contains(f)
                    || r.worstProperty().get().toLowerCase(Locale.ROOT).contains(f));
        });
    }

    /** Loads the clusters file (off the UI thread). */
    public void loadClusters() {
        executor.submit(() -> Inventory.load(inventoryFile), inv -> {
            inventory = inv;
            List<ClusterItem> items = new ArrayList<>();
            items.add(LOCAL);
            inv.clusters().values().stream().sorted(java.util.Comparator.comparing(Cluster::name))
                    .forEach(c -> items.add(new ClusterItem(c.name(), c.targets(), c)));
            ClusterItem keep = selectedCluster.get();
            clusters.setAll(items);
            ClusterItem same = keep == null ? LOCAL : items.stream().filter(i -> i.name().equals(keep.name())).findFirst().orElse(LOCAL);
            if (same != keep && source.get() != Source.DEMO && source.get() != Source.SNAPSHOT) {
                selectedCluster.set(same);
            }
        }, e -> status.set("Clusters file: " + e.getMessage()));
    }

    private void showCluster(ClusterItem item) {
        if (item == null) {
            return;
        }
        cancel();
        live.set(false);
        List<HostRow> rows = item.targets().stream().map(HostRow::new).toList();
        hosts.setAll(rows);
        selectedHost.set(rows.isEmpty() ? null : rows.get(0));
        source.set(Source.NONE);
        sourceText.set("");
        status.set(item.targets().size() + " host(s) in " + item.name() + ". Press Scan (F5).");
    }

    /** Scans every host of the selected cluster, updating rows as each finishes. */
    public void scan() {
        ClusterItem item = selectedCluster.get();
        if (scanning.get() || item == null) {
            return;
        }
        if (source.get() == Source.DEMO || source.get() == Source.SNAPSHOT) {
            showCluster(item); // leave the offline view: back to the selected cluster's hosts
        }
        scanning.set(true);
        List<String> targets = item.targets();
        Map<String, HostRow> byTarget = new LinkedHashMap<>();
        hosts.forEach(r -> byTarget.put(r.target(), r));
        done.set(0);
        total.set(targets.size());
        status.set("Scanning " + targets.size() + " host(s)…");
        AtomicInteger finished = new AtomicInteger();
        Long reserve = reserveBytes.get() != null ? reserveBytes.get() : clusterReserve(item);
        ScanOptions options = new ScanOptions(reserve, ScanOptions.DEFAULTS.timeout(), ScanOptions.DEFAULTS.parallelism());
        running = executor.submit(() -> engine.scan(targets, options, new ScanListener() {
            @Override
            public void started(String target) {
                executor.onUiThread(() -> {
                    HostRow r = byTarget.get(target);
                    if (r != null) {
                        r.scanning();
                    }
                });
            }

            @Override
            public void finished(HostReport report) {
                int n = finished.incrementAndGet();
                executor.onUiThread(() -> {
                    HostRow r = byTarget.get(report.target());
                    if (r != null) {
                        r.show(report, System.currentTimeMillis());
                    }
                    done.set(n);
                    status.set("Scanning… " + n + " of " + targets.size() + " done");
                });
            }
        }), report -> {
            scanning.set(false);
            lastReport.set(report);
            reportSource.set("live scan of cluster " + item.name() + " (" + targets.size() + " host(s))");
            source.set(Source.LIVE);
            sourceText.set("");
            for (HostReport h : report.hosts()) {
                HostRow r = byTarget.get(h.target());
                // rows already show what finished() handed them: re-showing 200 rows at once
                // re-renders every cell in one pulse (lab/bench/gui-scan, max_fx_busy_ms)
                if (r != null && r.reportProperty().get() != h) {
                    r.show(h, report.startedEpochMillis());
                }
                record(h, report.startedEpochMillis());
            }
            long unreachable = report.hosts().stream().filter(h -> !h.scanned()).count();
            status.set("Scanned " + report.hosts().size() + " host(s)" + (unreachable > 0 ? ", " + unreachable + " unreachable" : "")
                    + " in " + (System.currentTimeMillis() - report.startedEpochMillis()) + " ms");
            refreshSelection();
        }, e -> {
            scanning.set(false);
            status.set(e instanceof InterruptedException ? "Scan cancelled" : "Scan failed: " + e.getMessage());
            hosts.forEach(r -> {
                if (r.statusProperty().get() == HostRow.Status.SCANNING) {
                    r.statusProperty().set(HostRow.Status.WAITING);
                    r.statusTextProperty().set("cancelled");
                }
            });
        });
    }

    private static Long clusterReserve(ClusterItem item) {
        if (item.cluster() == null || item.cluster().reserve() == null) {
            return null;
        }
        var p = io.headroom.analysis.dask.DaskByteSize.parse(item.cluster().reserve());
        return p.ok() ? p.bytes() : null;
    }

    private void refreshSelection() {
        HostRow sel = selectedHost.get();
        selectedHost.set(null);
        selectedHost.set(sel != null ? sel : hosts.isEmpty() ? null : hosts.get(0));
    }

    /** One live-mode refresh: a scan on the warm connections, when none is running. */
    public void liveTick() {
        if (live.get() && !scanning.get() && source.get() != Source.DEMO && source.get() != Source.SNAPSHOT) {
            scan();
        }
    }

    private void record(HostReport h, long at) {
        if (!h.scanned() || h.facts().memInfo() == null) {
            return;
        }
        add(h.target() + "|MemAvailable", new Sample(at, h.facts().memInfo().memAvailableBytes()));
        for (ContainerReport c : h.daskContainers()) {
            if (c.facts().cgroup() != null && c.facts().cgroup().usageBytes() != null) {
                add(h.target() + "|" + c.facts().name(), new Sample(at, c.facts().cgroup().usageBytes()));
            }
        }
    }

    private void add(String key, Sample s) {
        List<Sample> list = history.computeIfAbsent(key, k -> new ArrayList<>());
        list.add(s);
        if (list.size() > HISTORY) {
            list.remove(0);
        }
    }

    /** Live-mode samples of MemAvailable for a target. */
    public List<Sample> memAvailableHistory(String target) {
        return List.copyOf(history.getOrDefault(target + "|MemAvailable", List.of()));
    }

    /** A host's session history (empty lists before the second refresh). */
    public Session session(HostReport h) {
        Map<String, List<Sample>> usage = new LinkedHashMap<>();
        for (ContainerReport c : h.daskContainers()) {
            usage.put(c.facts().name(), usageHistory(h.target(), c.facts().name()));
        }
        return new Session(memAvailableHistory(h.target()), usage);
    }

    /** Adds a sample to a series; package-private for the screenshot tour's demo session. */
    void addSample(String target, String series, Sample s) {
        add(target + "|" + series, s);
    }

    /** Live-mode samples of a container's usage. */
    public List<Sample> usageHistory(String target, String container) {
        return List.copyOf(history.getOrDefault(target + "|" + container, List.of()));
    }

    public void cancel() {
        if (running != null && scanning.get()) {
            running.cancel();
        }
    }

    /** Shows a saved scan (offline). */
    public void openSnapshot(Path file) {
        executor.submit(() -> Snapshots.read(file), r -> {
            snapshotFile = file.toAbsolutePath();
            show(r, Source.SNAPSHOT, "SNAPSHOT " + file.getFileName());
            reportSource.set("snapshot " + file.toAbsolutePath());
            windowTitle.set(titleFor(Source.SNAPSHOT)); // also when one snapshot replaces another
        },
                e -> status.set("Cannot open " + file + ": " + e.getMessage()));
    }

    private String titleFor(Source s) {
        return switch (s) {
            case SNAPSHOT -> "Headroom — " + snapshotFile.getFileName() + " (snapshot, offline) — " + snapshotFile;
            case DEMO -> "Headroom — demo cluster (offline)";
            default -> TITLE;
        };
    }

    /** Opens the demo cluster bundled with the app (captured from the lab). */
    public void openDemo() {
        executor.submit(() -> {
            try (InputStream in = MainViewModel.class.getResourceAsStream("/io/headroom/demo/demo.headroom.json")) {
                if (in == null) {
                    throw new IOException("the demo snapshot is missing from this build");
                }
                return Snapshots.read(in, "demo");
            }
        }, r -> {
            show(r, Source.DEMO, "DEMO — captured from the Headroom lab");
            reportSource.set("demo cluster bundled with Headroom (captured from the Headroom lab)");
        }, e -> status.set("Cannot open the demo: " + e.getMessage()));
    }

    void show(ScanReport r, Source src, String text) {
        cancel();
        live.set(false);
        lastReport.set(r);
        List<HostRow> rows = new ArrayList<>();
        for (HostReport h : r.hosts()) {
            HostRow row = new HostRow(h.target());
            row.show(h, r.startedEpochMillis());
            rows.add(row);
        }
        hosts.setAll(rows);
        source.set(src);
        sourceText.set(text);
        status.set("Showing " + rows.size() + " host(s) scanned at " + java.time.Instant.ofEpochMilli(r.startedEpochMillis()));
        selectedHost.set(rows.isEmpty() ? null : rows.get(0));
    }

    /** Saves the last scan as a snapshot. */
    public void saveSnapshot(Path file) {
        saveSnapshot(file, false);
    }

    /**
     * Saves the last scan as a snapshot; {@code redacted}: hostnames, IP addresses and SSH users
     * replaced by stable pseudonyms everywhere (io.headroom.engine.Redactor), for sharing.
     */
    public void saveSnapshot(Path file, boolean redacted) {
        ScanReport r = lastReport.get();
        if (r == null) {
            status.set("Nothing to save yet: scan first.");
            return;
        }
        executor.submit(() -> {
            Snapshots.write(redacted ? Redactor.redact(r) : r, file);
            return file;
        }, f -> status.set("Saved " + (redacted ? "a redacted snapshot (hostnames, IPs and users replaced) to " : "") + f),
                e -> status.set("Cannot save " + file + ": " + e.getMessage()));
    }

    /** What a report is made of: the scan and where it came from, taken together so they agree. */
    public record ReportInput(ScanReport report, String source) {
    }

    /** The scan shown now and its source, or null before any scan (live mode may replace it any moment). */
    public ReportInput reportInput() {
        ScanReport r = lastReport.get();
        return r == null ? null : new ReportInput(r, reportSource.get());
    }

    /** The report as Markdown (the preview of File → Export report…). */
    public static String reportPreview(ReportInput in) {
        ScanReport r = in.report();
        return ReportWriter.markdown(r, in.source(), ReportWriter.chartFileNames(r, "headroom-report.md", r.hosts().stream()
                .filter(MainViewModel::hasChart).map(HostReport::target).collect(java.util.stream.Collectors.toSet())));
    }

    /** A host the headroom chart can be drawn for. */
    public static boolean hasChart(HostReport h) {
        return h.scanned() && h.facts().memInfo() != null;
    }

    /**
     * Writes a report (Markdown with the chart pictures beside it, or one HTML file) off the UI thread.
     * {@code in} is what the preview showed, so a live refresh meanwhile does not mix two scans.
     */
    public void exportReport(ReportInput in, Path file, ReportWriter.Format format, ChartPictures charts) {
        if (in == null) {
            status.set("Nothing to export yet: scan or open a snapshot first.");
            return;
        }
        executor.submit(() -> ReportWriter.write(in.report(), in.source(), charts.png(), format, file),
                files -> status.set("Exported the report to " + file + (files.size() > 1 ? " (+" + (files.size() - 1)
                        + " chart picture(s) beside it)" : "")),
                e -> status.set("Cannot export the report to " + file + ": " + e.getMessage()));
    }

    /** Adds a cluster to the clusters file and selects it. */
    public void addCluster(Cluster c) {
        executor.submit(() -> {
            Inventory inv = inventory != null ? inventory : Inventory.load(inventoryFile);
            inv.add(c);
            return inv;
        }, inv -> {
            inventory = inv;
            status.set("Added cluster " + c.name() + " to " + inv.file());
            ClusterItem item = new ClusterItem(c.name(), c.targets(), c);
            clusters.add(item);
            selectedCluster.set(item);
        }, e -> status.set("Cannot add cluster: " + e.getMessage()));
    }

    /** Replaces a cluster (remove + add). */
    public void updateCluster(String oldName, Cluster c) {
        executor.submit(() -> {
            Inventory inv = inventory != null ? inventory : Inventory.load(inventoryFile);
            inv.remove(oldName);
            inv.add(c);
            return inv;
        }, inv -> {
            inventory = inv;
            status.set("Saved cluster " + c.name());
            clusters.removeIf(i -> i.name().equals(oldName));
            ClusterItem item = new ClusterItem(c.name(), c.targets(), c);
            clusters.add(item);
            selectedCluster.set(item);
        }, e -> status.set("Cannot save cluster: " + e.getMessage()));
    }

    public void removeCluster(ClusterItem item) {
        if (item == null || item.cluster() == null) {
            return;
        }
        executor.submit(() -> {
            Inventory inv = inventory != null ? inventory : Inventory.load(inventoryFile);
            inv.remove(item.name());
            return inv;
        }, inv -> {
            inventory = inv;
            clusters.remove(item);
            selectedCluster.set(LOCAL);
            status.set("Removed cluster " + item.name());
        }, e -> status.set("Cannot remove cluster: " + e.getMessage()));
    }

    /** Asks a scheduler for its workers and adds them as a new cluster. */
    public void discover(String url, String name) {
        executor.submit(() -> SchedulerDiscovery.discover(url, Duration.ofSeconds(10)),
                r -> addCluster(new Cluster(name, r.hosts(), null, null, null, null, url)),
                e -> status.set("Discovery from " + url + " failed: " + e.getMessage()));
    }

    public ObservableList<ClusterItem> clusters() {
        return clusters;
    }

    public ObjectProperty<ClusterItem> selectedClusterProperty() {
        return selectedCluster;
    }

    public ObservableList<HostRow> hosts() {
        return hosts;
    }

    public FilteredList<HostRow> filteredHosts() {
        return filteredHosts;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<HostRow> selectedHostProperty() {
        return selectedHost;
    }

    public BooleanProperty scanningProperty() {
        return scanning;
    }

    public StringProperty statusProperty() {
        return status;
    }

    private io.headroom.engine.fix.FixService.VmAccess fixAccess;
    private io.headroom.engine.inventory.Settings settings = new io.headroom.engine.inventory.Settings(true, "not loaded");

    /** Makes fixes possible (unless {@code settings} says read-only); the read-only badge follows the settings. */
    public void enableFixes(io.headroom.engine.fix.FixService.VmAccess access, io.headroom.engine.inventory.Settings loaded) {
        this.fixAccess = access;
        this.settings = loaded;
        readOnly.set(loaded.readOnly());
    }

    /**
     * The fix wizard for the selected host (or every host when none is selected). Changes are
     * impossible for a snapshot or the demo, and in read-only mode; the wizard says why.
     */
    public FixWizardViewModel fixWizard() {
        ScanReport r = lastReport.get();
        List<HostReport> chosen = new ArrayList<>();
        HostRow sel = selectedHost.get();
        if (sel != null && sel.reportProperty().get() != null) {
            chosen.add(sel.reportProperty().get());
        } else if (r != null) {
            chosen.addAll(r.hosts());
        }
        String offline = switch (source.get()) {
            case SNAPSHOT -> "This is a snapshot, not a live scan: fixes need a live scan of the VMs (the diffs are shown for review).";
            case DEMO -> "This is the demo cluster (captured from the lab): nothing can be pushed (the diffs are shown for review).";
            default -> fixAccess == null ? "Fixes are not available in this window." : null;
        };
        io.headroom.engine.fix.FixService service = new io.headroom.engine.fix.FixService(fixAccess, engine,
                new io.headroom.engine.ScanOptions(null, java.time.Duration.ofSeconds(60), 4),
                new io.headroom.engine.fix.AuditLog(io.headroom.engine.inventory.ConfigPaths.auditLogFile()), settings);
        return new FixWizardViewModel(chosen, service, executor, offline);
    }

    public BooleanProperty readOnlyProperty() {
        return readOnly;
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public StringProperty sourceTextProperty() {
        return sourceText;
    }

    public BooleanProperty liveProperty() {
        return live;
    }

    public IntegerProperty liveSecondsProperty() {
        return liveSeconds;
    }

    public IntegerProperty doneProperty() {
        return done;
    }

    public IntegerProperty totalProperty() {
        return total;
    }

    public ObjectProperty<ScanReport> lastReportProperty() {
        return lastReport;
    }

    public StringProperty windowTitleProperty() {
        return windowTitle;
    }

    public StringProperty reportSourceProperty() {
        return reportSource;
    }

    public ObjectProperty<Long> reserveBytesProperty() {
        return reserveBytes;
    }
}
