package io.headroom.ui;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/**
 * The scan screen: scans one target (default {@code local}) in the background and exposes what the
 * view shows. No JavaFX nodes here; testable with {@link BackgroundExecutor#synchronous()}.
 */
public final class ScanViewModel {
    /** One row of the container table, pre-formatted. */
    public record ContainerRow(String name, String service, String cgroupLimit, String usage, String daskLimit,
                               String workers, String terminateAt, String oomKills, String limitSource) {
    }

    /** One finding, pre-formatted. */
    public record FindingRow(String severity, String code, String message, String recommended) {
    }

    private final ScanEngine engine;
    private final BackgroundExecutor executor;
    private final StringProperty target = new SimpleStringProperty(ScanEngine.LOCAL);
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Not scanned yet");
    private final StringProperty memTotal = new SimpleStringProperty("–");
    private final StringProperty memAvailable = new SimpleStringProperty("–");
    private final StringProperty budget = new SimpleStringProperty("–");
    private final StringProperty hostLine = new SimpleStringProperty("");
    private final StringProperty emptyMessage = new SimpleStringProperty("");
    private final DoubleProperty availableFraction = new SimpleDoubleProperty(0);
    private final DoubleProperty budgetFraction = new SimpleDoubleProperty(0);
    private final ObjectProperty<HostReport> report = new SimpleObjectProperty<>();
    private final ObservableList<ContainerRow> containers = FXCollections.observableArrayList();
    private final ObservableList<FindingRow> findings = FXCollections.observableArrayList();
    private final ObservableList<String> notes = FXCollections.observableArrayList();
    private BackgroundExecutor.Task running;

    public ScanViewModel(ScanEngine engine, BackgroundExecutor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    /** Starts a scan unless one is running. */
    public void scan() {
        if (scanning.get()) {
            return;
        }
        scanning.set(true);
        String t = target.get();
        status.set("Scanning " + t + "…");
        running = executor.submit(() -> engine.scan(List.of(t), ScanOptions.DEFAULTS, ScanListener.NONE),
                this::show, this::failed);
    }

    /** Cancels a running scan. */
    public void cancel() {
        if (running != null && scanning.get()) {
            running.cancel();
        }
    }

    void show(ScanReport r) {
        scanning.set(false);
        HostReport h = r.hosts().get(0);
        report.set(h);
        containers.clear();
        findings.clear();
        notes.setAll(h.errors());
        if (!h.scanned()) {
            status.set(h.target() + " could not be scanned");
            emptyMessage.set(String.join("\n", h.errors()));
            return;
        }
        var f = h.facts();
        status.set("Scanned " + h.target() + " in " + h.scanMillis() + " ms");
        hostLine.set("host " + f.hostname() + " · kernel " + f.kernelRelease() + " · cgroup "
                + f.cgroupMode().name().toLowerCase(java.util.Locale.ROOT) + " · " + f.cpuCount() + " CPUs");
        if (f.memInfo() != null) {
            long total = f.memInfo().memTotalBytes();
            memTotal.set(Bytes.human(total));
            memAvailable.set(Bytes.human(f.memInfo().memAvailableBytes()));
            availableFraction.set(total == 0 ? 0 : f.memInfo().memAvailableBytes() / (double) total);
            budgetFraction.set(total == 0 || h.budgetBytes() == null ? 0 : h.budgetBytes() / (double) total);
        }
        budget.set(Bytes.human(h.budgetBytes()) + " (reserve " + Bytes.human(h.reserveBytes()) + ")");
        for (ContainerReport c : h.daskContainers()) {
            DaskWorker w = c.workers().isEmpty() ? null : c.workers().get(0);
            containers.add(new ContainerRow(c.facts().name(),
                    c.facts().composeService() == null ? "–" : c.facts().composeService(),
                    Bytes.human(c.cgroupLimitBytes()),
                    c.facts().cgroup() == null ? "?" : Bytes.human(c.facts().cgroup().usageBytes()),
                    w == null ? "?" : w.memoryLimitBytes() == null ? "none" : Bytes.human(w.memoryLimitBytes()),
                    Integer.toString(c.workers().size()),
                    w == null || w.terminateBytes() == null ? "–" : Bytes.human(w.terminateBytes()),
                    c.facts().cgroup() == null || c.facts().cgroup().oomKills() == null ? "?" : c.facts().cgroup().oomKills().toString(),
                    w == null ? "" : w.systemLimitSource()));
        }
        for (Finding x : h.findings()) {
            findings.add(new FindingRow(x.severity().label().toUpperCase(java.util.Locale.ROOT), x.code().name(), x.message(),
                    x.recommendedLimitBytes() == null ? "" : Bytes.human(x.recommendedLimitBytes())));
        }
        if (h.daskContainers().isEmpty()) {
            emptyMessage.set("No Dask worker containers found on this machine. Looked at "
                    + (f.dockerAvailable() ? f.containers().size() + " running container(s) through the docker CLI."
                    : "no containers: the docker CLI did not answer (see notes)."));
        } else {
            emptyMessage.set("");
        }
    }

    void failed(Throwable t) {
        scanning.set(false);
        status.set(t instanceof InterruptedException ? "Scan cancelled" : "Scan failed: " + t.getMessage());
    }

    public StringProperty targetProperty() {
        return target;
    }

    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty memTotalProperty() {
        return memTotal;
    }

    public StringProperty memAvailableProperty() {
        return memAvailable;
    }

    public StringProperty budgetProperty() {
        return budget;
    }

    public StringProperty hostLineProperty() {
        return hostLine;
    }

    public StringProperty emptyMessageProperty() {
        return emptyMessage;
    }

    public DoubleProperty availableFractionProperty() {
        return availableFraction;
    }

    public DoubleProperty budgetFractionProperty() {
        return budgetFraction;
    }

    public ObjectProperty<HostReport> reportProperty() {
        return report;
    }

    public ObservableList<ContainerRow> containers() {
        return containers;
    }

    public ObservableList<FindingRow> findings() {
        return findings;
    }

    public ObservableList<String> notes() {
        return notes;
    }
}
