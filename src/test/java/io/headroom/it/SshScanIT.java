package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.ssh.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code headroom scan} over SSH against a real OpenSSH sshd on loopback (the built jar, end to end). */
@Needs({Need.SSHD})
class SshScanIT {
    private static OpenSshServer server;
    private static Path work;

    @BeforeAll
    static void startServer() throws Exception {
        server = OpenSshServer.start();
        work = Files.createTempDirectory("headroom-ssh-it");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** An ssh config with the test identity and a known_hosts file of the test's own. */
    private static Path config(Path knownHosts, String strict, String... extra) throws Exception {
        Path cfg = Files.createTempFile(work, "ssh", ".config");
        StringBuilder sb = new StringBuilder();
        for (String e : extra) {
            sb.append(e).append('\n');
        }
        sb.append("Host *\n  IdentityFile ").append(server.clientKey).append("\n  UserKnownHostsFile ").append(knownHosts)
                .append("\n  StrictHostKeyChecking ").append(strict).append("\n  BatchMode yes\n");
        Files.writeString(cfg, sb.toString());
        return cfg;
    }

    private static Path knownHosts(String content) throws Exception {
        Path f = Files.createTempFile(work, "known_hosts", "");
        Files.writeString(f, content);
        return f;
    }

    private static String fingerprint(Path pub) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-lf", pub.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

    @Test
    void sshScanMatchesLocalScan() throws Exception {
        Path cfg = config(knownHosts(server.knownHostsLine() + "\n"), "yes");
        Lab.Result r = Lab.headroom("scan", "--json", "--ssh-config", cfg.toString(), server.target(), "local");
        assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + " " + r.err());
        JsonNode hosts = new ObjectMapper().readTree(r.out()).get("hosts");
        JsonNode ssh = hosts.get(0);
        JsonNode local = hosts.get(1);
        assertTrue(ssh.get("scanned").asBoolean(), ssh.get("errors").toString());
        assertEquals(local.get("memTotalBytes").asLong(), ssh.get("memTotalBytes").asLong());
        double a = ssh.get("memAvailableBytes").asDouble();
        double b = local.get("memAvailableBytes").asDouble();
        assertTrue(Math.abs(a - b) / b <= 0.05, "MemAvailable over SSH " + a + " vs local " + b);
        assertEquals(local.get("hostname").asText(), ssh.get("hostname").asText());
    }

    @Test
    void unknownHostKeyIsRefusedWithItsSha256Fingerprint() throws Exception {
        Path kh = knownHosts("");
        Path cfg = config(kh, "ask");
        Lab.Result r = Lab.headroom("scan", "--ssh-config", cfg.toString(), server.target());
        assertEquals(3, r.exit(), r.err());
        String fp = fingerprint(Path.of(server.hostKey + ".pub"));
        assertTrue(r.err().contains("not in known_hosts"), r.err());
        assertTrue(r.err().contains(fp), "expected " + fp + " in " + r.err());
        assertEquals("", Files.readString(kh), "nothing may be written when the key is refused");
    }

