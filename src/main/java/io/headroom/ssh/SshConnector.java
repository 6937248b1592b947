package io.headroom.ssh;

import io.headroom.ssh.agent.AgentAuthMethod;
import io.headroom.ssh.agent.AgentClient;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.method.ChallengeResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens authenticated sshj connections with OpenSSH semantics: settings from {@code ssh -G},
 * strict host keys, ProxyJump chains, agent → identity files → password → keyboard-interactive,
 * and a watchdog so a black-holed host cannot hang a scan.
 */
public final class SshConnector {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssh-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SshConfigResolver resolver;
    private final Prompter prompter;
    private final Duration defaultConnectTimeout;
    private final boolean useAgent;
    private final Map<Path, KeyProvider> decryptedKeys = new ConcurrentHashMap<>();

    /**
     * @param useAgent offer the keys of the ssh-agent at SSH_AUTH_SOCK first (as OpenSSH does)
     */
    public SshConnector(SshConfigResolver resolver, Prompter prompter, Duration defaultConnectTimeout, boolean useAgent) {
        this.resolver = resolver;
        this.prompter = prompter;
        this.defaultConnectTimeout = defaultConnectTimeout;
        this.useAgent = useAgent;
    }

    /** A connection and the jump hosts it runs through (closed together). */
    public record Connection(SSHClient client, List<SSHClient> jumps, SshSettings settings) implements AutoCloseable {
        public boolean alive() {
            return client.isConnected() && client.isAuthenticated();
        }

        @Override
        public void close() {
            closeQuietly(client);
            List<SSHClient> reversed = new ArrayList<>(jumps);
            Collections.reverse(reversed);
            reversed.forEach(SshConnector::closeQuietly);
        }
    }

    public Connection connect(String target) throws SshException {
        return connect(target, null);
    }

    /** @param jump a ProxyJump overriding the ssh config (a cluster's jump host), or null */
    public Connection connect(String target, String jump) throws SshException {
        SshSettings settings = resolver.resolve(target, jump);
        List<SSHClient> jumps = new ArrayList<>();
        try {
            SSHClient previous = null;
            for (String hop : settings.proxyJump()) {
                SshSettings hopSettings = resolver.resolve(hop);
                SSHClient c = open(hopSettings, previous, hop);
                jumps.add(c);
                previous = c;
            }
            SSHClient client = open(settings, previous, target);
            return new Connection(client, jumps, settings);
        } catch (SshException e) {
            jumps.forEach(SshConnector::closeQuietly);
            throw e;
        }
    }

