package io.headroom.ui;

import io.headroom.engine.ScanListener;
import io.headroom.model.HostReport;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.StringProperty;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows a running scan as it goes: called by the engine from its threads, it marks a host's row as
 * scanning when its probe starts, shows the host's report when it finishes, and counts the hosts done
 * on the status line, all on the UI thread.
 */
final class ScanProgress implements ScanListener {
    private final BackgroundExecutor executor;
    private final Map<String, HostRow> rows;
    private final int hostCount;
    private final IntegerProperty done;
    private final StringProperty status;
    private final AtomicInteger finished = new AtomicInteger();

    /** @param rows the rows by target; targets without a row are counted but not shown */
    ScanProgress(BackgroundExecutor executor, Map<String, HostRow> rows, int hostCount, IntegerProperty done,
            StringProperty status) {
        this.executor = executor;
        this.rows = rows;
        this.hostCount = hostCount;
        this.done = done;
        this.status = status;
    }

    @Override
    public void started(String target) {
        executor.onUiThread(() -> {
            HostRow r = rows.get(target);
            if (r != null) {
                r.scanning();
            }
        });
    }

    @Override
    public void finished(HostReport report) {
        int n = finished.incrementAndGet();
        executor.onUiThread(() -> {
            HostRow r = rows.get(report.target());
            if (r != null) {
                r.show(report, System.currentTimeMillis());
            }
            done.set(n);
            status.set("Scanning… " + n + " of " + hostCount + " done");
        });
    }
}
