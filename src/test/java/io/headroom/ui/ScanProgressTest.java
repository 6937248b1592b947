package io.headroom.ui;

import io.headroom.model.HostReport;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The running scan's row updates are coalesced: one UI runnable applies every event pending when it runs. */
class ScanProgressTest {
    /** Keeps what is posted to the UI thread until the test runs it. */
    private static final class RecordingExecutor implements BackgroundExecutor {
        final List<Runnable> posted = new ArrayList<>();

        @Override
        public <T> Task submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void onUiThread(Runnable r) {
            posted.add(r);
        }

        void runPosted() {
            List<Runnable> now = List.copyOf(posted);
            posted.clear();
            now.forEach(Runnable::run);
        }
    }

    private final IntegerProperty done = new SimpleIntegerProperty();
    private final StringProperty status = new SimpleStringProperty();

    private static Map<String, HostRow> rows(int n) {
        Map<String, HostRow> rows = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            rows.put("t" + i, new HostRow("t" + i));
        }
        return rows;
    }

    @Test
    void eventsPostedBeforeADrainAreAppliedByOneRunnable() {
        int n = 1000;
        RecordingExecutor executor = new RecordingExecutor();
        Map<String, HostRow> rows = rows(n);
        ScanProgress progress = new ScanProgress(executor, rows, n, done, status);
        List<HostReport> reports = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            progress.started("t" + i);
            if (i % 2 == 0) { // the even hosts finish before the drain, the odd ones are still scanning
                HostReport r = HostReport.failed("t" + i, "t" + i + ": connection refused", 0, 1);
                reports.add(r);
                progress.finished(r);
            }
        }
        assertEquals(1, executor.posted.size(), "2000 events, one drain posted");
        executor.runPosted();
        assertEquals(n / 2, done.get());
        assertEquals("Scanning… 500 of 1000 done", status.get());
        assertEquals(HostRow.Status.SCANNING, rows.get("t1").statusProperty().get());
        assertEquals(HostRow.Status.UNREACHABLE, rows.get("t2").statusProperty().get(), "finished supersedes started");
        assertSame(reports.get(0), rows.get("t2").reportProperty().get());
        assertEquals("unreachable: connection refused", rows.get("t2").statusTextProperty().get());

        // after a drain, the next events post the next one
        for (int i = 1; i <= n; i += 2) {
            progress.finished(HostReport.failed("t" + i, "timeout", 0, 1));
        }
        assertEquals(1, executor.posted.size());
        executor.runPosted();
        assertEquals(n, done.get());
        assertEquals("Scanning… 1000 of 1000 done", status.get());
        assertEquals(HostRow.Status.UNREACHABLE, rows.get("t999").statusProperty().get());
        assertEquals(0, executor.posted.size());
    }

    @Test
    void theSynchronousExecutorAppliesEachEventAtOnce() {
        Map<String, HostRow> rows = rows(2);
        ScanProgress progress = new ScanProgress(BackgroundExecutor.synchronous(), rows, 3, done, status);
        progress.started("t1");
        assertEquals(HostRow.Status.SCANNING, rows.get("t1").statusProperty().get());
        assertEquals(0, done.get());
        progress.finished(HostReport.failed("t1", "refused", 0, 1));
        progress.finished(HostReport.failed("not-shown", "refused", 0, 1)); // counted, no row
        assertEquals(HostRow.Status.UNREACHABLE, rows.get("t1").statusProperty().get());
        assertEquals(HostRow.Status.WAITING, rows.get("t2").statusProperty().get());
        assertEquals("Scanning… 2 of 3 done", status.get());
    }
}
