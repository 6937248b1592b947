package io.headroom.ssh.mina;

import io.headroom.ssh.Prompter.HostKeyDecision;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ProxyJump through a second in-process MINA server that allows direct-tcpip. */
class ProxyJumpTest extends MinaTest {
    final List<String> directTcpip = new CopyOnWriteArrayList<>();
    final AtomicInteger jumpSessions = new AtomicInteger();
    final AtomicInteger jumpSessionsClosed = new AtomicInteger();
    final AtomicInteger targetSessions = new AtomicInteger();

    @BeforeEach
    void setUp() {
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
    }

    private static SessionListener counting(AtomicInteger created, AtomicInteger closed) {
        return new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                created.incrementAndGet();
            }

            @Override
            public void sessionClosed(Session session) {
                if (closed != null) {
                    closed.incrementAndGet();
                }
            }
        };
    }

    private SshServer jump(boolean allowForwarding) throws Exception {
        return fx.passwordServer(MinaFixture.ecKeyPair(), s -> {
            s.addSessionListener(counting(jumpSessions, jumpSessionsClosed));
            if (allowForwarding) {
                s.setForwardingFilter(new AcceptAllForwardingFilter() {
                    @Override
                    public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
                        directTcpip.add(type + " " + address.getHostName() + ":" + address.getPort());
                        return super.canConnect(type, address, session);
                    }
                });
            } else {
                s.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
            }
        });
    }

    @Test
    void targetIsReachedThroughTheJumpHost() throws Exception {
        SshServer jump = jump(true);
        SshServer target = fx.passwordServer(MinaFixture.ecKeyPair(),
                s -> s.addSessionListener(counting(targetSessions, null)));
        SshConnector connector = fx.connector(fx.config(target.getPort(),
                "ProxyJump " + MinaFixture.USER + "@127.0.0.1:" + jump.getPort()), prompter);
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
            assertEquals(1, c.jumps().size());
            assertEquals(List.of("Direct 127.0.0.1:" + target.getPort()), directTcpip);
            assertEquals(1, jumpSessions.get());
            assertEquals(1, targetSessions.get());
            // exec on the target works through the tunnel
            try (var session = c.client().startSession()) {
                assertTrue(session.isOpen());
            }
        }
        // both hops were verified and saved under their own names, both authenticated with their own prompt
        assertEquals(List.of("password user@127.0.0.1", "password user@127.0.0.1"), prompter.callsStartingWith("password"));
        List<String> hostPrompts = prompter.callsStartingWith("hostkey");
        assertEquals(2, hostPrompts.size(), hostPrompts.toString());
        assertTrue(hostPrompts.get(0).startsWith("hostkey " + MinaFixture.hostName(jump.getPort()) + " "), hostPrompts.toString());
        assertTrue(hostPrompts.get(1).startsWith("hostkey " + MinaFixture.hostName(target.getPort()) + " "), hostPrompts.toString());
        for (int p : new int[] {jump.getPort(), target.getPort()}) {
            String found = MinaFixture.run(true, "ssh-keygen", "-F", MinaFixture.hostName(p), "-f", fx.knownHosts.toString());
            assertTrue(found.contains("ecdsa-sha2-nistp256"), "saved " + p + ": " + found);
        }
        // closing the connection closes the jump session too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (jumpSessionsClosed.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, jumpSessionsClosed.get(), "jump session closed with the connection");
    }

    @Test
    void jumpHostRefusingForwardingFailsCleanly() throws Exception {
        SshServer jump = jump(false);
        SshServer target = fx.passwordServer(MinaFixture.ecKeyPair(),
                s -> s.addSessionListener(counting(targetSessions, null)));
        SshConnector connector = fx.connector(fx.config(target.getPort(),
                "ProxyJump " + MinaFixture.USER + "@127.0.0.1:" + jump.getPort()), prompter);
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt").close()));
        assertTrue(e.getMessage().startsWith("tgt: "), MinaFixture.describe(e));
        assertEquals(0, targetSessions.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (jumpSessionsClosed.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, jumpSessionsClosed.get(), "the jump connection is closed after the failure");
    }

    @Test
    void unreachableJumpHostIsRefusedAndNamed() throws Exception {
        SshServer target = fx.passwordServer(MinaFixture.ecKeyPair(), s -> { });
        int dead = MinaFixture.closedPort();
        SshConnector connector = fx.connector(fx.config(target.getPort(),
                "ProxyJump " + MinaFixture.USER + "@127.0.0.1:" + dead), prompter);
        SshException e = assertThrows(SshException.class, () -> connector.connect("tgt").close());
        assertEquals(SshException.Kind.REFUSED, e.kind(), MinaFixture.describe(e));
        assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
    }
}
