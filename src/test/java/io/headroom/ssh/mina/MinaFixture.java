package io.headroom.ssh.mina;

import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshConfigResolver;
import io.headroom.ssh.SshConnector;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * In-process Apache MINA SSH servers plus the client-side files a test needs: an ssh config for
 * {@code ssh -G -F}, a known_hosts file, keys made with ssh-keygen, and a recording {@link Prompter}.
 * Every server started here is stopped by {@link #close()}.
 */
final class MinaFixture implements AutoCloseable {
    static final String USER = "user";
    static final String PASSWORD = "correct horse";

    final Path dir;
    final Path knownHosts;
    private final List<SshServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    MinaFixture(Path dir) {
        this.dir = dir;
        this.knownHosts = dir.resolve("known_hosts");
    }

    // ---------------------------------------------------------------- servers

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started server on 127.0.0.1, ephemeral port, with {@code hostKey}; no auth unless customized. */
    SshServer server(KeyPair hostKey, Consumer<SshServer> customize) throws IOException {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(0);
        s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setPublickeyAuthenticator(null);
        s.setGSSAuthenticator(null);
        s.setHostBasedAuthenticator(null);
        customize.accept(s);
        servers.add(s);
        s.start();
        return s;
    }

    /**
     * A server accepting {@link #USER}/{@link #PASSWORD} by password only. (MINA would otherwise also offer
     * keyboard-interactive whenever a password authenticator is set; {@code more} may add methods back.)
     */
    SshServer passwordServer(KeyPair hostKey, Consumer<SshServer> more) throws IOException {
        return server(hostKey, s -> {
            s.setPasswordAuthenticator((u, p, session) -> USER.equals(u) && PASSWORD.equals(p));
            s.setUserAuthFactories(new ArrayList<>(List.of(org.apache.sshd.server.auth.password.UserAuthPasswordFactory.INSTANCE)));
            more.accept(s);
        });
    }

    /** A {@link #passwordServer} whose every exec runs {@code behavior} (a {@link FakeCommand} per command). */
    SshServer commandServer(KeyPair hostKey, Behavior behavior) throws IOException {
        return passwordServer(hostKey, s -> s.setCommandFactory((ch, command) -> new FakeCommand(command, behavior, new ArrayList<>())));
    }

    void register(AutoCloseable c) {
        closeables.add(c);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        for (SshServer s : servers) {
            try {
                s.stop(true);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    // ---------------------------------------------------------------- client files

    /**
     * Writes an ssh config: {@code Host tgt} → 127.0.0.1:port as {@link #USER} with {@code targetLines},
     * then {@code Host *} defaults (IdentitiesOnly, a missing IdentityFile so no ~/.ssh key is used,
     * the test's known_hosts, ConnectTimeout 5).
     */
    Path config(int port, String... targetLines) throws IOException {
        return config("127.0.0.1", port, targetLines);
    }

    /** As {@link #config(int, String...)} with another HostName. */
    Path config(String hostName, int port, String... targetLines) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("Host tgt\n  HostName ").append(hostName).append("\n  Port ").append(port).append("\n  User ").append(USER).append('\n');
        for (String l : targetLines) {
            b.append("  ").append(l).append('\n');
        }
        b.append("Host *\n")
                .append("  IdentitiesOnly yes\n")
                .append("  IdentityFile ").append(dir.resolve("no_such_key")).append('\n')
                .append("  UserKnownHostsFile ").append(knownHosts).append('\n')
                .append("  ConnectTimeout 5\n")
                .append("  GlobalKnownHostsFile /dev/null\n");
        Path cfg = dir.resolve("ssh_config");
        Files.writeString(cfg, b.toString());
        return cfg;
    }

    SshConnector connector(Path cfg, Prompter prompter) {
        return new SshConnector(new SshConfigResolver("ssh", cfg), prompter, Duration.ofSeconds(5), false);
    }

    /** The {@code [127.0.0.1]:port} name known_hosts uses. */
    static String hostName(int port) {
        return "[127.0.0.1]:" + port;
    }

    /** Writes a known_hosts line {@code hostPart key}. */
    void knownHost(String hostPart, PublicKey key) throws IOException {
        Files.writeString(knownHosts, hostPart + " " + PublicKeyEntry.toString(key) + "\n");
    }

    /** Writes {@code key} as an OpenSSH .pub file and returns its path. */
    Path writePub(String name, PublicKey key) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, PublicKeyEntry.toString(key) + " test\n");
        return p;
    }

    /** Runs ssh-keygen to make a key pair; returns the private key path. */
    Path keygen(String name, String type, String passphrase) throws Exception {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        cmd.addAll(List.of("-N", passphrase, "-C", name, "-f", key.toString()));
        run(cmd.toArray(String[]::new));
        return key;
    }

    /** Runs a command, returns stdout+stderr; fails on non-zero exit unless {@code allowFail}. */
    static String run(String... cmd) throws Exception {
        return run(false, cmd);
    }

    static String run(boolean allowFail, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (!allowFail && p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** A port nothing listens on (bound then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The regular files under {@code root} that contain {@code needle} (UTF-8 bytes). */
    static List<Path> filesContaining(Path root, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(f);
                if (indexOf(b, n) >= 0) {
                    hits.add(f);
                }
            }
        }
        return hits;
    }

    /** The first index of {@code needle} in {@code hay}, or -1. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** An exception and its causes, for assertion messages. */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        if (t instanceof io.headroom.ssh.SshException se) {
            b.append(se.kind()).append(": ");
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c == t ? "" : " <- ").append(c.getClass().getSimpleName()).append('(').append(c.getMessage()).append(')');
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- prompter

    /** A scripted Prompter that records every call. */
    static final class RecordingPrompter implements Prompter {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** Every secret array handed out, to check it was wiped afterwards. */
        final List<char[]> handedOut = new CopyOnWriteArrayList<>();
        volatile HostKeyDecision hostKeyDecision = HostKeyDecision.ACCEPT_ONCE;
        volatile String password = PASSWORD;
        volatile String passphrase;
        volatile java.util.function.BiFunction<String, Boolean, String> kbd = (prompt, echo) -> null;
        /** How long a "human" takes to answer the prompts named in {@link #slowPrompts}. */
        volatile long thinkMillis;
        /** Prompt kinds answered slowly: hostkey, passphrase, password, kbd. */
        volatile java.util.Set<String> slowPrompts = java.util.Set.of();

        private void think(String kind) {
            if (thinkMillis > 0 && slowPrompts.contains(kind)) {
                try {
                    Thread.sleep(thinkMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
            calls.add("hostkey " + host + " " + keyType + " " + fingerprint);
            think("hostkey");
            return hostKeyDecision;
        }

        /** Every changed-key report, as the verifier gave it. */
        final List<io.headroom.ssh.HostKeyMismatch> changes = new CopyOnWriteArrayList<>();

        @Override
        public void hostKeyChanged(io.headroom.ssh.HostKeyMismatch mismatch) {
            calls.add("changed " + mismatch.host());
            changes.add(mismatch);
        }

        @Override
        public char[] passphrase(String keyFile) {
            calls.add("passphrase " + keyFile);
            think("passphrase");
            return secret(passphrase);
        }

        @Override
        public char[] password(String userAtHost) {
            calls.add("password " + userAtHost);
            think("password");
            return secret(password);
        }

        @Override
        public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
            calls.add("kbd " + userAtHost + " [" + prompt + "] echo=" + echo);
            think("kbd");
            return secret(kbd.apply(prompt, echo));
        }

        private char[] secret(String s) {
            if (s == null) {
                return null;
            }
            char[] c = s.toCharArray();
            handedOut.add(c);
            return c;
        }

        List<String> callsStartingWith(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix)).toList();
        }

        boolean allSecretsWiped() {
            return handedOut.stream().allMatch(c -> {
                char[] zeros = new char[c.length];
                return Arrays.equals(c, zeros);
            });
        }
    }

    // ---------------------------------------------------------------- fake commands

    /** What a fake remote command does; returns the exit status, or null to not report one. */
    @FunctionalInterface
    interface Behavior {
        Integer run(String command, InputStream in, OutputStream out, OutputStream err, ChannelSession channel)
                throws Exception;
    }

    /** A server command running {@link Behavior} on its own thread. */
    static final class FakeCommand implements Command {
        private final String command;
        private final Behavior behavior;
        private final List<String> destroyed;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Thread thread;

        FakeCommand(String command, Behavior behavior, List<String> destroyed) {
            this.command = command;
            this.behavior = behavior;
            this.destroyed = destroyed;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            thread = new Thread(() -> {
                try {
                    Integer status = behavior.run(command, in, out, err, channel);
                    if (status != null) {
                        out.flush();
                        err.flush();
                        exit.onExit(status);
                    }
                } catch (InterruptedException e) {
                    // destroyed
                } catch (Exception e) {
                    if (channel.isOpen()) {
                        exit.onExit(255, String.valueOf(e));
                    }
                }
            }, "fake-command");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            destroyed.add(command);
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
