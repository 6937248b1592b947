package io.headroom.ssh.agent;

import java.io.ByteArrayOutputStream;

/** Builds an agent request from SSH wire types (RFC 4251 §5), without the 4-byte frame length. */
final class SshWireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** One {@code byte}, e.g. the message type. */
    SshWireWriter oneByte(byte b) {
        out.write(b);
        return this;
    }

    /** A big-endian {@code uint32} (the low 32 bits of {@code v}). */
    SshWireWriter uint32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
        return this;
    }

    /** A {@code string}: the length of {@code b} in bytes as {@code uint32}, then {@code b}. */
    SshWireWriter bytes(byte[] b) {
        uint32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** The message so far. */
    byte[] toByteArray() {
        return out.toByteArray();
    }
}
