package io.headroom.ssh.mina;

import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hosts that never answer, refuse, do not exist, or do not speak SSH: classified, and never a hang. */
class ConnectFailureTest extends MinaTest {
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        for (Socket s : accepted) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** A loopback TCP server that accepts and hands each socket to {@code onAccept}. */
    private int tcpServer(Consumer<Socket> onAccept) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        fx.register(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    accepted.add(s);
                    onAccept.accept(s);
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-server");
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    /** Loads sshj's classes first so the timed part measures the watchdog, not class loading. */
    private void warmUp() throws Exception {
        SshConnector c = fx.connector(fx.config(MinaFixture.closedPort()), prompter);
        assertThrows(SshException.class, () -> c.connect("tgt").close());
    }

    private SshException fails(SshConnector c, Duration within) {
        return assertTimeoutPreemptively(within, () -> assertThrows(SshException.class, () -> c.connect("tgt").close()));
    }

    @Test
    void blackHoleTimesOutWithinConnectTimeoutPlusWatchdog() throws Exception {
        warmUp();
        int port = tcpServer(s -> { }); // accepts, never speaks
        SshConnector c = fx.connector(fx.config(port, "ConnectTimeout 1"), prompter);
        long t0 = System.nanoTime();
        SshException e = fails(c, Duration.ofSeconds(15));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(SshException.Kind.TIMED_OUT, e.kind(), MinaFixture.describe(e));
        // 1 s ConnectTimeout + 2 s watchdog; generous slack for a loaded CI machine, far below a hang
        assertTrue(ms >= 1000 && ms < 3000 + 5000, "1 s ConnectTimeout + 2 s watchdog, took " + ms + " ms");
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertEquals(1, accepted.size(), "the TCP connection was made");
        assertTrue(prompter.calls.isEmpty(), prompter.calls.toString());
    }

    @Test
    void serverThatSendsItsBannerThenStallsTimesOut() throws Exception {
        // TCP and the SSH identification line arrive, then nothing (no KEXINIT): still a time-out for the user
        warmUp();
        int port = tcpServer(s -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write("SSH-2.0-Stalled_1.0\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // client gone
            }
        });
        SshConnector c = fx.connector(fx.config(port, "ConnectTimeout 1"), prompter);
        long t0 = System.nanoTime();
        SshException e = fails(c, Duration.ofSeconds(15));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 8000, "took " + ms + " ms");
        assertEquals(SshException.Kind.TIMED_OUT, e.kind(), MinaFixture.describe(e));
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port = MinaFixture.closedPort();
        SshConnector c = fx.connector(fx.config(port), prompter);
        SshException e = fails(c, Duration.ofSeconds(10));
        assertEquals(SshException.Kind.REFUSED, e.kind(), MinaFixture.describe(e));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void unresolvableNameIsNameNotFound() throws Exception {
        SshConnector c = fx.connector(fx.config("no-such-host.invalid", 22), prompter);
        SshException e = fails(c, Duration.ofSeconds(15));
        assertEquals(SshException.Kind.NAME_NOT_FOUND, e.kind(), MinaFixture.describe(e));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void nonSshServerIsAPlainDisconnectNotAHang() throws Exception {
        int port = tcpServer(s -> {
            try (s) {
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // client gone
            }
        });
        SshConnector c = fx.connector(fx.config(port), prompter);
        SshException e = fails(c, Duration.ofSeconds(10));
        assertEquals(SshException.Kind.DISCONNECTED, e.kind(), MinaFixture.describe(e));
        assertFalse(e.getMessage().isBlank());
        assertTrue(prompter.calls.isEmpty(), prompter.calls.toString());
    }

    @Test
    void malformedTargetIsUsage() {
        SshConnector c = fx.connector(tmp.resolve("unused_config"), prompter);
        SshException e = assertThrows(SshException.class, () -> c.connect("user@host;rm -rf /"));
        assertEquals(SshException.Kind.USAGE, e.kind(), MinaFixture.describe(e));
    }
}
