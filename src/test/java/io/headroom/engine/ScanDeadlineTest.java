package io.headroom.engine;

import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.probe.ProbeRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's own deadline: a runner that ignores its timeout cannot hold a scan. */
class ScanDeadlineTest {
    @Test
    void aRunnerThatIgnoresItsTimeoutIsCutAtTheTimeoutPlusFivePercent() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        ProbeRunner stubborn = (nonce, timeout) -> {
            try {
                Thread.sleep(60_000); // ignores the timeout it was given
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return new ProbeRunner.ProbeOutput("", "", 0, false);
        };
        ProbeRunners fixtures = FixtureRunners.of(java.util.Map.of("ok", "/fixtures/lab/s1-no-limit.txt"));
        ScanEngine engine = new ScanEngine(t -> t.equals("stuck") ? stubborn : fixtures.forTarget(t), "t");
        long t0 = System.nanoTime();
        ScanReport r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.scan(List.of("stuck", "ok"),
                new ScanOptions(null, Duration.ofSeconds(2), 4), ScanListener.NONE));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 2000 * 11 / 10 + 500, "took " + ms + " ms");
        HostReport stuck = r.hosts().get(0);
        assertEquals(List.of("stuck: no answer within 2 s (timed out)"), stuck.errors());
        assertTrue(r.hosts().get(1).scanned(), "the other target is unaffected");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the late work was interrupted");
    }
}
