package io.headroom.ssh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Warm connections by target: a refresh reuses the authenticated connection (one exec, no
 * handshake); a dead one is replaced. Keep-alives run on each connection.
 *
 * <p>Users {@link #get lease} a connection and {@link #release} it when done. At most
 * {@link #keepWarm(int) keepWarm} connections stay open while nobody uses them: the least recently
 * released beyond that are closed. Each kept connection costs about 0.3 MiB of heap (sshj's reader
 * allocates a 256 KiB packet buffer per connection) and a thread, so a desktop app that scanned
 * 200 VMs once need not keep 200 of them (docs/decisions/0014-warm-connection-cap.md). A leased
 * connection is never closed by the cap.
 */
public final class SshConnectionPool implements AutoCloseable {
    /** No cap: every connection stays warm until {@link #close()} (the CLI's default). */
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private static final class Entry {
        final SshConnector.Connection connection;
        int leases;
        long releasedAt;

        Entry(SshConnector.Connection connection) {
            this.connection = connection;
        }
    }

    private final SshConnector connector;
    private final Map<String, Entry> live = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Function<String, String> jumpFor;
    private final Object bookkeeping = new Object();
    private long clock;
    private volatile int keepWarm = UNLIMITED;

    public SshConnectionPool(SshConnector connector) {
        this(connector, t -> null);
    }

    /** @param jumpFor a ProxyJump per target (a cluster's jump host), null for the ssh config's */
    public SshConnectionPool(SshConnector connector, Function<String, String> jumpFor) {
        this.connector = connector;
        this.jumpFor = jumpFor;
    }

    /**
     * Leases the warm connection for a target, connecting when there is none or it died. Call
     * {@link #release(String)} once for every successful call.
     */
    public SshConnector.Connection get(String target) throws SshException {
        ReentrantLock lock = locks.computeIfAbsent(target, t -> new ReentrantLock());
        lock.lock();
        try {
            Entry e = live.get(target);
            if (e != null && e.connection.alive()) {
                synchronized (bookkeeping) {
                    if (live.get(target) == e) { // not closed by a trim meanwhile
                        e.leases++;
                        return e.connection;
                    }
                }
            } else if (e != null) {
                live.remove(target, e);
                closeLater(e.connection);
            }
            SshConnector.Connection fresh = connector.connect(target, jumpFor.apply(target));
            Entry created = new Entry(fresh);
            created.leases = 1;
            Entry replaced = live.put(target, created);
            if (replaced != null && replaced != e) {
                closeLater(replaced.connection);
            }
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a lease from {@link #get(String)} on {@code connection}; may close idle connections
     * beyond the cap. A lease on a connection that was replaced meanwhile (invalidated, died) ends
     * with it: it never counts against the target's new connection.
     */
    public void release(String target, SshConnector.Connection connection) {
        synchronized (bookkeeping) {
            Entry e = live.get(target);
            if (e != null && e.connection == connection && e.leases > 0) {
                e.leases--;
                e.releasedAt = ++clock;
            }
        }
        trim();
    }

    /**
     * How many connections stay open while unused ({@link #UNLIMITED} for all); closes the least
     * recently used idle ones beyond it now.
     */
    public void keepWarm(int connections) {
        if (connections < 0) {
            throw new IllegalArgumentException("keepWarm must be >= 0");
        }
        keepWarm = connections;
        trim();
    }

    /** Drops a connection that failed mid-use. */
    public void invalidate(String target) {
        Entry e = live.remove(target);
        if (e != null) {
            closeLater(e.connection);
        }
    }

    /** Number of open connections, leased or idle. */
    public int size() {
        return live.size();
    }

    private void trim() {
        int cap = keepWarm;
        if (cap == UNLIMITED) {
            return;
        }
        List<SshConnector.Connection> closing = new ArrayList<>();
        synchronized (bookkeeping) {
            List<Map.Entry<String, Entry>> idle = new ArrayList<>();
            for (Map.Entry<String, Entry> me : live.entrySet()) {
                if (me.getValue().leases == 0) {
                    idle.add(me);
                }
            }
            if (idle.size() <= cap) {
                return;
            }
            idle.sort(Comparator.comparingLong(me -> me.getValue().releasedAt));
            for (Map.Entry<String, Entry> me : idle.subList(0, idle.size() - cap)) {
                if (live.remove(me.getKey(), me.getValue())) {
                    closing.add(me.getValue().connection);
                }
            }
        }
        closing.forEach(SshConnectionPool::closeLater);
    }

    /** Disconnecting waits for the server: never on a scan thread. */
    private static void closeLater(SshConnector.Connection c) {
        Thread.ofVirtual().name("ssh-pool-close").start(c::close);
    }

    @Override
    public void close() {
        live.values().forEach(e -> e.connection.close());
        live.clear();
    }
}