    @Test
    void acceptNewAppendsAHashedEntryAndKeepsTheFile() throws Exception {
        String before = "# my hosts\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n";
        Path kh = knownHosts(before);
        Path cfg = config(kh, "ask");
        Lab.Result r = Lab.headroom("scan", "--accept-new", "--ssh-config", cfg.toString(), server.target());
        assertTrue(r.exit() == 0 || r.exit() == 1, r.err());
        String after = Files.readString(kh);
        assertTrue(after.startsWith(before), "the file must only be appended to");
        List<String> added = after.substring(before.length()).lines().toList();
        assertEquals(1, added.size());
        assertTrue(added.get(0).startsWith("|1|"), "hashed like OpenSSH's HashKnownHosts: " + added.get(0));
        // OpenSSH itself accepts the entry Headroom wrote
        Process p = new ProcessBuilder("ssh-keygen", "-F", "[127.0.0.1]:" + server.port, "-f", kh.toString()).start();
        String found = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ssh-keygen -F must find the appended entry");
        assertTrue(found.contains("ssh-ed25519"), found);
        // a second scan now passes with strict checking
        Lab.Result again = Lab.headroom("scan", "--ssh-config", config(kh, "yes").toString(), server.target());
        assertTrue(again.exit() == 0 || again.exit() == 1, again.err());
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        // a different ed25519 key recorded for this host:port
        Path other = work.resolve("other_key_" + System.nanoTime());
        Process g = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start();
        assertEquals(0, g.waitFor());
        String[] pub = Files.readString(Path.of(other + ".pub")).strip().split(" ");
        String line = "[127.0.0.1]:" + server.port + " " + pub[0] + " " + pub[1] + "\n";
        Path kh = knownHosts(line);
        Lab.Result r = Lab.headroom("scan", "--accept-new", "--ssh-config", config(kh, "accept-new").toString(), server.target());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("CHANGED"), r.err());
        assertEquals(line, Files.readString(kh), "known_hosts must not change");
    }

    @Test
    void revokedKeyIsRefused() throws Exception {
        String[] pub = Files.readString(Path.of(server.hostKey + ".pub")).strip().split(" ");
        Path kh = knownHosts(server.knownHostsLine() + "\n@revoked * " + pub[0] + " " + pub[1] + "\n");
        Lab.Result r = Lab.headroom("scan", "--ssh-config", config(kh, "yes").toString(), server.target());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("@revoked"), r.err());
    }

    @Test
    void jumpHostThroughASecondSshd() throws Exception {
        try (OpenSshServer jump = OpenSshServer.start("LogLevel DEBUG1")) {
            // the jump server must authorize the same client key
            Files.copy(Path.of(server.clientKey + ".pub"), jump.dir.resolve("authorized_keys"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path kh = knownHosts(server.knownHostsLine() + "\n" + jump.knownHostsLine() + "\n");
            Path cfg = config(kh, "yes", "Host viajump", "  HostName 127.0.0.1", "  Port " + server.port, "  User root",
                    "  ProxyJump root@127.0.0.1:" + jump.port);
            Lab.Result r = Lab.headroom("scan", "--json", "--ssh-config", cfg.toString(), "viajump");
            assertTrue(r.exit() == 0 || r.exit() == 1, r.err());
            JsonNode host = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            assertTrue(host.get("scanned").asBoolean(), host.toString());
            assertEquals("viajump", host.get("target").asText());
            // the jump server forwarded the connection to the target (sshd logs it at DEBUG1)
            String log = jump.log();
            assertTrue(log.contains("Accepted publickey for root"), log);
            assertTrue(log.contains("server_request_direct_tcpip") && log.contains("port " + server.port), log);
        }
    }

    @Test
    void plainWordsForUnreachableTargets() throws Exception {
        Path cfg = config(knownHosts(""), "yes");
        int closed = freePort();
        Lab.Result r = Lab.headroom("scan", "--ssh-config", cfg.toString(), "root@127.0.0.1:" + closed, "root@no-such-host.invalid");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertTrue(r.err().contains("name not found: no-such-host.invalid"), r.err());
    }

    @Test
    void authenticationFailureIsNamed() throws Exception {
        Path wrongKey = work.resolve("wrong_" + System.nanoTime());
        Process g = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrongKey.toString()).start();
        assertEquals(0, g.waitFor());
        Path kh = knownHosts(server.knownHostsLine() + "\n");
        Path cfg = Files.createTempFile(work, "ssh", ".config");
        Files.writeString(cfg, "Host *\n  IdentityFile " + wrongKey + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + kh
                + "\n  StrictHostKeyChecking yes\n");
        Lab.Result r = Lab.headroom("scan", "--ssh-config", cfg.toString(), server.target());
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("authentication failed for root@127.0.0.1"), r.err());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
