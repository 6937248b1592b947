package io.headroom.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a stream on a virtual thread, keeping at most a cap of bytes (the head, or the tail for
 * error output) and discarding the rest, so a flooding producer never blocks and never grows memory.
 */
public final class CappedCollector {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final long cap;
    private final boolean keepTail;
    private final Thread thread;
    private volatile boolean truncated;
    private volatile IOException failure;

    private CappedCollector(InputStream in, long cap, boolean keepTail, String name) {
        this.cap = cap;
        this.keepTail = keepTail;
        this.thread = Thread.ofVirtual().name(name).start(() -> drain(in));
    }

    /** Keeps the first {@code cap} bytes. */
    public static CappedCollector head(InputStream in, long cap, String name) {
        return new CappedCollector(in, cap, false, name);
    }

    /** Keeps the last {@code cap} bytes. */
    public static CappedCollector tail(InputStream in, long cap, String name) {
        return new CappedCollector(in, cap, true, name);
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[16384];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (kept) {
                    if (keepTail) {
                        kept.write(buf, 0, n);
                        if (kept.size() > cap * 2) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, (int) (all.length - cap), (int) cap);
                            truncated = true;
                        }
                    } else if (kept.size() < cap) {
                        int room = (int) Math.min(n, cap - kept.size());
                        kept.write(buf, 0, room);
                        if (room < n) {
                            truncated = true;
                        }
                    } else {
                        truncated = true;
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Waits up to {@code millis} for the stream to end; true when it did. */
    public boolean await(long millis) throws InterruptedException {
        return thread.join(java.time.Duration.ofMillis(Math.max(1, millis)));
    }

    public boolean truncated() {
        return truncated;
    }

    public IOException failure() {
        return failure;
    }

    /** What was kept, decoded as UTF-8 (malformed bytes replaced). */
    public String text() {
        byte[] all;
        synchronized (kept) {
            all = kept.toByteArray();
        }
        if (keepTail && all.length > cap) {
            all = java.util.Arrays.copyOfRange(all, (int) (all.length - cap), all.length);
        }
        return new String(all, StandardCharsets.UTF_8);
    }
}
