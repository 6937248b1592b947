package io.headroom.ssh.mina;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.Redactor;
import io.headroom.engine.ReportJson;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.Inventory;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passwords and passphrases never reach disk, logs, snapshots or reports. A separate JVM whose HOME, XDG
 * directories, TMPDIR and java.io.tmpdir all point into a temporary root runs what the app does with a session
 * (see {@link Scenario}): it authenticates with a passphrase-protected key to one MINA server and with a password to
 * another, accepts and saves both host keys, scans, saves the cluster to the inventory, writes an audit line, a
 * snapshot and a redacted snapshot, and prints the JSON report. Every file under the root, and the JVM's stdout and
 * stderr, are then searched for each secret as UTF-8, UTF-16 (both byte orders) and base64.
 */
class SecretsNeverWrittenTest {
    static final String PASSPHRASE = "pp-Zq8#uX!v3-passphrase";
    static final String PASSWORD = MinaFixture.PASSWORD;

    @TempDir
    Path tmp;
    MinaFixture fx;

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void noSecretInAnyFileOrOutputOfASession() throws Exception {
        fx = new MinaFixture(tmp.resolve("servers"));
        Files.createDirectories(fx.dir);
        Path key = fx.keygen("id_ed25519", "ed25519", PASSPHRASE);
        PublicKey authorized = PublicKeyEntry.parsePublicKeyEntry(Files.readString(Path.of(key + ".pub")).strip())
                .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        String capture = FixtureRunners.fixture("/fixtures/lab/s0-oom-kill.txt");
        SshServer byKey = fx.server(MinaFixture.ecKeyPair(), s -> {
            s.setPublickeyAuthenticator((u, k, session) -> MinaFixture.USER.equals(u) && KeyUtils.compareKeys(authorized, k));
            s.setCommandFactory((ch, command) -> new MinaFixture.FakeCommand(command, replay(capture), new ArrayList<>()));
        });
        SshServer byPassword = fx.commandServer(MinaFixture.ecKeyPair(), replay(capture));

        Path root = tmp.resolve("root");
        Path home = root.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Path cfg = home.resolve(".ssh/config");
        Files.writeString(cfg, "Host by-key\n  HostName 127.0.0.1\n  Port " + byKey.getPort() + "\n  User " + MinaFixture.USER
                + "\n  IdentityFile " + key + "\n  IdentitiesOnly yes\n"
                + "Host by-password\n  HostName 127.0.0.1\n  Port " + byPassword.getPort() + "\n  User " + MinaFixture.USER
                + "\n  IdentityFile " + home.resolve(".ssh/none") + "\n  IdentitiesOnly yes\n"
                + "Host *\n  UserKnownHostsFile " + home.resolve(".ssh/known_hosts") + "\n  GlobalKnownHostsFile /dev/null\n");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + root.resolve("tmp"),
                "-cp", System.getProperty("java.class.path"), Scenario.class.getName(), cfg.toString(), root.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        for (String x : List.of("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "TMPDIR")) {
            env.put(x, root.resolve(x.toLowerCase()).toString());
            Files.createDirectories(root.resolve(x.toLowerCase()));
        }
        Files.createDirectories(root.resolve("tmp"));
        env.remove("SSH_AUTH_SOCK"); // no agent: the key's passphrase must be asked
        pb.redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the scenario finished");
        String stdout = Files.readString(tmp.resolve("stdout"));
        String stderr = Files.readString(tmp.resolve("stderr"));
        assertEquals(0, p.exitValue(), stdout + stderr);
        assertTrue(stdout.contains("SCENARIO DONE asked=[passphrase, password]"), "both secrets were used: " + stdout + stderr);

        // the app really wrote where it writes: known_hosts, the inventory, the audit log, snapshots
        List<Path> written;
        try (Stream<Path> s = Files.walk(root)) {
            written = s.filter(Files::isRegularFile).toList();
        }
        for (String name : List.of("known_hosts", "clusters.yaml", "audit.jsonl", "scan.headroom.json", "redacted.headroom.json")) {
            assertTrue(written.stream().anyMatch(f -> f.getFileName().toString().equals(name)), name + " in " + written);
        }
        List<String> hits = new ArrayList<>();
        for (String secret : List.of(PASSPHRASE, PASSWORD)) {
            for (byte[] needle : encodings(secret)) {
                for (Path f : written) {
                    if (contains(Files.readAllBytes(f), needle)) {
                        hits.add(f + " holds " + describe(secret, needle));
                    }
                }
                for (Path f : List.of(tmp.resolve("stdout"), tmp.resolve("stderr"))) {
                    if (contains(Files.readAllBytes(f), needle)) {
                        hits.add(f.getFileName() + " holds " + describe(secret, needle));
                    }
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    /** UTF-8, UTF-16LE/BE, and the base64 of the UTF-8 bytes at each of the three alignments (the stable middle). */
    static List<byte[]> encodings(String secret) {
        List<byte[]> out = new ArrayList<>();
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        out.add(utf8);
        out.add(secret.getBytes(StandardCharsets.UTF_16LE));
        out.add(secret.getBytes(StandardCharsets.UTF_16BE));
        for (int shift = 0; shift < 3; shift++) {
            byte[] padded = new byte[shift + utf8.length];
            System.arraycopy(utf8, 0, padded, shift, utf8.length);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(padded);
            // characters that depend only on the secret: skip the first 4 (prefix bytes) and the last 4
            out.add(b64.substring(4, b64.length() - 4).getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static String describe(String secret, byte[] needle) {
        return (secret.equals(PASSWORD) ? "the password" : "the passphrase") + " (" + needle.length + " bytes encoded)";
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        return MinaFixture.indexOf(hay, needle) >= 0;
    }

    /** Answers {@code sh -s -- NONCE ...} with a lab capture framed with that nonce, after reading the script. */
    private static MinaFixture.Behavior replay(String capture) {
        return (command, in, out, err, ch) -> {
            in.readAllBytes();
            String nonce = command.split(" ")[3];
            out.write(capture.replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":", "==HR:" + nonce + ":")
                    .getBytes(StandardCharsets.UTF_8));
            return 0;
        };
    }

    /** The session, in its own JVM: args = ssh config, root of every writable location. */
    public static final class Scenario {
        public static void main(String[] args) throws Exception {
            Path cfg = Path.of(args[0]);
            Path root = Path.of(args[1]);
            List<String> asked = new ArrayList<>();
            Prompter prompter = new Prompter() {
                @Override
                public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
                    return HostKeyDecision.ACCEPT_AND_SAVE;
                }

                @Override
                public char[] passphrase(String keyFile) {
                    asked.add("passphrase");
                    return PASSPHRASE.toCharArray();
                }

                @Override
                public char[] password(String userAtHost) {
                    asked.add("password");
                    return PASSWORD.toCharArray();
                }

                @Override
                public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
                    return null;
                }
            };
            ScanReport report;
            try (TransportRunners runners = new TransportRunners(prompter,
                    new TransportRunners.Options(cfg, Duration.ofSeconds(10), SshProbeRunner.SudoMode.AUTO))) {
                report = new ScanEngine(runners, "t").scan(List.of("by-key", "by-password"), ScanOptions.DEFAULTS,
                        ScanListener.NONE);
            }
            for (HostReport h : report.hosts()) {
                if (!h.scanned()) {
                    throw new IllegalStateException(h.target() + ": " + h.errors());
                }
            }
            Path configDir = ConfigPaths.configDir();
            if (!configDir.startsWith(root)) {
                throw new IllegalStateException("the config dir escaped the temporary root: " + configDir);
            }
            Inventory inv = Inventory.load(ConfigPaths.inventoryFile());
            inv.add(new Cluster("lab", List.of("by-key", "by-password"), null, null, null, null, null));
            new AuditLog(ConfigPaths.auditLogFile()).record("by-key", "/srv/compose.yml", "a", "b", "/srv/compose.yml.headroom-20261127T000000Z.bak",
                    "apply", "ok");
            Snapshots.write(report, configDir.resolve("snapshots/scan.headroom.json"));
            Snapshots.write(Redactor.redact(report), configDir.resolve("snapshots/redacted.headroom.json"));
            System.out.println(ReportJson.write(report));
            System.out.println("SCENARIO DONE asked=" + asked.stream().sorted().toList());
        }
    }
}
