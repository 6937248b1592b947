package io.headroom.ui;

import io.headroom.engine.ScanListener;
import io.headroom.model.HostReport;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shows a running scan as it goes: called by the engine from its threads, it marks a host's row as
 * scanning when its probe starts, shows the host's report when it finishes, and counts the hosts done
 * on the status line, all on the UI thread.
 *
 * <p>Coalesced (docs/decisions/0034-window-at-1000-targets.md): events wait in a queue and at most one
 * drain is posted to the UI thread at a time; a drain applies every event pending then (a host's later
 * event supersedes its earlier one) and sets the count and status line once. 1000 hosts no longer post
 * 2000 runnables, each touching a row.
 */
final class ScanProgress implements ScanListener {
    /** A host's progress: its probe started (report null) or it finished with {@code report}. */
    private record Event(String target, HostReport report) {
    }

    private final BackgroundExecutor executor;
    private final Map<String, HostRow> rows;
    private final int hostCount;
    private final IntegerProperty done;
    private final StringProperty status;
    private final Queue<Event> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    /** Hosts finished as shown so far; UI thread only. */
    private int finished;

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
        post(new Event(target, null));
    }

    @Override
    public void finished(HostReport report) {
        post(new Event(report.target(), report));
    }

    private void post(Event e) {
        pending.add(e);
        if (drainPosted.compareAndSet(false, true)) {
            executor.onUiThread(this::drain);
        }
    }

    /** On the UI thread: applies every pending event, the latest per host, then the count once. */
    private void drain() {
        // cleared before polling: an event queued after this point either is polled below or posts the next drain
        drainPosted.set(false);
        Map<String, Event> latest = new LinkedHashMap<>();
        int newlyFinished = 0;
        for (Event e; (e = pending.poll()) != null; ) {
            latest.put(e.target(), e);
            if (e.report() != null) {
                newlyFinished++;
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Event e : latest.values()) {
            HostRow r = rows.get(e.target());
            if (r == null) {
                continue;
            }
            if (e.report() == null) {
                r.scanning();
            } else {
                r.show(e.report(), now);
            }
        }
        if (newlyFinished > 0) {
            finished += newlyFinished;
            done.set(finished);
            status.set("Scanning… " + finished + " of " + hostCount + " done");
        }
    }
}
