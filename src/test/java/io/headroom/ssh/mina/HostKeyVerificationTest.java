package io.headroom.ssh.mina;

import io.headroom.ssh.Prompter.HostKeyDecision;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host key checking against a MINA server with a known ECDSA host key: TOFU prompts, saving (hashed),
 * refusal with the OpenSSH fingerprint, changed keys, hashed entries, markers, StrictHostKeyChecking.
 */
class HostKeyVerificationTest extends MinaTest {
    KeyPair hostKey;
    SshServer server;
    int port;
    String fingerprint;

    @BeforeEach
    void setUp() throws Exception {
        hostKey = MinaFixture.ecKeyPair();
        server = fx.passwordServer(hostKey, s -> { });
        port = server.getPort();
        Path pub = fx.writePub("server_host_key.pub", hostKey.getPublic());
        // what OpenSSH itself prints: "256 SHA256:... test (ECDSA)"
        fingerprint = MinaFixture.run("ssh-keygen", "-lf", pub.toString()).strip().split("\\s+")[1];
        assertTrue(fingerprint.startsWith("SHA256:"), fingerprint);
    }

    private SshConnector connector(String... lines) throws Exception {
        return fx.connector(fx.config(port, lines), prompter);
    }

    private void connectOk(SshConnector c) throws SshException {
        try (SshConnector.Connection conn = c.connect("tgt")) {
            assertTrue(conn.alive());
        }
    }

    private SshException connectFails(SshConnector c) {
        return assertThrows(SshException.class, () -> c.connect("tgt").close());
    }

    private String expectedPrompt() {
        return "hostkey " + MinaFixture.hostName(port) + " ecdsa-sha2-nistp256 " + fingerprint;
    }

    @Test
    void unknownKeyAcceptedOnceConnectsAndLeavesKnownHostsAlone() throws Exception {
        Files.writeString(fx.knownHosts, "other.example " + PublicKeyEntry.toString(MinaFixture.ecKeyPair().getPublic()) + "\n");
        byte[] before = Files.readAllBytes(fx.knownHosts);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_ONCE;
        connectOk(connector());
        assertEquals(List.of(expectedPrompt()), prompter.callsStartingWith("hostkey"));
        assertArrayEquals(before, Files.readAllBytes(fx.knownHosts));
    }

    @Test
    void unknownKeyAcceptedAndSavedAppendsOneHashedLineOpenSshFinds() throws Exception {
        String existing = "other.example " + PublicKeyEntry.toString(MinaFixture.ecKeyPair().getPublic()) + "\n";
        Files.writeString(fx.knownHosts, existing);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        SshConnector c = connector();
        connectOk(c);
        assertEquals(List.of(expectedPrompt()), prompter.callsStartingWith("hostkey"));
        String after = Files.readString(fx.knownHosts);
        assertTrue(after.startsWith(existing), "appended, not rewritten");
        List<String> added = after.substring(existing.length()).lines().toList();
        assertEquals(1, added.size(), after);
        assertTrue(added.get(0).startsWith("|1|"), "hashed: " + added.get(0));
        assertTrue(added.get(0).endsWith(PublicKeyEntry.toString(hostKey.getPublic())), added.get(0));
        String found = MinaFixture.run("ssh-keygen", "-F", MinaFixture.hostName(port), "-f", fx.knownHosts.toString());
        assertTrue(found.contains(PublicKeyEntry.toString(hostKey.getPublic())), found);
        // now known: the next connection does not ask, even with a prompter that would refuse
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        connectOk(connector());
        assertEquals(1, prompter.callsStartingWith("hostkey").size());
    }

    @Test
    void savedEntryStartsOnItsOwnLineWhenFileLacksFinalNewline() throws Exception {
        String existing = "other.example " + PublicKeyEntry.toString(MinaFixture.ecKeyPair().getPublic());
        Files.writeString(fx.knownHosts, existing);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        connectOk(connector());
        List<String> lines = Files.readString(fx.knownHosts).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(existing, lines.get(0));
        assertTrue(lines.get(1).startsWith("|1|"));
    }

