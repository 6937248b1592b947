package io.headroom.ui;

import javafx.animation.PauseTransition;
import javafx.beans.value.ObservableBooleanValue;
import javafx.util.Duration;

/**
 * Gives memory back to the OS once a one-off scan has finished and the window sits idle.
 *
 * <p>A scan of a large fleet allocates about 0.3 MiB per SSH connection (sshj's 256 KiB packet
 * buffer) plus the probe outputs; connections beyond the warm cap close right after their probe,
 * but the serial collector has promoted their buffers and grows the heap instead of collecting
 * it. One full collection shortly after the scan returns that memory (the launcher's
 * {@code -XX:MaxHeapFreeRatio} lets the heap shrink). It runs only when no scan runs and live
 * mode is off, {@link #DELAY} after the last scan ended: a pause of tens of milliseconds while the
 * user reads the results, never during a scan or a live refresh
 * (docs/decisions/0014-warm-connection-cap.md).
 */
final class IdleMemoryTrim {
    /** How long the window must stay idle after a scan before the collection runs. */
    static final Duration DELAY = Duration.seconds(3);

    private IdleMemoryTrim() {
    }

    /** Watches a window's scanning and live flags; call on the FX thread. */
    static void install(ObservableBooleanValue scanning, ObservableBooleanValue live) {
        PauseTransition idle = new PauseTransition(DELAY);
        idle.setOnFinished(e -> {
            if (!scanning.get() && !live.get()) {
                System.gc();
            }
        });
        scanning.addListener((o, was, now) -> {
            if (now) {
                idle.stop();
            } else if (!live.get()) {
                idle.playFromStart();
            }
        });
    }
}
