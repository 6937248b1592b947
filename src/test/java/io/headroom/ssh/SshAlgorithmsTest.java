package io.headroom.ssh;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections offer what OpenSSH's client would for the same host (ssh -G's KexAlgorithms, Ciphers, MACs,
 * HostKeyAlgorithms), never sshj's defaults, which still carry arcfour, 3des-cbc, blowfish, hmac-md5,
 * diffie-hellman-group1-sha1, ssh-rsa (SHA-1) and ssh-dss (decision 0043).
 */
class SshAlgorithmsTest {
    private static final List<String> DROPPED_BY_OPENSSH = List.of("arcfour", "arcfour128", "arcfour256", "3des-cbc", "blowfish-cbc",
            "cast128-cbc", "aes128-cbc", "aes256-cbc", "hmac-md5", "hmac-md5-96", "hmac-ripemd160", "hmac-sha1-96",
            "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "ssh-rsa", "ssh-dss",
            "ssh-dss-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com");

    @Test
    void openSshDefaultsBecomeSshjListsInOpenSshOrderWithoutWhatOpenSshDropped() throws Exception {
        Config c = SshjConfigs.of(SshAlgorithms.OPENSSH_DEFAULTS);
        List<String> kex = SshjConfigs.names(c.getKeyExchangeFactories());
        List<String> ciphers = SshjConfigs.names(c.getCipherFactories());
        List<String> macs = SshjConfigs.names(c.getMACFactories());
        List<String> keys = SshjConfigs.names(c.getKeyAlgorithms());
        // sshj has no sntrup761 and no umac: the rest of OpenSSH's lists, in its order, plus sshj's ext-info-c
        assertEquals(List.of("curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
                "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
                "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256", SshjConfigs.EXT_INFO), kex);
        assertEquals(List.of("chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com",
                "aes256-gcm@openssh.com"), ciphers);
        assertEquals(List.of("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com",
                "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"), macs);
        assertEquals(List.of("ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
                "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "ssh-ed25519",
                "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"), keys);
        for (String weak : DROPPED_BY_OPENSSH) {
            assertTrue(!kex.contains(weak) && !ciphers.contains(weak) && !macs.contains(weak) && !keys.contains(weak), weak);
        }
        // the sshj library itself still has them: this is the change, not a library default
        Config sshjDefault = new net.schmizz.sshj.DefaultConfig();
        assertTrue(SshjConfigs.names(sshjDefault.getCipherFactories()).contains("arcfour"));
        assertTrue(SshjConfigs.names(sshjDefault.getKeyAlgorithms()).contains("ssh-rsa"));
    }

    /** sshj 0.40 has RSA certificates only with SHA-1 signatures; the SHA-2 ones sign as RFC 8332 names them. */
    @Test
    void rsaCertificatesSignWithSha2() throws Exception {
        Config c = SshjConfigs.of(SshAlgorithms.OPENSSH_DEFAULTS);
        for (String[] expected : new String[][]{{"rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512"},
                {"rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-256"}}) {
            com.hierynomus.sshj.key.KeyAlgorithm k = c.getKeyAlgorithms().stream().filter(f -> f.getName().equals(expected[0]))
                    .findFirst().orElseThrow().create();
            assertEquals(expected[0], k.getKeyAlgorithm());
            assertEquals(net.schmizz.sshj.common.KeyType.RSA_CERT, k.getKeyFormat());
            assertEquals(expected[1], k.newSignature().getSignatureName());
        }
        assertTrue(!SshjConfigs.names(new net.schmizz.sshj.DefaultConfig().getKeyAlgorithms()).contains("rsa-sha2-512-cert-v01@openssh.com"),
                "sshj's own defaults lack it: this is the addition");
    }

    @Test
    void aUsersPlusAlgorithmIsOfferedLastAndTheConfigIsShared() throws Exception {
        SshAlgorithms legacy = new SshAlgorithms(SshAlgorithms.OPENSSH_DEFAULTS.kex(),
                concat(SshAlgorithms.OPENSSH_DEFAULTS.ciphers(), "aes128-cbc"), SshAlgorithms.OPENSSH_DEFAULTS.macs(),
                concat(SshAlgorithms.OPENSSH_DEFAULTS.hostKeys(), "ssh-rsa"));
        Config c = SshjConfigs.of(legacy);
        List<String> ciphers = SshjConfigs.names(c.getCipherFactories());
        assertEquals("aes128-cbc", ciphers.get(ciphers.size() - 1));
        List<String> keys = SshjConfigs.names(c.getKeyAlgorithms());
        assertEquals("ssh-rsa", keys.get(keys.size() - 1));
        assertSame(c, SshjConfigs.of(new SshAlgorithms(legacy.kex(), legacy.ciphers(), legacy.macs(), legacy.hostKeys())),
                "equal lists share one sshj configuration (decision 0038)");
    }

