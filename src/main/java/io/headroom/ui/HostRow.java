package io.headroom.ui;

import io.headroom.engine.report.HostSummary;
import io.headroom.model.Bytes;
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

/** One VM in the cluster overview: sizes as raw bytes (formatted by the table, sorted by value), texts for the rest. */
public final class HostRow {
    /** Where the row stands. Ordered by how much attention it needs. */
    public enum Status { WAITING, SCANNING, OK, INFO, WARNING, INCOMPLETE, CRITICAL, UNREACHABLE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final String target;
    private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.WAITING);
    private final StringProperty statusText = new SimpleStringProperty("waiting");
    private final ObjectProperty<HostReport> report = new SimpleObjectProperty<>();
    /** Raw bytes (null = not known yet); the table formats them and sorts by them. */
    private final ObjectProperty<Long> memTotal = new SimpleObjectProperty<>();
    private final ObjectProperty<Long> memAvailable = new SimpleObjectProperty<>();
    private final ObjectProperty<Long> budget = new SimpleObjectProperty<>();
    private final StringProperty daskLimits = new SimpleStringProperty("–");
    private final StringProperty worst = new SimpleStringProperty("");
    private final StringProperty lastScan = new SimpleStringProperty("");
    /** Fractions of MemTotal for the inline bar: MemAvailable, budget, Σ Dask limits. */
    private final DoubleProperty availableFraction = new SimpleDoubleProperty(0);
    private final DoubleProperty budgetFraction = new SimpleDoubleProperty(0);
    private final DoubleProperty limitsFraction = new SimpleDoubleProperty(0);

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
        if (!r.complete() && sev != Severity.CRITICAL) {
            status.set(Status.INCOMPLETE);
        }
        statusText.set(r.status());
        HostSummary sum = HostSummary.of(r);
        if (sum.memTotal() != null) {
            long total = sum.memTotal();
            memTotal.set(sum.memTotal());
            memAvailable.set(sum.memAvailable());
            availableFraction.set(total > 0 ? sum.memAvailable() / (double) total : 0);
            if (sum.budget() != null) {
                budgetFraction.set(total > 0 ? sum.budget() / (double) total : 0);
            }
            daskLimits.set(r.daskContainers().isEmpty() ? "no Dask" : sum.anyUnlimited() ? "unlimited" : Bytes.human(sum.daskLimitsSum()));
            limitsFraction.set(total > 0 ? (sum.anyUnlimited() ? 1.0 : Math.min(1.0, sum.daskLimitsSum() / (double) total)) : 0);
        }
        budget.set(r.budgetBytes());
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

    /** What the overview's headroom bar draws, each figure with its exact bytes (its tooltip). */
    public String headroomBarTooltip() {
        return "MemAvailable " + exact(memAvailable.get()) + " (green)\nΣ Dask limits " + daskLimits.get() + " (blue)\nbudget "
                + exact(budget.get()) + " (red mark)\nof MemTotal " + exact(memTotal.get());
    }

    private static String exact(Long bytes) {
        return bytes == null ? "unknown" : io.headroom.model.Bytes.human(bytes) + String.format(java.util.Locale.ROOT, " = %,d bytes", bytes);
    }

    public ObjectProperty<Long> memTotalProperty() {
        return memTotal;
    }

    public ObjectProperty<Long> memAvailableProperty() {
        return memAvailable;
    }

    public ObjectProperty<Long> budgetProperty() {
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

    public ReadOnlyStringWrapper targetProperty() {
        return new ReadOnlyStringWrapper(target);
    }
}
