package io.headroom.ui;

import io.headroom.engine.ProbeRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Settings;
import io.headroom.engine.report.ReportWriter;
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
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main window's state: clusters, the overview of the selected cluster's VMs, scans (with
 * per-host progress, cancel and live refresh), snapshots and the demo. No JavaFX nodes; runs
 * synchronously in tests through {@link BackgroundExecutor#synchronous()}.
 *
 * <p>This class decides what the window shows and where it came from (live, snapshot, demo); the parts
 * are {@link ClusterInventory} (the clusters file), {@link HostTable} (rows, filter, selection),
 * {@link ClusterScanner} (the running scan), {@link LiveHistory} (live-mode samples), {@link ScanFiles}
 * (snapshots, the demo and reports as files) and {@link FixWizardFactory}.
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

    private final ObjectProperty<ClusterItem> selectedCluster = new SimpleObjectProperty<>();
    private final HostTable table = new HostTable();
    private final StringProperty status = new SimpleStringProperty("Select a cluster and press Scan (F5).");
    private final BooleanProperty readOnly = new SimpleBooleanProperty(true);
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.NONE);
    private final StringProperty sourceText = new SimpleStringProperty("");
    private final BooleanProperty live = new SimpleBooleanProperty(false);
    private final IntegerProperty liveSeconds = new SimpleIntegerProperty(10);
    private final ObjectProperty<ScanReport> lastReport = new SimpleObjectProperty<>();
    private final LiveHistory history = new LiveHistory();
    private final ObjectProperty<Long> reserveBytes = new SimpleObjectProperty<>();
    /** Where the last report came from, in words, for exported reports. */
    private final StringProperty reportSource = new SimpleStringProperty("");
    /** The window title: says which file is shown, and that it is offline, for snapshots and the demo. */
    private final StringProperty windowTitle = new SimpleStringProperty(TITLE);
    private final ClusterInventory inventory;
    private final ScanFiles files;
    private final FixWizardFactory fixes;
    private final ClusterScanner scanner;
    private Path snapshotFile;
    private final BackgroundExecutor executor;
    /** Each host's death timeline, kept while the same data is shown so that a live refresh never reads deaths again. */
    private final Map<String, TimelineViewModel> timelines = new java.util.HashMap<>();
    private LiveDeaths liveDeaths;
    /** Now, for the death timeline's window (tests fix it to the captured deaths' day). */
    private java.time.Clock clock = java.time.Clock.systemUTC();

    /** Reads a VM's deaths since an Instant (the app's: {@code DeathService} on the scan's transports); off the UI thread. */
    @FunctionalInterface
    public interface LiveDeaths {
        io.headroom.model.DeathTimeline read(HostReport host, java.time.Instant since) throws Exception;
    }

    public MainViewModel(ScanEngine engine, BackgroundExecutor executor, Path inventoryFile) {
        this.executor = executor;
        this.inventory = new ClusterInventory(executor, inventoryFile, selectedCluster, status, this::offlineShown);
        this.files = new ScanFiles(executor, status);
        this.fixes = new FixWizardFactory(engine, executor);
        this.scanner = new ClusterScanner(engine, executor, table.rows(), status);
        // a one-off scan of a large fleet keeps only a few connections open (each costs heap and a
        // thread); live mode keeps every host's (docs/decisions/0014-warm-connection-cap.md)
        engine.keepWarm(IDLE_WARM_CONNECTIONS);
        live.addListener((obs, was, now) -> engine.keepWarm(now ? ProbeRunners.ALL : IDLE_WARM_CONNECTIONS));
        selectedCluster.addListener((obs, old, now) -> showCluster(now));
        selectedCluster.set(LOCAL);
        source.addListener((o, a, now) -> {
            windowTitle.set(titleFor(now));
            timelines.clear();
        });
    }

    /** Loads the clusters file (off the UI thread). */
    public void loadClusters() {
        inventory.load();
    }

    /** Whether a snapshot or the demo is shown rather than the selected cluster. */
    private boolean offlineShown() {
        return source.get() == Source.DEMO || source.get() == Source.SNAPSHOT;
    }

    private void showCluster(ClusterItem item) {
        if (item == null) {
            return;
        }
        cancel();
        live.set(false);
        timelines.clear();
        table.showTargets(item.targets());
        source.set(Source.NONE);
        sourceText.set("");
        status.set(item.targets().size() + " host(s) in " + item.name() + ". Press Scan (F5).");
    }

    /** Scans every host of the selected cluster, updating rows as each finishes. */
    public void scan() {
        scan(false);
    }

    /** @param light live mode's tick: the engine's light refresh for hosts it scanned before */
    private void scan(boolean light) {
        ClusterItem item = selectedCluster.get();
        if (scanner.scanning().get() || item == null) {
            return;
        }
        if (offlineShown()) {
            showCluster(item); // leave the offline view: back to the selected cluster's hosts
        }
        Long reserve = reserveBytes.get() != null ? reserveBytes.get() : ClusterScanner.clusterReserve(item);
        scanner.start(item.targets(), reserve, light, (report, byTarget) -> showScanned(report, item, byTarget));
    }

    private void showScanned(ScanReport report, ClusterItem item, Map<String, HostRow> byTarget) {
        lastReport.set(report);
        reportSource.set("live scan of cluster " + item.name() + " (" + item.targets().size() + " host(s))");
        source.set(Source.LIVE);
        sourceText.set("");
        for (HostReport h : report.hosts()) {
            HostRow r = byTarget.get(h.target());
            // rows already show what finished() handed them: re-showing 200 rows at once
            // re-renders every cell in one pulse (lab/bench/gui-scan, max_fx_busy_ms)
            if (r != null && r.reportProperty().get() != h) {
                r.show(h, report.startedEpochMillis());
            }
            history.record(h, report.startedEpochMillis());
        }
        long unreachable = report.hosts().stream().filter(h -> !h.scanned()).count();
        status.set("Scanned " + report.hosts().size() + " host(s)" + (unreachable > 0 ? ", " + unreachable + " unreachable" : "")
                + " in " + (System.currentTimeMillis() - report.startedEpochMillis()) + " ms");
        table.refreshSelection();
    }

    /** One live-mode refresh on the warm connections, when no scan is running: the engine's light refresh. */
    public void liveTick() {
        if (live.get() && !scanner.scanning().get() && !offlineShown()) {
            scan(true);
        }
    }

    /** Live-mode samples of MemAvailable for a target. */
    public List<Sample> memAvailableHistory(String target) {
        return history.memAvailable(target);
    }

    /** A host's session history (empty lists before the second refresh). */
    public Session session(HostReport h) {
        return history.session(h);
    }

    /** Adds a sample to a series; package-private for the screenshot tour's demo session. */
    void addSample(String target, String series, Sample s) {
        history.add(target, series, s);
    }

    /** Live-mode samples of a container's usage. */
    public List<Sample> usageHistory(String target, String container) {
        return history.samples(target, container);
    }

    public void cancel() {
        scanner.cancel();
    }

    /** Shows a saved scan (offline). */
    public void openSnapshot(Path file) {
        files.openSnapshot(file, r -> {
            snapshotFile = file.toAbsolutePath();
            show(r, Source.SNAPSHOT, "SNAPSHOT " + file.getFileName());
            reportSource.set("snapshot " + file.toAbsolutePath());
            windowTitle.set(titleFor(Source.SNAPSHOT)); // also when one snapshot replaces another
        });
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
        files.openDemo(r -> {
            show(r, Source.DEMO, "DEMO — captured from the Headroom lab");
            reportSource.set("demo cluster bundled with Headroom (captured from the Headroom lab)");
        });
    }

    void show(ScanReport r, Source src, String text) {
        cancel();
        live.set(false);
        timelines.clear();
        lastReport.set(r);
        table.showScan(r);
        source.set(src);
        sourceText.set(text);
        status.set("Showing " + r.hosts().size() + " host(s) scanned at " + java.time.Instant.ofEpochMilli(r.startedEpochMillis()));
        table.selectFirst();
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
        files.saveSnapshot(lastReport.get(), file, redacted);
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
        files.exportReport(in, file, format, charts);
    }

    /** Adds a cluster to the clusters file and selects it. */
    public void addCluster(Cluster c) {
        inventory.add(c);
    }

    /** Replaces a cluster (remove + add). */
    public void updateCluster(String oldName, Cluster c) {
        inventory.update(oldName, c);
    }

    public void removeCluster(ClusterItem item) {
        inventory.remove(item);
    }

    /** Asks a scheduler for its workers and adds them as a new cluster. */
    public void discover(String url, String name) {
        inventory.discover(url, name);
    }

    /** The host aliases of ~/.ssh/config, read off the UI thread, for a new cluster (the status line says when none). */
    public void sshConfigAliases(java.util.function.Consumer<List<String>> onAliases) {
        inventory.sshConfigAliases(ClusterInventory.sshConfig(), onAliases);
    }

    public ObservableList<ClusterItem> clusters() {
        return inventory.clusters();
    }

    public ObjectProperty<ClusterItem> selectedClusterProperty() {
        return selectedCluster;
    }

    public ObservableList<HostRow> hosts() {
        return table.rows();
    }

    public FilteredList<HostRow> filteredHosts() {
        return table.filtered();
    }

    public StringProperty filterProperty() {
        return table.filter();
    }

    public ObjectProperty<HostRow> selectedHostProperty() {
        return table.selected();
    }

    public BooleanProperty scanningProperty() {
        return scanner.scanning();
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** Makes fixes possible (unless {@code settings} says read-only); the read-only badge follows the settings. */
    public void enableFixes(FixService.VmAccess access, Settings loaded) {
        fixes.enable(access, loaded);
        readOnly.set(loaded.readOnly());
    }

    /**
     * The fix wizard for the selected host (or every host when none is selected). Changes are
     * impossible for a snapshot or the demo, and in read-only mode; the wizard says why.
     */
    public FixWizardViewModel fixWizard() {
        ScanReport r = lastReport.get();
        List<HostReport> chosen = new ArrayList<>();
        HostRow sel = table.selected().get();
        if (sel != null && sel.reportProperty().get() != null) {
            chosen.add(sel.reportProperty().get());
        } else if (r != null) {
            chosen.addAll(r.hosts());
        }
        return fixes.wizard(chosen, source.get());
    }

    /** Sets what "now" is for the death timeline's window (tests). */
    void clock(java.time.Clock c) {
        this.clock = c;
    }

    /** Lets the window read deaths from live VMs (without it, the timeline says it cannot). */
    public void enableDeaths(LiveDeaths reader) {
        this.liveDeaths = reader;
    }

    /**
     * The death timeline of a shown host (issue 20): the same one while the same data is shown, brought up to date
     * with the host's last scan and live history, so a refresh redraws it but never reads deaths again. Live hosts
     * read their VM; the demo shows the deaths captured in the lab (joined without the demo host's scan: they come from
     * another VM, so none of its limits or recommendations belong to them); a snapshot cannot read any.
     */
    public TimelineViewModel timeline(HostReport h) {
        TimelineViewModel t = timelines.get(h.target());
        if (t != null) {
            t.update(h, session(h));
            return t;
        }
        t = new TimelineViewModel(h, session(h), deathFetcher(source.get()), executor, clock,
                java.time.ZoneId.systemDefault(), d -> fixWizardFromDeath(h, d));
        timelines.put(h.target(), t);
        return t;
    }

    private TimelineViewModel.Fetcher deathFetcher(Source src) {
        return switch (src) {
            case DEMO -> (h, window) -> new TimelineViewModel.Fetched(io.headroom.engine.CapturedDeaths.demo(h.target(), null), null, null,
                    "DEMO: these deaths were captured in the Headroom lab (project i20-deaths: podman, cgroup v1, Dask 2022.12.1),"
                            + " not read from " + h.target() + ".", false);
            case SNAPSHOT -> (h, window) -> {
                throw new IllegalStateException("a snapshot is offline: deaths are read from the VM itself (scan it live, or run"
                        + " headroom deaths " + h.target() + ")");
            };
            default -> {
                LiveDeaths reader = liveDeaths;
                yield (h, window) -> {
                    if (reader == null) {
                        throw new IllegalStateException("deaths cannot be read in this window");
                    }
                    java.time.Instant since = clock.instant().minus(window);
                    io.headroom.model.DeathTimeline t = reader.read(h, since);
                    return new TimelineViewModel.Fetched(t, since, clock.instant());
                };
            }
        };
    }

    /** The fix wizard started from a death: only its VM, its what-if panel on the dead worker's container. */
    FixWizardViewModel fixWizardFromDeath(HostReport h, io.headroom.model.WorkerDeath d) {
        return fixes.wizard(List.of(h), source.get()).fromDeath(d.container(), "Started from the death of " + d.container()
                + " at " + (d.time() == null ? "an unknown time" : d.time()) + " (" + d.cause() + "): " + d.fix());
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
        return scanner.done();
    }

    public IntegerProperty totalProperty() {
        return scanner.total();
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