    @Test
    void aListWithNothingSshjImplementsIsAConfigErrorNamingTheOption() {
        SshAlgorithms onlyPostQuantum = new SshAlgorithms(List.of("sntrup761x25519-sha512@openssh.com"),
                SshAlgorithms.OPENSSH_DEFAULTS.ciphers(), SshAlgorithms.OPENSSH_DEFAULTS.macs(), SshAlgorithms.OPENSSH_DEFAULTS.hostKeys());
        SshException e = assertThrows(SshException.class, () -> SshjConfigs.of(onlyPostQuantum));
        assertEquals(SshException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith("none of the KexAlgorithms that ssh -G gives (sntrup761x25519-sha512@openssh.com)"),
                e.getMessage());
    }

    @Test
    void sshDashGListsAreRead() {
        SshSettings s = SshConfigResolver.parse("vm", "hostname vm\nciphers aes256-gcm@openssh.com,aes128-cbc\n"
                + "macs hmac-sha2-512\nkexalgorithms curve25519-sha256\nhostkeyalgorithms ssh-ed25519,ssh-rsa\n");
        assertEquals(new SshAlgorithms(List.of("curve25519-sha256"), List.of("aes256-gcm@openssh.com", "aes128-cbc"),
                List.of("hmac-sha2-512"), List.of("ssh-ed25519", "ssh-rsa")), s.algorithms());
        assertEquals(SshAlgorithms.OPENSSH_DEFAULTS, SshConfigResolver.parse("vm", "hostname vm\n").algorithms(),
                "an ssh -G that prints no lists: OpenSSH's defaults");
    }

    /** The real ssh -G of this machine prints the lists; without a config they are OpenSSH's defaults. */
    @Test
    void realSshDashGPrintsOpenSshDefaultsAndAPlusAppends() throws Exception {
        Path cfg = Files.createTempFile("ssh", ".cfg");
        try {
            Files.writeString(cfg, "Host old\n  Ciphers +aes128-cbc\n  HostKeyAlgorithms +ssh-rsa\n");
            SshSettings plain = new SshConfigResolver("ssh", cfg).resolve("vm");
            assertEquals(SshAlgorithms.OPENSSH_DEFAULTS.ciphers(), plain.algorithms().ciphers());
            assertTrue(plain.algorithms().kex().containsAll(List.of("curve25519-sha256", "diffie-hellman-group14-sha256")));
            SshSettings old = new SshConfigResolver("ssh", cfg).resolve("old");
            assertEquals("aes128-cbc", old.algorithms().ciphers().get(old.algorithms().ciphers().size() - 1));
            assertTrue(old.algorithms().hostKeys().contains("ssh-rsa"));
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void sshjsFailedNegotiationIsExplainedWithTheLineThatAllowsIt() {
        TransportException t = new TransportException("Unable to reach a settlement of Client2ServerCipherAlgorithms: "
                + "[chacha20-poly1305@openssh.com, aes128-ctr] and [aes128-cbc, 3des-cbc]");
        SshException e = NoCommonAlgorithm.explain("root@old:2222", "10.0.0.9:2222", new java.io.IOException("kex", t));
        assertEquals(SshException.Kind.NO_COMMON_ALGORITHM, e.kind());
        assertEquals("root@old:2222: 10.0.0.9:2222 and Headroom have no Ciphers in common. The server offers aes128-cbc,3des-cbc;"
                + " Headroom offers what OpenSSH's ssh would for this host (ssh -G): chacha20-poly1305@openssh.com,aes128-ctr."
                + " Upgrade the server's SSH, or allow one of its algorithms for this host alone in ~/.ssh/config:"
                + " \"Host old\" then \"Ciphers +aes128-cbc\".", e.getMessage());
        TransportException k = new TransportException("Unable to reach a settlement of KeyExchangeAlgorithms: "
                + "[curve25519-sha256, ext-info-c, kex-strict-c-v00@openssh.com] and [diffie-hellman-group1-sha1, kex-strict-s-v00@openssh.com]");
        assertTrue(NoCommonAlgorithm.explain("old", "old:22", k).getMessage()
                .contains("have no KexAlgorithms in common. The server offers diffie-hellman-group1-sha1; Headroom offers what"
                        + " OpenSSH's ssh would for this host (ssh -G): curve25519-sha256."));
        assertNull(NoCommonAlgorithm.explain("vm", "vm:22", new TransportException("Broken pipe")));
        // the server's list is remote data: no control characters, no endless list in the message
        TransportException hostile = new TransportException("Unable to reach a settlement of Client2ServerCipherAlgorithms: "
                + "[aes128-ctr] and [\u001b[31mred, " + "x".repeat(65) + ", " + String.join(", ", java.util.Collections.nCopies(40, "a-cbc"))
                + "]");
        String shown = NoCommonAlgorithm.explain("vm", "vm:22", hostile).getMessage();
        assertTrue(shown.contains("The server offers " + String.join(",", java.util.Collections.nCopies(12, "a-cbc")) + ",(28 more);"), shown);
        assertTrue(!shown.contains("\u001b") && !shown.contains("xxxxx"), shown);
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }
}
