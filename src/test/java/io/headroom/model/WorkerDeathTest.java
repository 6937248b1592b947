package io.headroom.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A death's head line and figures, as `headroom deaths` prints them and the window's timeline shows them (one
 * method serves both): the README's sample, and the line with nothing known.
 */
class WorkerDeathTest {
    @Test
    void theHeadLineAndFiguresOfTheReadmesKernelKill() {
        WorkerDeath d = new WorkerDeath(Instant.parse("2026-12-06T02:56:18.729798Z"), DeathCause.KERNEL_OOM_CONTAINER, null,
                "4ae0", "i20e-deaths_worker-fast_1", "worker-fast", null, 4856, 9, 268_435_456L, 268_435_456L, "fix", List.of());
        assertEquals("2026-12-06T02:56:18.729798Z  KERNEL_OOM_CONTAINER  i20e-deaths_worker-fast_1  pid 9 in the container"
                + "  pid 4856 on the host", d.headline());
        assertEquals("limit 256.0 MiB, Dask's budget 256.0 MiB", d.figures());
    }

    @Test
    void nothingKnownSaysSo() {
        WorkerDeath d = new WorkerDeath(null, DeathCause.CONTAINER_EXITED, "no time", null, null, null,
                "tcp://10.0.0.5:4000", null, null, null, null, "fix", List.of());
        assertEquals("(no time)  CONTAINER_EXITED  (unknown container)  worker tcp://10.0.0.5:4000", d.headline());
        assertNull(d.figures());
    }
}
