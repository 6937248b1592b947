package io.headroom.ui;

import javafx.animation.PauseTransition;
import javafx.beans.value.ObservableBooleanValue;
import javafx.util.Duration;

import java.util.function.LongSupplier;

/**
 * Gives memory back to the OS between scans and between live refreshes (decision 0014, decision 0041).
 *
 * <p>The launcher runs the serial collector, whose old generation grows to hold whatever young collections
 * promote and shrinks only after a full collection (the launcher's {@code -XX:MaxHeapFreeRatio}). A scan
 * promotes its connections' and probes' garbage; in live mode every refresh replaces each host's report, which
 * has lived through many young collections by then, so the old generation fills with replaced reports and
 * grows without bound (1000 targets: from 97 to 331 MiB committed in three minutes, 114 MiB of it live).
 *
 * <ul>
 *   <li>After a scan with live mode off, and when live mode is turned off: one full collection once the window
 *       has been idle for {@link #DELAY}.</li>
 *   <li>In live mode, after a refresh ends: one full collection {@link #LIVE_DELAY} later, only when the heap
 *       has grown past what the last one left by {@link #shouldTrim the growth rule}. At 1000 targets (13 MiB of
 *       garbage a refresh) that is about every 50 s; at 20 (scaled: ~0.3 MiB a refresh, not measured) about
 *       every half hour. The first refresh of a live session collects once unless a collection ran since the
 *       scan before it.</li>
 * </ul>
 * Neither runs during a scan or a refresh. The pause is that of a full collection of the live data
 * (40–100 ms at 50 MiB on a loaded 2-core machine, more at 1000 targets: docs/performance.md).
 */
final class IdleMemoryTrim {
    /** How long the window must stay idle after a scan before the collection runs. */
    static final Duration DELAY = Duration.seconds(3);
    /** How long after a live refresh ends its collection runs (the refresh's rows have been painted by then). */
    static final Duration LIVE_DELAY = Duration.seconds(1);
    /** The least growth (bytes) over what the last collection left that makes live mode collect. */
    static final long MIN_GROWTH_BYTES = 48L << 20;

    private IdleMemoryTrim() {
    }

    /**
     * Whether live mode should collect now: the heap the JVM holds ({@code committedBytes}) has grown past what it
     * held right after the last full collection ({@code committedAfterLastBytes}) by more than half of the data
     * live then ({@code liveAfterLastBytes}), and by at least {@link #MIN_GROWTH_BYTES}. A full collection leaves
     * the heap at about 1.6 times its live data (the old generation at {@code MaxHeapFreeRatio}, the young one
     * sized from it), so the rule compares growth against that, not against the live data; the heap then peaks
     * at about 2.1 times its live data (or 1.6 times plus 48 MiB), and a window with little live data and little
     * garbage per refresh collects seldom.
     *
     * @param committedBytes          {@link Runtime#totalMemory()} now, bytes
     * @param committedAfterLastBytes {@link Runtime#totalMemory()} right after the last full collection, bytes
     *                                (0 before the first)
     * @param liveAfterLastBytes      heap in use right after the last full collection, bytes (0 before the first)
     */
    static boolean shouldTrim(long committedBytes, long committedAfterLastBytes, long liveAfterLastBytes) {
        long growth = committedBytes - committedAfterLastBytes;
        return growth > Math.max(MIN_GROWTH_BYTES, liveAfterLastBytes / 2);
    }

    /** Watches a window's scanning and live flags; call on the FX thread. */
    static void install(ObservableBooleanValue scanning, ObservableBooleanValue live) {
        install(scanning, live, Runtime.getRuntime()::totalMemory, IdleMemoryTrim::collect);
    }

    /**
     * The same with the heap's committed size and the collection supplied (tests).
     *
     * @param committed bytes the heap holds now
     * @param collect   runs a full collection and returns the bytes in use right after it
     */
    static void install(ObservableBooleanValue scanning, ObservableBooleanValue live, LongSupplier committed,
                        LongSupplier collect) {
        long[] afterLast = {0, 0}; // committed, live: bytes right after the last full collection
        Runnable trim = () -> {
            afterLast[1] = collect.getAsLong();
            afterLast[0] = committed.getAsLong();
        };
        PauseTransition idle = new PauseTransition(DELAY);
        idle.setOnFinished(e -> {
            if (!scanning.get() && !live.get()) {
                trim.run();
            }
        });
        PauseTransition afterRefresh = new PauseTransition(LIVE_DELAY);
        afterRefresh.setOnFinished(e -> {
            if (!scanning.get() && live.get() && shouldTrim(committed.getAsLong(), afterLast[0], afterLast[1])) {
                trim.run();
            }
        });
        live.addListener((o, was, now) -> {
            if (!now && !scanning.get()) {
                idle.playFromStart(); // what live mode grew is given back once it stops, not at the next scan
            }
        });
        scanning.addListener((o, was, now) -> {
            if (now) {
                idle.stop();
                afterRefresh.stop();
            } else if (live.get()) {
                afterRefresh.playFromStart();
            } else {
                idle.playFromStart();
            }
        });
    }

    /** One full collection; the heap in use right after it, bytes. */
    private static long collect() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