    private SSHClient open(SshSettings s, SSHClient via, String label) throws SshException {
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        KnownHostsVerifier verifier = new KnownHostsVerifier(s, prompter, true);
        client.addHostKeyVerifier(verifier);
        Duration timeout = s.connectTimeout() != null ? s.connectTimeout() : defaultConnectTimeout;
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        client.setConnectTimeout(ms);
        client.getTransport().setTimeoutMs(ms);
        AtomicBoolean fired = new AtomicBoolean();
        // handshake + auth must finish in time: a host that accepts TCP but never answers is cut off
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            fired.set(true);
            closeQuietly(client);
        }, ms + 2000L, TimeUnit.MILLISECONDS);
        try {
            if (via == null) {
                client.connect(s.hostname(), s.port());
            } else {
                DirectConnection tunnel = via.newDirectConnection(s.hostname(), s.port());
                client.connectVia(tunnel);
            }
            int alive = s.serverAliveInterval() > 0 ? s.serverAliveInterval() : 15;
            client.getConnection().getKeepAlive().setKeepAliveInterval(alive);
            authenticate(client, s);
            return client;
        } catch (IOException e) {
            closeQuietly(client);
            if (fired.get()) {
                throw new SshException(SshException.Kind.TIMED_OUT, label + ": timed out after " + timeout.toSeconds()
                        + " s (no SSH answer from " + s.hostname() + ":" + s.port() + ")", e);
            }
            throw classify(label, s, verifier, e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private void authenticate(SSHClient client, SshSettings s) throws IOException {
        String who = s.user() + "@" + s.hostname();
        List<AuthMethod> methods = new ArrayList<>();
        AgentClient agent = null;
        if (useAgent && !s.identitiesOnly()) {
            java.util.Optional<Path> socket = AgentClient.socketFromEnvironment();
            if (socket.isPresent()) {
                try {
                    agent = AgentClient.connect(socket.get());
                    methods.addAll(AgentAuthMethod.forAgent(agent));
                } catch (IOException e) {
                    // an unusable agent is skipped; identity files and prompts still follow
                    if (agent != null) {
                        agent.close();
                        agent = null;
                    }
                }
            }
        }
        for (Path key : s.identityFiles()) {
            if (!Files.isRegularFile(key)) {
                continue;
            }
            KeyProvider kp = decryptedKeys.get(key);
            if (kp == null) {
                kp = client.loadKeys(key.toString(), passphraseFinder(key));
                decryptedKeys.put(key, kp);
            }
            methods.add(new AuthPublickey(kp));
        }
        methods.add(new AuthPassword(new OncePasswordFinder(() -> prompter.password(who))));
        methods.add(new AuthKeyboardInteractive(new PromptingChallenges(prompter, who)));
        try {
            client.auth(s.user(), methods);
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    private PasswordFinder passphraseFinder(Path key) {
        return new OncePasswordFinder(() -> prompter.passphrase(key.toString()));
    }

    static SshException classify(String label, SshSettings s, KnownHostsVerifier verifier, IOException e) {
        if (verifier.failure() != null) {
            SshException f = verifier.failure();
            return new SshException(f.kind(), label + ": " + f.getMessage(), e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof UnknownHostException || root instanceof ConnectException
                    || root instanceof SocketTimeoutException || root instanceof NoRouteToHostException) {
                break;
            }
        }
        String where = s.hostname() + ":" + s.port();
        if (e instanceof UnknownHostException || root instanceof UnknownHostException) {
            return new SshException(SshException.Kind.NAME_NOT_FOUND, label + ": name not found: " + s.hostname(), e);
        }
        if (e instanceof ConnectException || root instanceof ConnectException) {
            return new SshException(SshException.Kind.REFUSED, label + ": connection refused by " + where
                    + " (no SSH server listening?)", e);
        }
        if (e instanceof SocketTimeoutException || root instanceof SocketTimeoutException) {
            return new SshException(SshException.Kind.TIMED_OUT, label + ": timed out connecting to " + where, e);
        }
        if (e instanceof NoRouteToHostException || root instanceof NoRouteToHostException) {
            return new SshException(SshException.Kind.UNREACHABLE, label + ": no route to " + where, e);
        }
        if (e instanceof UserAuthException) {
            return new SshException(SshException.Kind.AUTH_FAILED, label + ": authentication failed for " + s.user() + "@"
                    + s.hostname() + " (tried ssh-agent, identity files, password and keyboard-interactive)", e);
        }
        if (e instanceof TransportException) {
            return new SshException(SshException.Kind.DISCONNECTED, label + ": SSH connection to " + where + " failed: "
                    + e.getMessage(), e);
        }
        return new SshException(SshException.Kind.DISCONNECTED, label + ": " + e.getMessage(), e);
    }

    static void closeQuietly(SSHClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing
        }
    }

    /** Asks once per resource; never retries with the same secret, never keeps it. */
    private static final class OncePasswordFinder implements PasswordFinder {
        private final java.util.function.Supplier<char[]> ask;
        private boolean asked;

        OncePasswordFinder(java.util.function.Supplier<char[]> ask) {
            this.ask = ask;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            if (asked) {
                return null;
            }
            asked = true;
            return ask.get();
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }
    }

    /** Keyboard-interactive through the prompter. */
    private static final class PromptingChallenges implements ChallengeResponseProvider {
        private final Prompter prompter;
        private final String who;
        private int rounds;

        PromptingChallenges(Prompter prompter, String who) {
            this.prompter = prompter;
            this.who = who;
        }

        @Override
        public List<String> getSubmethods() {
            return Collections.emptyList();
        }

        @Override
        public void init(Resource resource, String name, String instruction) {
            rounds++;
        }

        @Override
        public char[] getResponse(String prompt, boolean echo) {
            char[] answer = prompter.keyboardInteractive(who, prompt, echo);
            return answer == null ? new char[0] : answer;
        }

        @Override
        public boolean shouldRetry() {
            return rounds < 1;
        }
    }

    /** Wipes a secret. */
    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
