package io.headroom.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race a fresh-clone CI run hit once in SshKeyTypesIT: a server with no cipher in common fails the negotiation
 * on sshj's reader thread, which closes the transport before {@code connect} starts its own key exchange; sshj then
 * throws {@code IllegalStateException("Not connected")}, reported as "internal error" instead of the missing cipher.
 * A client whose key exchange waits for the transport to die makes the interleaving certain.
 */
class LostConnectionTest {
    private SshServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }

    /** An in-process server that speaks only aes128-cbc, which OpenSSH's client (and so Headroom) no longer offers. */
    private int cbcOnlyServer() throws Exception {
        return server(List.of(BuiltinCiphers.aes128cbc));
    }

    /** An in-process server with only {@code ciphers} (MINA's defaults when empty). */
    private int server(List<NamedFactory<Cipher>> ciphers) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(g.generateKeyPair()));
        if (!ciphers.isEmpty()) {
            server.setCipherFactories(ciphers);
        }
        server.start();
        return server.getPort();
    }

    /** Starts sshj's own key exchange only after its reader thread failed the negotiation and closed the transport. */
    private static final class LateKex extends SSHClient {
        LateKex() throws SshException {
            super(SshjConfigs.of(SshAlgorithms.OPENSSH_DEFAULTS));
        }

        @Override
        protected void doKex() throws TransportException {
            long end = System.nanoTime() + 10_000_000_000L;
            while (getTransport().isRunning() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            super.doKex();
        }
    }

    @Test
    void aNegotiationThatFailsBeforeConnectStartsItsKeyExchangeIsReportedAsTheMissingAlgorithm() throws Exception {
        int port = cbcOnlyServer();
        try (SSHClient client = new LateKex()) {
            IOException e = assertThrows(IOException.class, () -> SshConnector.handshake(client, "127.0.0.1", port, null));
            SshException explained = NoCommonAlgorithm.explain("old", "127.0.0.1:" + port, e);
            assertTrue(explained != null, "the negotiation's failure is the reason: " + e);
            assertEquals(SshException.Kind.NO_COMMON_ALGORITHM, explained.kind());
            assertTrue(explained.getMessage().contains("no Ciphers in common. The server offers aes128-cbc;"), explained.getMessage());
        }
    }

    @Test
    void aSessionOnAClosedTransportIsAnIoException() throws Exception {
        int port = cbcOnlyServer();
        try (SSHClient client = new LateKex()) {
            assertThrows(IOException.class, () -> SshConnector.handshake(client, "127.0.0.1", port, null));
            IOException e = assertThrows(IOException.class, () -> LostConnection.rethrown(client, client::startSession));
            assertTrue(String.valueOf(e.getMessage()).contains("Unable to reach a settlement"), String.valueOf(e));
            assertEquals("Not connected", e.getSuppressed()[0].getMessage(), "sshj's own exception is kept, suppressed");
            // on the dead transport too, a state error that is not sshj's "Not connected" is not taken for the cause
            IllegalStateException bug = new IllegalStateException("a bug");
            assertEquals(bug, assertThrows(IllegalStateException.class, () -> LostConnection.rethrown(client, () -> {
                throw bug;
            })));
        }
    }

    @Test
    void aStateErrorWhileTheTransportRunsIsNotTakenForALostConnection() throws Exception {
        try (SSHClient never = new SSHClient()) {
            // never connected: nothing recorded a cause of death
            IOException e = assertThrows(IOException.class, () -> LostConnection.rethrown(never, never::startSession));
            assertEquals("the connection was closed", e.getMessage());
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        }
        int port = server(List.of());
        try (SSHClient client = new SSHClient(SshjConfigs.of(SshAlgorithms.OPENSSH_DEFAULTS))) {
            client.addHostKeyVerifier(new net.schmizz.sshj.transport.verification.PromiscuousVerifier());
            SshConnector.handshake(client, "127.0.0.1", port, null);
            IllegalStateException bug = new IllegalStateException("a bug");
            assertEquals(bug, assertThrows(IllegalStateException.class, () -> LostConnection.rethrown(client, () -> {
                throw bug;
            })));
        }
    }
}
