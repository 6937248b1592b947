package io.headroom.ssh.mina;

import io.headroom.ssh.SshConnector;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.Reader;
import net.schmizz.sshj.transport.TransportImpl;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.jar.JarFile;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headroom's copy of sshj's {@code Reader} (decision 0038): it is the one loaded, it is a copy of the sshj version
 * on the class path, and what arrives through its 4 KiB buffer is byte for byte what the server sent, in
 * the channel packets Headroom asks for (which leave the decoder's packet buffer at 4 KiB) and in sshj's 32 KiB ones,
 * larger than the buffer; on JDK 24+ it reads
 * on a virtual thread whose end the transport sees, whether the client or the server ends the connection (decision 0040).
 */
class PatchedSshjReaderTest extends MinaTest {
    @Test
    void headroomsReaderIsLoadedAndCopiesTheSshjVersionOnTheClassPath() throws Exception {
        for (Class<?> patched : new Class<?>[] {Reader.class, TransportImpl.class}) {
            String from = patched.getProtectionDomain().getCodeSource().getLocation().toString();
            assertFalse(from.contains("sshj-"), "sshj's own " + patched.getSimpleName() + " was loaded from " + from
                    + ": headroom's classes must come first");
        }
        assertEquals(4 * 1024, field(Reader.class, "RECEIVE_BUFFER", null));
        Path sshjJar = Path.of(net.schmizz.sshj.SSHClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version;
        try (JarFile jar = new JarFile(sshjJar.toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        assertEquals("0.40.0", version,
                "sshj was upgraded: compare src/main/java/net/schmizz/sshj/transport/Reader.java and TransportImpl.java"
                        + " with the new release's and update them");
    }

    /** Headroom's packets (under 4 KiB), and sshj's default 32 KiB, larger than the Reader's buffer (a packet in pieces). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 32 * 1024})
    void fourMebibytesArriveIntactThroughTheSmallBuffer(int maxPacket) throws Exception {
        byte[] payload = new byte[4 << 20];
        new Random(38).nextBytes(payload);
        java.util.concurrent.atomic.AtomicLong packetSize = new java.util.concurrent.atomic.AtomicLong();
        SshServer s = fx.commandServer(MinaFixture.ecKeyPair(), (cmd, in, out, err, ch) -> {
            packetSize.set(ch.getRemoteWindow().getPacketSize());
            for (int off = 0; off < payload.length; off += 100_000) {
                out.write(payload, off, Math.min(100_000, payload.length - off));
            }
            out.flush();
            return 0;
        });
        try (SshConnector.Connection c = fx.connector(fx.config(s.getPort()), prompter).connect("tgt");
             Session session = start(c, maxPacket)) {
            Session.Command cmd = session.exec("send");
            byte[] got = cmd.getInputStream().readAllBytes();
            cmd.join(10, TimeUnit.SECONDS);
            assertEquals(payload.length, got.length);
            assertEquals(maxPacket == 0 ? SshConnector.MAX_CHANNEL_PACKET : maxPacket, packetSize.get(),
                    "the largest packet the server may send on the channel");
            byte[] sent = MessageDigest.getInstance("SHA-256").digest(payload);
            byte[] received = MessageDigest.getInstance("SHA-256").digest(got);
            assertArrayEquals(sent, received, () -> "sha256 " + HexFormat.of().formatHex(received));
            if (maxPacket == 0) {
                assertEquals(4096, decoderBufferBytes(c),
                        "a whole packet of Headroom's size fits the decoder's 4 KiB buffer, which never grew");
            }
        }
    }

    /** The capacity of the connection's decoder's packet buffer (sshj grows it to the next power of two a packet needs). */
    private static int decoderBufferBytes(SshConnector.Connection c) throws Exception {
        Object decoder = field(TransportImpl.class, "decoder", c.client().getTransport());
        return ((net.schmizz.sshj.common.Buffer<?>) field(decoder.getClass(), "inputBuffer", decoder)).array().length;
    }

    /** A private field of sshj's or of Headroom's patched classes ({@code target} null for a static one). */
    private static Object field(Class<?> owner, String name, Object target) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    @Test
    void onJdk24TheReaderReadsOnAVirtualThreadWhoseEndTheTransportSees() throws Exception {
        SshServer s = fx.commandServer(MinaFixture.ecKeyPair(), (cmd, in, out, err, ch) -> {
            out.write("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return 0;
        });
        boolean virtualExpected = (Boolean) field(Reader.class, "VIRTUAL", null);
        assertEquals(Runtime.version().feature() >= 24 && !"platform".equals(System.getProperty("headroom.sshj.reader")),
                virtualExpected);

        SshConnector.Connection byClient = fx.connector(fx.config(s.getPort()), prompter).connect("tgt");
        Thread reading = readingThread(byClient);
        assertEquals(virtualExpected, reading.isVirtual(), "the reader's thread: " + reading);
        assertTrue(reading.isAlive());
        assertTrue(reading.getName().startsWith("sshj-Reader"), reading.getName());
        assertTrue(byClient.client().isConnected(), "TransportImpl.isRunning() while the virtual reader reads");
        try (Session session = byClient.client().startSession()) {
            Session.Command cmd = session.exec("hello");
            assertEquals("hello\n", new String(cmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
            cmd.join(10, TimeUnit.SECONDS);
        }
        byClient.close();
        assertTrue(reading.join(java.time.Duration.ofSeconds(10)), "the reader ends when the client disconnects");
        assertFalse(byClient.client().isConnected());

        SshConnector.Connection byServer = fx.connector(fx.config(s.getPort()), prompter).connect("tgt");
        Thread second = readingThread(byServer);
        assertTrue(byServer.client().isConnected());
        s.stop(true);
        assertTrue(second.join(java.time.Duration.ofSeconds(10)), "the reader ends when the server goes away");
        assertFalse(byServer.client().isConnected(), "TransportImpl.isRunning() once the reader has ended");
        byServer.close();
    }

    /** The thread that runs the connection's Reader: its virtual thread, or the Reader itself when it is started as one. */
    private static Thread readingThread(SshConnector.Connection c) throws Exception {
        Reader reader = (Reader) field(TransportImpl.class, "reader", c.client().getTransport());
        Thread virtual = (Thread) field(Reader.class, "virtual", reader);
        Thread reading = virtual != null ? virtual : reader;
        assertNotNull(reading);
        return reading;
    }

    private static Session start(SshConnector.Connection c, int maxPacket) throws Exception {
        if (maxPacket > 0) {
            c.client().getConnection().setMaxPacketSize(maxPacket);
        }
        return c.client().startSession();
    }
}
