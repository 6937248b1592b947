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
 * changed in one place, marked below: the receive buffer is RECEIVE_BUFFER bytes instead of the decoder's
 * maximum packet length (256 KiB), and each read asks for at most that much. The decoder already takes a packet
 * in as many pieces as the socket hands over (a read may return fewer bytes than asked), so what it decodes is
 * unchanged; a live window's 1000 warm connections hold 16 MiB of buffers instead of 256 MiB.
 * Compiled into headroom.jar, which comes before lib/sshj-0.40.0.jar on the class path (decision 0038);
 * PatchedSshjReaderTest fails when the sshj version changes, so the copy is compared again on an upgrade.
 */
package net.schmizz.sshj.transport;

import org.slf4j.Logger;

import java.io.InputStream;
import java.net.SocketTimeoutException;

public final class Reader
        extends Thread {

    /** Bytes read from the socket at a time (Headroom's change; sshj allocates the 256 KiB maximum packet). */
    static final int RECEIVE_BUFFER = 16 * 1024;

    private final Logger log;
    private final TransportImpl trans;

    public Reader(TransportImpl trans) {
        this.trans = trans;
        log = trans.getConfig().getLoggerFactory().getLogger(getClass());
        setName("sshj-Reader");
        setDaemon(true);
    }

    @Override
    public void run() {
        try {

            final Decoder decoder = trans.getDecoder();
            final InputStream inp = trans.getConnInfo().in;

            // Headroom: was new byte[decoder.getMaxPacketLength()] and inp.read(recvbuf, 0, needed)
            final byte[] recvbuf = new byte[Math.min(RECEIVE_BUFFER, decoder.getMaxPacketLength())];

            int needed = 1;

            while (!isInterrupted()) {
                int read;
                try {
                    read = inp.read(recvbuf, 0, Math.min(needed, recvbuf.length));
                } catch(SocketTimeoutException e) {
                    if (isInterrupted()) {
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
            if (!isInterrupted()) {
                trans.die(e);
            }
        }

        log.debug("Stopping");
    }

}
