package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.ssh.OpenSshServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every host key and client key type, and the ciphers OpenSSH prefers, of a real OpenSSH sshd
 * through the built jar in its own JVM, as users run it. In-process tests cannot show the product's
 * crypto setup: Apache MINA registers BouncyCastle in the test JVM (docs/performance.md, round 3:
 * without BouncyCastle registered, sshj drops chacha20-poly1305 without a word). One sshd per host key
 * algorithm; three aliases per scan, one per client key type (RSA, ECDSA P-256, Ed25519), all
 * authorized; then one sshd per cipher, restricted to it.
 */
@Needs({Need.SSHD})
class SshKeyTypesIT {
    @TempDir
    Path dir;

    private static void keygen(Path file, String type, String bits) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString()));
        if (!bits.isEmpty()) {
            cmd.addAll(List.of("-b", bits));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ssh-keygen " + cmd + ": " + out);
    }

    /** {@code ssh-keygen -s CA}: a user certificate for root, KEY-cert.pub beside KEY (where ssh and ssh-add find it). */
    private static void certifyForRoot(Path ca, Path key) throws Exception {
        Process sign = new ProcessBuilder("ssh-keygen", "-q", "-s", ca.toString(), "-I", "headroom-test", "-n", "root", key + ".pub")
                .redirectErrorStream(true).start();
        String signed = new String(sign.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sign.waitFor(), "ssh-keygen -s: " + signed);
        assertTrue(Files.exists(Path.of(key + "-cert.pub")));
    }

    /**
     * A server that allows only one cipher. Without BouncyCastle as a JCE provider sshj drops
     * chacha20-poly1305 silently (it asks for Cipher "CHACHA" and Mac "POLY1305", which the JDK lacks).
     */
    @ParameterizedTest(name = "cipher {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com",
            "aes128-ctr"})
    void aServerRestrictedToOneCipherIsScanned(String cipher) throws Exception {
        Path key = dir.resolve("id_ed25519");
        keygen(key, "ed25519", "");
        try (OpenSshServer server = OpenSshServer.start("Ciphers " + cipher)) {
            Files.writeString(server.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
            Path knownHosts = dir.resolve("known_hosts");
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host c\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + knownHosts + "\n  StrictHostKeyChecking ask\n  BatchMode yes\n");
            Lab.Result r = Lab.headroom("scan", "--json", "--accept-new", "--ssh-config", config.toString(), "c");
            assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + ": " + r.err());
            JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(h.get("scanned").asBoolean(), cipher + ": " + h.get("errors"));
            assertTrue(server.log().contains("Accepted publickey for root"), server.log());
        }
    }

    @ParameterizedTest(name = "host key {0} {1}")
    @CsvSource({
            "rsa,3072,rsa-sha2-512",
            "rsa,3072,rsa-sha2-256",
            "ecdsa,256,ecdsa-sha2-nistp256",
            "ecdsa,384,ecdsa-sha2-nistp384",
            "ecdsa,521,ecdsa-sha2-nistp521",
            "ed25519,,ssh-ed25519"})
    void everyClientKeyTypeScansAHostWithThisHostKey(String type, String bits, String algorithm) throws Exception {
        Path hostKey = dir.resolve("host_" + type + bits);
        keygen(hostKey, type, bits == null ? "" : bits);
        String[][] clients = {{"rsa", "3072"}, {"ecdsa", "256"}, {"ed25519", ""}};
        StringBuilder authorized = new StringBuilder();
        StringBuilder cfg = new StringBuilder();
        List<String> targets = new java.util.ArrayList<>();
        try (OpenSshServer server = OpenSshServer.start("HostKey " + hostKey, "HostKeyAlgorithms " + algorithm)) {
            for (String[] c : clients) {
                Path key = dir.resolve("id_" + c[0]);
                keygen(key, c[0], c[1]);
                authorized.append(Files.readString(Path.of(key + ".pub")));
                cfg.append("Host k-").append(c[0]).append("\n  HostName 127.0.0.1\n  Port ").append(server.port)
                        .append("\n  User root\n  IdentityFile ").append(key).append("\n  IdentitiesOnly yes\n");
                targets.add("k-" + c[0]);
            }
            Files.writeString(server.dir.resolve("authorized_keys"), authorized.toString());
            Path knownHosts = dir.resolve("known_hosts");
            cfg.append("Host *\n  UserKnownHostsFile ").append(knownHosts).append("\n  StrictHostKeyChecking ask\n  BatchMode yes\n");
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, cfg.toString());
            List<String> args = new java.util.ArrayList<>(List.of("scan", "--json", "--accept-new", "--ssh-config", config.toString()));
            args.addAll(targets);
            Lab.Result r = Lab.headroom(args.toArray(String[]::new));
            assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + ": " + r.err());
            for (JsonNode h : new ObjectMapper().readTree(r.out()).get("hosts")) {
                assertTrue(h.get("scanned").asBoolean(), h.get("target").asText() + ": " + h.get("errors"));
            }
            // the key the client accepted is the host key of this algorithm family
            String hostPub = Files.readString(Path.of(hostKey + ".pub")).split(" ")[1];
            assertTrue(Files.readString(knownHosts).contains(hostPub), "known_hosts holds the " + algorithm + " host key");
            assertTrue(server.log().contains("Accepted publickey for root"), server.log());
        }
    }

    /**
     * A server that speaks only an algorithm OpenSSH's client dropped from its defaults is refused as ssh refuses it,
     * with the option to change named; a "+ALGORITHM" line under its Host in the user's ssh config (which ssh -G
     * then prints) lets the scan through. sshj's own defaults accepted all four silently (decision 0043).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "Ciphers,aes128-cbc",
            "Ciphers,3des-cbc",
            "MACs,hmac-md5",
            "KexAlgorithms,diffie-hellman-group14-sha1",
            "HostKeyAlgorithms,ssh-rsa"})
    void aServerThatOnlySpeaksWhatOpenSshDroppedIsRefusedUntilTheConfigAllowsIt(String option, String algorithm) throws Exception {
        Path key = dir.resolve("id_ed25519");
        keygen(key, "ed25519", "");
        List<String> sshd = new java.util.ArrayList<>(List.of(option + " " + algorithm));
        if (option.equals("MACs")) {
            sshd.add("Ciphers aes128-ctr");  // an AEAD cipher brings its own MAC: make the MAC matter
        }
        if (algorithm.equals("ssh-rsa")) {
            Path rsa = dir.resolve("host_rsa");
            keygen(rsa, "rsa", "3072");
            sshd.add("HostKey " + rsa);
        }
        try (OpenSshServer server = OpenSshServer.start(sshd.toArray(String[]::new))) {
            Files.writeString(server.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
            String common = "  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  BatchMode yes\n";
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host strict\n" + common + "Host legacy\n" + common + "  " + option + " +" + algorithm + "\n");

            Lab.Result refused = Lab.headroom("scan", "--json", "--accept-new", "--ssh-config", config.toString(), "strict");
            JsonNode h = new ObjectMapper().readTree(refused.out()).get("hosts").get(0);
            assertTrue(!h.get("scanned").asBoolean(), "scanned over " + algorithm + ": " + h);
            String error = h.get("errors").get(0).asText();
            assertTrue(error.contains("have no " + option + " in common. The server offers " + algorithm + ";"), error);
            assertTrue(error.endsWith("\"Host strict\" then \"" + option + " +" + algorithm + "\"."), error);

            Lab.Result allowed = Lab.headroom("scan", "--json", "--accept-new", "--ssh-config", config.toString(), "legacy");
            assertTrue(allowed.exit() == 0 || allowed.exit() == 1, "exit " + allowed.exit() + ": " + allowed.err());
            JsonNode ok = new ObjectMapper().readTree(allowed.out()).get("hosts").get(0);
            assertTrue(ok.get("scanned").asBoolean(), option + " +" + algorithm + ": " + ok.get("errors"));
        }
    }

    /**
     * A host known by its RSA key only (ssh-keyscan -t rsa, or an older client) that also has an Ed25519 key:
     * OpenSSH prefers the known type and connects with strict checking; so must Headroom, instead of negotiating
     * Ed25519 and reporting a CHANGED key (KnownHostsVerifier.signatureAlgorithms).
     */
    @org.junit.jupiter.api.Test
    void aHostKnownByItsRsaKeyIsVerifiedWithItWhenItAlsoHasAnEd25519Key() throws Exception {
        Path rsa = dir.resolve("host_rsa");
        keygen(rsa, "rsa", "3072");
        Path key = dir.resolve("id_ed25519");
        keygen(key, "ed25519", "");
        try (OpenSshServer server = OpenSshServer.start("HostKey " + rsa)) {  // and its own Ed25519 key
            Files.writeString(server.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
            Path knownHosts = dir.resolve("known_hosts");
            String rsaPub = Files.readString(Path.of(rsa + ".pub")).split(" ")[1];
            Files.writeString(knownHosts, "[127.0.0.1]:" + server.port + " ssh-rsa " + rsaPub + "\n");
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host r\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + knownHosts + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
            ssh(config, "r", null, 0, "OpenSSH itself connects");
            Lab.Result r = Lab.headroom("scan", "--json", "--ssh-config", config.toString(), "r");
            JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(h.get("scanned").asBoolean(), "scanned with the known RSA key: " + h.get("errors"));
            assertEquals("[127.0.0.1]:" + server.port + " ssh-rsa " + rsaPub + "\n", Files.readString(knownHosts),
                    "known_hosts is left as it was");
        }
    }

    /**
     * A user certificate loaded from a file (key and KEY-cert.pub beside it, as ssh loads it), signed by a CA the
     * server trusts (TrustedUserCAKeys) and with no authorized key: OpenSSH signs with the algorithm the server
     * accepts. sshj 0.40 knows RSA certificates only as ssh-rsa-cert-v01 (SHA-1), which OpenSSH >= 8.8 refuses and
     * its client no longer offers; Headroom adds rsa-sha2-512/256-cert-v01 (SshjConfigs). Ed25519 is the control.
     */
    @ParameterizedTest(name = "{0} certificate, server accepts {1}")
    @CsvSource({
            "rsa,rsa-sha2-512-cert-v01@openssh.com",
            "rsa,rsa-sha2-256-cert-v01@openssh.com",
            "ed25519,ssh-ed25519-cert-v01@openssh.com"})
    void aUserCertificateFromAFileLogsIn(String type, String accepted) throws Exception {
        Path ca = dir.resolve("user_ca");
        Path key = certifiedKey(type, type.equals("rsa") ? "3072" : "");
        try (OpenSshServer server = OpenSshServer.start("TrustedUserCAKeys " + ca + ".pub", "PubkeyAcceptedAlgorithms " + accepted)) {
            Files.writeString(server.dir.resolve("authorized_keys"), "");  // the certificate is the only way in
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host c\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  BatchMode yes\n");
            Lab.Result r = Lab.headroom("scan", "--json", "--accept-new", "--ssh-config", config.toString(), "c");
            JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(h.get("scanned").asBoolean(), accepted + ": " + h.get("errors") + "\n" + server.log());
            assertTrue(server.log().contains("Accepted publickey for root") && server.log().contains("CERT"), server.log());
        }
    }

    /**
     * A key with a certificate beside it is two identities for ssh (ssh.c load_public_identity_files: the key, then
     * KEY-cert.pub): a server that does not trust the certificate's CA but authorizes the plain key lets ssh in. sshj
     * loads only the certificate, so Headroom offered nothing else and failed where ssh logs in. The server's log shows
     * the keys each client offered: ssh offers the plain key first, and so does Headroom.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ed25519", "rsa"})
    void aKeyWithAnUntrustedCertificateBesideItLogsInWithThePlainKey(String type) throws Exception {
        Path key = certifiedKey(type, type.equals("rsa") ? "3072" : "");
        List<String> sshAsked = logsInAsSshDoes(key, type);  // the server trusts no user CA
        assertTrue(sshAsked.size() == 1 && !sshAsked.get(0).contains("-cert-"), "ssh offers the plain key first: " + sshAsked);
    }

    /**
     * A user certificate named by CertificateFile (as HashiCorp Vault's SSH CA writes it: not KEY-cert.pub), the server
     * trusting its CA and authorizing no key: ssh offers the certificate first and signs with the identity file's key,
     * or with the agent's when the agent holds the key (sshconnect2.c pubkey_prepare, sign_and_send_pubkey). Headroom
     * read no CertificateFile and was refused. The server's log shows the offers of both, in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file-key", "agent-key"})
    void aCertificateFileIsOfferedFirstAndSignedByItsKey(String signer) throws Exception {
        Path key = certifiedKey("ed25519", "");
        Path ca = dir.resolve("user_ca");  // certifiedKey's CA
        Path cert = dir.resolve("vault-signed.pub");
        Files.move(Path.of(key + "-cert.pub"), cert);
        Path socket = dir.resolve("agent.sock");
        Process agent = signer.equals("agent-key") ? agentHolding(socket, key) : null;
        try {
            if (agent != null) {
                // only the agent can sign now: the file asks for a passphrase nobody types
                encrypt(key);
            }
            try (OpenSshServer server = OpenSshServer.start("TrustedUserCAKeys " + ca + ".pub", "LogLevel DEBUG1")) {
                Files.writeString(server.dir.resolve("authorized_keys"), "");
                Path config = dir.resolve("ssh_config");
                Files.writeString(config, "Host v\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                        + "\n  CertificateFile " + cert + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + dir.resolve("known_hosts")
                        + "\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n");
                ssh(config, "v", agent == null ? null : socket, 0, "OpenSSH logs in with the certificate");
                List<String> sshAsked = asked(server.log());
                assertEquals(List.of("ssh-ed25519-cert-v01@openssh.com"), sshAsked, "ssh offers the certificate first");
                int before = server.log().length();

                Lab.Result r = agent == null ? Lab.headroom("scan", "--json", "--ssh-config", config.toString(), "v")
                        : Lab.headroom(java.util.Map.of("SSH_AUTH_SOCK", socket.toString()), "scan", "--json", "--ssh-config", config.toString(), "v");
                JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
                assertTrue(h.get("scanned").asBoolean(), signer + ": " + h.get("errors") + "\n" + server.log().substring(before));
                assertEquals(sshAsked, asked(server.log().substring(before)), "Headroom offers what ssh offers");
            }
        } finally {
            if (agent != null) {
                agent.destroy();
            }
        }
    }

    /**
     * Without IdentitiesOnly, ssh offers the agent's keys that are configured identities first, then its others
     * (sshconnect2.c pubkey_prepare); Headroom offered them in the agent's order, so an unconfigured key used one of
     * the server's MaxAuthTries (or matched another authorized_keys line) first. Every offer is refused here, so the
     * server's log holds all of them, in order.
     */
    @org.junit.jupiter.api.Test
    void theAgentsConfiguredKeyIsOfferedBeforeItsOthers() throws Exception {
        Path key = dir.resolve("id_ed25519");
        keygen(key, "ed25519", "");
        Path other = dir.resolve("id_other");
        keygen(other, "rsa", "3072");
        Path socket = dir.resolve("agent.sock");
        Process agent = agentHolding(socket, other, key);  // the unconfigured key first in the agent
        try (OpenSshServer server = OpenSshServer.start("LogLevel DEBUG1", "MaxAuthTries 20")) {
            Files.writeString(server.dir.resolve("authorized_keys"), "");
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host o\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n");
            ssh(config, "o", socket, 255, "ssh is refused");
            List<String> sshAsked = asked(server.log());
            assertEquals("ssh-ed25519", sshAsked.get(0), "ssh offers the configured key first: " + sshAsked);
            int before = server.log().length();
            Lab.headroom(java.util.Map.of("SSH_AUTH_SOCK", socket.toString()), "scan", "--json", "--ssh-config", config.toString(), "o");
            // the keys in ssh's order; after a refusal Headroom also tries the RSA key's other signature algorithm,
            // where ssh sends the one server-sig-algs names (a known difference, decision 0043)
            List<String> headroomAsked = asked(server.log().substring(before));
            assertEquals(sshAsked, headroomAsked.subList(0, sshAsked.size()), "Headroom offers the keys in ssh's order: " + headroomAsked);
        } finally {
            agent.destroy();
        }
    }

    /**
     * A key made again beside its old certificate (KEY and KEY.pub new, KEY-cert.pub still of the old key): ssh logs
     * in with the new key (KEY.pub) and cannot sign with the certificate (identity_sign: "private key contents do not
     * match public"). Headroom offered the certificate's old key with the new private key, then the certificate, and
     * was refused. The key the private key signs for is read from the key file's unencrypted header.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void aKeyMadeAgainBesideItsOldCertificateLogsInWithTheNewKey(String type) throws Exception {
        String bits = type.equals("rsa") ? "3072" : "";
        Path key = certifiedKey(type, bits);
        String oldPub = Files.readString(Path.of(key + ".pub"));
        Files.delete(key);
        Files.delete(Path.of(key + ".pub"));
        keygen(key, type, bits);
        assertTrue(!oldPub.equals(Files.readString(Path.of(key + ".pub"))), "a new key");
        logsInAsSshDoes(key, type);
    }

    /**
     * Against a real sshd (LogLevel DEBUG1, no user CA) that authorizes KEY.pub, with IdentityFile KEY and IdentitiesOnly:
     * ssh logs in, then Headroom scans, offering the keys ssh offered, in the same order (from the server's log).
     *
     * @return the algorithms ssh offered
     */
    private List<String> logsInAsSshDoes(Path key, String label) throws Exception {
        try (OpenSshServer server = OpenSshServer.start("LogLevel DEBUG1")) {
            Files.writeString(server.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host c\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                    + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  StrictHostKeyChecking accept-new"
                    + "\n  BatchMode yes\n");
            ssh(config, "c", null, 0, "OpenSSH itself logs in");
            List<String> sshAsked = asked(server.log());
            int before = server.log().length();

            Lab.Result r = Lab.headroom("scan", "--json", "--ssh-config", config.toString(), "c");
            JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(h.get("scanned").asBoolean(), label + ": " + h.get("errors") + "\n" + server.log().substring(before));
            assertEquals(sshAsked, asked(server.log().substring(before)), "the keys offered, in order, as ssh offered them");
            return sshAsked;
        }
    }

    /**
     * A key and its certificate in ssh-agent (ssh-add loads KEY-cert.pub beside KEY) that are also the IdentityFile:
     * ssh offers each once, by the agent (sshconnect2.c pubkey_prepare drops a file identity the agent holds), and
     * never opens the file. Headroom offered the file's key and certificate again: four refusals instead of two, each
     * one of the server's MaxAuthTries. The server's log counts the offers of ssh and of Headroom.
     */
    @org.junit.jupiter.api.Test
    void aFileKeyTheAgentHoldsIsOfferedOnceAsSshOffersIt() throws Exception {
        Path otherCa = dir.resolve("other_ca");
        keygen(otherCa, "ed25519", "");
        Path key = certifiedKey("ed25519", "");
        Path socket = dir.resolve("agent.sock");
        Process agent = agentWith(socket, key);
        try {
            try (OpenSshServer server = OpenSshServer.start("TrustedUserCAKeys " + otherCa + ".pub", "LogLevel DEBUG1", "MaxAuthTries 20")) {
                Files.writeString(server.dir.resolve("authorized_keys"), "");  // every offer is refused
                Path config = dir.resolve("ssh_config");
                Files.writeString(config, "Host a\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + key
                        + "\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n");
                ssh(config, "a", socket, 255, "ssh is refused");
                List<String> sshAsked = asked(server.log());
                int before = server.log().length();
                Lab.Result r = Lab.headroom(java.util.Map.of("SSH_AUTH_SOCK", socket.toString()), "scan", "--json",
                        "--ssh-config", config.toString(), "a");
                JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
                assertTrue(!h.get("scanned").asBoolean(), "refused");
                assertEquals(2, sshAsked.size(), "ssh offers the key and its certificate once each: " + sshAsked);
                assertEquals(sshAsked, asked(server.log().substring(before)), "Headroom offers what ssh offers");
            }
        } finally {
            agent.destroy();
        }
    }

    /**
     * {@code IdentitiesOnly yes} does not turn the agent off: ssh still lets it sign for the configured identities
     * and offers none of its other keys (sshconnect2.c pubkey_prepare; ssh.c load_public_identity_files reads the
     * IdentityFile itself when it is a public key, then FILE.pub). Headroom skipped the agent, so a key whose file is
     * encrypted asked for a passphrase ssh never asks for (here: failed, as nothing can answer), and an IdentityFile
     * naming only a {@code .pub} (the private key in the agent, as 1Password's agent is set up) could not log in at all.
     */
    @ParameterizedTest
    @ValueSource(strings = {"encrypted-file", "public-key-only"})
    void withIdentitiesOnlyTheAgentSignsForTheConfiguredKeyOnly(String onDisk) throws Exception {
        Path key = dir.resolve("id_ed25519");
        keygen(key, "ed25519", "");
        Path decoy = dir.resolve("id_decoy");
        keygen(decoy, "rsa", "3072");
        Path socket = dir.resolve("agent.sock");
        Process agent = agentHolding(socket, decoy, key);  // the decoy first: offered first unless filtered
        try {
            Path identity = key;
            if (onDisk.equals("encrypted-file")) {
                encrypt(key);
            } else {
                Files.delete(key);
                identity = Path.of(key + ".pub");
            }
            try (OpenSshServer server = OpenSshServer.start("LogLevel DEBUG1")) {
                Files.writeString(server.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
                Path config = dir.resolve("ssh_config");
                Files.writeString(config, "Host i\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile " + identity
                        + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + dir.resolve("known_hosts")
                        + "\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n");
                ssh(config, "i", socket, 0, "OpenSSH logs in through the agent");
                List<String> sshAsked = asked(server.log());
                assertEquals(List.of("ssh-ed25519"), sshAsked, "ssh offers the configured key only, not the agent's RSA decoy");
                int before = server.log().length();

                Lab.Result r = Lab.headroom(java.util.Map.of("SSH_AUTH_SOCK", socket.toString()), "scan", "--json",
                        "--ssh-config", config.toString(), "i");
                JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
                assertTrue(h.get("scanned").asBoolean(), onDisk + ": " + h.get("errors") + "\n" + server.log().substring(before));
                assertEquals(sshAsked, asked(server.log().substring(before)), "Headroom offers what ssh offers");
            }
        } finally {
            agent.destroy();
        }
    }

    /** {@code ssh-keygen -p}: KEY gets a passphrase that nothing types, so only an agent can sign with it. */
    private static void encrypt(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-p", "-f", key.toString(), "-P", "", "-N", "not-typed-anywhere")
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ssh-keygen -p: " + said);
    }

    /** A key id_TYPE (no passphrase) with id_TYPE-cert.pub beside it, signed by a new CA user_ca for root. */
    private Path certifiedKey(String type, String bits) throws Exception {
        Path ca = dir.resolve("user_ca");
        keygen(ca, "ed25519", "");
        Path key = dir.resolve("id_" + type);
        keygen(key, type, bits);
        certifyForRoot(ca, key);
        return key;
    }

    /** A real ssh-agent on {@code socket} holding {@code key} and, as ssh-add loads it, its certificate. */
    private static Process agentWith(Path socket, Path key) throws Exception {
        Process agent = agentHolding(socket);
        try {
            assertTrue(add(socket, key).contains("Certificate added"), "the agent holds the certificate too");
            return agent;
        } catch (Exception | AssertionError e) {
            agent.destroy();
            throw e;
        }
    }

    /** A real ssh-agent on {@code socket} holding {@code keys}, added in this order by ssh-add. */
    private static Process agentHolding(Path socket, Path... keys) throws Exception {
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            for (Path key : keys) {
                add(socket, key);
            }
            return agent;
        } catch (Exception | AssertionError e) {
            agent.destroy();
            throw e;
        }
    }

    /** {@code ssh-add KEY} into the agent on {@code socket}; its output, after checking it succeeded. */
    private static String add(Path socket, Path key) throws Exception {
        ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process added = add.start();
        String addSaid = new String(added.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, added.waitFor(), "ssh-add: " + addSaid);
        return addSaid;
    }

    /** {@code ssh -F CONFIG HOST true} (with the agent on {@code agentSocket}, if any) ends with {@code exit}. */
    private static void ssh(Path config, String host, Path agentSocket, int exit, String why) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ssh", "-F", config.toString(), host, "true").redirectErrorStream(true);
        if (agentSocket != null) {
            pb.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        }
        Process ssh = pb.start();
        String said = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(exit, ssh.waitFor(), why + ": " + said);
    }

    /** The algorithms of the keys a client offered, in order, from sshd's DEBUG1 log ("userauth_pubkey: ... pkalg X"). */
    private static List<String> asked(String log) {
        return log.lines().filter(l -> l.contains("userauth_pubkey:") && l.contains("pkalg "))
                .map(l -> l.replaceAll(".*pkalg (\\S+).*", "$1")).toList();
    }

    /**
     * An RSA certificate in ssh-agent that the server refuses is asked about once per signature algorithm: the agent
     * path names rsa-sha2-512/256-cert itself, and SshjConfigs has the same names since RSA certificates from files
     * got them; offered twice, each name cost another of the server's MaxAuthTries (4 queries before, 2 now).
     */
    @org.junit.jupiter.api.Test
    void anRsaCertificateInTheAgentIsAskedAboutOncePerAlgorithm() throws Exception {
        Path otherCa = dir.resolve("other_ca");
        keygen(otherCa, "ed25519", "");
        Path key = certifiedKey("rsa", "3072");
        Path socket = dir.resolve("agent.sock");
        Process agent = agentWith(socket, key);
        try {
            // the server trusts another CA and authorizes no key: every offer is refused
            try (OpenSshServer server = OpenSshServer.start("TrustedUserCAKeys " + otherCa + ".pub", "LogLevel DEBUG1", "MaxAuthTries 20")) {
                Files.writeString(server.dir.resolve("authorized_keys"), "");
                Path config = dir.resolve("ssh_config");
                Files.writeString(config, "Host a\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile "
                        + dir.resolve("no_such_key") + "\n  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n  BatchMode yes\n");
                Lab.Result r = Lab.headroom(java.util.Map.of("SSH_AUTH_SOCK", socket.toString()), "scan", "--json", "--accept-new",
                        "--ssh-config", config.toString(), "a");
                JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
                assertTrue(!h.get("scanned").asBoolean(), "refused");
                List<String> queries = server.log().lines().filter(l -> l.contains("publickey test pkalg") && l.contains("-cert-v01@openssh.com"))
                        .map(l -> l.replaceAll(".*pkalg (\\S+).*", "$1")).toList();
                assertEquals(List.of("rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com"), queries, server.log());
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }
}
