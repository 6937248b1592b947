package io.headroom.ui;

import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.Finding;
import io.headroom.model.HostReport;
import io.headroom.model.Severity;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One VM in the cluster overview: pre-formatted text for the table, raw numbers for sorting. */
public final class HostRow {
    /** Where the row stands. Ordered by how much attention it needs. */
    public enum Status { WAITING, SCANNING, OK, INFO, WARNING, CRITICAL, UNREACHABLE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final String target;
    private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.WAITING);
    private final StringProperty statusText = new SimpleStringProperty("waiting");
    private final ObjectProperty<HostReport> report = new SimpleObjectProperty<>();
    private final StringProperty memTotal = new SimpleStringProperty("–");
    private final StringProperty memAvailable = new SimpleStringProperty("–");
    private final StringProperty budget = new SimpleStringProperty("–");
    private final StringProperty daskLimits = new SimpleStringProperty("–");
    private final StringProperty worst = new SimpleStringProperty("");
    private final StringProperty lastScan = new SimpleStringProperty("");
    /** Fractions of MemTotal for the inline bar: MemAvailable, budget, Σ Dask limits. */
    private final DoubleProperty availableFraction = new SimpleDoubleProperty(0);
    private final DoubleProperty budgetFraction = new SimpleDoubleProperty(0);
    private final DoubleProperty limitsFraction = new SimpleDoubleProperty(0);
    private long memAvailableBytes = -1;
    private long budgetBytes = -1;

    public HostRow(String target) {
        this.target = target;
    }

    public String target() {
        return target;
    }

    void scanning() {
        status.set(Status.SCANNING);
        statusText.set("scanning…");
    }

    void show(HostReport r, long epochMillis) {
        report.set(r);
        lastScan.set(TIME.format(Instant.ofEpochMilli(epochMillis)));
        if (!r.scanned()) {
            status.set(Status.UNREACHABLE);
            String reason = r.errors().isEmpty() ? "unreachable" : r.errors().get(0);
            String prefix = target + ": ";
            statusText.set("unreachable: " + (reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason));
            worst.set("");
            return;
        }
        Severity sev = r.worstSeverity();
        status.set(sev == null ? Status.OK : switch (sev) {
            case CRITICAL -> Status.CRITICAL;
            case WARNING -> Status.WARNING;
            case INFO -> Status.INFO;
        });
        statusText.set(sev == null || sev == Severity.INFO ? "ok" : sev.label());
        var mem = r.facts().memInfo();
        if (mem != null) {
            long total = mem.memTotalBytes();
            memTotal.set(Bytes.human(total));
            memAvailable.set(Bytes.human(mem.memAvailableBytes()));
            memAvailableBytes = mem.memAvailableBytes();
            availableFraction.set(total > 0 ? mem.memAvailableBytes() / (double) total : 0);
            if (r.budgetBytes() != null) {
                budgetBytes = r.budgetBytes();
                budgetFraction.set(total > 0 ? r.budgetBytes() / (double) total : 0);
            }
            long sum = 0;
            boolean unlimited = false;
            for (ContainerReport c : r.daskContainers()) {
                if (c.cgroupLimitBytes() == null) {
                    unlimited = true;
                } else {
                    sum += c.cgroupLimitBytes();
                }
            }
            daskLimits.set(r.daskContainers().isEmpty() ? "no Dask" : unlimited ? "unlimited" : Bytes.human(sum));
            limitsFraction.set(total > 0 ? (unlimited ? 1.0 : Math.min(1.0, sum / (double) total)) : 0);
        }
        budget.set(Bytes.human(r.budgetBytes()));
        Finding f = r.findings().isEmpty() ? null : r.findings().get(0);
        worst.set(f == null ? "" : f.code() + (f.container() == null ? "" : " (" + f.container() + ")"));
    }

    public ObjectProperty<Status> statusProperty() {
        return status;
    }

    public StringProperty statusTextProperty() {
        return statusText;
    }

    public ObjectProperty<HostReport> reportProperty() {
        return report;
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

    public StringProperty daskLimitsProperty() {
        return daskLimits;
    }

    public StringProperty worstProperty() {
        return worst;
    }

    public StringProperty lastScanProperty() {
        return lastScan;
    }

    public DoubleProperty availableFractionProperty() {
        return availableFraction;
    }

    public DoubleProperty budgetFractionProperty() {
        return budgetFraction;
    }

    public DoubleProperty limitsFractionProperty() {
        return limitsFraction;
    }

    public long memAvailableBytes() {
        return memAvailableBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public ReadOnlyStringWrapper targetProperty() {
        return new ReadOnlyStringWrapper(target);
    }
}
