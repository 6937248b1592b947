package io.headroom.ssh.agent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The transport under {@link AgentClient}: one non-blocking connection to the agent's Unix domain
 * socket, exchanging length-framed messages ({@code uint32} length in bytes, then the payload).
 *
 * <p>Each exchange has a deadline covering the write and the whole reply; a reply announced larger than
 * {@link AgentClient#MAX_REPLY_BYTES} bytes is refused before anything is allocated. After any failure
 * the connection is closed (its framing can no longer be trusted) and later exchanges fail with a
 * message saying why. Not thread-safe: {@link AgentClient} serializes its calls.
 */
final class AgentSocket {
    private final Path socket;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private String brokenBecause;

    private AgentSocket(Path socket, Duration timeout, SocketChannel channel, Selector selector, SelectionKey key) {
        this.socket = socket;
        this.timeout = timeout;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /** Connects to the agent listening on {@code socket}; each later exchange must complete within {@code timeout}. */
    static AgentSocket connect(Path socket, Duration timeout) throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (!Files.exists(socket)) {
            throw new AgentException("ssh-agent socket " + socket + " does not exist (is the agent running? check "
                    + AgentClient.SSH_AUTH_SOCK + ")");
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
            return new AgentSocket(socket, timeout, channel, selector, key);
        } catch (IOException | RuntimeException e) {
            closeQuietly(selector);
            closeQuietly(channel);
            throw new AgentException("Cannot connect to ssh-agent socket " + socket + ": " + why(e), e);
        }
    }

    Path path() {
        return socket;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Sends one request payload (framed here) and returns the reply payload, at least one byte long
     * (the message type). {@code what} names the request in error messages.
     */
    byte[] exchange(byte[] request, String what) throws IOException {
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
            if (length > AgentClient.MAX_REPLY_BYTES) {
                throw broken("ssh-agent at " + socket + " announced a reply of " + length + " bytes to " + what
                        + ", more than the " + AgentClient.MAX_REPLY_BYTES / 1024 + " KiB accepted");
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
            throw broken("ssh-agent at " + socket + " failed during " + what + ": " + why(e), e);
        }
    }

    /** Closes the connection because its replies cannot be trusted, and returns the exception to throw. */
    AgentException broken(String message) {
        return broken(message, null);
    }

    /** Closes the connection for good; later exchanges fail saying the client was closed. */
    void close() {
        if (brokenBecause == null) {
            brokenBecause = "the client was closed";
        }
        closeQuietly(selector);
        closeQuietly(channel);
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

    private static String why(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
}
