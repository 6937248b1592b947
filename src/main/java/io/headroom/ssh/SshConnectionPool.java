package io.headroom.ssh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Warm connections by target: a refresh reuses the authenticated connection (one exec, no
 * handshake); a dead one is replaced. Keep-alives run on each connection.
 */
public final class SshConnectionPool implements AutoCloseable {
    private final SshConnector connector;
    private final Map<String, SshConnector.Connection> live = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final java.util.function.Function<String, String> jumpFor;

    public SshConnectionPool(SshConnector connector) {
        this(connector, t -> null);
    }

    /** @param jumpFor a ProxyJump per target (a cluster's jump host), null for the ssh config's */
    public SshConnectionPool(SshConnector connector, java.util.function.Function<String, String> jumpFor) {
        this.connector = connector;
        this.jumpFor = jumpFor;
    }

    /** The warm connection for a target, connecting when there is none or it died. */
    public SshConnector.Connection get(String target) throws SshException {
        ReentrantLock lock = locks.computeIfAbsent(target, t -> new ReentrantLock());
        lock.lock();
        try {
            SshConnector.Connection c = live.get(target);
            if (c != null && c.alive()) {
                return c;
            }
            if (c != null) {
                c.close();
                live.remove(target);
            }
            SshConnector.Connection fresh = connector.connect(target, jumpFor.apply(target));
            live.put(target, fresh);
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Drops a connection that failed mid-use. */
    public void invalidate(String target) {
        SshConnector.Connection c = live.remove(target);
        if (c != null) {
            c.close();
        }
    }

    /** Number of warm connections. */
    public int size() {
        return live.size();
    }

    @Override
    public void close() {
        live.values().forEach(SshConnector.Connection::close);
        live.clear();
    }
}
