package io.headroom.ssh.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.TimeUnit;

/**
 * A client for a running ssh-agent (OpenSSH {@code PROTOCOL.agent} / draft-miller-ssh-agent) over its
 * Unix domain socket. One connection per client; requests are serialized.
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
                return new Reader(keyBlob).string();
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

    private final Path socket;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private String brokenBecause;

    private AgentClient(Path socket, Duration timeout, SocketChannel channel, Selector selector, SelectionKey key) {
        this.socket = socket;
        this.timeout = timeout;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
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
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (!Files.exists(socket)) {
            throw new AgentException("ssh-agent socket " + socket + " does not exist (is the agent running? check "
                    + SSH_AUTH_SOCK + ")");
        }
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            // A Unix socket connect completes or fails at once (no network), so blocking mode is safe here.
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            return new AgentClient(socket, timeout, channel, selector, key);
        } catch (IOException | RuntimeException e) {
            closeQuietly(selector);
            closeQuietly(channel);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new AgentException("Cannot connect to ssh-agent socket " + socket + ": " + why, e);
        }
    }

    /** The agent socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /** The deadline for each request. */
    public Duration timeout() {
        return timeout;
    }

    /** {@code SSH_AGENTC_REQUEST_IDENTITIES}: the keys the agent holds, in the agent's order. */
    public synchronized List<Identity> identities() throws IOException {
        String what = "the key list request";
        byte[] reply = exchange(new byte[] {SSH_AGENTC_REQUEST_IDENTITIES}, what);
        Reader r = new Reader(reply);
        byte type = r.type(what, this);
        if (type == SSH_AGENT_FAILURE) {
            throw new AgentException("ssh-agent at " + socket + " refused to list its keys (SSH_AGENT_FAILURE)");
        }
        if (type != SSH_AGENT_IDENTITIES_ANSWER) {
            throw broken("ssh-agent at " + socket + " answered " + what + " with unexpected message type " + (type & 0xff));
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
                String comment = new String(r.bytes(), StandardCharsets.UTF_8);
                identities.add(new Identity(blob, comment));
            }
            return List.copyOf(identities);
        } catch (IOException e) {
            throw broken("ssh-agent at " + socket + " sent a malformed key list: " + e.getMessage());
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
        Writer w = new Writer();
        w.out.write(SSH_AGENTC_SIGN_REQUEST);
        w.bytes(keyBlob);
        w.bytes(data);
        w.uint32(flags);
        String keyName = "key " + sha256Fingerprint(keyBlob);
        String what = "the sign request for " + keyName;
        byte[] reply = exchange(w.out.toByteArray(), what);
        Reader r = new Reader(reply);
        byte type = r.type(what, this);
        if (type == SSH_AGENT_FAILURE) {
            throw new AgentException("ssh-agent at " + socket + " refused to sign with " + keyName
                    + " (SSH_AGENT_FAILURE: the key is not in the agent, confirmation was denied, or the agent does not support "
                    + flagsText(flags) + ")");
        }
        if (type != SSH_AGENT_SIGN_RESPONSE) {
            throw broken("ssh-agent at " + socket + " answered " + what + " with unexpected message type " + (type & 0xff));
        }
        try {
            byte[] signature = r.bytes();
            // Sanity: the blob must itself be "string algorithm, string signature".
            Reader s = new Reader(signature);
            s.string();
            s.bytes();
            return signature;
        } catch (IOException e) {
            throw broken("ssh-agent at " + socket + " sent a malformed signature for " + keyName + ": " + e.getMessage());
        }
    }

    /** The algorithm name at the start of a signature blob, e.g. {@code rsa-sha2-512}. */
    public static String signatureAlgorithm(byte[] signatureBlob) throws IOException {
        return new Reader(signatureBlob).string();
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
        if (brokenBecause == null) {
            brokenBecause = "the client was closed";
        }
        closeQuietly(selector);
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "AgentClient[" + socket + "]";
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

    /** Sends one framed request and returns the reply payload (at least one byte: the message type). */
    private byte[] exchange(byte[] request, String what) throws IOException {
        if (brokenBecause != null) {
            throw new AgentException("ssh-agent connection to " + socket + " is closed (" + brokenBecause + ")");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, what);
                }
            }
            ByteBuffer header = ByteBuffer.allocate(4);
            readFully(header, deadline, what);
            long length = Integer.toUnsignedLong(header.flip().getInt());
            if (length == 0) {
                throw broken("ssh-agent at " + socket + " sent an empty reply to " + what);
            }
            if (length > MAX_REPLY_BYTES) {
                throw broken("ssh-agent at " + socket + " announced a reply of " + length + " bytes to " + what
                        + ", more than the " + MAX_REPLY_BYTES / 1024 + " KiB accepted");
            }
            ByteBuffer body = ByteBuffer.allocate((int) length);
            readFully(body, deadline, what);
            return body.array();
        } catch (AgentException e) {
            markBroken(e.getMessage());
            throw e;
        } catch (InterruptedIOException e) {
            markBroken("interrupted");
            throw e;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw broken("ssh-agent at " + socket + " failed during " + what + ": " + why, e);
        }
    }

    private void readFully(ByteBuffer buffer, long deadline, String what) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw broken("ssh-agent at " + socket + " closed the connection during " + what);
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline, what);
            }
        }
    }

    private void await(int op, long deadline, String what) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw broken("ssh-agent at " + socket + " did not answer " + what + " within " + timeText());
        }
        key.interestOps(op);
        try {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        } finally {
            selector.selectedKeys().clear();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for ssh-agent at " + socket);
        }
    }

    private String timeText() {
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private AgentException broken(String message) {
        return broken(message, null);
    }

    private AgentException broken(String message, Throwable cause) {
        markBroken(message);
        return cause == null ? new AgentException(message) : new AgentException(message, cause);
    }

    private void markBroken(String why) {
        if (brokenBecause == null) {
            brokenBecause = "after an earlier error: " + why;
        }
        closeQuietly(selector);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing useful to do
            }
        }
    }

    /** Bounds-checked reader of SSH wire types. */
    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int remaining() {
            return data.length - pos;
        }

        byte type(String what, AgentClient client) throws AgentException {
            if (remaining() < 1) {
                throw client.broken("ssh-agent at " + client.socket + " sent an empty reply to " + what);
            }
            return data[pos++];
        }

        long uint32() throws IOException {
            if (remaining() < 4) {
                throw new IOException("truncated at byte " + pos);
            }
            long v = ((data[pos] & 0xffL) << 24) | ((data[pos + 1] & 0xffL) << 16) | ((data[pos + 2] & 0xffL) << 8)
                    | (data[pos + 3] & 0xffL);
            pos += 4;
            return v;
        }

        byte[] bytes() throws IOException {
            long length = uint32();
            if (length > remaining()) {
                throw new IOException("a field of " + length + " bytes overruns the " + data.length + "-byte message");
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + (int) length);
            pos += (int) length;
            return out;
        }

        String string() throws IOException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void uint32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
        }

        void bytes(byte[] b) {
            uint32(b.length);
            out.write(b, 0, b.length);
        }
    }
}
