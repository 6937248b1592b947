package io.headroom.ui;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.model.ScanReport;
import io.headroom.ui.MainViewModel.ClusterItem;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs one scan of the window's hosts at a time through the {@link BackgroundExecutor}: whether one is
 * running, how many hosts are done of how many, cancelling, and the rows marked as the scan goes
 * ({@link ScanProgress}). A cancelled or failed scan leaves the rows it had not finished as
 * "cancelled".
 */
final class ClusterScanner {
    private final ScanEngine engine;
    private final BackgroundExecutor executor;
    private final ObservableList<HostRow> hosts;
    private final StringProperty status;
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private final IntegerProperty done = new SimpleIntegerProperty(0);
    private final IntegerProperty total = new SimpleIntegerProperty(0);
    private BackgroundExecutor.Task running;

    /** @param hosts the window's rows: those of the targets scanned are updated as each host finishes */
    ClusterScanner(ScanEngine engine, BackgroundExecutor executor, ObservableList<HostRow> hosts, StringProperty status) {
        this.engine = engine;
        this.executor = executor;
        this.hosts = hosts;
        this.status = status;
    }

    /**
     * Scans {@code targets} with the given reserve (bytes; null: the engine's default). When it is done,
     * {@code onDone} gets the report and the rows by target as they were when the scan started.
     *
     * @param light live mode's refresh: hosts scanned before get the engine's light refresh
     *              ({@link ScanEngine#refresh}), the others a full scan
     */
    void start(List<String> targets, Long reserveBytes, boolean light, BiConsumer<ScanReport, Map<String, HostRow>> onDone) {
        scanning.set(true);
        Map<String, HostRow> byTarget = new LinkedHashMap<>();
        hosts.forEach(r -> byTarget.put(r.target(), r));
        done.set(0);
        total.set(targets.size());
        status.set("Scanning " + targets.size() + " host(s)…");
        ScanOptions options = new ScanOptions(reserveBytes, ScanOptions.DEFAULTS.timeout(), ScanOptions.DEFAULTS.parallelism());
        ScanProgress progress = new ScanProgress(executor, byTarget, targets.size(), done, status);
        running = executor.submit(() -> light ? engine.refresh(targets, options, progress) : engine.scan(targets, options, progress), report -> {
            scanning.set(false);
            onDone.accept(report, byTarget);
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

    /** Cancels the running scan, if any. */
    void cancel() {
        if (running != null && scanning.get()) {
            running.cancel();
        }
    }

    /** The reserve (bytes) the clusters file sets for {@code item}, or null when it sets none or an invalid one. */
    static Long clusterReserve(ClusterItem item) {
        if (item.cluster() == null || item.cluster().reserve() == null) {
            return null;
        }
        var p = DaskByteSize.parse(item.cluster().reserve());
        return p.ok() ? p.bytes() : null;
    }

    BooleanProperty scanning() {
        return scanning;
    }

    IntegerProperty done() {
        return done;
    }

    IntegerProperty total() {
        return total;
    }
}
