package io.headroom.ssh;

import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenSSH's {@code ServerAliveInterval} / {@code ServerAliveCountMax} for every open connection, from one
 * timer thread for the whole process ({@link SshTimer}) instead of sshj's platform thread per connection
 * ({@code KeepAliveRunner}, which sshj starts only when the interval is set before {@code connect}; Headroom set
 * it after, so until decision 0038 no keep-alive was ever sent).
 *
 * <p>Every interval a {@code keepalive@openssh.com} global request with want-reply goes out; any answer,
 * success or failure, proves the server alive (OpenSSH's sshd answers it with a failure). When
 * {@code countMax} requests in a row have no answer, the transport is ended with
 * {@link DisconnectReason#CONNECTION_LOST}, which a pooled connection's next use sees as a lost connection.
 * Each request is written from a virtual thread, so a peer that stopped reading (its socket buffer full)
 * blocks only its own keep-alive; a tick that finds the previous write still blocked counts as unanswered.
 */
final class SharedKeepAlive {
    /** The watch of each open client, so that closing one drops it at once (not at its next tick, up to an interval later). */
    private static final Map<SSHClient, Watch> WATCHES = new ConcurrentHashMap<>();

    private SharedKeepAlive() {
    }

    /**
     * Starts keep-alives on an authenticated client until it disconnects.
     *
     * @param intervalSeconds seconds between requests; ≤ 0 sends none (OpenSSH's {@code ServerAliveInterval 0})
     * @param countMax        unanswered requests in a row after which the connection is ended (at least 1)
     */
    static void watch(SSHClient client, int intervalSeconds, int countMax) {
        if (intervalSeconds <= 0) {
            return;
        }
        Watch w = new Watch(client, intervalSeconds, Math.max(1, countMax));
        WATCHES.put(client, w);
        w.future = SshTimer.TIMER.scheduleWithFixedDelay(w, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    /** Stops the keep-alives of a client being closed (nothing if it had none). */
    static void forget(SSHClient client) {
        Watch w = WATCHES.remove(client);
        if (w != null) {
            w.stop();
        }
    }

    /** Whether the client's keep-alives run (for tests: a closed client must not be held). */
    static boolean watching(SSHClient client) {
        return WATCHES.containsKey(client);
    }

    private static final class Watch implements Runnable {
        private final SSHClient client;
        private final int intervalSeconds;
        private final int countMax;
        private final Deque<Promise<SSHPacket, ConnectionException>> unanswered = new ArrayDeque<>();
        private final AtomicBoolean writing = new AtomicBoolean();
        private int blockedTicks;
        private volatile ScheduledFuture<?> future;

        Watch(SSHClient client, int intervalSeconds, int countMax) {
            this.client = client;
            this.intervalSeconds = intervalSeconds;
            this.countMax = countMax;
        }

        @Override
        public void run() {
            if (!client.isConnected() || !client.getTransport().isRunning()) {
                stop();
                return;
            }
            int missed;
            synchronized (unanswered) {
                while (!unanswered.isEmpty() && unanswered.peek().isFulfilled()) {
                    unanswered.remove();
                }
                blockedTicks = writing.get() ? blockedTicks + 1 : 0;
                missed = unanswered.size() + blockedTicks;
            }
            if (missed >= countMax) {
                stop();
                ConnectionException why = new ConnectionException(DisconnectReason.CONNECTION_LOST,
                        "no answer to " + missed + " keep-alives in " + (long) missed * intervalSeconds
                                + " s (ServerAliveInterval " + intervalSeconds + ", ServerAliveCountMax " + countMax + ")");
                // ending the transport writes a DISCONNECT to a peer that may not read: not on the shared timer
                Thread.ofVirtual().name("headroom-keepalive-end").start(() -> client.getTransport().die(why));
                return;
            }
            if (!writing.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("headroom-keepalive-write").start(() -> {
                try {
                    Promise<SSHPacket, ConnectionException> answer =
                            client.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0]);
                    synchronized (unanswered) {
                        unanswered.add(answer);
                    }
                } catch (Exception e) {
                    // the transport is gone: its next use reports it; nothing left to keep alive
                    stop();
                } finally {
                    writing.set(false);
                }
            });
        }

        private void stop() {
            WATCHES.remove(client, this);
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
