package io.headroom.ssh.mina;

import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encrypted identity files (ssh-keygen -N) authorized by a MINA PublickeyAuthenticator: the passphrase is
 * asked once per key file and connector, the decrypted key stays in memory, nothing secret reaches disk.
 */
class EncryptedKeyAuthTest extends MinaTest {
    static final String PASSPHRASE = "secret";

    Path key;
    AtomicInteger accepted;
    SshServer server;

    @BeforeEach
    void setUp() {
        prompter.password = null; // the server offers public keys only
        prompter.hostKeyDecision = Prompter.HostKeyDecision.ACCEPT_AND_SAVE;
        accepted = new AtomicInteger();
    }

    private SshConnector start(String type) throws Exception {
        key = fx.keygen("id_" + type, type, PASSPHRASE);
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        PublicKey authorized = PublicKeyEntry.parsePublicKeyEntry(pub)
                .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        server = fx.server(MinaFixture.ecKeyPair(), s -> s.setPublickeyAuthenticator((user, k, session) -> {
            boolean ok = MinaFixture.USER.equals(user) && KeyUtils.compareKeys(authorized, k);
            if (ok) {
                accepted.incrementAndGet();
            }
            return ok;
        }));
        return fx.connector(fx.config(server.getPort(), "IdentityFile " + key), prompter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void rightPassphraseConnectsAndIsAskedOnlyOnce(String type) throws Exception {
        SshConnector connector = start(type);
        prompter.passphrase = PASSPHRASE;
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        }
        assertEquals(List.of("passphrase " + key), prompter.callsStartingWith("passphrase"));
        // the second connection through the same connector reuses the decrypted key: no prompt
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        }
        assertEquals(List.of("passphrase " + key), prompter.callsStartingWith("passphrase"));
        assertTrue(accepted.get() >= 2, "public key accepted by the server on both connections");
        assertTrue(Files.exists(fx.knownHosts), "host key saved (known_hosts written during the test)");
        // nothing secret on disk: not in the temp dir (config, keys, known_hosts) and not in known_hosts
        assertEquals(List.of(), MinaFixture.filesContaining(tmp, PASSPHRASE), "files containing the passphrase");
        assertTrue(!Files.readString(fx.knownHosts).contains(PASSPHRASE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void wrongPassphraseIsAuthFailed(String type) throws Exception {
        SshConnector connector = start(type);
        prompter.passphrase = "not-the-passphrase";
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), MinaFixture.describe(e));
        assertEquals(List.of("passphrase " + key), prompter.callsStartingWith("passphrase"));
        assertEquals(List.of(), MinaFixture.filesContaining(tmp, "not-the-passphrase"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519"})
    void skippedPassphraseIsAuthFailedWithoutHanging(String type) throws Exception {
        SshConnector connector = start(type);
        prompter.passphrase = null;
        long t0 = System.nanoTime();
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), ms + " ms: " + MinaFixture.describe(e));
        assertTrue(ms < 4000, "gave up promptly, took " + ms + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519"})
    void mistypedPassphraseCanBeRetriedOnTheNextConnect(String type) throws Exception {
        SshConnector connector = start(type);
        prompter.passphrase = "typo";
        SshException e = assertThrows(SshException.class, () -> connector.connect("tgt"));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), MinaFixture.describe(e));
        // the user retries with the right passphrase: the connector must ask again, not reuse the failed key
        prompter.passphrase = PASSPHRASE;
        SshException again = null;
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        } catch (SshException ex) {
            again = ex;
        }
        assertEquals(2, prompter.callsStartingWith("passphrase").size(),
                "asked again after a wrong passphrase; calls=" + prompter.calls
                        + (again == null ? "" : "; second connect failed: " + MinaFixture.describe(again)));
        assertEquals(null, again);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519"})
    void noPasswordPromptForAServerThatOnlyTakesPublicKeys(String type) throws Exception {
        // OpenSSH asks only for methods the server lists as able to continue ("publickey" here)
        SshConnector connector = start(type);
        prompter.passphrase = "typo";
        prompter.password = "should-not-be-asked";
        SshException e = assertThrows(SshException.class, () -> connector.connect("tgt"));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), MinaFixture.describe(e));
        assertEquals(List.of(), prompter.callsStartingWith("password"), "calls=" + prompter.calls);
        assertEquals(List.of(), prompter.callsStartingWith("kbd"), "calls=" + prompter.calls);
    }
}
