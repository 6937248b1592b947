package io.headroom.ui;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the window collects (decision 0041): after a scan with live mode off, and when live mode is turned off; in
 * live mode after a refresh only when the heap has grown past what the last collection left; never while a scan
 * or refresh runs. Real FX timers
 * (headless Monocle); the heap's size and the collection are supplied.
 */
@ExtendWith(ApplicationExtension.class)
class IdleMemoryTrimFxTest {
    private static final long MIB = 1L << 20;
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private final BooleanProperty live = new SimpleBooleanProperty(false);
    private final AtomicLong committed = new AtomicLong(100 * MIB);
    private final AtomicLong liveAfter = new AtomicLong(60 * MIB);
    private final AtomicInteger collections = new AtomicInteger();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new Pane(), 10, 10));
        IdleMemoryTrim.install(scanning, live, committed::get, () -> {
            collections.incrementAndGet();
            return liveAfter.get();
        });
    }

    @Test
    void theGrowthRuleCollectsWhenTheHeapHasGrownByHalfTheLiveDataAndAtLeast48MiB() {
        assertFalse(IdleMemoryTrim.shouldTrim(140 * MIB, 100 * MIB, 60 * MIB), "40 MiB of growth: under the 48 MiB floor");
        assertTrue(IdleMemoryTrim.shouldTrim(149 * MIB, 100 * MIB, 60 * MIB), "49 MiB of growth with 60 MiB live");
        assertFalse(IdleMemoryTrim.shouldTrim(400 * MIB, 320 * MIB, 200 * MIB), "80 MiB of growth with 200 MiB live: under half of it");
        assertTrue(IdleMemoryTrim.shouldTrim(421 * MIB, 320 * MIB, 200 * MIB));
        // Round 7, 1000 targets: a full collection left 185 MiB committed for 114 MiB live; that state alone must not
        // collect again (the first version of this rule compared with the live data and collected after every refresh)
        assertFalse(IdleMemoryTrim.shouldTrim(185 * MIB, 185 * MIB, 114 * MIB));
        assertTrue(IdleMemoryTrim.shouldTrim(331 * MIB, 185 * MIB, 114 * MIB), "Round 7's heap after 3 minutes without a trim");
        assertFalse(IdleMemoryTrim.shouldTrim(40 * MIB, 0, 0), "before any collection: a small heap is left alone");
    }

    @Test
    void afterAScanWithLiveModeOffTheIdleWindowCollectsOnce() throws Exception {
        scanRuns();
        awaitCollections(1);
        sleep(IdleMemoryTrim.DELAY.toMillis() + 1000);
        assertEquals(1, collections.get(), "once");
    }

    @Test
    void turningLiveModeOffCollectsOnceIdle() throws Exception {
        fx(() -> live.set(true));
        fx(() -> live.set(false));
        awaitCollections(1);
    }

    @Test
    void aScanStartingWithinTheDelayCancelsTheCollection() throws Exception {
        scanRuns();
        sleep(IdleMemoryTrim.DELAY.toMillis() / 3);
        fx(() -> scanning.set(true));
        sleep(IdleMemoryTrim.DELAY.toMillis() + 1500);
        assertEquals(0, collections.get(), "never during a scan");
    }

    @Test
    void inLiveModeARefreshCollectsOnlyWhenTheHeapHasGrown() throws Exception {
        fx(() -> live.set(true));
        committed.set(400 * MIB); // nothing collected yet: 400 MiB over 0
        refresh();
        awaitCollections(1); // the first refresh over the rule collects
        // that collection left 400 MiB committed (the supplier's value when it ran) and 60 MiB live
        committed.set(440 * MIB); // 40 MiB of growth: under the 48 MiB floor
        refresh();
        refresh();
        assertEquals(1, collections.get(), "little growth, no collection");
        committed.set(460 * MIB); // 60 MiB of growth over what the last collection left
        refresh();
        awaitCollections(2);
    }

    /** Waits (up to 10 s: FX timers run late on a loaded machine) until {@code n} collections have run. */
    private void awaitCollections(int n) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> collections.get() >= n);
        assertEquals(n, collections.get());
    }

    /** One live refresh: a scan runs, then the trim's delay passes. */
    private void refresh() throws Exception {
        scanRuns();
        sleep(IdleMemoryTrim.LIVE_DELAY.toMillis() + 1000);
    }

    /** A scan (or live refresh) starts and ends: the flag goes true, then false. */
    private void scanRuns() throws Exception {
        fx(() -> scanning.set(true));
        fx(() -> scanning.set(false));
    }

    private static void fx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(5, TimeUnit.SECONDS);
    }

    private static void sleep(double millis) throws InterruptedException {
        Thread.sleep((long) millis);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
