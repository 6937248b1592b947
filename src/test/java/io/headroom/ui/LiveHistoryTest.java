package io.headroom.ui;

import io.headroom.ui.MainViewModel.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live mode's memory history: series per target and name, capped, oldest dropped first. */
class LiveHistoryTest {
    @Test
    void keepsTheNewestSamplesUpToTheCap() {
        LiveHistory history = new LiveHistory();
        for (int i = 0; i < MainViewModel.HISTORY + 5; i++) {
            history.add("vm-a", "MemAvailable", new Sample(i, 1000L + i));
        }
        List<Sample> kept = history.memAvailable("vm-a");
        assertEquals(MainViewModel.HISTORY, kept.size());
        assertEquals(new Sample(5, 1005), kept.get(0), "the oldest five are dropped");
        assertEquals(new Sample(MainViewModel.HISTORY + 4, 1000L + MainViewModel.HISTORY + 4), kept.get(kept.size() - 1));
    }

    @Test
    void keepsEachTargetAndSeriesApartAndHandsOutCopies() {
        LiveHistory history = new LiveHistory();
        history.add("vm-a", "worker-1", new Sample(1, 10));
        history.add("vm-b", "worker-1", new Sample(1, 20));
        assertEquals(List.of(new Sample(1, 10)), history.samples("vm-a", "worker-1"));
        assertEquals(List.of(new Sample(1, 20)), history.samples("vm-b", "worker-1"));
        assertTrue(history.memAvailable("vm-a").isEmpty());
        assertTrue(history.samples("vm-c", "worker-1").isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> history.samples("vm-a", "worker-1").add(new Sample(2, 0)));
    }

    @Test
    void dropsAContainersSeriesOnceItLeftTheHostsWindow() {
        LiveHistory history = new LiveHistory();
        // worker-old runs for the first 3 refreshes, then is replaced by worker-new
        for (int i = 0; i < MainViewModel.HISTORY + 3; i++) {
            history.add("vm-a", "MemAvailable", new Sample(i, 1000));
            history.add("vm-a", i < 3 ? "worker-old" : "worker-new", new Sample(i, 10));
            history.dropLeftContainers("vm-a");
            if (i == MainViewModel.HISTORY + 1) {
                assertEquals(3, history.samples("vm-a", "worker-old").size(), "its last sample (at 2) is still in the window [2, ...]");
            }
        }
        assertTrue(history.samples("vm-a", "worker-old").isEmpty(), "ended before the window's oldest sample (3)");
        assertEquals(MainViewModel.HISTORY, history.samples("vm-a", "worker-new").size());
        assertEquals(MainViewModel.HISTORY, history.memAvailable("vm-a").size());
    }
}
