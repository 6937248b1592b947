/*
 * Copyright (C)2009 - SSHJ Contributors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
/*
 * Headroom's copy of sshj 0.40.0's Reader (tag v0.40.0, src/main/java/net/schmizz/sshj/transport/Reader.java),
 * changed in the places marked "Headroom":
 * 1. the receive buffer is RECEIVE_BUFFER bytes instead of the decoder's maximum packet length (256 KiB), and
 *    each read asks for at most that much. The decoder already takes a packet in as many pieces as the socket
 *    hands over (a read may return fewer bytes than asked), so what it decodes is unchanged; a live window's
 *    1000 warm connections hold 4 MiB of buffers instead of 256 MiB (decisions 0038, 0040);
 * 2. on a JDK where a virtual thread blocked inside synchronized no longer pins its carrier (24+, JEP 491),
 *    start() runs the same loop on a virtual thread instead of this platform thread: a connection that waits
 *    for its next packet then holds a few KiB of heap instead of a thread's stack and native structures
 *    (decision 0040). This object stays a Thread, unstarted, because TransportImpl and ThreadNameProvider
 *    hand it around as one; interrupt() and running() (TransportImpl's copy asks it instead of the final
 *    isAlive()) go to the thread that really runs.
 * Compiled into headroom.jar, which comes before lib/sshj-0.40.0.jar on the class path (decision 0038);
 * PatchedSshjReaderTest fails when the sshj version changes, so the copy is compared again on an upgrade.
 */
package net.schmizz.sshj.transport;

import org.slf4j.Logger;

import java.io.InputStream;
import java.net.SocketTimeoutException;

public final class Reader
        extends Thread {

    /**
     * Bytes read from the socket at a time (Headroom's change; sshj allocates the 256 KiB maximum packet): one of
     * the channel packets Headroom asks for (SshConnector.MAX_CHANNEL_PACKET) fits, the decoder asks for no more.
     */
    static final int RECEIVE_BUFFER = 4 * 1024;

    /**
     * Headroom: whether start() reads on a virtual thread. Yes from JDK 24 (JEP 491: blocking inside
     * synchronized, as sshj's packet handlers do, no longer pins the carrier), unless the system property
     * {@code headroom.sshj.reader} is {@code platform} (benchmarks compare the two in one build).
     */
    static final boolean VIRTUAL = Runtime.version().feature() >= 24
            && !"platform".equals(System.getProperty("headroom.sshj.reader"));

    private final Logger log;
    private final TransportImpl trans;

    /** Headroom: the virtual thread running {@link #run()}, once started that way; null otherwise. */
    private volatile Thread virtual;

    public Reader(TransportImpl trans) {
        this.trans = trans;
        log = trans.getConfig().getLoggerFactory().getLogger(getClass());
        setName("sshj-Reader");
        setDaemon(true);
    }

    /** Headroom: reads on a virtual thread named as this one ({@link #VIRTUAL}), else starts this thread. */
    @Override
    public synchronized void start() {
        if (!VIRTUAL) {
            super.start();
            return;
        }
        if (virtual != null) {
            throw new IllegalThreadStateException("already started");
        }
        // set before it starts, so running() and interrupt() see it from the first instant
        Thread reading = Thread.ofVirtual().name(getName()).unstarted(this::run);
        virtual = reading;
        reading.start();
    }

    /** Headroom: interrupts the thread that reads (a virtual one closes its socket on interrupt, as finishOff next does). */
    @Override
    public void interrupt() {
        Thread reading = virtual;
        if (reading != null) {
            reading.interrupt();
        } else {
            super.interrupt();
        }
    }

    /** Headroom: whether the thread that reads is alive (TransportImpl.isRunning() asks this; isAlive() is final). */
    boolean running() {
        Thread reading = virtual;
        return reading != null ? reading.isAlive() : isAlive();
    }

    /** Headroom: the interrupt status of the thread that reads (this one, or the virtual one). */
    private static boolean stopping() {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public void run() {
        try {

            final Decoder decoder = trans.getDecoder();
            final InputStream inp = trans.getConnInfo().in;

            // Headroom: was new byte[decoder.getMaxPacketLength()] and inp.read(recvbuf, 0, needed)
            final byte[] recvbuf = new byte[Math.min(RECEIVE_BUFFER, decoder.getMaxPacketLength())];

            int needed = 1;

            // Headroom: stopping() here and below was isInterrupted(), which asks this Thread, not the virtual one
            while (!stopping()) {
                int read;
                try {
                    read = inp.read(recvbuf, 0, Math.min(needed, recvbuf.length));
                } catch(SocketTimeoutException e) {
                    if (stopping()) {
                        throw e;
                    }
                    continue;
                }
                if (read == -1) {
                    throw new TransportException("Broken transport; encountered EOF");
                } else {
                    needed = decoder.received(recvbuf, read);
                }
            }
        } catch (Exception e) {
            // We are meant to shut up and draw to a close if interrupted
            if (!stopping()) {
                trans.die(e);
            }
        }

        log.debug("Stopping");
    }

}
