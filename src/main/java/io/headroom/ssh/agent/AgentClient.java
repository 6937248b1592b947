package io.headroom.ssh.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client for a running ssh-agent (OpenSSH {@code PROTOCOL.agent} / draft-miller-ssh-agent) over its
 * Unix domain socket. One connection per client; requests are serialized. This class builds the
 * requests and reads the replies ({@link SshWireWriter}, {@link SshWireReader}); {@link AgentSocket}
 * carries them.
 *
 * <p>Every request has a deadline ({@link #DEFAULT_TIMEOUT} unless given) covering the write and the
 * whole reply, and replies larger than {@link #MAX_REPLY_BYTES} are refused before anything is
 * allocated, so a broken or hostile agent can neither hang nor flood the caller. After any failure
 * other than a plain {@code SSH_AGENT_FAILURE} the connection is closed (its framing can no longer be
 * trusted) and later calls fail with a message saying so.
 *
 * <p>Nothing here logs; exception messages name the socket, the request and at most a key's type,
 * SHA256 fingerprint and comment, never key or signature bytes.
 */
public final class AgentClient implements AutoCloseable {
    /** Environment variable naming the agent socket. */
    public static final String SSH_AUTH_SOCK = "SSH_AUTH_SOCK";

    public static final byte SSH_AGENT_FAILURE = 5;
    public static final byte SSH_AGENT_SUCCESS = 6;
    public static final byte SSH_AGENTC_REQUEST_IDENTITIES = 11;
    public static final byte SSH_AGENT_IDENTITIES_ANSWER = 12;
    public static final byte SSH_AGENTC_SIGN_REQUEST = 13;
    public static final byte SSH_AGENT_SIGN_RESPONSE = 14;
    public static final byte SSH_AGENT_EXTENSION_FAILURE = 28;

    /** Sign flag: RSA signature with SHA-256 ({@code rsa-sha2-256}). */
    public static final int SSH_AGENT_RSA_SHA2_256 = 2;
    /** Sign flag: RSA signature with SHA-512 ({@code rsa-sha2-512}). */
    public static final int SSH_AGENT_RSA_SHA2_512 = 4;

    /** Largest reply accepted (OpenSSH's own agent caps messages at 256 KiB too). */
    public static final int MAX_REPLY_BYTES = 256 * 1024;
    /** Deadline per request when none is given (generous enough for a confirm-on-use prompt). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** A key held by the agent: the SSH public key blob and its comment (usually the key file or user@host). */
    public record Identity(byte[] keyBlob, String comment) {
        public Identity {
            keyBlob = Objects.requireNonNull(keyBlob, "keyBlob").clone();
            comment = Objects.requireNonNull(comment, "comment");
        }

        /** A copy of the public key blob (as in the base64 part of a {@code .pub} file). */
        @Override
        public byte[] keyBlob() {
            return keyBlob.clone();
        }

        /** The key type name at the start of the blob, e.g. {@code ssh-ed25519}, or {@code unknown}. */
        public String keyType() {
            try {
                return new SshWireReader(keyBlob).string();
            } catch (IOException e) {
                return "unknown";
            }
        }

        /** {@code SHA256:<base64 without padding>}, as {@code ssh-keygen -lf} prints it. */
        public String fingerprint() {
            return sha256Fingerprint(keyBlob);
        }

        /** {@code <type> SHA256:... (comment)}: safe to show and log, no key material. */
        public String describe() {
            return keyType() + " " + fingerprint() + (comment.isEmpty() ? "" : " (" + comment + ")");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && Arrays.equals(keyBlob, other.keyBlob) && comment.equals(other.comment);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(keyBlob) + comment.hashCode();
        }

        @Override
        public String toString() {
            return "Identity[" + describe() + "]";
        }
    }

    private final AgentSocket transport;

    private AgentClient(AgentSocket transport) {
        this.transport = transport;
    }

    /** The agent socket named by {@code SSH_AUTH_SOCK}, if that is set and not blank. */
    public static Optional<Path> socketFromEnvironment() {
        String value = System.getenv(SSH_AUTH_SOCK);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.strip()));
    }

    /** Connects to the agent named by {@code SSH_AUTH_SOCK}. */
    public static AgentClient connect() throws IOException {
        Path path = socketFromEnvironment().orElseThrow(() -> new AgentException(
                "No ssh-agent: " + SSH_AUTH_SOCK + " is not set (start one with eval $(ssh-agent) and add keys with ssh-add)"));
        return connect(path, DEFAULT_TIMEOUT);
    }

    /** Connects to the agent listening on {@code socket}. */
    public static AgentClient connect(Path socket) throws IOException {
        return connect(socket, DEFAULT_TIMEOUT);
    }

    /** Connects to the agent listening on {@code socket}; each later request must complete within {@code timeout}. */
    public static AgentClient connect(Path socket, Duration timeout) throws IOException {
        return new AgentClient(AgentSocket.connect(socket, timeout));
    }

    /** The agent socket this client talks to. */
    public Path socket() {
        return transport.path();
    }

    /** The deadline for each request. */
    public Duration timeout() {
        return transport.timeout();
    }

    /** {@code SSH_AGENTC_REQUEST_IDENTITIES}: the keys the agent holds, in the agent's order. */
    public synchronized List<Identity> identities() throws IOException {
        String what = "the key list request";
        byte[] reply = transport.exchange(new byte[] {SSH_AGENTC_REQUEST_IDENTITIES}, what);
        SshWireReader r = new SshWireReader(reply);
        byte type = messageType(r, what);
        if (type == SSH_AGENT_FAILURE) {
            throw new AgentException("ssh-agent at " + transport.path() + " refused to list its keys (SSH_AGENT_FAILURE)");
        }
        if (type != SSH_AGENT_IDENTITIES_ANSWER) {
            throw transport.broken("ssh-agent at " + transport.path() + " answered " + what + " with unexpected message type " + (type & 0xff));
        }
        try {
            long count = r.uint32();
            // Each identity needs at least two length fields: a count beyond that is nonsense, not a reason to allocate.
            if (count > r.remaining() / 8) {
                throw new IOException("it claims " + count + " keys in " + reply.length + " bytes");
            }
            List<Identity> identities = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                byte[] blob = r.bytes();
                String comment = r.string();
                identities.add(new Identity(blob, comment));
            }
            return List.copyOf(identities);
        } catch (IOException e) {
            throw transport.broken("ssh-agent at " + transport.path() + " sent a malformed key list: " + e.getMessage());
        }
    }

    /**
     * {@code SSH_AGENTC_SIGN_REQUEST}: signs {@code data} with the agent's key {@code keyBlob}.
     *
     * @param flags 0, or {@link #SSH_AGENT_RSA_SHA2_256} / {@link #SSH_AGENT_RSA_SHA2_512} for RSA keys
     * @return the SSH signature blob ({@code string algorithm, string signature}), as it goes into a
     *         {@code publickey} userauth request
     * @throws AgentException if the agent refuses ({@code SSH_AGENT_FAILURE}: key not held, confirmation
     *         denied, flags unsupported), times out or answers nonsense
     */
    public synchronized byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        Objects.requireNonNull(keyBlob, "keyBlob");
        Objects.requireNonNull(data, "data");
        byte[] request = new SshWireWriter().oneByte(SSH_AGENTC_SIGN_REQUEST).bytes(keyBlob).bytes(data).uint32(flags)
                .toByteArray();
        String keyName = "key " + sha256Fingerprint(keyBlob);
        String what = "the sign request for " + keyName;
        byte[] reply = transport.exchange(request, what);
        SshWireReader r = new SshWireReader(reply);
        byte type = messageType(r, what);
        if (type == SSH_AGENT_FAILURE) {
            throw new AgentException("ssh-agent at " + transport.path() + " refused to sign with " + keyName
                    + " (SSH_AGENT_FAILURE: the key is not in the agent, confirmation was denied, or the agent does not support "
                    + flagsText(flags) + ")");
        }
        if (type != SSH_AGENT_SIGN_RESPONSE) {
            throw transport.broken("ssh-agent at " + transport.path() + " answered " + what + " with unexpected message type " + (type & 0xff));
        }
        try {
            byte[] signature = r.bytes();
            // Sanity: the blob must itself be "string algorithm, string signature".
            SshWireReader s = new SshWireReader(signature);
            s.string();
            s.bytes();
            return signature;
        } catch (IOException e) {
            throw transport.broken("ssh-agent at " + transport.path() + " sent a malformed signature for " + keyName + ": " + e.getMessage());
        }
    }

    /** The algorithm name at the start of a signature blob, e.g. {@code rsa-sha2-512}. */
    public static String signatureAlgorithm(byte[] signatureBlob) throws IOException {
        return new SshWireReader(signatureBlob).string();
    }

    /** {@code SHA256:<base64 without padding>} of a public key blob, as {@code ssh-keygen -lf} prints it. */
    public static String sha256Fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "AgentClient[" + transport.path() + "]";
    }

    /** The reply's message type byte; an empty reply breaks the connection. */
    private byte messageType(SshWireReader reply, String what) throws AgentException {
        try {
            return reply.oneByte();
        } catch (IOException e) {
            throw transport.broken("ssh-agent at " + transport.path() + " sent an empty reply to " + what);
        }
    }

    private static String flagsText(int flags) {
        if (flags == 0) {
            return "this key type";
        }
        List<String> names = new ArrayList<>();
        if ((flags & SSH_AGENT_RSA_SHA2_256) != 0) {
            names.add("rsa-sha2-256");
        }
        if ((flags & SSH_AGENT_RSA_SHA2_512) != 0) {
            names.add("rsa-sha2-512");
        }
        return names.isEmpty() ? "flags " + flags : String.join("/", names) + " signatures";
    }
}
