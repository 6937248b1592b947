package io.headroom.ssh.agent;

import com.hierynomus.sshj.key.KeyAlgorithm;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.Transport;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.AuthParams;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;
import net.schmizz.sshj.userauth.method.AuthMethod;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The {@code publickey} method (RFC 4252 §7) for one ssh-agent identity: the private key stays in the
 * agent, which signs the session data. Behaves like sshj's own {@code AuthPublickey}: a query without
 * signature first, and the signed request only after {@code SSH_MSG_USERAUTH_PK_OK} (sshj's
 * {@code USERAUTH_60}), so the agent is asked to sign (and may prompt for confirmation) only for a key
 * the server accepts.
 *
 * <p>Signature algorithm: as in sshj 0.40.0's {@code KeyedAuthMethod}, the candidates are sshj's configured
 * key algorithms for the key's type ({@code Transport.getClientKeyAlgorithms(KeyType)}), in config order,
 * and the next one is tried when the server refuses (sshj ignores the server's {@code server-sig-algs}).
 * With OpenSSH's lists (decision 0043) an RSA key is tried as {@code rsa-sha2-512} (agent flag
 * {@link AgentClient#SSH_AGENT_RSA_SHA2_512}), then {@code rsa-sha2-256}
 * ({@link AgentClient#SSH_AGENT_RSA_SHA2_256}), then {@code ssh-rsa} only where {@code ssh -G} lists it
 * (a user's {@code HostKeyAlgorithms +ssh-rsa}); RSA certificates additionally get the
 * {@code rsa-sha2-*-cert-v01@openssh.com} names sshj lacks. Key types sshj does not know (e.g. FIDO
 * {@code sk-*} keys) are offered under their own name, the agent doing the signing.
 */
public final class AgentAuthMethod extends AbstractAuthMethod {
    private static final String CERT_SUFFIX = "-cert-v01@openssh.com";

    private final AgentClient agent;
    private final AgentClient.Identity identity;
    private final byte[] keyBlob;
    /** The blob the agent signs with: the identity's own, or for a certificate from a file, its key's. */
    private final byte[] signingBlob;
    private final String keyType;
    private Deque<String> algorithms;

    public AgentAuthMethod(AgentClient agent, AgentClient.Identity identity) {
        this(agent, identity, identity.keyBlob());
    }

    private AgentAuthMethod(AgentClient agent, AgentClient.Identity identity, byte[] signingBlob) {
        super("publickey");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.keyBlob = identity.keyBlob();
        this.signingBlob = signingBlob.clone();
        this.keyType = identity.keyType();
    }

    /**
     * A user certificate from a file (CertificateFile) whose key the agent holds: the certificate is offered and the
     * agent signs with the key, as ssh's sign_and_send_pubkey does (ssh-agent finds keys by their own blob, not by a
     * certificate it was never given).
     *
     * @param key         the agent's identity for the certificate's key
     * @param certificate the certificate: the name (e.g. its file) and blob to offer
     */
    public static AgentAuthMethod forCertificate(AgentClient agent, AgentClient.Identity key, AgentClient.Identity certificate) {
        return new AgentAuthMethod(agent, certificate, key.keyBlob());
    }

    /** One method per key the agent holds, in the agent's order, for {@code SSHClient.auth(user, methods)}. */
    public static List<AuthMethod> forAgent(AgentClient agent) throws IOException {
        return forIdentities(agent, agent.identities());
    }

    /** One method per given identity (e.g. a subset of {@link AgentClient#identities()}), in order. */
    public static List<AuthMethod> forIdentities(AgentClient agent, List<AgentClient.Identity> identities) {
        List<AuthMethod> methods = new ArrayList<>(identities.size());
        for (AgentClient.Identity identity : identities) {
            methods.add(new AgentAuthMethod(agent, identity));
        }
        return List.copyOf(methods);
    }

    /**
     * Authenticates {@code username} with the agent's keys only, with plain-words failures: an agent without
     * keys, or a server refusing all of them (naming each key by type, fingerprint and comment).
     *
     * @throws UserAuthException when no agent key is accepted
     * @throws AgentException when the agent cannot list its keys
     * @throws TransportException when the connection fails (e.g. the server's MaxAuthTries ran out)
     */
    public static void authenticate(SSHClient client, String username, AgentClient agent) throws IOException {
        List<AgentClient.Identity> identities = agent.identities();
        if (identities.isEmpty()) {
            throw new UserAuthException("The ssh-agent at " + agent.socket() + " holds no keys (add one with ssh-add)");
        }
        try {
            client.auth(username, forIdentities(agent, identities));
        } catch (UserAuthException e) {
            StringBuilder keys = new StringBuilder();
            for (AgentClient.Identity identity : identities) {
                keys.append(keys.isEmpty() ? "" : ", ").append(identity.describe());
            }
            Throwable last = e.getCause();
            String lastError = last != null && last.getMessage() != null ? "; last error: " + last.getMessage() : "";
            throw new UserAuthException("The server refused " + (identities.size() == 1 ? "the" : "all " + identities.size())
                    + " ssh-agent key" + (identities.size() == 1 ? "" : "s") + " for " + username + ": " + keys + lastError, e);
        }
    }

    /** The agent identity this method offers. */
    public AgentClient.Identity identity() {
        return identity;
    }

    @Override
    public void init(AuthParams params) {
        super.init(params);
        algorithms = null;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) {
            sendSignedRequest();
        } else {
            super.handle(cmd, buf);
        }
    }

    /** After a refusal, the next signature algorithm for this key (if any) is tried, as sshj does. */
    @Override
    public boolean shouldRetry() {
        if (algorithms == null) {
            return false;
        }
        algorithms.poll();
        return !algorithms.isEmpty();
    }

    /** The query without signature. */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return buildReq(false);
    }

    private SSHPacket buildReq(boolean signed) throws UserAuthException {
        return super.buildReq()
                .putBoolean(signed)
                .putString(algorithm())
                .putString(keyBlob);
    }

    private void sendSignedRequest() throws UserAuthException, TransportException {
        String algorithm = algorithm();
        Transport transport = params.getTransport();
        SSHPacket request = buildReq(true);
        // RFC 4252 §7: string session identifier, then the request so far (from the message byte on),
        // exactly as sshj's KeyedAuthMethod.putSig builds it.
        byte[] signedData = new Buffer.PlainBuffer()
                .putString(transport.getSessionID())
                .putBuffer(request)
                .getCompactData();
        int flags = agentFlags(algorithm);
        byte[] signature;
        try {
            signature = agent.sign(signingBlob, signedData, flags);
        } catch (IOException e) {
            throw new UserAuthException("ssh-agent could not sign with " + identity.describe() + ": " + e.getMessage(), e);
        }
        if (flags != 0) {
            // An agent that ignores the flags would answer with ssh-rsa (SHA-1), which the server then refuses.
            String expected = (flags & AgentClient.SSH_AGENT_RSA_SHA2_512) != 0 ? "rsa-sha2-512" : "rsa-sha2-256";
            String got;
            try {
                got = AgentClient.signatureAlgorithm(signature);
            } catch (IOException e) {
                throw new UserAuthException("ssh-agent sent a malformed signature for " + identity.describe(), e);
            }
            if (!expected.equals(got)) {
                throw new UserAuthException("ssh-agent signed with " + got + " instead of " + expected + " for "
                        + identity.describe() + " (agent too old for SHA-2 RSA signatures?)");
            }
        }
        request.putString(signature);
        transport.write(request);
    }

    private String algorithm() throws UserAuthException {
        if (algorithms == null) {
            algorithms = candidateAlgorithms();
        }
        String algorithm = algorithms.peek();
        if (algorithm == null) {
            throw new UserAuthException("No signature algorithm left to try for " + identity.describe());
        }
        return algorithm;
    }

    private Deque<String> candidateAlgorithms() throws UserAuthException {
        Deque<String> names = new ArrayDeque<>();
        KeyType type = KeyType.fromString(keyType);
        if (type == KeyType.UNKNOWN) {
            names.add(keyType);
            return names;
        }
        if (type == KeyType.RSA_CERT) {
            // sshj 0.40.0 knows only ssh-rsa-cert-v01 (SHA-1); first offer the SHA-2 certificate names
            // matching the SHA-2 RSA algorithms the configuration allows.
            try {
                for (String rsa : algorithmNames(KeyType.RSA)) {
                    if (rsa.startsWith("rsa-sha2-")) {
                        names.add(rsa + CERT_SUFFIX);
                    }
                }
            } catch (TransportException e) {
                // no RSA algorithms configured: only the certificate's own name below
            }
        }
        try {
            // each name once: SshjConfigs now has the rsa-sha2-*-cert names too, and a refused query costs one of the
            // server's MaxAuthTries
            for (String name : algorithmNames(type)) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        } catch (TransportException e) {
            if (names.isEmpty()) {
                throw new UserAuthException("sshj has no key algorithm enabled for " + keyType + " keys ("
                        + identity.describe() + ")", e);
            }
        }
        return names;
    }

    private List<String> algorithmNames(KeyType type) throws TransportException {
        List<String> names = new ArrayList<>();
        for (KeyAlgorithm algorithm : params.getTransport().getClientKeyAlgorithms(type)) {
            if (!names.contains(algorithm.getKeyAlgorithm())) {
                names.add(algorithm.getKeyAlgorithm());
            }
        }
        return names;
    }

    static int agentFlags(String algorithm) {
        if (algorithm.startsWith("rsa-sha2-512")) {
            return AgentClient.SSH_AGENT_RSA_SHA2_512;
        }
        if (algorithm.startsWith("rsa-sha2-256")) {
            return AgentClient.SSH_AGENT_RSA_SHA2_256;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "publickey from ssh-agent: " + identity.describe();
    }
}
