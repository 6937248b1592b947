package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.ssh.OpenSshServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host certificates of a real sshd, checked by the built jar as OpenSSH's client checks them, with {@code ssh}
 * itself run on the same known_hosts as the truth for each case: a {@code @cert-authority} line for the host
 * trusts a valid certificate; an expired one, one for another name, or one whose authority is {@code @revoked} is
 * refused; a certificate whose authority is not trusted is checked as its plain key, and trust on first use saves
 * that plain key (a certificate saved instead made {@code ssh} report the host as CHANGED).
 */
@Needs({Need.SSHD})
class HostCertificatesIT {
    @TempDir
    Path dir;

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @ParameterizedTest(name = "{0} host certificate, {1}")
    @CsvSource({
            "rsa,untrusted authority",
            "ed25519,untrusted authority",
            "rsa,trusted authority",
            "ed25519,trusted authority",
            "rsa,trusted authority but another name",
            "ed25519,trusted authority but expired",
            "ed25519,revoked authority",
            "ed25519,trusted authority and a stale plain key",
            "rsa,untrusted authority and certificates only"})
    void aHostCertificateIsCheckedAsOpenSshChecksIt(String type, String trust) throws Exception {
        Path ca = dir.resolve("host_ca");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
        Path hostKey = dir.resolve("host_" + type);
        List<String> keygen = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", hostKey.toString()));
        if (type.equals("rsa")) {
            keygen.addAll(List.of("-b", "3072"));
        }
        run(keygen.toArray(String[]::new));
        List<String> sign = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-I", "headroom-test", "-h", "-n",
                trust.contains("another name") ? "other.example" : "127.0.0.1"));
        if (trust.contains("expired")) {
            sign.addAll(List.of("-V", "-3d:-1d"));
        }
        sign.add(hostKey + ".pub");
        run(sign.toArray(String[]::new));
        try (OpenSshServer server = OpenSshServer.start(hostKey, "HostCertificate " + hostKey + "-cert.pub", "LogLevel DEBUG1")) {
            Path knownHosts = dir.resolve("known_hosts");
            String caLine = "@cert-authority [127.0.0.1]:" + server.port + " " + Files.readString(Path.of(ca + ".pub"));
            Path stale = dir.resolve("stale");
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stale.toString());
            String before = switch (trust) {
                case "untrusted authority", "untrusted authority and certificates only" -> "";
                case "revoked authority" -> caLine + "@revoked * " + Files.readString(Path.of(ca + ".pub"));
                // an old plain key of the host, before it got a certificate: ssh prefers the authority's certificate
                case "trusted authority and a stale plain key" -> caLine + "[127.0.0.1]:" + server.port + " "
                        + Files.readString(Path.of(stale + ".pub"));
                default -> caLine;
            };
            Files.writeString(knownHosts, before);
            Path config = dir.resolve("ssh_config");
            Files.writeString(config, "Host h\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile "
                    + server.clientKey + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + knownHosts + "\n  BatchMode yes\n"
                    + (trust.endsWith("certificates only")
                    ? "  HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com\n" : ""));
            boolean untrusted = trust.startsWith("untrusted authority");
            Lab.Result r = untrusted
                    ? Lab.headroom("scan", "--json", "--accept-new", "--ssh-config", config.toString(), "h")
                    : Lab.headroom("scan", "--json", "--ssh-config", config.toString(), "h");
            JsonNode h = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(server.log().contains("-cert-v01@openssh.com"), "the certificate was offered: " + server.log());
            Process ssh = new ProcessBuilder("ssh", "-F", config.toString(), "-o", "StrictHostKeyChecking=yes", "h", "true")
                    .redirectErrorStream(true).start();
            String sshSaid = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean sshConnects = ssh.waitFor() == 0;
            if (trust.endsWith("certificates only")) {
                // trusting hosts only through an authority: no plain key is trusted on first use (OpenSSH >= 9.8)
                assertFalse(h.get("scanned").asBoolean(), "refused");
                assertTrue(h.get("errors").get(0).asText().contains("HostKeyAlgorithms allows no plain ssh-rsa key"), h.get("errors").toString());
                assertEquals("", Files.readString(knownHosts), "nothing saved");
                return;
            }
            if (untrusted || trust.startsWith("trusted authority") && !trust.contains("but")) {
                assertTrue(h.get("scanned").asBoolean(), trust + ": " + h.get("errors"));
                assertTrue(sshConnects, "ssh connects on the known_hosts Headroom leaves: " + sshSaid);
            } else {
                assertFalse(h.get("scanned").asBoolean(), trust + " must be refused");
                assertFalse(sshConnects, "ssh refuses it too: " + sshSaid);
                String error = h.get("errors").get(0).asText();
                assertTrue(trust.contains("revoked") ? error.contains("@revoked") : error.contains("host certificate of [127.0.0.1]:"
                        + server.port + " (") && error.contains("is not valid: "), error);
                assertTrue(!trust.contains("another name") || error.contains("other.example"), error);
                assertTrue(!trust.contains("expired") || error.contains("valid before"), error);
            }
            String after = Files.readString(knownHosts);
            if (untrusted) {
                String plain = Files.readString(Path.of(hostKey + ".pub")).split(" ")[1];
                assertTrue(after.contains(" " + plain) && !after.contains("-cert-v01"), "trust on first use saves the plain key: " + after);
            } else {
                assertEquals(before, after, "known_hosts is left as it was");
            }
        }
    }
}
