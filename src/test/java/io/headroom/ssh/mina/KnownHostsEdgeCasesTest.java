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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * known_hosts lines HostKeyVerificationTest leaves out, each checked against OpenSSH's own ssh on the same file
 * (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): negated patterns, a known key of another type (a change, for OpenSSH
 * too), a hashed {@code @revoked}
 * line, and garbage lines among good ones.
 */
class KnownHostsEdgeCasesTest extends MinaTest {
    KeyPair hostKey;
    int port;
    Path cfg;

    @BeforeEach
    void setUp() throws Exception {
        prompter.hostKeyDecision = HostKeyDecision.REJECT;
        hostKey = MinaFixture.ecKeyPair();
        SshServer server = fx.passwordServer(hostKey, s -> { });
        port = server.getPort();
        cfg = fx.config(port);
    }

    private String key() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** What OpenSSH's ssh says about this known_hosts: trusted (auth then fails), unknown/changed/revoked (refused). */
    private String openssh() throws Exception {
        return MinaFixture.run(true, "ssh", "-F", cfg.toString(), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256", "tgt", "true");
    }

    private SshException.Kind headroom() {
        try (SshConnector.Connection c = fx.connector(cfg, prompter).connect("tgt")) {
            assertTrue(c.alive());
            return null;
        } catch (SshException e) {
            return e.kind();
        }
    }

    @Test
    void negatedPatternExcludesTheHostFromItsLine() throws Exception {
        Files.writeString(fx.knownHosts, "[127.0.0.*]:" + port + ",!" + MinaFixture.hostName(port) + " " + key() + "\n");
        String o = openssh();
        assertTrue(o.contains("Host key verification failed") || o.contains("No ECDSA host key is known"),
                "OpenSSH does not trust a negated host: " + o);
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, headroom(), "calls=" + prompter.calls);
        assertEquals(1, prompter.callsStartingWith("hostkey").size(), "asked like any unknown host");
    }

    @Test
    void aKnownKeyOfAnotherTypeIsAChangeAsOpenSshSaysToo() throws Exception {
        Path other = fx.keygen("other_ed25519", "ed25519", "");
        String ed = Files.readString(Path.of(other + ".pub")).strip().split(" ", 3)[0] + " "
                + Files.readString(Path.of(other + ".pub")).strip().split(" ", 3)[1];
        Files.writeString(fx.knownHosts, MinaFixture.hostName(port) + " " + ed + "\n");
        String o = openssh();
        // OpenSSH: "REMOTE HOST IDENTIFICATION HAS CHANGED ... Offending ED25519 key" for an ECDSA key sent
        assertTrue(o.contains("HOST IDENTIFICATION HAS CHANGED"), "OpenSSH calls it a change: " + o);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, headroom(), "calls=" + prompter.calls);
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty(), "no prompt, as for any change");
    }

    @Test
    void hashedRevokedLineRefusesTheKey() throws Exception {
        Files.writeString(fx.knownHosts, MinaFixture.hostName(port) + " " + key() + "\n");
        MinaFixture.run("ssh-keygen", "-H", "-f", fx.knownHosts.toString());
        String hashed = Files.readString(fx.knownHosts).strip();
        assertTrue(hashed.startsWith("|1|"), hashed);
        // the same hashed host, marked revoked (OpenSSH reads markers on hashed lines too)
        Files.writeString(fx.knownHosts, hashed + "\n@revoked " + hashed + "\n");
        String o = openssh();
        assertTrue(o.contains("REVOKED"), "OpenSSH refuses a revoked key: " + o);
        prompter.hostKeyDecision = HostKeyDecision.ACCEPT_AND_SAVE;
        assertEquals(SshException.Kind.HOST_KEY_REVOKED, headroom(), "calls=" + prompter.calls);
        assertTrue(prompter.callsStartingWith("hostkey").isEmpty());
    }

    @Test
    void garbageLinesAroundTheGoodOneAreSkipped() throws Exception {
        Files.writeString(fx.knownHosts, String.join("\n", List.of(
                "# comment", "", "   ", "@cert-authority", "@revoked", "|1|notbase64|alsonot " + key(),
                "host-only-no-key", MinaFixture.hostName(port) + " ssh-ed25519 !!!notbase64!!!",
                "@unknown-marker " + MinaFixture.hostName(port) + " " + key(),
                "\u0000\u00ff binary", MinaFixture.hostName(port) + " " + key())) + "\n");
        String o = openssh();
        assertTrue(!o.contains("Host key verification failed"), "OpenSSH trusts the good line: " + o);
        assertEquals(null, headroom(), "calls=" + prompter.calls);
    }
}
