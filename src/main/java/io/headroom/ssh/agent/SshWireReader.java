package io.headroom.ssh.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounds-checked reader of the SSH wire types the agent protocol uses (RFC 4251 §5: {@code byte},
 * {@code uint32}, {@code string}). Every length is checked against the bytes left before anything is
 * copied, so a malformed message fails with an {@link IOException} naming the offset, never with an
 * array index error or a large allocation.
 */
final class SshWireReader {
    private final byte[] data;
    private int pos;

    SshWireReader(byte[] data) {
        this.data = data;
    }

    /** Bytes not read yet. */
    int remaining() {
        return data.length - pos;
    }

    /** One {@code byte}, or an {@link IOException} if none is left. */
    byte oneByte() throws IOException {
        if (remaining() < 1) {
            throw new IOException("truncated at byte " + pos);
        }
        return data[pos++];
    }

    /** A big-endian {@code uint32}, as a non-negative long. */
    long uint32() throws IOException {
        if (remaining() < 4) {
            throw new IOException("truncated at byte " + pos);
        }
        long v = ((data[pos] & 0xffL) << 24) | ((data[pos + 1] & 0xffL) << 16) | ((data[pos + 2] & 0xffL) << 8)
                | (data[pos + 3] & 0xffL);
        pos += 4;
        return v;
    }

    /** A {@code string} as raw bytes: a {@code uint32} length, then that many bytes. */
    byte[] bytes() throws IOException {
        long length = uint32();
        if (length > remaining()) {
            throw new IOException("a field of " + length + " bytes overruns the " + data.length + "-byte message");
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + (int) length);
        pos += (int) length;
        return out;
    }

    /** A {@code string} decoded as UTF-8. */
    String string() throws IOException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
