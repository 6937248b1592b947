package io.headroom.ssh;

import io.headroom.ssh.agent.AgentAuthMethod;
import io.headroom.ssh.agent.AgentClient;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens authenticated sshj connections with OpenSSH semantics: settings from {@code ssh -G},
 * strict host keys, ProxyJump chains, agent → identity files → keyboard-interactive → password,
 * and a watchdog so a black-holed host cannot hang a scan.
 */
public final class SshConnector {

    private final SshConfigResolver resolver;
    private final Prompter prompter;
    private final Duration defaultConnectTimeout;
    private final boolean useAgent;
    private final Map<Path, KeyProvider> decryptedKeys = new ConcurrentHashMap<>();

    /**
     * The largest channel data packet Headroom asks servers to send, in bytes, chosen so that a whole data packet
     * fits the 4 KiB that sshj's decoder packet buffer grows to, the size each channel stream's buffer starts at
     * and the reader's receive buffer (decisions 0038, 0040). OpenSSH's sshd caps the data length of a packet at
     * this value ({@code channel_output_poll}) and pads to at most its cipher block + 3 bytes; the decoder holds
     * the length field, the payload and the MAC or tag: 4 + 1 (padding length) + 13 (CHANNEL_EXTENDED_DATA's
     * header) + 3968 + 19 (padding) + 64 (hmac-sha2-512) = 4069 ≤ 4096. A server that pads more only makes the
     * buffer grow once. sshj asks for 32 KiB.
     */
    public static final int MAX_CHANNEL_PACKET = 4 * 1024 - 128;

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
        // the algorithms OpenSSH would use for this host, not sshj's defaults (arcfour, 3des, hmac-md5, ssh-rsa...)
        SSHClient client = new SSHClient(SshjConfigs.of(s.algorithms()));
        // channel data in packets that fit 4 KiB (sshj asks for 32 KiB): the decoder's packet buffer and the channel
        // streams' buffers, kept for the connection's or channel's life, stay at 4 KiB instead of growing to 64 KiB
        // (decisions 0038, 0040)
        client.getConnection().setMaxPacketSize(MAX_CHANNEL_PACKET);
        Duration timeout = s.connectTimeout() != null ? s.connectTimeout() : defaultConnectTimeout;
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        AtomicBoolean fired = new AtomicBoolean();
        // OpenSSH's ConnectTimeout covers the TCP connect and the banner; the handshake and authentication
        // get 2 s more before the watchdog cuts a host that stopped answering
        ConnectDeadline deadline = new ConnectDeadline(ms + 2000L, () -> {
            fired.set(true);
            // wake every thread waiting on this transport (kex, auth), then drop the socket
            client.getTransport().die(new net.schmizz.sshj.transport.TransportException("connect timed out"));
            try {
                if (client.getSocket() != null) {
                    client.getSocket().close();
                }
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
            Thread.ofVirtual().start(() -> closeQuietly(client));
        });
        Prompter prompts = deadline.pausing(prompter);
        KnownHostsVerifier verifier = new KnownHostsVerifier(s, prompts, true);
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout(ms);
        // sshj's own wait limit must outlast a user reading a prompt; the deadline enforces the
        // connect timeout on the time that is not spent prompting
        client.getTransport().setTimeoutMs((int) Math.max(ms, 600_000));
        deadline.start();
        try {
            handshake(client, s.hostname(), s.port(), via);
            LostConnection.rethrown(client, () -> authenticate(client, s, prompts));
            SharedKeepAlive.watch(client, s.serverAliveInterval(), s.serverAliveCountMax());
            return client;
        } catch (IOException e) {
            closeQuietly(client);
            if (fired.get()) {
                throw new SshException(SshException.Kind.TIMED_OUT, label + ": timed out after " + timeout.toSeconds()
                        + " s (no SSH answer from " + s.hostname() + ":" + s.port() + ")", e);
            }
            throw classify(label, s, verifier, e);
        } finally {
            deadline.stop();
        }
    }

