package io.headroom.ssh;


import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on a loopback port with its own config, host key and authorized key,
 * started by tests (needs root for privilege separation: {@code /run/sshd}). Without sshd or root the
 * test is skipped with a message; under CI it fails.
 */
public final class OpenSshServer implements AutoCloseable {
    public final Path dir;
    public final int port;
    /** The client's private key (ed25519, no passphrase) authorized for root. */
    public final Path clientKey;
    public final Path hostKey;
    private final Process process;

    private OpenSshServer(Path dir, int port, Path clientKey, Path hostKey, Process process) {
        this.dir = dir;
        this.port = port;
        this.clientKey = clientKey;
        this.hostKey = hostKey;
        this.process = process;
    }

    /** Starts sshd with {@code extraConfig} lines taking precedence over the defaults. */
    public static OpenSshServer start(String... extraConfig) throws Exception {
        return start(null, extraConfig);
    }

    /** Starts sshd reusing an existing host key (to simulate a restart) or a new one when null. */
    public static OpenSshServer start(Path reuseHostKey, String... extraConfig) throws Exception {
        Path sshd = Path.of("/usr/sbin/sshd");
        io.headroom.it.Need.SSHD.require();
        Files.createDirectories(Path.of("/run/sshd"));
        Path dir = Files.createTempDirectory("headroom-sshd");
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        if (reuseHostKey != null) {
            Files.copy(reuseHostKey, hostKey);
            Files.copy(Path.of(reuseHostKey + ".pub"), Path.of(hostKey + ".pub"));
            Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-------"));
        } else {
            keygen(hostKey, "ed25519", "");
        }
        Path clientKey = dir.resolve("id_ed25519");
        keygen(clientKey, "ed25519", "");
        Files.copy(Path.of(clientKey + ".pub"), dir.resolve("authorized_keys"));
        int port = freePort();
        // sshd uses the first value of a keyword: the test's own lines go first
        List<String> config = new ArrayList<>(List.of(extraConfig));
        config.addAll(List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "MaxStartups 200:30:400",
                "MaxSessions 200",
                "LogLevel VERBOSE",
                "Subsystem sftp internal-sftp"));
        Path cfg = dir.resolve("sshd_config");
        Files.writeString(cfg, String.join("\n", config) + "\n");
        return launch(dir, port, clientKey, hostKey);
    }

    /** Runs sshd on {@code dir}'s config and waits until it listens on {@code port}. */
    private static OpenSshServer launch(Path dir, int port, Path clientKey, Path hostKey) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new OpenSshServer(dir, port, clientKey, hostKey, p);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("sshd did not listen on " + port);
    }

    /** The target string for root on this server. */
    public String target() {
        return "root@127.0.0.1:" + port;
    }

    /** A known_hosts line for this server's key ({@code [127.0.0.1]:port key}). */
    public String knownHostsLine() throws IOException {
        String pub = Files.readString(Path.of(hostKey + ".pub"), StandardCharsets.UTF_8).strip();
        String[] parts = pub.split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1];
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    static void keygen(Path file, String type, String passphrase) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-f", file.toString(), "-C", "headroom-test")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Kills sshd and every session process it forked, like a crash: open connections die mid-stream. */
    public void crash() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts sshd again on the same port with the same config, host key and authorized key (after {@link #crash}). */
    public OpenSshServer restart() throws Exception {
        return launch(dir, port, clientKey, hostKey);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
