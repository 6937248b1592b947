package io.headroom.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy to a server that cuts the connection (both sockets closed, no goodbye) once
 * a chosen number of bytes, counted in both directions, has passed. Used to drop an SSH connection
 * at arbitrary points of a push.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final AtomicLong passed = new AtomicLong();
    private volatile long cutAt = Long.MAX_VALUE;
    private volatile Socket client;
    private volatile Socket upstream;

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes passed (both directions) since the last {@link #arm}. */
    long passed() {
        return passed.get();
    }

    /** Resets the count; the next connection is cut after {@code bytes} bytes (Long.MAX_VALUE: never). */
    void arm(long bytes) {
        passed.set(0);
        cutAt = bytes;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket c = server.accept();
                Socket u = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                c.setTcpNoDelay(true);
                u.setTcpNoDelay(true);
                client = c;
                upstream = u;
                pump(c, u);
                pump(u, c);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long before = passed.getAndAdd(n);
                    long limit = cutAt;
                    if (before + n >= limit) {
                        int allowed = (int) Math.max(0, limit - before);
                        out.write(buf, 0, allowed);
                        out.flush();
                        cut(from, to);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                cut(from, to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void cut(Socket a, Socket b) {
        try {
            a.setSoLinger(true, 0);
            a.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            b.setSoLinger(true, 0);
            b.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket c = client;
        Socket u = upstream;
        if (c != null) {
            cut(c, u);
        }
    }
}
