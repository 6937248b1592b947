package io.headroom.it;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.model.HostReport;
import io.headroom.ssh.OpenSshServer;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real sshd is killed (with its sessions) in the middle of a probe, then restarted: the scan in flight ends
 * promptly with a clear error for the host, never a hang, and the next scan over the same warm pool reconnects to
 * the restarted sshd and succeeds.
 */
@Needs({Need.SSHD})
class SshdRestartIT {
    @Test
    void sshdKilledMidProbeIsReportedAndTheRestartedSshdIsScannedAgain() throws Exception {
        // every exec waits 4 s before running the probe, so the kill lands mid-probe, not between scans
        OpenSshServer server = OpenSshServer.start("ForceCommand sleep 4; eval \"$SSH_ORIGINAL_COMMAND\"");
        OpenSshServer restarted = null;
        try {
            Path work = Files.createTempDirectory("headroom-restart");
            Path kh = work.resolve("known_hosts");
            Files.writeString(kh, server.knownHostsLine() + "\n");
            Path cfg = work.resolve("ssh_config");
            Files.writeString(cfg, "Host *\n  IdentityFile " + server.clientKey + "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
                    + kh + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
            ScanOptions options = new ScanOptions(null, Duration.ofSeconds(40), 4);
            try (TransportRunners runners = new TransportRunners(Prompter.NON_INTERACTIVE,
                    new TransportRunners.Options(cfg, Duration.ofSeconds(10), SshProbeRunner.SudoMode.NEVER))) {
                ScanEngine engine = new ScanEngine(runners, "t");
                HostReport warm = engine.scan(List.of(server.target()), options, ScanListener.NONE).hosts().get(0);
                assertTrue(warm.scanned(), "first scan: " + warm.errors());

                CompletableFuture<HostReport> inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return engine.scan(List.of(server.target()), options, ScanListener.NONE).hosts().get(0);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(1500);
                long t0 = System.nanoTime();
                server.crash();
                HostReport killed = inFlight.get(60, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertFalse(killed.scanned(), "the probe cannot have finished: " + killed);
                String error = String.join(" ", killed.errors());
                assertTrue(error.contains(server.target()) && (error.contains("connection") || error.contains("refused")),
                        "a clear error naming the host: " + error);
                assertTrue(ms < 15_000, "reported " + ms + " ms after the kill, not at the 40 s deadline: " + error);

                restarted = server.restart();
                HostReport again = engine.scan(List.of(server.target()), options, ScanListener.NONE).hosts().get(0);
                assertTrue(again.scanned(), "after the restart: " + again.errors());
            }
        } finally {
            server.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
