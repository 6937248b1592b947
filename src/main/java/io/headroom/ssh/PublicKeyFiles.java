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
            String[] fields = Files.readString(pubFile, StandardCharsets.UTF_8).strip().split("\\s+");
            if (fields.length < 2 || fields[0].startsWith("-----")) {
                return null;  // a private key file (PEM-armoured), not a public key line
            }
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(fields[1]));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The blob of a key (a certificate's whole certificate), as sshj writes it on the wire. */
    static String blob(PublicKey key) {
        return Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }
}