    /**
     * Opens the socket (or the tunnel through {@code via}) and runs the key exchange. A server that fails the
     * negotiation fast (no algorithm in common) can make sshj's reader thread close the transport before
     * {@code connect} itself starts the key exchange, which then throws {@code IllegalStateException("Not connected")}
     * instead of the reason: the reason is the transport's cause of death ({@link LostConnection}).
     */
    static void handshake(SSHClient client, String host, int port, SSHClient via) throws IOException {
        LostConnection.rethrown(client, () -> {
            if (via == null) {
                client.connect(host, port);
            } else {
                DirectConnection tunnel = via.newDirectConnection(host, port);
                client.connectVia(tunnel);
            }
        });
    }

    private void authenticate(SSHClient client, SshSettings s, Prompter prompter) throws IOException {
        String who = s.user() + "@" + s.hostname();
        List<AuthMethod> methods = new ArrayList<>();
        methods.add(new net.schmizz.sshj.userauth.method.AuthNone()); // as OpenSSH: learn which methods the server takes
        AgentClient agent = null;
        List<AgentClient.Identity> agentKeys = List.of();
        if (useAgent) {
            java.util.Optional<Path> socket = AgentClient.socketFromEnvironment();
            if (socket.isPresent()) {
                try {
                    agent = AgentClient.connect(socket.get());
                    agentKeys = agent.identities();
                } catch (IOException e) {
                    // an unusable agent is skipped; identity files and prompts still follow
                    if (agent != null) {
                        agent.close();
                        agent = null;
                    }
                    agentKeys = List.of();
                }
            }
        }
        // with a CertificateFile, ssh loads no KEY-cert.pub beside the keys (ssh.c load_public_identity_files)
        boolean besideCertificates = s.certificateFiles().isEmpty();
        // the configured identities' public keys: the agent's keys among them come first, and with IdentitiesOnly
        // they are the only agent keys used (for certificates too: sign_and_send_pubkey looks for a signer among the
        // identities pubkey_prepare kept)
        java.util.Set<String> configured = configuredBlobs(s.identityFiles(), besideCertificates);
        if (s.identitiesOnly()) {
            agentKeys = agentKeys.stream().filter(k -> configured.contains(blob(k))).toList();
        }
        // OpenSSH's order (sshconnect2.c pubkey_prepare): the CertificateFile certificates; the agent's keys, those of
        // configured identities first; the files
        methods.addAll(certificateMethods(client, s, prompter, agent, agentKeys));
        List<AgentClient.Identity> ordered = new ArrayList<>(agentKeys.stream().filter(k -> configured.contains(blob(k))).toList());
        agentKeys.stream().filter(k -> !configured.contains(blob(k))).forEach(ordered::add);
        // a file identity the agent holds too is offered once, by the agent, as ssh does, and its file is not even
        // opened then (no passphrase asked)
        java.util.Set<String> inAgent = new java.util.HashSet<>();
        for (AgentClient.Identity k : ordered) {
            methods.add(new AgentAuthMethod(agent, k));
            inAgent.add(blob(k));
        }
        for (Path key : s.identityFiles()) {
            if (!Files.isRegularFile(key)) {
                continue;
            }
            String pubBlob = PublicKeyFiles.blob(Path.of(key + ".pub"));
            // the key the private key signs for, from the file's unencrypted header (null for PEM files); else KEY.pub
            String ownBlob = PublicKeyFiles.ofPrivateKeyFile(key);
            String signsFor = ownBlob != null ? ownBlob : pubBlob;
            if (pubBlob == null) {
                pubBlob = ownBlob;  // ssh reads KEY.pub, else the private key file (sshkey_load_public)
            }
            Path certFile = Path.of(key + "-cert.pub");
            String certBlob = besideCertificates && Files.exists(certFile) ? PublicKeyFiles.blob(certFile) : "";
            boolean certInAgent = certBlob != null && (certBlob.isEmpty() || inAgent.contains(certBlob));  // "": no certificate
            if (pubBlob != null && inAgent.contains(pubBlob) && certInAgent) {
                continue;
            }
            KeyProvider kp = fileKey(client, key, prompter);
            if (kp == null) {
                continue;
            }
            // a key with KEY-cert.pub beside it is two identities for ssh, the key and then its certificate
            // (ssh.c load_public_identity_files); sshj loads the certificate in the key's place
            boolean offerCertificate = besideCertificates;
            if (kp.getPublic() instanceof com.hierynomus.sshj.userauth.certificate.Certificate<?> cert) {
                // a certificate of an older key (the key was made again, the certificate not signed again): the
                // plain identity is the key the private key signs for, and the certificate cannot sign (ssh's
                // identity_sign refuses it: "private key contents do not match public")
                java.security.PublicKey plain = cert.getKey();
                if (signsFor != null && !signsFor.equals(PublicKeyFiles.blob(plain))) {
                    plain = PublicKeyFiles.publicKey(signsFor);
                    offerCertificate = false;
                }
                if (plain != null && !inAgent.contains(PublicKeyFiles.blob(plain))) {
                    methods.add(new AuthPublickey(new net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper(plain, kp.getPrivate())));
                }
            } else {
                offerCertificate = true;  // the plain key itself
            }
            if (offerCertificate && !inAgent.contains(PublicKeyFiles.blob(kp.getPublic()))) {
                methods.add(new AuthPublickey(kp));
            }
        }
        // ask for a password only when the server takes one (the "none" request below learns the methods)
        InteractiveSecrets.OncePasswordFinder password = new InteractiveSecrets.OncePasswordFinder(() -> {
            var allowed = client.getUserAuth().getAllowedMethods();
            return allowed != null && !allowed.isEmpty() && !allowed.contains("password") ? null : prompter.password(who);
        });
        InteractiveSecrets.PromptingChallenges challenges = new InteractiveSecrets.PromptingChallenges(prompter, who);
        // OpenSSH's PreferredAuthentications order: publickey, keyboard-interactive, password
        methods.add(new AuthKeyboardInteractive(challenges));
        methods.add(new AuthPassword(password));
        try {
            client.auth(s.user(), methods);
        } finally {
            password.wipe();
            challenges.wipe();
            if (agent != null) {
                agent.close();
            }
        }
    }

