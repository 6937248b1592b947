package io.headroom.ui;

import javafx.animation.AnimationTimer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures how long the JavaFX application thread goes without a frame: an {@link AnimationTimer}
 * asks for a pulse every frame (~16.7 ms at 60 Hz), so the gap between two {@code handle} calls is
 * the time the FX thread was busy elsewhere (a stall). Used by the GUI benchmark
 * ({@code io.headroom.bench.GuiScanBench}) and, with {@code -Dheadroom.stallMonitor=true}, by the
 * application itself, which then logs every gap over {@link #REPORT_NANOS} as it happens.
 * Not on by default: requesting a pulse every frame keeps the FX thread rendering while idle.
 *
 * <p>A gap has two causes: work on the FX thread, or the FX thread not running at all (a GC pause,
 * or no free core on a loaded machine). So each gap's FX-thread CPU time is measured too
 * ({@link #maxBusyNanos()}: the most CPU the FX thread used within one gap).
 */
public final class FxStallMonitor {
    /** Gaps longer than this (50 ms, in nanoseconds) are logged and counted. */
    public static final long REPORT_NANOS = 50_000_000L;

    private final AnimationTimer timer;
    private final boolean log;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long last;
    private long lastCpu;
    private long maxGapNanos;
    private long maxGapCpuNanos;
    private long maxBusyNanos;
    private long maxBusyAtNanos;
    private long frames;
    private long stalls;

    public FxStallMonitor(boolean log) {
        this.log = log;
        this.timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                onFrame(now);
            }
        };
    }

    /** Starts a logging monitor when the system property {@code headroom.stallMonitor} is true; FX thread only. */
    public static void startIfRequested() {
        if (Boolean.getBoolean("headroom.stallMonitor")) {
            new FxStallMonitor(true).start();
        }
    }

    private void onFrame(long now) {
        long cpu = threads.getCurrentThreadCpuTime();
        if (last != 0) {
            long gap = now - last;
            long busy = cpu - lastCpu;
            if (gap > maxGapNanos) {
                maxGapNanos = gap;
                maxGapCpuNanos = busy;
            }
            if (busy > maxBusyNanos) {
                maxBusyNanos = busy;
                maxBusyAtNanos = now;
            }
            if (gap > REPORT_NANOS) {
                stalls++;
                if (log) {
                    System.getLogger("headroom").log(System.Logger.Level.INFO, "FX thread stall: " + gap / 1_000_000
                            + " ms without a frame, " + busy / 1_000_000 + " ms of it on the FX thread's CPU");
                }
            }
        }
        last = now;
        lastCpu = cpu;
        frames++;
    }

    /** Starts measuring (FX thread only). */
    public void start() {
        timer.start();
    }

    /** Stops measuring (FX thread only). */
    public void stop() {
        timer.stop();
    }

    /** Forgets what was measured so far, e.g. after start-up (FX thread only). */
    public void reset() {
        last = 0;
        maxGapNanos = 0;
        maxGapCpuNanos = 0;
        maxBusyNanos = 0;
        maxBusyAtNanos = 0;
        frames = 0;
        stalls = 0;
    }

    /** The longest gap between two frames since start or reset, in nanoseconds (FX thread only). */
    public long maxGapNanos() {
        return maxGapNanos;
    }

    /** The FX thread's CPU time within the longest gap, in nanoseconds (FX thread only). */
    public long maxGapCpuNanos() {
        return maxGapCpuNanos;
    }

    /** The most CPU time the FX thread used within any one gap, in nanoseconds (FX thread only). */
    public long maxBusyNanos() {
        return maxBusyNanos;
    }

    /**
     * When the gap with {@link #maxBusyNanos()} ended: the frame's pulse time in the
     * {@link System#nanoTime()} scale (AnimationTimer's clock), 0 before any gap (FX thread only).
     */
    public long maxBusyAtNanos() {
        return maxBusyAtNanos;
    }

    /** Frames seen since start or reset (FX thread only). */
    public long frames() {
        return frames;
    }

    /** Gaps over {@link #REPORT_NANOS} since start or reset (FX thread only). */
    public long stalls() {
        return stalls;
    }
}
