package io.headroom.ssh;

import net.schmizz.sshj.common.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;

/**
 * SSH public key blobs (RFC 4253 §6.6, as in the base64 field of a {@code .pub} file and in ssh-agent's identity
 * list), base64-encoded, for telling whether an identity file holds a key the agent already offers.
 */
final class PublicKeyFiles {
    /** A {@code .pub} file is one line; a larger file is not read. */
    private static final long MAX_BYTES = 64 * 1024;

    private PublicKeyFiles() {
    }

    /**
     * The blob of a {@code .pub} or {@code -cert.pub} file ({@code TYPE BASE64 [COMMENT]}), normalised through a
     * decode; null when the file is missing, too large or not of that form.
     */
    static String blob(Path pubFile) {
        try {
            if (!Files.isRegularFile(pubFile) || Files.size(pubFile) > MAX_BYTES) {
                return null;
            }
            // the first line that is neither blank nor a comment, as sshkey_try_load_public reads it
            String line = Files.readString(pubFile, StandardCharsets.ISO_8859_1).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields[0].startsWith("-----")) {
                return null;  // a private key file (PEM-armoured), not a public key line
            }
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(fields[1]));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The public key blob an OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, the
     * openssh-key-v1 format of PROTOCOL.key) keeps unencrypted before its private part: the key the file signs for,
     * read without a passphrase, as ssh's {@code sshkey_load_pubkey_from_private} does. Null for other formats (PEM),
     * a file that is missing, larger than 64 KiB or malformed.
     */
    static String ofPrivateKeyFile(Path keyFile) {
        String begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
        try {
            if (!Files.isRegularFile(keyFile) || Files.size(keyFile) > MAX_BYTES) {
                return null;
            }
            String text = Files.readString(keyFile, StandardCharsets.ISO_8859_1);
            int from = text.indexOf(begin);
            int to = text.indexOf("-----END OPENSSH PRIVATE KEY-----", from + 1);
            if (from < 0 || to < 0) {
                return null;
            }
            Buffer.PlainBuffer b = new Buffer.PlainBuffer(Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to)));
            byte[] magic = new byte[AUTH_MAGIC.length];
            b.readRawBytes(magic);
            if (!java.util.Arrays.equals(magic, AUTH_MAGIC)) {
                return null;
            }
            b.readString();  // cipher
            b.readString();  // KDF
            b.readBytes();   // KDF options
            if (b.readUInt32AsInt() != 1) {
                return null;  // OpenSSH writes one key per file
            }
            return Base64.getEncoder().encodeToString(b.readBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "openssh-key-v1" and a NUL: the start of an OpenSSH private key file's decoded body (PROTOCOL.key). */
    private static final byte[] AUTH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /** The key of a blob ({@link #blob(PublicKey)}'s form); null when sshj cannot read it. */
    static PublicKey publicKey(String blob) {
        try {
            return new Buffer.PlainBuffer(Base64.getDecoder().decode(blob)).readPublicKey();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The blob of a key (a certificate's whole certificate), as sshj writes it on the wire. */
    static String blob(PublicKey key) {
        return Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }
}