    /**
     * The identity file {@code key}, decrypted (asking for its passphrase once per connector): a key that cannot be
     * opened is skipped (null), never cached, so the next connection asks again.
     */
    private KeyProvider fileKey(SSHClient client, Path key, Prompter prompter) {
        KeyProvider kp = decryptedKeys.get(key);
        if (kp != null) {
            return kp;
        }
        InteractiveSecrets.OncePasswordFinder finder = new InteractiveSecrets.OncePasswordFinder(() -> prompter.passphrase(key.toString()));
        try {
            KeyProvider loaded = client.loadKeys(key.toString(), finder);
            loaded.getPrivate();
            decryptedKeys.put(key, loaded);
            return loaded;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            finder.wipe();
        }
    }

    /**
     * The user certificates of the CertificateFile entries, each offered with the key that signs for it (ssh's
     * sign_and_send_pubkey): the agent's, else an identity file's whose public key is the certificate's (opened then,
     * passphrase asked). A file that is not a user certificate, or whose key neither holds, is left out, as ssh
     * cannot sign with it either.
     */
    private List<AuthMethod> certificateMethods(SSHClient client, SshSettings s, Prompter prompter, AgentClient agent,
                                                List<AgentClient.Identity> agentKeys) {
        List<AuthMethod> methods = new ArrayList<>();
        java.util.Set<String> offered = new java.util.HashSet<>();
        for (Path file : s.certificateFiles()) {
            String blob = PublicKeyFiles.blob(file);
            if (blob == null || !offered.add(blob)
                    || !(PublicKeyFiles.publicKey(blob) instanceof com.hierynomus.sshj.userauth.certificate.Certificate<?> cert)
                    || cert.getType() != 1) {  // 1: SSH_CERT_TYPE_USER (PROTOCOL.certkeys)
                continue;
            }
            String keyBlob = PublicKeyFiles.blob(cert.getKey());
            AgentClient.Identity signer = agentKeys.stream()
                    .filter(k -> blob(k).equals(keyBlob)).findFirst().orElse(null);
            if (signer != null) {
                methods.add(AgentAuthMethod.forCertificate(agent, signer,
                        new AgentClient.Identity(java.util.Base64.getDecoder().decode(blob), file.toString())));
                continue;
            }
            for (Path key : s.identityFiles()) {
                // the identity's public key as ssh reads it (KEY.pub, else the private key file); without either (a PEM
                // key alone), the certificate named after the key (id_filename_matches)
                String pub = PublicKeyFiles.blob(Path.of(key + ".pub"));
                if (pub == null) {
                    pub = PublicKeyFiles.ofPrivateKeyFile(key);
                }
                boolean named = pub == null && (file.equals(Path.of(key + "-cert.pub")) || file.equals(Path.of(key + ".pub")));
                KeyProvider kp = (keyBlob.equals(pub) || named) && Files.isRegularFile(key) ? fileKey(client, key, prompter) : null;
                if (kp != null) {
                    try {
                        methods.add(new AuthPublickey(new net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper(cert, kp.getPrivate())));
                        break;
                    } catch (IOException e) {
                        // decrypted by fileKey already: not reached
                    }
                }
            }
        }
        return methods;
    }

