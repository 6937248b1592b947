package io.headroom.ssh.mina;

import io.headroom.ssh.SshConnector;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ServerAliveInterval and ServerAliveCountMax from the ssh config, kept by one shared scheduler
 * (decision 0038): the requests reach the server on the interval, a server that stops answering them is cut
 * after CountMax of them, and no connection gets a thread of its own for it.
 */
class KeepAliveTest extends MinaTest {
    /** Counts OpenSSH keep-alive requests; answers them (with a failure, as OpenSSH's sshd does) only if told. */
    private static final class KeepAlives extends AbstractConnectionServiceRequestHandler {
        final AtomicInteger seen = new AtomicInteger();
        final boolean answer;

        KeepAlives(boolean answer) {
            this.answer = answer;
        }

        @Override
        public Result process(ConnectionService service, String request, boolean wantReply, Buffer buffer) {
            if (!request.equals("keepalive@openssh.com")) {
                return Result.Unsupported;
            }
            seen.incrementAndGet();
            return answer ? Result.ReplyFailure : Result.Replied; // Replied: the handler "answered", so nothing is sent
        }
    }

    private SshConnector.Connection connect(KeepAlives handler, String... lines) throws Exception {
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> srv.setGlobalRequestHandlers(List.of(handler)));
        return fx.connector(fx.config(s.getPort(), lines), prompter).connect("tgt");
    }

    @Test
    void keepAlivesGoOutOnTheConfiguredIntervalWithoutAThreadPerConnection() throws Exception {
        KeepAlives handler = new KeepAlives(true);
        net.schmizz.sshj.SSHClient client;
        try (SshConnector.Connection c = connect(handler, "ServerAliveInterval 1", "ServerAliveCountMax 2")) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (handler.seen.get() < 4) {
                    Thread.sleep(100);
                }
            });
            assertTrue(c.alive(), "answered keep-alives keep the connection");
            long ownThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().contains("KeepAlive")).count();
            assertEquals(0, ownThreads, "sshj's per-connection keep-alive thread is not used");
            assertTrue(watching(c.client()), "this connection is watched");
            client = c.client();
        }
        assertFalse(watching(client), "closing a connection drops its keep-alive at once (it held the closed client until its next tick)");
    }

    private static boolean watching(net.schmizz.sshj.SSHClient client) throws Exception {
        java.lang.reflect.Method m = Class.forName("io.headroom.ssh.SharedKeepAlive").getDeclaredMethod("watching", net.schmizz.sshj.SSHClient.class);
        m.setAccessible(true);
        return (boolean) m.invoke(null, client);
    }

    @Test
    void aServerThatStopsAnsweringIsCutAfterCountMax() throws Exception {
        KeepAlives handler = new KeepAlives(false);
        try (SshConnector.Connection c = connect(handler, "ServerAliveInterval 1", "ServerAliveCountMax 2")) {
            assertTrue(c.alive());
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (c.client().getTransport().isRunning()) {
                    Thread.sleep(100);
                }
            });
            assertFalse(c.alive(), "the connection is ended, so the pool opens a new one");
            assertTrue(handler.seen.get() >= 2, "it waited for CountMax requests: " + handler.seen.get());
        }
    }
}