    @Test
    void savedIntoMissingKnownHostsFileCreatesIt() throws Exception {
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        connectOk(connector());
        assertEquals(1, Files.readString(fx.knownHosts).lines().count());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fx.knownHosts)));
    }

    @Test
    void rejectedKeyIsHostKeyUnknownWithOpenSshFingerprint() throws Exception {
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind(), MinaFixture.describe(e));
        assertTrue(e.getMessage().contains(fingerprint), e.getMessage() + " should name " + fingerprint);
        assertEquals(List.of(expectedPrompt()), prompter.callsStartingWith("hostkey"));
        assertFalse(Files.exists(fx.knownHosts), "nothing written for a rejected key");
        assertTrue(prompter.callsStartingWith("password").isEmpty(), "no secrets asked for an untrusted host");
    }

    @Test
    void changedKeyIsRefusedEvenWhenThePrompterWouldAccept() throws Exception {
        fx.knownHost(MinaFixture.hostName(port), MinaFixture.ecKeyPair().getPublic());
        byte[] before = Files.readAllBytes(fx.knownHosts);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind(), MinaFixture.describe(e));
        assertTrue(e.getMessage().contains(fingerprint), e.getMessage());
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), "no prompt for a changed key");
        assertTrue(prompter.callsStartingWith("password").isEmpty(), "no secrets sent to an impostor");
        assertArrayEquals(before, Files.readAllBytes(fx.knownHosts));
    }

    @Test
    void changedKeyReportsBothFingerprintsAndTheKnownHostsLine() throws Exception {
        KeyPair old = MinaFixture.ecKeyPair();
        String oldFingerprint = MinaFixture.run("ssh-keygen", "-lf", fx.writePub("old.pub", old.getPublic()).toString())
                .strip().split("\\s+")[1];
        Files.writeString(fx.knownHosts, "# the lab\nother.example " + PublicKeyEntry.toString(MinaFixture.ecKeyPair().getPublic())
                + "\n" + MinaFixture.hostName(port) + " " + PublicKeyEntry.toString(old.getPublic()) + "\n");
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind(), MinaFixture.describe(e));
        assertEquals(1, prompter.changes.size(), prompter.calls.toString());
        var m = prompter.changes.get(0);
        assertEquals(MinaFixture.hostName(port), m.host());
        assertEquals(fingerprint, m.offeredFingerprint());
        assertEquals(oldFingerprint, m.knownFingerprint());
        assertEquals("ecdsa-sha2-nistp256", m.knownType());
        assertEquals(fx.knownHosts, m.knownHostsFile());
        assertEquals(3, m.line());
        assertEquals("ssh-keygen -R '" + MinaFixture.hostName(port) + "' -f '" + fx.knownHosts + "'", m.removeCommand());
        assertTrue(e.getMessage().contains(fx.knownHosts + " line 3 has ecdsa-sha2-nistp256 " + oldFingerprint), e.getMessage());
        // what ssh-keygen itself finds there: the same line
        assertTrue(MinaFixture.run("ssh-keygen", "-F", MinaFixture.hostName(port), "-f", fx.knownHosts.toString())
                .contains("found: line 3"));
    }

    @Test
    void changedKeyIsRefusedUnderAcceptNewToo() throws Exception {
        fx.knownHost(MinaFixture.hostName(port), MinaFixture.ecKeyPair().getPublic());
        byte[] before = Files.readAllBytes(fx.knownHosts);
        SshException e = connectFails(connector("StrictHostKeyChecking accept-new"));
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind(), MinaFixture.describe(e));
        assertArrayEquals(before, Files.readAllBytes(fx.knownHosts));
    }

    @Test
    void entryForDefaultPortDoesNotCoverOtherPort() throws Exception {
        // "127.0.0.1 <other key>" is for port 22 only: this server is unknown, not changed (OpenSSH put_host_port)
        fx.knownHost("127.0.0.1", MinaFixture.ecKeyPair().getPublic());
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_ONCE;
        connectOk(connector());
        assertEquals(List.of(expectedPrompt()), prompter.callsStartingWith("hostkey"));
    }

    @Test
    void hashedEntryMadeBySshKeygenIsHonoured() throws Exception {
        fx.knownHost(MinaFixture.hostName(port), hostKey.getPublic());
        MinaFixture.run("ssh-keygen", "-H", "-f", fx.knownHosts.toString());
        String hashed = Files.readString(fx.knownHosts);
        assertTrue(hashed.startsWith("|1|") && !hashed.contains("127.0.0.1"), hashed);
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        connectOk(connector());
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), prompter.calls.toString());
    }

    @Test
    void hashedEntryWithOtherKeyIsChanged() throws Exception {
        fx.knownHost(MinaFixture.hostName(port), MinaFixture.ecKeyPair().getPublic());
        MinaFixture.run("ssh-keygen", "-H", "-f", fx.knownHosts.toString());
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind(), MinaFixture.describe(e));
    }

    @Test
    void certAuthorityLineAloneDoesNotTrustAPlainKey() throws Exception {
        Files.writeString(fx.knownHosts, "@cert-authority " + MinaFixture.hostName(port) + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind(), MinaFixture.describe(e));
        assertEquals(List.of(expectedPrompt()), prompter.callsStartingWith("hostkey"));
    }

    @Test
    void revokedKeyIsRefusedEvenWhenAlsoListedAsKnown() throws Exception {
        String key = PublicKeyEntry.toString(hostKey.getPublic());
        Files.writeString(fx.knownHosts, MinaFixture.hostName(port) + " " + key + "\n@revoked * " + key + "\n");
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        SshException e = connectFails(connector());
        assertEquals(SshException.Kind.HOST_KEY_REVOKED, e.kind(), MinaFixture.describe(e));
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty());
    }

    @Test
    void strictHostKeyCheckingYesRefusesUnknownKeyWithoutPrompting() throws Exception {
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE; // must not even be asked
        SshException e = null;
        try (SshConnector.Connection c = connector("StrictHostKeyChecking yes").connect("tgt")) {
            // falls through to the assertions below
        } catch (SshException ex) {
            e = ex;
        }
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(),
                "StrictHostKeyChecking yes (ssh -G prints 'stricthostkeychecking true') must not prompt; calls="
                        + prompter.calls);
        assertTrue(e != null, "connection to an unknown host must be refused under StrictHostKeyChecking yes");
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind(), MinaFixture.describe(e));
        assertFalse(Files.exists(fx.knownHosts));
    }

    @Test
    void acceptNewSavesWithoutPrompting() throws Exception {
        prompter.hostKeyDecision = HostKeyDecision.REJECT; // must not be asked
        connectOk(connector("StrictHostKeyChecking accept-new"));
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), prompter.calls.toString());
        String found = MinaFixture.run("ssh-keygen", "-F", MinaFixture.hostName(port), "-f", fx.knownHosts.toString());
        assertTrue(found.contains(PublicKeyEntry.toString(hostKey.getPublic())), found);
    }

    @Test
    void hostKeyAliasIsLookedUpAsOpenSshDoes() throws Exception {
        // OpenSSH records/looks up the bare alias (no [alias]:port) when HostKeyAlias is set
        fx.knownHost("myvm", hostKey.getPublic());
        Path cfg = fx.config(port, "HostKeyAlias myvm");
        // ground truth: the real OpenSSH client accepts this host key (it then fails auth in batch mode)
        String openssh = MinaFixture.run(true, "ssh", "-F", cfg.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "tgt", "true");
        assertFalse(openssh.contains("Host key verification failed"), openssh);
        assertTrue(openssh.contains("Permission denied"), openssh);
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        SshException e = null;
        try (SshConnector.Connection c = fx.connector(cfg, prompter).connect("tgt")) {
            assertTrue(c.alive());
        } catch (SshException ex) {
            e = ex;
        }
        assertEquals(null, e == null ? null : MinaFixture.describe(e),
                "known_hosts has 'myvm <key>' as OpenSSH wrote it; prompts=" + prompter.calls);
    }

    @Test
    void commaSeparatedHostListIsHonoured() throws Exception {
        Files.writeString(fx.knownHosts, "myvm.example," + MinaFixture.hostName(port) + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        connectOk(connector());
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), prompter.calls.toString());
    }

    @Test
    void wildcardHostPatternIsHonouredAsOpenSshDoes() throws Exception {
        Files.writeString(fx.knownHosts, "[127.0.0.*]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        Path cfg = fx.config(port);
        String openssh = MinaFixture.run(true, "ssh", "-F", cfg.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "tgt", "true");
        assertTrue(openssh.contains("Permission denied") && !openssh.contains("Host key verification failed"),
                "OpenSSH itself trusts the wildcard entry: " + openssh);
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        SshException e = null;
        try (SshConnector.Connection c = fx.connector(cfg, prompter).connect("tgt")) {
            assertTrue(c.alive());
        } catch (SshException ex) {
            e = ex;
        }
        assertEquals(null, e == null ? null : MinaFixture.describe(e), "calls=" + prompter.calls);
    }

    @Test
    void secondUserKnownHostsFileIsReadAndNewKeysGoToTheFirst() throws Exception {
        Path first = tmp.resolve("kh_first");
        Path second = tmp.resolve("kh_second");
        Files.writeString(second, MinaFixture.hostName(port) + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        connectOk(connector("UserKnownHostsFile " + first + " " + second));
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), prompter.calls.toString());
        assertFalse(Files.exists(first));

        // another server, unknown everywhere: saved to the first file only
        SshServer other = fx.passwordServer(MinaFixture.ecKeyPair(), s -> { });
        byte[] secondBefore = Files.readAllBytes(second);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        try (SshConnector.Connection c = fx.connector(fx.config(other.getPort(),
                "UserKnownHostsFile " + first + " " + second), prompter).connect("tgt")) {
            assertTrue(c.alive());
        }
        assertEquals(1, Files.readString(first).lines().count());
        assertArrayEquals(secondBefore, Files.readAllBytes(second));
    }
}
