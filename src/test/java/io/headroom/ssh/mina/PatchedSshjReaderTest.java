package io.headroom.ssh.mina;

import io.headroom.ssh.SshConnector;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.Reader;
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

/**
 * Headroom's copy of sshj's {@code Reader} (decision 0038): it is the one loaded, it is a copy of the sshj version
 * on the class path, and what arrives through its 16 KiB buffer is byte for byte what the server sent, in
 * the 8 KiB channel packets Headroom asks for and in sshj's 32 KiB ones, larger than the buffer.
 */
class PatchedSshjReaderTest extends MinaTest {
    @Test
    void headroomsReaderIsLoadedAndCopiesTheSshjVersionOnTheClassPath() throws Exception {
        String from = Reader.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertFalse(from.contains("sshj-"), "sshj's own Reader was loaded from " + from + ": headroom's classes must come first");
        Field buffer = Reader.class.getDeclaredField("RECEIVE_BUFFER");
        buffer.setAccessible(true);
        assertEquals(16 * 1024, buffer.getInt(null));
        Path sshjJar = Path.of(net.schmizz.sshj.SSHClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version;
        try (JarFile jar = new JarFile(sshjJar.toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        assertEquals("0.40.0", version,
                "sshj was upgraded: compare src/main/java/net/schmizz/sshj/transport/Reader.java with the new release's and update it");
    }

    /** Headroom's 8 KiB packets, and sshj's default 32 KiB, larger than the Reader's buffer (a packet in pieces). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 32 * 1024})
    void fourMebibytesArriveIntactThroughTheSmallBuffer(int maxPacket) throws Exception {
        byte[] payload = new byte[4 << 20];
        new Random(38).nextBytes(payload);
        java.util.concurrent.atomic.AtomicLong packetSize = new java.util.concurrent.atomic.AtomicLong();
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> srv.setCommandFactory((channel, command) ->
                new MinaFixture.FakeCommand(command, (cmd, in, out, err, ch) -> {
                    packetSize.set(ch.getRemoteWindow().getPacketSize());
                    for (int off = 0; off < payload.length; off += 100_000) {
                        out.write(payload, off, Math.min(100_000, payload.length - off));
                    }
                    out.flush();
                    return 0;
                }, new java.util.concurrent.CopyOnWriteArrayList<>())));
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
        }
    }

    private static Session start(SshConnector.Connection c, int maxPacket) throws Exception {
        if (maxPacket > 0) {
            c.client().getConnection().setMaxPacketSize(maxPacket);
        }
        return c.client().startSession();
    }
}