    private static String blob(AgentClient.Identity k) {
        return java.util.Base64.getEncoder().encodeToString(k.keyBlob());
    }

    /**
     * The public keys of the configured identity files, as ssh reads them for IdentitiesOnly (ssh.c
     * load_public_identity_files, sshkey_load_public): the file itself when it is a public key (an IdentityFile may
     * name a {@code .pub} whose private key only the agent holds), {@code FILE.pub}, {@code FILE-cert.pub} (unless a
     * CertificateFile is set: {@code besideCertificates} false), and the public key an OpenSSH private key file keeps
     * unencrypted.
     */
    static java.util.Set<String> configuredBlobs(List<Path> identityFiles, boolean besideCertificates) {
        java.util.Set<String> blobs = new java.util.HashSet<>();
        for (Path f : identityFiles) {
            List<Path> files = besideCertificates ? List.of(f, Path.of(f + ".pub"), Path.of(f + "-cert.pub")) : List.of(f, Path.of(f + ".pub"));
            for (Path p : files) {
                String b = PublicKeyFiles.blob(p);
                if (b != null) {
                    blobs.add(b);
                }
            }
            String own = PublicKeyFiles.ofPrivateKeyFile(f);
            if (own != null) {
                blobs.add(own);
            }
        }
        return blobs;
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
            // name the host only when it is not what the user typed (an alias, user@host): never the same word twice
            return new SshException(SshException.Kind.NAME_NOT_FOUND, label + ": name not found"
                    + (label.equals(s.hostname()) ? "" : ": " + s.hostname()), e);
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
        if (root instanceof java.util.concurrent.TimeoutException || String.valueOf(e.getMessage()).startsWith("Timeout expired")) {
            return new SshException(SshException.Kind.TIMED_OUT, label + ": " + where + " stopped answering during the SSH"
                    + " handshake (timed out)", e);
        }
        SshException noCommon = NoCommonAlgorithm.explain(label, where, e);
        if (noCommon != null) {
            return noCommon;
        }
        if (e instanceof TransportException) {
            return new SshException(SshException.Kind.DISCONNECTED, label + ": SSH connection to " + where + " failed: "
                    + e.getMessage(), e);
        }
        return new SshException(SshException.Kind.DISCONNECTED, label + ": " + e.getMessage(), e);
    }

    static void closeQuietly(SSHClient c) {
        SharedKeepAlive.forget(c);
        LiveShell.forget(c);
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing
        }
    }
}
