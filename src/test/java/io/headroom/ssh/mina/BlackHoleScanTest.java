package io.headroom.ssh.mina;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.ssh.SshProbeRunner;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 targets, 20% of them black holes, scanned at once through the real transport (ssh -G, sshj, the pool):
 * 20 accept TCP and never speak (connect phase), 20 authenticate and then never answer the probe (probe phase), 160
 * answer with a lab capture. Every black hole must end as a timeout of the engine's own deadlines (the connect timeout
 * with its watchdog, the probe deadline), reached over TCP once, and every healthy target must be scanned; a scan that
 * hangs fails at three probe timeouts. How long the scan took is printed, not asserted: a wall-clock bound in a unit
 * test fails on a loaded machine (it did at load 14–28); lab/bench measures speed.
 */
class BlackHoleScanTest {
    static final int TARGETS = 200;
    static final int SILENT_TCP = 20;
    static final int SILENT_PROBE = 20;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    MinaFixture fx;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        fx.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void twentyPercentBlackHolesEndAsTimeoutsAndEveryHealthyTargetIsScanned() throws Exception {
        fx = new MinaFixture(tmp);
        String capture = FixtureRunners.fixture("/fixtures/lab/s0-oom-kill.txt");
        KeyPair goodKey = MinaFixture.ecKeyPair();
        KeyPair silentKey = MinaFixture.ecKeyPair();
        SshServer good = fx.commandServer(goodKey, (cmd, in, out, err, c) -> {
            in.readAllBytes();
            String nonce = cmd.split(" ")[3];
            out.write(capture.replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":", "==HR:" + nonce + ":")
                    .getBytes(StandardCharsets.UTF_8));
            return 0;
        });
        SshServer silent = fx.commandServer(silentKey, (cmd, in, out, err, c) -> {
            Thread.sleep(Long.MAX_VALUE); // authenticated, then never a byte
            return null;
        });
        ServerSocket hole = new ServerSocket(0, 500, InetAddress.getLoopbackAddress());
        fx.register(hole);
        Thread acceptor = new Thread(() -> {
            while (!hole.isClosed()) {
                try {
                    accepted.add(hole.accept()); // accepts, never speaks
                } catch (IOException e) {
                    return;
                }
            }
        }, "black-hole");
        acceptor.setDaemon(true);
        acceptor.start();

        Files.writeString(fx.knownHosts, MinaFixture.hostName(good.getPort()) + " " + PublicKeyEntry.toString(goodKey.getPublic())
                + "\n" + MinaFixture.hostName(silent.getPort()) + " " + PublicKeyEntry.toString(silentKey.getPublic()) + "\n");
        Path cfg = tmp.resolve("ssh_config");
        // 180 handshakes at once on a small shared CI machine take seconds: the healthy hosts get a connect timeout
        // that covers that, the black holes a short one; the probe timeout bounds both
        Files.writeString(cfg, "Host good-*\n  Port " + good.getPort() + "\n  ConnectTimeout 15\n"
                + "Host silent-*\n  Port " + silent.getPort() + "\n  ConnectTimeout 15\n"
                + "Host hole-*\n  Port " + hole.getLocalPort() + "\n  ConnectTimeout 5\n"
                + "Host *\n  HostName 127.0.0.1\n  User " + MinaFixture.USER + "\n  IdentitiesOnly yes\n"
                + "  IdentityFile " + tmp.resolve("no_such_key") + "\n  UserKnownHostsFile " + fx.knownHosts
                + "\n  GlobalKnownHostsFile /dev/null\n");

        List<String> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add(i % 10 == 3 ? "hole-" + i : i % 10 == 7 ? "silent-" + i : "good-" + i);
        }
        MinaFixture.RecordingPrompter prompter = new MinaFixture.RecordingPrompter();
        ScanReport report;
        long ms;
        try (TransportRunners runners = new TransportRunners(prompter,
                new TransportRunners.Options(cfg, Duration.ofSeconds(5), SshProbeRunner.SudoMode.AUTO))) {
            ScanEngine engine = new ScanEngine(runners, "t");
            long t0 = System.nanoTime();
            // a hang would fail here rather than stall the build
            report = assertTimeoutPreemptively(PROBE_TIMEOUT.multipliedBy(3), () ->
                    engine.scan(targets, new ScanOptions(null, PROBE_TIMEOUT, TARGETS), ScanListener.NONE));
            ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        int scanned = 0;
        for (HostReport h : report.hosts()) {
            if (h.target().startsWith("good-")) {
                assertTrue(h.scanned(), h.target() + ": " + h.errors());
                scanned++;
            } else {
                assertTrue(!h.scanned() && h.errors().size() == 1, h.target() + ": " + h.errors());
                String e = h.errors().get(0);
                assertTrue(e.contains("timed out") || e.contains("did not finish within"), h.target() + ": " + e);
            }
        }
        assertEquals(TARGETS - SILENT_TCP - SILENT_PROBE, scanned);
        assertEquals(SILENT_TCP, accepted.size(), "each black hole was reached over TCP once (no retry storm)");
        System.err.println("BlackHoleScanTest: " + TARGETS + " targets, " + (SILENT_TCP + SILENT_PROBE)
                + " black holes, scan took " + ms + " ms (probe timeout " + PROBE_TIMEOUT.toMillis() + " ms)");
    }
}
