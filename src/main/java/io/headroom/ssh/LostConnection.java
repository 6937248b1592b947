package io.headroom.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * sshj checks that the client is connected before it starts a key exchange, authenticates, or opens a session or
 * SFTP channel, and throws {@code IllegalStateException("Not connected")} when the transport already died, a
 * runtime exception that callers expecting an {@link IOException} report as an internal error. Here it becomes
 * the transport's own cause of death (the failed negotiation, the server's disconnect), or "connection closed".
 * An {@code IllegalStateException} while the transport still runs is a bug and is thrown as it is.
 */
final class LostConnection {
    private LostConnection() {
    }

    /** Work against an sshj client that throws what the transport's death explains. */
    interface Step<T> {
        T run() throws IOException;
    }

    /** A {@link Step} with no result. */
    interface VoidStep {
        void run() throws IOException;
    }

    static void rethrown(SSHClient client, VoidStep step) throws IOException {
        rethrown(client, () -> {
            step.run();
            return null;
        });
    }

    static <T> T rethrown(SSHClient client, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (IllegalStateException e) {
            if (!"Not connected".equals(e.getMessage()) || client.getTransport().isRunning()) {
                throw e;
            }
            throw causeOfDeath(client, e);
        }
    }

    /**
     * Why the client's transport closed, as sshj recorded it (a new exception with sshj's as its cause, so this
     * thread's stack is in it), with {@code notConnected} suppressed; "the connection was closed" when it recorded none.
     */
    static IOException causeOfDeath(SSHClient client, IllegalStateException notConnected) {
        try {
            // the transport's close event holds the error it died of; set without one, it was closed on purpose
            client.getTransport().join(1, TimeUnit.MILLISECONDS);
        } catch (TransportException death) {
            Throwable cause = death.getCause();
            if (!(cause instanceof java.util.concurrent.TimeoutException) && !(cause instanceof InterruptedException)) {
                TransportException e = new TransportException(death.getDisconnectReason(), death.getMessage(), death);
                e.addSuppressed(notConnected);
                return e;
            }
        }
        return new TransportException("the connection was closed", notConnected);
    }
}
